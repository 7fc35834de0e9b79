"""The benchmark report: tables per size, the issue's targets met or missed, Markdown for ``RESULTS.md``.

Measuring is ``run.py``'s job; this module only reads its results (a dict, or the saved JSON).
"""

from __future__ import annotations

import os
import statistics

from generate import SIZES

CORES = os.cpu_count() or 1
HOSTS = ("mkdocs", "zensical")
BUILDS = {
    "mkdocs": ("plain", "cold", "warm", "peer"),
    "zensical": ("plain", "plain-inc", "cold", "warm", "warm-same", "warm-inc"),
}
"""What each host builds, in the order it builds them. Zensical's ``warm`` follows a one-line edit of
one page (so the preparation runs, as MkDocs' warm build does all its work again); ``warm-same``
changes nothing, and the command skips the preparation it already made (``zensical_inputs.py``)."""

TARGETS = {
    "warm_per_page": 1.3,
    "cold_dot_share": 1.2,
    "memory": 2.0,
    "scaling": 1.25,
    "linker_flat": 1.25,
    "linker_linear": 1.25,
}
"""Thresholds from issue 18 (``scaling``, ``linker_*``: "flat"/"linear" read as within 25 %)."""


HEADER = "  build       wall s   cpu s  peak MiB  1-proc  procs  pages  ms/page  wall/pl  ms/pg/pl  cpu/pg/pl  mem/pl"


def _row(name: str, r: dict, plain: dict) -> str:
    return (
        f"  {name:<10} {r['wall']:7.2f} {r['cpu']:7.2f} {r['peak_mib']:9.0f} {r['single_mib']:7.0f}"
        f" {r['tree_procs']:6d}"
        f" {r['pages']:6d} {r['ms_per_page']:8.1f} {r['wall'] / plain['wall']:7.2f}×"
        f" {r['ms_per_page'] / plain['ms_per_page']:8.2f}× {r['cpu_ms_per_page'] / plain['cpu_ms_per_page']:9.2f}×"
        f" {r['peak_mib'] / plain['peak_mib']:6.2f}×"
    )


def report_size(size: str, res: dict) -> None:
    pages, pathways, terms = SIZES[size]
    print(f"\n== {size}: P={pages} pages, N={pathways} pathways, T={terms} terms ==")
    for host, error in res.get("errors", {}).items():
        print(f" -- {host}: a build failed, no results: {error.splitlines()[-1] if error else ''}")
    for host in HOSTS:
        if host not in res:
            continue
        builds = res[host]
        print(f" -- {host} (every ratio against {host}'s own plain build; load {builds['load']})")
        print(HEADER)
        for name in BUILDS[host]:
            if name not in builds:
                continue
            base = builds["plain-inc"] if name == "warm-inc" else builds["plain"]
            print(_row(name, builds[name], base))
        if host == "zensical":
            print("  (warm-inc is divided by plain-inc: both keep Zensical's own cache)")
    d = res.get("dot")
    if d is None:
        print(f"  Graphviz alone: not measured ({res.get('dot_error', 'missing')})")
        return
    print(
        f"  Graphviz: {d['graphs']} graphs ({d['unique']} distinct); batched, no cache: "
        f"serial {d['serial_wall']:.2f} s wall ({d['serial_cpu']:.2f} s CPU in {d['serial_calls']} dot runs), "
        f"on {CORES} cores {d['parallel_wall']:.2f} s wall"
    )
    k = res.get("kept")
    if k is not None:
        print(
            f"  Graphviz, the {k['graphs']} layouts the cold build kept: serial {k['serial_wall']:.2f} s wall "
            f"({k['serial_cpu']:.2f} s CPU), on {CORES} cores {k['parallel_wall']:.2f} s wall"
        )


def _line(met: bool, text: str) -> tuple[bool, str]:
    return met, text


def targets(results: dict, linker: dict | None, serve: dict | None) -> list[tuple[bool, str]]:
    """Every target of issue 18, per host and size: (met, line)."""
    lines: list[tuple[bool, str]] = []
    for size, res in results.items():
        d = res.get("dot")
        bound = TARGETS["cold_dot_share"] * d["serial_wall"] / CORES if d else float("nan")
        peer = res.get("mkdocs", {}).get("peer") or res.get("mkdocs-peer")
        for host, error in res.get("errors", {}).items():
            lines.append(
                _line(False, f"{host} {size}: a build failed, nothing measured ({error.splitlines()[-1]})")
            )
        for host in HOSTS:
            if host not in res:
                continue
            b = res[host]
            plain, cold, warm = b["plain"], b["cold"], b["warm"]
            tag = f"{host} {size}"
            pairs = [("warm", warm, plain)]
            if host == "zensical":
                pairs.append(("warm-inc", b["warm-inc"], b["plain-inc"]))
            for label, ours, base in pairs:
                ratio = ours["ms_per_page"] / base["ms_per_page"]
                cpu_ratio = ours["cpu_ms_per_page"] / base["cpu_ms_per_page"]
                against = "plain" if label == "warm" else "plain-inc"
                lines.append(
                    _line(
                        ratio <= TARGETS["warm_per_page"],
                        f"{tag}: {label} cost per page {ours['ms_per_page']:.1f} ms = {ratio:.2f}× {against} "
                        f"({base['ms_per_page']:.1f} ms); CPU {ours['cpu_ms_per_page']:.1f} vs "
                        f"{base['cpu_ms_per_page']:.1f} ms = {cpu_ratio:.2f}× (target ≤ {TARGETS['warm_per_page']}×)",
                    )
                )
            delta = cold["wall"] - warm["wall"]
            cpu_delta = cold["cpu"] - warm["cpu"]
            kept = res.get("kept")
            if kept is not None:
                bound_kept = TARGETS["cold_dot_share"] * kept["serial_wall"] / CORES
                lines.append(
                    _line(
                        delta <= bound_kept,
                        f"{tag}: cold − warm {delta:.2f} s (CPU {cpu_delta:.2f} s) vs 1.2 × dot of the "
                        f"{kept['graphs']} layouts kept ÷ cores = 1.2 × {kept['serial_wall']:.2f} ÷ {CORES} = "
                        f"{bound_kept:.2f} s (target ≤)",
                    )
                )
            if d is None:
                lines.append(_line(False, f"{tag}: cold − warm {delta:.2f} s; Graphviz alone not measured"))
            else:
                lines.append(
                    _line(
                        delta <= bound,
                        f"{tag}: cold − warm {delta:.2f} s (CPU {cpu_delta:.2f} s) vs 1.2 × dot ÷ cores = "
                        f"1.2 × {d['serial_wall']:.2f} ÷ {CORES} = {bound:.2f} s (target ≤)",
                    )
                )
            if peer is not None:
                lines.append(
                    _line(
                        cold["wall"] < peer["wall"],
                        f"{tag}: cold {cold['wall']:.2f} s vs peer stack (MkDocs) {peer['wall']:.2f} s "
                        f"(peer ÷ cold = {peer['wall'] / cold['wall']:.2f}; CPU {cold['cpu']:.1f} vs "
                        f"{peer['cpu']:.1f} s) (target: cold faster)",
                    )
                )
            worst = max(cold["peak_mib"], warm["peak_mib"])
            lines.append(
                _line(
                    worst <= TARGETS["memory"] * plain["peak_mib"],
                    f"{tag}: peak memory (process tree) {worst:.0f} MiB = {worst / plain['peak_mib']:.2f}× plain "
                    f"({plain['peak_mib']:.0f} MiB) (target ≤ {TARGETS['memory']}×)",
                )
            )
            if cold["pages"] != warm["pages"]:
                lines.append(_line(False, f"{tag}: cold wrote {cold['pages']} pages, warm {warm['pages']}"))
    lines += scaling(results)
    if linker is not None:
        flat = linker["T1000_ms_per_kword"] / linker["T30_ms_per_kword"]
        lines.append(
            _line(
                flat <= TARGETS["linker_flat"],
                f"linker flat in T: {linker['T30_ms_per_kword']:.2f} ms/1,000 words at T=30, "
                f"{linker['T1000_ms_per_kword']:.2f} at T=1000 = {flat:.2f}× (target ≤ {TARGETS['linker_flat']}×)",
            )
        )
        by = linker["by_length_ms_per_kword"]
        slope = by[8] / by[1]
        shown = ", ".join(f"{k}×: {v:.2f}" for k, v in by.items())
        lines.append(
            _line(
                slope <= TARGETS["linker_linear"],
                f"linker linear in text: ms/1,000 words by page length {shown} → 8× page costs {slope:.2f}× "
                f"per word (target ≤ {TARGETS['linker_linear']}×)",
            )
        )
    if serve is not None:
        from serve_reload import summarise

        lines += summarise(serve)
    return lines


def scaling(results: dict) -> list[tuple[bool, str]]:
    """Cost per page from medium to xlarge: ours flat, and our overhead over plain flat."""
    lines: list[tuple[bool, str]] = []
    if "medium" not in results or "xlarge" not in results:
        return lines
    limit = TARGETS["scaling"]
    for host in HOSTS:
        med, big = results["medium"].get(host), results["xlarge"].get(host)
        if med is None or big is None:
            continue
        ours = big["warm"]["ms_per_page"] / med["warm"]["ms_per_page"]
        cpu = big["warm"]["cpu_ms_per_page"] / med["warm"]["cpu_ms_per_page"]
        plain = big["plain"]["ms_per_page"] / med["plain"]["ms_per_page"]
        lines.append(
            _line(
                ours <= limit,
                f"{host} scaling: warm ms/page xlarge ÷ medium = {big['warm']['ms_per_page']:.1f} ÷ "
                f"{med['warm']['ms_per_page']:.1f} = {ours:.2f}× (CPU {cpu:.2f}×; plain's own: {plain:.2f}×) "
                f"(target: flat, ≤ {limit}×)",
            )
        )
        rel = ours / plain
        lines.append(
            _line(
                rel <= limit,
                f"{host} scaling of our overhead: (warm ÷ plain per page) xlarge ÷ medium = {rel:.2f}× "
                f"(target: flat, ≤ {limit}×)",
            )
        )
    return lines


def markdown(payload: dict) -> str:
    """The results as Markdown tables, for ``RESULTS.md`` (``--report FILE --markdown``)."""
    out: list[str] = []
    for size, res in payload["results"].items():
        pages, pathways, terms = SIZES[size]
        out += [
            f"### {size}: P = {pages}, N = {pathways}, T = {terms}",
            "",
            "| host | build | wall s | CPU s | peak MiB (tree) | pages | ms/page | ms/page ÷ plain"
            " | CPU/page ÷ plain | mem ÷ plain | load |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for host in HOSTS:
            builds = res.get(host)
            if builds is None:
                continue
            for name in BUILDS[host]:
                if name not in builds:
                    continue
                r = builds[name]
                base = builds["plain-inc"] if name == "warm-inc" else builds["plain"]
                out.append(
                    f"| {host} | {name} | {r['wall']:.2f} | {r['cpu']:.2f} | {r['peak_mib']:.0f} | {r['pages']}"
                    f" | {r['ms_per_page']:.1f} | {r['ms_per_page'] / base['ms_per_page']:.2f}"
                    f" | {r['cpu_ms_per_page'] / base['cpu_ms_per_page']:.2f}"
                    f" | {r['peak_mib'] / base['peak_mib']:.2f} | {r['loads'][0]} |"
                )
        d = res.get("dot")
        graphviz = (
            f"Graphviz: {d['graphs']} graphs, {d['serial_wall']:.2f} s serial ({d['serial_calls']} `dot` runs), "
            f"{d['parallel_wall']:.2f} s on {CORES} cores."
            if d
            else f"Graphviz alone: not measured ({res.get('dot_error', 'missing')})."
        )
        out += ["", graphviz, ""]
    serve = payload.get("serve")
    if serve:
        out += [
            "### Serve reload",
            "",
            "| server | site | edit | n | median s | worst s | host's rebuild s | plain build s | worst ÷ plain"
            " | pages rewritten |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for key, r in serve.items():
            host, site = key.split("/")
            if r.get("error"):
                out.append(f"| {host} | {site} | — | — | error: {r['error'][:80]} | | | | |")
                continue
            plain = r["plain"]["wall"]
            for kind, e in r["edits"].items():
                times = [t for t in e["times"] if t is not None]
                builds = [b for b in e["builds"] if b is not None]
                if not times or len(times) < len(e["times"]):
                    out.append(
                        f"| {host} | {site} | {kind} | {len(e['times'])} | not always visible | | | | |"
                    )
                    continue
                rebuild = f"{statistics.median(builds):.2f}" if builds else "—"
                rewritten = e.get("rewritten") or []
                pages = f"{statistics.median(rewritten):.0f} of {r.get('pages', 0)}" if rewritten else "?"
                out.append(
                    f"| {host} | {site} | {kind} | {len(times)} | {statistics.median(times):.2f} | {max(times):.2f}"
                    f" | {rebuild} | {plain:.2f} | {max(times) / plain:.2f} | {pages} |"
                )
        out.append("")
    out += ["### Targets", ""]
    out += [f"* {'met' if t['met'] else '**MISSED**'} — {t['line']}" for t in payload["targets"]]
    return "\n".join(out) + "\n"
