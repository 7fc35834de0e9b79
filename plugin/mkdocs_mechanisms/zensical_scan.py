"""The Zensical preparation's collecting pass, without Python-Markdown where a page allows it.

To number citations and figures and record mentions, the preparation needs of each page
what Python-Markdown would make of it: where its headings (and their ids), citations and
figures are, and its prose as the linker sees it. For a page of plain paragraphs, ATX
headings, code fences, raw HTML blocks and our own slots, that follows from the Markdown
itself: :class:`Scanner` reads such a page line by line into the same skeleton of HTML (the
same text runs, headings, slots and figures) and makes the engine calls the extension would
make on it, in the same order (``prepare_markdown``, ``citation`` per citation the inline
pattern reaches, ``finish_html`` per heading label ``toc`` renders, then the page's own).
Anything else (emphasis, links, lists, tables, admonitions, other extensions) makes it
answer ``None``, and the page is converted as before: the record is the same either way
(``tests/test_zensical_scan.py`` compares both on every page of the article and a benchmark
site).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markdown import Markdown, util
from markdown.extensions import toc as toc_module
from markdown.inlinepatterns import HTML_RE
from markdown.preprocessors import NormalizeWhitespace
from markdown.serializers import to_html_string

from . import cite
from .citations import cite_element
from .record import PageState
from .site import Site

KNOWN = {
    *("toc", "tables", "abbr", "admonition", "attr_list", "md_in_html", "def_list", "footnotes"),
    *("fenced_code", "pymdownx.details", "pymdownx.superfences", "pymdownx.highlight"),
    "pymdownx.inlinehilite",
}
"""Extensions whose syntax the scanner either understands or refuses (a page using it is converted)."""

_TAG = re.compile(HTML_RE)
_MARKER = re.compile(cite.MARKER, re.DOTALL | re.UNICODE)  # as Python-Markdown compiles an inline pattern
_FORBIDDEN = re.compile(r"[*_`\\\[\]<>&{}|~^@#\t\x02\x03]")
"""Characters of inline syntax (or of an extension's) in text: the page is converted instead."""
_LINE_START = re.compile(r"[ >\-*+_=:~`]|!!!|\?\?\?|\d+[.)](?:\s|$)")
"""Starts of lines that begin something else than paragraph text (lists, quotes, rules, …)."""
_TAG_FORBIDDEN = re.compile(r"[\[\]`\\@\n]|://|<!--|markdown=")
_BEFORE_CITE = re.compile(r"[\\`<]")
"""In a citation: what the escape, code span and automatic link patterns (read before it) would take."""
_HEADING = re.compile(r"(#{1,6})(.*)")
_ATTR_ID = re.compile(r"\{[ ]*+#([A-Za-z0-9_-]++)[ ]*+\}[ ]*+")
"""An ``attr_list`` id after a heading's text, matched from its last ``{`` (linear time)."""
_FENCE = re.compile(r"(`{3,}+|~{3,}+)(?:[ ]*+([A-Za-z0-9_+-]++))?+")
"""A fence opener the scanner reads: no info string, or one plain word (``python``, ``pathway-compare``).

Anything more (``~~~ x!``, ``~~~ python foo!``) superfences may reject, leaving a paragraph.
Possessive, so that a long line that fails to match fails in linear time.
"""
_FENCE_LINE = re.compile(r"^[ ]{0,3}(?:```|~~~)", re.MULTILINE)
_MARKDOWN_ATTR = re.compile(r"\bmarkdown\b", re.IGNORECASE)
_BLOCK_TAG = re.compile(r"<([A-Za-z][A-Za-z0-9-]*)[\s>/]")


@dataclass
class Block:
    """One block of the page as Python-Markdown would see it."""

    kind: str
    """``heading``, ``paragraph``, ``raw`` or ``code``."""
    text: str = ""
    level: int = 0
    ident: str = ""
    """A heading's id given with ``attr_list`` (``## A {#letter-a}``)."""


def extension_name(extension: Any) -> str:
    """An extension's name as configured (``markdown.extensions.toc`` and ``toc`` alike)."""
    name = extension if isinstance(extension, str) else type(extension).__module__
    return name.removeprefix("markdown.extensions.")


class Scanner:
    """Reads the pages it can, for one preparation (Zensical's Markdown setup, one site)."""

    def __init__(self, site: Site, extensions: Sequence[Any], configs: Mapping[str, Any]) -> None:
        self.site = site
        self.md = Markdown(extensions=list(extensions), extension_configs=dict(configs))
        self.normalize = NormalizeWhitespace(self.md)
        settings = {extension_name(k): v for k, v in configs.items()}
        names = {extension_name(e) for e in extensions}
        self.attr_ids = "attr_list" in names
        self.fences = bool(names & {"fenced_code", "pymdownx.superfences"}) and not (
            (settings.get("pymdownx.highlight") or {}).get("auto_title")  # a title the linker reads
        )
        fences = (settings.get("pymdownx.superfences") or {}).get("custom_fences") or []
        self.custom_fences = {str(f.get("name", "")) for f in fences if isinstance(f, Mapping)}
        toc: Any = self.md.treeprocessors["toc"] if "toc" in self.md.treeprocessors else None  # noqa: SIM401 (a Registry has no get)
        self.toc = toc
        self.marker = str(getattr(toc, "marker", "") or "")
        """A paragraph of just this text is replaced by the table of contents."""
        self.enabled = (
            names <= KNOWN
            and not (settings.get("abbr") or {}).get("glossary")
            and "*" not in self.custom_fences
            and "fenced_raw_block" not in self.md.preprocessors  # preserve_tabs: fences taken before ours
            and hasattr(toc_module, "render_inner_html")  # labels go through the postprocessors
            and (toc is None or getattr(toc, "base_level", 0) == 0)  # headings keep their levels
            and not getattr(toc, "title", None)  # the table of contents, title and all, is linked
        )

    # -- a page ------------------------------------------------------------------------------
    def collect(self, page: PageState, body: str) -> tuple[str, str] | None:
        """The page's HTML as far as the record reads it, and its first ``h1``; ``None``: convert it.

        On success the engine saw the calls a conversion makes (mentions recorded, citations
        read, figures built); on ``None`` the page's state is to be begun again.
        """
        if not self.enabled:
            return None
        if not body.strip():  # Python-Markdown returns "" before any extension runs
            return "", ""
        lines = self.normalize.run(body.split("\n"))
        prepared = self.site.prepare_markdown("\n".join(lines), page)
        blocks = self.blocks(prepared.split("\n"))
        if blocks is None:
            return None
        if self.marker and any(b.kind == "paragraph" and b.text.strip() == self.marker for b in blocks):
            return None
        paragraphs = {id(b): self.inline(b.text) for b in blocks if b.kind == "paragraph"}
        if any(found is None for found in paragraphs.values()):
            return None
        out: list[str] = []
        for block in blocks:  # citations in reading order, as the inline pattern reads them
            if block.kind == "paragraph":
                out.append(f"<p>{self.paragraph(page, block.text, paragraphs[id(block)] or [])}</p>")
            elif block.kind == "raw":
                out.append(block.text)
            elif block.kind == "code":
                out.append("<pre><code></code></pre>")
            else:
                out.append("")  # the heading's place; filled once its id is known
        title = self.headings(page, blocks, out)
        return self.site.finish_html("\n".join(out), page), title

    def headings(self, page: PageState, blocks: Sequence[Block], out: list[str]) -> str:
        """Each heading's label through the extension as ``toc`` renders it, its id as ``toc`` makes it."""
        used = {b.ident for b in blocks if b.kind == "heading" and b.ident}
        counters: dict[str, int] = {}
        title = ""
        for index, block in enumerate(blocks):
            if block.kind != "heading":
                continue
            text = html.escape(block.text, quote=False)
            ident = block.ident
            if self.toc is not None:
                name = toc_module.strip_tags(self.site.finish_html(text, page))
                if not ident:
                    slug = self.toc.slugify(html.unescape(name), self.toc.sep)
                    ident = _unique(slug, used, counters)
                if block.level == 1 and not title and self.toc.toc_top <= 1 <= self.toc.toc_bottom:
                    title = name
            attrs = f' id="{html.escape(ident)}"' if ident else ""
            out[index] = f"<h{block.level}{attrs}>{text}</h{block.level}>"
        return title

    # -- blocks --------------------------------------------------------------------------------
    def blocks(self, lines: Sequence[str]) -> list[Block] | None:
        """The page's blocks, or ``None`` when one is more than the scanner reads."""
        found: list[Block] = []
        paragraph: list[str] = []
        index, count = 0, len(lines)

        def close() -> None:
            if paragraph:
                found.append(Block("paragraph", "\n".join(paragraph)))
                paragraph.clear()

        while index < count:
            line = lines[index]
            start = not paragraph and (index == 0 or not lines[index - 1])
            index += 1
            if not line:
                close()
                continue
            if line.startswith("#"):
                heading = self.heading(line)
                if heading is None:
                    return None
                close()
                found.append(heading)
                continue
            fence = _FENCE.fullmatch(line)
            if fence is not None or line.startswith(("```", "~~~")):
                if fence is None or not start or not self.fences or fence.group(2) in self.custom_fences:
                    return None
                end = _fence_end(lines, index, fence.group(1))
                if end is None or any("mechanisms-" in ln for ln in lines[index:end]):
                    return None
                found.append(Block("code"))
                index = end + 1
                if index < count and lines[index]:
                    return None
                continue
            tag = _BLOCK_TAG.match(line)
            if tag is not None and self.md.is_block_level(tag.group(1).lower()):
                if not start:
                    return None
                end = index
                while end < count and lines[end]:
                    end += 1
                raw = "\n".join(lines[index - 1 : end])
                if not _balanced(raw, tag.group(1)):
                    return None
                found.append(Block("raw", raw))
                index = end
                continue
            if _LINE_START.match(line) or line.endswith(" "):
                return None
            paragraph.append(line)
        close()
        return found

    def heading(self, line: str) -> Block | None:
        """An ATX heading of plain text (with an ``attr_list`` id), or ``None``."""
        match = _HEADING.fullmatch(line)
        if match is None:
            return None
        text, ident = match.group(2).strip(), ""
        brace = text.rfind("{") if self.attr_ids else -1
        given = _ATTR_ID.fullmatch(text, brace) if brace > 0 and text[brace - 1] == " " else None
        if given is not None:
            text, ident = text[:brace].strip(), given.group(1)
        if not text or _FORBIDDEN.search(text) or text.startswith("#"):
            return None
        return Block("heading", text, len(match.group(1)), ident)

    # -- inline ----------------------------------------------------------------------------------
    def inline(self, text: str) -> list[tuple[int, int]] | None:
        """Where the inline pattern finds citations in a paragraph's text, or ``None``."""
        data, tags = _stash_tags(text)
        if data is None or any(self.md.is_block_level(_tag_name(tag)) for tag in tags):
            return None
        known = self.site.citations.sources.citable or set()
        spans: list[tuple[int, int]] = []
        done = 0
        for match in _MARKER.finditer(data):
            reading = cite.read_candidate(match, known)
            cluster = reading.cluster
            if (
                not match.group("bracketed")
                or cluster is None
                or (reading.start, reading.end) != match.span()
                or util.STX in match.group(0)
                or _BEFORE_CITE.search(match.group(0))
                or any(_FORBIDDEN.search(i.prefix + i.suffix) for i in cluster.items)
            ):
                return None
            if _FORBIDDEN.search(_unstashed(data[done : match.start()])):
                return None
            spans.append(match.span())
            done = match.end()
        if _FORBIDDEN.search(_unstashed(data[done:])) or (spans and not self.site.citations.active):
            return None
        return spans

    def paragraph(self, page: PageState, text: str, spans: Sequence[tuple[int, int]]) -> str:
        """A paragraph's HTML: its text, inline tags as written, each citation as the inline pattern's slot."""
        data, tags = _stash_tags(text)
        assert data is not None
        pieces: list[str] = []
        shift, done = 0, 0
        for number, (start, end) in enumerate(spans):
            start, end = start + shift, end + shift
            match = _MARKER.match(data, start)
            assert match is not None and match.end() == end
            reading = self.site.citation(page, match)  # the engine reads it as the extension does
            assert reading is not None and reading.cluster is not None
            pieces.append(_restore(data[done:start], tags))
            pieces.append(to_html_string(cite_element(reading.cluster)))
            mark = util.INLINE_PLACEHOLDER % f"c{number}"  # the rest is searched as the parser leaves it
            data = data[:start] + mark + data[end:]
            shift += len(mark) - (end - start)
            done = start + len(mark)
        pieces.append(_restore(data[done:], tags))
        return "".join(pieces)


def _stash_tags(text: str) -> tuple[str | None, list[str]]:
    """The text with inline HTML tags as placeholders (as the ``html`` pattern leaves it), and the tags."""
    tags: list[str] = []

    def stash(match: re.Match[str]) -> str:
        tags.append(match.group(0))
        return util.INLINE_PLACEHOLDER % len(tags)

    data = _TAG.sub(stash, text)
    if any(_TAG_FORBIDDEN.search(tag) or _MARKDOWN_ATTR.search(tag) for tag in tags):
        return None, tags
    return data, tags


def _tag_name(tag: str) -> str:
    return re.split(r"[\s/>]", tag.lstrip("</"), maxsplit=1)[0].lower()


_PLACEHOLDER = re.compile(re.escape(util.STX) + r"klzzwxh:(c?)(\d+)" + re.escape(util.ETX))


def _unstashed(data: str) -> str:
    return _PLACEHOLDER.sub("", data)


def _restore(data: str, tags: Sequence[str]) -> str:
    """Text as Python-Markdown writes it (nothing to escape in it), the tags put back."""
    return _PLACEHOLDER.sub(lambda m: "" if m.group(1) else tags[int(m.group(2)) - 1], data)


def _fence_end(lines: Sequence[str], index: int, fence: str) -> int | None:
    """The line closing a fence opened just before ``index``.

    Only spaces may follow the closing fence (both fence extensions: ``str.rstrip`` would also
    take a no-break space or a form feed, where the fence goes on).
    """
    for end in range(index, len(lines)):
        line = lines[end]
        if line.startswith(fence[0] * 3):
            return end if line.rstrip(" ") == fence else None  # a longer or other fence: not read here
    return None


def _balanced(raw: str, tag: str) -> bool:
    """A raw block that is one element, closed exactly at its end, and nothing Markdown reads in it.

    Python-Markdown makes a paragraph of anything after the element's closing tag (on the
    same line or the next), a code block of a fence inside it (superfences), and Markdown of
    its content with a ``markdown`` attribute (``md_in_html``, in any spelling): refused.
    """
    if "<!--" in raw or _MARKDOWN_ATTR.search(raw) or _FENCE_LINE.search(raw):
        return False
    depth = 0
    for match in re.finditer(rf"<{re.escape(tag)}[\s>/]|</{re.escape(tag)}\s*>", raw, flags=re.I):
        depth += -1 if match.group(0).startswith("</") else 1
        if depth == 0:  # the element closes: this must be the block's very end
            return match.end() == len(raw)
    return False


def _unique(slug: str, used: set[str], counters: dict[str, int]) -> str:
    """``toc``'s own ``unique`` (its signature changed in Python-Markdown 3.7)."""
    unique: Callable[..., str] = toc_module.unique
    try:
        return unique(slug, used, counters)
    except TypeError:
        return unique(slug, used)
