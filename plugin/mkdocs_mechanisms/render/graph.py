"""A drawing-level graph, shared by pathway, comparison and neighbourhood diagrams.

Turning every kind of figure into this one structure keeps a single DOT
writer, so escaping and styling rules live in one place.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..cite import CITATION
from ..compare import Comparison, identity
from ..model import NODE_KINDS, RELATIONS, Edge, Node, Pathway, Region, Term

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


@dataclass
class DrawGraph:
    """Everything the DOT writer needs, with no reference to pathway files."""

    title: str
    nodes: list[DrawNode]
    edges: list[DrawEdge]
    regions: dict[str, Region] = field(default_factory=dict)
    description: str = ""


def node_tooltip(label: str, kind: str, term: Term | None, note: str) -> str:
    """Tooltip text for a node: the term's summary, else the node's note."""
    if term is not None:
        return f"{term.term}: {term.summary}"
    return f"{label} ({kind})" + (f": {note}" if note else "")


def sublabel_for(on: str | None, terms: Mapping[str, Term]) -> str:
    """Second label line naming the cell a receptor sits on."""
    if not on:
        return ""
    term = terms.get(on)
    return f"on {term.term if term else on.replace('-', ' ')}"


def pathway_graph(pathway: Pathway, terms: Mapping[str, Term]) -> DrawGraph:
    """A pathway's full diagram; edges are numbered in file order."""
    nodes = [
        DrawNode(
            id=node.id,
            label=node.label,
            kind=node.kind,
            sublabel=sublabel_for(node.on, terms),
            term=node.term if node.term in terms else None,
            region=node.region,
            tooltip=node_tooltip(node.label, node.kind, terms.get(node.term or ""), node.note),
        )
        for node in pathway.nodes.values()
    ]
    edges = [
        DrawEdge(
            id=f"e{i}",
            source=edge.source,
            target=edge.target,
            rel=edge.rel,
            step=i,
            tooltip=f"Step {i}: {pathway.nodes[edge.source].label} {RELATIONS[edge.rel].verb} {pathway.nodes[edge.target].label}"
            + (f". {edge.note}" if edge.note else ""),
        )
        for i, edge in enumerate(pathway.edges, start=1)
    ]
    return DrawGraph(pathway.title, nodes, edges, dict(pathway.regions), plain_text(pathway.caption))


_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_MARK = re.compile(r"[*_`]+")


def plain_text(markdown: str) -> str:
    """A caption as plain words for an SVG <desc>: no citations, link targets or emphasis marks."""
    text = CITATION.sub("", markdown)
    text = _MD_LINK.sub(r"\1", text)
    return " ".join(_MD_MARK.sub("", text).split()).replace(" .", ".").replace(" ,", ",")


COMPARE_STYLES: tuple[tuple[str, str, str], ...] = (
    ("#b45309", "dashed", "dashed"),
    ("#1d4ed8", "dotted", "dotted"),
    ("#047857", "dashed", "bold,dashed"),
    ("#7c3aed", "dotted", "bold,dotted"),
)
"""Per compared pathway: colour, line pattern name, DOT edge style. Colour is never alone."""


def side_letter(index: int) -> str:
    """``a``, ``b``, ``c``… for the compared pathways, in the order given."""
    return "abcdefghijklmnopqrstuvwxyz"[index % 26]


def comparison_graph(comparison: Comparison, terms: Mapping[str, Term]) -> DrawGraph:
    """One overlay: shared nodes and edges once and emphasised, each side's own part styled."""
    ids: dict[tuple[str, str], str] = {}
    """(pathway id, node id) → drawn node id; shared identities map to one drawn node."""
    nodes: list[DrawNode] = []
    regions: dict[str, Region] = {}
    shared_ids: dict[str, str] = {}

    def draw(
        pathway: Pathway, node: Node, draw_id: str, classes: tuple[str, ...], attrs: dict[str, str]
    ) -> None:
        region = None
        if node.region and node.region in pathway.regions:
            region = node.region
            regions.setdefault(region, pathway.regions[region])
        nodes.append(
            DrawNode(
                id=draw_id,
                label=node.label,
                kind=node.kind,
                sublabel=sublabel_for(node.on, terms),
                term=node.term if node.term in terms else None,
                region=region,
                tooltip=node_tooltip(node.label, node.kind, terms.get(node.term or ""), node.note),
                classes=classes,
                attrs=attrs,
            )
        )

    for pathway, node in comparison.shared.nodes:
        key = comparison.key(pathway, node.id)
        if key not in shared_ids:
            shared_ids[key] = f"s-{node.id}"
            draw(pathway, node, shared_ids[key], ("shared",), {"penwidth": "2.6"})
    for pathway in comparison.pathways:
        for node in pathway.nodes.values():
            key = comparison.key(pathway, node.id)
            if key in shared_ids:
                ids[(pathway.id, node.id)] = shared_ids[key]
    for index, side in enumerate(comparison.pathways):
        pid, part = side.id, comparison.only[side.id]
        colour, _, style = COMPARE_STYLES[index % len(COMPARE_STYLES)]
        letter = side_letter(index)
        for pathway, node in part.nodes:
            kind_style = NODE_KINDS[node.kind].style.replace("dashed", "").replace(",,", ",").strip(",")
            ids[(pathway.id, node.id)] = f"{letter}-{node.id}"
            draw(
                pathway,
                node,
                f"{letter}-{node.id}",
                (f"only-{letter}", f"pathway-{pid}"),
                {"color": colour, "style": f"{kind_style},{style.split(',')[-1]}", "penwidth": "2"},
            )

    edges: list[DrawEdge] = []

    def add_edge(
        pathway: Pathway, edge: Edge, classes: tuple[str, ...], attrs: dict[str, str], who: str
    ) -> None:
        src, tgt = ids[(pathway.id, edge.source)], ids[(pathway.id, edge.target)]
        tip = f"{pathway.nodes[edge.source].label} {RELATIONS[edge.rel].verb} {pathway.nodes[edge.target].label} ({who})"
        edges.append(DrawEdge(f"e{len(edges) + 1}", src, tgt, edge.rel, None, tip, classes, attrs))

    for pathway, edge in comparison.shared.edges:
        add_edge(pathway, edge, ("shared",), {"penwidth": "3.2"}, "shared")
    for index, side in enumerate(comparison.pathways):
        pid, part = side.id, comparison.only[side.id]
        colour, _, style = COMPARE_STYLES[index % len(COMPARE_STYLES)]
        title = side.title
        for pathway, edge in part.edges:
            add_edge(
                pathway,
                edge,
                (f"only-{side_letter(index)}", f"pathway-{pid}"),
                {"color": colour, "style": style},
                f"only in {title}",
            )
    title = "Comparison: " + " vs ".join(p.title for p in comparison.pathways)
    return DrawGraph(title, nodes, edges, regions, comparison.summary(terms))


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
                        sublabel=sublabel_for(node.on, terms),
                        term=node.term if node.term in terms else None,
                        tooltip=node_tooltip(node.label, node.kind, terms.get(node.term or ""), node.note),
                        classes=("focus",) if node.term == slug else (),
                        attrs={"penwidth": "2.6"} if node.term == slug else {},
                    )
            triple = (draw_ids[0], draw_ids[1], edge.rel)
            if triple in seen:
                continue
            seen.add(triple)
            edges.append(
                DrawEdge(
                    f"e{len(edges) + 1}",
                    draw_ids[0],
                    draw_ids[1],
                    edge.rel,
                    None,
                    f"{ends[0].label} {RELATIONS[edge.rel].verb} {ends[1].label} (in {pathway.title})",
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
