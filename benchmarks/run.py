"""Build-time benchmarks of mkdocs-mechanisms on both hosts, against plain builds and the peer stack.

For each size (``--sizes small,medium,large,xlarge``) it generates the
synthetic site (``generate.py``) in each flavour it needs and builds it, each
build in a fresh process tree measured by ``measure.py`` (wall and CPU
seconds, peak memory of the whole tree):

under MkDocs (``--hosts mkdocs``)
    ``plain``  MkDocs + Material on the same pages, without the plugin;
    ``cold``   with the plugin, its cache folder deleted first;
    ``warm``   with the plugin again, reusing the cache the cold build wrote;
    ``peer``   markdown-inline-graphviz-extension + mkdocs-ezglossary, in the
    separate venv ``benchmarks/out/peer-venv`` (made on first use);

under Zensical (``--hosts zensical``)
    ``plain``  ``zensical build`` of the same pages, Zensical's cache emptied;
    ``cold``   ``mkdocs-mechanisms zensical build``, every cache and every
    generated file deleted first (a fresh checkout);
    ``warm``   the same again after a one-line edit of one page (so the
    preparation runs again), our cache reused, Zensical's cache emptied (so
    it renders every page, like ``plain``);
    ``warm-same``  again with nothing changed: the command reuses its last
    preparation (``zensical_inputs.py``), Zensical's cache emptied;
    ``plain-inc`` / ``warm-inc``  both again with Zensical's own cache kept
    too: the second build a user sees (Zensical skips unchanged pages).

Pages are the HTML files of the output folder on both hosts (generated pages
included), with the Graphviz share (all of the site's DOT through
``GraphvizRunner``, no cache). Before the sizes it measures the linker's
scaling and the serve reload on both hosts (``serve_reload.py``), so that a
long xlarge build cannot keep them from a run. At the end it prints every
target of issue 18 as met or missed, per host and size (``report.py`` writes
the tables and the targets). Raw numbers go to
``benchmarks/out/results-<size list>.json``, rewritten after every size.

    .venv/bin/python benchmarks/run.py [--sizes small,medium] [--hosts mkdocs,zensical] [--repeat 3]
        [--no-serve] [--no-linker] [--serve-edits 5]
"""

from __future__ import annotations

import argparse
import compileall
import hashlib
import json
import os
import platform
import re
import resource
import shutil
import signal
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

import measure  # noqa: E402
from generate import GRAPHVIZ_TIMEOUT, SIZES, generate  # noqa: E402
from report import BUILDS, CORES, HOSTS, markdown, report_size, targets  # noqa: E402

OUR_CACHE = ".cache/mechanisms"
"""The plugin's default ``cache_dir``; Zensical keeps its own cache in the rest of ``.cache``."""

# -- environment -------------------------------------------------------------


def _version(python: str, module: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({module!r}))"
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=False)
    return out.stdout.strip() or "?"


def machine() -> dict:
    dot = subprocess.run(["dot", "-V"], capture_output=True, text=True, check=False)
    free = subprocess.run(["free", "-h"], capture_output=True, text=True, check=False)
    commit = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    )
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
        "nproc": CORES,
        "free": free.stdout.strip(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "dot": (dot.stderr or dot.stdout).strip(),
        "mkdocs": _version(sys.executable, "mkdocs"),
        "material": _version(sys.executable, "mkdocs-material"),
        "zensical": _version(sys.executable, "zensical"),
        "mechanisms": _version(sys.executable, "mkdocs-mechanisms"),
        "commit": commit.stdout.strip() or "?",
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
    # Bytecode, as an installed package has it (pip compiles at install): with
    # PYTHONDONTWRITEBYTECODE set, every build would otherwise compile our modules again
    # (~0.12 s of CPU) while MkDocs and Material load theirs precompiled.
    compileall.compile_dir(str(dest), quiet=1)
    sys.path.insert(0, str(SNAPSHOT))
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(SNAPSHOT), os.environ.get("PYTHONPATH")]))
    return digest.hexdigest()[:12]


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.1f} {five:.1f} {fifteen:.1f}"


# -- one build ---------------------------------------------------------------

ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def count_pages(folder: Path) -> int:
    """HTML files in an output folder (``404.html`` and generated pages included), the same on both hosts."""
    return sum(1 for _ in folder.rglob("*.html"))


def _finish(result: dict, output: Path) -> dict:
    result["pages"] = count_pages(output)
    result["ms_per_page"] = 1000 * result["wall"] / max(1, result["pages"])
    result["cpu_ms_per_page"] = 1000 * result["cpu"] / max(1, result["pages"])
    return result


def build_mkdocs(python: str, site_root: Path, dest: Path) -> dict:
    """One ``mkdocs build`` in a fresh process tree."""
    if dest.exists():
        shutil.rmtree(dest)
    cmd = [python, "-m", "mkdocs", "build", "-q", "-f", str(site_root / "mkdocs.yml"), "-d", str(dest)]
    return _finish(measure.run(cmd, site_root, dict(os.environ, **ENV)), dest)


def build_zensical(site_root: Path, ours: bool) -> dict:
    """``zensical build`` (``ours=False``) or ``mkdocs-mechanisms zensical build``, output in ``site/``."""
    output = site_root / "site"
    if output.exists():
        shutil.rmtree(output)
    if ours:
        cmd = [sys.executable, "-m", "mkdocs_mechanisms.cli", "zensical", "build", "-f", "mkdocs.yml"]
    else:
        cmd = [sys.executable, "-m", "zensical", "build", "-f", "mkdocs.yml"]
    return _finish(measure.run(cmd, site_root, dict(os.environ, **ENV)), output)


def edit_one_page(site_root: Path, round_: int) -> None:
    """Append a line to the site's first page: the next build prepares again instead of reusing the last."""
    page = min((site_root / "docs").glob("*.md"))
    with page.open("a", encoding="utf-8") as out:
        out.write(f"\n\nA line added for warm build {round_ + 1} of the benchmark.\n")


def clear_zensical_cache(site_root: Path) -> None:
    """Empty Zensical's own cache (everything in ``.cache`` but ours), so that it renders every page."""
    cache = site_root / ".cache"
    if not cache.is_dir():
        return
    ours = (site_root / OUR_CACHE).resolve()
    for entry in cache.iterdir():
        if entry.resolve() == ours:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def fresh_checkout(site_root: Path, authored: set[str]) -> None:
    """Delete every cache and every file a Zensical run generated (anything not written by ``generate``)."""
    shutil.rmtree(site_root / ".cache", ignore_errors=True)
    for path in sorted(site_root.rglob("*"), reverse=True):
        rel = path.relative_to(site_root).as_posix()
        if rel.startswith("site/") or rel == "site":
            continue
        if path.is_file() and rel not in authored:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def _files(site_root: Path) -> set[str]:
    return {p.relative_to(site_root).as_posix() for p in site_root.rglob("*") if p.is_file()}


def _summary(runs: list[dict]) -> dict:
    """Best of the repeats for time (other processes only ever add to it), worst for memory."""
    out = {k: min(r[k] for r in runs) for k in ("wall", "cpu", "ms_per_page", "cpu_ms_per_page")}
    out["peak_mib"] = max(r["peak_mib"] for r in runs)
    out["single_mib"] = max(r["single_mib"] for r in runs)
    out["tree_procs"] = max(r["tree_procs"] for r in runs)
    out["median_wall"] = statistics.median(r["wall"] for r in runs)
    out["pages"] = runs[0]["pages"]
    out["log_lines"] = runs[0]["log_lines"]
    out["runs"] = [round(r["wall"], 3) for r in runs]
    out["cpu_runs"] = [round(r["cpu"], 3) for r in runs]
    out["loads"] = [r["load"] for r in runs]
    return out


# -- Graphviz share --------------------------------------------------------------


def site_dots(site_root: Path) -> dict[str, str]:
    """Every figure of the site (pathways, term neighbourhoods) in its first candidate layout."""
    from mkdocs_mechanisms.render.dot import to_dot
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
    pathways = list(sources.pathways.values())
    for slug in terms:
        graph = neighbourhood_graph(slug, pathways, terms)
        if graph is not None:
            dots[f"term:{slug}"] = to_dot(graph, rankdir="LR")
    return dots


def kept_dots(site_root: Path) -> dict[str, str]:
    """The layouts a cold build kept (wide, and narrow where there is one): its layout memo in the cache."""
    dots: dict[str, str] = {}
    for path in sorted((site_root / ".cache" / "mechanisms" / "layout").rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            for i, dot in enumerate(json.loads(path.read_text(encoding="utf-8"))):
                dots[f"{path.name}:{i}"] = dot
    return dots


def dot_time(site_root: Path, rounds: int = 1, dots: dict[str, str] | None = None) -> dict:
    """Render the site's DOT (or ``dots``) with ``GraphvizRunner`` and no cache: serially and on all cores.

    ``serial`` (one worker) is the total batched ``dot`` time; the best of
    ``rounds`` counts.
    """
    from mkdocs_mechanisms.render.runner import GraphvizRunner

    dots = site_dots(site_root) if dots is None else dots
    out: dict = {"graphs": len(dots), "unique": len(set(dots.values()))}
    for label, workers in (("serial", 1), ("parallel", CORES)):
        for _ in range(max(1, rounds)):
            runner = GraphvizRunner(None, workers=workers, timeout=GRAPHVIZ_TIMEOUT)
            runner.version()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            result = runner.render_many(dots)
            wall = time.perf_counter() - start
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
            if result.problems:
                raise RuntimeError("Graphviz problems: " + "; ".join(map(str, result.problems[:5])))
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
    from mkdocs_mechanisms.termpage import load_term

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


def _reload(path: Path) -> dict:
    """A saved results file, with the linker's integer keys restored."""
    payload = json.loads(path.read_text(encoding="utf-8"))
    linker = payload.get("linker")
    if linker:
        linker["by_length_ms_per_kword"] = {int(k): v for k, v in linker["by_length_ms_per_kword"].items()}
    payload["targets"] = [
        {"met": m, "line": line} for m, line in targets(payload["results"], linker, payload.get("serve"))
    ]
    return payload


# -- running ---------------------------------------------------------------------


def _log(size: str, host: str, r: int, repeat: int, name: str, result: dict) -> None:
    print(
        f"[{size}] {host:<8} run {r + 1}/{repeat} {name:<9} {result['wall']:7.2f} s wall "
        f"{result['cpu']:7.2f} s cpu {result['peak_mib']:6.0f} MiB {result['pages']:5d} pages  (load {result['load']})",
        flush=True,
    )


def run_mkdocs(size: str, roots: dict[str, Path], repeat: int, peer: str | None) -> dict:
    dest = OUT / "build" / size / "mkdocs"
    names = [name for name in BUILDS["mkdocs"] if name != "peer" or peer is not None]
    runs: dict[str, list[dict]] = {name: [] for name in names}
    cache = roots["plugin"] / ".cache"
    for r in range(repeat):
        for name in names:
            if name == "cold":
                shutil.rmtree(cache, ignore_errors=True)
            python = peer if name == "peer" and peer is not None else sys.executable
            root = roots["plain" if name == "plain" else "peer" if name == "peer" else "plugin"]
            started = load()
            result = build_mkdocs(python, root, dest / name)
            result["load"] = started
            runs[name].append(result)
            _log(size, "mkdocs", r, repeat, name, result)
    return {name: _summary(rs) for name, rs in runs.items()}


def run_zensical(size: str, roots: dict[str, Path], repeat: int) -> dict:
    plain, ours = roots["plain-z"], roots["plugin-z"]
    authored = _files(ours)
    runs: dict[str, list[dict]] = {name: [] for name in BUILDS["zensical"]}
    for r in range(repeat):
        for name in BUILDS["zensical"]:
            if name == "plain":
                shutil.rmtree(plain / ".cache", ignore_errors=True)
            elif name == "cold":
                fresh_checkout(ours, authored)
            elif name == "warm":
                edit_one_page(ours, r)
                clear_zensical_cache(ours)
            elif name == "warm-same":
                clear_zensical_cache(ours)
            started = load()
            result = build_zensical(
                plain if name.startswith("plain") else ours, ours=not name.startswith("plain")
            )
            result["load"] = started
            runs[name].append(result)
            _log(size, "zensical", r, repeat, name, result)
    return {name: _summary(rs) for name, rs in runs.items()}


def run_size(
    size: str, hosts: list[str], repeat: int, peer: str | None, res: dict | None = None, saved=lambda: None
) -> dict:
    """Every build of one size; ``res`` is filled in place and ``saved`` called after each host."""
    pages, pathways, terms = SIZES[size]
    sites = OUT / "sites" / size
    print(f"\n[{size}] generating sites (P={pages}, N={pathways}, T={terms}) …", flush=True)
    flavours = {}
    if "mkdocs" in hosts:
        flavours.update(plugin="plugin", plain="plain")
        if peer is not None:
            flavours["peer"] = "peer"
    if "zensical" in hosts:
        flavours.update({"plugin-z": "plugin", "plain-z": "plain"})
        if peer is not None:
            flavours["peer"] = "peer"
    roots = {
        name: generate(sites / name, pages, pathways, terms, flavour) for name, flavour in flavours.items()
    }
    res = {} if res is None else res
    print(f"[{size}] timing Graphviz alone …", flush=True)
    try:
        res["dot"] = dot_time(roots.get("plugin") or roots["plugin-z"], rounds=min(repeat, 2))
    except RuntimeError as error:  # the builds are still worth measuring
        print(f"[{size}] {error}", flush=True)
        res["dot_error"] = str(error)[:1000]
    saved()
    errors: dict[str, str] = {}
    for host, runner in (("mkdocs", lambda: run_mkdocs(size, roots, repeat, peer)),
                         ("zensical", lambda: run_zensical(size, roots, repeat))):  # fmt: skip
        if host not in hosts:
            continue
        try:
            res[host] = runner()
            res[host]["load"] = load()
            if host == "mkdocs" and "kept" not in res:  # Graphviz time of the layouts the cold build kept
                res["kept"] = dot_time(
                    roots["plugin"], rounds=min(repeat, 2), dots=kept_dots(roots["plugin"])
                )
            saved()
        except measure.MeasureError as error:  # one failed build must not lose the rest of the run
            print(f"[{size}] {host}: a build failed: {error}", flush=True)
            errors[host] = str(error)[:3000]
    if errors:
        res["errors"] = errors
    if "mkdocs" not in hosts and "zensical" in res and peer is not None:
        started = load()
        result = build_mkdocs(peer, roots["peer"], OUT / "build" / size / "peer")
        result["load"] = started
        _log(size, "mkdocs", 0, 1, "peer", result)
        res["mkdocs-peer"] = _summary([result])
    return res


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build benchmarks of mkdocs-mechanisms on both hosts.")
    parser.add_argument("--sizes", default="small,medium,large", help="comma-separated: " + ",".join(SIZES))
    parser.add_argument("--hosts", default=",".join(HOSTS), help="comma-separated: " + ",".join(HOSTS))
    parser.add_argument(
        "--repeat", type=int, default=1, help="builds per configuration; the fastest is reported"
    )
    parser.add_argument("--no-serve", action="store_true", help="skip the serve reload measurement")
    parser.add_argument("--serve-edits", type=int, default=5, help="edits of each kind per server (≥ 5)")
    parser.add_argument("--no-linker", action="store_true", help="skip the linker scaling measurement")
    parser.add_argument("--no-peer", action="store_true", help="skip the peer stack")
    parser.add_argument(
        "--report", metavar="JSON", help="print the report of a saved results file, measure nothing"
    )
    parser.add_argument("--markdown", action="store_true", help="with --report: as Markdown tables")
    args = parser.parse_args(argv)
    if args.report:
        payload = _reload(Path(args.report))
        if args.markdown:
            print(markdown(payload), end="")
            return 0
        for size, res in payload["results"].items():
            report_size(size, res)
        if payload.get("serve"):
            from serve_reload import report

            report(payload["serve"])
        print("\n== targets ==")
        for t in payload["targets"]:
            print(f"  [{'met' if t['met'] else 'MISSED'}] {t['line']}")
        return 0
    sizes = [s.strip() for s in args.sizes.split(",") if s.strip()]
    hosts = [h.strip() for h in args.hosts.split(",") if h.strip()]
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size(s) {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    if not hosts or any(h not in HOSTS for h in hosts):
        parser.error(f"--hosts takes a comma-separated list of {', '.join(HOSTS)}")
    # SIGTERM unwinds like Ctrl-C, so that the build or server being measured is stopped with us.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    OUT.mkdir(exist_ok=True)
    info = machine()
    info["plugin_snapshot"] = snapshot_plugin()
    info["argv"] = sys.argv[1:] if argv is None else list(argv)
    print(
        f"{info['date']} · {info['nproc']} cores · Python {info['python']} · {info['dot']} · commit {info['commit']}"
    )
    print(
        f"mkdocs {info['mkdocs']} · material {info['material']} · zensical {info['zensical']} · "
        f"mkdocs-mechanisms {info['mechanisms']} · load average {load()}"
    )
    print(f"plugin measured from a snapshot of plugin/mkdocs_mechanisms (sha256 {info['plugin_snapshot']}…)")
    peer = None if args.no_peer else peer_python()
    if peer is not None:
        info["peer"] = {m: _version(peer, m) for m in [*PEER_PACKAGES[1:], "mkdocs"]}
    out = OUT / f"results-{'-'.join(sizes)}.json"
    results: dict = {}
    linker = serve = None

    def save() -> None:
        payload = {"machine": info, "results": results, "linker": linker, "serve": serve,
                   "targets": [{"met": m, "line": line} for m, line in targets(results, linker, serve)]}  # fmt: skip
        out.write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")

    # The short, essential measurements first: a long xlarge build must not keep them from a run.
    if not args.no_linker:
        linker = linker_scaling()
        save()
    if not args.no_serve:
        from serve_reload import measure_all

        print("\nmeasuring serve reload …", flush=True)
        serve = measure_all(hosts, edits=max(1, args.serve_edits))
        save()
    for size in sizes:
        results[size] = {}
        run_size(size, hosts, max(1, args.repeat), peer, results[size], save)
        results[size]["load_end"] = load()
        save()
    info["loadavg_end"] = os.getloadavg()

    for size, res in results.items():
        report_size(size, res)
    if serve is not None:
        from serve_reload import report

        report(serve)
    print("\n== targets ==")
    for met, line in targets(results, linker, serve):
        print(f"  [{'met' if met else 'MISSED'}] {line}")
    print(f"\nload average at start {info['loadavg_start']}, at end {info['loadavg_end']}")
    save()
    print(f"raw numbers: {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
