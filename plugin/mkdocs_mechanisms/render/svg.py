"""Graphviz SVG → SVG safe to inline many times in one HTML page.

Graphviz gives every SVG the same ids (``graph0``, ``node1``…) and writes
links exactly as given. Per embed we prefix every id and rewrite references
to it, resolve our ``mechanisms:`` link placeholders relative to the
embedding page, drop any other link that is not http(s), mailto or
relative, and add the attributes that keep nodes reachable by keyboard and
screen reader.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ..model import Term
from .graph import LINK_SCHEME, DrawGraph
from .layout import min_height_px

_PROLOGUE = re.compile(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<!--.*?-->", re.S)
_ID = re.compile(r'id="(?<=\sid=")([^"]*)"')
"""An ``id`` attribute (after whitespace). Patterns that start with a literal let the regex engine
skip to each occurrence: 5-10x faster over a diagram than one that starts with the whitespace
(a cold build embeds hundreds)."""
_LOCAL_REF = re.compile(r'(href=")#([^"]*)"')
_URL_REF = re.compile(r"url\(#([^)]*)\)")
_HREF = re.compile(r'href="([^"#][^"]*)"')
"""A link's URL; ``xlink:`` before it is part of the attribute (:func:`_links`)."""
_SVG_OPEN = re.compile(r"<svg\b[^>]*>", re.S)
_NODE_TITLE = re.compile(r'(<g id="[^"]*" class="(?:node|edge|cluster)[^"]*">)\s*<title>[^<]*</title>')
_GRAPH_TITLE = re.compile(r"(<g id=\"[^\"]*graph\" class=\"graph\"[^>]*>)\s*<title>[^<]*</title>")
_NODE_G = re.compile(r'<g id="([^"]*)-n-([a-z0-9-]+)" class="((?:node|cluster) [^"]*)">')
_EDGE_G = re.compile(r'<g id="([^"]*)-(e\d+)" class="(edge [^"]*)">')
_ANCHOR = re.compile(  # starts with a literal "<": the regex engine skips to each "<" (10× faster)
    r'<(?:g id="[^"]*-a_n-([a-z0-9-]+)">\s*<)?a xlink:href="([^"]*)"( xlink:title="[^"]*")?>'
)
_TITLE_ONLY_ANCHOR = re.compile(r'<a xlink:title="[^"]*">')
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _esc(text: str, quote: bool = True) -> str:
    """Escaped for XML text and attributes; characters XML 1.0 forbids are dropped, so the SVG stays well-formed."""
    return html.escape(_NOT_XML.sub("", text), quote=quote)


_SAFE_SCHEME = re.compile(r"^(?:https?:|mailto:|[^:/?#]*(?:[/?#]|$))", re.I)


@dataclass
class EmbedInfo:
    """What post-processing needs to know about the diagram's model."""

    title: str
    description: str = ""
    tips: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Glossary slug → (term, summary) for node tooltips."""
    node_labels: Mapping[str, str] = field(default_factory=dict)
    """Node id → accessible name."""
    node_tips: Mapping[str, str] = field(default_factory=dict)
    """Node id → tooltip, for nodes without a glossary link (they get focus themselves)."""
    edge_ends: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Edge id (``e3``) → (source node id, target node id)."""
    edge_tips: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Edge id → (the edge in words, its note): its accessible name and tooltip."""

    @functools.cached_property
    def text(self) -> str:
        """Everything above as text, written once: part of the key of each embedding made with it
        (a figure's wide and phone views share one)."""
        return repr(self)


def embed_info(graph: DrawGraph, terms: Mapping[str, Term]) -> EmbedInfo:
    """Everything :func:`embed_svg` needs to know about ``graph``'s nodes and edges."""
    return EmbedInfo(
        title=graph.title,
        description=graph.description,
        tips={
            n.term: (terms[n.term].term, terms[n.term].summary)
            for n in graph.nodes
            if n.term is not None and n.term in terms
        },
        node_labels={n.id: n.name or n.label for n in graph.nodes},
        node_tips={n.id: n.tooltip for n in graph.nodes if not n.term},
        edge_ends={e.id: (e.source, e.target) for e in graph.edges},
        edge_tips={e.id: (e.summary, e.note) for e in graph.edges if e.summary},
    )


def safe_url(url: str) -> bool:
    """Allow only http, https, mailto and relative URLs."""
    return bool(_SAFE_SCHEME.match(url.strip())) and not url.strip().lower().startswith(
        ("javascript", "data")
    )


def embed_svg(
    svg: str, prefix: str, resolve: Callable[[str], str], info: EmbedInfo, *, narrow: bool = False
) -> str:
    """Post-process one Graphviz SVG for inline use under id ``prefix``.

    ``resolve`` maps a placeholder target such as ``glossary/bdnf`` to a URL
    relative to the page (or file) that will hold the SVG. ``narrow`` marks
    the phone layout of a figure, shown instead of the wide one on small screens.
    """
    svg = _PROLOGUE.sub("", svg).strip().replace("&#45;", "-")
    svg = _ID.sub(rf'id="{prefix.replace(chr(92), chr(92) * 2)}-\1"', svg)  # a template: no call per id
    svg = _LOCAL_REF.sub(lambda m: f'{m.group(1)}#{prefix}-{m.group(2)}"', svg)
    svg = _URL_REF.sub(lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    svg = _NODE_TITLE.sub(r"\1", svg)
    svg = _GRAPH_TITLE.sub(r"\1", svg)

    def link(attr: str, url: str) -> str:
        url = html.unescape(url)
        if url.startswith(LINK_SCHEME):
            url = resolve(url[len(LINK_SCHEME) :])
            if url.startswith(LINK_SCHEME):  # kept: the embedding page resolves it (resolve_links)
                return f'{attr}="{_esc(url, quote=True)}"'
        return _link_attr(attr, url)

    svg = _links(svg, link)
    svg = _TITLE_ONLY_ANCHOR.sub("<a>", svg)  # tooltips come from data-tip-* instead
    svg = _ANCHOR.sub(lambda m: _anchor(m, info), svg)
    svg = _NODE_G.sub(lambda m: _node_group(m, info), svg)
    svg = _EDGE_G.sub(lambda m: _edge_group(m, info), svg)

    title_id, desc_id = f"{prefix}-title", f"{prefix}-desc"
    head = f'<title id="{title_id}">{_esc(info.title)}</title>'
    labelled = title_id
    if info.description:
        head += f'<desc id="{desc_id}">{_esc(info.description)}</desc>'
        labelled += f" {desc_id}"

    def open_tag(match: re.Match[str]) -> str:
        tag = match.group(0)
        tag = re.sub(r'\s(?:width|height)="[^"]*"', "", tag, count=0) if "viewBox" in tag else tag
        size = _size(match.group(0))
        view = "narrow" if narrow else "wide"
        extra = (
            f' class="mechanisms-svg mechanisms-svg-{view}" role="group" aria-labelledby="{labelled}"'
            f' focusable="false"'
        )
        if size:
            extra += f' width="{size[0]}" height="{size[1]}"'
            if not narrow:  # the page fits a wide layout to the window's height, never below this
                extra += f' style="--mechanisms-min-h: {min_height_px(svg):.0f}px"'
        return tag[:-1].rstrip("/") + extra + ">" + head

    return _SVG_OPEN.sub(open_tag, svg, count=1)


def _links(svg: str, link: Callable[[str, str], str]) -> str:
    """``svg`` with each ``href``/``xlink:href`` attribute (its URL not a local ``#`` one) replaced by
    ``link(attribute, url)``: found by its literal ``href="``, then widened over an ``xlink:`` before it."""
    out: list[str] = []
    at = 0
    for match in _HREF.finditer(svg):
        start = match.start()
        attr = "href"
        if svg.startswith("xlink:", start - 6) and start >= 6:
            start, attr = start - 6, "xlink:href"
        out.append(svg[at:start])
        out.append(link(attr, match.group(1)))
        at = match.end()
    out.append(svg[at:])
    return "".join(out)


def _link_attr(attr: str, url: str) -> str:
    """``attr="url"``, or nothing for a link that is not http(s), mailto or relative."""
    if not safe_url(url) or url.startswith("/"):
        return ""
    return f'{attr}="{_esc(url, quote=True)}"'


_KEPT_LINK = 'href="' + LINK_SCHEME


def resolve_links(svg: str, resolve: Callable[[str], str]) -> str:
    """The ``mechanisms:`` links an embedding kept, resolved for the page that shows the SVG.

    Lets one embedded SVG serve every page that shows it: only its links differ. Each
    ``href="mechanisms:…"`` (or ``xlink:href``) is found by plain search, which is several
    times faster on a large SVG than a pattern that starts with an alternative.
    """
    out: list[str] = []
    at = 0
    made: dict[tuple[str, str], str] = {}
    while (found := svg.find(_KEPT_LINK, at)) != -1:
        value = found + len(_KEPT_LINK)
        end = svg.find('"', value)
        if end == -1:
            break
        xlink = found >= 6 and svg.startswith("xlink:", found - 6)
        start, attr = (found - 6, "xlink:href") if xlink else (found, "href")
        target = svg[value:end]
        if (attr, target) not in made:
            made[attr, target] = _link_attr(attr, resolve(html.unescape(target)))
        out += (svg[at:start], made[attr, target])
        at = end + 1
    if not out:
        return svg
    out.append(svg[at:])
    return "".join(out)


def _size(tag: str) -> tuple[int, int] | None:
    match = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"', tag)
    if not match:
        return None
    return round(float(match.group(1)) * 4 / 3), round(float(match.group(2)) * 4 / 3)


def _anchor(match: re.Match[str], info: EmbedInfo) -> str:
    wrapper = match.group(0)[: match.group(0).index("<a ")] if match.group(1) else ""
    node_id, href = match.group(1), match.group(2)
    title = html.unescape((match.group(3) or "")[len(' xlink:title="') : -1]) if match.group(3) else ""
    slug = href.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
    term, summary = info.tips.get(slug, ("", title))
    # xlink:href only: Material's instant navigation rewrites every [href] element by
    # assignment, which throws on an SVG <a> and stops page swaps.
    attrs = f'xlink:href="{href}"'
    if summary:
        attrs += f' data-tip-text="{_esc(summary)}"'
    if term:
        name = info.node_labels.get(node_id or "", "") or term
        attrs += f' data-tip-title="{_esc(term)}" aria-label="{_esc(name)}: glossary"'
    return f"{wrapper}<a {attrs}>"


def _node_group(match: re.Match[str], info: EmbedInfo) -> str:
    prefix, node_id, classes = match.groups()
    label = _esc(info.node_labels.get(node_id, node_id))
    if node_id not in info.node_tips:  # its glossary link takes the focus
        return f'<g id="{prefix}-n-{node_id}" class="{classes}">'
    tip = _esc(info.node_tips[node_id])
    role = "group" if classes.startswith("cluster") else "img"  # a cell holds focusable nodes
    return (
        f'<g id="{prefix}-n-{node_id}" class="{classes}" tabindex="0" role="{role}" '
        f'aria-label="{label}" data-tip-title="{label}" data-tip-text="{tip}">'
    )


def _edge_group(match: re.Match[str], info: EmbedInfo) -> str:
    prefix, edge_id, classes = match.groups()
    ends = info.edge_ends.get(edge_id)
    data = f' data-source="{prefix}-n-{ends[0]}" data-target="{prefix}-n-{ends[1]}"' if ends else ""
    if edge_id in info.edge_tips:
        # Focusable by script (one tab stop per diagram, arrow keys between edges); named for screen readers.
        summary, note = (_esc(t) for t in info.edge_tips[edge_id])
        data += f' role="img" aria-label="{summary}" data-tip-title="{summary}" data-tip-text="{note}"'
    return f'<g id="{prefix}-{edge_id}" class="{classes}"{data}>'
