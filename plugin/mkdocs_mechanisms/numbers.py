"""One figure numbering for the whole site, and back-links in reading order.

Figures are numbered once every page exists: a pathway takes its number
where it is first embedded in reading order and keeps it on every other
page, so the article's Figure 1 is Figure 1 wherever it is shown. The home
page and pages outside the article (``outside_article`` globs) reuse the
numbers; they set numbers only for pathways the article never shows.
"""

from __future__ import annotations

import fnmatch
import hashlib
import html
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from .deferred import Slot, positions, slot


def number_key(kind: str, name: str) -> str:
    """A figure-number key (space-free, as a slot argument holds several): a pathway id, or a hash for one-off figures."""
    if kind == "pathway":
        return name
    return f"{kind}-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12]


def placeholder(keys: Sequence[str]) -> str:
    """The slot of a figure's label ("Figure 2." or "Figures 1 and 2 compared."), filled once numbers are known."""
    return slot(Slot.FIGURE_NUMBER, " ".join(keys))


def label(numbers: Mapping[str, int], keys: Sequence[str], word: str) -> str:
    """``Figure 2.``, or ``Figures 1 and 2 compared.`` for an overlay of several."""
    found = [str(numbers[k]) for k in keys if k in numbers]
    if not found:
        return ""
    if len(found) == 1:
        return f"{word} {found[0]}."
    listed = ", ".join(found[:-1]) + " and " + found[-1]
    return f"{word}s {listed} compared."


def outside(src_uri: str, patterns: Iterable[str]) -> bool:
    """Whether a page (by source path, ``plugin/index.md``) matches one of the globs."""
    return any(fnmatch.fnmatchcase(src_uri, p) for p in patterns)


@dataclass
class FigureNumbers:
    """Numbers by first embedding; ``visit`` pages in reading order."""

    numbers: dict[str, int] = field(default_factory=dict)

    def visit(self, content: str) -> None:
        """Number the figures of one page that have no number yet."""
        for _at, _kind, keys in positions(content, {Slot.FIGURE_NUMBER}):
            for key in keys.split():
                self.numbers.setdefault(key, len(self.numbers) + 1)


@dataclass
class Numbering:
    """Citation numbers by first use; ``cited_on`` remembers where each key is cited."""

    numbers: dict[str, int] = field(default_factory=dict)
    cited_on: dict[str, list[Any]] = field(default_factory=dict)
    """Per key, the places given to :meth:`visit`: ``(title, url)`` pairs or ``numbers.Place``."""

    def number(self, key: str) -> int:
        """The key's number, assigning the next one on first use."""
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
        return self.numbers[key]

    def visit(self, keys: Sequence[str], where: Any = None) -> list[int]:
        """Number ``keys`` in order and record ``where`` (title, url) for back-links."""
        numbers = [self.number(k) for k in keys]
        if where is not None:
            for key in keys:
                places = self.cited_on.setdefault(key, [])
                if where not in places:
                    places.append(where)
        return numbers


def number_site(
    pages: Sequence[tuple[str, str]],
    patterns: Iterable[str],
    home: str = "index.md",
    generated: Iterable[str] = (),
) -> FigureNumbers:
    """Numbers for ``(src_uri, content)`` pages given in reading order.

    Article pages go first, then the home page; pages outside the article and the
    plugin's own pages (``generated`` globs: a pathway's page, a term's) come last,
    so they only number what the article leaves out. In a one-page article (the home
    page alone) its first figure is Figure 1.
    """
    last = [*patterns, *generated]
    numbers = FigureNumbers()
    final = [p for p in pages if p[0] != home and outside(p[0], last)]
    later = [p for p in pages if p[0] == home]
    for _, content in [p for p in pages if p not in final and p not in later] + later + final:
        numbers.visit(content)
    return numbers


@dataclass(frozen=True)
class Place:
    """Where a term is mentioned or a source cited: a page, and a section of it."""

    page_title: str
    page_url: str
    section: str = ""
    section_url: str = ""


def group_places(
    places: Iterable[Place], order: Sequence[str]
) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """One entry per page, in reading order (``order``: page URLs), each with its sections once."""
    rank = {url: i for i, url in enumerate(order)}
    pages: dict[str, tuple[str, str, list[tuple[str, str]]]] = {}
    for place in places:
        entry = pages.setdefault(place.page_url, (place.page_title, place.page_url, []))
        if place.section and (place.section, place.section_url) not in entry[2]:
            entry[2].append((place.section, place.section_url))
    return sorted(pages.values(), key=lambda e: (rank.get(e[1], len(rank)), e[1]))


def places_html(
    groups: Sequence[tuple[str, str, list[tuple[str, str]]]], href: Callable[[str], str], css_class: str
) -> str:
    """``<ul>`` with one line per page: the page, then its sections.

    Kept out of the search index: the lines only repeat page titles, and on a large site's
    references page they outgrow Zensical's per-page index limit (65,536 token positions).
    """
    items: list[str] = []
    bare: list[str] = []  # pages cited without a section, one line per folder
    folder = None

    def flush() -> None:
        if len(bare) > FOLD_PAGES:  # a long run (a glossary's worth) folds behind its first page
            # the first page stays outside the summary: a link inside a summary is a control
            # nested in a control, which screen readers may not announce (axe: nested-interactive)
            rest = " · ".join(bare[1:])
            items.append(
                f'<li>{bare[0]} <details class="mechanisms-more"><summary>and {len(bare) - 1} more</summary>'
                f"{rest}</details></li>"
            )
        elif bare:
            items.append(f"<li>{' · '.join(bare)}</li>")
        bare.clear()

    for title, url, sections in groups:
        page = f'<a href="{html.escape(href(url))}">{html.escape(title)}</a>'
        if not sections:
            top = url.strip("/").split("/")[0] if "/" in url.strip("/") else ""
            if top != folder:
                flush()
                folder = top
            bare.append(page)
            continue
        flush()
        folder = None
        items.append(f"<li>{page}: {_sections_html(sections, href)}</li>")
    flush()
    if len(items) > SHOW_PAGES:  # a source cited all over the site: the rest behind a disclosure
        # (no list inside the list: Material's search parser cannot skip nested lists it excludes)
        rest = "".join(f"<div>{item[4:-5]}</div>" for item in items[SHOW_PAGES - 1 :])
        more = len(items) - SHOW_PAGES + 1
        items[SHOW_PAGES - 1 :] = [f"<li><details><summary>{more} more pages</summary>{rest}</details></li>"]
    return f'<ul class="{css_class}" data-search-exclude>{"".join(items)}</ul>'


_STEP = re.compile(r"^step (\d+)$")
FOLD_PAGES = 5
SHOW_PAGES = 5
"""Lines of back-links shown; more fold into a disclosure, so no entry is longer than a screen."""
"""More pages of one folder cited without a section than this fold into a disclosure."""


def _sections_html(sections: Sequence[tuple[str, str]], href: Callable[[str], str]) -> str:
    """A page's sections; its walkthrough steps as one compact range ("steps 1–4, 7"), each part linked.

    Steps of two figures on one page are said per figure ("the first figure's steps 1–3 · the
    second figure's step 1"): each figure numbers its steps from 1.
    """
    links = [
        f'<a href="{html.escape(href(u))}">{html.escape(s)}</a>' for s, u in sections if not _STEP.match(s)
    ]
    by_figure: dict[int, list[tuple[int, str]]] = {}
    for s, u in sections:
        if m := _STEP.match(s):
            place = _FIGURE_OF_STEP.search(u)
            by_figure.setdefault(int(place.group(1)) if place else 0, []).append((int(m.group(1)), u))
    for figure, found in sorted(by_figure.items()):
        said = _steps_html(sorted(found), href)
        links.append(f"the {_ordinal(figure)} figure’s {said}" if len(by_figure) > 1 else said)
    return " · ".join(links)


_FIGURE_OF_STEP = re.compile(r"#mfig(\d+)-step-\d+$")
"""A step's link names its figure's place on the page (``#mfig2-step-3``: the page's second figure)."""
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")


def _ordinal(n: int) -> str:
    return _ORDINALS[n - 1] if 1 <= n <= len(_ORDINALS) else f"{n}th"


def _steps_html(steps: Sequence[tuple[int, str]], href: Callable[[str], str]) -> str:
    """One figure's steps (sorted) as linked ranges: "steps 1–4, 7"."""
    runs: list[list[tuple[int, str]]] = []
    for n, u in steps:
        if runs and n == runs[-1][-1][0] + 1:
            runs[-1].append((n, u))
        elif not runs or n != runs[-1][-1][0]:  # the same step met twice is said once
            runs.append([(n, u)])
    parts = [
        f'<a href="{html.escape(href(run[0][1]))}">'
        + (f"{run[0][0]}" if len(run) == 1 else f"{run[0][0]}–{run[-1][0]}")
        + "</a>"
        for run in runs
    ]
    word = "step" if sum(len(run) for run in runs) == 1 else "steps"
    return f"{word} {', '.join(parts)}"
