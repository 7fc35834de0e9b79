"""DOT text from a :class:`DrawGraph`, with every author string escaped.

Node and edge names in DOT are generated (``n0``, ``n1``…), never author
text. Labels are HTML-like labels whose text is entity-escaped, so
Graphviz's ``\\N``-style escapes and markup in labels are inert; quoted
attributes escape backslashes and quotes.
"""

from __future__ import annotations

import functools
import html
import itertools
import re
import textwrap
from collections.abc import Iterable

from ..model import CERTAINTIES, NODE_KINDS, RELATIONS, Region
from ..wording import step_mark
from .graph import LINK_SCHEME, DrawGraph, DrawNode

FONT = "DejaVu Sans"
LABEL_PT = 11
"""Node labels; every other text is ``SMALL_PT``. The layout rule (``render.layout``) scales from these."""
SMALL_PT = 10
MAX_LABEL = 120
MAX_TOOLTIP = 400
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")


def clean(text: str, limit: int) -> str:
    """One line of printable text, shortened to ``limit`` characters."""
    text = _CONTROL.sub("", " ".join(str(text).split()))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def quote(value: str) -> str:
    """A DOT double-quoted string whose content Graphviz shows literally.

    Graphviz unescapes a quoted string twice (DOT lexing, then its ``\\N``
    escString expansion), so one literal backslash takes four; it also
    decodes HTML entities, so ``&`` is written as ``&amp;``.
    """
    value = value.replace("&", "&amp;")  # Graphviz decodes entities in quoted strings too
    return '"' + value.replace("\\", "\\" * 4).replace('"', '\\"') + '"'


def html_text(value: str) -> str:
    """Escape text for an HTML-like label (entities only; no markup passes).

    Graphviz expands ``\\N``-style escapes even inside HTML-like labels,
    after decoding entities: one literal backslash takes two entities.
    """
    # "]" right after the opening "<" ends the label early in some Graphviz versions: an entity never does
    return html.escape(value, quote=True).replace("\\", "&#92;&#92;").replace("]", "&#93;")


def wrap_label(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters, never breaking inside a word."""
    return list(_wrapped(text, width))


@functools.lru_cache(maxsize=8192)
def _wrapped(text: str, width: int) -> tuple[str, ...]:
    """The layout search writes each label at a few widths for many candidates: wrapped once each."""
    return tuple(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))


def _label(node: DrawNode, wrap: int) -> str:
    if node.parts:
        return _parts_label(node, wrap)
    lines = wrap_label(clean(node.label, MAX_LABEL), wrap) or [node.id]
    body = "<BR/>".join(html_text(line) for line in lines)
    sub_lines = wrap_label(clean(node.sublabel, MAX_LABEL), wrap + 4)
    if sub_lines:  # an empty <FONT></FONT> is a Graphviz syntax error
        sub = "<BR/>".join(html_text(s) for s in sub_lines)
        body += f'<BR/><FONT POINT-SIZE="{SMALL_PT}">{sub}</FONT>'
    return f"<{body}>"


def _parts_label(node: DrawNode, wrap: int) -> str:
    """A folded node: one row per node it stands for, each linked to its glossary page."""
    rows = []
    for label, term in node.parts:
        text = "<BR/>".join(html_text(line) for line in wrap_label(clean(label, MAX_LABEL), wrap)) or "?"
        link = f' HREF="{html_text(LINK_SCHEME + "glossary/" + term)}"' if term else ""
        title = f' TITLE="{html_text(clean(label, MAX_TOOLTIP))}"'
        rows.append(f"<TR><TD{link}{title}>{text}</TD></TR>")
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="2">{"".join(rows)}</TABLE>>'


def _attrs(pairs: Iterable[tuple[str, str]]) -> str:
    """``key=value, …``; a pair without a key is attributes written already (:func:`_edge_head`)."""
    return ", ".join(f"{key}={value}" if key else value for key, value in pairs)


@functools.lru_cache(maxsize=4096)
def _edge_head(edge_id: str, rel_name: str, classes: tuple[str, ...], certainty: str, tooltip: str) -> str:
    """An edge's attributes that no layout changes, written once for all the candidates drawn."""
    rel = RELATIONS[rel_name]
    kinds = ("mechanisms-edge", f"rel-{rel_name}", *classes, *_certainty_class(certainty))
    return _attrs(
        [
            ("id", quote(edge_id)),
            ("class", quote(" ".join(kinds))),
            ("style", quote(rel.style if rel.style != "bold" else "bold")),
            ("arrowhead", rel.arrowhead),
            ("penwidth", str(rel.penwidth)),
            ("tooltip", quote(clean(tooltip, MAX_TOOLTIP) or rel_name)),
        ]
    )


@functools.lru_cache(maxsize=1024)
def _extra_attrs(items: tuple[tuple[str, str], ...]) -> str:
    return _attrs((k, quote(v)) for k, v in items)


def to_dot(
    graph: DrawGraph,
    *,
    rankdir: str = "TB",
    wrap: int = 22,
    nodesep: float = 0.35,
    stack: bool = False,
    compact: bool = False,
    side: bool = False,
    ranksep: float = 0.45,
    floating: frozenset[str] = frozenset(),
    memo: dict[tuple[str, int], str] | None = None,
) -> str:
    """DOT for ``graph``; deterministic for the same input (cache key).

    ``rankdir``, ``wrap`` (label line length), ``nodesep`` and ``stack`` (put
    top-level regions one below the other) and ``compact`` (tighter margins
    around labels and inside regions and cells) and ``side`` (dead-end side
    branches drawn beside their source, not below it) and ``ranksep`` (room between
    ranks: less makes a lower figure) are the knobs the layout
    rule (:mod:`.layout`) turns until the figure is legible at the width it is shown.
    ``memo`` keeps each node's attributes by (id, wrap) across calls for one graph: the search
    writes several layouts of it and a node is written the same way in each.
    The step numbers of the edges in ``floating`` (ids) are ``xlabel``s on a longer
    edge, placed by the drawn line (:mod:`.labels` says which need it).

    Each cluster sits alone in an anonymous subgraph (``{ subgraph cluster_0 { … } }``):
    Graphviz orders a graph's named subgraphs by the address of their interned names, so
    sibling clusters were laid out in an order that depended on what the same ``dot``
    process had drawn before (a batch drew a graph differently from a cold build's other
    batches). Anonymous subgraphs are ordered as written, which is the order a fresh
    process gives the named ones: the drawing is what ``dot`` makes of this graph alone.
    """
    known = {} if memo is None else memo

    def node_text(node: DrawNode) -> str:
        key = (node.id, wrap)
        if key not in known:
            known[key] = _attrs(_node_attrs(node, wrap))
        return known[key]

    holders = {n.id for n in graph.nodes if n.holds}
    members: dict[str, list[DrawNode]] = {}
    for node in graph.nodes:
        if node.container in holders:
            members.setdefault(node.container, []).append(node)
    drawn = [n for n in graph.nodes if not (n.holds and n.id in members)]
    names = {node.id: f"n{i}" for i, node in enumerate(drawn)}
    out = [
        "digraph mechanisms {",
        f"  graph [{_attrs([('fontname', quote(FONT)), ('rankdir', rankdir), ('bgcolor', quote('transparent')), ('nodesep', str(nodesep)), ('ranksep', str(ranksep)), ('newrank', 'true'), ('compound', 'true'), ('tooltip', quote(clean(graph.title, MAX_TOOLTIP))), ('id', quote('graph'))])}];",
        f"  node [{_attrs([('fontname', quote(FONT)), ('fontsize', str(LABEL_PT)), ('margin', quote('0.05,0.03' if compact else '0.12,0.06')), ('penwidth', '1.3')])}];",
        f"  edge [{_attrs([('fontname', quote(FONT)), ('fontsize', str(LABEL_PT if compact else SMALL_PT)), ('arrowsize', '0.8')])}];",
    ]
    children: dict[str | None, list[Region]] = {}
    for region in graph.regions.values():
        parent = region.parent if region.parent in graph.regions else None
        children.setdefault(parent, []).append(region)
    in_region: dict[str | None, list[DrawNode]] = {}
    for node in graph.nodes:
        if node.container in members:
            continue  # drawn inside its cell
        in_region.setdefault(node.region if node.region in graph.regions else None, []).append(node)
    cluster_ids = {rid: i for i, rid in enumerate(graph.regions)}
    cell_ids = {cid: i for i, cid in enumerate(members)}

    def emit(region_id: str | None, indent: str) -> None:
        for node in in_region.get(region_id, []):
            if node.id in members:
                out.append(f"{indent}{{ subgraph cluster_cell{cell_ids[node.id]} {{")
                out.append(f"{indent}  graph [{_attrs(_cell_attrs(node, 7 if compact else 10))}];")
                for member in members[node.id]:
                    out.append(f"{indent}  {names[member.id]} [{node_text(member)}];")
                out.append(f"{indent}}} }}")
            else:
                out.append(f"{indent}{names[node.id]} [{node_text(node)}];")
        for child in children.get(region_id, []):
            cid = cluster_ids[child.id]
            out.append(f"{indent}{{ subgraph cluster_{cid} {{")
            out.append(
                f"{indent}  graph [{_attrs(_cluster_attrs(child, compact, graph.panels.get(child.id)))}];"
            )
            emit(child.id, indent + "  ")
            out.append(f"{indent}}} }}")

    emit(None, "  ")
    if stack:
        out.extend(_stacking(graph, children.get(None, []), members, names))

    def end(node_id: str, other: str, outgoing: bool) -> tuple[str, str] | None:
        """(DOT node, cluster to clip at) for an edge end; a cell's edges meet its border."""
        if node_id in names:
            return names[node_id], ""
        inside = [m for m in members.get(node_id, []) if m.id != other]
        if not inside:
            return None
        anchor = inside[-1] if outgoing else inside[0]
        inner = any(m.id == other for m in members[node_id])
        return names[anchor.id], "" if inner else f"cluster_cell{cell_ids[node_id]}"

    beside = _beside(graph, names) if side else {}
    for source, leaves in _rows(graph, beside):
        out.append(
            "  { rank=same; " + "; ".join(names[n] for n in (*leaves[:1], source, *leaves[1:])) + "; }"
        )
    cell_of = {m.id: cid for cid, ms in members.items() for m in ms}
    feedback = {(e.source, cell_of.get(e.target, e.target)) for e in graph.edges}
    for edge in graph.edges:
        tail = end(edge.source, edge.target, True)
        head = end(edge.target, edge.source, False)
        if tail is None or head is None or tail[0] == head[0]:
            continue
        rel = RELATIONS[edge.rel]
        pairs = [("", _edge_head(edge.id, edge.rel, edge.classes, edge.certainty, edge.tooltip))]
        if tail[1]:
            pairs.append(("ltail", tail[1]))
        if head[1]:
            pairs.append(("lhead", head[1]))
        if tail[1] and (edge.target, edge.source) in feedback:
            pairs.append(("constraint", "false"))  # what a cell releases and senses again: no rank loop
        if (
            edge.step is not None
        ):  # the number, then the certainty's glyph ("3?"): text survives print and dark mode
            mark = quote(step_mark(edge.step, edge.certainty))
            if edge.id in floating:  # placed after clipping, by the drawn line, on a line long enough for it
                pairs += [("xlabel", mark), ("minlen", "2")]
            else:
                pairs.append(("label", mark))
        if edge.attrs:
            pairs.append(("", _extra_attrs(tuple(sorted(edge.attrs.items())))))
        if beside.get(edge.id) == "left":  # a flat edge runs left to right: write it backwards
            pairs += [("dir", "back"), ("arrowtail", rel.arrowhead)]
            tail, head = head, tail
        out.append(f"  {tail[0]} -> {head[0]} [{_attrs(pairs)}];")
    out.append("}")
    return "\n".join(out) + "\n"


def _certainty_class(certainty: str) -> tuple[str, ...]:
    return (f"certainty-{certainty}",) if certainty in CERTAINTIES else ()


def _beside(graph: DrawGraph, names: dict[str, str]) -> dict[str, str]:
    """Edge id → "left" or "right" for dead ends drawn beside their source (two at most per source).

    A dead end is a drawn node that nothing leaves, reached by one edge, in
    no cell and in its source's region; its source is a drawn node outside
    any cell. Side by side, a fan costs one rank's height instead of a row of
    width below the source.
    """
    outgoing = {e.source for e in graph.edges}
    incoming: dict[str, int] = {}
    for e in graph.edges:
        incoming[e.target] = incoming.get(e.target, 0) + 1
    by_id = {n.id: n for n in graph.nodes}
    sides: dict[str, str] = {}
    taken: dict[str, int] = {}
    for e in graph.edges:
        src, tgt = by_id.get(e.source), by_id.get(e.target)
        if src is None or tgt is None or src.id == tgt.id or e.source not in names or e.target not in names:
            continue
        if tgt.id in outgoing or incoming[tgt.id] != 1 or tgt.container or src.container:
            continue
        if tgt.region != src.region or taken.get(src.id, 0) >= 2:
            continue
        sides[e.id] = "left" if taken.get(src.id, 0) == 0 else "right"
        taken[src.id] = taken.get(src.id, 0) + 1
    return sides


def _rows(graph: DrawGraph, beside: dict[str, str]) -> list[tuple[str, list[str]]]:
    """(source, [left dead end, right dead end]) rows for :func:`_beside`'s placements."""
    rows: dict[str, list[str]] = {}
    for e in graph.edges:
        if e.id in beside:
            rows.setdefault(e.source, []).append(e.target)
    return list(rows.items())


def _stacking(
    graph: DrawGraph, top: list[Region], members: dict[str, list[DrawNode]], names: dict[str, str]
) -> list[str]:
    """Invisible edges that put each top-level region (or each band) below the one before it."""
    parents = {r.id: r.parent for r in graph.regions.values()}

    def top_of(region: str | None) -> str | None:
        seen = set()
        while region is not None and parents.get(region) in graph.regions and region not in seen:
            seen.add(region)
            region = parents[region]
        return region

    by_id = {n.id: n for n in graph.nodes}

    def band(node: DrawNode) -> str:
        cell = by_id.get(node.container or "")
        if any(n.band for n in graph.nodes):
            return (cell or node).band
        return top_of(node.region) or ""

    drawn: dict[str, list[str]] = {}
    for node in graph.nodes:
        if node.id in names:
            drawn.setdefault(band(node), []).append(node.id)
    order = [key for key in ("", *(r.id for r in top)) if drawn.get(key)]
    order += sorted((key for key in drawn if key not in order), key=lambda k: k.startswith("~"))  # "~": last
    groups = [[drawn[key] for key in order]]
    for panel in graph.panels:  # inside a comparison's panel, its regions one below the other too
        inner: dict[str, list[str]] = {}
        for node in graph.nodes:
            region = node.region
            while region is not None and parents.get(region) not in (panel, None):
                region = parents.get(region)
            if node.id in names and region is not None and parents.get(region) == panel:
                inner.setdefault(region, []).append(node.id)
        groups.append(list(inner.values()))
    lines: list[str] = []
    for group in groups:
        for upper, lower in itertools.pairwise(group):
            inside = set(upper)
            left = {e.source for e in graph.edges if e.source in inside and e.target in inside}
            sinks = [i for i in upper if i not in left] or upper[-1:]
            lines.extend(
                f"  {names[i]} -> {names[lower[0]]} [style=invis, weight=3, minlen=1];" for i in sinks
            )
    return lines


def _node_attrs(node: DrawNode, wrap: int = 22) -> list[tuple[str, str]]:
    kind = NODE_KINDS[node.kind]
    cell = node.kind == "cell"  # as a cell that holds receptors is drawn: a thick rounded box
    pairs = [
        ("id", quote(f"n-{node.id}")),
        ("class", quote(" ".join(("mechanisms-node", f"kind-{node.kind}", *node.classes)))),
        ("label", _label(node, wrap)),
        ("shape", "box" if cell else kind.shape),
        ("style", quote("rounded,filled" if cell else kind.style)),
        ("fillcolor", quote(kind.fill)),
        ("tooltip", quote(clean(node.tooltip, MAX_TOOLTIP) or clean(node.label, MAX_LABEL))),
    ]
    attrs = dict(node.attrs)
    if cell:
        pairs.append(("penwidth", "2.2"))
        if "rounded" not in attrs.get("style", "rounded"):
            attrs["style"] = "rounded," + attrs["style"]
    if node.term:
        pairs.append(("URL", quote(f"{LINK_SCHEME}glossary/{node.term}")))
    pairs.extend((k, quote(v)) for k, v in sorted(attrs.items()))
    return pairs


def _cell_attrs(node: DrawNode, margin: int = 10) -> list[tuple[str, str]]:
    """A cell drawn as a compartment: a thick rounded border around the nodes on it."""
    pairs = [
        ("id", quote(f"n-{node.id}")),
        (
            "class",
            quote(" ".join(("mechanisms-node", "mechanisms-cell", f"kind-{node.kind}", *node.classes))),
        ),
        ("label", f"<{html_text(clean(node.label, MAX_LABEL) or node.id)}>"),
        ("labeljust", "l"),
        ("labelloc", "t"),
        ("fontsize", str(LABEL_PT)),
        ("style", quote("rounded,filled")),
        ("penwidth", "2.2"),
        ("color", quote("#1a1a1a")),
        ("fillcolor", quote(NODE_KINDS["cell"].fill)),
        ("margin", str(margin)),
        ("tooltip", quote(clean(node.tooltip, MAX_TOOLTIP) or clean(node.label, MAX_LABEL))),
    ]
    if node.term:
        pairs.append(("URL", quote(f"{LINK_SCHEME}glossary/{node.term}")))
    extra = {k: ("rounded," + v if k == "style" else v) for k, v in node.attrs.items()}
    return [(k, v) for k, v in pairs if k not in extra] + [(k, quote(v)) for k, v in sorted(extra.items())]


def _cluster_attrs(region: Region, compact: bool = False, panel: str | None = None) -> list[tuple[str, str]]:
    """A region: a dashed rounded box; a comparison's panel (``panel`` is its side letter): solid, named larger."""
    label = html_text(clean(region.label, MAX_LABEL) or region.id)
    if panel is not None:
        return [
            ("margin", "4" if compact else "8"),
            ("id", quote(f"r-{region.id}")),
            ("class", quote(f"mechanisms-region mechanisms-panel only-{panel}")),
            ("label", f'<<B><FONT POINT-SIZE="{LABEL_PT + 2}">{label}</FONT></B>>'),
            ("labeljust", "l"),
            ("style", quote("rounded")),
            ("penwidth", "1.6"),
            ("tooltip", quote(clean(region.label, MAX_TOOLTIP))),
        ]
    return [
        ("margin", "6" if compact else "8"),
        ("id", quote(f"r-{region.id}")),
        ("class", quote("mechanisms-region")),
        ("label", f"<<B>{label}</B>>"),
        ("labeljust", "l"),
        ("fontsize", str(LABEL_PT if compact else SMALL_PT)),
        ("style", quote("rounded,dashed")),
        ("color", quote("#64748b")),
        ("fontcolor", quote("#475569")),
        ("tooltip", quote(clean(region.label, MAX_TOOLTIP))),
    ]
