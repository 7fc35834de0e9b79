"""The legibility rule: layouts chosen by measuring Graphviz's output, cells as containers, folding."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from helpers_core import pathway, problems_of, run_dot
from mkdocs_mechanisms.compare import compare
from mkdocs_mechanisms.load import check_pathway_refs, load_pathway
from mkdocs_mechanisms.render.dot import to_dot
from mkdocs_mechanisms.render.graph import (
    DrawGraph,
    comparison_graph,
    fold_dead_ends,
    pathway_graph,
)
from mkdocs_mechanisms.render.layout import (
    NARROW,
    PHONE,
    PT_TO_PX,
    SPAN,
    WIDE,
    WIDE_HEIGHT_PX,
    Layouts,
    Measure,
    legible,
    measure,
    min_height_px,
)
from mkdocs_mechanisms.render.runner import GraphvizRunner
from mkdocs_mechanisms.wording import step_sentence

REPO = Path(__file__).resolve().parents[1]
RUNNER = GraphvizRunner(None)
"""Shared by this module's tests; each test starts its own Graphviz time budget (a build's budget
is 30 s in all, and the module's tests may run minutes apart on a busy worker)."""


@pytest.fixture(autouse=True)
def _fresh_graphviz_budget() -> None:
    RUNNER.begin()


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
        ("cell_interneuron_in_a", "a"),
        ("cell_interneuron_in_b", "b"),
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


def test_folding_keeps_each_steps_certainty_and_never_mixes_them() -> None:
    text = FAN.replace("rel: binds}", "rel: binds, certainty: proposed}", 3).replace(
        "  d: {label: Glutamate, kind: transmitter}", "  d: {label: 5-HT2B receptor, kind: receptor}"
    )
    graph = fold_dead_ends(pathway_graph(pathway(text), {}))
    edge = next(e for e in graph.edges if e.target == "fold-a")
    assert edge.attrs["label"] == "1?, 2?, 3?" and edge.certainty == "proposed"
    assert [n.id for n in graph.nodes] == ["src", "fold-a", "d"]  # the established one is not folded in


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


@pytest.fixture(scope="module")
def article() -> tuple[dict[str, DrawGraph], Layouts]:
    """The article's pathways and their overlay, laid out by the rule (once for this module)."""
    from mkdocs_mechanisms.sources import load_sources

    sources = load_sources(
        REPO, sorted((REPO / "diagrams").glob("*.md")), sorted((REPO / "docs/glossary").glob("*.md")), None
    )
    graphs = {pid: pathway_graph(p, sources.terms) for pid, p in sources.pathways.items()}
    pair = [sources.pathways["ketamine-glutamate-surge"], sources.pathways["psilocybin-glutamate-surge"]]
    graphs["overlay"] = comparison_graph(compare(pair), sources.terms)
    return graphs, legible(graphs, RUNNER.render_many)


def test_every_article_figure_meets_the_rule_wide_and_on_phones(article) -> None:
    """Legible at 680 px, and at 335 px (phone view), the overlay included."""
    graphs, layouts = article
    assert not layouts.problems
    for pid in graphs:
        rule = SPAN if graphs[pid].panels else WIDE  # the overlay's panels may span into the margin
        assert layouts.measures[pid].meets(rule), (pid, layouts.measures[pid])
        shown = layouts.measures[pid]
        assert shown.height_pt * PT_TO_PX * shown.scale(rule) <= WIDE_HEIGHT_PX + 0.5  # a laptop's window
        phone = layouts.measures.get(pid + NARROW, layouts.measures[pid])
        assert phone.meets(PHONE), (pid, phone)


def test_drawing_a_round_in_chunks_and_handing_on_kept_svgs_changes_no_layout(article) -> None:
    """A round handed to Graphviz a graph at a time, each kept SVG handed on as it is chosen (a
    cold build's memory): the same layouts as one batch per round (drawings come from the cache)."""
    graphs, layouts = article
    kept: dict[str, str] = {}
    again = legible(graphs, RUNNER.render_many, chunk=1, keep=kept.__setitem__)
    assert again.dots == layouts.dots and again.measures == layouts.measures and not again.svgs
    assert kept == {layouts.dots[name]: svg for name, svg in layouts.svgs.items()}


_SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
Box = tuple[float, float, float, float]


def _shape_box(shape: ET.Element) -> Box:
    if shape.tag == _SVG + "ellipse":
        cx, cy, rx, ry = (float(shape.get(k, "0")) for k in ("cx", "cy", "rx", "ry"))
        return cx - rx, cy - ry, cx + rx, cy + ry
    numbers = [float(n) for n in _NUMBER.findall(shape.get("points") or shape.get("d") or "")]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def outlines(svg: str) -> dict[str, dict[str, Box]]:
    """Bounding box of every node's and every cluster's (region's, cell's) outline, by class and id."""
    found: dict[str, dict[str, Box]] = {"node": {}, "cluster": {}}
    for group in ET.fromstring(svg).iter(_SVG + "g"):
        kind = (group.get("class") or "").split()[:1]
        shapes = [s for s in group.iter() if s.tag in {_SVG + t for t in ("ellipse", "polygon", "path")}]
        if kind and kind[0] in found and shapes:
            boxes = [_shape_box(s) for s in shapes]
            found[kind[0]][group.get("id", "")] = (
                min(b[0] for b in boxes),
                min(b[1] for b in boxes),
                max(b[2] for b in boxes),
                max(b[3] for b in boxes),
            )
    return found


def test_no_node_sits_on_a_region_or_cell_border(article) -> None:
    """Each node's outline is inside or outside each cluster's, 4 pt clear of its border, in every layout."""
    _, layouts = article
    clear = 4.0
    problems, checked = [], 0
    for name, svg in layouts.svgs.items():
        shapes = outlines(svg)
        assert shapes["node"], name
        checked += len(shapes["cluster"])
        for node, (x0, y0, x1, y1) in shapes["node"].items():
            for cluster, (c0, d0, c1, d1) in shapes["cluster"].items():
                inside = x0 >= c0 + clear and y0 >= d0 + clear and x1 <= c1 - clear and y1 <= d1 - clear
                outside = x1 <= c0 - clear or x0 >= c1 + clear or y1 <= d0 - clear or y0 >= d1 + clear
                if not (inside or outside):
                    problems.append(f"{name}: {node} on the border of {cluster}")
    assert checked > 10 and not problems, "\n".join(problems)


def test_the_redrawn_ketamine_figure_says_what_the_article_says() -> None:
    text = (REPO / "diagrams/ketamine-glutamate-surge.md").read_text(encoding="utf-8")
    p = load_pathway(text, "diagrams/ketamine-glutamate-surge.md")
    sentences = [step_sentence(p, e, {}) for e in p.edges]
    assert sentences[:4] == [
        "Ketamine is thought to block NMDA receptor on GABAergic interneuron",
        "GABAergic interneuron releases GABA",
        "GABA inhibits glutamatergic neuron",
        "Glutamatergic neuron is thought to release glutamate",
    ]
    assert all(p.nodes[e.source].kind != "receptor" or e.rel != "releases" for e in p.edges)


def test_the_height_of_a_laptop_window_is_a_constraint_of_the_layout_search() -> None:
    """A tall figure is scaled to the window's height, so it must be legible at that height."""
    tall = Measure(width_pt=300, height_pt=900, label_pt=11, text_pt=10)  # 400 × 1200 px
    assert tall.scale(WIDE) == pytest.approx(WIDE_HEIGHT_PX / 1200)
    assert not tall.meets(WIDE)  # labels at 14.7 × 0.67 = 9.8 px
    assert tall.meets(PHONE)  # phones scroll the page: no height limit
    low = Measure(width_pt=450, height_pt=540, label_pt=11, text_pt=10)  # 600 × 720 px
    assert low.scale(WIDE) == 1 and low.meets(WIDE)


def test_the_page_never_shrinks_a_figure_below_12_px_labels() -> None:
    svg = run_dot(to_dot(DrawGraph("t", [], []))).stdout.decode()
    assert min_height_px(svg) >= 0
    text = '<svg viewBox="0 0 300 600"><g id="a" class="node"><text font-size="11.00">x</text></g></svg>'
    assert min_height_px(text) == pytest.approx(800 * 12 / (11 * PT_TO_PX))
