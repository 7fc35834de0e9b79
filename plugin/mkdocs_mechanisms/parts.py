"""Generated sections of generated pages, as HTML planted in ``PART`` slots.

A generated page keeps as Markdown only what the host must see as Markdown: its
headings (the host builds the TOC and anchors as for any page) and the author's
own text (a pathway's explanation, a term's definition). The lists and lines the
plugin writes itself are HTML: a :data:`~.deferred.Slot.PART` slot naming what it shows
(``downloads:<id>``, ``facts:<slug>``, ``appears:<ids>``, ``related:<slugs>``), or a raw
block (``pages.py``'s pathways index). :meth:`Parts.fill` puts the HTML in place when the
page's HTML is finished: sections the linker reads before it runs, those it leaves alone
after, so the written page, its links and the search index are what the host made of the
same Markdown before.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Callable, Mapping, Sequence
from enum import StrEnum

from .deferred import Found, Slot, fill, slot
from .identifiers import links_html
from .links import PATHWAYS_DIR, Links, Target, TargetKind
from .model import Pathway, Term

_MARK = f'data-slot="{Slot.PART.value}"'


class Part(StrEnum):
    """Which generated section a ``PART`` slot stands for."""

    DOWNLOADS = "downloads"
    """A pathway page's downloads list and source-file line (argument: the pathway's id)."""
    FACTS = "facts"
    """A term page's summary, kind, aliases and identifiers (argument: the slug, then ``:spaced``
    when a blank line follows in the page's Markdown)."""
    APPEARS = "appears"
    """A term page's "Appears in" list (argument: the pathways' ids in order, comma-separated)."""
    RELATED = "related"
    """A term page's "Related terms" list (argument: the terms' slugs in order, comma-separated)."""


UNLINKED = frozenset({Part.FACTS.value, Part.APPEARS.value, Part.RELATED.value})
"""Sections kept free of term links (``no-glossary``): filled once the linker has run, so that
neither it nor the host's HTML parser walks them (a term page's lists were most of its markup)."""


def part(kind: Part, arg: str) -> str:
    """The slot for one generated section, on a line of its own (a block)."""
    return slot(Slot.PART, f"{kind.value}:{arg}")


DOWNLOADS = (
    ("svg", "Diagram as SVG", ""),
    ("dot", "Graphviz source (DOT)", ""),
    ("json", "Pathway data (JSON)", ""),
    ("sbgn", "SBGN-ML map, Activity Flow", ": opens in Newt, CellDesigner and other SBGN tools"),
)
"""A pathway page's exports: extension, link text, text after the link."""


def text(text: str) -> str:
    """Author text on one line, escaped as Python-Markdown writes text (quotes kept)."""
    return html.escape(" ".join(text.split()), quote=False)


def link_list(items: Sequence[tuple[str, str, str]]) -> str:
    """A list of links as Python-Markdown writes ``- [text](url)after``: (URL, text HTML, after HTML)."""
    rows = "\n".join(
        f'<li><a href="{html.escape(url)}">{label}</a>{after}</li>' for url, label, after in items
    )
    return f"<ul>\n{rows}\n</ul>"


def downloads_html(pathway: Pathway, url_of: Callable[[str], str]) -> str:
    """The downloads list and source-file line of a pathway page; ``url_of(path)``: a file's link."""
    items = [(url_of(f"{PATHWAYS_DIR}/{pathway.id}.{ext}"), label, after) for ext, label, after in DOWNLOADS]
    return f"{link_list(items)}\n<p><small>Source file: <code>{text(pathway.source)}</code></small></p>"


def facts_html(term: Term, *, spaced: bool) -> str:
    """A term's summary, then its kind, aliases and identifiers, above the author's definition.

    Written as the host writes two raw HTML blocks: a blank line after each that has one after it.
    """
    facts = [f"<strong>Kind:</strong> {html.escape(term.kind)}"]
    if term.aliases:
        facts.append("<strong>Also called:</strong> " + ", ".join(html.escape(a) for a in term.aliases))
    if term.identifiers:
        facts.append("<strong>Identifiers:</strong> " + links_html(term.identifiers))
    return (
        f'<p class="mechanisms-term-summary no-glossary"><em>{html.escape(term.summary)}</em></p>\n\n'
        f'<p class="mechanisms-term-facts no-glossary">{" · ".join(facts)}</p>' + ("\n" if spaced else "")
    )


def appears_html(using: Sequence[Pathway], url_of: Callable[[str], str]) -> str:
    """A term's "Appears in" list: ``using`` pathways, ``url_of(id)`` their pages' URLs.

    Kept out of the search index (``data-search-exclude``): it repeats titles indexed on their
    own pages, and a term used all over a large site would grow one section past Zensical's
    index limit, which stops the build.
    """
    items = "".join(
        f'<li><a href="{html.escape(url_of(p.id))}">{html.escape(p.title)}</a></li>' for p in using
    )
    return (
        f'<ul class="mechanisms-appears-in no-glossary" data-search-exclude>{items}</ul>\n'  # as a raw block
    )


def related_html(related: Sequence[Term], url_of: Callable[[str], str]) -> str:
    """A term's "Related terms" list, each with its summary; ``url_of(slug)``: a term page's URL.

    Opted out of linking: summaries of neighbours are not mentions of this term's page.
    """
    items = "".join(
        f'<li><a href="{html.escape(url_of(t.slug))}">{html.escape(t.term)}</a> — {html.escape(t.summary)}</li>'
        for t in related
    )
    return f'<ul class="mechanisms-related no-glossary" data-search-exclude>{items}</ul>\n'  # as a raw block


class Parts:
    """Fills a page's ``PART`` slots from the loaded sources, with links as the host writes them."""

    def __init__(self, pathways: Mapping[str, Pathway], terms: Mapping[str, Term], links: Links) -> None:
        self.pathways = pathways
        self.terms = terms
        self.links = links

    def fill(self, text: str, src: str, *, linked: bool | None = None) -> str:
        """The generated sections of the page ``src`` in place (a page without any is returned as is).

        ``linked``: only those the linker reads (``False``, before it runs) or only the
        :data:`UNLINKED` ones (``True``, after it); ``None``: every one.
        """
        if _MARK not in text:
            return text
        if linked is None:
            return fill(text, {Slot.PART: lambda found: self.html(found, src)})

        def now(found: Found) -> str | None:
            unlinked = found.arg.partition(":")[0] in UNLINKED
            return self.html(found, src) if unlinked == linked else None

        return fill(text, {Slot.PART: now})

    def html(self, found: Found, src: str) -> str:
        """One section's HTML, seen from the page ``src``; "" for an argument that names nothing."""
        name, _, arg = found.arg.partition(":")
        if name == Part.DOWNLOADS.value:
            pathway = self.pathways.get(arg)
            return "" if pathway is None else downloads_html(pathway, lambda path: self._file(path, src))
        if name == Part.APPEARS.value:
            using = [p for pid in arg.split(",") if (p := self.pathways.get(pid)) is not None]
            return appears_html(using, lambda pid: self._link(TargetKind.PATHWAY, pid, src))
        if name == Part.RELATED.value:
            related = [t for slug in arg.split(",") if (t := self.terms.get(slug)) is not None]
            return related_html(related, lambda slug: self._link(TargetKind.GLOSSARY, slug, src))
        slug, _, spacing = arg.partition(":")
        term = self.terms.get(slug)
        if name != Part.FACTS.value or term is None:
            return ""
        return facts_html(term, spaced=spacing == "spaced")

    def _link(self, kind: TargetKind, name: str, src: str) -> str:
        """A pathway's or term's page URL seen from ``src``, as the generated Markdown linked it before."""
        return self.links.resolve(Target(kind, name), src)

    def _file(self, path: str, src: str) -> str:
        """A link the host would have written from a Markdown link to the file ``path`` (a source path).

        A file the site does not have keeps the link as written, relative to the page's source.
        """
        return self.links.resolve(Target(TargetKind.PAGE, path), src) or posixpath.relpath(
            path, posixpath.dirname(src) or "."
        )
