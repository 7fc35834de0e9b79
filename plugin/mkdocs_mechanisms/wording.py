"""How a step is said in words: its relation's verb, hedged as its sources hedge it.

Drawing lives in ``render/``; the sentences that the walkthrough, the tooltips
and the exports share are made here, so a figure says "is thought to release"
wherever it says anything about that step.
"""

from __future__ import annotations

from .model import CERTAINTIES, RELATIONS


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
