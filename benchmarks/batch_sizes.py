"""Which ``GraphvizRunner`` batch size renders ~200 pathway diagrams fastest?

Generates a synthetic site with 200 pathways, takes the DOT our plugin makes
for each, and renders all of them without a cache with batch sizes 1, 4, 8,
16, 24 and 48 (on all cores, as the plugin does). The sizes are timed in
interleaved rounds; the fastest round of each counts. The runner's default is
48: the script says whether another size is clearly (≥ 10 %) faster.

    .venv/bin/python benchmarks/batch_sizes.py [--pathways 200] [--rounds 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

SIZES = (1, 4, 8, 16, 24, 48)
DEFAULT = 48
CLEARLY = 0.10


def pathway_dots(count: int) -> list[str]:
    from mkdocs_mechanisms.render.dot import to_dot
    from mkdocs_mechanisms.render.graph import pathway_graph
    from mkdocs_mechanisms.sources import load_sources

    root = generate(HERE / "out" / "batch-sizes", 1, count, 300, "plugin")
    docs = root / "docs"
    glossary = [p for p in (docs / "glossary").glob("*.md") if p.name != "index.md"]
    sources = load_sources(root, sorted((root / "diagrams").glob("*.md")), glossary, docs / "references.bib")
    if sources.problems:
        raise SystemExit("\n".join(map(str, sources.problems[:10])))
    return [to_dot(pathway_graph(p, sources.terms)) for p in sources.pathways.values()]


def measure(dots: list[str], rounds: int, workers: int | None = None) -> dict[int, dict]:
    from mkdocs_mechanisms.render.runner import GraphvizRunner

    named = {f"g{i}": dot for i, dot in enumerate(dots)}
    times: dict[int, list[float]] = {size: [] for size in SIZES}
    calls: dict[int, int] = {}
    for _ in range(rounds):
        for size in SIZES:
            runner = GraphvizRunner(None, batch_size=size, workers=workers)
            runner.version()  # `dot -V` once, outside the timing
            start = time.perf_counter()
            result = runner.render_many(named)
            times[size].append(time.perf_counter() - start)
            calls[size] = runner.calls
            if result.problems or len(result.svgs) != len(named):
                raise SystemExit(f"batch size {size}: {result.problems[:3]}")
    return {
        size: {"best": min(ts), "median": statistics.median(ts), "calls": calls[size], "runs": ts}
        for size, ts in times.items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="GraphvizRunner batch sizes on generated pathway DOT.")
    parser.add_argument("--pathways", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    dots = pathway_dots(args.pathways)
    workers = os.cpu_count() or 1
    print(f"{len(dots)} pathway graphs, {workers} workers, {args.rounds} interleaved rounds, no cache")
    results = measure(dots, args.rounds)
    print(f"  {'batch':>5} {'dot runs':>8} {'best s':>8} {'median s':>9} {'ms/graph':>9}")
    for size, r in results.items():
        print(
            f"  {size:5d} {r['calls']:8d} {r['best']:8.2f} {r['median']:9.2f} {1000 * r['best'] / len(dots):9.1f}"
        )
    fastest = min(results, key=lambda s: results[s]["best"])
    gain = 1 - results[fastest]["best"] / results[DEFAULT]["best"]
    print(f"fastest: batch size {fastest} ({results[fastest]['best']:.2f} s)")
    if fastest != DEFAULT and gain >= CLEARLY:
        print(
            f"batch size {fastest} is {100 * gain:.0f} % faster than the default {DEFAULT}: consider changing it"
        )
    else:
        print(
            f"the default {DEFAULT} is within {100 * CLEARLY:.0f} % of the fastest ({100 * gain:.1f} % gap)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
