"""The forms a CSL style gives one cited item: as cited, author suppressed, author only.

citeproc-py renders locators (``CitationItem(locator=Locator(label, value))``) but has
neither CSL's ``suppress-author`` nor ``author-only``. Both are made here as pandoc's
citeproc makes them, from the output: the first names the item's citation prints are
its author; the suppressed form drops them (a group left without variables vanishes,
as CSL says), the author-only form is those names alone. A style whose citation
prints no names (a numeric style such as AMA) names the authors in their short form
("Vollenweider and Kometer", "Reiff et al.") before the number.

Each form renders one item without the layout's own affixes, delimiter and
superscript: the caller puts a cluster together (ranges, links, the author's prefix
and suffix) and wraps it as the style does. Numbers are the site's: the items are
registered with citeproc in the site's numbering order.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc import model as _model
from citeproc.source import Locator
from lxml import etree

from .cslgroup import AUTHOR_ONLY, NORMAL, SUPPRESS_AUTHOR

_NS = "http://purl.org/net/xbiblio/csl"
_CSL = f"{{{_NS}}}"

_SHORT_NAMES = f"""<layout xmlns="{_NS}"><names variable="author">
  <name form="short" and="text" delimiter=", " delimiter-precedes-last="never"
        et-al-min="3" et-al-use-first="1"/>
  <substitute><names variable="editor"/><text variable="title" form="short"/></substitute>
</names></layout>"""
"""The authors as a numeric style's in-text citation names them (AMA: "Smith and Jones", "Smith et al.")."""


@dataclass
class _FirstNames:
    """What to do with the first names one rendering prints (outermost ``<names>``, substitutes included)."""

    mode: str
    depth: int = 0
    done: bool = False
    captured: Any = None


_ACTIVE: ContextVar[_FirstNames | None] = ContextVar("mechanisms_first_names", default=None)
_names_render = _model.Names.render


def _render_names(self: Any, *args: Any, **kwargs: Any) -> Any:
    state = _ACTIVE.get()
    if state is None or state.done:
        return _names_render(self, *args, **kwargs)
    state.depth += 1
    try:
        output = _names_render(self, *args, **kwargs)
    finally:
        state.depth -= 1
    if state.depth == 0 and output is not None and str(output).strip():
        state.done = True
        state.captured = output
        if state.mode == SUPPRESS_AUTHOR:
            return None
    return output


_model.Names.render = _render_names


def _bare(style: CitationStylesStyle, layout: str | None = None) -> CitationStylesStyle:
    """``style`` whose citation renders one item as is: no sort, no affixes, no delimiter.

    ``layout``: a replacement citation layout (the short names of a numeric style's author).
    """
    root = etree.fromstring(etree.tostring(style.root))
    citation = root.find(f"{_CSL}citation")
    for sort in citation.findall(f"{_CSL}sort"):
        citation.remove(sort)  # sorting renders names too, and one item needs no order
    old = citation.find(f"{_CSL}layout")
    if layout is not None:
        citation.replace(old, etree.fromstring(layout))
    else:
        old.attrib.clear()  # affixes, delimiter, superscript: the caller applies them once per cluster
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        bare = CitationStylesStyle(io.BytesIO(etree.tostring(root)), validate=False)
    bare.root.locales = style.root.locales  # the locale the style was loaded with
    return bare


class Forms:
    """One style's forms of a cited item, rendered as plain text (the caller escapes it)."""

    def __init__(self, style: CitationStylesStyle, source: Any, ident: Callable[[str], str]) -> None:
        self.style = style
        self.source = source
        self.ident = ident
        self._styles: dict[bool, CitationStylesStyle] = {}
        self._registered: dict[bool, tuple[tuple[str, ...], CitationStylesBibliography]] = {}

    def _bibliography(self, short_names: bool, order: Sequence[str]) -> CitationStylesBibliography:
        """citeproc's bibliography, its keys registered in the site's numbering order."""
        wanted = tuple(self.ident(key) for key in order if self.ident(key) in self.source)
        known = self._registered.get(short_names)
        if known is not None and known[0] == wanted:
            return known[1]
        if short_names not in self._styles:
            self._styles[short_names] = _bare(self.style, _SHORT_NAMES if short_names else None)
        bibliography = CitationStylesBibliography(self._styles[short_names], self.source, formatter.plain)
        for ident in wanted:
            bibliography.register(Citation([CitationItem(ident)]))
        self._registered[short_names] = (wanted, bibliography)
        return bibliography

    def _cite(
        self, key: str, order: Sequence[str], state: _FirstNames, short_names: bool = False, **locator: str
    ) -> str:
        bibliography = self._bibliography(short_names, order)
        label, value = locator.get("label", ""), locator.get("locator", "")
        ident = self.ident(key)
        item = CitationItem(ident, locator=Locator(label or "page", value)) if value else CitationItem(ident)
        citation = Citation([item])
        token = _ACTIVE.set(state)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                bibliography.register(citation)
                text = str(bibliography.cite(citation, lambda _item: None))
        except Exception:  # citeproc-py raises many types; the caller falls back to the plain form
            return ""
        finally:
            _ACTIVE.reset(token)
            # citeproc-py keeps every item it cited to judge "ibid" and "subsequent"; each item
            # here is a first citation, and the list would grow with every page of every rebuild
            bibliography._cites.clear()
        return " ".join(text.split())

    def render(self, key: str, mode: str, order: Sequence[str], label: str = "", locator: str = "") -> str:
        """``key`` in ``mode``, with its locator, as the style prints one item of a citation."""
        state = _FirstNames(mode)
        text = self._cite(key, order, state, label=label, locator=locator)
        if mode != AUTHOR_ONLY:
            return text
        if state.captured is not None:
            return " ".join(str(state.captured).split())
        return self._cite(key, order, _FirstNames(NORMAL), short_names=True)
