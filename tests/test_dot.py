"""DOT writing: every author string escaped, Graphviz shows it literally, styles per relation, legends."""

from __future__ import annotations

import html
import re

import pytest
from helpers_core import run_dot, squash, svg_is_inert, svg_text
from mkdocs_mechanisms.model import RELATIONS, Region
from mkdocs_mechanisms.render.dot import to_dot
from mkdocs_mechanisms.render.graph import DrawEdge, DrawGraph, DrawNode

HOSTILE = {
    "quotes": "say \"hi\" and 'bye'",
    "backslashes": "back\\slash \\\\ double \\",
    "escN": "\\N",
    "escG": "\\G",
    "escapes": "\\L \\l \\n \\r \\E \\T \\H \\",
    "braces": "{braces} [brackets] <angles> |pipes|",
    "script": "<script>alert(1)</script>",
    "onerror": '<img src=x onerror="alert(1)">',
    "onload": "x onload=alert(1) y",
    "newlines": "line one\nline two\r\nline three\ttabbed",
    "entities": "&amp; &lt;b&gt; &#45; &#x41; &nbsp;",
    "rtl": "مرحبا بالعالم \u202eevil\u202c עברית",
    "emoji": "🧠💊 brain ⚡️ 👩🏽‍🔬",
    "long": "Long " + "abcdefghij" * 50,
    "html-label": "<<B>bold</B>>",
    "dot-syntax": '"; } digraph x { a -> b [label="pwned"]; //',
    "comment": "<!-- comment --> ]]> <![CDATA[x]]>",
}


def expected_text(label: str, limit: int = 120) -> str:
    """What a label should read as: one line of text, cut to ``limit`` characters with "…"."""
    text = " ".join(label.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def hostile_graph(label: str) -> DrawGraph:
    regions = {"outer": Region("outer", label), "inner": Region("inner", label, parent="outer")}
    nodes = [
        DrawNode(
            id="a", label=label, kind="drug", sublabel=label, tooltip=label, region="inner", term="ketamine"
        ),
        DrawNode(id="b", label="Plain", kind="receptor", tooltip="", region="outer"),
    ]
    edges = [DrawEdge(id="e1", source="a", target="b", rel="blocks", step=1, tooltip=label)]
    return DrawGraph(title=label, nodes=nodes, edges=edges, regions=regions, description=label)


@pytest.mark.parametrize("label", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_labels_render_literally_and_inertly(label: str) -> None:
    dot = to_dot(hostile_graph(label))
    proc = run_dot(dot)
    assert proc.returncode == 0, proc.stderr.decode()
    svg = proc.stdout.decode("utf-8")
    assert svg_is_inert(svg) == []
    text = svg_text(svg)
    assert squash(expected_text(label)) in squash(text)
    assert "pwned" not in text or "pwned" in label
    assert "n0" not in text and "n1" not in text  # \N never becomes the node name
    assert "mechanisms" not in text  # \G never becomes the graph name


@pytest.mark.parametrize("label", list(HOSTILE.values()), ids=list(HOSTILE))
def test_hostile_tooltips_read_literally(label: str) -> None:
    svg = run_dot(to_dot(hostile_graph(label))).stdout.decode("utf-8")
    titles = [html.unescape(t) for t in re.findall(r'xlink:title="([^"]*)"', svg)]
    assert titles.count(expected_text(label, 400)) >= 4  # graph, regions, node and edge tooltips


def test_backslash_n_stays_backslash_n() -> None:
    svg = run_dot(to_dot(hostile_graph("\\N"))).stdout.decode("utf-8")
    lines = svg_text(svg).splitlines()
    assert lines.count("\\N") >= 3  # region label, node label, node sublabel (plus the inner region)
    assert 'xlink:href="mechanisms:glossary/ketamine" xlink:title="\\N"' in svg


def test_long_label_is_wrapped_and_truncated() -> None:
    label = "word " * 100
    svg = run_dot(to_dot(hostile_graph(label))).stdout.decode("utf-8")
    lines = svg_text(svg).splitlines()
    assert lines[:2] == [expected_text(label)] * 2  # region labels: one line, cut at 120 characters
    assert len(lines[0]) == 120 and lines[0].endswith("…")
    node_lines = [ln for ln in lines[2:] if ln.startswith("word")]
    assert len(node_lines) > 6 and max(len(ln) for ln in node_lines) <= 28  # wrapped
    assert sum(ln.endswith("…") for ln in node_lines) == 2  # label and sublabel are cut
    assert squash(expected_text(label)) in squash(svg_text(svg))


def test_node_names_are_generated_never_author_text() -> None:
    graph = DrawGraph(
        "T",
        [
            DrawNode(id='x" [label="evil"]; y', label="X", kind="drug"),
            DrawNode(id="y", label="Y", kind="cell"),
        ],
        [DrawEdge("e1", 'x" [label="evil"]; y', "y", "activates", 1)],
    )
    dot = to_dot(graph)
    assert "  n0 [" in dot and "  n1 [" in dot and "n0 -> n1" in dot
    proc = run_dot(dot)
    assert proc.returncode == 0
    assert "evil" not in svg_text(proc.stdout.decode())


def test_to_dot_is_deterministic_and_skips_dangling_edges() -> None:
    assert to_dot(hostile_graph("Same")) == to_dot(hostile_graph("Same"))
    graph = hostile_graph("Same")
    graph.edges.append(DrawEdge("e2", "a", "missing", "activates"))
    assert "missing" not in to_dot(graph)
    assert to_dot(graph).count("->") == 1


def test_node_link_kind_and_extra_attributes() -> None:
    graph = DrawGraph(
        "T",
        [
            DrawNode(
                "a",
                "A",
                "transporter",
                term="sert",
                classes=("shared",),
                attrs={"penwidth": "2.6", "color": "#b45309"},
            )
        ],
        [],
    )
    dot = to_dot(graph)
    assert 'URL="mechanisms:glossary/sert"' in dot
    assert 'class="mechanisms-node kind-transporter shared"' in dot
    assert "shape=hexagon" in dot and 'fillcolor="#e0e7ff"' in dot
    assert 'color="#b45309"' in dot and 'penwidth="2.6"' in dot
    assert 'fontname="DejaVu Sans"' in dot


def _cluster_tree(dot: str) -> dict[str, str | None]:
    """cluster name → enclosing cluster name, from the DOT text's brace nesting."""
    parents: dict[str, str | None] = {}
    stack: list[str | None] = [None]
    for line in dot.splitlines():
        match = re.match(r"\s*\{ subgraph (cluster_\d+) \{$", line)
        if match:
            parents[match.group(1)] = stack[-1]
            stack.append(match.group(1))
        elif line.strip() == "} }" and len(stack) > 1:
            stack.pop()
    return parents


def test_regions_nest_as_clusters() -> None:
    regions = {
        "brain": Region("brain", "Brain"),
        "pfc": Region("pfc", "Prefrontal cortex", "brain"),
        "layer-v": Region("layer-v", "Layer V", "pfc"),
        "hippocampus": Region("hippocampus", "Hippocampus", "brain"),
        "orphan": Region("orphan", "Orphan", "nowhere"),
    }
    nodes = [DrawNode(r, r.upper(), "cell", region=r) for r in regions] + [DrawNode("free", "Free", "cell")]
    dot = to_dot(DrawGraph("T", nodes, [], regions))
    assert _cluster_tree(dot) == {
        "cluster_0": None,
        "cluster_1": "cluster_0",
        "cluster_2": "cluster_1",
        "cluster_3": "cluster_0",
        "cluster_4": None,
    }
    proc = run_dot(dot)
    assert proc.returncode == 0
    svg = proc.stdout.decode()
    for rid in regions:
        assert re.search(
            rf'<g id="r&#45;{rid}" class="cluster mechanisms&#45;region">'.replace(
                "r&#45;layer-v", "r&#45;layer&#45;v"
            ),
            svg,
        )
    text = svg_text(svg)
    assert all(name in text for name in ("Brain", "Prefrontal cortex", "Layer V", "Hippocampus"))


@pytest.mark.parametrize("rel", list(RELATIONS))
def test_each_relation_has_its_style_and_arrowhead(rel: str) -> None:
    spec = RELATIONS[rel]
    graph = DrawGraph(
        "T",
        [DrawNode("a", "A", "drug"), DrawNode("b", "B", "receptor")],
        [DrawEdge("e1", "a", "b", rel, 1, "tip")],
    )
    dot = to_dot(graph)
    edge_line = next(line for line in dot.splitlines() if "->" in line)
    assert f'style="{spec.style}"' in edge_line
    assert f"arrowhead={spec.arrowhead}," in edge_line
    assert f"penwidth={spec.penwidth}," in edge_line
    assert f'class="mechanisms-edge rel-{rel}"' in edge_line
    proc = run_dot(dot)
    assert proc.returncode == 0
    assert proc.stderr == b"", proc.stderr.decode()  # an unknown arrowhead would only be a warning


def test_relations_are_told_apart_without_colour() -> None:
    drawn = {(r.style, r.arrowhead) for r in RELATIONS.values()}
    assert ("solid", "normal") in drawn and ("bold", "tee") in drawn
    assert len({r.drawn_as for r in RELATIONS.values()}) >= 10


def test_region_label_of_control_characters_renders() -> None:
    # Loading refuses such labels; the DOT writer still copes with any text it is given.
    graph = DrawGraph("T", [DrawNode("a", "A", "drug", region="r")], [], {"r": Region("r", "\x01")})
    proc = run_dot(to_dot(graph))
    assert proc.returncode == 0, proc.stderr.decode()


def test_blank_sublabel_renders() -> None:
    proc = run_dot(to_dot(DrawGraph("T", [DrawNode("a", "A", "drug", sublabel=" \x01 ")], [])))
    assert proc.returncode == 0, proc.stderr.decode()


def test_certainty_is_a_glyph_after_the_step_number_and_a_class() -> None:
    edges = [
        DrawEdge("e1", "a", "b", "blocks", step=1, certainty="established"),
        DrawEdge("e2", "b", "c", "blocks", step=2, certainty="proposed"),
        DrawEdge("e3", "c", "a", "leads-to", step=3, certainty="hypothesis"),
        DrawEdge("e4", "a", "c", "activates", certainty="proposed"),
        DrawEdge("e5", "c", "b", "activates"),
    ]
    nodes = [DrawNode(n, n.upper(), "protein") for n in "abc"]
    dot = to_dot(DrawGraph("T", nodes, edges))
    lines = {e.id: next(line for line in dot.splitlines() if f'id="{e.id}"' in line) for e in edges}
    assert 'label="1"' in lines["e1"] and 'label="2?"' in lines["e2"] and 'label="3??"' in lines["e3"]
    # unnumbered edges (comparisons) carry it in their class and words only: a lone "?" would crowd the overlay
    assert "label=" not in lines["e4"] and "label=" not in lines["e5"]
    assert "certainty-proposed" in lines["e4"]
    assert 'class="mechanisms-edge rel-blocks certainty-proposed"' in lines["e2"]
    # the relation keeps its own line and arrowhead whatever the certainty
    assert lines["e1"].count('style="bold", arrowhead=tee, penwidth=2.6') == 1
    assert lines["e2"].count('style="bold", arrowhead=tee, penwidth=2.6') == 1
    proc = run_dot(dot)
    assert proc.returncode == 0 and proc.stderr == b"", proc.stderr.decode()
    assert ">2?</text>" in proc.stdout.decode() and ">3??</text>" in proc.stdout.decode()
