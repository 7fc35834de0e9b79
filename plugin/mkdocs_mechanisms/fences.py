"""The rules a figure fence that names its content by id must follow.

One function, used by the build (before it draws a figure) and by the
``check`` command (which draws nothing), so that the two can never disagree
about what a fence may say.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from .errors import Problem, did_you_mean
from .render.graph import COMPARE_STYLES


def fence_problems(
    kind: str,
    ids: Sequence[str],
    pathways: Iterable[str],
    terms: Iterable[str],
    interacting: Collection[str] | None = None,
    broken: Collection[str] = (),
) -> list[Problem]:
    """Problems of a ``pathway``, ``pathway-compare`` or ``pathway-neighbourhood`` fence naming ``ids``.

    ``interacting`` names the terms with an edge on some pathway (``None``: not known);
    ``broken`` names pathways whose files have problems of their own: reported there, a fence
    naming one is not also an unknown pathway.

    Problems carry no file or line (``""``, ``0``): the caller knows where the fence is.
    """
    known_pathways = set(pathways)
    if kind == "pathway-neighbourhood":
        return _neighbourhood(ids, set(terms), interacting)
    if kind == "pathway" and len(ids) > 1:
        return [
            Problem(
                "",
                0,
                "",
                f"a 'pathway' fence draws one pathway, but names {len(ids)}: {' '.join(ids)}",
                "use a 'pathway-compare' fence to overlay several, or one fence per pathway",
            )
        ]
    if not ids:
        return [Problem("", 0, "", f"fence '{kind}' names no pathway id")]
    missing = [i for i in ids if i not in known_pathways and i not in broken]
    if missing:
        return [
            Problem(
                "",
                0,
                "",
                f"unknown pathway '{missing[0]}' in '{kind}' fence",
                did_you_mean(missing[0], known_pathways),
            )
        ]
    if kind == "pathway-compare":
        return _compare(ids)
    return []


def _neighbourhood(ids: Sequence[str], terms: set[str], interacting: Collection[str] | None) -> list[Problem]:
    if len(ids) != 1:
        message = f"'pathway-neighbourhood' fence needs one glossary term, got '{' '.join(ids)}'"
        return [Problem("", 0, "", message)]
    if ids[0] not in terms:
        return [
            Problem(
                "",
                0,
                "",
                f"unknown glossary term '{ids[0]}' in 'pathway-neighbourhood' fence",
                did_you_mean(ids[0], terms),
            )
        ]
    if interacting is not None and ids[0] not in interacting:
        return [
            Problem(
                "",
                0,
                "",
                f"glossary term '{ids[0]}' has no interactions on any pathway, so it has no neighbourhood to draw",
                "link a node that has an edge to it with 'term:', or remove the fence",
            )
        ]
    return []


def _compare(ids: Sequence[str]) -> list[Problem]:
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        return [
            Problem(
                "",
                0,
                "",
                f"a 'pathway-compare' fence names '{repeated[0]}' twice",
                "compare different pathways: a pathway shares everything with itself",
            )
        ]
    if len(ids) > len(COMPARE_STYLES):
        return [
            Problem(
                "",
                0,
                "",
                f"a 'pathway-compare' fence compares at most {len(COMPARE_STYLES)} pathways, not {len(ids)}",
                "split the comparison: each pathway needs its own line style and colour",
            )
        ]
    if len(ids) < 2:
        return [
            Problem(
                "",
                0,
                "",
                "a 'pathway-compare' fence needs two or more pathway ids",
                "write the ids on one line, separated by spaces",
            )
        ]
    return []
