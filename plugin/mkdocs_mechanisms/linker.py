"""Link glossary mentions in rendered page HTML.

The linker works on HTML, not Markdown, so that it sees exactly what readers
see: text produced by any extension is linked, and code, links, headings and
diagrams (which are markup, not prose) are reliably left alone.

One Aho-Corasick automaton over every term name and alias is built once per
build; each text run of a page is scanned once, so the cost grows with the
size of the page and not with the number of terms.

The page is read once, token by token. Every token is copied from the source
unchanged; only text runs that receive a link are re-serialised (re-escaped),
so a page without links comes out byte-identical. The standard library's HTML
tokenizer defines what a token is; the plain start and end tags and text that
make up nearly all of a rendered page are read by one compiled pattern instead
(the library's pure-Python tokenizer was half of a page's Markdown time), and
anything else (comments, declarations, ``<script>``, odd attribute syntax) is
handed to the library's tokenizer until it is back between two tokens.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import ahocorasick

from .htmltags import RAW_TEXT_TAGS, TAG, VOID_TAGS, class_and_id, classes_and_id

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Set

    from .model import Term

MODES: tuple[str, ...] = ("first", "all", "none")
"""Linking modes: first mention per term per page, every mention, none."""

HEADING_TAGS: frozenset[str] = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})

SKIP_TAGS: frozenset[str] = HEADING_TAGS | {
    *("code", "kbd", "pre", "samp", "script", "style", "svg", "math", "template", "noscript"),
    *("a", "abbr", "button", "label", "select", "option", "textarea", "title", "iframe", "object"),
}
"""Elements whose text is never linked: code, existing links, headings, controls, SVG."""

SKIP_CLASSES: frozenset[str] = frozenset({"mechanisms-diagram"})
"""Classes that switch linking off for an element and its descendants."""

_WHITESPACE = re.compile(r"\s")
"""Any single whitespace character; replaced one-for-one so offsets stay valid."""

_URLISH = re.compile(r"://|@|(?<!\S)www\.|/[^\s./]*\.\w|\w\.[A-Za-z]{2,}/", re.IGNORECASE)
"""A hint that the surrounding token is a URL, an e-mail address or a path."""


def _fold(text: str) -> str:
    """Lower-case without changing the length, so offsets map back to the source."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(low if len(low := char.lower()) == 1 else char for char in text)


def _is_word(char: str) -> bool:
    """Letters, digits and underscore join tokens; everything else separates them."""
    return char.isalnum() or char == "_"


def _is_case_sensitive(name: str) -> bool:
    """Acronyms and symbols ("NMDA", "5-HT2A", "HPA axis") must match exactly as written."""
    return any(char.isdigit() for char in name) or any(char.isupper() for char in name[1:])


@dataclass(frozen=True)
class LinkRules:
    """How mentions become links; one value per build, from the plugin's config."""

    mode: str = "first"
    """``"first"``, ``"all"`` or ``"none"``: which mentions of a term on a page are linked."""
    hyphen_compounds: bool = True
    """Link "NMDA" in "NMDA-dependent" (True) or treat hyphen-joined words as one token (False)."""
    opt_out_class: str = "no-glossary"
    """Authors put this class on an element to keep its text free of links."""

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"link mode must be one of {', '.join(MODES)}, not {self.mode!r}")


@dataclass(frozen=True)
class Mention:
    """One occurrence of a term in a page, for back-links that point to its section."""

    slug: str
    text: str
    """The matched text as it appears in the page."""
    anchor: str | None
    """Id of the nearest preceding heading that has one; None before any heading."""
    heading: str | None
    """That heading's text (without its permalink sign)."""


@dataclass
class LinkResult:
    """The linked page and every mention found, in document order."""

    html: str
    mentions: list[Mention] = field(default_factory=list)


@dataclass(frozen=True)
class _Alias:
    """One name of one term, as the matcher needs it."""

    slug: str
    text: str
    length: int
    case_sensitive: bool
    plural: bool
    word_start: bool
    word_end: bool


class Linker:
    """Finds and links term mentions; build one per site build and reuse it for every page."""

    def __init__(self, terms: Iterable[Term], rules: LinkRules | None = None) -> None:
        self.rules = rules if rules is not None else LinkRules()
        self.terms: dict[str, Term] = {}
        self._attrs: dict[str, str] = {}
        groups: dict[str, list[_Alias]] = {}
        for term in terms:
            self.terms[term.slug] = term
            title = html.escape(" ".join(term.term.split()), quote=True)
            summary = html.escape(" ".join(term.summary.split()), quote=True)
            self._attrs[term.slug] = f' data-tip-title="{title}" data-tip-text="{summary}"'
            for name in term.names():
                text = " ".join(name.split())
                if not text:
                    continue
                alias = _Alias(
                    slug=term.slug,
                    text=text,
                    length=len(text),
                    case_sensitive=_is_case_sensitive(text),
                    # "as" is not the plural of "a": names of one or two letters take no plural -s
                    plural=len(text) > 2 and text[-1].isalnum() and text[-1] not in "sS",
                    word_start=_is_word(text[0]),
                    word_end=_is_word(text[-1]),
                )
                group = groups.setdefault(_fold(text), [])
                if alias not in group:
                    group.append(alias)
        self._automaton: ahocorasick.Automaton | None = None
        if groups:
            automaton = ahocorasick.Automaton()
            for key, aliases in groups.items():
                automaton.add_word(key, tuple(aliases))
            automaton.make_automaton()
            self._automaton = automaton

    def link(
        self, html_text: str, href_for: Callable[[str], str], *, skip_slug: str | None = None
    ) -> LinkResult:
        """Link mentions in one page's HTML; ``href_for(slug)`` gives the page-relative URL.

        ``skip_slug`` is the term whose own page this is: its mentions are
        neither linked nor reported, but still keep shorter names from
        matching inside them.
        """
        page = _Page(self, html_text, href_for, skip_slug)
        return LinkResult(page.run(), page.mentions)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Mentions in plain text as ``(start, end, slug)``: leftmost, longest, non-overlapping."""
        return [(start, end, alias.slug) for start, end, alias in self._find(text)]

    def _find(self, text: str) -> list[tuple[int, int, _Alias]]:
        if self._automaton is None or not text:
            return []
        plain = _WHITESPACE.sub(" ", text)
        folded = _fold(plain)
        size = len(plain)
        hyphens = self.rules.hyphen_compounds
        found: list[tuple[int, int, _Alias]] = []
        for last, aliases in self._automaton.iter(folded):
            for alias in aliases:
                start, end = last + 1 - alias.length, last + 1
                if alias.case_sensitive and plain[start:end] != alias.text:
                    continue
                if (
                    alias.plural
                    and end < size
                    and plain[end] in ("s" if alias.case_sensitive else "sS")
                    and (end + 1 == size or not _is_word(plain[end + 1]))
                ):
                    end += 1
                if _edges_ok(plain, start, end, alias, hyphens):
                    found.append((start, end, alias))
        if not found:
            return []
        if "/" in plain or "@" in plain or "www." in folded:
            found = _outside(found, _urlish_spans(plain))
        found.sort(key=lambda m: (m[0], m[0] - m[1], not m[2].case_sensitive, m[2].slug))
        chosen: list[tuple[int, int, _Alias]] = []
        reached = 0
        for match in found:
            if match[0] >= reached:
                chosen.append(match)
                reached = match[1]
        return chosen


def _edges_ok(plain: str, start: int, end: int, alias: _Alias, hyphens: bool) -> bool:
    """Scientific token boundaries: not inside "proBDNF" or "NMDAR1"; hyphens per the rules."""
    if alias.word_start and start > 0:
        before = plain[start - 1]
        if _is_word(before):
            return False
        # "anti-NMDA" is a compound; a digit prefix ("5-HT") is part of a chemical name.
        if (
            before == "-"
            and start > 1
            and _is_word(plain[start - 2])
            and not (hyphens and plain[start - 2].isalpha())
        ):
            return False
    if alias.word_end and end < len(plain):
        after = plain[end]
        if _is_word(after):
            return False
        if after == "-" and not hyphens:
            return False
    return True


def _urlish_spans(plain: str) -> list[tuple[int, int]]:
    """Whitespace-delimited tokens that look like URLs, e-mail addresses or paths."""
    spans: list[tuple[int, int]] = []
    for hint in _URLISH.finditer(plain):
        if spans and hint.start() < spans[-1][1]:
            continue
        left = plain.rfind(" ", 0, hint.start()) + 1
        right = plain.find(" ", hint.end())
        spans.append((left, len(plain) if right < 0 else right))
    return spans


def _outside(
    found: list[tuple[int, int, _Alias]], spans: list[tuple[int, int]]
) -> list[tuple[int, int, _Alias]]:
    """Drop matches that overlap any span (spans are sorted and disjoint)."""
    if not spans:
        return found
    starts = [span[0] for span in spans]
    kept = []
    for match in found:
        index = bisect.bisect_right(starts, match[1] - 1) - 1
        if index >= 0 and spans[index][1] > match[0]:
            continue
        kept.append(match)
    return kept


@dataclass
class _Open:
    """A skipped element still open, and how many same-named elements are open inside it."""

    tag: str
    at: int
    """Its place in the skip stack (only its top is ever removed, so places stay true)."""
    nested: int = 0


class _Page(HTMLParser):
    """One pass over one page: copy tokens through, link text runs outside skipped elements.

    ``fast=False`` reads every token with the library's tokenizer alone (the reference the
    tests compare the compiled pattern's reading against).
    """

    def __init__(
        self,
        linker: Linker,
        source: str,
        href_for: Callable[[str], str],
        skip_slug: str | None,
        *,
        fast: bool = True,
    ) -> None:
        super().__init__(convert_charrefs=True)
        self._linker = linker
        self._source = source
        self._href_for = href_for
        self._skip_slug = skip_slug
        self._rules = linker.rules
        self._fast = fast
        self._at = 0
        """Source offset of the token being handled while the compiled pattern reads."""
        self._base: int | None = None
        """Where the library's tokenizer took over (its positions count from there); None if it did not."""
        self._base_line = 0
        self._line_starts: list[int] = []
        self._out: list[str] = []
        self._done = 0
        self._run: list[str] = []
        self._run_start = -1
        self._skip: list[_Open] = []
        self._skipped: dict[str, list[_Open]] = {}
        """The skip stack's entries by tag: the innermost of a tag is found at once, not by a walk."""
        self._heading: tuple[str, str | None, list[str]] | None = None
        self._in_headerlink = False
        self._anchor: str | None = None
        self._heading_text: str | None = None
        self._linked: set[str] = set()
        self._hrefs: dict[str, str] = {}
        self.mentions: list[Mention] = []

    def run(self) -> str:
        """Read the whole page and return the linked HTML."""
        source = self._source
        size = len(source)
        at = 0 if self._fast else self._library(0)
        find, token = source.find, TAG.match
        while at < size:
            lt = find("<", at)
            if lt < 0:
                lt = size
            if lt > at:
                if not self._skip or (self._heading is not None and not self._in_headerlink):
                    self._at = at
                    self.handle_data(unescape(source[at:lt]))
                if lt == size:
                    break
            match = token(source, lt)
            if match is None:
                at = self._library(lt)
                continue
            tag = match.group("tag")
            if tag is None:
                if self._run_start >= 0:
                    self._flush(lt)
                self._close(match.group("end").lower())
            else:
                tag = tag.lower()
                if tag in RAW_TEXT_TAGS:
                    at = self._library(lt)
                    continue
                if self._run_start >= 0:
                    self._flush(lt)
                classes, ident = class_and_id(match.group("attrs"))
                self._open(tag, classes, ident, void=bool(match.group("close")) or tag in VOID_TAGS)
            at = match.end()
        self._flush(size)
        self._out.append(source[self._done :])
        return "".join(self._out)

    def _library(self, start: int) -> int:
        """Let the library's tokenizer read from ``start`` (a ``<``) until it is between tokens.

        It is fed up to each next ``<``; once it holds nothing back (no unfinished token,
        no raw-text element open) the compiled pattern reads on from there. Returns where.
        While it holds text back (a ``<script>`` or comment left open) each feed reads all
        of it again, so the pieces double: a page that never closes one costs n log n, not n².
        """
        source = self._source
        self.reset()
        self._base = start
        if not self._line_starts:
            self._line_starts = [0, *(match.end() for match in re.finditer("\n", source))]
        self._base_line = bisect.bisect_right(self._line_starts, start) - 1
        at, reach = start, 0
        while at < len(source):
            following = source.find("<", at + 1 + reach) if self._fast else -1
            end = len(source) if following < 0 else following
            self.feed(source[at:end])
            at = end
            if at < len(source) and not self.rawdata and self.cdata_elem is None:
                self._base = None
                return at
            reach = max(256, 2 * reach)
        self.close()
        self._base = None
        return len(source)

    # -- source bookkeeping ------------------------------------------------

    def _offset(self) -> int:
        """Source offset of the token being handled (the library's tokenizer reports line and column)."""
        if self._base is None:
            return self._at
        line, column = self.getpos()
        if line == 1:
            return self._base + column
        return self._line_starts[self._base_line + line - 1] + column

    def _flush(self, position: int) -> None:
        """End the text run (if any) at ``position``; a linked run replaces its source.

        The source between replaced runs is copied once, when the next replacement (or the
        page's end) is reached.
        """
        if self._run_start < 0:
            return
        linked = self._link_text("".join(self._run))
        self._run.clear()
        if linked is not None:
            self._out += (self._source[self._done : self._run_start], linked)
            self._done = position
        self._run_start = -1

    # -- parser events -----------------------------------------------------

    def handle_data(self, data: str) -> None:
        if self._heading is not None and not self._in_headerlink:
            self._heading[2].append(data)
        if self._skip:
            return
        if self._run_start < 0:
            self._run_start = self._offset()
        self._run.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush(self._offset())
        self._open(tag, *classes_and_id(attrs), void=tag in VOID_TAGS)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush(self._offset())
        self._open(tag, *classes_and_id(attrs), void=True)

    def handle_endtag(self, tag: str) -> None:
        self._flush(self._offset())
        self._close(tag)

    def handle_comment(self, data: str) -> None:
        self._flush(self._offset())

    def handle_decl(self, decl: str) -> None:
        self._flush(self._offset())

    def handle_pi(self, data: str) -> None:
        self._flush(self._offset())

    def unknown_decl(self, data: str) -> None:
        self._flush(self._offset())

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """Treat a malformed ``<![…`` as a bogus comment, as browsers do, instead of raising."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            return self.parse_bogus_comment(i, report)

    # -- element state -----------------------------------------------------

    def _open(self, tag: str, classes: Set[str], ident: str | None, *, void: bool) -> None:
        if void:
            return
        if tag in HEADING_TAGS and self._heading is None:
            self._heading = (tag, ident, [])
        elif tag == "a" and self._heading is not None and "headerlink" in classes:
            self._in_headerlink = True
        if tag == "p":
            # A <p> start tag implicitly closes an open paragraph.
            self._pop("p", implicit=True)
        if (
            tag in SKIP_TAGS
            or self._rules.opt_out_class in classes
            or not SKIP_CLASSES.isdisjoint(classes)
            or (tag == "sup" and "mechanisms-cite" in classes)
        ):
            entry = _Open(tag, len(self._skip))
            self._skip.append(entry)
            self._skipped.setdefault(tag, []).append(entry)
            return
        same = self._skipped.get(tag)
        if same:
            same[-1].nested += 1

    def _close(self, tag: str) -> None:
        if self._heading is not None and tag == self._heading[0]:
            _, ident, parts = self._heading
            if ident:
                self._anchor = ident
                self._heading_text = " ".join("".join(parts).split())
            self._heading = None
            self._in_headerlink = False
        elif tag == "a":
            self._in_headerlink = False
        self._pop(tag, implicit=False)

    def _pop(self, tag: str, *, implicit: bool) -> None:
        """Close the innermost skip element named ``tag``, minding same-named descendants."""
        same = self._skipped.get(tag)
        if not same:
            return
        entry = same[-1]
        if entry.nested:
            if not implicit:
                entry.nested -= 1
        elif not implicit or entry.at == len(self._skip) - 1:
            while len(self._skip) > entry.at:  # it and every skip element opened inside it
                gone = self._skip.pop()
                self._skipped[gone.tag].pop()

    # -- linking -----------------------------------------------------------

    def _link_text(self, text: str) -> str | None:
        """Record mentions in one text run; return it re-serialised with links, or None if unchanged."""
        matches = self._linker._find(text)
        if not matches:
            return None
        pieces: list[str] = []
        done = 0
        for start, end, alias in matches:
            slug = alias.slug
            if slug == self._skip_slug:
                continue
            matched = text[start:end]
            self.mentions.append(Mention(slug, matched, self._anchor, self._heading_text))
            if not self._should_link(slug):
                continue
            href = self._hrefs.get(slug)
            if href is None:
                href = self._hrefs[slug] = html.escape(self._href_for(slug), quote=True)
            pieces.append(html.escape(text[done:start], quote=False))
            pieces.append(
                f'<a class="mechanisms-term" href="{href}"{self._linker._attrs[slug]}>'
                f"{html.escape(matched, quote=False)}</a>"
            )
            done = end
        if not pieces:
            return None
        pieces.append(html.escape(text[done:], quote=False))
        return "".join(pieces)

    def _should_link(self, slug: str) -> bool:
        mode = self._rules.mode
        if mode == "none" or not self._linker.terms[slug].link:
            return False
        if mode == "first":
            if slug in self._linked:
                return False
            self._linked.add(slug)
        return True
