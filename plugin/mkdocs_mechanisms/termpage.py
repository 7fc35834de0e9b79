"""One glossary page → :class:`~.model.Term`, with every mistake located.

A mistake costs only itself where it can: the term stays defined, so its uses elsewhere are
not each reported as unknown.
"""

from __future__ import annotations

from typing import Any

from . import schema
from .checker import Checker
from .errors import MechanismsError, Problem, did_you_mean
from .frontmatter import read_front_matter
from .load import pathway_id_from_path
from .model import TERM_KINDS, Term

TERM_KEYS = tuple(schema.TERM_KEYS)


def load_term(text: str, source: str) -> Term:
    """Read one glossary page; its slug is the file name. Raises with every problem found."""
    term, problems = read_term(text, source)
    if problems:
        raise MechanismsError(problems)
    assert term is not None  # no problems means the page was read
    return term


def read_term(text: str, source: str) -> tuple[Term | None, list[Problem]]:
    """One glossary page and its problems; a mistake costs only itself.

    A bad identifier, alias, kind or ``link:`` is reported and left out, and the term is still
    defined (so its uses are not each reported as unknown). Only a page without a usable name
    or slug, or whose front matter cannot be read, gives no term.
    """
    try:
        data, body, _ = read_front_matter(text, source)
    except MechanismsError as error:
        return None, error.problems
    check = Checker(data, source)
    top: dict[str, Any] = data.value
    slug = pathway_id_from_path(source)
    usable = check.ident(slug, (), "glossary term (the file name)")
    check.keys(top, TERM_KEYS, ())
    name = check.text(top, "term", (), required=True)
    kind = check.text(top, "kind", (), required=True)
    if kind and kind not in TERM_KINDS:
        check.add(("kind",), f"unknown term kind '{kind}'", did_you_mean(kind, TERM_KINDS))
        kind = ""
    summary = check.text(top, "summary", (), required=True)
    aliases = check.keylist(top, "aliases", (), citations=False)
    curies = check.identifiers(top, ())
    link = top.get("link", True)
    if not isinstance(link, bool):
        check.add(("link",), f"wrong type: expected true or false, got {link!r}")
        link = True
    if not name and ((), "term") in check.misspelt:
        name = slug  # 'trem:' without a usable value: the term is still defined, by its file name
    if not usable or not name:
        return None, check.problems
    term = Term(
        slug=slug,
        term=name,
        kind=kind or "concept",
        summary=summary or name,
        aliases=aliases,
        body=body,
        source=source,
        line=data.line("term"),
        link=link,
        identifiers=curies,
    )
    return term, check.problems
