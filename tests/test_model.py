"""The pathway model and its vocabulary: the small rules every other module leans on."""

from __future__ import annotations

import pytest
from helpers_core import pathway
from mkdocs_mechanisms.model import (
    ID_PATTERN,
    NODE_KINDS,
    RELATIONS,
    TERM_KINDS,
    Edge,
    Node,
    Pathway,
    Term,
)


@pytest.mark.parametrize("value", ["a", "7", "nmda-receptor", "5-ht2a", "a-b-c"])
def test_ids_that_are_safe_as_file_names_and_urls(value: str) -> None:
    assert ID_PATTERN.fullmatch(value)


@pytest.mark.parametrize("value", ["", "-a", "a-", "A", "a_b", "a b", "a/b", "a.b", "é", "a\n", "\na"])
def test_ids_that_are_not(value: str) -> None:
    assert not ID_PATTERN.fullmatch(value)


def test_every_relation_is_drawn_and_read_in_words() -> None:
    assert RELATIONS["leads-to"].verb == "leads to"  # the name, hyphens as spaces
    assert RELATIONS["converts"].verb == "is converted into"  # an explicit phrase wins
    for relation in RELATIONS.values():
        assert relation.drawn_as and relation.meaning and relation.sbgn
    # apart from two pairs of synonyms, no two relations look the same (line and head)
    looks = {(r.style, r.arrowhead, r.penwidth) for r in RELATIONS.values()}
    same = {"activates", "stimulates"}, {"releases", "produces"}
    assert len(looks) == len(RELATIONS) - len(same)


def test_node_kinds_carry_shape_and_both_palettes_and_terms_may_name_more() -> None:
    for kind in NODE_KINDS.values():
        assert kind.shape and kind.fill.startswith("#") and kind.fill_dark.startswith("#")
    assert TERM_KINDS[: len(NODE_KINDS)] == tuple(NODE_KINDS)
    assert {"hormone", "region", "condition", "concept"} <= set(TERM_KINDS)


def test_caption_is_the_first_paragraph_and_explanation_the_rest() -> None:
    p = pathway(
        "title: T\nnodes:\n  a: {label: A, kind: drug}\nedges: []",
        body="\nFirst line\nstill first.\n\nSecond.\n\nThird.\n",
    )
    assert p.caption == "First line\nstill first."
    assert p.explanation == "Second.\n\nThird."
    alone = Pathway("p", "T", "diagrams/p.md", {}, [], body="  Only.  ")
    assert (alone.caption, alone.explanation) == ("Only.", "")
    empty = Pathway("p", "T", "diagrams/p.md", {}, [], body="\n \n")
    assert (empty.caption, empty.explanation) == ("", "")


def test_the_short_name_defaults_to_the_title() -> None:
    assert Pathway("p", "Ketamine at the synapse", "s", {}, []).name == "Ketamine at the synapse"
    assert Pathway("p", "Ketamine at the synapse", "s", {}, [], short="Ketamine").name == "Ketamine"


def test_citations_in_reading_order_once_each() -> None:
    edges = [Edge("a", "b", "activates", cite=("b2", "a1")), Edge("b", "a", "inhibits", cite=("a1", "c3"))]
    p = Pathway("p", "T", "s", {}, edges, cite=("a1",))
    assert p.all_citations() == ["a1", "b2", "c3"]


def test_terms_are_the_linked_slugs_only() -> None:
    nodes = {
        "a": Node("a", "A", "drug", term="drug-a"),
        "b": Node("b", "B", "receptor"),
        "c": Node("c", "C", "receptor", term="drug-a"),
    }
    assert Pathway("p", "T", "s", nodes, []).terms() == {"drug-a"}


def test_the_cell_a_node_sits_on_is_a_cell_node_or_else_a_glossary_term() -> None:
    nodes = {
        "pyr": Node("pyr", "Pyramidal neuron", "cell", term="pyramidal-neuron"),
        "r1": Node("r1", "R1", "receptor", on="pyr"),
        "r2": Node("r2", "R2", "receptor", on="gabaergic-interneuron"),
        "r3": Node("r3", "R3", "receptor"),
        "self": Node("self", "Self", "cell", on="self"),
    }
    p = Pathway("p", "T", "s", nodes, [])
    assert p.cell_of(nodes["r1"]) == ("Pyramidal neuron", "pyramidal-neuron")
    assert p.cell_of(nodes["r2"]) == ("gabaergic interneuron", "gabaergic-interneuron")
    assert p.cell_of(nodes["r3"]) is None
    assert p.cell_of(nodes["self"]) == ("self", "self")  # never its own container


def test_a_term_is_known_by_its_name_and_aliases() -> None:
    term = Term("nmda-receptor", "NMDA receptor", "receptor", "A glutamate receptor.", aliases=("NMDAR",))
    assert term.names() == ("NMDA receptor", "NMDAR")
