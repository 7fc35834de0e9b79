"""Pandoc's citation syntax, read once for the build, ``check`` and every host.

* bracketed: ``[@a]``, ``[@a; @b]``, ``[see @a, pp. 33-35 and *passim*; also @b, chap. 1]``,
  ``[-@a]`` (author suppressed), before any punctuation;
* in-text: ``@a says``, ``@a [p. 4] says``, ``@a [p. 4; see @b]``: the author as the
  sentence's subject, then the rest of the citation.

A suffix that begins with a locator (``p. 33``, ``chap. 2``, ``fig. 3``, ``§ 4``, ``{ii, A}``,
a bare number as a page) gives the citation item a CSL locator, as pandoc's heuristic reads
one: the locator terms are the CSL locale's own (citeproc-py's ``en-US`` locale file).
Prefixes and suffixes stay Markdown; the host renders them with the rest of the paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

KEY = r"\w+(?:[:.#$%+?~/-]+\w+)*"
"""A citation key as pandoc reads one: letters (any script), digits and ``_``, with punctuation
(``: . # $ % + ? ~ / -``) only inside. Pandoc also allows ``& < >``; they are refused here, so a
key can never be markup in any context it is written to. ``@{key}`` is the same key."""

_AT = rf"(?<![\w@\\])(?P<minus>-?)@(?:\{{(?P<braced>{KEY})\}}|(?P<key>{KEY}))"
_KEY_TOKEN = re.compile(rf"(?<![\w@\\])(-?)@(?:\{{({KEY})\}}|({KEY}))")
_BODY = r"(?:[^\[\]\n]|\n(?![ \t]*(?:\n|$)))"
"""Text inside one pair of brackets: no bracket, no blank line (a citation is in one paragraph)."""
_NOT_A_LINK = r"(?![(\[{])"
"""``[…](url)``, ``[…][ref]`` and ``[…]{attrs}`` are links and spans, not citations."""
BRACKETED = rf"(?<![\\!])\[(?={_BODY}*?(?<![\w@\\])-?@){_BODY}*\]{_NOT_A_LINK}"
"""Anything in brackets with an ``@`` at the start of a word: a citation or a malformed one."""
IN_TEXT = rf"{_AT}(?P<bracket>[ \t]*\n?[ \t]*\[(?!\^){_BODY}*\]{_NOT_A_LINK})?"
"""``@key``, optionally followed by its bracketed locator, suffix and further citations."""
CANDIDATE = re.compile(rf"(?P<bracketed>{BRACKETED})|(?P<in_text>{IN_TEXT})")
"""What the inline pattern and ``check`` look at, leftmost first: a bracket before a key in it."""
_VALID_KEY = re.compile(rf"^{KEY}$")

_LOCATOR_TERMS = (
    "book",
    "chapter",
    "column",
    "figure",
    "folio",
    "issue",
    "line",
    "note",
    "opus",
    "page",
    "paragraph",
    "part",
    "section",
    "sub-verbo",
    "verse",
    "volume",
)
"""The CSL terms a locator may be labelled with (pandoc's list)."""


@dataclass(frozen=True)
class Item:
    """One cited work: its key, locator and the author's own words around it (Markdown)."""

    key: str
    prefix: str = ""
    suffix: str = ""
    label: str = ""
    """The CSL locator term ("page", "chapter", …); empty without a locator."""
    locator: str = ""
    suppress_author: bool = False

    @property
    def plain(self) -> bool:
        """Nothing but the key: the style's bare citation of it (numbers may collapse into ranges)."""
        return not (self.prefix or self.suffix or self.locator or self.suppress_author)


@dataclass(frozen=True)
class Cluster:
    """One citation: its items in the order written; ``in_text``: the first names its author."""

    items: tuple[Item, ...]
    in_text: bool = False

    @property
    def keys(self) -> tuple[str, ...]:
        """The keys cited, in the order written."""
        return tuple(item.key for item in self.items)

    @property
    def plain(self) -> bool:
        """Only bare keys: ``[@a; @b]``."""
        return not self.in_text and all(item.plain for item in self.items)


def valid_key(key: str) -> bool:
    """Can ``key`` be cited as ``[@key]`` (and written safely wherever keys go)?"""
    return bool(_VALID_KEY.match(key))


def strict_form(text: str) -> bool:
    """Whether a bracket is written as a citation from its first character (``[@…`` or ``[-@…``).

    Only such a bracket that cannot be read is reported as malformed; ``[see @ here]`` is prose.
    """
    return bool(re.match(r"\[\s*-?@", text))


def parse_bracketed(text: str) -> Cluster | None:
    """The citation written as ``[…]``, or ``None`` when it is none (``[@]``, ``[@ key]``)."""
    if not (text.startswith("[") and text.endswith("]")):
        return None
    items = _items(text[1:-1])
    return Cluster(items) if items else None


def parse_in_text(match: re.Match[str]) -> Cluster | None:
    """The in-text citation of a :data:`CANDIDATE` match's ``in_text`` part."""
    key = match.group("braced") or match.group("key")
    if not key:
        return None
    suppress = bool(match.group("minus"))
    bracket = (match.group("bracket") or "").strip()
    first = Item(key, suppress_author=suppress)
    if not bracket:
        return Cluster((first,), in_text=not suppress)
    inner = bracket[1:-1]
    head, _sep, rest = inner.partition(";")
    if _KEY_TOKEN.search(head):  # "@a [-@b p. 30; …]": no suffix of its own, only more citations
        more = _items(inner)
        return Cluster((first, *more), in_text=not suppress) if more else None
    label, locator, suffix = split_locator(head)
    first = Item(key, suffix=suffix, label=label, locator=locator, suppress_author=suppress)
    more = _items(rest) if rest.strip() else ()
    if rest.strip() and not more:
        return None
    return Cluster((first, *more), in_text=not suppress)


def _items(inner: str) -> tuple[Item, ...]:
    """The items of a bracket's inside, or ``()`` if any part is no citation."""
    items = []
    for part in _split_items(inner):
        found = _KEY_TOKEN.search(part)
        if found is None:
            return ()
        key = found.group(2) or found.group(3)
        label, locator, suffix = split_locator(part[found.end() :])
        items.append(
            Item(
                key,
                prefix=" ".join(part[: found.start()].split()),
                suffix=suffix,
                label=label,
                locator=locator,
                suppress_author=found.group(1) == "-",
            )
        )
    return tuple(items)


def _split_items(inner: str) -> list[str]:
    """``;``-separated parts, a ``;`` inside a braced locator (``{…}``) left alone."""
    parts, depth, start = [], 0, 0
    for index, char in enumerate(inner):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(0, depth - 1)
        elif char == ";" and depth == 0:
            parts.append(inner[start:index])
            start = index + 1
    parts.append(inner[start:])
    return parts


@lru_cache(maxsize=1)
def locator_terms() -> dict[str, str]:
    """Every written form of a locator term (``p.``, ``pp.``, ``page``, ``§``…), case-folded → term.

    Read from citeproc-py's locale with the standard library's parser, which fetches nothing and
    skips comments (a comment inside a ``<term>`` is no form): importing citeproc-py and lxml
    for this cost a warm build whose bibliography is kept (:mod:`.bibstore`) about 0.1 s.
    """
    from importlib.util import find_spec
    from xml.etree import ElementTree

    spec = find_spec("citeproc")
    assert spec is not None and spec.origin is not None  # a dependency of this package
    tree = ElementTree.parse(Path(spec.origin).parent / "data" / "locales" / "locales-en-US.xml")
    out: dict[str, str] = {}
    for term in tree.iter("{http://purl.org/net/xbiblio/csl}term"):
        name = term.get("name")
        if name not in _LOCATOR_TERMS:
            continue
        forms = [term.text or ""] + [child.text or "" for child in term]
        for form in forms:
            if form.strip():
                out[form.strip().casefold()] = name
    return out


_EMPHASIS = re.compile(r"([*_]{1,3})(.+?)\1")
"""Markdown emphasis in a locator (``p. **32**``): CSL prints the locator as the style says."""
_ROMAN = re.compile(r"^(?=[mdclxvi])m*(c[md]|d?c{0,3})(x[cl]|l?x{0,3})(i[xv]|v?i{0,3})$", re.I)
_UNIT = r"[^\s,;.(){}\[\]]+"
_WORD = re.compile(rf"(?:\(?{_UNIT}\)?|\({_UNIT}\))+(?:\.{_UNIT})*")
"""One locator word: ``33``, ``33-35``, ``iv``, ``128L(7)(a)``, ``1.2.3`` (a final ``.`` is not part of it)."""


def _locator_word(word: str, explicit: bool) -> bool:
    """A word that can be (part of) a locator: digits, or a roman numeral after a term."""
    if any(c.isdigit() for c in word):
        return True
    return explicit and bool(_ROMAN.match(word.strip("()")))


def split_locator(suffix: str) -> tuple[str, str, str]:
    """``(term, locator, rest)`` of a suffix, as pandoc's heuristic reads it.

    ``, p. 33`` → ("page", "33", ""); ``pp. 33, 35-37, and nowhere else`` → ("page",
    "33, 35-37", ", and nowhere else"); ``chap. 2`` → ("chapter", "2", ""); ``, 45`` →
    ("page", "45", ""); ``{ii, A}`` → ("page", "ii, A", ""); ``and nowhere else`` → ("",
    "", " and nowhere else"); ``, with a suffix`` stays the suffix.
    """
    text = suffix.lstrip()
    text = text[1:].lstrip() if text.startswith(",") else text
    found = _delimited(text) or _integrated(text)
    if found is None:
        rest = suffix.rstrip()
        return "", "", _spaced(rest)
    label, locator, rest = found
    return label, _EMPHASIS.sub(r"\2", locator), _spaced(rest.rstrip())


def _spaced(rest: str) -> str:
    """A suffix as it follows the citation: pandoc keeps its leading space or punctuation."""
    if not rest.strip():
        return ""
    if rest[0].isspace():
        return " " + rest.strip()
    if not rest[0].isalnum():
        return rest.strip()
    return ", " + rest.strip()


def _term(text: str) -> tuple[str, str] | None:
    """The longest locator term at the start of ``text``, and what follows it."""
    terms = locator_terms()
    best: tuple[str, str] | None = None
    for length in range(1, min(len(text), 14) + 1):
        head = text[:length]
        name = terms.get(head.casefold())
        after = text[length:]
        boundary = not after or after[0].isspace() or not (head[-1].isalpha() and after[0].isalpha())
        if name and boundary:
            best = (name, after)
    return best


def _delimited(text: str) -> tuple[str, str, str] | None:
    """``{p. iv, vi-xi}``: whatever the braces hold is the locator, a term first names it."""
    if not text.startswith("{"):
        return None
    depth = 0
    for index, char in enumerate(text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            inner, rest = text[1:index].strip(), text[index + 1 :]
            break
    else:
        return None
    term = _term(inner)
    if term is not None:
        return term[0], term[1].strip(), rest
    return ("page" if inner else ""), inner, rest


def _integrated(text: str) -> tuple[str, str, str] | None:
    """``p. 33``, ``pp. 33, 35-37``, ``chap. 2``, ``33`` (a page): words with digits (or roman numerals)."""
    term = _term(text)
    explicit = term is not None
    label, body = term if term is not None else ("page", text)
    first = last = -1
    pos = 0
    while True:
        gap = (_NEXT_GAP if first >= 0 else _FIRST_GAP).match(body, pos)
        assert gap is not None  # both patterns match the empty string
        word = _WORD.match(body, gap.end())
        if word is None or not _locator_word(word.group(0), explicit):
            break
        first = word.start() if first < 0 else first
        pos = last = word.end()
    if first < 0:
        return None
    return label, body[first:last], body[last:]


_FIRST_GAP = re.compile(r"[ \t\n]*")
_NEXT_GAP = re.compile(r",?[ \t\n]*")


def candidates(text: str, start: int = 0, end: int | None = None) -> Iterator[re.Match[str]]:
    """Every :data:`CANDIDATE` in ``text[start:end]``, leftmost first."""
    return CANDIDATE.finditer(text, start, len(text) if end is None else end)
