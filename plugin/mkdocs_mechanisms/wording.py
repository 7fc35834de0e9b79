"""How a step is said in words: its relation's verb, hedged as its sources hedge it.

Drawing lives in ``render/``; the sentences that the walkthrough, the tooltips
and the exports share are made here, so a figure says "is thought to release"
wherever it says anything about that step. Tooltips, accessible names and
captions as plain words are said here too: `render/` only draws.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping

from . import citesyntax
from .model import CERTAINTIES, RELATIONS, Edge, Node, Pathway, Term


def base_form(verb: str) -> str:
    """The infinitive of a relation's phrase: ``releases`` → ``release``, ``is necessary for`` → ``be necessary for``.

    Every phrase of the fixed relation vocabulary is a third-person present
    tense whose first word is "is" or ends in one "s" (a test holds every
    relation to this).
    """
    first, _, rest = verb.partition(" ")
    if first == "is":
        first = "be"
    elif first.endswith("s") and not first.endswith("ss"):
        first = first[:-1]
    return f"{first} {rest}" if rest else first


def hedged_verb(rel: str, certainty: str) -> str:
    """The relation's phrase with the certainty's hedge: ``blocks``, ``is thought to block``, ``may block``."""
    verb = RELATIONS[rel].verb
    found = CERTAINTIES.get(certainty)
    if found is None or not found.hedge:
        return verb
    return f"{found.hedge} {base_form(verb)}"


def step_mark(step: int | None, certainty: str) -> str:
    """The text drawn on an edge: its step number and the certainty's glyph (``3``, ``3?``, ``??``)."""
    found = CERTAINTIES.get(certainty)
    mark = found.mark if found is not None else ""
    return (str(step) if step is not None else "") + mark


def certainty_phrase(certainty: str, evidence: tuple[str, ...] = ()) -> str:
    """``proposed (ECO:0000304)``: the certainty for notes and exports; ``""`` when none is stated."""
    if certainty not in CERTAINTIES:
        return ""
    return certainty + (f" ({', '.join(evidence)})" if evidence else "")


def legend_text(certainty: str) -> str:
    """The legend's words for one certainty: ``proposed: "is thought to"``."""
    found = CERTAINTIES[certainty]
    return f"{found.name}: “{found.hedge}”" if found.hedge else f"{found.name}: stated as fact"


def pathway_status(certainty: str) -> str:
    """The sentence under a pathway page's figure: ``How established: *proposed*, the mechanism …``."""
    found = CERTAINTIES.get(certainty)
    if found is None:
        return ""
    return f"How established, as a whole: *{found.name}*, {found.meaning}."


def node_tooltip(label: str, kind: str, term: Term | None, note: str) -> str:
    """Tooltip text for a node: the term's summary, else the node's note.

    A term's is one string however many nodes show it (interned: 22k copies, 3.8 MiB, on the
    large benchmark's graphs, for 1,000 terms).
    """
    if term is not None:
        return sys.intern(f"{term.term}: {term.summary}")
    return f"{label} ({kind})" + (f": {note}" if note else "")


def lower_first(name: str) -> str:
    """``Pyramidal neuron`` → ``pyramidal neuron`` mid-sentence; ``GABA``, ``NMDA receptor`` stay."""
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        return name[0].lower() + name[1:]
    return name


def cell_name(on: str, terms: Mapping[str, Term]) -> str:
    """The name of the cell a node sits on, for running text."""
    term = terms.get(on)
    return lower_first(term.term if term else on.replace("-", " "))


def on_phrase(pathway: Pathway, node: Node, terms: Mapping[str, Term]) -> str:
    """``on pyramidal neuron``: the second label line where no container is drawn."""
    cell = pathway.cell_of(node)
    if cell is None:
        return ""
    return f"on {cell_name(cell[1], terms) if cell[1] is not None and cell[1] in terms else lower_first(cell[0])}"


def step_sentence(pathway: Pathway, edge: Edge, terms: Mapping[str, Term]) -> str:
    """``Ketamine blocks NMDA receptor on GABAergic interneuron``: one edge in words."""
    src, tgt = pathway.nodes[edge.source], pathway.nodes[edge.target]
    text = f"{src.label} {hedged_verb(edge.rel, pathway.certainty_of(edge))} {lower_first(tgt.label)}"
    if tgt.on and edge.source != tgt.on:
        text += " " + on_phrase(pathway, tgt, terms)
    return text


_CITATION = re.compile(citesyntax.BRACKETED)
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_MARK = re.compile(r"[*_`]+")


def plain_text(markdown: str) -> str:
    """A caption as plain words for an SVG <desc>: no citations, link targets or emphasis marks."""
    text = _CITATION.sub("", markdown)
    text = _MD_LINK.sub(r"\1", text)
    return " ".join(_MD_MARK.sub("", text).split()).replace(" .", ".").replace(" ,", ",")
