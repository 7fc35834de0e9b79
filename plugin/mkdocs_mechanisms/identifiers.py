"""Database identifiers (compact identifiers, CURIEs) on glossary terms and nodes.

An author writes ``identifiers: [CHEBI:6121]``; this module checks each
CURIE against the Bioregistry (prefix known, local id matching the
database's own pattern) and builds the resolver link the registry gives for
it. The registry's data ships inside the ``bioregistry`` package, so the
check works offline. Importing it and reading the registry cost seconds, so
it is imported on first use only, and each CURIE's result (link or message) is
kept in ``<cache_dir>/identifiers.json`` for the installed registry's version:
a build whose CURIEs were all checked before never imports it.
"""

from __future__ import annotations

import difflib
import functools
import html
import importlib.metadata
import json
import os
import re
from dataclasses import astuple, dataclass
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from pathlib import Path

    from .model import Node, Term

EXAMPLE = "CHEBI:6121"
"""Shown in messages: ketamine in ChEBI."""
ECO_PREFIX = "eco"
"""The registry's prefix of the Evidence and Conclusion Ontology, the vocabulary of ``evidence:``."""
ECO_EXAMPLE = "ECO:0000304"
"""Shown in messages: "author statement supported by traceable reference used in manual assertion"."""


_NEVER_IN_ID = re.compile(r"[<\"`{}\\\x00-\x1f\x7f-\x9f]|\s\s|[^\S ]")
"""What no local id of a database without a pattern holds: markup and control characters, and any
whitespace but a single space (the registry's own examples have single spaces, ``|``, ``>`` and ``#``)."""


def _unlike_an_id(local: str) -> str:
    """Why ``local`` cannot be a local id, or ``""``."""
    found = _NEVER_IN_ID.search(local)
    if found is None:
        return ""
    text = found.group()
    if text.isspace():
        return "a line break, a tab or spaces in a row"
    if not text.isprintable():
        return f"the control character U+{ord(text[0]):04X}"
    return f"the character '{text}'"


class IdentifierError(ValueError):
    """A CURIE the registry does not accept; carries a message and a suggestion."""

    def __init__(self, message: str, suggestion: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.suggestion = suggestion


@dataclass(frozen=True)
class Identifier:
    """One checked CURIE and where it leads."""

    curie: str
    """As the author wrote it (trimmed), e.g. ``CHEBI:6121``."""
    prefix: str
    """The registry's normalised prefix, e.g. ``chebi``."""
    local: str
    """The local id within the database, e.g. ``6121``."""
    database: str
    """The database's name, e.g. ``Chemical Entities of Biological Interest``."""
    url: str
    """The registry's resolver link for this entry (the database's own page)."""
    org: str = ""
    """The identifiers.org URI (the form SBGN and SBML annotations use), or ``""``."""


@functools.cache
def _registry() -> Any:
    import bioregistry  # deferred: half a second to import, needed only with identifiers

    return bioregistry


@functools.cache
def _prefix_names() -> dict[str, str]:
    """Every prefix and synonym, case-folded, mapped to the prefix shown in suggestions."""
    registry = _registry()
    names: dict[str, str] = {}
    for prefix, resource in registry.read_registry().items():
        if resource.is_deprecated():
            continue
        shown = resource.get_preferred_prefix() or prefix
        for name in (prefix, shown, *(resource.get_synonyms() or ())):
            names.setdefault(name.casefold(), shown)
    return names


def suggest_prefix(prefix: str) -> str:
    """``did you mean 'CHEBI'?`` for the registry prefix closest to ``prefix``, or ``""``."""
    names = _prefix_names()
    close = difflib.get_close_matches(prefix.casefold(), list(names), n=1, cutoff=0.6)
    return f"did you mean '{names[close[0]]}'?" if close else ""


def parse(value: str) -> Identifier:
    """Check one CURIE; raise :class:`IdentifierError` saying what is wrong and how to fix it."""
    curie = value.strip()
    if curie not in _memo:
        try:
            _memo[curie] = _check(curie)
        except IdentifierError as error:
            _memo[curie] = (error.message, error.suggestion)
    found = _memo[curie]
    if isinstance(found, Identifier):
        return found
    raise IdentifierError(*found)


def _check(curie: str) -> Identifier:
    """What the registry says of ``curie`` (imports it)."""
    prefix, colon, local = curie.partition(":")
    if not colon or not prefix or not local.strip():
        raise IdentifierError(
            f"'{curie}' is not a compact identifier",
            f"write PREFIX:ID, e.g. '{EXAMPLE}'",
        )
    registry = _registry()
    normalised = registry.normalize_prefix(prefix)
    if normalised is None:
        raise IdentifierError(
            f"unknown identifier prefix '{prefix}'",
            suggest_prefix(prefix) or "look the database up at bioregistry.io",
        )
    parsed = registry.parse_curie(curie)
    identifier = parsed.identifier if parsed is not None and parsed.identifier else local
    resource = registry.get_resource(normalised)
    shown = resource.get_preferred_prefix() or normalised
    pattern = resource.get_pattern()
    if not pattern and (why := _unlike_an_id(identifier)):
        raise IdentifierError(
            f"'{identifier}' cannot be a {shown} identifier: it holds {why}",
            f"copy the id from the database itself ({shown} gives no pattern to check it against)",
        )
    if not registry.is_valid_identifier(normalised, identifier):
        example = resource.get_example()
        hint = f"expected the pattern {pattern}" if pattern else ""
        if example:
            hint += (", " if hint else "") + f"e.g. '{shown}:{example}'"
        raise IdentifierError(f"'{local}' is not a valid {shown} identifier", hint)
    url = registry.get_iri(normalised, identifier)
    if not _is_web(url):
        url = f"https://bioregistry.io/{normalised}:{identifier}"
    org = registry.get_iri(normalised, identifier, priority=["miriam", "bioregistry"]) or ""
    return Identifier(
        curie, normalised, identifier, resource.get_name() or shown, url, org if _is_web(org) else ""
    )


def _is_web(url: object) -> bool:
    """Whether ``url`` is an http(s) link (a fresh one from the registry or a cached one alike)."""
    return isinstance(url, str) and url.startswith(("https://", "http://")) and url.isprintable()


def parse_many(values: Iterable[str]) -> list[Identifier | IdentifierError]:
    """Each CURIE checked: an :class:`Identifier`, or the error in its place."""
    out: list[Identifier | IdentifierError] = []
    for value in values:
        try:
            out.append(parse(value))
        except IdentifierError as error:
            out.append(error)
    return out


def resolve(curie: str) -> Identifier | None:
    """The checked identifier behind a CURIE already validated on load, or None."""
    try:
        return parse(curie)
    except IdentifierError:
        return None


def node_identifiers(node: Node, terms: Mapping[str, Term]) -> tuple[str, ...]:
    """A node's identifiers: its term's first, then its own, without repeats."""
    term = terms.get(node.term) if node.term else None
    own = term.identifiers if term is not None else ()
    return tuple(dict.fromkeys((*own, *node.identifiers)))


def links_html(curies: Iterable[str]) -> str:
    """Resolver links for CURIEs, comma-separated; each names its database on hover."""
    links = []
    for curie in curies:
        found = resolve(curie)
        if found is None:
            links.append(f"<code>{html.escape(curie)}</code>")
            continue
        links.append(
            f'<a class="mechanisms-identifier" href="{html.escape(found.url)}" '
            f'title="{html.escape(found.database)}">{html.escape(curie)}</a>'
        )
    return ", ".join(links)


def identifiers_org(curie: str) -> str:
    """The identifiers.org URI of a CURIE (the form SBGN and SBML annotations use), or ``""``."""
    found = resolve(curie)
    return "" if found is None else found.org


_memo: dict[str, Identifier | tuple[str, str]] = {}
"""Each CURIE checked in this process (or read from the cache): its identifier, or (message, hint)."""
CACHE_FILE = "identifiers.json"
"""In the render cache folder: ``{"bioregistry": version, "identifiers": {curie: entry}}``."""
_FIELDS = ("prefix", "local", "database", "url", "org")


class _Disk:
    """Where the cache file is and what it held, so it is written only when something changed."""

    path: ClassVar[Path | None] = None
    held: ClassVar[dict[str, Any]] = {}


def _version() -> str:
    """The installed registry's version, read from its metadata (no import), or ``""``."""
    try:
        return importlib.metadata.version("bioregistry")
    except importlib.metadata.PackageNotFoundError:
        return ""


def _entry(found: Identifier | tuple[str, str]) -> dict[str, str]:
    if isinstance(found, Identifier):
        return dict(zip(_FIELDS, astuple(found)[1:], strict=True))
    return {"error": found[0], "hint": found[1]}


def _read_entry(curie: str, entry: object) -> Identifier | tuple[str, str] | None:
    """A cached entry if it is well formed (any doubt: None, and the CURIE is checked again)."""
    if not isinstance(entry, dict) or not all(isinstance(v, str) for v in entry.values()):
        return None
    if set(entry) == {"error", "hint"} and entry["error"]:
        return (entry["error"], entry["hint"])
    if set(entry) != set(_FIELDS) or not all(entry[f] for f in _FIELDS[:3]) or not _is_web(entry["url"]):
        return None
    if entry["org"] and not _is_web(entry["org"]):
        return None
    return Identifier(curie, *(entry[f] for f in _FIELDS))


def use_cache(folder: Path | None) -> None:
    """Take the CURIEs checked in earlier builds from ``folder`` (None: no cache, memory only)."""
    _Disk.path, _Disk.held = (None if folder is None else folder / CACHE_FILE), {}
    if _Disk.path is None:
        return
    try:
        data = json.loads(_Disk.path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):
        return  # none yet, or unreadable: check again
    if not isinstance(data, dict) or data.get("bioregistry") != _version() or not _version():
        return  # another registry may judge differently
    entries = data.get("identifiers")
    for curie, entry in entries.items() if isinstance(entries, dict) else ():
        found = _read_entry(curie, entry) if curie == curie.strip() else None
        if found is not None:
            _Disk.held[curie] = _entry(found)
            _memo.setdefault(curie, found)


def save_cache() -> None:
    """Write what this process checked to the cache folder, if that differs from what it holds."""
    version = _version()
    entries = {curie: _entry(found) for curie, found in _memo.items()}
    if _Disk.path is None or not version or entries == _Disk.held:
        return
    tmp = _Disk.path.with_name(f".{CACHE_FILE}.{os.getpid()}")
    try:
        _Disk.path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps({"bioregistry": version, "identifiers": entries}, sort_keys=True), "utf-8")
        tmp.replace(_Disk.path)  # whole or not at all: a concurrent build never reads half a file
    except OSError:
        tmp.unlink(missing_ok=True)
        return  # a cache that cannot be written costs the next build a check, nothing else
    _Disk.held = entries
