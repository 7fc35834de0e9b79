"""A drawing-level graph, shared by pathway, comparison and neighbourhood diagrams.

Turning every kind of figure into this one structure keeps a single DOT
writer, so escaping and styling rules live in one place.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..compare import Comparison, identity
from ..model import NODE_KINDS, Edge, Node, Pathway, Region, Term
from ..wording import hedged_verb, lower_first, node_tooltip, on_phrase, plain_text, step_mark, step_sentence

LINK_SCHEME = "mechanisms:"
"""Placeholder scheme for links inside SVG, resolved per embedding page."""


@dataclass
class DrawNode:
    """A node as drawn: label lines, style and optional glossary link."""

    id: str
    label: str
    kind: str
    sublabel: str = ""
    term: str | None = None
    region: str | None = None
    tooltip: str = ""
    classes: tuple[str, ...] = ()
    attrs: dict[str, str] = field(default_factory=dict)
    container: str | None = None
    """Drawn id of the cell this node is drawn inside."""
    holds: bool = False
    """This node is a cell drawn as a container (an SBGN-style compartment) around its members."""
    name: str = ""
    """Accessible name, unique in the figure (label, cell and region); defaults to the label."""
    parts: tuple[tuple[str, str | None], ...] = ()
    """A folded node: the (label, glossary slug) of each node it stands for, drawn as one column."""
    band: str = ""
    """Layouts that stack put each band below the one before it (comparisons: each pathway's own part)."""


@dataclass
class DrawEdge:
    """An edge as drawn; ``step`` is its number in the walkthrough."""

    id: str
    source: str
    target: str
    rel: str
    step: int | None = None
    tooltip: str = ""
    classes: tuple[str, ...] = ()
    attrs: dict[str, str] = field(default_factory=dict)
    summary: str = ""
    """The edge in words ("Step 1: Ketamine blocks NMDA receptor"): its name and tooltip title on the page."""
    note: str = ""
    """The author's note on the edge, shown under the summary."""
    certainty: str = ""
    """How established the step is (``model.CERTAINTIES``); drawn as a glyph after its number."""


@dataclass
class DrawGraph:
    """Everything the DOT writer needs, with no reference to pathway files."""

    title: str
    nodes: list[DrawNode]
    edges: list[DrawEdge]
    regions: dict[str, Region] = field(default_factory=dict)
    description: str = ""
    panels: dict[str, str] = field(default_factory=dict)
    """Region id → side letter for a comparison's panels (one per pathway, drawn in its colour)."""


FOLD_AT = 3
"""Fold this many or more dead-end siblings into one node."""


def fold_dead_ends(graph: DrawGraph) -> DrawGraph:
    """Fold side branches into one node, so that a fan of dead ends takes the width of one.

    Nodes that nothing leaves, reached by one edge each from the same source with
    the same relation, of the same kind and outside any cell, become one node
    listing them; their edges become one edge. Each folded node and edge keeps
    the ids of what it stands for as ``also-<id>`` classes, so the walkthrough
    still finds them.
    """
    outgoing = {e.source for e in graph.edges}
    incoming: dict[str, list[DrawEdge]] = {}
    for e in graph.edges:
        incoming.setdefault(e.target, []).append(e)
    by_id = {n.id: n for n in graph.nodes}
    groups: dict[tuple[str, str, str, str, str | None, tuple[str, ...]], list[DrawEdge]] = {}
    for e in graph.edges:
        node = by_id.get(e.target)
        if (
            node is None
            or node.id in outgoing
            or len(incoming[node.id]) != 1
            or node.container
            or node.holds
            or node.parts
        ):
            continue
        # a fold never hides a difference in how sure its steps are: only equally certain edges fold
        groups.setdefault((e.source, e.rel, e.certainty, node.kind, node.region, node.classes), []).append(e)
    folded = [g for g in groups.values() if len(g) >= FOLD_AT]
    if not folded:
        return graph
    gone_nodes: dict[str, DrawNode] = {}
    gone_edges: dict[str, DrawEdge] = {}
    for group in folded:
        members = [by_id[e.target] for e in group]
        first = members[0]
        fold = DrawNode(
            id=f"fold-{first.id}",
            label=", ".join(m.label for m in members),
            kind=first.kind,
            region=first.region,
            tooltip="; ".join(m.tooltip for m in members),
            classes=(*first.classes, *(f"also-n-{m.id}" for m in members)),
            attrs=dict(first.attrs),
            name=", ".join(m.name or m.label for m in members),
            parts=tuple((m.label, m.term) for m in members),
            band=first.band,
        )
        edge = group[0]
        merged = DrawEdge(
            id=edge.id,
            source=edge.source,
            target=fold.id,
            rel=edge.rel,
            step=edge.step,
            tooltip=" ".join(e.tooltip for e in group),
            classes=(*edge.classes, *(f"also-{e.id}" for e in group[1:])),
            attrs=dict(edge.attrs),
            summary="; ".join(e.summary for e in group if e.summary),
            certainty=edge.certainty,
        )
        merged.attrs["label"] = ", ".join(step_mark(e.step, e.certainty) for e in group if e.step is not None)
        for m in members:
            gone_nodes[m.id] = fold
        for e in group:
            gone_edges[e.id] = merged
    nodes: list[DrawNode] = []
    for n in graph.nodes:
        target = gone_nodes.get(n.id)
        if target is None:
            nodes.append(n)
        elif target not in nodes:
            nodes.append(target)
    edges: list[DrawEdge] = []
    for e in graph.edges:
        into = gone_edges.get(e.id)
        if into is None:
            edges.append(e)
        elif into not in edges:
            edges.append(into)
    return DrawGraph(graph.title, nodes, edges, graph.regions, graph.description, graph.panels)


def cell_id(term: str, region: str | None) -> str:
    """The drawn id of a glossary cell's container: ``_`` never occurs in a node id, so none collides."""
    return f"cell_{term}" + (f"_in_{region}" if region else "")


def cell_container(
    cid: str, on: str, region: str | None, terms: Mapping[str, Term], *, band: str = ""
) -> DrawNode:
    """The container drawn for a cell named by ``on:`` (a glossary term, or words): built here only.

    Pathway and comparison figures both draw it, so a cell looks, links and reads the same in each.
    """
    term = terms.get(on)
    label = term.term if term else on.replace("-", " ")
    return DrawNode(
        id=cid,
        label=label,
        kind="cell",
        term=on if term else None,
        region=region,
        tooltip=node_tooltip(label, "cell", term, ""),
        holds=True,
        band=band,
    )


def pathway_graph(pathway: Pathway, terms: Mapping[str, Term]) -> DrawGraph:
    """A pathway's full diagram; edges are numbered in file order.

    A cell that other nodes sit ``on`` is drawn as a container holding them.
    ``on`` names a cell node of the pathway, or a glossary term: then the
    container is drawn for that term once per region.
    """
    containers: dict[str, DrawNode] = {}
    member_of: dict[str, str] = {}
    for node in pathway.nodes.values():
        if not node.on:
            continue
        cell = pathway.nodes.get(node.on)
        if cell is not None and cell.kind == "cell" and cell.id != node.id and not cell.on:
            member_of[node.id] = cell.id
            continue
        cid = cell_id(node.on, node.region)
        member_of[node.id] = cid
        if cid not in containers:
            containers[cid] = cell_container(cid, node.on, node.region, terms)
    holders = set(member_of.values())
    region_label = {r.id: r.label for r in pathway.regions.values()}
    nodes: list[DrawNode] = []
    for node in pathway.nodes.values():
        held_by = member_of.get(node.id)
        if held_by is not None and held_by in containers and all(n.id != held_by for n in nodes):
            nodes.append(containers[held_by])
        nodes.append(
            DrawNode(
                id=node.id,
                label=node.label,
                kind=node.kind,
                term=node.term if node.term in terms else None,
                region=node.region,
                tooltip=node_tooltip(node.label, node.kind, terms.get(node.term or ""), node.note),
                container=held_by,
                holds=node.id in holders,
            )
        )
    by_id = {n.id: n for n in nodes}
    for n in nodes:
        if n.container in by_id:
            n.region = by_id[n.container].region  # members sit where their cell is
    _name_nodes(nodes, by_id, region_label)
    edges = [
        DrawEdge(
            id=f"e{i}",
            source=edge.source,
            target=edge.target,
            rel=edge.rel,
            step=i,
            tooltip=f"Step {i}: {step_sentence(pathway, edge, terms)}"
            + (f". {edge.note}" if edge.note else ""),
            summary=f"Step {i}: {step_sentence(pathway, edge, terms)}",
            note=edge.note,
            certainty=pathway.certainty_of(edge),
        )
        for i, edge in enumerate(pathway.edges, start=1)
    ]
    return DrawGraph(pathway.title, nodes, edges, dict(pathway.regions), plain_text(pathway.caption))


def _name_nodes(nodes: Sequence[DrawNode], by_id: Mapping[str, DrawNode], regions: Mapping[str, str]) -> None:
    """Give every node an accessible name that no other node of the figure shares."""
    for n in nodes:
        cell = by_id.get(n.container or "")
        n.name = n.label + (
            f" on {lower_first(cell.label)}" if cell else (f" {n.sublabel}" if n.sublabel else "")
        )
    counts: dict[str, int] = {}
    for n in nodes:
        counts[n.name] = counts.get(n.name, 0) + 1
    for n in nodes:
        if counts[n.name] > 1 and n.region is not None and n.region in regions:
            n.name += f", {lower_first(regions[n.region])}"


COMPARE_STYLES: tuple[tuple[str, str, str], ...] = (
    ("#b45309", "long dashes", "10 4"),
    ("#1d4ed8", "short dashes", "4 3"),
    ("#047857", "dash-dots", "10 3 2 3"),
    ("#7c3aed", "dots", "2 3"),
)
"""Per compared pathway: colour, line pattern name, dash pattern. Colour is never alone."""

SHARED_EDGE_WIDTH = "3.6"
ONLY_EDGE_WIDTH = "2.2"
SHARED_NODE_WIDTH = "3"
ONLY_NODE_WIDTH = "2.2"
"""Membership is drawn by the line (colour, weight, dashes); the relation only by its arrowhead."""


def side_letter(index: int) -> str:
    """``a``, ``b``, ``c``… for the compared pathways, in the order given."""
    return "abcdefghijklmnopqrstuvwxyz"[index % 26]


def comparison_graph(comparison: Comparison, terms: Mapping[str, Term]) -> DrawGraph:
    """One overlay: shared nodes and edges once and emphasised, each side's own part styled.

    Two channels that never mix: membership (shared / only in one pathway) is
    the line: heavy and solid for shared, lighter and dashed in the pathway's
    own colour and pattern otherwise; the relation is the arrowhead alone.
    Cells hold the nodes on them, as in each pathway's own figure.

    Each pathway's own part is a panel named by its short name, its regions
    nested inside (so that two "GABAergic interneuron" boxes say where each
    is); the shared part is drawn once, outside every panel, where the routes meet.
    """
    ids: dict[tuple[str, str], str] = {}
    """(pathway id, node id) → drawn node id; shared identities map to one drawn node."""
    nodes: list[DrawNode] = []
    regions: dict[str, Region] = {}
    panels: dict[str, str] = {}
    shared_ids: dict[str, str] = {}
    placed: list[tuple[Pathway, Node, DrawNode]] = []
    for index, side in enumerate(comparison.pathways):
        letter = side_letter(index)
        regions[f"panel-{letter}"] = Region(f"panel-{letter}", side.name)
        panels[f"panel-{letter}"] = letter

    def panel_region(pathway: Pathway, region: str | None, letter: str) -> str:
        """The panel's copy of ``region`` (its parents first), or the panel itself."""
        known = pathway.regions.get(region or "")
        if known is None:
            return f"panel-{letter}"
        rid = f"{letter}-{known.id}"
        if rid not in regions:
            parent = panel_region(pathway, known.parent, letter)
            regions[rid] = Region(rid, known.label, parent)
        return rid

    def draw(
        pathway: Pathway, node: Node, draw_id: str, classes: tuple[str, ...], attrs: dict[str, str]
    ) -> None:
        letter = classes[0].removeprefix("only-") if classes[0].startswith("only-") else ""
        region = panel_region(pathway, node.region, letter) if letter else None
        kind_style = ",".join(x for x in NODE_KINDS[node.kind].style.split(",") if x and x != "dashed")
        attrs = {"style": ",".join(x for x in (kind_style, attrs.pop("dash", "")) if x), **attrs}
        drawn = DrawNode(
            id=draw_id,
            label=node.label,
            kind=node.kind,
            term=node.term if node.term in terms else None,
            region=region,
            tooltip=node_tooltip(node.label, node.kind, terms.get(node.term or ""), node.note),
            classes=classes,
            attrs=attrs,
            band="~shared" if "shared" in classes else classes[0],
        )
        nodes.append(drawn)
        placed.append((pathway, node, drawn))

    for pathway, node in comparison.shared.nodes:
        key = comparison.key(pathway, node.id)
        if key not in shared_ids:
            shared_ids[key] = f"s-{node.id}"
            draw(pathway, node, shared_ids[key], ("shared",), {"penwidth": SHARED_NODE_WIDTH})
    for pathway in comparison.pathways:
        for node in pathway.nodes.values():
            key = comparison.key(pathway, node.id)
            if key in shared_ids:
                ids[(pathway.id, node.id)] = shared_ids[key]
    for index, side in enumerate(comparison.pathways):
        pid, part = side.id, comparison.only[side.id]
        colour = COMPARE_STYLES[index % len(COMPARE_STYLES)][0]
        letter = side_letter(index)
        for pathway, node in part.nodes:
            ids[(pathway.id, node.id)] = f"{letter}-{node.id}"
            draw(
                pathway,
                node,
                f"{letter}-{node.id}",
                (f"only-{letter}", f"pathway-{pid}"),
                {"color": colour, "dash": "dashed", "penwidth": ONLY_NODE_WIDTH},
            )
    _compare_cells(placed, ids, nodes, terms)

    edges: list[DrawEdge] = []

    def add_edge(
        pathway: Pathway, edge: Edge, classes: tuple[str, ...], attrs: dict[str, str], who: str
    ) -> None:
        src, tgt = ids[(pathway.id, edge.source)], ids[(pathway.id, edge.target)]
        summary = f"{step_sentence(pathway, edge, terms)} ({who})"
        tip = summary + (f". {edge.note}" if edge.note else "")
        edges.append(
            DrawEdge(
                f"e{len(edges) + 1}",
                src,
                tgt,
                edge.rel,
                None,
                tip,
                classes,
                attrs,
                summary,
                edge.note,
                pathway.certainty_of(edge),
            )
        )

    for pathway, edge in comparison.shared.edges:
        add_edge(pathway, edge, ("shared",), {"style": "solid", "penwidth": SHARED_EDGE_WIDTH}, "shared")
    for index, side in enumerate(comparison.pathways):
        pid, part = side.id, comparison.only[side.id]
        colour = COMPARE_STYLES[index % len(COMPARE_STYLES)][0]
        for pathway, edge in part.edges:
            add_edge(
                pathway,
                edge,
                (f"only-{side_letter(index)}", f"pathway-{pid}"),
                {"color": colour, "style": "dashed", "penwidth": ONLY_EDGE_WIDTH},
                f"only in {side.name}",
            )
    by_id = {n.id: n for n in nodes}
    _name_nodes(nodes, by_id, {r.id: r.label for r in regions.values()})
    title = " and ".join(p.name for p in comparison.pathways)
    return DrawGraph(title, nodes, edges, regions, comparison.summary(terms), panels)


def _compare_cells(
    placed: Sequence[tuple[Pathway, Node, DrawNode]],
    ids: Mapping[tuple[str, str], str],
    nodes: list[DrawNode],
    terms: Mapping[str, Term],
) -> None:
    """Put each drawn node into the drawn cell it sits on (a cell node, or one per term and region)."""
    by_id = {n.id: n for n in nodes}
    for pathway, node, drawn in placed:
        if not node.on or drawn.container:
            continue
        cell = pathway.nodes.get(node.on)
        if cell is not None and cell.kind == "cell" and not cell.on and cell.id != node.id:
            cid = ids[(pathway.id, cell.id)]
        else:
            own = "" if "shared" in drawn.classes else drawn.classes[0] + "_"  # one per panel
            cid = cell_id(own + node.on, node.region)
            if cid not in by_id:
                by_id[cid] = cell_container(cid, node.on, drawn.region, terms, band=drawn.band)
                nodes.insert(nodes.index(drawn), by_id[cid])
        by_id[cid].holds = True
        drawn.container = cid
    for n in nodes:
        if n.container in by_id:
            n.region = by_id[n.container].region


def neighbourhood_graph(
    slug: str, pathways: Sequence[Pathway], terms: Mapping[str, Term]
) -> DrawGraph | None:
    """Every edge touching ``slug`` across all pathways, merged by node identity."""
    nodes: dict[str, DrawNode] = {}
    edges: list[DrawEdge] = []
    seen: set[tuple[str, str, str]] = set()
    for pathway in pathways:
        for edge in pathway.edges:
            ends = (pathway.nodes[edge.source], pathway.nodes[edge.target])
            if slug not in (ends[0].term, ends[1].term):
                continue
            draw_ids = []
            for node in ends:
                key = identity(pathway, node)
                draw_id = "x-" + hashlib.sha1(key.encode()).hexdigest()[:10]
                draw_ids.append(draw_id)
                if draw_id not in nodes:
                    nodes[draw_id] = DrawNode(
                        id=draw_id,
                        label=node.label,
                        kind=node.kind,
                        sublabel=on_phrase(pathway, node, terms),
                        term=node.term if node.term in terms else None,
                        tooltip=node_tooltip(node.label, node.kind, terms.get(node.term or ""), node.note),
                        classes=("focus",) if node.term == slug else (),
                        attrs={"penwidth": "2.6"} if node.term == slug else {},
                    )
            triple = (draw_ids[0], draw_ids[1], edge.rel)
            if triple in seen:
                continue
            seen.add(triple)
            verb = hedged_verb(edge.rel, pathway.certainty_of(edge))
            said = f"{ends[0].label} {verb} {ends[1].label} (in {pathway.title})"
            edges.append(
                DrawEdge(
                    f"e{len(edges) + 1}",
                    draw_ids[0],
                    draw_ids[1],
                    edge.rel,
                    None,
                    said,
                    summary=said,
                    note=edge.note,
                    certainty=pathway.certainty_of(edge),
                )
            )
    if not edges:
        return None
    term = terms.get(slug)
    name = term.term if term else slug
    return DrawGraph(
        f"Where {name} acts",
        list(nodes.values()),
        edges,
        {},
        f"Every interaction involving {name} across this site's pathways.",
    )
