"""Markdown of the pages the plugin generates, and of the figure fences.

Pure text in, text out: the plugin decides where the pages go; these
functions only write their content.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence

from .cite import placeholder
from .glossary import escape_markdown, pathways_using, related_terms
from .model import Pathway, Term

FENCE = re.compile(
    r"^(?P<indent>[ \t]{0,3})(?P<fence>`{3,}|~{3,})[ \t]*(?P<kind>pathway|pathway-compare|pathway-neighbourhood)"
    r"[ \t]*\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$",
    re.M | re.S,
)
REFERENCES_MARKER = "<!--mechanisms-references-->"
MENTIONED_MARKER = "<!--mechanisms-mentioned-on:{slug}-->"
FIGURE_OPEN = "<!--mechanisms-figure-open:{n}-->"
FIGURE_CLOSE = "<!--mechanisms-figure-close:{n}-->"
FIGURE_REGION = re.compile(
    r"(?:<p>)?<!--mechanisms-figure-open:(\d+)-->(?:</p>)?(.*?)(?:<p>)?<!--mechanisms-figure-close:\1-->(?:</p>)?",
    re.S,
)


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
    if pathway.explanation:
        lines += ["## How it works", "", pathway.explanation, ""]
    keys = pathway.all_citations()
    if keys:
        lines += ["## Sources", ""]
        lines += [f"- {placeholder([k])} <!--mechanisms-reference-text:{k}-->" for k in keys]
        lines.append("")
    lines += [
        "## Downloads",
        "",
        f"- [Diagram as SVG]({pathway.id}.svg)",
        f"- [Graphviz source (DOT)]({pathway.id}.dot)",
        f"- [Pathway data (JSON)]({pathway.id}.json)",
        "",
        f"<small>Source file: <code>{escape_markdown(pathway.source)}</code></small>",
        "",
    ]
    return "\n".join(lines)


def pathway_json(pathway: Pathway) -> str:
    """``pathways/<id>.json`` as DESIGN.md specifies."""
    data = {
        "id": pathway.id,
        "title": pathway.title,
        "source": pathway.source,
        "cite": list(pathway.cite),
        "regions": [{"id": r.id, "label": r.label, "parent": r.parent} for r in pathway.regions.values()],
        "nodes": [
            {"id": n.id, "label": n.label, "kind": n.kind, "term": n.term, "region": n.region, "on": n.on}
            for n in pathway.nodes.values()
        ],
        "edges": [
            {"source": e.source, "target": e.target, "rel": e.rel, "note": e.note, "cite": list(e.cite)}
            for e in pathway.edges
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def term_page_extras(
    term: Term,
    pathways: Sequence[Pathway],
    terms: Mapping[str, Term],
    link_for_pathway: Mapping[str, str],
    link_for_term: Mapping[str, str],
) -> str:
    """Generated sections under a term's definition.

    ``link_for_pathway`` maps ids to Markdown link targets (MkDocs checks them);
    ``link_for_term`` maps slugs to built URLs relative to the page (used in raw HTML).
    """
    lines = [""]
    using = pathways_using(term.slug, pathways)
    if using:
        lines += ["## Appears in", ""]
        lines += [f"- [{escape_markdown(p.title)}]({link_for_pathway[p.id]})" for p in using]
        lines += ["", "```pathway-neighbourhood", term.slug, "```", ""]
    related = [s for s in related_terms(term.slug, pathways) if s in terms]
    if related:
        # Raw HTML in an opt-out list: summaries of neighbours are not mentions of this term's page.
        items = "".join(
            f'<li><a href="{html.escape(link_for_term[s])}">{html.escape(terms[s].term)}</a> — '
            f"{html.escape(terms[s].summary)}</li>"
            for s in related
        )
        lines += ["## Related terms", "", f'<ul class="mechanisms-related no-glossary">{items}</ul>', ""]
    lines += ["## Mentioned on", "", MENTIONED_MARKER.format(slug=term.slug), ""]
    return "\n".join(lines)


def term_page_header(term: Term, markdown: str) -> str:
    """Title, summary and aliases above the author's definition."""
    head = []
    if not re.search(r"^#\s", markdown, re.M):
        head += [f"# {escape_markdown(term.term)}", ""]
    head += [f'<p class="mechanisms-term-summary no-glossary"><em>{html.escape(term.summary)}</em></p>', ""]
    facts = [f"<strong>Kind:</strong> {html.escape(term.kind)}"]
    if term.aliases:
        facts.append("<strong>Also called:</strong> " + ", ".join(html.escape(a) for a in term.aliases))
    head += [f'<p class="mechanisms-term-facts no-glossary">{" · ".join(facts)}</p>', ""]
    return "\n".join(head) + markdown


def references_page() -> str:
    """The generated references page."""
    return "# References\n\nEvery source cited on this site, numbered by first use.\n\n" + REFERENCES_MARKER + "\n"
