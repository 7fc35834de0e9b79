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
instead: the preparation (engine, generated pages, the collecting pass) in
this process, with timers around its phases, then Zensical's build of the
prepared site in a child process (as the command runs it: nothing of the
preparation resident), with timers around each page's Markdown and our
extension's parts (``--cprofile`` profiles those pages too, into
``<out>.zensical.prof``). Zensical's own cache is emptied first, so it renders
every page, as ``run.py``'s warm build; ``--cold`` also deletes ours.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import resource
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
    _timed(zensical, "authored_files", "list the docs, remove what earlier releases wrote")
    _timed(site_module.Site, "load", "engine: load and render sources (Site.load)")
    _timed(diagrams.Diagrams, "draw", "engine: Graphviz (Diagrams.draw)")
    _timed(site_module.Site, "start", "engine: load, render, generated pages and exports (Site.start)")
    for name, what in COLLECTING:
        if hasattr(zensical, name):
            _timed(zensical, name, what)
    _timed(site_module.Site, "prepare_markdown", "  of which: our fences and citations (prepare_markdown)")
    try:
        from mkdocs_mechanisms.zensical_scan import Scanner
    except ImportError:  # a checkout from before the scanner
        pass
    else:
        _timed(Scanner, "collect", "  of which: pages read without Python-Markdown (Scanner.collect)")
    _timed(site_module.Site, "number", "number figures and citations (Site.number)")
    _timed(site_module.Site, "finish", "exports and problems (Site.finish)")
    _timed(zensical, "_state", "the record as plain data (_state)")
    _timed(zensical, "_fingerprint", "fingerprint")
    _timed(zensical, "_outputs", "read what Zensical's docs folder holds (_outputs)")
    _timed(zensical.Prepared, "commit", "write the shadow docs (Prepared.commit)")
    _timed(zensical, "_ignore", ".gitignore block")


COLLECTING = [
    ("_render_all", "collecting pass: every page read or converted (_render_all)"),
    ("_collect", "collecting pass: every page read for what it numbers (_collect)"),
]
"""The collecting pass, under the name the preparation of this checkout gives it."""


def zensical_once(site_root: Path) -> tuple[float, float, Path]:
    from mkdocs_mechanisms import zensical

    start, cpu = time.perf_counter(), time.process_time()
    prepared = zensical.prepare(_config_file(site_root), serving=False)
    return time.perf_counter() - start, time.process_time() - cpu, prepared.config


def _config_file(site_root: Path) -> Path:
    for name in ("zensical.toml", "mkdocs.yml", "mkdocs.yaml"):
        if (site_root / name).is_file():
            return site_root / name
    raise SystemExit(f"no zensical.toml or mkdocs.yml in {site_root}")


def profile_zensical(args: argparse.Namespace, site: Path) -> int:
    """The preparation in this process, then Zensical's build in a child process (profiled there)."""
    import subprocess
    import sys

    if args.cold:  # a fresh checkout: every cache (the generated files live in it, not in the docs)
        shutil.rmtree(site / ".cache", ignore_errors=True)
    _instrument_zensical()
    if args.cprofile:
        profiler = cProfile.Profile()
        wall, total, config = profiler.runcall(zensical_once, site)
        profiler.dump_stats(str(args.cprofile))
    else:
        wall, total, config = zensical_once(site)
    print(f"prepare of {site}: {wall:.2f} s wall, {total:.2f} s CPU in this process (imports excluded)")
    _table(total)
    if args.cprofile:
        print(f"\ncProfile of the preparation, top {args.top} by cumulative time:")
        pstats.Stats(str(args.cprofile)).sort_stats("cumulative").print_stats(args.top)
    shutil.rmtree(site / "site", ignore_errors=True)
    clear_zensical_cache(site)  # Zensical renders every page, as in run.py's warm
    child = [sys.executable, str(Path(__file__).resolve()), str(site), "--zensical-child", config.name]
    if args.cprofile:
        child += ["--cprofile", str(args.cprofile.with_suffix(".zensical.prof")), "--top", str(args.top)]
    return subprocess.call(child, cwd=site)


def clear_zensical_cache(site: Path) -> None:
    """Everything in ``.cache`` but ours (``mechanisms``), so that Zensical renders every page."""
    cache = site / ".cache"
    for entry in cache.iterdir() if cache.is_dir() else []:
        if entry.name == "mechanisms":
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def zensical_child(args: argparse.Namespace, site: Path) -> int:
    """Zensical's build in this process, with timers around each page's Markdown and our extension.

    Zensical's Rust runtime calls back into Python per page (``zensical.markdown.render``); the
    timers count the calling thread's CPU (``time.thread_time``), so Zensical's own threads are
    not in them; the total is the whole process's.
    """
    import zensical
    import zensical.markdown.render as render_module
    from mkdocs_mechanisms import markdown as ours
    from mkdocs_mechanisms import site as site_module

    profiler = cProfile.Profile() if args.cprofile else None

    def timed(owner: object, attr: str, key: str, profiled: bool = False) -> None:
        original = getattr(owner, attr)

        def wrapper(*a, **k):
            start = time.thread_time()
            if profiled and profiler is not None:
                profiler.enable()
            try:
                return original(*a, **k)
            finally:
                if profiled and profiler is not None:
                    profiler.disable()
                TIMES[key] += time.thread_time() - start
                COUNTS[key] += 1

        setattr(owner, attr, wrapper)

    timed(render_module, "render", "each page's Markdown → HTML (zensical.markdown.render)", profiled=True)
    timed(ours, "_load_prepared", "  of which: load the prepared site (markdown._load_prepared)")
    timed(ours._Prepare, "run", "  of which: our preprocessor (fences, citations, term sections)")
    timed(ours._Cite, "handleMatch", "  of which: our citations (inline pattern)")
    timed(ours._Finish, "run", "  of which: our postprocessor (figures, term links, slots)")
    timed(site_module.Site, "finish_html", "    of which: figures in place, term links (finish_html)")
    timed(site_module.Site, "fill_page", "    of which: slots filled (fill_page)")
    start, cpu = time.perf_counter(), time.process_time()
    zensical.build(str(site / args.zensical_child), {"clean": False, "strict": False})
    wall, total = time.perf_counter() - start, time.process_time() - cpu
    print(
        f"\nzensical build profiled: {wall:.2f} s wall, {total:.2f} s CPU in this process (imports excluded)"
    )
    _table(total)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak of this process (Zensical and our extension): {peak:.0f} MiB")
    if profiler is not None:
        profiler.dump_stats(str(args.cprofile))
        print(f"\ncProfile of the pages' Markdown, top {args.top} by cumulative time:")
        pstats.Stats(str(args.cprofile)).sort_stats("cumulative").print_stats(args.top)
    return 0


def _table(total: float) -> None:
    print(f"  {'CPU s':>8} {'share':>6} {'calls':>6}  what (share of this process's CPU time)")
    for key, seconds in sorted(TIMES.items(), key=lambda kv: -kv[1]):
        if seconds >= 0.005:
            print(f"  {seconds:8.3f} {100 * seconds / max(total, 1e-9):5.1f}% {COUNTS[key]:6d}  {key}")
    TIMES.clear()
    COUNTS.clear()


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
    parser.add_argument("--zensical-child", help=argparse.SUPPRESS)  # the prepared configuration's name
    args = parser.parse_args(argv)
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    site = args.site.resolve()
    if args.cprofile:
        args.cprofile = args.cprofile.resolve()
    os.chdir(site)
    if args.zensical_child:
        return zensical_child(args, site)
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
