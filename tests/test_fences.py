"""The rules of id-naming figure fences, shared by the build and ``check``."""

from __future__ import annotations

import pytest
from mkdocs_mechanisms.fences import fence_problems
from mkdocs_mechanisms.render.graph import COMPARE_STYLES

PATHWAYS = ("ketamine", "psilocybin", "caffeine", "a", "b", "c", "d", "e")
TERMS = ("nmda-receptor", "bdnf")


def messages(kind: str, *ids: str) -> list[str]:
    return [p.message for p in fence_problems(kind, ids, PATHWAYS, TERMS)]


@pytest.mark.parametrize(
    ("kind", "ids"),
    [
        ("pathway", ("ketamine",)),
        ("pathway-compare", ("ketamine", "psilocybin")),
        ("pathway-neighbourhood", ("bdnf",)),
    ],
)
def test_valid_fences_have_no_problems(kind: str, ids: tuple[str, ...]) -> None:
    assert fence_problems(kind, ids, PATHWAYS, TERMS) == []


def test_each_mistake_gets_its_own_message() -> None:
    assert messages("pathway") == ["fence 'pathway' names no pathway id"]
    assert messages("pathway", "ketamine", "psilocybin") == [
        "a 'pathway' fence draws one pathway, but names 2: ketamine psilocybin"
    ]
    assert messages("pathway", "ketamin") == ["unknown pathway 'ketamin' in 'pathway' fence"]
    assert messages("pathway-compare", "ketamine") == [
        "a 'pathway-compare' fence needs two or more pathway ids"
    ]
    assert messages("pathway-compare", "ketamine", "ketamine") == [
        "a 'pathway-compare' fence names 'ketamine' twice"
    ]
    assert messages("pathway-neighbourhood", "bdnf", "nmda-receptor") == [
        "'pathway-neighbourhood' fence needs one glossary term, got 'bdnf nmda-receptor'"
    ]
    assert messages("pathway-neighbourhood", "bdfn") == [
        "unknown glossary term 'bdfn' in 'pathway-neighbourhood' fence"
    ]


def test_suggestions_and_limits() -> None:
    (unknown,) = fence_problems("pathway-compare", ("ketamine", "psilocibin"), PATHWAYS, TERMS)
    assert unknown.suggestion == "did you mean 'psilocybin'?"
    too_many = PATHWAYS[: len(COMPARE_STYLES) + 1]
    (problem,) = fence_problems("pathway-compare", too_many, PATHWAYS, TERMS)
    assert f"at most {len(COMPARE_STYLES)} pathways" in problem.message
    assert (problem.file, problem.line) == ("", 0)
