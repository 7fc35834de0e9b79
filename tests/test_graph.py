"""The drawing-level graph every figure becomes: names, tooltips, comparison overlay, neighbourhoods."""

from __future__ import annotations

import re
from pathlib import Path

from helpers_core import pathway
from mkdocs_mechanisms.compare import compare
from mkdocs_mechanisms.model import Term
from mkdocs_mechanisms.render.graph import (
    COMPARE_STYLES,
    ONLY_EDGE_WIDTH,
    SHARED_EDGE_WIDTH,
    comparison_graph,
    neighbourhood_graph,
    pathway_graph,
    side_letter,
)
from mkdocs_mechanisms.wording import cell_name

TERMS = {
    "drug-x": Term("drug-x", "Drug X", "drug", "A test drug."),
    "receptor-y": Term("receptor-y", "Receptor Y", "receptor", "A test receptor."),
    "pyramidal-neuron": Term("pyramidal-neuron", "Pyramidal neuron", "cell", "A cortical cell."),
}

ONE = """
id: one
title: Drug X blocks receptor Y
short: One
regions:
  pfc: {label: Prefrontal cortex}
  hip: {label: Hippocampus}
nodes:
  drug: {label: Drug X, kind: drug, term: drug-x}
  rec: {label: Receptor Y, kind: receptor, term: receptor-y, region: pfc}
  rec2: {label: Receptor Y, kind: receptor, region: hip}
  calm: {label: Calm, kind: outcome, note: Less anxiety.}
edges:
  - {from: drug, to: rec, rel: blocks, note: At low doses.}
  - {from: drug, to: rec2, rel: blocks}
  - {from: rec, to: calm, rel: leads-to}
"""

TWO = """
id: two
title: Drug X calms another way
short: Two
nodes:
  x: {label: Drug X, kind: drug, term: drug-x}
  y: {label: Receptor Y, kind: receptor, term: receptor-y}
  sleep: {label: Sleep, kind: outcome}
edges:
  - {from: x, to: y, rel: blocks}
  - {from: y, to: sleep, rel: leads-to}
"""
ONE_ON_CELL = ONE.replace("region: pfc}", 'region: pfc, "on": pyramidal-neuron}')


def test_the_pathway_graph_numbers_steps_and_names_every_node_once() -> None:
    graph = pathway_graph(pathway(ONE_ON_CELL, "diagrams/one.md"), TERMS)
    assert graph.title == "Drug X blocks receptor Y" and graph.description == "Caption."
    assert [(e.id, e.step) for e in graph.edges] == [("e1", 1), ("e2", 2), ("e3", 3)]
    assert graph.edges[0].tooltip == "Step 1: Drug X blocks receptor Y on pyramidal neuron. At low doses."
    by_id = {n.id: n for n in graph.nodes}
    # the cell named by `on:` is drawn as a container for its region, linked to its term
    cell = by_id["cell_pyramidal-neuron_in_pfc"]
    assert cell.holds and cell.term == "pyramidal-neuron" and by_id["rec"].container == cell.id
    # two nodes with one label get names that tell them apart (the cell, else the region)
    assert by_id["rec"].name == "Receptor Y on pyramidal neuron"
    assert by_id["rec2"].name == "Receptor Y"
    names = [n.name for n in graph.nodes]
    assert len(names) == len(set(names))
    assert by_id["rec2"].term is None and by_id["calm"].tooltip == "Calm (outcome): Less anxiety."


def test_same_labels_in_different_regions_are_named_by_region() -> None:
    by_id = {n.id: n for n in pathway_graph(pathway(ONE, "diagrams/one.md"), TERMS).nodes}
    assert (by_id["rec"].name, by_id["rec2"].name) == (
        "Receptor Y, prefrontal cortex",
        "Receptor Y, hippocampus",
    )


def test_a_term_that_is_not_in_the_glossary_is_not_linked() -> None:
    graph = pathway_graph(pathway(ONE_ON_CELL, "diagrams/one.md"), {})
    assert all(n.term is None for n in graph.nodes)
    assert cell_name("pyramidal-neuron", {}) == "pyramidal neuron"
    assert cell_name("pyramidal-neuron", TERMS) == "pyramidal neuron"


def test_the_comparison_draws_shared_parts_once_and_each_sides_own_part_in_its_style() -> None:
    one, two = pathway(ONE, "diagrams/one.md"), pathway(TWO, "diagrams/two.md")
    graph = comparison_graph(compare([one, two]), TERMS)
    assert graph.title == "One and Two"  # the figure's label already says "compared"
    by_id = {n.id: n for n in graph.nodes}
    assert {"s-drug", "s-rec"} <= set(by_id)  # drug X and receptor Y are the same entities
    shared = [e for e in graph.edges if "shared" in e.classes]
    assert [(e.source, e.target, e.rel) for e in shared] == [("s-drug", "s-rec", "blocks")]
    assert shared[0].attrs == {"style": "solid", "penwidth": SHARED_EDGE_WIDTH}
    only_a = [e for e in graph.edges if "only-a" in e.classes]
    only_b = [e for e in graph.edges if "only-b" in e.classes]
    assert {e.target for e in only_b} == {"b-sleep"} and "pathway-two" in only_b[0].classes
    assert all(e.attrs["color"] == COMPARE_STYLES[0][0] for e in only_a)
    assert all(
        e.attrs == {"color": COMPARE_STYLES[1][0], "style": "dashed", "penwidth": ONLY_EDGE_WIDTH}
        for e in only_b
    )
    assert only_b[0].tooltip == "Receptor Y leads to sleep (only in Two)"
    assert by_id["b-sleep"].band == "only-b" and by_id["s-drug"].band == "~shared"
    assert [e.id for e in graph.edges] == [f"e{i}" for i in range(1, len(graph.edges) + 1)]
    # Each side's own part is a panel named by its short name; its regions nest inside it
    # (so the two "Receptor Y" of One read apart), and the shared part is in no panel.
    assert graph.panels == {"panel-a": "a", "panel-b": "b"}
    assert [graph.regions[p].label for p in graph.panels] == ["One", "Two"]
    assert graph.regions["a-hip"].parent == "panel-a" and graph.regions["a-hip"].label == "Hippocampus"
    assert by_id["a-rec2"].region == "a-hip" and by_id["b-sleep"].region == "panel-b"
    assert by_id["s-drug"].region is None and by_id["s-rec"].region is None
    assert by_id["a-rec2"].name == "Receptor Y, hippocampus"  # told apart from the shared Receptor Y


def test_compared_sides_are_lettered_in_order() -> None:
    assert [side_letter(i) for i in (0, 1, 25, 26)] == ["a", "b", "z", "a"]


def test_a_neighbourhood_merges_every_edge_touching_the_term_across_pathways() -> None:
    one, two = pathway(ONE, "diagrams/one.md"), pathway(TWO, "diagrams/two.md")
    graph = neighbourhood_graph("receptor-y", [one, two], TERMS)
    assert graph is not None
    assert graph.title == "Where Receptor Y acts"
    assert graph.description == "Every interaction involving Receptor Y across this site's pathways."
    tips = [e.tooltip for e in graph.edges]
    assert tips == [
        "Drug X blocks Receptor Y (in Drug X blocks receptor Y)",
        "Receptor Y leads to Calm (in Drug X blocks receptor Y)",
        "Receptor Y leads to Sleep (in Drug X calms another way)",
    ]  # drug X blocks receptor Y in both pathways: drawn once
    focus = [n for n in graph.nodes if "focus" in n.classes]
    assert [n.label for n in focus] == ["Receptor Y"] and focus[0].attrs == {"penwidth": "2.6"}
    on_cell = neighbourhood_graph("receptor-y", [pathway(ONE_ON_CELL, "diagrams/one.md")], TERMS)
    assert on_cell is not None
    assert [n.sublabel for n in on_cell.nodes if "focus" in n.classes] == ["on pyramidal neuron"]
    assert all(re.fullmatch(r"x-[0-9a-f]{10}", n.id) for n in graph.nodes)  # ids safe in any document


def test_a_term_on_no_edge_has_no_neighbourhood() -> None:
    assert neighbourhood_graph("pyramidal-neuron", [pathway(TWO, "diagrams/two.md")], TERMS) is None
    assert neighbourhood_graph("drug-x", [], TERMS) is None


def test_the_overlay_draws_membership_by_line_and_relation_by_arrowhead_only() -> None:
    """The article's comparison, from the SVG: stroke widths and dashes by membership, never by relation."""
    from mkdocs_mechanisms.load import load_pathway
    from mkdocs_mechanisms.render.dot import to_dot
    from mkdocs_mechanisms.render.runner import GraphvizRunner

    repo = Path(__file__).resolve().parents[1]
    ids = ("ketamine-glutamate-surge", "psilocybin-glutamate-surge")
    sides = [
        load_pathway((repo / f"diagrams/{i}.md").read_text(encoding="utf-8"), f"diagrams/{i}.md") for i in ids
    ]
    graph = comparison_graph(compare(sides), {})
    assert graph.title == "Ketamine and Psilocybin"  # the short names
    svg = GraphvizRunner(None).render("cmp", to_dot(graph)).replace("&#45;", "-")
    edges = re.findall(
        r'<g id="(e\d+)" class="edge mechanisms-edge rel-([a-z-]+) ([^"]*)">(.*?)</g>', svg, re.S
    )
    seen: dict[str, set[tuple[str, str]]] = {}
    for _, rel, classes, body in edges:
        member = classes.split()[0]
        path = re.search(r"<path[^>]*>", body).group(0)
        width = re.search(r'stroke-width="([\d.]+)"', path)
        dash = re.search(r'stroke-dasharray="([^"]+)"', path)
        seen.setdefault(member, set()).add((width.group(1) if width else "1", dash.group(1) if dash else ""))
        if rel in ("releases", "blocks", "converts"):  # dashed, bold or dotted in a pathway's own figure
            assert (width.group(1) if width else "1") in ("3.6", "2.2"), (rel, member, path)
    assert seen["shared"] == {("3.6", "")}, seen  # heavy and solid
    assert seen["only-a"] == seen["only-b"] == {("2.2", "5,2")}, (
        seen
    )  # equally heavy, dashed (CSS sets patterns)
