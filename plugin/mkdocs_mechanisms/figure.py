"""HTML around a diagram: the W3C complex-image pattern.

A figure holds the inline SVG, a short description (the caption) and a
long one (the numbered walkthrough, with glossary links), tied to the SVG
by ``aria-labelledby``/``aria-describedby``. Every author string is
escaped here; citation keys become placeholders numbered later.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from . import numbers
from .cite import placeholder
from .compare import Comparison
from .model import CERTAINTIES, NODE_KINDS, RELATIONS, Edge, Pathway, Region, Term
from .render.graph import COMPARE_STYLES, side_letter
from .render.key import kind_glyph, relation_glyph
from .wording import hedged_verb, legend_text, lower_first, step_mark

Resolve = Callable[[str], str]
"""Maps a site target (``glossary/bdnf``, ``pathways/x``) to a page-relative URL."""


@dataclass(frozen=True)
class Step:
    """One walkthrough line: an edge in words."""

    edge_id: str
    source_id: str
    target_id: str
    html: str


def esc(text: str) -> str:
    """Escape text for HTML content and attributes."""
    return html.escape(text, quote=True)


def term_link(label: str, slug: str | None, terms: Mapping[str, Term], resolve: Resolve) -> str:
    """A node label, linked to its glossary page when it has one."""
    term = terms.get(slug or "")
    if term is None:
        return esc(label)
    return (
        f'<a class="mechanisms-term" href="{esc(resolve("glossary/" + term.slug))}" '
        f'data-tip-title="{esc(term.term)}" data-tip-text="{esc(term.summary)}">{esc(label)}</a>'
    )


def sentence_html(pathway: Pathway, edge: Edge, terms: Mapping[str, Term], resolve: Resolve) -> str:
    """One edge as a sentence with glossary links, hedged as its sources hedge it.

    "Ketamine *blocks* NMDA receptor on GABAergic interneuron"; a proposed step
    reads "… *is thought to release* BDNF".
    """
    src, tgt = pathway.nodes[edge.source], pathway.nodes[edge.target]
    text = (
        f"{term_link(src.label, src.term, terms, resolve)} "
        f'<em class="mechanisms-rel">{esc(hedged_verb(edge.rel, pathway.certainty_of(edge)))}</em> '
        f"{term_link(lower_first(tgt.label), tgt.term, terms, resolve)}"
    )
    cell = pathway.cell_of(tgt)
    if cell is not None and edge.source != tgt.on:
        name, slug = cell
        shown = lower_first(terms[slug].term if slug in terms else name)  # type: ignore[index]
        text += f" on {term_link(shown, slug, terms, resolve)}"
    return text


def pathway_steps(pathway: Pathway, terms: Mapping[str, Term], resolve: Resolve) -> list[Step]:
    """The pathway's edges in file order, as sentences."""
    steps = []
    for i, edge in enumerate(pathway.edges, start=1):
        text = sentence_html(pathway, edge, terms, resolve)
        if edge.note:
            text += f'. <span class="mechanisms-note">{esc(edge.note.rstrip("."))}.</span>'
        if edge.cite:
            text += placeholder(edge.cite)
        steps.append(Step(f"e{i}", edge.source, edge.target, text))
    return steps


def walkthrough_html(fid: str, steps: Sequence[Step], *, open_: bool, searchable: bool = True) -> str:
    """The long description: an ordered list whose items point at edges.

    An embedded figure's walkthrough repeats its pathway page's, so it can be
    kept out of the search index (``searchable=False``).
    """
    if not steps:
        return ""
    exclude = "" if searchable else " data-search-exclude"
    items = "\n".join(
        f'<li class="mechanisms-step" id="{fid}-step-{n}" data-edge="{fid}-{s.edge_id}" '
        f'data-source="{fid}-n-{s.source_id}" data-target="{fid}-n-{s.target_id}" tabindex="0">{s.html}</li>'
        for n, s in enumerate(steps, start=1)
    )
    return (
        f'<details class="mechanisms-walkthrough" id="{fid}-steps"{" open" if open_ else ""}{exclude}>'
        f"<summary>Step by step ({len(steps)} step{'s' if len(steps) != 1 else ''})</summary>"
        f'<ol class="mechanisms-steps">\n{items}\n</ol></details>'
    )


def legend_html(kinds: Iterable[str], rels: Iterable[str], certainties: Iterable[str] = ()) -> str:
    """The figure's key, always shown: exactly the kinds and relations it draws, each by its glyph.

    Inline at the page's font size (a scaled-down legend diagram was 6 px on a phone),
    so a reader tells the relations apart without opening anything.
    """
    wanted_kinds, wanted_rels = set(kinds), set(rels)
    shapes = [f"<li>{kind_glyph(k)} {esc(k)}</li>" for k in NODE_KINDS if k in wanted_kinds]
    lines = [f"<li>{relation_glyph(r)} {esc(RELATIONS[r].verb)}</li>" for r in RELATIONS if r in wanted_rels]
    wanted_certainties = set(certainties)
    sure = [
        f'<li class="mechanisms-certainty certainty-{c}"><b class="mechanisms-certainty-mark">'
        f"{esc(step_mark(1, c))}</b> {esc(legend_text(c))}</li>"
        for c in CERTAINTIES
        if c in wanted_certainties
    ]
    if not shapes and not lines:
        return ""
    lists = "".join(
        f'<ul class="mechanisms-key-{part}" aria-label="{label}">{"".join(items)}</ul>'
        for part, label, items in (
            ("kinds", "Shapes", shapes),
            ("rels", "Arrows", lines),
            ("certainty", "How established", sure),
        )
        if items
    )
    return f'<div class="mechanisms-legend mechanisms-key" role="group" aria-label="Key" data-search-exclude>{lists}</div>'


def figure_html(
    *,
    fid: str,
    svg: str,
    caption_html: str,
    label: str,
    title: str,
    link: str | None,
    steps_html: str,
    legend: str,
    classes: str = "",
    pathway_id: str = "",
    number_keys: Sequence[str] = (),
) -> str:
    """Assemble a figure; ``caption_html`` is already safe HTML.

    With ``number_keys`` the label is a placeholder, numbered site-wide later (:mod:`.numbers`).
    """
    label_html = f'<span class="mechanisms-figure-label">{esc(label)}</span> ' if label else ""
    if number_keys:
        label_html = f'<span class="mechanisms-figure-label">{numbers.placeholder(number_keys)}</span> '
    title = title if title.rstrip().endswith((".", "?", "!")) else title + "."  # "Figure 2. Title. Caption…"
    link_html = (
        f' <a class="mechanisms-figure-link" href="{esc(link)}">Open the pathway page</a>' if link else ""
    )
    described = f' aria-describedby="{fid}-steps"' if steps_html else ""
    return (
        f'<figure class="mechanisms-figure{(" " + classes) if classes else ""}" id="{fid}" '
        f'data-pathway="{esc(pathway_id)}">'
        f'<div class="mechanisms-diagram" role="group" aria-labelledby="{fid}-caption"{described}>{svg}</div>'
        f'<figcaption id="{fid}-caption">{label_html}<strong>{esc(title)}</strong>'
        f"{(' ' + caption_html) if caption_html else ''}{link_html}</figcaption>"
        f"{legend}{steps_html}</figure>"
    )


def compare_key_html(comparison: Comparison) -> str:
    """Key naming each compared pathway by its short name, with a sample of its line."""

    def sample(cls: str) -> str:
        return (
            f'<svg class="mechanisms-swatch-line {cls}" width="44" height="10" viewBox="0 0 44 10" '
            f'aria-hidden="true" focusable="false"><line x1="2" y1="5" x2="42" y2="5"/></svg>'
        )

    items = [f"<li>{sample('shared')} <strong>shared</strong> by both (heavy solid line)</li>"]
    if len(comparison.pathways) > 2:
        items[0] = f"<li>{sample('shared')} <strong>shared</strong> by all (heavy solid line)</li>"
    for index, pathway in enumerate(comparison.pathways):
        _, pattern, _ = COMPARE_STYLES[index % len(COMPARE_STYLES)]
        letter = side_letter(index)
        items.append(
            f"<li>{sample('only-' + letter)} only in <strong>{esc(pathway.name)}</strong> ({pattern})</li>"
        )
    items.append("<li>the arrowhead says the relation, as in each pathway's own legend</li>")
    return f'<ul class="mechanisms-compare-key">{"".join(items)}</ul>'


def compare_table_html(
    comparison: Comparison, terms: Mapping[str, Term], resolve: Resolve, *, fid: str = ""
) -> str:
    """Shared steps and each pathway's own steps, side by side.

    With ``fid`` each row names its edge in the overlay (``data-edge``), so that the
    edge's tooltip can show the row's sources. The overlay numbers its edges in
    this same order: shared ones first, then each pathway's own.
    """
    drawn = itertools.count(1)

    def step(p: Pathway, e: Edge, where: str) -> str:
        cite = placeholder(e.cite) if e.cite else ""
        edge = f' data-edge="{esc(fid)}-e{next(drawn)}"' if fid else ""
        return f"<li{edge}>{sentence_html(p, e, terms, resolve)}{where}{cite}</li>"

    def column(pairs: Sequence[tuple[Pathway, Edge]]) -> str:
        if not pairs:
            return "<p><em>none</em></p>"
        said = [sentence_html(p, e, terms, resolve) for p, e in pairs]
        rows = []
        for (p, e), text in zip(pairs, said, strict=True):
            region = _region_of(p, e.target) or _region_of(p, e.source) if said.count(text) > 1 else None
            rows.append(step(p, e, f" in {esc(lower_first(region.label))}" if region else ""))
        return "<ul>" + "".join(rows) + "</ul>"

    heads = ["Shared steps", *(f"Only in {esc(p.name)}" for p in comparison.pathways)]
    cells = [
        column(comparison.shared.edges),
        *(column(comparison.only[p.id].edges) for p in comparison.pathways),
    ]
    return (
        '<table class="mechanisms-compare-table"><thead><tr>'
        + "".join(f'<th scope="col">{h}</th>' for h in heads)
        + "</tr></thead><tbody><tr>"
        + "".join(f'<td data-label="{h}">{c}</td>' for h, c in zip(heads, cells, strict=True))
        + "</tr></tbody></table>"
    )


def _region_of(pathway: Pathway, node_id: str) -> Region | None:
    """Where a node is: its region, else its cell's (the two steps that read the same differ here)."""
    node = pathway.nodes[node_id]
    cell = pathway.nodes.get(node.on or "")
    region = node.region or (cell.region if cell is not None else None)
    return pathway.regions.get(region or "")


def error_html(messages: Sequence[str]) -> str:
    """A visible box for problems found while serving."""
    lines = "\n".join(esc(m) for m in messages)
    return (
        f'<div class="mechanisms-error admonition failure" role="alert">'
        f'<p class="admonition-title">mkdocs-mechanisms found a problem</p><pre>{lines}</pre>'
        f"<p>Fix the file and save: this page reloads by itself.</p></div>"
    )


def pathway_figure(
    pathway: Pathway,
    *,
    fid: str,
    svg: str,
    terms: Mapping[str, Term],
    resolve: Resolve,
    label: str,
    link: str | None,
    open_steps: bool,
    caption_html: str = "",
    searchable: bool = True,
    number_keys: Sequence[str] = (),
) -> str:
    """A pathway's figure: diagram, caption, legend and walkthrough (shared by plugin and extension).

    ``svg`` is already embedded (or a placeholder for it).
    """
    legend = legend_html(
        {n.kind for n in pathway.nodes.values()},
        {e.rel for e in pathway.edges},
        {pathway.certainty_of(e) for e in pathway.edges},
    )
    steps = walkthrough_html(
        fid, pathway_steps(pathway, terms, resolve), open_=open_steps, searchable=searchable
    )
    return figure_html(
        fid=fid,
        svg=svg,
        caption_html=caption_html,
        label=label,
        title=pathway.title,
        link=link,
        steps_html=steps,
        legend=legend,
        pathway_id=pathway.id,
        number_keys=number_keys,
    )
