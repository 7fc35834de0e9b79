"""A drawing-level graph, shared by pathway, comparison and neighbourhood diagrams.

Turning every kind of figure into this one structure keeps a single DOT
writer, so escaping and styling rules live in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..model import Pathway, Region, Term

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
            tooltip=f"Step {i}: {pathway.nodes[edge.source].label} {edge.rel} {pathway.nodes[edge.target].label}"
            + (f". {edge.note}" if edge.note else ""),
        )
        for i, edge in enumerate(pathway.edges, start=1)
    ]
    return DrawGraph(pathway.title, nodes, edges, dict(pathway.regions), pathway.caption)
