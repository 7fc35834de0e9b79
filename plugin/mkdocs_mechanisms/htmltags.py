"""Reading a rendered page's tags as Python's HTML tokenizer reads them, faster where that is safe.

The glossary linker (``linker.py``) reads every tag of every page. The plain start and end
tags that make up nearly all of a rendered page are matched here by one compiled pattern
that accepts only the forms every version of ``html.parser`` reads alike; anything else is
left to the library's tokenizer. Only ``class`` and ``id`` matter to the linker.
"""

from __future__ import annotations

import re
from html import unescape

VOID_TAGS: frozenset[str] = frozenset(
    {
        *("area", "base", "br", "col", "embed", "hr", "img"),
        *("input", "link", "meta", "param", "source", "track", "wbr"),
    }
)
"""Elements without an end tag; they never enter the skip stack."""

_SPACE = "[ \t\n\r\f]"
TAG = re.compile(
    rf"""<(?:
      (?P<tag>[a-zA-Z][a-zA-Z0-9-]*+)
      (?P<attrs>(?:{_SPACE}++[a-zA-Z_:][-a-zA-Z0-9_:.]*+
        (?:{_SPACE}*+={_SPACE}*+(?:"[^"<>]*+"|'[^'<>]*+'|[^\s"'=<>`/]++(?=[ \t\n\r\f>])))?+)*+)
      {_SPACE}*+(?P<close>/?)>
    | /(?P<end>[a-zA-Z][a-zA-Z0-9-]*+){_SPACE}*+>
    )""",
    re.VERBOSE,
)
"""A plain start or end tag: the forms every version of ``html.parser`` reads the same way.

Quoted values hold no ``<`` or ``>``, bare values are whole words; anything else is left
to the library's tokenizer."""

_ATTR = re.compile(
    rf"""{_SPACE}+([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:{_SPACE}*={_SPACE}*("[^"]*"|'[^']*'|[^\s>]+))?"""
)
"""One attribute of a tag :data:`TAG` matched: name and (possibly quoted) value."""

RAW_TEXT_TAGS: frozenset[str] = frozenset(
    {"script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes", "noscript", "plaintext"}
)
"""Elements whose content some version of ``html.parser`` reads as raw text: left to it."""


def classes_and_id(attrs: list[tuple[str, str | None]]) -> tuple[set[str], str | None]:
    """What the linker needs of a tag's attributes: its classes (every ``class``) and its last ``id``."""
    classes: set[str] = set()
    ident: str | None = None
    for name, value in attrs:
        if name == "class" and value:
            classes.update(value.split())
        elif name == "id" and value:
            ident = value
    return classes, ident


_NONE: tuple[frozenset[str], None] = (frozenset(), None)
_READ: dict[str, tuple[frozenset[str], str | None]] = {}
"""Tags' attributes already read: a page repeats the same few (each term link, each citation)."""


def class_and_id(attrs: str | None) -> tuple[frozenset[str], str | None]:
    """:func:`classes_and_id` of the attributes :data:`TAG` matched, read as the library reads them."""
    if not attrs:
        return _NONE
    read = _READ.get(attrs)
    if read is None:
        if len(_READ) > 10_000:  # a bound on memory, never reached by one site's few hundred forms
            _READ.clear()
        read = _READ[attrs] = _read_attrs(attrs)
    return read


def _read_attrs(attrs: str) -> tuple[frozenset[str], str | None]:
    """Only ``class`` and ``id`` matter to the linker; names are case-insensitive, values unescaped."""
    found: list[tuple[str, str | None]] = []
    for name, value in _ATTR.findall(attrs):
        name = name.lower()
        if name == "class" or name == "id":
            if value[:1] in ("'", '"'):
                value = value[1:-1]
            found.append((name, unescape(value) if value else None))
    classes, ident = classes_and_id(found)
    return frozenset(classes), ident
