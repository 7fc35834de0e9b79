"""Build-time benchmarks of mkdocs-mechanisms against plain MkDocs and the peer stack.

For each size (``--sizes small,medium,large``) it generates three copies of
one synthetic site (``generate.py``) and builds, each in a fresh process:

1. ``plain``  MkDocs + Material on the same pages, without the plugin;
2. ``cold``   with the plugin and an empty cache;
3. ``warm``   with the plugin again, same cache (the second build);
4. ``peer``   markdown-inline-graphviz-extension + mkdocs-ezglossary, in the
   separate venv ``benchmarks/out/peer-venv`` (made on first use).

Every build runs as ``python -m mkdocs build -q -f … -d …`` under a tiny
``python -c`` wrapper that times it with the wall clock and reads the build's
peak RSS from ``getrusage(RUSAGE_CHILDREN)``. It then measures the Graphviz
share (all of the site's DOT through ``GraphvizRunner``, no cache), the
linker's scaling, and the ``mkdocs serve`` reload (``serve_reload.py``), and
prints every target as met or missed. Raw numbers go to
``benchmarks/out/results-<size list>.json``.

    .venv/bin/python benchmarks/run.py [--sizes small,medium] [--repeat 3] [--no-serve]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
PEER_VENV = OUT / "peer-venv"
SNAPSHOT = OUT / "plugin-snapshot"
PEER_PACKAGES = [
    "mkdocs==1.6.1",
    "mkdocs-material",
    "markdown-inline-graphviz-extension",
    "mkdocs-ezglossary-plugin",
]
sys.path.insert(0, str(HERE))

from generate import SIZES, generate  # noqa: E402

CORES = os.cpu_count() or 1
BUILD_TIMEOUT = 3600

WRAPPER = r"""
import json, resource, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"wall": wall, "maxrss_kib": usage.ru_maxrss, "cpu": usage.ru_utime + usage.ru_stime,
                  "rc": proc.returncode, "stderr": proc.stderr.decode("utf-8", "replace")[-4000:]}))
"""
"""Runs one build as its only child: wall time, the child's peak RSS (KiB on Linux), CPU seconds."""

TARGETS = {
    "warm_per_page": 1.3,
    "cold_dot_share": 1.2,
    "memory": 2.0,
    "linker_flat": 1.25,
    "linker_linear": 1.25,
}


# -- environment -------------------------------------------------------------


def _version(python: str, module: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({module!r}))"
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=False)
    return out.stdout.strip() or "?"


def machine() -> dict:
    dot = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False)
    free = subprocess.run(["free", "-h"], capture_output=True, text=True, check=False)
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "nproc": CORES,
        "free": free.stdout.strip(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "dot": (dot.stderr or dot.stdout).strip(),
        "mkdocs": _version(sys.executable, "mkdocs"),
        "material": _version(sys.executable, "mkdocs-material"),
        "mechanisms": _version(sys.executable, "mkdocs-mechanisms"),
        "loadavg_start": os.getloadavg(),
    }


def peer_python() -> str:
    python = PEER_VENV / "bin" / "python"
    if not python.exists():
        print(f"creating the peer venv in {PEER_VENV} …", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_PACKAGES], check=True)
    return str(python)


def snapshot_plugin() -> str:
    """Copy the plugin package to ``out/plugin-snapshot`` and measure that copy for the whole run.

    The package is installed editable, so edits made while a run goes on
    would otherwise mix versions between builds. Returns a digest of the copy.
    """
    src = ROOT / "plugin" / "mkdocs_mechanisms"
    dest = SNAPSHOT / "mkdocs_mechanisms"
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("__pycache__"))
    digest = hashlib.sha256()
    for path in sorted(dest.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(dest).as_posix().encode() + b"\0" + path.read_bytes())
    sys.path.insert(0, str(SNAPSHOT))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SNAPSHOT), os.environ.get("PYTHONPATH")]))
    return digest.hexdigest()[:12]


# -- one build ---------------------------------------------------------------


def build(python: str, site_root: Path, dest: Path) -> dict:
    """One ``mkdocs build`` in a fresh process; returns wall, peak RSS, pages."""
    if dest.exists():
        shutil.rmtree(dest)
    cmd = [python, "-m", "mkdocs", "build", "-q", "-f", str(site_root / "mkdocs.yml"), "-d", str(dest)]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    proc = subprocess.run(
        [sys.executable, "-c", WRAPPER, *cmd],
        capture_output=True,
        text=True,
        cwd=site_root,
        env=env,
        timeout=BUILD_TIMEOUT,
        check=False,
    )
    if proc.returncode != 0 or not proc.stdout.strip():
        raise SystemExit(f"wrapper failed for {site_root}:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    if result["rc"] != 0:
        raise SystemExit(f"build of {site_root} failed (exit {result['rc']}):\n{result['stderr']}")
    result["pages"] = sum(1 for _ in dest.rglob("*.html"))
    result["peak_mib"] = result.pop("maxrss_kib") / 1024
    result["ms_per_page"] = 1000 * result["wall"] / max(1, result["pages"])
    warnings = [line for line in result.pop("stderr").splitlines() if line.strip()]
    result["log_lines"] = len(warnings)
    return result


def _summary(runs: list[dict]) -> dict:
    """Best of the repeats for time (other processes only ever add to it), worst for memory."""
    out = {k: min(r[k] for r in runs) for k in ("wall", "cpu", "ms_per_page")}
    out["peak_mib"] = max(r["peak_mib"] for r in runs)
    out["median_wall"] = statistics.median(r["wall"] for r in runs)
    out["pages"] = runs[0]["pages"]
    out["runs"] = [round(r["wall"], 3) for r in runs]
    out["cpu_runs"] = [round(r["cpu"], 3) for r in runs]
    return out


# -- Graphviz share --------------------------------------------------------------


def site_dots(site_root: Path) -> dict[str, str]:
    """Every DOT graph the plugin renders in ``on_files`` (pathways, legends, term neighbourhoods)."""
    from mkdocs_mechanisms.render.dot import legend_dot, to_dot
    from mkdocs_mechanisms.render.graph import neighbourhood_graph, pathway_graph
    from mkdocs_mechanisms.sources import load_sources

    docs = site_root / "docs"
    glossary = [p for p in (docs / "glossary").glob("*.md") if p.name not in ("index.md", "README.md")]
    sources = load_sources(
        site_root, sorted((site_root / "diagrams").glob("*.md")), glossary, docs / "references.bib"
    )
    terms = sources.terms
    dots: dict[str, str] = {}
    for pid, pathway in sources.pathways.items():
        dots[f"pathway:{pid}"] = to_dot(pathway_graph(pathway, terms))
        kinds = {n.kind for n in pathway.nodes.values()}
        rels = {e.rel for e in pathway.edges}
        dots[f"legend:{pid}"] = legend_dot(kinds, rels)
    pathways = list(sources.pathways.values())
    for slug in terms:
        graph = neighbourhood_graph(slug, pathways, terms)
        if graph is not None:
            dots[f"term:{slug}"] = to_dot(graph, rankdir="LR")
    return dots


def dot_time(site_root: Path, rounds: int = 1) -> dict:
    """Render all of the site's DOT with ``GraphvizRunner`` and no cache: serially and on all cores.

    ``serial`` (one worker) is the total batched ``dot`` time; the best of
    ``rounds`` counts.
    """
    from mkdocs_mechanisms.render.runner import GraphvizRunner

    dots = site_dots(site_root)
    out: dict = {"graphs": len(dots), "unique": len(set(dots.values()))}
    for label, workers in (("serial", 1), ("parallel", CORES)):
        for _ in range(max(1, rounds)):
            runner = GraphvizRunner(None, workers=workers)
            runner.version()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            result = runner.render_many(dots)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            if result.problems:
                raise SystemExit("Graphviz problems: " + "; ".join(map(str, result.problems[:5])))
            if wall < out.get(f"{label}_wall", float("inf")):
                out[f"{label}_wall"], out[f"{label}_cpu"], out[f"{label}_calls"] = wall, cpu, runner.calls
    return out


# -- linker scaling ----------------------------------------------------------------


def linker_scaling(rounds: int = 15) -> dict:
    """Time per 1,000 words of ``Linker.link`` at T=30 and T=1000, and on pages 1×…8× as long.

    The configurations are timed in interleaved rounds and the fastest round
    of each is kept, so that load from other processes hits all of them alike.
    """
    import markdown
    from mkdocs_mechanisms.linker import Linker, LinkRules
    from mkdocs_mechanisms.load import load_term

    def setup(terms: int) -> tuple[Linker, list[tuple[str, int]]]:
        root = generate(OUT / "linker" / f"T{terms}", 32, 0, terms, "plain")
        loaded = [
            load_term(p.read_text(encoding="utf-8"), p.name)
            for p in sorted((root / "docs" / "glossary").glob("*.md"))
            if p.name != "index.md"
        ]
        pages = []
        for page in sorted((root / "docs").glob("page-*.md")):
            text = page.read_text(encoding="utf-8")
            # As in a real build, citations are gone before linking (the plugin turns them into markup).
            marked = re.sub(r"\[@[^\]]+\]", "<sup>1</sup>", text)
            html_text = markdown.markdown(marked, extensions=["toc", "tables", "attr_list"])
            pages.append((html_text, len(text.split())))
        return Linker(loaded, LinkRules()), pages

    def href(slug: str) -> str:
        return f"../glossary/{slug}/"

    def once(linker: Linker, pages: list[tuple[str, int]]) -> float:
        start = time.perf_counter()
        for html_text, _ in pages:
            linker.link(html_text, href)
        return time.perf_counter() - start

    small_linker, small_pages = setup(30)
    big_linker, big_pages = setup(1000)
    configs: dict[str, tuple[Linker, list[tuple[str, int]]]] = {
        "T30": (small_linker, small_pages),
        "T1000": (big_linker, big_pages),
    }
    for factor in (1, 2, 4, 8):  # the same 32 pages, joined into pages 1×…8× as long (T=1000)
        joined = [
            ("\n".join(h for h, _ in big_pages[i : i + factor]), sum(w for _, w in big_pages[i : i + factor]))
            for i in range(0, len(big_pages), factor)
        ]
        configs[f"len{factor}"] = (big_linker, joined)
    best = dict.fromkeys(configs, float("inf"))
    for _ in range(rounds):
        for name, (linker, pages) in configs.items():
            best[name] = min(best[name], once(linker, pages))
    per_kword = {name: 1e6 * best[name] / sum(w for _, w in pages) for name, (_, pages) in configs.items()}
    return {
        "T30_ms_per_kword": per_kword["T30"],
        "T1000_ms_per_kword": per_kword["T1000"],
        "words_per_page": sum(w for _, w in big_pages) / len(big_pages),
        "mentions_per_page_T30": sum(len(small_linker.link(h, href).mentions) for h, _ in small_pages)
        / len(small_pages),
        "mentions_per_page_T1000": sum(len(big_linker.link(h, href).mentions) for h, _ in big_pages)
        / len(big_pages),
        "by_length_ms_per_kword": {f: per_kword[f"len{f}"] for f in (1, 2, 4, 8)},
    }


# -- report --------------------------------------------------------------------------


def _row(name: str, r: dict, plain: dict) -> str:
    return (
        f"  {name:<6} {r['wall']:8.2f} {r['peak_mib']:9.0f} {r['pages']:6d} {r['ms_per_page']:9.1f}"
        f" {r['wall'] / plain['wall']:8.2f}× {r['ms_per_page'] / plain['ms_per_page']:8.2f}×"
        f" {r['peak_mib'] / plain['peak_mib']:7.2f}×  {r['cpu']:7.1f}"
    )


def report_size(size: str, res: dict) -> None:
    plain = res["plain"]
    pages, pathways, terms = SIZES[size]
    print(f"\n== {size}: P={pages} pages, N={pathways} pathways, T={terms} terms ==")
    print("  build   wall s  peak MiB  pages   ms/page  wall/pl  ms/pg/pl  mem/pl  cpu s")
    for name in ("plain", "cold", "warm", "peer"):
        print(_row(name, res[name], plain))
    d = res["dot"]
    print(
        f"  Graphviz: {d['graphs']} graphs ({d['unique']} distinct); batched, no cache: "
        f"serial {d['serial_wall']:.2f} s wall ({d['serial_cpu']:.2f} s CPU in {d['serial_calls']} dot runs), "
        f"on {CORES} cores {d['parallel_wall']:.2f} s wall"
    )
    print(
        f"  cold − warm = {res['cold']['wall'] - res['warm']['wall']:.2f} s; "
        f"1.2 × dot ÷ cores = {1.2 * d['serial_wall'] / CORES:.2f} s"
    )


def targets(results: dict, linker: dict | None, serve: dict | None) -> list[tuple[bool, str]]:
    lines: list[tuple[bool, str]] = []
    for size, res in results.items():
        plain, cold, warm, peer, d = res["plain"], res["cold"], res["warm"], res["peer"], res["dot"]
        ratio = warm["ms_per_page"] / plain["ms_per_page"]
        cpu_ratio = (warm["cpu"] / warm["pages"]) / (plain["cpu"] / plain["pages"])
        lines.append(
            (
                ratio <= TARGETS["warm_per_page"],
                f"{size}: warm cost per page {warm['ms_per_page']:.1f} ms = {ratio:.2f}× plain "
                f"({plain['ms_per_page']:.1f} ms; in CPU time {cpu_ratio:.2f}×) "
                f"(target ≤ {TARGETS['warm_per_page']}×)",
            )
        )
        delta = cold["wall"] - warm["wall"]
        bound = TARGETS["cold_dot_share"] * d["serial_wall"] / CORES
        lines.append(
            (
                delta <= bound,
                f"{size}: cold − warm {delta:.2f} s vs 1.2 × dot ÷ cores = 1.2 × {d['serial_wall']:.2f} ÷ {CORES}"
                f" = {bound:.2f} s (target ≤)",
            )
        )
        lines.append(
            (
                cold["wall"] < peer["wall"],
                f"{size}: cold {cold['wall']:.2f} s vs peer stack {peer['wall']:.2f} s "
                f"(peer ÷ cold = {peer['wall'] / cold['wall']:.2f}; CPU {cold['cpu']:.1f} s vs {peer['cpu']:.1f} s) "
                f"(target: cold faster)",
            )
        )
        worst = max(cold["peak_mib"], warm["peak_mib"])
        lines.append(
            (
                worst <= TARGETS["memory"] * plain["peak_mib"],
                f"{size}: peak memory {worst:.0f} MiB = {worst / plain['peak_mib']:.2f}× plain "
                f"({plain['peak_mib']:.0f} MiB) (target ≤ {TARGETS['memory']}×)",
            )
        )
    if linker is not None:
        flat = linker["T1000_ms_per_kword"] / linker["T30_ms_per_kword"]
        lines.append(
            (
                flat <= TARGETS["linker_flat"],
                f"linker flat in T: {linker['T30_ms_per_kword']:.2f} ms/1,000 words at T=30, "
                f"{linker['T1000_ms_per_kword']:.2f} at T=1000 = {flat:.2f}× (target ≤ {TARGETS['linker_flat']}×)",
            )
        )
        by = linker["by_length_ms_per_kword"]
        slope = by[8] / by[1]
        shown = ", ".join(f"{k}×: {v:.2f}" for k, v in by.items())
        lines.append(
            (
                slope <= TARGETS["linker_linear"],
                f"linker linear in text: ms/1,000 words by page length {shown} → 8× page costs {slope:.2f}× "
                f"per word (target ≤ {TARGETS['linker_linear']}×)",
            )
        )
    if serve is not None:
        from serve_reload import summarise

        lines.append(summarise(serve))
    return lines


def run_size(size: str, repeat: int, peer: str) -> dict:
    pages, pathways, terms = SIZES[size]
    sites = OUT / "sites" / size
    print(f"\n[{size}] generating sites (P={pages}, N={pathways}, T={terms}) …", flush=True)
    roots = {
        flavour: generate(sites / flavour, pages, pathways, terms, flavour)
        for flavour in ("plugin", "plain", "peer")
    }
    dest = OUT / "build" / size
    runs: dict[str, list[dict]] = {"plain": [], "cold": [], "warm": [], "peer": []}
    cache = roots["plugin"] / ".cache"
    for r in range(repeat):
        for name in ("plain", "cold", "warm", "peer"):
            if name == "cold" and cache.exists():
                shutil.rmtree(cache)
            python = peer if name == "peer" else sys.executable
            root = roots["plain" if name == "plain" else "peer" if name == "peer" else "plugin"]
            result = build(python, root, dest / name)
            runs[name].append(result)
            print(
                f"[{size}] run {r + 1}/{repeat} {name:<5} {result['wall']:7.2f} s  {result['peak_mib']:6.0f} MiB"
                f"  {result['pages']} pages",
                flush=True,
            )
    res = {name: _summary(rs) for name, rs in runs.items()}
    print(f"[{size}] timing Graphviz alone …", flush=True)
    res["dot"] = dot_time(roots["plugin"], rounds=min(repeat, 2))
    return res


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build benchmarks of mkdocs-mechanisms.")
    parser.add_argument("--sizes", default="small,medium,large", help="comma-separated: " + ",".join(SIZES))
    parser.add_argument(
        "--repeat", type=int, default=1, help="builds per configuration; the fastest is reported"
    )
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve reload measurement")
    parser.add_argument("--no-linker", action="store_true", help="skip the linker scaling measurement")
    args = parser.parse_args(argv)
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    OUT.mkdir(exist_ok=True)
    info = machine()
    info["plugin_snapshot"] = snapshot_plugin()
    print(f"{info['date']} · {info['nproc']} cores · Python {info['python']} · {info['dot']}")
    print(f"mkdocs {info['mkdocs']} · material {info['material']} · mkdocs-mechanisms {info['mechanisms']}")
    print(f"plugin measured from a snapshot of plugin/mkdocs_mechanisms (sha256 {info['plugin_snapshot']}…)")
    peer = peer_python()
    info["peer"] = {m: _version(peer, m) for m in [*PEER_PACKAGES[1:], "mkdocs"]}
    results = {size: run_size(size, max(1, args.repeat), peer) for size in sizes}
    linker = None if args.no_linker else linker_scaling()
    serve = None
    if not args.no_serve:
        from serve_reload import measure

        print("\nmeasuring mkdocs serve reload …", flush=True)
        serve = measure(edits=3)
    info["loadavg_end"] = os.getloadavg()

    for size, res in results.items():
        report_size(size, res)
    print("\n== targets ==")
    checks = targets(results, linker, serve)
    for met, line in checks:
        print(f"  [{'met' if met else 'MISSED'}] {line}")
    print(f"\nload average at start {info['loadavg_start']}, at end {info['loadavg_end']}")
    out = OUT / f"results-{'-'.join(sizes)}.json"
    payload = {"machine": info, "results": results, "linker": linker, "serve": serve,
               "targets": [{"met": m, "line": line} for m, line in checks]}  # fmt: skip
    out.write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
    print(f"raw numbers: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
