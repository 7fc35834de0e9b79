"""A step in words: the relation's verb, hedged as the step's certainty says."""

from __future__ import annotations

import pytest
from mkdocs_mechanisms.model import CERTAINTIES, RELATIONS, Term
from mkdocs_mechanisms.wording import (
    base_form,
    certainty_phrase,
    hedged_verb,
    legend_text,
    lower_first,
    node_tooltip,
    pathway_status,
    plain_text,
    step_mark,
)

BASE = {
    "activates": "activate",
    "stimulates": "stimulate",
    "inhibits": "inhibit",
    "blocks": "block",
    "binds": "bind",
    "releases": "release",
    "produces": "produce",
    "converts": "be converted into",
    "increases": "increase",
    "decreases": "decrease",
    "requires": "be necessary for",
    "modulates": "modulate",
    "leads-to": "lead to",
}


def test_every_relation_has_a_correct_infinitive() -> None:
    assert set(BASE) == set(RELATIONS)
    for name, relation in RELATIONS.items():
        assert base_form(relation.verb) == BASE[name]


@pytest.mark.parametrize(
    ("rel", "certainty", "said"),
    [
        ("releases", "established", "releases"),
        ("releases", "", "releases"),
        ("releases", "proposed", "is thought to release"),
        ("releases", "hypothesis", "may release"),
        ("converts", "hypothesis", "may be converted into"),
        ("leads-to", "proposed", "is thought to lead to"),
        ("blocks", "no-such-certainty", "blocks"),
    ],
)
def test_hedged_verb_says_what_the_sources_say(rel: str, certainty: str, said: str) -> None:
    assert hedged_verb(rel, certainty) == said


def test_step_mark_adds_fewer_question_marks_the_surer_a_step_is() -> None:
    assert [step_mark(3, c) for c in CERTAINTIES] == ["3", "3?", "3??"]
    assert step_mark(3, "") == "3"
    assert step_mark(None, "proposed") == "?"
    assert step_mark(None, "") == ""


def test_phrases_for_notes_and_legend() -> None:
    assert certainty_phrase("proposed", ("ECO:0000304",)) == "proposed (ECO:0000304)"
    assert certainty_phrase("hypothesis") == "hypothesis"
    assert certainty_phrase("") == ""
    assert legend_text("proposed") == "proposed: “is thought to”"
    assert legend_text("established") == "established: stated as fact"


def test_pathway_status_names_the_certainty_and_its_meaning() -> None:
    assert (
        pathway_status("hypothesis")
        == "How established, as a whole: *hypothesis*, one possible explanation among others."
    )
    assert pathway_status("") == ""


def test_a_node_tooltip_is_its_terms_summary_else_its_kind_and_note() -> None:
    assert (
        node_tooltip("Drug X", "drug", Term("drug-x", "Drug X", "drug", "A test drug."), "ignored")
        == "Drug X: A test drug."
    )
    assert node_tooltip("Calm", "outcome", None, "Less anxiety.") == "Calm (outcome): Less anxiety."
    assert node_tooltip("Calm", "outcome", None, "") == "Calm (outcome)"


def test_a_caption_becomes_plain_words_for_the_svg_description() -> None:
    text = "Drug *X* acts on [receptor Y](glossary/y.md) in `cortex` [@smith2020; @jones2021].\nSecond line , too ."
    assert plain_text(text) == "Drug X acts on receptor Y in cortex. Second line, too."


def test_lower_first_keeps_acronyms() -> None:
    assert [lower_first(x) for x in ("Pyramidal neuron", "GABA", "NMDA receptor", "GABAergic cell")] == [
        "pyramidal neuron",
        "GABA",
        "NMDA receptor",
        "GABAergic cell",
    ]
