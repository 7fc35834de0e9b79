"""The pathway model and its fixed vocabulary.

Pure data: nothing here knows about YAML, Graphviz or MkDocs, so every other
module can share these types and the vocabulary stays in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ID_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
"""Ids of pathways, nodes, regions and terms; safe as file names and URLs."""
MAX_ID_LENGTH = 80
"""Ids become file names (``pathways/<id>.svg``, comparisons join several): keep them short."""
MAX_REGION_DEPTH = 32
"""Regions nest at most this deep; far more than anatomy needs, far less than a recursion limit."""


@dataclass(frozen=True)
class Relation:
    """How one edge relation is named, read and drawn."""

    name: str
    meaning: str
    sbgn: str
    style: str
    arrowhead: str
    penwidth: float = 1.2
    drawn_as: str = ""
    phrase: str = ""
    """How a step reads in words: "A {phrase} B"."""

    @property
    def verb(self) -> str:
        """The phrase for sentences, defaulting to the relation's name."""
        return self.phrase or self.name.replace("-", " ")


RELATIONS: dict[str, Relation] = {
    r.name: r
    for r in (
        Relation(
            "activates",
            "positive influence",
            "positive influence",
            "solid",
            "normal",
            drawn_as="solid line, filled arrow",
        ),
        Relation(
            "stimulates",
            "positive influence",
            "positive influence",
            "solid",
            "normal",
            drawn_as="solid line, filled arrow",
        ),
        Relation(
            "inhibits",
            "negative influence",
            "negative influence",
            "solid",
            "tee",
            drawn_as="solid line, flat bar",
        ),
        Relation(
            "blocks",
            "antagonism or channel block",
            "negative influence",
            "bold",
            "tee",
            penwidth=2.6,
            drawn_as="bold line, flat bar",
        ),
        Relation(
            "binds",
            "ligand binds or agonises a receptor",
            "none",
            "solid",
            "empty",
            drawn_as="solid line, open arrow",
        ),
        Relation(
            "releases",
            "causes release of",
            "positive influence",
            "dashed",
            "normal",
            drawn_as="dashed line, filled arrow",
        ),
        Relation(
            "produces",
            "causes synthesis of",
            "positive influence",
            "dashed",
            "normal",
            drawn_as="dashed line, filled arrow",
        ),
        Relation(
            "converts",
            "is metabolised or converted into",
            "none",
            "dotted",
            "normal",
            drawn_as="dotted line, filled arrow",
            phrase="is converted into",
        ),
        Relation(
            "increases",
            "raises a level",
            "positive influence",
            "solid",
            "normalnormal",
            drawn_as="solid line, double filled arrow",
        ),
        Relation(
            "decreases",
            "lowers a level",
            "negative influence",
            "solid",
            "teetee",
            drawn_as="solid line, double bar",
        ),
        Relation(
            "requires",
            "is necessary for",
            "necessary stimulation",
            "solid",
            "normalnonetee",
            drawn_as="solid line, arrow with bar",
            phrase="is necessary for",
        ),
        Relation(
            "modulates",
            "influence of unknown sign",
            "unknown influence",
            "solid",
            "odiamond",
            drawn_as="solid line, open diamond",
        ),
        Relation(
            "leads-to",
            "downstream, mechanism unspecified",
            "unknown influence",
            "dashed",
            "onormal",
            drawn_as="dashed line, open arrow",
        ),
    )
}
"""Edge relations, after SBGN Activity Flow arcs and BEL relations."""


@dataclass(frozen=True)
class Certainty:
    """How established one step (or a whole pathway) is, as its sources state it."""

    name: str
    meaning: str
    hedge: str
    """What a sentence puts before the verb: "is thought to", "may"; ``""`` for a plain statement."""
    mark: str
    """The glyph drawn after the step number on the edge: the figure's channel for certainty."""
    words: str
    """The source's own kind of wording, for the manual and the legend's tooltip."""


CERTAINTIES: dict[str, Certainty] = {
    c.name: c
    for c in (
        Certainty("established", "shown and not in dispute", "", "", 'stated as fact ("blocks")'),
        Certainty(
            "proposed",
            "the mechanism its sources put forward",
            "is thought to",
            "?",
            '"is thought to", "proposed", "leads to" in a model',
        ),
        Certainty(
            "hypothesis",
            "one possible explanation among others",
            "may",
            "??",
            '"may", "one hypothesis", "could", "potential"',
        ),
    )
}
"""How sure a step is, from most to least; an edge without one says nothing about it."""


@dataclass(frozen=True)
class NodeKind:
    """How one kind of entity is drawn: shape and colours for both palettes."""

    name: str
    shape: str
    style: str
    fill: str
    fill_dark: str
    description: str


NODE_KINDS: dict[str, NodeKind] = {
    k.name: k
    for k in (
        NodeKind(
            "drug", "box", "rounded,filled,bold", "#fde2e4", "#5c2b33", "a drug or ligand given from outside"
        ),
        NodeKind("receptor", "ellipse", "filled", "#dbeafe", "#1e3a5f", "a receptor or ion channel"),
        NodeKind("transporter", "hexagon", "filled", "#e0e7ff", "#312e6b", "a membrane transporter"),
        NodeKind(
            "transmitter", "ellipse", "filled,dashed", "#dcfce7", "#1f4d33", "a neurotransmitter or hormone"
        ),
        NodeKind("protein", "box", "filled", "#fef3c7", "#5a4512", "a protein, enzyme or growth factor"),
        NodeKind("cell", "box3d", "filled", "#f3e8ff", "#45265e", "a kind of cell"),
        NodeKind(
            "process", "box", "rounded,filled,dashed", "#f1f5f9", "#2f3b4a", "a cellular or network process"
        ),
        NodeKind(
            "outcome", "doubleoctagon", "filled", "#ccfbf1", "#134e48", "an effect on structure or behaviour"
        ),
    )
}
"""Node kinds; shape and border carry the kind, colour only repeats it."""

TERM_KINDS: tuple[str, ...] = (*NODE_KINDS, "hormone", "region", "condition", "concept")
"""Glossary terms may also name hormones (glucocorticoids are not transmitters), brain regions, conditions and concepts."""


@dataclass(frozen=True, slots=True)
class Region:
    """A brain region or compartment, drawn as a (possibly nested) cluster."""

    id: str
    label: str
    parent: str | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class Node:
    """One entity in one pathway."""

    id: str
    label: str
    kind: str
    term: str | None = None
    region: str | None = None
    on: str | None = None
    same_as: str | None = None
    note: str = ""
    line: int = 0
    identifiers: tuple[str, ...] = ()
    """The node's own database identifiers (CURIEs), added to its term's."""


@dataclass(frozen=True, slots=True)
class Edge:
    """A typed interaction between two nodes, with its sources."""

    source: str
    target: str
    rel: str
    note: str = ""
    cite: tuple[str, ...] = ()
    line: int = 0
    certainty: str = ""
    """A name from :data:`CERTAINTIES`, or ``""`` to take the pathway's."""
    evidence: tuple[str, ...] = ()
    """Evidence and Conclusion Ontology codes (``ECO:0000304``) for this step."""


@dataclass(frozen=True, slots=True)
class Pathway:
    """A mechanism: regions, nodes and edges read from one pathway file."""

    id: str
    title: str
    source: str
    nodes: dict[str, Node]
    edges: list[Edge]
    regions: dict[str, Region] = field(default_factory=dict)
    cite: tuple[str, ...] = ()
    body: str = ""
    line: int = 1
    body_line: int = 1
    cite_line: int = 1
    short: str = ""
    """A short name for keys and table headings (``short: Ketamine``); defaults to the title."""
    certainty: str = ""
    """How established the pathway as a whole is; the default of its edges."""
    evidence: tuple[str, ...] = ()
    """ECO codes for the pathway as a whole."""

    def certainty_of(self, edge: Edge) -> str:
        """The edge's own certainty, else the pathway's (``""``: not stated)."""
        return edge.certainty or self.certainty

    def evidence_of(self, edge: Edge) -> tuple[str, ...]:
        """The edge's own evidence codes, else the pathway's."""
        return edge.evidence or self.evidence

    @property
    def name(self) -> str:
        """The short name, else the title."""
        return self.short or self.title

    def cell_of(self, node: Node) -> tuple[str, str | None] | None:
        """(name, glossary slug) of the cell ``node`` sits ``on``, or ``None``.

        ``on`` names a cell node of this pathway, or else a glossary term.
        """
        if not node.on:
            return None
        cell = self.nodes.get(node.on)
        if cell is not None and cell.id != node.id:
            return cell.label, cell.term
        return node.on.replace("-", " "), node.on

    @property
    def caption(self) -> str:
        """The body's first paragraph: the short description of the figure."""
        return self.body.strip().split("\n\n", 1)[0].strip() if self.body.strip() else ""

    @property
    def explanation(self) -> str:
        """The body after its first paragraph."""
        parts = self.body.strip().split("\n\n", 1)
        return parts[1].strip() if len(parts) > 1 else ""

    def terms(self) -> set[str]:
        """Glossary slugs this pathway's nodes link to."""
        return {n.term for n in self.nodes.values() if n.term}

    def all_citations(self) -> list[str]:
        """Citation keys in reading order: the figure's, then each edge's."""
        keys: list[str] = list(self.cite)
        for edge in self.edges:
            keys.extend(edge.cite)
        return list(dict.fromkeys(keys))


@dataclass(frozen=True, slots=True)
class Term:
    """A glossary entry, read from ``glossary/<slug>.md``."""

    slug: str
    term: str
    kind: str
    summary: str
    aliases: tuple[str, ...] = ()
    body: str = ""
    source: str = ""
    line: int = 1
    link: bool = True
    identifiers: tuple[str, ...] = ()
    """Database identifiers (CURIEs) of the entity, e.g. ``CHEBI:6121``."""

    def names(self) -> tuple[str, ...]:
        """The term and its aliases, as written."""
        return (self.term, *self.aliases)


@dataclass(frozen=True, slots=True)
class Reference:
    """One bibliography entry, already formatted for display."""

    key: str
    text: str
    html: str = ""
    """The entry as the CSL style formats it, already escaped (italics as ``<i>``)."""
    doi: str = ""
    url: str = ""
    line: int = 0
