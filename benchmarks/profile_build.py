"""Where one ``mkdocs build`` spends its time, per plugin event and per build phase.

Runs the build in this process (as ``mkdocs build`` does) with light timers
around every plugin event handler, Markdown rendering and template
rendering; optionally under cProfile as well (slower, but it names
functions). The timers count this process's CPU time (``time.process_time``),
which other load on the machine hardly disturbs; ``dot`` runs in child
processes and is not in them.

    .venv/bin/python benchmarks/profile_build.py benchmarks/out/sites/small/plugin [--cold]
        [--cprofile out.prof [--top 25]]

With ``--host zensical`` it profiles ``mkdocs-mechanisms zensical build``
instead: the preparation (engine, generated pages, the collecting Markdown
pass) in this process, with timers around its phases, then Zensical's own
build of the prepared site as a child process measured by ``measure.py``.
``--cold`` there means a fresh checkout (every cache and generated file
deleted, as in ``run.py``); the site must be one ``run.py`` or ``generate.py``
wrote, e.g. ``benchmarks/out/sites/medium/plugin-z``.
"""

from __future__ import annotations

import argparse
import cProfile
import json
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


def _timed(owner: object, attr: str, key: str) -> None:
    """Wrap ``owner.attr`` so that its CPU time and calls add up under ``key``."""
    original = getattr(owner, attr)

    def wrapper(*args, **kwargs):
        start = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            TIMES[key] += time.process_time() - start
            COUNTS[key] += 1

    setattr(owner, attr, wrapper)


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

    _timed(Page, "render", "markdown → HTML (Page.render, incl. extensions)")
    _timed(build_module, "_build_page", "page total (_build_page: events + template)")
    _timed(build_module, "_populate_page", "page populate (_populate_page: read + events + render)")


def _instrument_zensical() -> None:
    """Timers around the phases of ``zensical.prepare`` (module functions and engine methods)."""
    from mkdocs_mechanisms import diagrams, zensical
    from mkdocs_mechanisms import site as site_module

    _timed(zensical, "load_config", "read the configuration (siteconfig, INHERIT followed)")
    _timed(zensical, "docs_files", "list the docs and check marks (docs_files)")
    _timed(site_module.Site, "load", "engine: load and render sources (Site.load)")
    _timed(diagrams.Diagrams, "draw", "engine: Graphviz (Diagrams.draw)")
    _timed(site_module.Site, "start", "engine: load, render, generated pages and exports (Site.start)")
    _timed(zensical, "_render_all", "collecting pass: every page through Markdown (_render_all)")
    _timed(site_module.Site, "prepare_markdown", "  of which: our fences and citations (prepare_markdown)")
    _timed(site_module.Site, "number", "number figures and citations")
    _timed(zensical, "write_all", "write generated files (write_all)")
    _timed(zensical, "_fingerprint", "fingerprint")
    _timed(zensical, "_ignore", ".gitignore block")


def zensical_once(site_root: Path) -> tuple[float, float, Path]:
    from mkdocs_mechanisms import zensical

    start, cpu = time.perf_counter(), time.process_time()
    prepared = zensical.prepare(site_root / "mkdocs.yml", serving=False)
    return time.perf_counter() - start, time.process_time() - cpu, prepared.config


def profile_zensical(args: argparse.Namespace, site: Path) -> int:
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import measure

    if args.cold:  # a fresh checkout: the generated files (listed in the manifest) and every cache
        manifest = site / ".cache" / "mechanisms" / "zensical" / "manifest.json"
        if manifest.is_file():
            for rel in json.loads(manifest.read_text(encoding="utf-8")).get("files", {}):
                (site / "docs" / rel).unlink(missing_ok=True)
        shutil.rmtree(site / ".cache", ignore_errors=True)
    _instrument_zensical()
    if args.cprofile:
        profiler = cProfile.Profile()
        wall, total, config = profiler.runcall(zensical_once, site)
        profiler.dump_stats(str(args.cprofile))
    else:
        wall, total, config = zensical_once(site)
    print(f"prepare of {site}: {wall:.2f} s wall, {total:.2f} s CPU in this process (imports excluded)")
    print(f"  {'CPU s':>8} {'share':>6} {'calls':>6}  what (share of this process's CPU time)")
    for key, seconds in sorted(TIMES.items(), key=lambda kv: -kv[1]):
        if seconds >= 0.005:
            print(f"  {seconds:8.3f} {100 * seconds / total:5.1f}% {COUNTS[key]:6d}  {key}")
    shutil.rmtree(site / "site", ignore_errors=True)
    for entry in (site / ".cache").iterdir():  # Zensical renders every page, as in run.py's warm
        if entry.name == "mechanisms":
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    result = measure.run([sys.executable, "-m", "zensical", "build", "-f", config.name], site)
    print(
        f"then zensical build of {config.name}: {result['wall']:.2f} s wall, {result['cpu']:.2f} s CPU, "
        f"peak {result['peak_mib']:.0f} MiB"
    )
    if args.cprofile:
        print(f"\ncProfile of the preparation, top {args.top} by cumulative time:")
        pstats.Stats(str(args.cprofile)).sort_stats("cumulative").print_stats(args.top)
    return 0


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
        "--host", choices=("mkdocs", "zensical"), default="mkdocs", help="which build to profile"
    )
    parser.add_argument(
        "--memory", action="store_true", help="trace allocations; show what is alive after on_env (slow)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    site = args.site.resolve()
    if args.cprofile:
        args.cprofile = args.cprofile.resolve()
    os.chdir(site)
    if args.host == "zensical":
        return profile_zensical(args, site)
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
