"""Every source of one site, loaded and cross-checked in one place.

A broken file never stops the others from loading: its problems are kept
per file, so that while serving the rest of the site still builds and the
pages that depend on the broken file can show what is wrong.
"""

from __future__ import annotations

import errno
import re
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Generic, TypeVar, cast

from . import bibstore
from .cite import Bibliography, check_keys, find_citations, read_bibtex
from .cslgroup import DEFAULT_STYLE
from .errors import MechanismsError, Problem
from .glossary import Glossary, interacting_terms
from .load import RESERVED_IDS, check_pathway_refs, pathway_id_from_path, read_pathway_parts
from .model import Pathway, Term
from .places import OptionPlaces
from .termpage import read_term

R = TypeVar("R", bound=tuple[object, ...])


@dataclass
class Sources:
    """Pathways, glossary and bibliography, plus the problems met loading them."""

    pathways: dict[str, Pathway] = field(default_factory=dict)
    glossary: Glossary = field(default_factory=lambda: Glossary([]))
    bibliography: Bibliography | None = None
    bibliography_problem: Problem | None = None
    """Why a bibliography file that exists gives no references (not BibTeX, unreadable, no style)."""
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    """Files skipped because they are not readable source files (links to nowhere, pipes, folders)."""
    broken_pathways: dict[str, str] = field(default_factory=dict)
    """Ids of pathway files that could not be drawn, with the file: their problems are reported
    there, so a fence naming one is not also an unknown pathway."""
    broken_keys: set[str] = field(default_factory=set)
    """Keys of bibliography entries that could not be read: reported at the entry, so a citation of
    one is not also an unknown key."""
    entry_problems: dict[str, list[Problem]] = field(default_factory=dict)
    """The problems of each broken entry, by key: a page citing one shows them while serving."""
    _interacting: tuple[dict[str, Pathway], set[str]] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    """:attr:`interacting` for the pathways it was computed from (every figure fence asks)."""

    @property
    def terms(self) -> dict[str, Term]:
        """Glossary terms by slug."""
        return self.glossary.terms

    @property
    def citable(self) -> set[str] | None:
        """Keys a citation may name without a problem of its own (``None``: no bibliography)."""
        if self.bibliography is None:
            return None
        return set(self.bibliography.references) | self.broken_keys

    @property
    def interacting(self) -> set[str]:
        """Terms with an edge on some pathway: those with a neighbourhood diagram.

        Computed once per set of pathways: every figure fence of every page asks, and walking
        every edge of the site each time cost about a second of a medium build.
        """
        if self._interacting is None or self._interacting[0] is not self.pathways:
            self._interacting = (self.pathways, interacting_terms(self.pathways.values()))
        return self._interacting[1]


def _rel(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` as written (a link is named as the link, never its target)."""
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return path.as_posix()


def is_editor_dropping(name: str) -> bool:
    """Dotfiles and the lock, backup and autosave files editors leave beside the files they edit."""
    return name.startswith((".", "#")) or name.endswith(("~", "#", ".swp", ".swx", ".tmp", ".bak"))


def diagram_files(folder: Path) -> list[Path]:
    """The pathway files of ``folder`` (``*.md``, ``*.yml``), without dotfiles and editor droppings."""
    if not folder.is_dir():
        return []
    found = [p for pattern in ("*.md", "*.yml", "*.yaml") for p in folder.glob(pattern)]
    return sorted(p for p in found if not is_editor_dropping(p.name))


def unusable(path: Path) -> str:
    """Why ``path`` cannot be read as a source file, or ``""``; never blocks (no pipe is opened)."""
    try:
        info = path.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "is a symbolic link that loops back on itself; skipped"
        if path.is_symlink():
            return f"is a symbolic link to '{path.readlink()}', which does not exist; skipped"
        if error.errno == errno.ENAMETOOLONG:
            return "has a name too long for this file system; skipped"
        return f"cannot be opened ({error.strerror}); skipped"
    if stat.S_ISDIR(info.st_mode):
        return "is a folder, not a file; skipped"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file (a named pipe, socket or device); skipped"
    return ""


def _read(path: Path, source: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise MechanismsError(Problem(source, 0, "", f"cannot read file: {error}")) from None


def _not_bibtex(name: str) -> Problem:
    """One message for a file with text but no entries, instead of one per citation of it."""
    return Problem(
        name,
        1,
        "",
        "the bibliography has no BibTeX entries (is it a BibTeX file?)",
        "export the references as BibTeX (.bib), or set plugins.mechanisms.bibliography to that file",
    )


DEFAULT_DIAGRAMS_DIR = "diagrams"
DEFAULT_BIBLIOGRAPHY = "references.bib"


def missing_diagrams_dir(
    diagrams_dir: Path, option: str, places: OptionPlaces | None = None
) -> Problem | None:
    """The one message for a diagrams folder that is not there, instead of one per fence."""
    if diagrams_dir.is_dir():
        return None
    return (places or OptionPlaces()).problem(
        "diagrams_dir",
        f"the diagrams folder '{option}' does not exist ({diagrams_dir}), so no pathway can be drawn",
        "create it and put the pathway files there, or set diagrams_dir to the folder that holds them",
    )


def missing_bibliography(
    bibliography: Path, option: str, places: OptionPlaces | None = None
) -> Problem | None:
    """The one message for a bibliography that is not there, instead of one per citation."""
    if bibliography.is_file():
        return None
    return (places or OptionPlaces()).problem(
        "bibliography",
        f"the bibliography '{option}' does not exist ({bibliography}), so no citation can be resolved",
        "put a BibTeX file there, or set bibliography to one inside docs_dir",
    )


def nested_glossary_problems(docs_dir: Path, root: Path, prefix: str, nested: Iterable[str]) -> list[Problem]:
    """Glossary pages in a subfolder: a term's URL is its slug, so they are refused by name."""
    return [
        Problem(
            _rel(docs_dir / src, root),
            0,
            "",
            f"glossary pages sit directly in '{prefix}'; this one is in a subfolder, so it is not a term",
            f"move it to {prefix}{PurePosixPath(src).name}",
        )
        for src in nested
    ]


def load_sources(
    root: Path,
    diagram_files: Iterable[Path],
    glossary_files: Iterable[Path],
    bibliography: Path | None,
    csl_style: str = DEFAULT_STYLE,
    places: OptionPlaces | None = None,
) -> Sources:
    """Load and check everything; problems are collected, never raised.

    ``csl_style`` is a bundled CSL style name or a ``.csl`` path relative to ``root``; a bad one
    is reported where ``places`` says the options are written.
    """
    sources = Sources()

    def usable(paths: Iterable[Path]) -> list[Path]:
        kept = []
        for path in sorted(paths):
            reason = unusable(path)
            if reason:
                sources.warnings.append(Problem(_rel(path, root), 0, "", reason))
            else:
                kept.append(path)
        return kept

    terms: list[Term] = []
    for path in usable(glossary_files):
        name = _rel(path, root)
        try:
            term, problems = _TERMS.read(read_term, _read(path, name), name)
        except MechanismsError as error:
            term, problems = None, error.problems
        sources.problems.extend(problems)  # a bad identifier or alias costs only itself
        if term is not None:
            terms.append(term)
    try:
        sources.glossary = Glossary(terms)
    except MechanismsError as error:
        sources.problems.extend(error.problems)
        sources.glossary = Glossary(_without_duplicates(terms))

    if bibliography is not None:
        name = bib_name = _rel(bibliography, root)
        before = len(sources.problems)
        readable = bool(usable([bibliography]))
        kept = (
            bibstore.recall(
                bibliography,
                name,
                csl_style,
                root,
                # ``bib_name``: the pathways' loop below rebinds ``name`` before a recalled
                # bibliography is read again (it was read under a pathway's file name).
                lambda text: _read_bibliography(text, bib_name, load_style(csl_style, root, places))[0],
            )
            if readable
            else None
        )
        if kept is not None:  # an earlier build read this text with this style without a problem
            sources.bibliography = kept
        elif readable:
            try:
                style = load_style(csl_style, root, places)
                text = _read(bibliography, name)
            except MechanismsError as error:
                sources.problems.extend(error.problems)
            else:
                # A broken entry costs only itself: the rest are still cited and listed.
                sources.bibliography, problems = _read_bibliography(text, name, style)
                if not problems and sources.bibliography is not None:
                    bibstore.keep(sources.bibliography, text, name, csl_style, root)
                sources.problems.extend(problems)
                bib = sources.bibliography
                if problems and bib is not None:
                    sources.broken_keys = entry_keys(text) - set(bib.references)
                    sources.entry_problems = _entry_problems(text, sources.broken_keys, problems)
                if not problems and text.strip() and bib is not None and not bib.references:
                    sources.problems.append(_not_bibtex(name))
                    sources.bibliography = None  # the pathways' keys are not each unknown
        if sources.bibliography is None and len(sources.problems) > before:
            sources.bibliography_problem = sources.problems[before]

    by_id: dict[str, Pathway] = {}
    for path in usable(diagram_files):
        name = _rel(path, root)
        try:
            pathway, problems, drawn = _PATHWAYS.read(read_pathway_parts, _read(path, name), name)
        except MechanismsError as error:
            pathway, problems, drawn = None, error.problems, None
        pid = pathway.id if pathway is not None else pathway_id_from_path(name)
        # The terms and citations it names are checked in the same run; an unknown one only goes
        # unlinked. A bad node or edge is left out; a mistake in the pathway as a whole (title,
        # id, regions) keeps it from being drawn.
        refs = _pathway_refs(pathway, sources) if pathway is not None else []
        sources.problems.extend(problems + refs)
        if pathway is None or drawn is None:
            sources.broken_pathways.setdefault(pid, name)
            continue
        pathway = drawn
        if pathway.id in RESERVED_IDS:
            sources.problems.append(
                Problem(
                    name,
                    pathway.line,
                    "id",
                    f"pathway id '{pathway.id}' is reserved (pathways/{pathway.id} is generated by the plugin)",
                    "choose another id, or add an 'id:' to a file of this name",
                )
            )
            continue
        if pathway.id in by_id:
            other = by_id[pathway.id]
            sources.problems.append(
                Problem(
                    name,
                    1,
                    "id",
                    f"duplicate pathway id '{pathway.id}', already used by {other.source}",
                    "give each pathway its own id",
                )
            )
            continue
        by_id[pathway.id] = pathway
    sources.pathways = dict(sorted(by_id.items()))
    return sources


class _Reads(Generic[R]):
    """Files read in this process, by text and name: each ``serve`` rebuild loads every source again.

    A reader's results are never changed by their users (pathways and terms are frozen, and
    ``tests/test_sources.py`` checks their dicts and lists after serve builds), so one read
    serves every build that finds the same text; the problems come back as a new list each
    time. Bounded: a process that reads more than ``limit`` different texts starts again.
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._kept: dict[tuple[str, str, object], tuple[object, ...]] = {}

    def read(self, reader: Callable[[str, str], R], text: str, name: str, extra: object = None) -> R:
        """``reader(text, name)``, or what it returned for the same text, name and ``extra`` before."""
        key = (text, name, extra)
        if key not in self._kept:
            if len(self._kept) >= self.limit:
                self._kept.clear()
            self._kept[key] = reader(text, name)
        return cast("R", tuple(list(part) if isinstance(part, list) else part for part in self._kept[key]))


_PATHWAYS: _Reads[tuple[Pathway | None, list[Problem], Pathway | None]] = _Reads(20_000)
_TERMS: _Reads[tuple[Term | None, list[Problem]]] = _Reads(20_000)
_BIBLIOGRAPHIES: _Reads[tuple[Bibliography | None, list[Problem]]] = _Reads(4)
"""Bibliographies by text, name and style (styles are loaded once each): formatting every entry
with citeproc-py was most of a ``serve`` rebuild whose edit was elsewhere."""


def load_style(spec: str, root: Path | None = None, places: OptionPlaces | None = None) -> object:
    """:func:`.styles.load_style`, imported when a bibliography is read (not when it is recalled)."""
    from .styles import load_style as load

    return load(spec, root, places)


def _read_bibliography(text: str, name: str, style: object) -> tuple[Bibliography | None, list[Problem]]:
    """:func:`.cite.read_bibtex`, once per text and style in this process."""
    return _BIBLIOGRAPHIES.read(lambda t, n: read_bibtex(t, n, style), text, name, style)


def _pathway_refs(pathway: Pathway, sources: Sources) -> list[Problem]:
    """Unknown glossary terms and citation keys of a pathway, in its data and its text."""
    citable = sources.citable
    refs = check_pathway_refs(
        pathway, terms=set(sources.glossary.terms) if sources.glossary.terms else None, citations=citable
    )
    if citable is not None:  # [@key] in the caption and explanation
        refs += check_keys(find_citations(pathway.body, pathway.body_line), citable, pathway.source)
    return refs


_ENTRY_KEY = re.compile(r"^[ \t]*@[A-Za-z]+[ \t]*[{(][ \t]*([^,\s{}()]+)[ \t]*,", re.M)


def _entry_problems(text: str, keys: set[str], problems: list[Problem]) -> dict[str, list[Problem]]:
    """Each broken entry's problems: those from its first line up to the next entry's."""
    starts = sorted((text.count("\n", 0, m.start(1)) + 1, m.group(1)) for m in _ENTRY_KEY.finditer(text))
    found: dict[str, list[Problem]] = {}
    for index, (line, key) in enumerate(starts):
        if key not in keys:
            continue
        end = starts[index + 1][0] if index + 1 < len(starts) else None
        found[key] = [p for p in problems if p.line >= line and (end is None or p.line < end)] or problems
    return found


def entry_keys(text: str) -> set[str]:
    """The keys a BibTeX text declares, read or not (``@article{key,``)."""
    return {m.group(1) for m in _ENTRY_KEY.finditer(text)} - {"comment", "string", "preamble"}


def _without_duplicates(terms: list[Term]) -> list[Term]:
    """Keep the first definition of every name, so a duplicate breaks only itself."""
    seen: set[str] = set()
    kept = []
    for term in terms:
        names = {n.casefold() for n in term.names()}
        if names & seen:
            continue
        seen |= names
        kept.append(term)
    return kept
