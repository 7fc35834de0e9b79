"""Markdown of the pages the plugin generates, and of the figure fences.

Pure text in, text out: the plugin decides where the pages go; these
functions only write their content.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from .deferred import Slot, slot
from .glossary import escape_markdown, pathways_using, related_terms, term_edges
from .identifiers import node_identifiers
from .model import Pathway, Term
from .parts import Part, part
from .wording import pathway_status

FIGURE_KINDS = ("pathway", "pathway-compare", "pathway-neighbourhood")
_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\s`]*)[^`\n]*$")


@dataclass(frozen=True)
class Fence:
    """A figure fence found in Markdown: its kind, body and place."""

    kind: str
    body: str
    indent: str
    start: int
    end: int
    line: int
    """1-based line of the opening fence within the text."""


_CONTAINER = re.compile(r"^[ \t]*(?:!!!|\?\?\?\+?|[-*+][ \t]|\d+[.)][ \t]|===)")


def _in_container(lines: list[str], index: int, indent: str) -> bool:
    """Is an indented line inside an admonition, details, tab or list item (not an indented code block)?"""
    width = len(indent.expandtabs(4))
    for previous in reversed(lines[:index]):
        if not previous.strip():
            continue
        if len(previous) - len(previous.lstrip()) < width:
            return bool(_CONTAINER.match(previous))
    return False


def find_fences(markdown: str) -> list[Fence]:
    """Figure fences outside other code blocks (a fence shown inside a code example stays text).

    A fence indented by four or more spaces counts only inside an admonition,
    details block, tab or list item; elsewhere such a line is an indented code block.
    """
    return _scan(markdown)[0]


def unclosed_fence(markdown: str) -> tuple[str, int] | None:
    """``(kind, line)`` of a figure fence still open at the end of the page, if any."""
    return _scan(markdown)[1]


def _scan(markdown: str) -> tuple[list[Fence], tuple[str, int] | None]:
    found: list[Fence] = []
    lines = markdown.splitlines(keepends=True)
    offset, open_fence, start = 0, None, 0
    for number, line in enumerate(lines, start=1):
        match = _OPEN.match(line.rstrip("\r\n"))
        if (
            match
            and open_fence is None
            and len(match.group("indent").expandtabs(4)) >= 4
            and not _in_container(lines, number - 1, match.group("indent"))
        ):
            match = None  # an indented code block's content
        if open_fence is None:
            if match:
                open_fence = (match.group("fence"), match.group("info"), match.group("indent"), number)
                start = offset
        elif (
            match
            and match.group("fence")[0] == open_fence[0][0]
            and len(match.group("fence")) >= len(open_fence[0])
            and not match.group("info")
        ):
            _, info, indent, first = open_fence
            if info in FIGURE_KINDS:
                body_start = start + len(lines[first - 1])
                found.append(
                    Fence(info, markdown[body_start:offset], indent, start, offset + len(line), first)
                )
            open_fence = None
        offset += len(line)
    if open_fence is not None and open_fence[1] in FIGURE_KINDS:
        return found, (open_fence[1], open_fence[3])
    return found, None


def replace_fences(markdown: str, render: Callable[[Fence], str]) -> str:
    """Replace every figure fence by ``render(fence)``."""
    out, pos = [], 0
    for fence in find_fences(markdown):
        out.append(markdown[pos : fence.start])
        out.append(render(fence))
        pos = fence.end
    out.append(markdown[pos:])
    return "".join(out)


_INVISIBLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def theme_title(title: str, *, markup: bool) -> str:
    """A page title that is text in every way a theme prints it.

    Themes treat ``page.title`` as HTML: Material prints it raw in the header
    and as ``page.title|striptags`` in ``<title>``, which decodes ``&lt;`` back
    into ``<``. Handed over as ``meta.title``, escaped once, it is printed raw
    everywhere. ``markup`` says whether ``title`` is already escaped text (a
    title MkDocs took from the page's heading) or plain text (front matter).
    """
    text = html.unescape(title) if markup else title
    return html.escape(" ".join(_INVISIBLE.sub(" ", text).split()), quote=True)


def pathway_page(pathway: Pathway, *, fence_indent: str = "") -> str:
    """The pathway's own page: figure, explanation, sources and downloads."""
    lines = [
        f"# {escape_markdown(pathway.title)}",
        "",
        "```pathway",
        pathway.id,
        "```",
        "",
    ]
    status = pathway_status(pathway.certainty)
    if status:
        lines += [status, ""]
    if pathway.explanation:
        lines += ["## How it works", "", pathway.explanation, ""]
    keys = pathway.all_citations()
    if keys:
        lines += ["## Sources", ""]
        lines.append(slot(Slot.SOURCES, ",".join(keys)))  # listed by number once numbers exist
        lines.append("")
    lines += ["## Downloads", "", part(Part.DOWNLOADS, pathway.id), ""]  # HTML, like every generated list
    return "\n".join(lines)


def pathway_json(pathway: Pathway, terms: Mapping[str, Term] | None = None) -> str:
    """``pathways/<id>.json`` as DESIGN.md specifies; nodes carry their (and their term's) identifiers."""
    terms = terms or {}
    data = {
        "id": pathway.id,
        "title": pathway.title,
        "source": pathway.source,
        "cite": list(pathway.cite),
        "certainty": pathway.certainty or None,
        "evidence": list(pathway.evidence),
        "regions": [{"id": r.id, "label": r.label, "parent": r.parent} for r in pathway.regions.values()],
        "nodes": [
            {
                "id": n.id,
                "label": n.label,
                "kind": n.kind,
                "term": n.term,
                "region": n.region,
                "on": n.on,
                "identifiers": list(node_identifiers(n, terms)),
            }
            for n in pathway.nodes.values()
        ],
        "edges": [
            {
                "source": e.source,
                "target": e.target,
                "rel": e.rel,
                "note": e.note,
                "cite": list(e.cite),
                "certainty": pathway.certainty_of(e) or None,
                "evidence": list(pathway.evidence_of(e)),
            }
            for e in pathway.edges
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def term_page_extras(term: Term, pathways: Sequence[Pathway], terms: Mapping[str, Term]) -> str:
    """Generated sections under a term's definition: headings as Markdown, lists as ``PART`` slots.

    The "Appears in" and "Related terms" lists are HTML filled in once the page is linked
    (``parts.py``), so neither the host's HTML parser nor the linker walks them; the slot names
    what each lists, in order.
    """
    lines = [""]
    using = pathways_using(term.slug, pathways)
    if using:
        lines += ["## Appears in", "", part(Part.APPEARS, ",".join(p.id for p in using)), ""]
        if term_edges(term.slug, using):  # a node standing alone has no neighbourhood to draw
            lines += ["```pathway-neighbourhood", term.slug, "```", ""]
    related = [s for s in related_terms(term.slug, pathways) if s in terms]
    if related:
        lines += ["## Related terms", "", part(Part.RELATED, ",".join(related)), ""]
    lines += ["## Mentioned on", "", slot(Slot.MENTIONED, term.slug), ""]
    return "\n".join(lines)


def term_page_header(term: Term, markdown: str) -> str:
    """Title, summary and aliases above the author's definition."""
    head = []
    if not re.search(r"^#\s", markdown, re.M):
        head += [f"# {escape_markdown(term.term)}", ""]
    spaced = ":spaced" if markdown.split("\n", 1)[0].strip() == "" else ""
    head += [
        part(Part.FACTS, term.slug + spaced),
        "",
        "",
    ]  # as many lines as the two paragraphs it stands for
    return "\n".join(head) + markdown


def pathways_index(pathways: Sequence[Pathway], link_for: Callable[[str], str]) -> str:
    """The generated list of every pathway, by title; ``link_for(id)`` is its URL from the index.

    The list is raw HTML kept out of the search index (``data-search-exclude``): it only repeats
    the titles of pages indexed themselves, and with a few thousand pathways its one section
    would outgrow Zensical's index limit, which stops the build.
    """
    items = "".join(
        f'<li><a href="{html.escape(link_for(p.id))}">{html.escape(p.title)}</a></li>'
        for p in sorted(pathways, key=lambda p: p.title.casefold())
    )
    return (
        "# Pathways\n\nEvery mechanism on this site, each with its diagram, walkthrough and sources.\n\n"
        f'<ul class="mechanisms-pathways no-glossary" data-search-exclude>{items}</ul>\n'
    )


def references_page(numeric: bool = True) -> str:
    """The generated references page; its first line says how the style orders the list."""
    intro = (
        "Every source cited on this site, numbered by first use."
        if numeric
        else "Every source cited on this site, in the order of the citation style."
    )
    return f"# References\n\n{intro}\n\n" + slot(Slot.REFERENCES) + "\n"
