"""Which pages depend on which sources, as each page actually used them in a build.

Every page records the sources its rendering read (:class:`Source`): the pathways it
embeds (and their terms, whose names and tooltips the figure shows), the terms it links,
the bibliography when it holds a citation candidate, a term page's pathways and related
terms. After an edit, :meth:`Dependencies.pages_using` names the pages to render again;
what pages say about each other (citation numbers, "Mentioned on", figure numbers) is
filled after every page exists and is not a dependency here (see ``record.py``).
A page's record is cleared when the page is rendered again and replaced by what it used
then, as sphinxcontrib-bibtex keeps its citations per document.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from .links import PATHWAYS_DIR
from .sources import Sources


class Kind(StrEnum):
    """What a page can depend on."""

    PATHWAY = "pathway"
    """A pathway file, by id."""
    TERM = "term"
    """A glossary page, by slug."""
    APPEARS = "appears"
    """Which pathways a term appears in, by slug (its page lists them, its neighbourhood draws them)."""
    GLOSSARY = "glossary"
    """The glossary as a whole (its index lists every term)."""
    BIBLIOGRAPHY = "bibliography"
    """The bibliography and its style."""


@dataclass(frozen=True, order=True, slots=True)
class Source:
    """One source a page used."""

    kind: Kind
    name: str = ""


BIBLIOGRAPHY = Source(Kind.BIBLIOGRAPHY)
GLOSSARY = Source(Kind.GLOSSARY)

# One instance per source (cached): every page's uses, and the site's record of them, hold the
# same objects instead of a copy per page (a large site's pages link thousands of terms).


@functools.cache
def pathway(pid: str) -> Source:
    """A pathway file, by id."""
    return Source(Kind.PATHWAY, pid)


@functools.cache
def term(slug: str) -> Source:
    """A glossary page, by slug."""
    return Source(Kind.TERM, slug)


@functools.cache
def appears(slug: str) -> Source:
    """Which pathways a term appears in."""
    return Source(Kind.APPEARS, slug)


def digest(*parts: str | bytes) -> str:
    """A short fingerprint of some text (a source's content, a page's Markdown)."""
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(part.encode("utf-8") if isinstance(part, str) else part)
        hashed.update(b"\0")
    return hashed.hexdigest()[:32]


class Dependencies:
    """Per page, the sources its last rendering used."""

    def __init__(self) -> None:
        self.uses: dict[str, set[Source]] = {}

    def clear(self, page: str) -> None:
        """A page is rendered again: what it used before no longer counts."""
        self.uses[page] = set()

    def record(self, page: str, sources: Iterable[Source]) -> None:
        """What ``page`` used when it was rendered (what it used before no longer counts).

        A set is kept as given, not copied: the page's own set of uses is shared, which saves
        one set per page (2.4 MiB on the large benchmark, where term pages use hundreds).
        """
        self.uses[page] = sources if isinstance(sources, set) else set(sources)

    def add(self, page: str, sources: Iterable[Source]) -> None:
        """Sources ``page`` used."""
        self.uses.setdefault(page, set()).update(sources)

    def of(self, page: str) -> frozenset[Source]:
        """What ``page`` used."""
        return frozenset(self.uses.get(page, ()))

    def pages_using(self, sources: Iterable[Source]) -> set[str]:
        """The pages that used any of ``sources``."""
        wanted = set(sources)
        return {page for page, used in self.uses.items() if used & wanted}


def index_uses(src: str, glossary: str, pathway_ids: Iterable[str]) -> set[Source]:
    """What an index page lists: the glossary's every term, or every pathway's title."""
    if src == f"{glossary}/index.md":
        return {GLOSSARY}
    return {pathway(pid) for pid in pathway_ids} if src == f"{PATHWAYS_DIR}/index.md" else set()


def sources_by_file(sources: Sources, bibliography: str) -> dict[str, set[Source]]:
    """Each source file (relative to the project root) and the sources it defines."""
    found: dict[str, set[Source]] = {}
    for pid, item in sources.pathways.items():
        found.setdefault(item.source, set()).update([pathway(pid), *(appears(slug) for slug in item.terms())])
    for pid, file in sources.broken_pathways.items():
        found.setdefault(file, set()).add(pathway(pid))
    for slug, entry in sources.terms.items():
        found.setdefault(entry.source, set()).update((term(slug), GLOSSARY))
    found.setdefault(bibliography, set()).add(BIBLIOGRAPHY)
    return found


def dependents(
    record: Dependencies,
    files: Iterable[str],
    pages: Iterable[str],
    by_file: Mapping[str, set[Source]],
    *,
    every: set[str],
) -> set[str]:
    """The pages to render again after an edit.

    ``files``: the edited files relative to the project root; ``pages``: the same relative
    to the docs folder. A page's own file names that page; a pathway, glossary page or
    the bibliography names the pages whose rendering used it; anything else (the
    configuration, a new source, a CSL style file) names every page (``every``, with
    every page the record knows). Citation numbers and "Mentioned on" lists are filled
    after every page exists and are not counted here.
    """
    known = every | set(record.uses)
    wanted: set[Source] = set()
    found: set[str] = set()
    for file, page in zip(files, pages, strict=True):
        if file in by_file:
            wanted |= by_file[file]
        elif page not in known:
            return known
        if page in known:
            found.add(page)
    return found | record.pages_using(wanted)
