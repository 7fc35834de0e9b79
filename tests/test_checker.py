"""One file's values read one by one: each problem located at its key, the reading goes on."""

from __future__ import annotations

from mkdocs_mechanisms.checker import Checker
from mkdocs_mechanisms.frontmatter import read_front_matter


def checker(front: str) -> Checker:
    data, _, _ = read_front_matter(f"---\n{front}\n---\n", "f.md")
    return Checker(data, "f.md")


def test_text_reports_a_wrong_type_and_a_blank_value_at_their_lines() -> None:
    check = checker("a: [1]\nb: ' '\nc: 5")
    top = check.data.value
    assert check.text(top, "a", (), required=True) == ""
    assert check.text(top, "b", (), required=True) == ""
    assert check.text(top, "c", (), required=True) == "5"  # a bare number is fine as text
    assert [str(p) for p in check.problems] == [
        "f.md:2: a: wrong type: expected text, got list [1]",
        "f.md:3: b: 'b' is blank (write the b as text)",
    ]


def test_a_misspelt_required_key_is_reported_once_and_its_value_stands_in() -> None:
    check = checker("lable: A")
    top = check.data.value
    check.keys(top, ("label",), ())
    assert check.text(top, "label", (), required=True) == "A"
    assert [p.message for p in check.problems] == ["unknown key 'lable'"]


def test_citation_keys_lose_their_at_sign_and_bad_ones_are_dropped() -> None:
    check = checker("cite: ['@a1', 'b c', x]")
    assert check.keylist(check.data.value, "cite", ()) == ("a1", "x")
    assert [str(p).split(" (")[0] for p in check.problems] == ["f.md:2: cite[1]: invalid citation key 'b c'"]


def test_contained_problems_are_told_apart_from_the_rest() -> None:
    check = checker("a: [1]\nb: [2]")
    top = check.data.value
    check.text(top, "a", (), required=False)
    since = len(check.problems)
    check.text(top, "b", (), required=False)
    check.contain(since)
    assert [p in check.contained for p in check.problems] == [False, True]
