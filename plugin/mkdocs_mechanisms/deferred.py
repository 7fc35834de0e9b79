"""Deferred content: one slot form, filled in one pass with one filler per kind.

Some parts of a page can only be written once more is known: the figure a
fence became once its caption is rendered, figure and citation numbers, the
references list and "Mentioned on" back-links once every page is, diagrams
once search has indexed the page (so that the term linker and the search index
never parse thousands of SVG elements). The code that produces such a part
plants a :func:`slot` (or its element, :func:`slot_element`, from an inline
pattern); :func:`fill` then replaces every slot of a page in one pass, with one
filler per :class:`Slot` kind. There is no other placeholder form.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from xml.etree import ElementTree


class Slot(StrEnum):
    """What a slot stands for."""

    FIGURE = "figure"
    """A figure fence's figure (argument: its number on the page); holds the caption the host rendered."""
    FIGURE_END = "figure-end"
    """Where a figure's caption ends (argument: the figure's number)."""
    FIGURE_NUMBER = "figure-number"
    """A figure's label, "Figure 2." (argument: the numbering keys, space-separated)."""
    CITE = "cite"
    """A citation (argument: its cluster as JSON); holds the author's prefixes and suffixes as rendered."""
    SOURCES = "sources"
    """A pathway page's list of sources (argument: the keys, comma-separated), listed by number."""
    REFERENCES = "references"
    """The numbered bibliography (no argument); a block."""
    MENTIONED = "mentioned-on"
    """A term's "Mentioned on" list (argument: the slug); a block."""
    SVG = "svg"
    """An embedded diagram (argument: the figure id); filled per page."""
    HELD = "held"
    """A block set aside while search indexes the page (argument: its number on the page)."""
    PART = "part"
    """A generated page's list or line, built as HTML (argument: ``<part>:<what>``, see ``parts.py``); a block."""


BLOCKS = frozenset({Slot.FIGURE, Slot.REFERENCES, Slot.MENTIONED, Slot.SOURCES, Slot.PART})
"""Kinds that stand alone as a paragraph; their filler replaces the ``<p>`` around them."""
ENDS = {Slot.FIGURE: Slot.FIGURE_END}
"""Kinds whose content runs to their end slot, not to their element's end: a caption is the
author's HTML, which need not be balanced (a stray ``</span>`` cannot cut it short)."""
JOINED = frozenset({Slot.CITE})
"""Kinds whose filler also writes the text since the previous slot (a citation attaches to its word)."""

CLASS = "mechanisms-slot"
_OPEN = re.compile(r'<span class="' + CLASS + r'" data-arg="(?P<arg>[^"]*)" data-slot="(?P<kind>[a-z-]+)">')
"""A slot's opening tag, its attributes in the (sorted) order Python-Markdown writes an element's.
The ``<p>`` around a block is looked at by hand (an optional group first would make the
pattern try every position of a page: 100× slower on a whole page's output)."""
_END = "</span>"
_SPAN_TAG = re.compile(r"<(/?)span\b[^>]*>")
_PARA = "<p>"
_PARA_CLOSE = re.compile(r"\s*</p>")
"""A block's paragraph may end on the next line: Python-Markdown keeps a page's final line break."""


@dataclass(frozen=True)
class Found:
    """One slot met by :func:`fill`."""

    kind: Slot
    arg: str
    inner: str = ""
    """HTML the host rendered inside the slot (a citation's affixes, a figure's caption)."""
    before: str = ""
    """The text since the previous slot; a :data:`JOINED` kind's filler writes it too."""
    previous: str = ""
    """What the previous slot of the text was filled with ("" at the first)."""


Filler = Callable[[Found], str | None]
"""Turns a slot into HTML; ``None`` leaves the slot as it is, for a later stage."""


def slot(kind: Slot, arg: str = "", inner: str = "") -> str:
    """The slot for ``kind``: an inline element that Markdown, the linker and search leave alone.

    ``inner``: Markdown the host renders inside it (a kind of :data:`ENDS` closes with its end slot).
    """
    shown = html.escape(arg, quote=True)
    if kind in ENDS:
        return _element(kind, shown, "") + inner + _element(ENDS[kind], shown, "")
    return _element(kind, shown, inner)


def _element(kind: Slot, escaped_arg: str, inner: str) -> str:
    return f'<span class="{CLASS}" data-arg="{escaped_arg}" data-slot="{kind.value}">{inner}</span>'


def slot_element(kind: Slot, arg: str) -> ElementTree.Element:
    """The same slot as an element, for an inline pattern (children then hold Markdown the host renders)."""
    return ElementTree.Element("span", {"class": CLASS, "data-arg": arg, "data-slot": kind.value})


def _end(text: str, start: int) -> int:
    """Where the ``<span>`` opened just before ``start`` closes (after its ``</span>``), or -1."""
    if text.startswith(_END, start):
        return start + len(_END)
    depth = 1
    for tag in _SPAN_TAG.finditer(text, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.end()
    return -1


_KINDS: dict[str, Slot] = {kind.value: kind for kind in Slot}
"""Each kind by its name (a dict lookup; calling the enum costs more than the rest of a slot)."""


def _slots(text: str) -> Iterator[tuple[int, int, Slot, str, str]]:
    """Every slot of a known kind: (start, end, kind, argument, inner HTML), in order, none nested."""
    if CLASS not in text:
        return
    at = 0
    while match := _OPEN.search(text, at):
        end = _end(text, match.end())
        kind = _KINDS.get(match.group("kind"))
        if kind is None or end < 0:
            at = match.end()
            continue
        inner = text[match.end() : end - len(_END)]
        if kind in ENDS:
            closing = _element(ENDS[kind], match.group("arg"), "")
            close = text.find(closing, end)
            if close < 0:
                at = end
                continue
            inner, end = text[end:close], close + len(closing)
        yield match.start(), end, kind, html.unescape(match.group("arg")), inner
        at = end


def fill(text: str, fillers: Mapping[Slot, Filler]) -> str:
    """Replace every slot whose kind has a filler, in one pass; other slots stay for a later stage."""
    out: list[str] = []
    done = 0
    previous = ""
    for start, end, kind, arg, inner in _slots(text):
        filler = fillers.get(kind)
        if filler is None:
            continue
        before = text[done:start]
        content = filler(Found(kind, arg, inner, before, previous))
        if content is None:
            continue
        if kind in JOINED:
            out.append(content)
        else:
            if (
                kind in BLOCKS
                and start - len(_PARA) >= done
                and text.startswith(_PARA, start - len(_PARA))
                and (close := _PARA_CLOSE.match(text, end))
            ):
                start, end = start - len(_PARA), close.end()  # the filler replaces the paragraph
            out += (text[done:start], content)
        previous = content
        done = end
    if not out:
        return text
    out.append(text[done:])
    return "".join(out)


def positions(text: str, kinds: frozenset[Slot] | set[Slot]) -> list[tuple[int, Slot, str]]:
    """Where each slot of ``kinds`` stands in ``text``, with its kind and argument, in order."""
    return [(start, kind, arg) for start, _end_, kind, arg, _inner in _slots(text) if kind in kinds]


def arguments(text: str, kind: Slot) -> list[str]:
    """The arguments of every slot of ``kind`` in ``text``, in order."""
    return [arg for _start, _end_, found, arg, _inner in _slots(text) if found is kind]


_EXCLUDED = " data-search-exclude"
_HELD_START = re.compile(r'<([a-z][a-z0-9]*) class="mechanisms-[^"<>]*"[^<>]*')
"""The start of one of our own elements, up to its ``data-search-exclude``."""
_HEADING = re.compile(r"<h[1-6][\s>]")


def hold(text: str, held: list[str]) -> str:
    """Set aside the blocks search skips (``data-search-exclude``), each as a ``HELD`` slot.

    Embedded figures repeat their pathway's walkthrough and legend, and the "Cited on",
    "Mentioned on" and similar lists only repeat other pages' titles: the search indexer
    then never parses them (they were two thirds of what it read on a large site), and
    filling the ``HELD`` slots puts them back, so the written page is the same. Only our own
    elements are held, and only those the indexer skips whole: Material's skips an element
    up to the first end tag of its name and still opens sections at headings inside it.
    """
    out: list[str] = []
    done = 0
    at = 0
    while (mark := text.find(_EXCLUDED, at)) >= 0:
        at = mark + len(_EXCLUDED)
        start = text.rfind("<", done, mark)
        found = _HELD_START.match(text, start, mark) if start >= 0 else None
        if found is None or found.end() != mark or text[at : at + 1] not in (">", " "):
            continue
        tag_end = text.find(">", at)
        close = f"</{found.group(1)}>"
        end = text.find(close, tag_end)
        if tag_end < 0 or end < 0:
            break
        inner = text[tag_end + 1 : end]
        if f"<{found.group(1)}" in inner or "data-search-" in inner or _HEADING.search(inner):
            continue
        end += len(close)
        out += (text[done:start], slot(Slot.HELD, str(len(held))))
        held.append(text[start:end])
        done = at = end
    if not out:
        return text
    out.append(text[done:])
    return "".join(out)
