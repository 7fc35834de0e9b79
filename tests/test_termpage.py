"""Glossary pages → terms: every mistake named with file, line and key, costing only itself."""

from __future__ import annotations

import pytest
from mkdocs_mechanisms.errors import MechanismsError
from mkdocs_mechanisms.termpage import load_term, read_term


def test_load_term() -> None:
    text = (
        "---\nterm: NMDA receptor\naliases: [NMDA, NMDAR]\nkind: receptor\n"
        "summary: A glutamate-gated channel.\n---\nThe definition [@a].\n"
    )
    t = load_term(text, "docs/glossary/nmda-receptor.md")
    assert (t.slug, t.term, t.kind, t.summary, t.aliases, t.link) == (
        "nmda-receptor",
        "NMDA receptor",
        "receptor",
        "A glutamate-gated channel.",
        ("NMDA", "NMDAR"),
        True,
    )
    assert t.body == "The definition [@a].\n"
    assert t.line == 2
    assert t.names() == ("NMDA receptor", "NMDA", "NMDAR")


@pytest.mark.parametrize("kind", ["region", "condition", "concept", "drug", "outcome"])
def test_load_term_accepts_term_kinds(kind: str) -> None:
    assert load_term(f"---\nterm: X\nkind: {kind}\nsummary: S\nlink: false\n---\n", "g/x.md").link is False


def test_load_term_required_keys() -> None:
    with pytest.raises(MechanismsError) as info:
        load_term("---\naliases: [x]\n---\nbody", "docs/glossary/nmda-receptor.md")
    assert str(info.value).splitlines() == [
        "docs/glossary/nmda-receptor.md:2: missing required key 'term' (add 'term: …')",
        "docs/glossary/nmda-receptor.md:2: missing required key 'kind' (add 'kind: …')",
        "docs/glossary/nmda-receptor.md:2: missing required key 'summary' (add 'summary: …')",
    ]


def test_load_term_without_front_matter() -> None:
    with pytest.raises(MechanismsError) as info:
        load_term("Just prose.", "docs/glossary/bdnf.md")
    assert len(info.value.problems) == 3
    assert all(p.line == 1 for p in info.value.problems)


def test_load_term_unknown_kind_and_key_and_link_type() -> None:
    with pytest.raises(MechanismsError) as info:
        load_term(
            "---\nterm: NMDA receptor\nkind: receptr\nsummary: S\nalias: [x]\nlink: maybe\n---\n",
            "docs/glossary/nmda-receptor.md",
        )
    assert str(info.value).splitlines() == [
        "docs/glossary/nmda-receptor.md:5: alias: unknown key 'alias' (did you mean 'aliases'?)",
        "docs/glossary/nmda-receptor.md:3: kind: unknown term kind 'receptr' (did you mean 'receptor'?)",
        "docs/glossary/nmda-receptor.md:6: link: wrong type: expected true or false, got 'maybe'",
    ]


def test_load_term_slug_from_file_name_must_be_an_id() -> None:
    with pytest.raises(MechanismsError) as info:
        load_term("---\nterm: X\nkind: drug\nsummary: S\n---\n", "docs/glossary/NMDA_Receptor.md")
    assert [p.message for p in info.value.problems] == [
        "invalid glossary term (the file name) id 'NMDA_Receptor'"
    ]


def test_blank_term_name_is_refused() -> None:
    with pytest.raises(MechanismsError, match="term: 'term' is blank"):
        load_term("---\nterm: '  '\nkind: drug\nsummary: S\n---\nBody\n", "docs/glossary/x.md")


def test_a_noncharacter_in_a_glossary_page_is_refused_at_its_line() -> None:
    with pytest.raises(MechanismsError) as info:
        load_term('---\nterm: "A\\uFFFEB"\nkind: drug\nsummary: S\n---\n', "docs/glossary/a.md")
    assert [str(p) for p in info.value.problems] == [
        "docs/glossary/a.md:2: term: Unicode noncharacter U+FFFE in text"
        " (delete it: it cannot appear in a diagram and may hide what the text says)"
    ]


@pytest.mark.parametrize(("written", "name"), [("trem: Caffeine", "Caffeine"), ("trem:", "caffeine")])
def test_a_misspelt_required_glossary_key_is_one_message_and_keeps_the_term(written: str, name: str) -> None:
    text = f"---\n{written}\nkind: drug\nsummary: A stimulant.\n---\nBody.\n"
    term, problems = read_term(text, "docs/glossary/caffeine.md")
    assert [str(p) for p in problems] == [
        "docs/glossary/caffeine.md:2: trem: unknown key 'trem' (did you mean 'term'?)"
    ]  # not also "missing required key 'term'"
    assert term is not None and term.slug == "caffeine" and term.term == name  # its uses stay known
