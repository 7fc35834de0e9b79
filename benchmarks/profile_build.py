"""Where one ``mkdocs build`` spends its time, per plugin event and per build phase.

Runs the build in this process (as ``mkdocs build`` does) with light timers
around every plugin event handler, Markdown rendering and template
rendering; optionally under cProfile as well (slower, but it names
functions). The timers count this process's CPU time (``time.process_time``),
which other load on the machine hardly disturbs; ``dot`` runs in child
processes and is not in them.

    .venv/bin/python benchmarks/profile_build.py benchmarks/out/sites/small/plugin [--cold]
        [--cprofile out.prof [--top 25]]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import tempfile
import time
import tracemalloc
from collections import defaultdict
from pathlib import Path

SNAPSHOTS: dict[str, object] = {}
TIMES: dict[str, float] = defaultdict(float)
COUNTS: dict[str, int] = defaultdict(int)


def _instrument() -> None:
    from mkdocs.commands import build as build_module
    from mkdocs.plugins import PluginCollection
    from mkdocs.structure.pages import Page

    def run_event(self, name, item=None, **kwargs):
        pass_item = item is not None
        for method in self.events[name]:
            origin = self._event_origins.get(method, "<unknown>")
            self._current_plugin = origin
            start = time.process_time()
            result = method(item, **kwargs) if pass_item else method(**kwargs)
            key = f"plugin {origin}: on_{name}"
            TIMES[key] += time.process_time() - start
            COUNTS[key] += 1
            if result is not None:
                item = result
        self._current_plugin = None
        if name in ("env", "post_build") and tracemalloc.is_tracing():
            SNAPSHOTS[name] = tracemalloc.take_snapshot()
        return item

    PluginCollection.run_event = run_event

    def timed(owner, attr: str, key: str) -> None:
        original = getattr(owner, attr)

        def wrapper(*args, **kwargs):
            start = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                TIMES[key] += time.process_time() - start
                COUNTS[key] += 1

        setattr(owner, attr, wrapper)

    timed(Page, "render", "markdown → HTML (Page.render, incl. extensions)")
    timed(build_module, "_build_page", "page total (_build_page: events + template)")
    timed(build_module, "_populate_page", "page populate (_populate_page: read + events + render)")


def build_once(site_root: Path, dest: Path) -> tuple[float, float]:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(site_root / "mkdocs.yml"), site_dir=str(dest))
    config.plugins.on_startup(command="build", dirty=False)
    start, cpu = time.perf_counter(), time.process_time()
    try:
        build(config)
    finally:
        config.plugins.on_shutdown()
    return time.perf_counter() - start, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Per-event timing of one mkdocs build.")
    parser.add_argument("site", type=Path, help="folder with mkdocs.yml")
    parser.add_argument("--cold", action="store_true", help="delete the plugin cache (.cache) first")
    parser.add_argument("--cprofile", type=Path, help="also run under cProfile and write stats here")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--memory", action="store_true", help="trace allocations; show what is alive after on_env (slow)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    site = args.site.resolve()
    if args.cprofile:
        args.cprofile = args.cprofile.resolve()
    os.chdir(site)
    if args.cold and (site / ".cache").exists():
        shutil.rmtree(site / ".cache")
    _instrument()
    dest = Path(tempfile.mkdtemp(prefix="mechanisms-profile-"))
    if args.memory:
        tracemalloc.start(8)
    try:
        if args.cprofile:
            profiler = cProfile.Profile()
            wall, total = profiler.runcall(build_once, site, dest)
            profiler.dump_stats(str(args.cprofile))
        else:
            wall, total = build_once(site, dest)
    finally:
        shutil.rmtree(dest, ignore_errors=True)
    print(f"build of {site}: {wall:.2f} s wall, {total:.2f} s CPU in this process (imports excluded)")
    print(f"  {'CPU s':>8} {'share':>6} {'calls':>6}  what (share of this process's CPU time)")
    for key, seconds in sorted(TIMES.items(), key=lambda kv: -kv[1]):
        if seconds >= 0.005:
            print(f"  {seconds:8.3f} {100 * seconds / total:5.1f}% {COUNTS[key]:6d}  {key}")
    if args.memory:
        _, peak = tracemalloc.get_traced_memory()
        print(f"\ntracemalloc: peak {peak / 2**20:.0f} MiB of Python allocations")
        snapshot = SNAPSHOTS.get("env")
        if snapshot is not None:
            stats = snapshot.statistics("traceback")  # type: ignore[attr-defined]
            total = sum(s.size for s in stats)
            print(
                f"alive after on_env: {total / 2**20:.0f} MiB; largest by allocation site (innermost frames):"
            )
            for stat in stats[: args.top]:
                frames = [f for f in stat.traceback if not f.filename.endswith("profile_build.py")][-3:]
                where = " ← ".join(f"{Path(f.filename).name}:{f.lineno}" for f in reversed(frames))
                print(f"  {stat.size / 2**20:7.1f} MiB {stat.count:8d} blocks  {where}")
    if args.cprofile:
        print(f"\ncProfile, top {args.top} by cumulative time:")
        pstats.Stats(str(args.cprofile)).sort_stats("cumulative").print_stats(args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
