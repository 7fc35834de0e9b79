"""The legibility rule: layouts chosen by measuring Graphviz's output, cells as containers, folding."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers_core import pathway, problems_of, run_dot
from mkdocs_mechanisms.compare import compare
from mkdocs_mechanisms.load import check_pathway_refs, load_pathway
from mkdocs_mechanisms.render.dot import to_dot
from mkdocs_mechanisms.render.graph import (
    comparison_graph,
    fold_dead_ends,
    lower_first,
    pathway_graph,
    step_sentence,
)
from mkdocs_mechanisms.render.layout import NARROW, PHONE, WIDE, Measure, legible, measure
from mkdocs_mechanisms.render.runner import GraphvizRunner

REPO = Path(__file__).resolve().parents[1]
RUNNER = GraphvizRunner(None)

CELLS = """
id: cells
title: Cells
regions:
  ctx: {label: Cortex}
nodes:
  drug: {label: Drug, kind: drug}
  cell: {label: Interneuron, kind: cell, region: ctx}
  rec: {label: Receptor, kind: receptor, "on": cell}
  gaba: {label: GABA, kind: transmitter, region: ctx}
  pyr: {label: Pyramidal neuron, kind: cell, region: ctx}
edges:
  - {from: drug, to: rec, rel: blocks}
  - {from: cell, to: gaba, rel: releases}
  - {from: gaba, to: pyr, rel: inhibits}
"""


def test_a_cell_with_receptors_on_it_is_a_container_and_an_edge_end() -> None:
    p = pathway(CELLS)
    graph = pathway_graph(p, {})
    cell = next(n for n in graph.nodes if n.id == "cell")
    assert cell.holds and next(n for n in graph.nodes if n.id == "rec").container == "cell"
    dot = to_dot(graph)
    assert re.search(r"subgraph cluster_cell0 \{\s*graph \[id=\"n-cell\"", dot), dot
    assert "compound=true" in dot
    assert "ltail=cluster_cell0" in dot  # the interneuron releases GABA from its border
    svg = run_dot(dot)
    assert svg.returncode == 0 and b"Warning" not in svg.stderr, svg.stderr
    assert 'class="cluster mechanisms-node mechanisms-cell kind-cell"' in svg.stdout.decode().replace(
        "&#45;", "-"
    )
    # The walkthrough says where the receptor is, once.
    assert step_sentence(p, p.edges[0], {}) == "Drug blocks receptor on interneuron"
    assert step_sentence(p, p.edges[2], {}) == "GABA inhibits pyramidal neuron"


def test_on_may_still_name_a_glossary_term_and_gets_one_container_per_region() -> None:
    p = pathway(
        """
title: T
regions: {a: {label: A}, b: {label: B}}
nodes:
  r1: {label: NMDA receptor, kind: receptor, "on": interneuron, region: a}
  r2: {label: NMDA receptor, kind: receptor, "on": interneuron, region: b}
edges: [{from: r1, to: r2, rel: activates}]
"""
    )
    graph = pathway_graph(p, {})
    holders = [n for n in graph.nodes if n.holds]
    assert [(n.id, n.region) for n in holders] == [
        ("cell-interneuron-in-a", "a"),
        ("cell-interneuron-in-b", "b"),
    ]
    names = [n.name for n in graph.nodes if n.kind == "receptor"]
    assert len(set(names)) == 2, names  # screen readers can tell the two receptors apart
    assert check_pathway_refs(p, terms={"interneuron"}, citations=None) == []


def test_on_naming_a_node_that_is_not_a_cell_is_one_clear_problem() -> None:
    text = CELLS.replace('"on": cell', '"on": gaba')
    assert problems_of(f"---\n{text.strip()}\n---\n") == [
        "diagrams/k.md:9: nodes.rec.on: 'on: gaba' names a node of kind 'transmitter', not a cell "
        "(name a node with 'kind: cell', or a glossary term)"
    ]


def test_short_name_is_read_and_defaults_to_the_title() -> None:
    assert pathway(CELLS + "short: Cells in brief\n").name == "Cells in brief"
    assert pathway(CELLS).name == "Cells"


def test_lower_first_keeps_acronyms() -> None:
    assert [lower_first(x) for x in ("Pyramidal neuron", "GABA", "NMDA receptor", "GABAergic cell")] == [
        "pyramidal neuron",
        "GABA",
        "NMDA receptor",
        "GABAergic cell",
    ]


FAN = """
title: Fan
nodes:
  src: {label: Psilocin, kind: drug}
  a: {label: 5-HT2C receptor, kind: receptor}
  b: {label: 5-HT1A receptor, kind: receptor}
  c: {label: 5-HT1B receptor, kind: receptor}
  d: {label: Glutamate, kind: transmitter}
edges:
  - {from: src, to: a, rel: binds}
  - {from: src, to: b, rel: binds}
  - {from: src, to: c, rel: binds}
  - {from: src, to: d, rel: binds}
"""


def test_folding_joins_a_fan_of_dead_ends_and_keeps_what_it_stands_for() -> None:
    graph = fold_dead_ends(pathway_graph(pathway(FAN), {}))
    fold = next(n for n in graph.nodes if n.parts)
    assert [label for label, _ in fold.parts] == ["5-HT2C receptor", "5-HT1A receptor", "5-HT1B receptor"]
    assert {"also-n-a", "also-n-b", "also-n-c"} <= set(fold.classes)
    assert [n.id for n in graph.nodes] == ["src", "fold-a", "d"]  # d is another kind: not folded
    edge = next(e for e in graph.edges if e.target == "fold-a")
    assert edge.attrs["label"] == "1, 2, 3" and {"also-e2", "also-e3"} <= set(edge.classes)
    svg = run_dot(to_dot(graph))
    assert svg.returncode == 0, svg.stderr


def test_side_branches_sit_beside_their_source_one_on_each_side() -> None:
    graph = pathway_graph(
        pathway(
            FAN.replace(
                "  - {from: src, to: d, rel: binds}",
                "  - {from: src, to: d, rel: inhibits}\n  - {from: d, to: a, rel: binds}",
            )
        ),
        {},
    )
    dot = to_dot(graph, side=True)
    # d leads on, a has two edges in: only b and c are dead ends, one left and one right of Psilocin
    assert "{ rank=same; n2; n0; n3; }" in dot, dot
    left = next(line for line in dot.splitlines() if 'id="e2"' in line)
    assert left.startswith("  n2 -> n0 [") and "dir=back, arrowtail=empty" in left  # still drawn into b
    assert next(line for line in dot.splitlines() if 'id="e3"' in line).startswith("  n0 -> n3 [")
    assert "rank=same" not in to_dot(graph)
    svg = run_dot(dot)
    assert svg.returncode == 0 and b"Warning" not in svg.stderr, svg.stderr
    wide, beside = (measure(RUNNER.render("fan", to_dot(graph, side=s))) for s in (False, True))
    assert beside.width_pt < wide.width_pt  # the fan no longer widens the rank below


def test_measure_reads_natural_size_and_smallest_texts() -> None:
    svg = RUNNER.render("cells", to_dot(pathway_graph(pathway(CELLS), {})))
    m = measure(svg)
    assert m.width_pt > 50 and m.height_pt > 50
    assert m.label_pt == 11 and m.text_pt == 10  # node labels, and the edge step numbers


def test_rule_arithmetic() -> None:
    m = Measure(width_pt=600, height_pt=300, label_pt=11, text_pt=10)
    assert m.scale(WIDE) == pytest.approx(680 / 800)
    assert m.label_px(WIDE) == pytest.approx(11 * 4 / 3 * 680 / 800)
    assert m.meets(WIDE) and not m.meets(PHONE)
    assert Measure(200, 100, 11, 10).scale(WIDE) == 1  # never enlarged


def test_every_article_figure_meets_the_rule_wide_and_on_phones() -> None:
    """The article's pathways and their overlay, laid out by the rule: legible at 680 px, and at 350 px (phone view)."""
    from mkdocs_mechanisms.sources import load_sources

    sources = load_sources(
        REPO, sorted((REPO / "diagrams").glob("*.md")), sorted((REPO / "docs/glossary").glob("*.md")), None
    )
    graphs = {pid: pathway_graph(p, sources.terms) for pid, p in sources.pathways.items()}
    pair = [sources.pathways["ketamine-glutamate-surge"], sources.pathways["psilocybin-glutamate-surge"]]
    graphs["overlay"] = comparison_graph(compare(pair), sources.terms)
    layouts = legible(graphs, RUNNER.render_many)
    assert not layouts.problems
    for pid in graphs:
        assert layouts.measures[pid].meets(WIDE), (pid, layouts.measures[pid])
        phone = layouts.measures.get(pid + NARROW, layouts.measures[pid])
        assert phone.meets(PHONE), (pid, phone)


def test_the_redrawn_ketamine_figure_says_what_the_article_says() -> None:
    text = (REPO / "diagrams/ketamine-glutamate-surge.md").read_text(encoding="utf-8")
    p = load_pathway(text, "diagrams/ketamine-glutamate-surge.md")
    sentences = [step_sentence(p, e, {}) for e in p.edges]
    assert sentences[:4] == [
        "Ketamine blocks NMDA receptor on GABAergic interneuron",
        "GABAergic interneuron releases GABA",
        "GABA inhibits glutamatergic neuron",
        "Glutamatergic neuron releases glutamate",
    ]
    assert all(p.nodes[e.source].kind != "receptor" or e.rel != "releases" for e in p.edges)
