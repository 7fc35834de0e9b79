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


BLOCKS = frozenset({Slot.REFERENCES, Slot.MENTIONED})
"""Kinds that stand alone as a paragraph; their filler replaces the ``<p>`` around them."""

_FIND = re.compile(
    r'(?P<open><p>)?<span class="mechanisms-slot" data-slot="(?P<kind>[a-z-]+)" '
    r'data-arg="(?P<arg>[^"]*)"></span>(?P<close>\s*</p>)?'
)
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

    def replace(match: re.Match[str]) -> str:
        try:
            kind = Slot(match.group("kind"))
        except ValueError:
            return match.group(0)
        filler = fillers.get(kind)
        if filler is None:
            return match.group(0)
        content = filler(html.unescape(match.group("arg")))
        whole_paragraph = match.group("open") and match.group("close")
        if kind in BLOCKS and whole_paragraph:
            return content
        return (match.group("open") or "") + content + (match.group("close") or "")

    return _FIND.sub(replace, text)


def arguments(text: str, kind: Slot) -> list[str]:
    """The arguments of every slot of ``kind`` in ``text``, in order."""
    return [html.unescape(m.group("arg")) for m in _FIND.finditer(text) if m.group("kind") == kind.value]
