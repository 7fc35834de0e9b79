"""SVG post-processing: ids unique per embed, links resolved and made safe, titles and keyboard access."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from helpers_core import ids_of, pathway, svg_is_inert
from mkdocs_mechanisms.model import Term
from mkdocs_mechanisms.render.dot import to_dot
from mkdocs_mechanisms.render.graph import DrawEdge, DrawGraph, DrawNode, pathway_graph
from mkdocs_mechanisms.render.runner import GraphvizRunner
from mkdocs_mechanisms.render.svg import EmbedInfo, _link_attr, embed_info, embed_svg, resolve_links, safe_url

RUNNER = GraphvizRunner(None)

TERMS = {
    "bdnf": Term("bdnf", "BDNF", "protein", "Brain-derived neurotrophic factor."),
    "glutamate": Term("glutamate", "Glutamate", "transmitter", "The main excitatory <transmitter>."),
}


def graph_svg(nodes: list[DrawNode], edges: list[DrawEdge] | None = None, title: str = "T") -> str:
    return RUNNER.render(title, to_dot(DrawGraph(title, nodes, edges or [])))


def linked_svg() -> str:
    return graph_svg(
        [
            DrawNode("glu", "Glutamate", "transmitter", term="glutamate"),
            DrawNode("bdnf", "BDNF", "protein", term="bdnf"),
            DrawNode("plain", "Plain", "process", tooltip="A plain step"),
            DrawNode("grad", "Gradient", "cell", attrs={"fillcolor": "red:blue", "URL": "#n-glu"}),
        ],
        [
            DrawEdge("e1", "glu", "bdnf", "increases", 1, "Step 1"),
            DrawEdge("e2", "bdnf", "plain", "leads-to", 2),
        ],
    )


INFO = EmbedInfo(
    title="Glutamate <drives> BDNF",
    description="Caption & more",
    tips={slug: (t.term, t.summary) for slug, t in TERMS.items()},
    node_labels={"glu": "Glutamate", "bdnf": "BDNF", "plain": "Plain", "grad": "Gradient"},
    node_tips={"plain": "A plain step", "grad": "Gradient cell"},
    edge_ends={"e1": ("glu", "bdnf"), "e2": ("bdnf", "plain")},
)


def site_resolver(prefix: str, suffix: str = "/") -> Callable[[str], str]:
    return lambda target: f"{prefix}{target}{suffix}"


def test_ids_are_prefixed_and_references_rewritten() -> None:
    raw = linked_svg()
    assert 'fill="url(#l_' in raw and 'xlink:href="#n-glu"' in raw  # Graphviz's own references
    out = embed_svg(raw, "fig-a", site_resolver("../"), INFO)
    ids = ids_of(out)
    assert ids and all(i.startswith("fig-a-") for i in ids)
    assert len(ids) == len(set(ids))
    for ref in re.findall(r"url\(#([^)]*)\)", out) + re.findall(r'href="#([^"]*)"', out):
        assert ref.startswith("fig-a-") and ref in ids
    assert 'href="#fig-a-n-glu"' in out


def test_two_embeds_of_one_svg_share_no_id() -> None:
    raw = linked_svg()
    first = embed_svg(raw, "p1-fig1", site_resolver("../"), INFO)
    second = embed_svg(raw, "p1-fig2", site_resolver("../"), INFO)
    assert set(ids_of(first)).isdisjoint(ids_of(second))
    assert set(re.findall(r"url\(#([^)]*)\)", second)) <= set(ids_of(second))
    assert "graph0" not in first and 'id="graph"' not in first


@pytest.mark.parametrize(
    ("resolver", "expected"),
    [
        (site_resolver("../"), "../glossary/bdnf/"),
        (site_resolver("../../"), "../../glossary/bdnf/"),
        (site_resolver("../../../"), "../../../glossary/bdnf/"),
        (site_resolver("", ".html"), "glossary/bdnf.html"),
        (site_resolver("../", ".html"), "../glossary/bdnf.html"),
        (site_resolver(""), "glossary/bdnf/"),
    ],
)
def test_mechanisms_links_resolved_per_page(resolver: Callable[[str], str], expected: str) -> None:
    out = embed_svg(linked_svg(), "f", resolver, INFO)
    assert "mechanisms:" not in out
    assert (
        f'<a xlink:href="{expected}" data-tip-text="Brain-derived neurotrophic factor." '
        f'data-tip-title="BDNF" aria-label="BDNF: glossary">' in out
    )
    assert 'data-tip-text="The main excitatory &lt;transmitter&gt;."' in out


def test_resolver_receives_the_site_target() -> None:
    seen: list[str] = []
    embed_svg(linked_svg(), "f", lambda t: seen.append(t) or "x/", INFO)
    assert sorted(seen) == ["glossary/bdnf", "glossary/glutamate"]


BAD_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    "  javascript:alert(1)",
    "&#106;avascript:alert(1)",
    "javascript&colon;alert(1)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:image/svg+xml,<svg onload=alert(1)>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "/glossary/root-absolute/",
    "//evil.example/x",
]


def decoded_hrefs(svg: str) -> list[str]:
    """Link targets as a browser reads them: attribute decoded, tabs and newlines dropped, trimmed."""
    root = ET.fromstring(svg.encode("utf-8"))
    hrefs = [v for el in root.iter() for k, v in el.attrib.items() if k.rsplit("}", 1)[-1] == "href"]
    return [re.sub(r"^[\x00-\x20]+|[\x00-\x20]+$", "", re.sub(r"[\t\n\r]", "", h)) for h in hrefs]


@pytest.mark.parametrize("url", BAD_URLS)
def test_unsafe_and_root_absolute_links_are_removed(url: str) -> None:
    raw = graph_svg([DrawNode("x", "X", "drug", attrs={"URL": url})])
    out = embed_svg(raw, "f", site_resolver("../"), EmbedInfo("T", node_tips={"x": "X"}))
    assert svg_is_inert(out) == []
    for href in decoded_hrefs(out):  # whatever is left is a harmless relative link
        assert urlsplit(href).scheme == "" and not href.startswith("/"), href


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "data:text/html,x",
        "/glossary/x/",
        "//evil.example/x",
        "JavaScript:alert(1)",
        "file:///etc/passwd",
    ],
)
def test_plainly_unsafe_links_leave_no_href(url: str) -> None:
    raw = graph_svg([DrawNode("x", "X", "drug", attrs={"URL": url})])
    assert "href" not in embed_svg(raw, "f", site_resolver("../"), EmbedInfo("T"))


@pytest.mark.parametrize("url", ["/glossary/bdnf/", "javascript:alert(1)", "data:text/html,x"])
def test_unsafe_resolved_links_are_removed(url: str) -> None:
    out = embed_svg(linked_svg(), "f", lambda t: url, INFO)
    assert 'href="/' not in out and "javascript" not in out.lower() and "data:" not in out
    assert svg_is_inert(out) == []


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/a?b=1&c=2",
        "http://example.org/",
        "mailto:someone@example.org",
        "page/",
        "../x.html#y",
    ],
)
def test_safe_links_are_kept(url: str) -> None:
    raw = graph_svg([DrawNode("x", "X", "drug", attrs={"URL": url})])
    out = embed_svg(raw, "f", site_resolver("../"), EmbedInfo("T"))
    escaped = url.replace("&", "&amp;")
    assert f'xlink:href="{escaped}"' in out
    assert safe_url(url)


def test_safe_url() -> None:
    assert not any(safe_url(u) for u in ("javascript:x", "data:x", "ftp://x", "file:///x", "about:blank"))
    assert all(safe_url(u) for u in ("https://x", "HTTP://x", "mailto:a@b", "a/b", "#frag", "?q", ""))


def test_title_desc_and_aria_labelledby() -> None:
    out = embed_svg(linked_svg(), "fig", site_resolver("../"), INFO)
    svg_open = re.match(r"<svg\b[^>]*>", out)
    assert svg_open is not None, out[:200]
    tag = svg_open.group(0)
    assert 'aria-labelledby="fig-title fig-desc"' in tag
    assert (
        'role="group"' in tag
        and 'class="mechanisms-svg mechanisms-svg-wide"' in tag
        and 'focusable="false"' in tag
    )
    assert re.search(r'width="\d+" height="\d+"', tag) and 'pt"' not in tag
    after = out[svg_open.end() :]
    assert after.startswith(
        '<title id="fig-title">Glutamate &lt;drives&gt; BDNF</title>'
        '<desc id="fig-desc">Caption &amp; more</desc>'
    )
    assert out.count("<title") == 1  # Graphviz's titles (graph and node names) are gone
    assert "<?xml" not in out and "<!DOCTYPE" not in out and "<!--" not in out


def test_without_description_only_the_title_labels() -> None:
    out = embed_svg(linked_svg(), "fig", site_resolver("../"), EmbedInfo("Only a title"))
    assert 'aria-labelledby="fig-title"' in out
    assert "<desc" not in out


def test_nodes_without_links_get_focus_and_a_name() -> None:
    out = embed_svg(linked_svg(), "fig", site_resolver("../"), INFO)
    assert (
        '<g id="fig-n-plain" class="node mechanisms-node kind-process" tabindex="0" role="img" '
        'aria-label="Plain" data-tip-title="Plain" data-tip-text="A plain step">'
    ) in out
    linked = re.search(r'<g id="fig-n-bdnf" class="[^"]*"[^>]*>', out)
    assert linked is not None and "tabindex" not in linked.group(0)  # the link takes the focus
    for node_id in INFO.node_tips:
        assert re.search(rf'<g id="fig-n-{node_id}" [^>]*tabindex="0"', out)


def test_edges_know_their_ends() -> None:
    out = embed_svg(linked_svg(), "fig", site_resolver("../"), INFO)
    assert (
        '<g id="fig-e1" class="edge mechanisms-edge rel-increases" data-source="fig-n-glu" data-target="fig-n-bdnf">'
        in out
    )
    assert 'data-source="fig-n-bdnf" data-target="fig-n-plain"' in out


def test_pathway_diagram_embeds_inertly() -> None:
    p = pathway(
        "title: T\nnodes:\n  glu: {label: '<script>alert(1)</script>', kind: transmitter, term: glutamate}\n"
        "  x: {label: 'x onmouseover=alert(1)', kind: process}\n"
        "edges:\n  - {from: glu, to: x, rel: activates, note: '\" onload=\"alert(1)'}"
    )
    raw = RUNNER.render("p", to_dot(pathway_graph(p, TERMS)))
    out = embed_svg(
        raw,
        "p",
        site_resolver("../"),
        EmbedInfo(p.title, "<img src=x onerror=alert(1)>", node_tips={"x": "x onmouseover=alert(1)"}),
    )
    assert svg_is_inert(out) == []
    assert "&lt;script&gt;" in out


def test_control_characters_in_embedded_text_keep_the_svg_well_formed() -> None:
    info = EmbedInfo(
        title="Ti\x00t\x07le\x1b",
        description="De\x0bsc",
        tips={"bdnf": ("B\x1bDNF", "Sum\x00mary")},
        node_labels={"glu": "Glu\x07tamate"},
        node_tips={"plain": "Pla\x00in"},
    )
    svg = embed_svg(linked_svg(), "f", site_resolver("/"), info)
    assert ET.fromstring(svg) is not None
    assert '<title id="f-title">Title</title>' in svg and svg_is_inert(svg) == []


def test_edges_say_what_they_are_escaped_for_the_attribute() -> None:
    p = pathway(
        "title: T\nnodes:\n  glu: {label: 'Glu \"<b>', kind: transmitter, term: glutamate}\n"
        "  x: {label: X, kind: process}\n"
        "edges:\n  - {from: glu, to: x, rel: activates, note: '\" onload=\"alert(1) & <i>'}"
    )
    graph = pathway_graph(p, TERMS)
    out = embed_svg(RUNNER.render("p", to_dot(graph)), "p", site_resolver("../"), embed_info(graph, TERMS))
    edge = re.search(r'<g id="p-e1" [^>]*>', out)
    assert edge, out
    tag = edge.group(0)
    assert 'role="img"' in tag
    assert 'aria-label="Step 1: Glu &quot;&lt;b&gt; activates X"' in tag
    assert 'data-tip-title="Step 1: Glu &quot;&lt;b&gt; activates X"' in tag
    assert 'data-tip-text="&quot; onload=&quot;alert(1) &amp; &lt;i&gt;"' in tag
    assert svg_is_inert(out) == [] and ET.fromstring(out) is not None


def test_an_id_prefix_is_taken_literally_even_with_backslashes() -> None:
    svg = '<svg viewBox="0 0 10 10"><g id="graph0" class="graph"><g id="node1" class="node"></g></g></svg>'
    out = embed_svg(svg, "f\\1", lambda target: target, EmbedInfo("T"))
    assert 'id="f\\1-graph0"' in out and 'id="f\\1-node1"' in out


def _resolve_by_pattern(svg: str, resolve: Callable[[str], str]) -> str:
    """What ``resolve_links`` did by a regular expression: the reference its plain search must match."""
    kept = re.compile(r'(xlink:href|href)="mechanisms:([^"]*)"')
    return kept.sub(lambda m: _link_attr(m.group(1), resolve(html.unescape(m.group(2)))), svg)


@pytest.mark.parametrize(
    "svg",
    [
        '<a xlink:href="mechanisms:glossary/bdnf">x</a><a href="mechanisms:glossary/bdnf">y</a>',
        'xlink:href="mechanisms:at-the-start" and href="mechanisms:a&amp;b" then href="mechanisms:evil"',
        '<a xlink:href="mechanisms:pathways/p1#s-1"/><a xlink:href="mechanisms:absolute"/> tail',
        'href="mechanisms:unclosed',
        'no links at all, not even href="https://example.org"',
        'xlink:xlink:href="mechanisms:twice" ink:href="mechanisms:half" :href="mechanisms:colon"',
        'href="mechanisms:"' * 3,
    ],
)
def test_kept_links_resolve_as_the_pattern_did(svg: str) -> None:
    urls = {"evil": "javascript:alert(1)", "absolute": "/root/page/", "a&b": "../a%26b/"}

    def resolve(target: str) -> str:
        return urls.get(target, f"../{target}/")

    assert resolve_links(svg, resolve) == _resolve_by_pattern(svg, resolve)
