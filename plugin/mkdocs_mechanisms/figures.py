"""Figure fences → figures: one builder per fence kind, in one place.

A page's ``pathway``, ``pathway-compare`` and ``pathway-neighbourhood`` fences
(and a ``pathway`` fence holding a whole pathway of its own) become a
:data:`~.deferred.Slot.FIGURE` slot whose content is the caption, as Markdown the
host renders; when the page's HTML is finished, the slot is filled with the
figure, the rendered caption in it. Diagrams go in as ``SVG`` slots, filled
last; labels as ``FIGURE_NUMBER`` slots, numbered site-wide.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable
from dataclasses import replace

from . import cite, deps, numbers, pages
from .compare import compare
from .deferred import Found, Slot, fill, slot
from .diagrams import DiagramKey, DiagramKind, Diagrams
from .errors import MechanismsError, Problem
from .fences import fence_problems
from .figure import compare_key_html, compare_table_html, error_html, figure_html, pathway_figure
from .generate import compare_export
from .glossary import escape_markdown
from .links import PATHWAYS_DIR, Links, Target, TargetKind
from .load import read_checked_pathway
from .model import Pathway
from .options import Options
from .record import PageState
from .render.graph import comparison_graph, pathway_graph
from .render.svg import embed_info
from .reporter import Reporter
from .sources import Sources

Built = tuple[str, str]
"""A figure's HTML, and its caption as Markdown."""


class Figures:
    """The figures of a build's pages, from the loaded sources and drawn diagrams."""

    def __init__(
        self,
        sources: Sources,
        diagrams: Diagrams,
        links: Links,
        options: Options,
        reporter: Reporter,
        *,
        missing: Problem | None = None,
        drawing: bool = True,
        cites: bool = True,
    ) -> None:
        self.sources = sources
        self.diagrams = diagrams
        self.links = links
        self.options = options
        self.reporter = reporter
        self.missing = missing
        """Why no pathway file can be read: every fence naming one shows this, logged once."""
        self.drawing = drawing
        self.cites = cites
        self.exports: dict[str, str] = {}
        """Exports found while pages are built (comparisons), by path."""

    # -- fences in a page's Markdown ---------------------------------------------------
    def place(self, markdown: str, page: PageState, notices: list[str]) -> str:
        """Every figure fence of ``markdown`` as its slot (or its error box); problems also in ``notices``."""
        unclosed = pages.unclosed_fence(markdown)
        if unclosed is not None:
            kind, line = unclosed
            problem = Problem(
                page.source,
                page.first_line + line - 1,
                "",
                f"the '{kind}' fence is never closed",
                "end the figure with a line of the same backticks or tildes",
            )
            self.reporter.add([problem])
            notices.append(str(problem))
        counter = 0

        def fence(found: pages.Fence) -> str:
            nonlocal counter
            counter += 1
            line = page.first_line + found.line - 1
            body = textwrap.dedent(found.body)
            try:
                figure, caption = self.build(found.kind, body, page, counter, line)
            except MechanismsError as error:
                problems = [
                    Problem(page.source, line, "", p.message, p.suggestion) if p.file == "" else p
                    for p in error.problems
                ]
                self.reporter.add(problems)
                return textwrap.indent("\n" + error_html([str(p) for p in problems]) + "\n\n", found.indent)
            if not body.lstrip().startswith("---"):  # a drawn pathway's own problems show here too
                notices.extend(
                    n for n in self._drawn_problems(found.kind, ids=body.split()) if n not in notices
                )
            page.figures[counter] = (figure, found.kind != "pathway-compare")
            caption = caption if self.cites else cite.CITATION.sub("", caption)
            return textwrap.indent(f"\n{slot(Slot.FIGURE, str(counter), caption.strip())}\n\n", found.indent)

        return pages.replace_fences(markdown, fence)

    def fill(self, text: str, page: PageState) -> str:
        """Each figure in place of its slot, the caption the host rendered in it."""
        if not page.figures:
            return text

        def figure(found: Found) -> str:
            built, with_caption = page.figures.get(int(found.arg) if found.arg.isdigit() else 0, ("", False))
            caption = found.inner.strip()
            if with_caption and caption and "<figcaption" in built:
                built = built.replace("</strong>", "</strong> " + caption, 1)
            return built + "\n" if built else built  # a block on lines of its own, as raw HTML is written

        return fill(text, {Slot.FIGURE: figure})

    # -- the builders ------------------------------------------------------------------
    def build(self, kind: str, body: str, page: PageState, number: int, line: int) -> Built:
        """The figure of any fence kind, and its caption as Markdown."""
        fid = f"mfig{number}"
        ids = body.split()
        if kind == "pathway" and body.lstrip().startswith("---"):
            return self.inline(body, page, line + 1, fid)
        sources = self.sources
        unknown = [i for i in ids if i not in sources.pathways]
        if kind != "pathway-neighbourhood" and unknown and self.missing is not None:
            raise MechanismsError(self.reporter.cause(self.missing))  # once, not per fence
        broken = sources.broken_pathways
        problems = fence_problems(kind, ids, sources.pathways, sources.terms, sources.interacting, broken)
        if kind != "pathway-neighbourhood":  # a broken pathway shows its file's problems, once
            problems += self._pathway_problems(i for i in ids if i in broken)
        page.uses.update(self._uses(kind, ids))
        if problems:
            raise MechanismsError(problems)
        if not self.drawing:
            return "", ""
        if kind == "pathway-neighbourhood":
            return self.neighbourhood(ids[0], page, fid)
        if kind == "pathway-compare":
            return self.comparison(ids, page, fid)
        return self.pathway(sources.pathways[ids[0]], page, fid)

    def pathway(self, pathway: Pathway, page: PageState, fid: str) -> Built:
        """A pathway file's figure: its diagram, walkthrough and legend."""
        key = DiagramKey(DiagramKind.PATHWAY, pathway.id)
        if not self.diagrams.has(key):
            raise MechanismsError(
                self._pathway_problems([pathway.id])
                or [
                    Problem("", 0, "", f"diagram '{pathway.id}' could not be rendered"),
                    *self.diagrams.problems,
                ]
            )
        on_own_page = page.src == f"{PATHWAYS_DIR}/{pathway.id}.md"
        link = (
            None
            if on_own_page
            else self.links.resolve(Target(TargetKind.PATHWAY, pathway.id), page.src) or None
        )
        return self._pathway_figure(
            pathway,
            page,
            fid,
            key,
            link=link,
            open_steps=on_own_page,
            searchable=on_own_page,
            numbered_as=pathway.id,
        )

    def _pathway_figure(
        self,
        pathway: Pathway,
        page: PageState,
        fid: str,
        key: DiagramKey,
        *,
        link: str | None,
        open_steps: bool,
        searchable: bool,
        numbered_as: str,
    ) -> Built:
        """A drawn pathway as a figure: the one place a file's and an inline pathway's figures are made."""
        figure = pathway_figure(
            pathway,
            fid=fid,
            svg=self._slot(page, fid, key),
            terms=self.sources.terms,
            resolve=lambda t: self.links.resolve(t, page.src),
            label="",
            link=link,
            open_steps=open_steps or self.options.walkthrough_open,
            searchable=searchable,
            number_keys=self._keys(numbered_as),
        )
        return figure, cite.with_sources(pathway.caption, pathway.cite)

    def neighbourhood(self, slug: str, page: PageState, fid: str) -> Built:
        """A term's neighbourhood: every step its node takes part in, across pathways."""
        key = DiagramKey(DiagramKind.TERM, slug)
        graph = self.diagrams.graphs.get(key)
        if graph is None or not self.diagrams.has(key):
            raise MechanismsError(
                [Problem("", 0, "", f"diagram 'term:{slug}' could not be rendered"), *self.diagrams.problems]
            )
        figure = figure_html(
            fid=fid,
            svg=self._slot(page, fid, key),
            caption_html="",
            label="",
            title=graph.title,
            link=None,
            steps_html="",
            legend="",
            classes="mechanisms-neighbourhood",
        )
        return figure, escape_markdown(graph.description)

    def inline(self, text: str, page: PageState, line: int, fid: str) -> Built:
        """A pathway written inside the fence itself (documentation examples, one-off figures)."""

        def shifted(problems: Iterable[Problem]) -> list[Problem]:
            return [
                Problem(page.source, line + p.line - 1, p.path, p.message, p.suggestion) for p in problems
            ]

        pathway, problems = read_checked_pathway(
            text.strip() + "\n",
            f"{page.source}:{line}",
            default_id=f"inline-{fid}",
            terms=set(self.sources.terms) or None,
            citations=self.sources.citable,
        )
        page.uses.add(deps.BIBLIOGRAPHY)  # its citations are checked against it
        if pathway is not None:
            page.uses.update(deps.term(slug) for slug in pathway.terms())
        if pathway is None or problems:
            raise MechanismsError(shifted(problems))
        if not self.drawing:
            return "", ""
        key = DiagramKey(DiagramKind.INLINE, f"{page.src}#{fid}")
        self.diagrams.graphs[key] = graph = pathway_graph(pathway, self.sources.terms)
        self.diagrams.draw({key: graph})
        if not self.diagrams.has(key):
            raise MechanismsError(Problem(page.source, line, "", "this inline pathway could not be rendered"))
        return self._pathway_figure(
            pathway,
            page,
            fid,
            key,
            link=None,
            open_steps=False,
            searchable=True,  # an inline pathway is the page's own content
            numbered_as=numbers.number_key("inline", f"{page.src}:{fid}"),
        )

    def comparison(self, ids: list[str], page: PageState, fid: str) -> Built:
        """Two or more pathways overlaid: shared steps and each one's own."""
        comparison = compare([self.sources.pathways[i] for i in ids])
        key = DiagramKey(DiagramKind.COMPARE, comparison.name)
        self.diagrams.add(key, comparison_graph(comparison, self.sources.terms))
        if not self.diagrams.has(key):
            raise MechanismsError(Problem("", 0, "", f"comparison '{comparison.name}' could not be rendered"))
        self.exports[f"{PATHWAYS_DIR}/compare/{comparison.name}.json"] = compare_export(comparison.to_json())
        summary = html.escape(comparison.summary(self.sources.terms))
        figure = figure_html(
            fid=fid,
            svg=self._slot(page, fid, key),
            caption_html=f'<span class="mechanisms-compare-summary">{summary}</span>',
            label="",
            title=self.diagrams.graphs[key].title,
            link=None,
            steps_html=compare_table_html(
                comparison, self.sources.terms, lambda t: self.links.resolve(t, page.src), fid=fid
            ),
            legend=compare_key_html(comparison),
            classes="mechanisms-compare",
            pathway_id=" ".join(ids),
            number_keys=self._keys(*ids),
        )
        return figure.replace(f'aria-describedby="{fid}-steps"', ""), ""

    # -- helpers -----------------------------------------------------------------------
    def _uses(self, kind: str, ids: list[str]) -> set[deps.Source]:
        """The sources a fence's figure shows: its pathways and their terms (names, tooltips)."""
        if kind == "pathway-neighbourhood":
            drawn = self.diagrams.by_term.get(ids[0], []) if ids else []
            return (
                {deps.term(ids[0]), deps.appears(ids[0]), *(deps.pathway(p.id) for p in drawn)}
                if ids
                else set()
            )
        found = {deps.pathway(i) for i in ids}
        for pid in ids:
            if pid in self.sources.pathways:
                found.update(deps.term(slug) for slug in self.sources.pathways[pid].terms())
        return found

    def _slot(self, page: PageState, fid: str, key: DiagramKey) -> str:
        info = embed_info(self.diagrams.graphs[key], self.sources.terms)
        page.svgs[fid] = (key, info)
        narrow = replace(key, narrow=True)
        if not self.diagrams.has(narrow):
            return slot(Slot.SVG, fid)
        page.svgs[f"{fid}-m"] = (narrow, info)  # the phone view, shown instead on narrow screens
        return slot(Slot.SVG, fid) + slot(Slot.SVG, f"{fid}-m")

    def _keys(self, *keys: str) -> list[str]:
        """Figure-number keys, when figures are numbered."""
        return list(keys) if self.options.figure_numbering and self.options.figure_label else []

    def _drawn_problems(self, kind: str, ids: Iterable[str]) -> list[str]:
        """Problems of the pathway files a figure draws (left-out nodes, unknown terms): shown while serving."""
        if kind == "pathway-neighbourhood":
            return []
        files = {self.sources.pathways[i].source for i in ids if i in self.sources.pathways}
        return [str(p) for p in self.sources.problems if p.file in files]

    def _pathway_problems(self, ids: Iterable[str]) -> list[Problem]:
        wanted = {self.sources.broken_pathways.get(i) for i in ids}
        return [p for p in self.sources.problems if p.file in wanted]
