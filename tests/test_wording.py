"""A step in words: the relation's verb, hedged as the step's certainty says."""

from __future__ import annotations

import pytest
from mkdocs_mechanisms.model import CERTAINTIES, RELATIONS
from mkdocs_mechanisms.wording import (
    base_form,
    certainty_phrase,
    hedged_verb,
    legend_text,
    pathway_status,
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
