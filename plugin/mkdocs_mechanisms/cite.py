"""One bibliography, pandoc-style ``[@key]`` citations, site-wide numbering.

Reading citations (for the build and ``check``), the bibliography, and the HTML
of a citation, a source list and an entry. Where pages cite what, and the
numbers, are :mod:`.citations`'.
"""

from __future__ import annotations

import functools
import html
import json
import re
from collections.abc import Callable, Collection, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING
from urllib.parse import quote

from . import citesyntax, cslgroup
from .citesyntax import Cluster, Item
from .deferred import Slot, slot
from .errors import MechanismsError, Problem, did_you_mean
from .model import Reference
from .numbers import Numbering

if TYPE_CHECKING:  # citeproc-py is imported only when a bibliography is formatted
    from citeproc import CitationStylesStyle

    from . import citeforms, csl

KEY = citesyntax.KEY
CITATION = re.compile(citesyntax.BRACKETED)
"""Anything in brackets with an ``@`` at a word's start (to strip citations from plain text)."""
MARKER = citesyntax.CANDIDATE.pattern
"""A bracketed citation (``[see @a, p. 3; @b]``, or a malformed ``[@…]`` that gets a warning
instead of silently staying text) or an in-text ``@key [p. 4]``. As in pandoc, a citation is
one before any punctuation, ``:`` included (the Markdown extension keeps ``[@key]:`` at the
start of a line from being read as a link reference definition)."""
Entries = list[tuple[str, cslgroup.Formatted]]
EntryStore = Callable[[Sequence[str], Callable[[], Entries]], Entries]
"""Formatted entries by the keys asked for, made by the callable when not kept (:mod:`.bibstore`)."""
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?:.+?)\1", re.S)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)


@dataclass(frozen=True)
class CitationMark:
    """One citation in a Markdown text: ``[@a; @b]``, ``[see @a, p. 3]`` or in-text ``@a``."""

    keys: tuple[str, ...]
    line: int
    start: int
    end: int
    cluster: Cluster | None = None


def placeholder(keys: Iterable[str]) -> str:
    """The slot of a citation of ``keys`` (a figure's step, a table cell), written once numbers are known."""
    return slot(Slot.CITE, json.dumps({"i": [{"k": key} for key in keys]}, separators=(",", ":")))


def valid_key(key: str) -> bool:
    """Can ``key`` be cited as ``[@key]`` (and written safely wherever keys go)?"""
    return citesyntax.valid_key(key)


def anchor(key: str) -> str:
    """The references page's id for ``key`` (``ref-<key>``)."""
    return f"ref-{key}"


def fragment(key: str) -> str:
    """``references#…``: the URL fragment that reaches :func:`anchor` (``#`` and ``%`` encoded)."""
    return "references#" + quote(anchor(key), safe=":/+?~-._$")


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of fenced code blocks, inline code and HTML comments in Markdown."""
    spans: list[tuple[int, int]] = []
    offset, fence, fence_start = 0, "", 0
    for line in text.splitlines(keepends=True):
        match = _FENCE.match(line)
        if fence:
            if (
                match
                and match.group(1)[0] == fence[0]
                and len(match.group(1)) >= len(fence)
                and not line.strip()[len(match.group(1)) :].strip()
            ):
                spans.append((fence_start, offset + len(line)))
                fence = ""
        elif match:
            fence, fence_start = match.group(1), offset
        offset += len(line)
    if fence:
        spans.append((fence_start, len(text)))
    outside = _outside(text, spans)
    for start, end in outside:
        spans.extend((start + m.start(), start + m.end()) for m in _INLINE_CODE.finditer(text[start:end]))
    for start, end in _outside(text, spans):
        spans.extend((start + m.start(), start + m.end()) for m in _COMMENT.finditer(text[start:end]))
    return sorted(spans)


def _outside(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for start, end in sorted(spans):
        out.append((pos, start))
        pos = end
    out.append((pos, len(text)))
    return out


@dataclass(frozen=True)
class Reading:
    """What one candidate the syntax found is: a citation (and which part of the text it is),
    a malformed citation to report, or prose to leave alone."""

    cluster: Cluster | None
    start: int
    end: int
    malformed: bool = False


def read_candidate(match: re.Match[str], known: Container[str]) -> Reading:
    """One :data:`MARKER` match read as the build, ``check`` and every host read it.

    A bracketed citation is one whatever its keys (an unknown key is reported); an
    in-text ``@word`` is one only when the bibliography has the key, so an e-mail
    address or a decorator in prose stays text (its bracket, if a citation, still counts).
    """
    if match.group("bracketed"):
        cluster = citesyntax.parse_bracketed(match.group(0))
        strict = citesyntax.strict_form(match.group(0))
        return Reading(cluster, match.start(), match.end(), malformed=cluster is None and strict)
    cluster = citesyntax.parse_in_text(match)
    if cluster is not None and cluster.items[0].key in known:
        return Reading(cluster, match.start(), match.end())
    bracket = match.group("bracket")
    if bracket:
        start = match.start("bracket") + len(bracket) - len(bracket.lstrip())
        inner = citesyntax.parse_bracketed(bracket.strip())
        if inner is not None:
            return Reading(inner, start, match.end())
        return Reading(None, start, match.end(), malformed=citesyntax.strict_form(bracket.strip()))
    return Reading(None, match.start(), match.end())


def find_citations(
    markdown: str, first_line: int = 1, known: Container[str] = frozenset()
) -> Iterator[CitationMark]:
    """Every citation outside code, with its line (``first_line`` = line of the text's start).

    In-text ``@key`` counts only for ``known`` keys (none by default).
    """
    for start, end in _outside(markdown, _code_spans(markdown)):
        for match in citesyntax.candidates(markdown, start, end):
            reading = read_candidate(match, known)
            if reading.cluster is not None:
                line = first_line + markdown.count("\n", 0, reading.start)
                yield CitationMark(reading.cluster.keys, line, reading.start, reading.end, reading.cluster)


@dataclass(frozen=True)
class Marker:
    """One citation candidate seen in a page's Markdown (outside fenced and inline code), with its line."""

    text: str
    line: int


def find_markers(markdown: str, first_line: int = 1) -> list[Marker]:
    """Candidate citation markers with lines, so the inline pattern can name where it found one.

    Only markers the Markdown parser actually reaches as text (not in indented code
    or HTML comments) are later used; the rest are never consulted.
    """
    found: list[Marker] = []
    line, counted = first_line, 0  # lines are counted once, forward: a long page is not re-read per marker
    for start, end in _outside(markdown, _code_spans(markdown)):
        for match in citesyntax.candidates(markdown, start, end):
            line += markdown.count("\n", counted, match.start())
            counted = match.start()
            found.append(Marker(match.group(0), line))
    return found


def parse_marker(text: str) -> tuple[str, ...] | None:
    """The keys of a well-formed bracketed citation, or ``None`` for a malformed marker."""
    cluster = citesyntax.parse_bracketed(text)
    return None if cluster is None else cluster.keys


def malformed(source: str, line: int, text: str) -> Problem:
    """The warning for a ``[@…]`` that is no citation (``[@]``, ``[@ key]``, ``[@a; b]``)."""
    return Problem(
        source,
        line,
        "",
        f"malformed citation '{text}'",
        "write [@key], [@a; @b] or [see @a, p. 3] with no space after '@'; "
        "escape the bracket as \\[@ for literal text",
    )


def page_problems(markdown: str, first_line: int, known: Collection[str], source: str) -> list[Problem]:
    """The citation problems of a page's Markdown (outside code), as the build reports them."""
    problems: list[Problem] = []
    for start, end in _outside(markdown, _code_spans(markdown)):
        for match in citesyntax.candidates(markdown, start, end):
            reading = read_candidate(match, known)
            line = first_line + markdown.count("\n", 0, reading.start)
            if reading.malformed:
                problems.append(malformed(source, line, markdown[reading.start : reading.end]))
            elif reading.cluster is not None:
                mark = CitationMark(reading.cluster.keys, line, reading.start, reading.end, reading.cluster)
                problems += check_keys([mark], known, source, markdown)
    return problems


_CAPTION_END = re.compile(r"(?P<cite>\[[^\[\]\n]*@[^\[\]\n]*\])?(?P<stop>[.!?]?)(?P<space>\s*)$")


def with_sources(caption: str, keys: Sequence[str]) -> str:
    """A figure's caption (Markdown) citing the figure's own sources as a style places them.

    Sources the caption already cites are not repeated; the others go before the
    caption's final full stop, joined to the citation that ends the sentence if there
    is one ("…activate it³,⁵." rather than "…activate it³.³,⁵").
    """
    cited = {key for mark in find_citations(caption) for key in mark.keys}
    new = [key for key in dict.fromkeys(keys) if key not in cited]
    if not new:
        return caption
    added = "; ".join(f"@{key}" for key in new)
    end = _CAPTION_END.search(caption)
    assert end is not None  # every part of the pattern may be empty
    last = end.group("cite")
    if last and parse_marker(last) is not None:
        body, citation = caption[: end.start()], f"{last[:-1]}; {added}]"
    else:
        body = caption[: end.start("stop")].rstrip()
        citation = (" " if body else "") + f"[{added}]"
    return body + citation + end.group("stop") + end.group("space")


def check_keys(
    marks: Iterable[CitationMark], known: Iterable[str], source: str, text: str = ""
) -> list[Problem]:
    """Unknown keys, each with the nearest known key.

    ``text`` is what the marks' offsets index, to explain a key cut short by a backslash.
    """
    known = set(known)
    return [
        Problem(
            source,
            mark.line,
            "",
            f"unknown citation key '@{key}'",
            _escaped_hint(text[mark.start : mark.end], key) or did_you_mean(key, known),
        )
        for mark in marks
        for key in mark.keys
        if key not in known
    ]


_KEY_CHAR = r"(?:\\[^\s\\]|[\w:.#$%+?~/-])"


def _escaped_hint(written: str, key: str) -> str:
    """``[@smith\\_2020]`` reads as the key ``smith``: Markdown editors escape ``_`` as ``\\_``,
    and a key holds no backslash (as in pandoc). Names the key the author meant."""
    found = re.search(rf"@\{{?{re.escape(key)}({_KEY_CHAR}*\\[^\s\\]{_KEY_CHAR}*)", written)
    if found is None:
        return ""
    meant = key + re.sub(r"\\(.)", r"\1", found.group(1))
    return f"a citation key holds no backslash: write '@{meant}'"


class Bibliography:
    """The site's references, read from BibTeX and formatted with one CSL style."""

    def __init__(
        self,
        references: Mapping[str, Reference],
        source: str = "",
        styled: csl.Styled | None = None,
        *,
        group: cslgroup.GroupFormat | None = None,
        restyle: Callable[[], Bibliography | None] | None = None,
    ) -> None:
        self.references = dict(references)
        self.source = source
        self._styled = styled
        self._restyle = restyle
        """Reads the bibliography for real: one kept by :mod:`.bibstore` holds no citeproc objects."""
        self._read: Bibliography | None = None
        self.group = styled.group if styled is not None else group or cslgroup.AMA_GROUP
        self.tips: dict[str, str] = {}
        """Each entry's text escaped for a ``data-tip-text`` attribute, by key, as first written."""
        self.entry_store: EntryStore | None = None
        """Where :meth:`entries` keeps what it formats between builds (:mod:`.bibstore`), if anywhere."""

    def _real(self) -> Bibliography | None:
        """The bibliography read with its style (itself, unless it was recalled from the store)."""
        if self._restyle is None:
            return self
        if self._read is None:
            self._read = self._restyle()
        return self._read

    @property
    def styled(self) -> csl.Styled | None:
        """The entries formatted with the style (citeproc-py's objects)."""
        real = self._real()
        return self._styled if real is self else (real.styled if real is not None else None)

    @property
    def has_style(self) -> bool:
        """Whether a CSL style formats this bibliography (without loading one that is only recalled)."""
        return self._styled is not None or self._restyle is not None

    def entries(self, keys: Sequence[str]) -> Entries:
        """:meth:`.csl.Styled.entries` (nothing without a style), kept between builds where it can be."""

        def make() -> Entries:
            styled = self.styled
            return styled.entries(keys) if styled is not None else []

        return make() if self.entry_store is None else list(self.entry_store(keys, make))

    @classmethod
    def from_bibtex(cls, text: str, source: str, style: CitationStylesStyle | None = None) -> Bibliography:
        """Parse ``text`` and format it with ``style`` (the article's AMA style by default).

        Duplicate keys, broken entries and values the CSL mapping cannot read raise with their line.
        """
        bibliography, problems = read_bibtex(text, source, style)
        if problems:
            raise MechanismsError(problems)
        assert bibliography is not None  # no problems means the text was read
        return bibliography

    def __contains__(self, key: object) -> bool:
        return key in self.references

    @functools.cached_property
    def forms(self) -> citeforms.Forms | None:
        """The style's forms of one cited item (locators, author suppressed, author only)."""
        real = self._real()
        if real is not self:
            return real.forms if real is not None else None
        if self._styled is None:
            return None
        from .citeforms import Forms

        return Forms(self._styled.style, self._styled.source, self._styled.citeproc_id)

    def keys(self) -> list[str]:
        """Known keys, sorted."""
        return sorted(self.references)


def reference_url(ref: Reference) -> str:
    """The DOI link if there is one, else the entry's own safe URL."""
    if ref.doi:
        return "https://doi.org/" + ref.doi
    return ref.url if ref.url.startswith(("https://", "http://")) else ""


def entry_html(ref: Reference, formatted: str = "") -> str:
    """One reference as HTML: the style's text with its DOI or URL linked.

    A style that prints neither gets the DOI (or URL) link appended, so every
    entry stays one click from its source.
    """
    entry = cslgroup.link_identifiers(formatted or ref.html or html.escape(ref.text))
    if "mechanisms-doi" not in entry:
        url = reference_url(ref)
        if url:
            label = f"doi:{ref.doi}" if ref.doi else url
            entry += f' <a class="mechanisms-doi" href="{html.escape(url)}">{html.escape(label)}</a>'
    return entry


def citation_html(
    cited: Sequence[str] | Cluster,
    numbering: Numbering,
    bibliography: Bibliography,
    href: Callable[[str], str],
) -> str:
    """One citation as the style writes it: sorted, ranges collapsed ("3,4,7–9").

    Each number (or author-date label) links to its entry and carries the full
    reference as a tooltip; unknown keys show as ``?key``. Locators are printed as the
    style prints them ("3(p33)", "Doe 2005, p. 33"), the author's prefix and suffix
    (already HTML) stand around their item, ``[-@key]`` drops the author, and an
    in-text citation names the author before the rest ("Doe (2005)", "Doe and Roe³").
    """
    cluster = cited if isinstance(cited, Cluster) else Cluster(tuple(Item(k) for k in dict.fromkeys(cited)))
    fmt = bibliography.group
    items = [item for item in cluster.items if item.key in bibliography.references]
    missing = [
        f'<span class="mechanisms-cite-missing" title="unknown key">?{html.escape(k)}</span>'
        for k in dict.fromkeys(cluster.keys)
        if k not in bibliography.references
    ]
    author = ""
    if cluster.in_text and items:
        author = _render(bibliography, numbering, items[0], cslgroup.AUTHOR_ONLY) or items[0].key
        items[0] = replace(items[0], suppress_author=True)
    numeric = fmt.numeric or not bibliography.has_style
    parts = _numeric_parts(items, numbering, bibliography, href) if numeric else []
    if not numeric:
        parts = [_author_date_part(item, numbering, bibliography, href) for item in items]
    body = ""
    if parts or missing:
        inner = html.escape(fmt.delimiter).join(parts + missing)
        body = html.escape(fmt.prefix) + inner + html.escape(fmt.suffix)
        if fmt.superscript:
            body = f'<sup class="mechanisms-cite">{body}</sup>'
        else:
            body = f'<span class="mechanisms-cite mechanisms-cite-inline">{body}</span>'
    if not author:
        return body
    named = f'<span class="mechanisms-cite-author">{html.escape(author)}</span>'
    return named + ("" if fmt.superscript or not body else " ") + body


def _link(bibliography: Bibliography, href: Callable[[str], str], key: str, label: str, aria: str) -> str:
    tip = bibliography.tips.get(key)
    if tip is None:  # every number of every citation carries its entry's text
        tip = bibliography.tips[key] = html.escape(bibliography.references[key].text)
    return f'<a href="{html.escape(href(key))}" data-tip-text="{tip}" aria-label="{aria}">{label}</a>'


def _affixed(item: Item, inner: str) -> str:
    """An item with the author's prefix (then a space) and suffix (its own spacing kept) around it."""
    return (f"{item.prefix} " if item.prefix else "") + inner + item.suffix


def _render(bibliography: Bibliography, numbering: Numbering, item: Item, mode: str) -> str:
    """``item`` in ``mode`` as the style prints it (plain text), or ``""`` without a style."""
    forms = bibliography.forms
    if forms is None:
        return ""
    order = sorted(numbering.numbers, key=numbering.numbers.__getitem__)
    return forms.render(item.key, mode, order, item.label, item.locator)


def _numeric_parts(
    items: Sequence[Item], numbering: Numbering, bibliography: Bibliography, href: Callable[[str], str]
) -> list[str]:
    """Numbers in the style's order; bare ones collapse into ranges, the others stand alone."""
    fmt = bibliography.group
    numbered = [(numbering.number(item.key), item) for item in items]
    if fmt.sort:
        numbered.sort(key=lambda pair: pair[0])
    parts: list[str] = []
    run: list[int] = []
    keys = {n: item.key for n, item in numbered}

    def flush() -> None:
        for first, last in cslgroup.number_runs(run, fmt):
            one = _link(bibliography, href, keys[first], str(first), f"Reference {first}")
            if first != last:
                one += fmt.range_delimiter + _link(
                    bibliography, href, keys[last], str(last), f"Reference {last}"
                )
                one = f'<span aria-label="References {first} to {last}">{one}</span>'
            parts.append(html.escape(fmt.item_prefix) + one + html.escape(fmt.item_suffix))
        run.clear()

    for number, item in numbered:
        if not (item.prefix or item.suffix or item.locator):
            run.append(number)  # the author is never printed by a number, suppressed or not
            continue
        flush()
        label = _render(bibliography, numbering, item, cslgroup.NORMAL) if item.locator else ""
        label = label or f"{fmt.item_prefix}{number}{fmt.item_suffix}"
        aria = f"Reference {number}" + (f", {item.label} {item.locator}" if item.locator else "")
        parts.append(
            _affixed(item, _link(bibliography, href, item.key, html.escape(label), html.escape(aria)))
        )
    flush()
    return parts


def _author_date_part(
    item: Item, numbering: Numbering, bibliography: Bibliography, href: Callable[[str], str]
) -> str:
    label = _render(bibliography, numbering, item, cslgroup.SUPPRESS_AUTHOR) if item.suppress_author else ""
    label = label or _render(bibliography, numbering, item, cslgroup.NORMAL) or item.key
    return _affixed(item, _link(bibliography, href, item.key, html.escape(label), html.escape(label)))


def sources_html(
    keys: Sequence[str], numbering: Numbering, bibliography: Bibliography, href: Callable[[str], str]
) -> str:
    """A pathway page's sources, each with its citation and full text, listed by number.

    Numeric styles list them in number order (1, 2, 4, not 2, 4, 1); others in the
    order the style's bibliography sorts them.
    """
    known = [key for key in dict.fromkeys(keys) if key in bibliography.references]
    if not bibliography.has_style or bibliography.group.numeric:
        known.sort(key=numbering.number)
    else:
        known = [key for key, _formatted in bibliography.entries(known)]
    items = [
        f"<li>{citation_html([key], numbering, bibliography, href)} {entry_html(bibliography.references[key])}</li>"
        for key in known
    ]
    return "<ul>\n" + "\n".join(items) + "\n</ul>" if items else ""


def read_bibtex(
    text: str, source: str, style: CitationStylesStyle | None = None
) -> tuple[Bibliography | None, list[Problem]]:
    """The good entries of a BibTeX text, and one problem (with its line) for each bad one.

    A broken entry costs only itself, so while serving the references page still
    lists the rest; ``None`` only when the parser could not read the text at all.
    Control and bidi characters in a field are refused (and dropped from the text
    kept), as in pathway text fields; a key holding one cannot be cited at all.
    """
    from .bibread import read  # bibtexparser is imported only when a text is read

    return read(text, source, style)
