"""Pandoc's citation syntax, read as pandoc reads it.

The cases follow pandoc's own citation tests (``test/command/pandoc-citeproc-*.md``:
the Chicago author-date and IEEE runs, locators integrated and delimited) and the
MANUAL's "Citation syntax" section, restated here with this project's keys.
"""

from __future__ import annotations

import pytest
from mkdocs_mechanisms.citesyntax import (
    Cluster,
    Item,
    candidates,
    locator_terms,
    parse_bracketed,
    parse_in_text,
    split_locator,
    strict_form,
)


def in_text(text: str) -> Cluster | None:
    match = next(candidates(text))
    assert match.group("in_text"), match.group(0)
    return parse_in_text(match)


def test_a_comment_in_the_locale_is_no_locator_term() -> None:
    """The en-US locale explains "chapter" in a comment inside the term; only its forms count."""
    terms = locator_terms()
    assert all("<" not in form and "cmos" not in form for form in terms)
    assert {form for form, term in terms.items() if term == "chapter"} == {
        "chapter",
        "chapters",
        "chap.",
        "chaps.",
        "c.",
        "cc.",
    }


def test_locator_terms_come_from_the_csl_locale_in_every_form() -> None:
    terms = locator_terms()
    for written, term in [
        ("p.", "page"),
        ("pp.", "page"),
        ("page", "page"),
        ("pages", "page"),
        ("chap.", "chapter"),
        ("chapter", "chapter"),
        ("fig.", "figure"),
        ("figs.", "figure"),
        ("sec.", "section"),
        ("§", "section"),
        ("¶", "paragraph"),
        ("vol.", "volume"),
        ("l.", "line"),
        ("n.", "note"),
        ("para.", "paragraph"),
        ("s.v.", "sub-verbo"),
        ("bk.", "book"),
        ("col.", "column"),
        ("v.", "verse"),
    ]:
        assert terms[written] == term, written


@pytest.mark.parametrize(
    ("suffix", "expected"),
    [
        (", p. 233", ("page", "233", "")),
        (", pp. 232-235", ("page", "232-235", "")),
        (" p. 30", ("page", "30", "")),  # pandoc needs no comma before the term
        (", chap. 2", ("chapter", "2", "")),
        (", chapter 4", ("chapter", "4", "")),
        (", fig. 3", ("figure", "3", "")),
        (", sec. 2.1", ("section", "2.1", "")),
        (", § 4", ("section", "4", "")),
        (", vol. iv", ("volume", "iv", "")),  # a roman numeral after a term
        (", 45", ("page", "45", "")),  # no term: a number is a page
        (", p.3", ("page", "3", "")),
        # a locator of several parts, then the author's own words
        (" pp. 33, 35-37, and nowhere else", ("page", "33, 35-37", ", and nowhere else")),
        (", 33-35 and *passim*", ("page", "33-35", " and *passim*")),
        (" p. 30, with suffix", ("page", "30", ", with suffix")),
        (" p. **32**", ("page", "32", "")),  # emphasis in a locator is not part of it
        # braces force a locator, or (empty) force the rest to be a suffix
        ("{ii, A, D-Z}, with a suffix", ("page", "ii, A, D-Z", ", with a suffix")),
        (
            ", {pp. iv, vi-xi, (xv)-(xvii)} with suffix here",
            ("page", "iv, vi-xi, (xv)-(xvii)", " with suffix here"),
        ),
        ("{}, 99 years later", ("", "", ", 99 years later")),
        # no locator at all
        (" and nowhere else", ("", "", " and nowhere else")),
        (", with a suffix", ("", "", ", with a suffix")),
        (", s.v. cat", ("", "", ", s.v. cat")),  # after a term, words need a digit or a roman numeral
        ("", ("", "", "")),
    ],
)
def test_a_suffix_gives_its_locator_as_pandoc_reads_it(suffix: str, expected: tuple[str, str, str]) -> None:
    assert split_locator(suffix) == expected


def test_bracketed_citations_with_prefixes_locators_and_suffixes() -> None:
    assert parse_bracketed("[@vane1971]") == Cluster((Item("vane1971"),))
    assert parse_bracketed("[@vane1971, p. 233]") == Cluster((Item("vane1971", label="page", locator="233"),))
    assert parse_bracketed("[see @a, pp. 232-235; also @b, chap. 2]") == Cluster(
        (
            Item("a", prefix="see", label="page", locator="232-235"),
            Item("b", prefix="also", label="chapter", locator="2"),
        )
    )
    assert parse_bracketed("[see @a, pp. 33-35 and *passim*; @b, chap. 1]") == Cluster(
        (
            Item("a", prefix="see", suffix=" and *passim*", label="page", locator="33-35"),
            Item("b", label="chapter", locator="1"),
        )
    )
    assert parse_bracketed("[*see* @item1 p. **32**]") == Cluster(
        (Item("item1", prefix="*see*", label="page", locator="32"),)
    )
    assert parse_bracketed("[@item1 and nowhere else]") == Cluster(
        (Item("item1", suffix=" and nowhere else"),)
    )


def test_author_suppression_braced_keys_and_spacing() -> None:
    assert parse_bracketed("[-@smith04]") == Cluster((Item("smith04", suppress_author=True),))
    assert parse_bracketed("[-@item2 p. 44]") == Cluster(
        (Item("item2", label="page", locator="44", suppress_author=True),)
    )
    assert parse_bracketed("[@{Foo_bar.baz}]") == Cluster((Item("Foo_bar.baz"),))
    assert parse_bracketed("[ @a ;@b ]") == Cluster((Item("a"), Item("b")))
    assert parse_bracketed("[@пункт3; @李2020]") == Cluster((Item("пункт3"), Item("李2020")))
    assert parse_bracketed("[see @a,\nchap. 2]") == Cluster(
        (Item("a", prefix="see", label="chapter", locator="2"),)
    )


@pytest.mark.parametrize("text", ["[@]", "[@ key]", "[@a; b]", "[see @]", "[@a;]"])
def test_brackets_that_are_no_citation(text: str) -> None:
    assert parse_bracketed(text) is None


def test_only_a_bracket_that_starts_as_a_citation_is_a_malformed_one() -> None:
    assert strict_form("[@ key]") and strict_form("[-@]") and strict_form("[ @x")
    assert not strict_form("[see @ here]") and not strict_form("[mail a@b.org]")


def test_in_text_citations_name_their_author_first() -> None:
    assert in_text("@smith04 says blah.") == Cluster((Item("smith04"),), in_text=True)
    assert in_text("@smith04 [p. 33] says blah.") == Cluster(
        (Item("smith04", label="page", locator="33"),), in_text=True
    )
    assert in_text("@item1 [p. 30, with suffix] says") == Cluster(
        (Item("item1", suffix=", with suffix", label="page", locator="30"),), in_text=True
    )
    # the bracket after an in-text citation may carry further citations of the same cluster
    assert in_text("@item1 [-@item2 p. 30; see also @item3] says") == Cluster(
        (
            Item("item1"),
            Item("item2", label="page", locator="30", suppress_author=True),
            Item("item3", prefix="see also"),
        ),
        in_text=True,
    )
    assert in_text("@Foo_bar.baz. ends a sentence") == Cluster((Item("Foo_bar.baz"),), in_text=True)


def test_what_is_never_a_citation_candidate() -> None:
    """An e-mail address or a word joined to ``@``; an escaped bracket or a link's text is no bracket."""
    assert [m.group(0) for m in candidates("write to name@example.org or foo@bar")] == []
    for text in [r"\[@key]", "[@key](https://example.org)", "[@key][ref]", "![@key]"]:
        found = [m for m in candidates(text) if m.group("bracketed")]
        assert not found, text
    # a link's "@key" is still an in-text candidate, a citation only if the bibliography has the key
    assert [m.group(0) for m in candidates("[@key](https://example.org)")] == ["@key"]


def test_a_bracket_wins_over_the_keys_inside_it_and_a_link_after_in_text_is_left_alone() -> None:
    assert [m.group(0) for m in candidates("See [see @a] and @b [the docs](url).")] == ["[see @a]", "@b"]
    assert [m.group(0) for m in candidates("[@a]: and [@b].")] == ["[@a]", "[@b]"]
