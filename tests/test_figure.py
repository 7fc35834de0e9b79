"""Figure HTML: walkthrough steps that point into the embedded SVG, escaping, compare key and table."""

from __future__ import annotations

import re

from helpers_core import ids_of, pathway
from mkdocs_mechanisms.cite import placeholder
from mkdocs_mechanisms.compare import compare
from mkdocs_mechanisms.figure import (
    compare_key_html,
    compare_table_html,
    error_html,
    figure_html,
    legend_html,
    pathway_steps,
    term_link,
    walkthrough_html,
)
from mkdocs_mechanisms.model import Term
from mkdocs_mechanisms.render.dot import to_dot
from mkdocs_mechanisms.render.graph import comparison_graph, pathway_graph
from mkdocs_mechanisms.render.runner import GraphvizRunner
from mkdocs_mechanisms.render.svg import EmbedInfo, embed_svg

TERMS = {
    "glutamate": Term("glutamate", "Glutamate", "transmitter", 'Main "excitatory" <transmitter>.'),
    "ampa-receptor": Term("ampa-receptor", "AMPA receptor", "receptor", "Fast channel."),
    "pyramidal-neuron": Term("pyramidal-neuron", "Pyramidal neuron", "cell", "Principal cortical cell."),
}

PATHWAY = """\
id: surge
title: A <b>surge</b>
nodes:
  glu: {label: Glutamate, kind: transmitter, term: glutamate}
  ampa: {label: AMPA receptor, kind: receptor, term: ampa-receptor, on: pyramidal-neuron}
  signal: {label: 'Signal <script>x</script>', kind: process, on: some-cell}
edges:
  - {from: glu, to: ampa, rel: activates, cite: [a2020, b2021], note: Binds fast.}
  - {from: ampa, to: signal, rel: leads-to, note: 'Then <i>more</i> & more'}
"""


def resolve(target: str) -> str:
    return "../" + target + "/"


def test_pathway_steps_sentences() -> None:
    steps = pathway_steps(pathway(PATHWAY), TERMS, resolve)
    assert [(s.edge_id, s.source_id, s.target_id) for s in steps] == [
        ("e1", "glu", "ampa"),
        ("e2", "ampa", "signal"),
    ]
    first, second = (s.html for s in steps)
    assert first == (
        '<a class="mechanisms-term" href="../glossary/glutamate/" data-tip-title="Glutamate" '
        'data-tip-text="Main &quot;excitatory&quot; &lt;transmitter&gt;.">Glutamate</a> '
        '<em class="mechanisms-rel">activates</em> '
        '<a class="mechanisms-term" href="../glossary/ampa-receptor/" data-tip-title="AMPA receptor" '
        'data-tip-text="Fast channel.">AMPA receptor</a> on '
        '<a class="mechanisms-term" href="../glossary/pyramidal-neuron/" data-tip-title="Pyramidal neuron" '
        'data-tip-text="Principal cortical cell.">pyramidal neuron</a>'
        '. <span class="mechanisms-note">Binds fast.</span>' + placeholder(["a2020", "b2021"])
    )
    assert "<script>" not in second and "&lt;script&gt;x&lt;/script&gt;" in second
    assert "<i>" not in second and "Then &lt;i&gt;more&lt;/i&gt; &amp; more." in second
    assert second.endswith(
        ' on some cell. <span class="mechanisms-note">Then &lt;i&gt;more&lt;/i&gt; &amp; more.</span>'
    )


def test_term_link_without_term_is_escaped_text() -> None:
    assert term_link("<b>X</b>", None, TERMS, resolve) == "&lt;b&gt;X&lt;/b&gt;"
    assert term_link("X", "unknown", TERMS, resolve) == "X"


def test_walkthrough_items_point_at_prefixed_svg_ids() -> None:
    p = pathway(PATHWAY)
    fid = "fig-3"
    steps = pathway_steps(p, TERMS, resolve)
    walk = walkthrough_html(fid, steps, open_=False)
    items = re.findall(
        r'<li class="mechanisms-step" id="([^"]+)" data-edge="([^"]+)" data-source="([^"]+)" '
        r'data-target="([^"]+)" tabindex="0">',
        walk,
    )
    assert items == [
        ("fig-3-step-1", "fig-3-e1", "fig-3-n-glu", "fig-3-n-ampa"),
        ("fig-3-step-2", "fig-3-e2", "fig-3-n-ampa", "fig-3-n-signal"),
    ]
    assert walk.startswith('<details class="mechanisms-walkthrough" id="fig-3-steps">')
    assert "<summary>Step by step (2 steps)</summary>" in walk
    # every id a step points at exists in the SVG embedded under the same prefix
    raw = GraphvizRunner(None).render("surge", to_dot(pathway_graph(p, TERMS)))
    svg = embed_svg(raw, fid, resolve, EmbedInfo(p.title))
    svg_ids = set(ids_of(svg))
    for _, edge, source, target in items:
        assert {edge, source, target} <= svg_ids


def test_walkthrough_open_and_empty() -> None:
    steps = pathway_steps(pathway(PATHWAY), TERMS, resolve)
    assert walkthrough_html("f", steps, open_=True).startswith(
        '<details class="mechanisms-walkthrough" id="f-steps" open>'
    )
    assert walkthrough_html("f", [], open_=True) == ""


def test_figure_html_assembles_and_escapes() -> None:
    out = figure_html(
        fid="fig-1",
        svg="<svg></svg>",
        caption_html="<em>ok</em>",
        label="Figure 1 <x>",
        title='A "title" <b>',
        link="../pathways/a&b/",
        steps_html="<details></details>",
        legend="<details>L</details>",
        classes="mechanisms-compare",
        pathway_id='x"y',
    )
    assert out.startswith(
        '<figure class="mechanisms-figure mechanisms-compare" id="fig-1" data-pathway="x&quot;y">'
    )
    assert (
        '<div class="mechanisms-diagram" role="group" aria-labelledby="fig-1-caption" aria-describedby="fig-1-steps">'
        in out
    )
    assert '<span class="mechanisms-figure-label">Figure 1 &lt;x&gt;</span>' in out
    assert "<strong>A &quot;title&quot; &lt;b&gt;.</strong> <em>ok</em>" in out
    assert 'href="../pathways/a&amp;b/"' in out
    assert out.endswith("<details>L</details><details></details></figure>")


def test_figure_html_without_steps_or_link() -> None:
    out = figure_html(
        fid="f", svg="", caption_html="", label="", title="T", link=None, steps_html="", legend=""
    )
    assert "aria-describedby" not in out and "mechanisms-figure-link" not in out
    assert "mechanisms-figure-label" not in out


def test_legend_html_is_an_inline_key_of_exactly_the_kinds_and_relations_used() -> None:
    assert legend_html([], []) == ""
    key = legend_html(["receptor", "drug", "cell"], ["blocks", "activates"])
    assert "<details" not in key  # shown, never behind a disclosure
    kinds = re.findall(r'class="mechanisms-glyph kind-(\w+)', key)
    assert kinds == ["drug", "receptor", "cell"]  # in the vocabulary's order
    assert re.findall(r'class="mechanisms-glyph rel-([\w-]+)', key) == ["activates", "blocks"]
    assert 'class="mechanisms-glyph kind-cell cell"' in key and "<rect" in key  # a cell: a rounded container
    assert 'class="head"' in key and 'class="bar"' in key  # a filled arrow and a flat bar


def test_compare_key_and_table() -> None:
    a_text = (
        "title: Alpha <1>\nnodes:\n  x: {label: X, kind: drug, term: glutamate}\n"
        "  y: {label: Y, kind: drug, term: ampa-receptor}\n  z: {label: Z, kind: drug}\n"
        "edges:\n  - {from: x, to: y, rel: activates, cite: [k1]}\n  - {from: y, to: z, rel: inhibits}"
    )
    a = pathway("id: a\n" + a_text)
    b = pathway(
        "id: b\ntitle: Beta\nnodes:\n  x: {label: X, kind: drug, term: glutamate}\n"
        "  y: {label: Y, kind: drug, term: ampa-receptor}\nedges:\n  - {from: x, to: y, rel: activates}"
    )
    c = compare([a, b])
    key = compare_key_html(c)
    assert "only in <strong>Alpha &lt;1&gt;</strong> (long dashes)" in key
    assert "only in <strong>Beta</strong> (short dashes)" in key
    assert key.count("<li>") == 4  # shared, each pathway, and what the arrowheads say
    table = compare_table_html(c, TERMS, resolve)
    heads = re.findall(r'<th scope="col">(.*?)</th>', table)
    assert heads == ["Shared steps", "Only in Alpha &lt;1&gt;", "Only in Beta"]
    short = compare([pathway("id: a\nshort: A\n" + a_text), b])
    assert "only in <strong>A</strong>" in compare_key_html(short)
    assert "Only in A" in compare_table_html(short, TERMS, resolve)
    labelled = re.findall(r'<td data-label="([^"]*)">(.*?)</td>', table)
    assert [label for label, _ in labelled] == heads  # each list keeps its heading when the table stacks
    cells = [cell for _, cell in labelled]
    assert 'href="../glossary/glutamate/"' in cells[0] and placeholder(["k1"]) in cells[0]
    assert '<em class="mechanisms-rel">inhibits</em>' in cells[1]
    assert cells[2] == "<p><em>none</em></p>"


def test_compare_table_rows_name_the_overlay_edges() -> None:
    a = pathway(
        "id: a\ntitle: A\nnodes:\n  x: {label: X, kind: drug, term: glutamate}\n"
        "  y: {label: Y, kind: drug, term: ampa-receptor}\n  z: {label: Z, kind: drug}\n"
        "edges:\n  - {from: x, to: y, rel: activates}\n  - {from: y, to: z, rel: inhibits}"
    )
    b = pathway(
        "id: b\ntitle: B\nnodes:\n  x: {label: X, kind: drug, term: glutamate}\n"
        "  y: {label: Y, kind: drug, term: ampa-receptor}\n  w: {label: W, kind: drug}\n"
        "edges:\n  - {from: x, to: y, rel: activates}\n  - {from: x, to: w, rel: blocks}"
    )
    c = compare([a, b])
    rows = re.findall(r'<li data-edge="f-(e\d+)">(.*?)</li>', compare_table_html(c, TERMS, resolve, fid="f"))
    graph = comparison_graph(c, TERMS)
    said = {e.id: e.summary for e in graph.edges}
    assert [r[0] for r in rows] == ["e1", "e2", "e3"]
    for edge_id, row in rows:  # each row is the sentence its overlay edge says
        verb = re.search(r'<em class="mechanisms-rel">(\w+)</em>', row).group(1)
        assert f" {verb} " in said[edge_id], (edge_id, row, said[edge_id])
    assert "(shared)" in said["e1"] and "(only in A)" in said["e2"] and "(only in B)" in said["e3"]
    assert "data-edge" not in compare_table_html(c, TERMS, resolve)


def test_error_html_escapes() -> None:
    out = error_html(["diagrams/k.md:3: unknown node '<script>alert(1)</script>'", "second & last"])
    assert "<script" not in out
    assert (
        "diagrams/k.md:3: unknown node &#x27;&lt;script&gt;alert(1)&lt;/script&gt;&#x27;\nsecond &amp; last"
        in out
    )
    assert out.startswith('<div class="mechanisms-error admonition failure" role="alert">')
