"""One bibliography, pandoc-style ``[@key]`` citations, site-wide numbering.

Citations are marked in Markdown with a placeholder comment and numbered
only when every page is known, so numbers follow first use across the site
in navigation order and are the same on every page and diagram.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, unquote

import bibtexparser
from bibtexparser import middlewares
from pylatexenc.latex2text import LatexNodes2Text

from .errors import MechanismsError, Problem, did_you_mean
from .model import Reference

KEY = r"\w+(?:[:.#$%+?~/-]+\w+)*"
"""A citation key as pandoc reads one: letters (any script), digits and ``_``, with punctuation
(``: . # $ % + ? ~ / -``) only inside. Pandoc also allows ``& < >``; they are refused here, so a
key can never be markup in any context it is written to."""
CITATION = re.compile(rf"\[(@{KEY}(?:\s*;\s*@{KEY})*)\]")
PLACEHOLDER = re.compile(r'<span class="mechanisms-cite-ph" data-keys="([^"]*)"></span>')
REFERENCE_TEXT = re.compile(r"<!--mechanisms-reference-text:([A-Za-z0-9%._~-]*)-->")
"""Marks where a pathway page's "Sources" list gets a reference's full text."""
_KEY = re.compile(rf"^{KEY}$")
_UNSAFE_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_FENCE = re.compile(r"^[ \t]{0,3}(`{3,}|~{3,})")
_INLINE_CODE = re.compile(r"(`+)(?:.+?)\1", re.S)


@dataclass(frozen=True)
class CitationMark:
    """One ``[@a; @b]`` in a Markdown text."""

    keys: tuple[str, ...]
    line: int
    start: int
    end: int


def placeholder(keys: Iterable[str]) -> str:
    """The marker left in Markdown/HTML until numbers are known.

    An inline element, not a comment: a comment at the start of a line
    would make Python-Markdown treat the line as a raw HTML block.
    """
    return f'<span class="mechanisms-cite-ph" data-keys="{html.escape(",".join(keys))}"></span>'


def placeholder_keys(match: re.Match[str]) -> list[str]:
    """The keys of a :data:`PLACEHOLDER` match."""
    return [k for k in html.unescape(match.group(1)).split(",") if k]


def valid_key(key: str) -> bool:
    """Can ``key`` be cited as ``[@key]`` (and written safely wherever keys go)?"""
    return bool(_KEY.match(key))


def reference_text_marker(key: str) -> str:
    """An HTML comment that :data:`REFERENCE_TEXT` finds; the key is percent-encoded, so no ``-->``."""
    return f"<!--mechanisms-reference-text:{quote(key, safe='')}-->"


def marker_key(match: re.Match[str]) -> str:
    """The key of a :data:`REFERENCE_TEXT` match."""
    return unquote(match.group(1))


def anchor(key: str) -> str:
    """The references page's id for ``key`` (``ref-<key>``)."""
    return f"ref-{key}"


def fragment(key: str) -> str:
    """``references#…``: the URL fragment that reaches :func:`anchor` (``#`` and ``%`` encoded)."""
    return "references#" + quote(anchor(key), safe=":/+?~-._$")


def _code_spans(text: str) -> list[tuple[int, int]]:
    """Character ranges of fenced code blocks and inline code in Markdown."""
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
    return sorted(spans)


def _outside(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for start, end in sorted(spans):
        out.append((pos, start))
        pos = end
    out.append((pos, len(text)))
    return out


def find_citations(markdown: str, first_line: int = 1) -> Iterator[CitationMark]:
    """Every citation outside code, with its line (``first_line`` = line of the text's start)."""
    for start, end in _outside(markdown, _code_spans(markdown)):
        for match in CITATION.finditer(markdown, start, end):
            keys = tuple(k.strip().lstrip("@") for k in match.group(1).split(";"))
            line = first_line + markdown.count("\n", 0, match.start())
            yield CitationMark(keys, line, match.start(), match.end())


def mark_citations(markdown: str, first_line: int = 1) -> tuple[str, list[CitationMark]]:
    """Replace citations by placeholders; return the new text and the marks."""
    marks = list(find_citations(markdown, first_line))
    out, pos = [], 0
    for mark in marks:
        out.append(markdown[pos : mark.start])
        out.append(placeholder(mark.keys))
        pos = mark.end
    out.append(markdown[pos:])
    return "".join(out), marks


def check_keys(marks: Iterable[CitationMark], known: Iterable[str], source: str) -> list[Problem]:
    """Unknown keys, each with the nearest known key."""
    known = set(known)
    return [
        Problem(source, mark.line, "", f"unknown citation key '@{key}'", did_you_mean(key, known))
        for mark in marks
        for key in mark.keys
        if key not in known
    ]


class Bibliography:
    """The site's references, read from BibTeX with bibtexparser."""

    def __init__(self, references: Mapping[str, Reference], source: str = "") -> None:
        self.references = dict(references)
        self.source = source

    @classmethod
    def from_bibtex(cls, text: str, source: str) -> Bibliography:
        """Parse ``text``; duplicate keys and broken entries raise with their line."""
        try:
            library = bibtexparser.parse_string(
                text,
                append_middleware=[
                    middlewares.SeparateCoAuthors(),
                    middlewares.SplitNameParts(),
                    middlewares.LatexDecodingMiddleware(),
                ],
            )
        except Exception as error:  # the parser's own failure modes are not part of its API
            raise MechanismsError(
                Problem(
                    source,
                    0,
                    "",
                    f"could not read the bibliography: {error}",
                    "check that every entry's braces are balanced",
                )
            ) from None
        problems = []
        for block in library.failed_blocks:
            message = (str(getattr(block, "error", "")) or "could not parse this entry").splitlines()[0]
            if type(block).__name__ == "DuplicateBlockKeyBlock":
                message = f"duplicate citation key '{getattr(block, 'key', '?')}'"
            problems.append(
                Problem(
                    source,
                    (block.start_line or 0) + 1,
                    "",
                    message,
                    "each @type{key, …} entry needs a unique key and balanced braces",
                )
            )
        if problems:
            raise MechanismsError(problems)
        references = {}
        for entry in library.entries:
            if not valid_key(entry.key):
                problems.append(
                    Problem(
                        source,
                        (entry.start_line or 0) + 1,
                        "",
                        f"citation key '{entry.key}' cannot be cited",
                        "use letters, digits and '_', with ':', '.', '-' or '/' only between them",
                    )
                )
                continue
            fields = {k.lower(): v.value for k, v in entry.fields_dict.items()}
            references[entry.key] = format_reference(entry.key, fields, (entry.start_line or 0) + 1)
        if problems:
            raise MechanismsError(problems)
        return cls(references, source)

    def __contains__(self, key: object) -> bool:
        return key in self.references

    def keys(self) -> list[str]:
        """Known keys, sorted."""
        return sorted(self.references)


_LATEX = LatexNodes2Text()


def _plain(text: str) -> str:
    """LaTeX accents and protecting braces → plain text ("{\\'e}" → "é"), without control characters."""
    text = " ".join(_LATEX.latex_to_text(text).split()) if ("\\" in text or "{" in text) else text
    return _UNSAFE_TEXT.sub("", text)


def _names(value: Any) -> list[str]:
    """Authors as "Last FM" (Vancouver/AMA style); a braced name stays whole (an organisation)."""
    out = []
    for person in value if isinstance(value, list) else [value]:
        if isinstance(person, str):
            out.append(_plain(person.strip()))
            continue
        if not person.first and not person.von and len(person.last) == 1 and person.last[0].startswith("{"):
            out.append(_plain(person.last[0]))
            continue
        last = _plain(" ".join([*person.von, *person.last]).strip())
        if last.lower() == "others":
            out.append("et al.")
            continue
        initials = "".join(p[0] for part in person.first for p in _plain(part).split("-") if p)
        out.append(f"{last} {initials}".strip())
    if len(out) > 6 or (out and out[-1] == "et al."):
        kept = [n for n in out if n != "et al."][:3]
        return [*kept, "et al."]
    return out


def format_reference(key: str, fields: Mapping[str, Any], line: int = 0) -> Reference:
    """A display string in the article's (AMA-like) style."""
    authors = _names(fields.get("author", ""))
    author_text = ", ".join(a for a in authors if a != "et al.")
    if authors and authors[-1] == "et al.":
        author_text += ", et al"
    parts = []
    if author_text:
        parts.append(author_text.rstrip(".") + ".")
    title = " ".join(str(fields.get("title", "")).split()).rstrip(".")
    if title:
        parts.append(title + ".")
    venue = str(fields.get("journal") or fields.get("booktitle") or fields.get("publisher") or "").strip()
    year = str(fields.get("year", "")).strip()
    volume, number, pages = (str(fields.get(k, "")).strip() for k in ("volume", "number", "pages"))
    where = year
    if volume:
        where += f";{volume}" + (f"({number})" if number else "")
    if pages:
        where += f":{pages.replace('--', '-')}"
    if venue:
        parts.append(f"{venue}. {where}." if where else f"{venue}.")
    elif where:
        parts.append(where + ".")
    doi = str(fields.get("doi", "")).strip().removeprefix("https://doi.org/").removeprefix("doi:")
    url = str(fields.get("url", "")).strip()
    text, doi, url = (_UNSAFE_TEXT.sub("", " ".join(v.split())) for v in (" ".join(parts), doi, url))
    return Reference(key=key, text=text, doi=doi, url=url, line=line)


@dataclass
class Numbering:
    """Citation numbers by first use; ``cited_on`` remembers where each key is cited."""

    numbers: dict[str, int] = field(default_factory=dict)
    cited_on: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def number(self, key: str) -> int:
        """The key's number, assigning the next one on first use."""
        if key not in self.numbers:
            self.numbers[key] = len(self.numbers) + 1
        return self.numbers[key]

    def visit(self, keys: Sequence[str], where: tuple[str, str] | None = None) -> list[int]:
        """Number ``keys`` in order and record ``where`` (title, url) for back-links."""
        numbers = [self.number(k) for k in keys]
        if where is not None:
            for key in keys:
                places = self.cited_on.setdefault(key, [])
                if where not in places:
                    places.append(where)
        return numbers


def reference_url(ref: Reference) -> str:
    """The DOI link if there is one, else the entry's own safe URL."""
    if ref.doi:
        return "https://doi.org/" + ref.doi
    return ref.url if ref.url.startswith(("https://", "http://")) else ""


def citation_html(
    keys: Sequence[str], numbering: Numbering, bibliography: Bibliography, href: Callable[[str], str]
) -> str:
    """A superscript of numbered links; unknown keys show as ``?``."""
    links = []
    for key in keys:
        ref = bibliography.references.get(key)
        if ref is None:
            links.append(
                f'<span class="mechanisms-cite-missing" title="unknown key">?{html.escape(key)}</span>'
            )
            continue
        n = numbering.number(key)
        links.append(
            f'<a href="{html.escape(href(key))}" data-tip-text="{html.escape(ref.text)}" '
            f'aria-label="Reference {n}">{n}</a>'
        )
    return f'<sup class="mechanisms-cite">{", ".join(links)}</sup>'


def substitute(html_text: str, render: Callable[[list[str]], str]) -> str:
    """Replace every placeholder by ``render(keys)``."""
    return PLACEHOLDER.sub(lambda m: render(placeholder_keys(m)), html_text)


def references_html(bibliography: Bibliography, numbering: Numbering, back_href: Callable[[str], str]) -> str:
    """The numbered list of cited entries, with DOI links and "cited on" back-links.

    ``back_href`` turns a site-relative URL into one relative to the references page.
    """
    cited = sorted(numbering.numbers.items(), key=lambda item: item[1])
    rows = ['<ol class="mechanisms-references">']
    for key, n in cited:
        ref = bibliography.references.get(key)
        if ref is None:
            continue
        url = reference_url(ref)
        link = ""
        if url:
            label = f"doi:{ref.doi}" if ref.doi else url
            link = f' <a class="mechanisms-doi" href="{html.escape(url)}">{html.escape(label)}</a>'
        places = numbering.cited_on.get(key, [])
        back = ""
        if places:
            items = ", ".join(
                f'<a href="{html.escape(back_href(u))}">{html.escape(t)}</a>' for t, u in places
            )
            back = f'<br><span class="mechanisms-cited-on">Cited on: {items}</span>'
        rows.append(
            f'<li id="{html.escape(anchor(key))}" value="{n}">{html.escape(ref.text)}{link}{back}</li>'
        )
    rows.append("</ol>")
    return "\n".join(rows)
