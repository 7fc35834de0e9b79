"""Deferred content: one placeholder form, one filler per kind.

Some parts of a page can only be written once the whole site is known
(citation numbers, the references list, "Mentioned on" back-links) or are
kept out of the page body on purpose (diagrams, so that the term linker and
the search index never parse thousands of SVG elements). The code that
produces such a part plants a :func:`slot`; the host fills every slot of a
page in one call to :func:`fill`, with one filler per :class:`Slot` kind.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from enum import StrEnum


class Slot(StrEnum):
    """What a placeholder stands for."""

    SVG = "svg"
    """An embedded diagram (argument: the figure id); filled per page."""
    REFERENCES = "references"
    """The numbered bibliography (no argument); a block."""
    MENTIONED = "mentioned-on"
    """A term's "Mentioned on" list (argument: the slug); a block."""
    REFERENCE_TEXT = "reference-text"
    """One reference written out in full (argument: the citation key)."""
    SOURCES = "sources"
    """A pathway page's list of sources (argument: the keys, comma-separated), listed by number."""
    HELD = "held"
    """A block set aside while search indexes the page (argument: its number on the page)."""


BLOCKS = frozenset({Slot.REFERENCES, Slot.MENTIONED, Slot.SOURCES})
"""Kinds that stand alone as a paragraph; their filler replaces the ``<p>`` around them."""

_FIND = re.compile(
    r'<span class="mechanisms-slot" data-slot="(?P<kind>[a-z-]+)" data-arg="(?P<arg>[^"]*)"></span>'
)
"""A slot; the ``<p>`` around it is looked at by hand (an optional group first would make
the pattern try every position of a page: 100× slower on a whole page's output)."""
_OPEN = "<p>"
_CLOSE = re.compile(r"\s*</p>")
"""A block's paragraph may end on the next line: Python-Markdown keeps a page's final line break."""

Filler = Callable[[str], str]
"""Turns a slot's argument into HTML."""


def slot(kind: Slot, arg: str = "") -> str:
    """The placeholder for ``kind``: an empty inline element that Markdown and the linker leave alone."""
    return f'<span class="mechanisms-slot" data-slot="{kind.value}" data-arg="{html.escape(arg, quote=True)}"></span>'


def fill(text: str, fillers: Mapping[Slot, Filler]) -> str:
    """Replace every slot whose kind has a filler; other slots stay for a later pass."""
    if 'class="mechanisms-slot"' not in text:
        return text

    out: list[str] = []
    done = 0
    for match in _FIND.finditer(text):
        try:
            kind = Slot(match.group("kind"))
        except ValueError:
            continue
        filler = fillers.get(kind)
        if filler is None:
            continue
        start, end = match.span()
        content = filler(html.unescape(match.group("arg")))
        if (
            kind in BLOCKS
            and start - len(_OPEN) >= done
            and text.startswith(_OPEN, start - len(_OPEN))
            and (close := _CLOSE.match(text, end))
        ):
            start, end = start - len(_OPEN), close.end()  # the filler replaces the paragraph
        out += (text[done:start], content)
        done = end
    if not out:
        return text
    out.append(text[done:])
    return "".join(out)


def positions(text: str, kind: Slot) -> list[tuple[int, str]]:
    """Where each slot of ``kind`` stands in ``text``, with its argument, in order."""
    return [
        (m.start(), html.unescape(m.group("arg")))
        for m in _FIND.finditer(text)
        if m.group("kind") == kind.value
    ]


def arguments(text: str, kind: Slot) -> list[str]:
    """The arguments of every slot of ``kind`` in ``text``, in order."""
    return [html.unescape(m.group("arg")) for m in _FIND.finditer(text) if m.group("kind") == kind.value]
