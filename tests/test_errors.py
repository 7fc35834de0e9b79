"""Author-facing problems: how one reads in a log, and the "did you mean" hint."""

from __future__ import annotations

import pytest
from mkdocs_mechanisms.errors import MechanismsError, Problem, RenderError, did_you_mean


@pytest.mark.parametrize(
    ("problem", "text"),
    [
        (
            Problem("diagrams/a.md", 3, "nodes.x", "unknown kind", "use 'drug'"),
            "diagrams/a.md:3: nodes.x: unknown kind (use 'drug')",
        ),
        (Problem("diagrams/a.md", 3, "", "bad"), "diagrams/a.md:3: bad"),
        (
            Problem("mkdocs.yml", 0, "plugins.mechanisms.link", "bad"),
            "mkdocs.yml: plugins.mechanisms.link: bad",
        ),
        (Problem("docs/x.md", 0, "", "cannot read"), "docs/x.md: cannot read"),
    ],
)
def test_a_problem_reads_file_line_path_message_and_hint(problem: Problem, text: str) -> None:
    assert str(problem) == text


def test_control_and_bidi_characters_are_shown_escaped_never_sent_to_the_terminal() -> None:
    problem = Problem("docs/\x1b[31mred.md", 1, "title", "label 'a\u202eb\x07c\x9b'", "fix\u2066 it")
    text = str(problem)
    assert text == "docs/\\x1b[31mred.md:1: title: label 'a\\u202eb\\x07c\\x9b' (fix\\u2066 it)"
    assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in text)
    assert problem.message == "label 'a\u202eb\x07c\x9b'"  # the data itself is kept as written


def test_tabs_stay_as_they_are() -> None:
    assert str(Problem("f", 1, "", "a\tb")) == "f:1: a\tb"


def test_problems_sort_by_file_then_line() -> None:
    found = [Problem("b.md", 1, "", "x"), Problem("a.md", 10, "", "y"), Problem("a.md", 2, "", "z")]
    assert [(p.file, p.line) for p in sorted(found)] == [("a.md", 2), ("a.md", 10), ("b.md", 1)]


def test_an_error_holds_every_problem_and_says_each_on_its_own_line() -> None:
    one = Problem("a.md", 1, "", "first")
    two = Problem("a.md", 2, "", "second")
    assert MechanismsError(one).problems == [one]
    error = MechanismsError(p for p in (one, two))  # any iterable, read once
    assert error.problems == [one, two]
    assert str(error) == "a.md:1: first\na.md:2: second"


def test_a_render_error_is_caught_as_an_author_facing_error() -> None:
    with pytest.raises(MechanismsError) as raised:
        raise RenderError(Problem("", 0, "", "Graphviz is missing"))
    assert raised.value.problems[0].message == "Graphviz is missing"


@pytest.mark.parametrize(
    ("value", "choices", "hint"),
    [
        ("lnk", ["link", "engine", "tooltips"], "did you mean 'link'?"),
        ("DRUG", ["drug", "cell"], "did you mean 'drug'?"),  # case is only a fallback
        ("Recepter", ["Receptor", "Cell"], "did you mean 'Receptor'?"),
        ("zzz", ["b", "a", "a"], "expected one of: a, b"),  # sorted, once each
        ("zzz", [f"choice{i:02}" for i in range(13)], ""),  # too many to list
        ("zzz", [], ""),
    ],
)
def test_did_you_mean(value: str, choices: list[str], hint: str) -> None:
    assert did_you_mean(value, choices) == hint
