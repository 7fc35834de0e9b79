"""MkDocs adapter: translates MkDocs events into calls to the core.

Hooks, in build order:

* ``on_startup`` remembers whether we serve (a bad file then shows on the
  page instead of stopping the build) and keeps one instance across rebuilds.
* ``on_config`` resets per-build state, resolves folders, watches sources.
* ``on_files`` (late) loads pathways, glossary and bibliography, renders all
  known diagrams in one batched Graphviz pass and adds generated pages,
  exports and assets with ``File.generated``.
* ``on_page_markdown`` turns figure fences and ``[@key]`` into placeholders
  and adds generated sections to glossary pages.
* ``on_page_content`` puts figures in place, links glossary terms and
  records where each term is mentioned.
* ``on_env`` (when every page's HTML exists) numbers citations in navigation
  order and fills references and "mentioned on" back-links.
"""

from __future__ import annotations

import html
import json
import re
import textwrap
from collections import defaultdict
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, InclusionLevel

from . import cite, pages
from .compare import Comparison, compare
from .config import MechanismsConfig
from .errors import MechanismsError, Problem, RenderError, did_you_mean
from .figure import (
    compare_key_html,
    compare_table_html,
    error_html,
    figure_html,
    pathway_figure,
)
from .glossary import escape_markdown
from .linker import Linker, LinkRules, Mention
from .load import check_pathway_refs, load_pathway
from .model import Pathway
from .render.dot import legend_dot, to_dot
from .render.graph import DrawGraph, comparison_graph, neighbourhood_graph, pathway_graph
from .render.layout import NARROW, legible
from .render.runner import GraphvizRunner
from .render.svg import EmbedInfo, embed_info, embed_svg
from .sources import Sources, load_sources
from .sources import diagram_files as diagram_sources

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)

ASSETS = Path(__file__).parent / "assets"
SVG_SLOT = "<!--mechanisms-svg:{fid}-->"
ROOT_MARK = "@@mechanisms-root@@"
"""Stands for the page's way up to the site root inside a shared embedded SVG."""
_SVG_SLOT = re.compile(r"<!--mechanisms-svg:([A-Za-z0-9-]+)-->")
_TIP_ATTRS = re.compile(r'\sdata-tip-(?:title|text)="[^"]*"')
ASSET_DIR = "assets/mechanisms"
PATHWAYS_DIR = "pathways"


class MechanismsPlugin(BasePlugin[MechanismsConfig]):
    """Pathway diagrams, glossary, citations and comparisons for MkDocs."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.is_serve = False
        self.runner: GraphvizRunner | None = None
        self._reset()

    def _reset(self) -> None:
        self.sources = Sources()
        self.svgs: dict[str, str] = {}
        self.dots: dict[str, str] = {}
        self.graphs: dict[str, DrawGraph] = {}
        self.figures: dict[str, dict[int, str]] = {}
        self.slots: dict[str, dict[str, tuple[str, EmbedInfo]]] = {}
        self.embedded: dict[tuple[str, str, str, str], str] = {}
        self.page_problems: list[Problem] = []
        self.mentions: dict[str, list[tuple[Page, Mention]]] = defaultdict(list)
        self.linker: Linker | None = None
        self.by_term: dict[str, list[Pathway]] = defaultdict(list)
        self.files: Files | None = None

    # -- lifecycle -------------------------------------------------------
    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.is_serve = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        self._reset()
        root = Path(config.config_file_path or ".").resolve().parent
        self.root = root
        self.docs_dir = Path(config.docs_dir).resolve()
        self.diagrams_dir = (root / self.config.diagrams_dir).resolve()
        self.bib_path = (self.docs_dir / self.config.bibliography).resolve()
        cache = (root / self.config.cache_dir).resolve()
        for watched in (self.docs_dir, self.diagrams_dir):
            if cache == watched or watched in cache.parents:
                raise PluginError(
                    f"mechanisms: cache_dir '{self.config.cache_dir}' is inside a watched folder "
                    f"({watched}); `mkdocs serve` would rebuild forever. Use '.cache/mechanisms'."
                )
        if (
            self.runner is None
            or self.runner.cache_dir != cache
            or self.runner.engine != self.config.engine
            or self.runner.timeout != float(self.config.graphviz_timeout)
        ):
            self.runner = GraphvizRunner(
                cache, engine=self.config.engine, timeout=float(self.config.graphviz_timeout)
            )
        if self.diagrams_dir.is_dir() and str(self.diagrams_dir) not in config.watch:
            config.watch.append(str(self.diagrams_dir))
        config.extra_css.append(f"{ASSET_DIR}/mechanisms.css")
        config.extra_css.append(f"{ASSET_DIR}/colours.css")
        config.extra_javascript.append(f"{ASSET_DIR}/mechanisms.js")
        return config

    # -- sources and generated files --------------------------------------
    @event_priority(-50)
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if not self.config.enabled:
            return None
        self.files = files
        self._config = config
        glossary_prefix = self.config.glossary_dir.strip("/") + "/"
        glossary_files = [
            Path(f.abs_src_path)
            for f in files.documentation_pages()
            if f.src_uri.startswith(glossary_prefix)
            and f.abs_src_path
            and f.generated_by is None
            and PurePosixPath(f.src_uri).name not in ("index.md", "README.md")
        ]
        diagram_files = diagram_sources(self.diagrams_dir)
        self.sources = load_sources(
            self.root,
            diagram_files,
            glossary_files,
            self.bib_path if self.bib_path.is_file() else None,
            csl_style=self.config.csl_style,
        )
        for warning in self.sources.warnings:
            log.warning(str(warning))
        self._report(self.sources.problems)
        self.linker = Linker(
            self.sources.terms.values(),
            LinkRules(mode=self.config.link, hyphen_compounds=self.config.hyphen_compounds),
        )
        self._render_known()
        self._generate(files, config)
        return files

    def _report(self, problems: list[Problem]) -> None:
        """Serve: warn and keep going. Build: one PluginError listing everything."""
        if not problems:
            return
        if not self.is_serve:
            raise PluginError("mechanisms: " + "\n".join(str(p) for p in problems))
        for problem in problems:
            log.warning(str(problem))

    def _render_known(self) -> None:
        terms = self.sources.terms
        dots: dict[str, str] = {}
        figures: dict[str, DrawGraph] = {}
        for pid, pathway in self.sources.pathways.items():
            graph = pathway_graph(pathway, terms)
            self.graphs[f"pathway:{pid}"] = graph
            figures[f"pathway:{pid}"] = graph
            kinds = {n.kind for n in pathway.nodes.values()}
            rels = {e.rel for e in pathway.edges}
            dots[f"legend:{pid}"] = legend_dot(kinds, rels)
        self.by_term = defaultdict(list)  # only the pathways that use a term matter to its page
        for pathway in self.sources.pathways.values():
            for slug in sorted(pathway.terms()):
                self.by_term[slug].append(pathway)
        for slug in terms:
            graph = neighbourhood_graph(slug, self.by_term.get(slug, []), terms)
            if graph is not None:
                self.graphs[f"term:{slug}"] = graph
                figures[f"term:{slug}"] = graph
        self._render(dots)
        self._render_legible(figures)

    def _render_legible(self, graphs: dict[str, DrawGraph]) -> None:
        """Render figures laid out for the width they are shown at (wide, and phone where needed)."""
        assert self.runner is not None
        try:
            layouts = legible(graphs, self.runner.render_many)
        except RenderError as error:
            self._report(error.problems)
            return
        self.svgs.update(layouts.svgs)
        self.dots.update(layouts.dots)
        for warning in layouts.warnings:
            log.warning(warning)
        self._report(layouts.problems)

    def _render(self, dots: dict[str, str]) -> None:
        assert self.runner is not None
        try:
            result = self.runner.render_many(dots)
        except RenderError as error:
            self._report(error.problems)
            return
        self.svgs.update(result.svgs)
        for warning in result.warnings:
            log.warning(warning)
        self._report(result.problems)

    def _generate(self, files: Files, config: MkDocsConfig) -> None:
        # Pathway and term pages are reached from figures, links and the indexes, not from a
        # sidebar of hundreds of entries (which Material would also re-render on every page).
        hide = InclusionLevel.NOT_IN_NAV
        glossary = self.config.glossary_dir.strip("/")
        for file in files.documentation_pages():
            if (
                file.src_uri.startswith(glossary + "/")
                and PurePosixPath(file.src_uri).stem in self.sources.terms
            ):
                file.inclusion = hide
        for pid, pathway in self.sources.pathways.items():
            base = f"{PATHWAYS_DIR}/{pid}"
            page = File.generated(config, f"{base}.md", content=pages.pathway_page(pathway), inclusion=hide)
            files.append(page)
            files.append(
                File.generated(
                    config, f"{base}.json", content=pages.pathway_json(pathway, self.sources.terms)
                )
            )
            dot = self.dots.get(f"pathway:{pid}") or to_dot(self.graphs[f"pathway:{pid}"])
            files.append(File.generated(config, f"{base}.dot", content=dot))
        for pid in self.sources.pathways:
            svg_file = files.get_file_from_path(f"{PATHWAYS_DIR}/{pid}.md")
            if f"pathway:{pid}" in self.svgs and svg_file is not None:
                export = File.generated(config, f"{PATHWAYS_DIR}/{pid}.svg", content="")
                export.content_string = self._export_svg(pid, export)
                files.append(export)
        if self.sources.pathways and files.get_file_from_path(f"{PATHWAYS_DIR}/index.md") is None:
            files.append(
                File.generated(
                    config,
                    f"{PATHWAYS_DIR}/index.md",
                    content=pages.pathways_index(list(self.sources.pathways.values())),
                    inclusion=hide if config.nav else InclusionLevel.INCLUDED,
                )
            )
        if files.get_file_from_path(f"{glossary}/index.md") is None and self.sources.terms:
            index = self.sources.glossary.index_markdown(
                lambda slug: f"{slug}.md",
                title="Glossary",
                heading_ids="attr_list" in config.markdown_extensions,
            )
            files.append(File.generated(config, f"{glossary}/index.md", content=index))
        if self.sources.terms:
            files.append(
                File.generated(
                    config,
                    f"{glossary}/index.json",
                    content=self.sources.glossary.index_json(self._term_site_url),
                )
            )
        if (
            self.sources.bibliography is not None
            and files.get_file_from_path(self.config.references_page) is None
        ):
            files.append(File.generated(config, self.config.references_page, content=pages.references_page()))
        for name in ("mechanisms.css", "mechanisms.js"):
            files.append(File.generated(config, f"{ASSET_DIR}/{name}", abs_src_path=str(ASSETS / name)))
        files.append(File.generated(config, f"{ASSET_DIR}/colours.css", content=self._colours_css()))

    def _term_site_url(self, slug: str) -> str:
        file, _ = self._target(f"glossary/{slug}")
        return file.url if file is not None else ""

    def _colours_css(self) -> str:
        """Configured node colours, for the same palette selectors the shipped CSS uses."""
        light = "".join(
            f"  --mechanisms-{k}-fill: {v.light};\n"
            for k, v in sorted(self.config.colours.items())
            if v.light
        )
        dark = "".join(
            f"  --mechanisms-{k}-fill: {v.dark};\n" for k, v in sorted(self.config.colours.items()) if v.dark
        )
        css = "/* Node colours configured in mkdocs.yml (plugins: mechanisms: colours). */\n"
        material_light = 'body[data-md-color-scheme]:not([data-md-color-scheme="slate"])'
        if light:
            css += f':root, {material_light}, [data-bs-theme="light"] {{\n{light}}}\n'
        if dark:
            css += f'[data-md-color-scheme="slate"], [data-bs-theme="dark"] {{\n{dark}}}\n'
            css += f"@media (prefers-color-scheme: dark) {{\n:root:not([data-md-color-scheme]) {{\n{dark}}}\n"
            if light:
                css += f"{material_light} {{\n{light}}}\n"
            css += "}\n"
        return css

    # -- URLs ----------------------------------------------------------------
    def _target(self, target: str) -> tuple[File | None, str]:
        """The file behind ``glossary/<slug>``, ``pathways/<id>`` or ``references#key``, and the fragment."""
        assert self.files is not None
        path, _, fragment = target.partition("#")
        kind, _, name = path.partition("/")
        src = {
            "glossary": f"{self.config.glossary_dir.strip('/')}/{name}.md",
            "pathways": f"{PATHWAYS_DIR}/{name}.md",
            "references": self.config.references_page,
        }.get(kind, path)
        return self.files.get_file_from_path(src), (f"#{fragment}" if fragment else "")

    def _resolver(self, origin: File):
        """Map site targets to URLs relative to ``origin`` ("" when the target does not exist)."""

        def resolve(target: str) -> str:
            file, fragment = self._target(target)
            return file.url_relative_to(origin) + fragment if file is not None else ""

        return resolve

    def _site_resolver(self):
        """Like :meth:`_resolver`, but site-root URLs behind ROOT_MARK, to be swapped per page."""

        def resolve(target: str) -> str:
            file, fragment = self._target(target)
            return ROOT_MARK + (file.url or "./") + fragment if file is not None else ""

        return resolve

    def _export_svg(self, pid: str, export: File) -> str:
        pathway = self.sources.pathways[pid]
        svg = embed_svg(self.svgs[f"pathway:{pid}"], "p", self._resolver(export), self._embed_info(pathway))
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg + "\n"

    def _embed_info(self, pathway: Pathway | None, graph: DrawGraph | None = None) -> EmbedInfo:
        if graph is None and pathway is not None:
            graph = self.graphs[f"pathway:{pathway.id}"]
        assert graph is not None
        return embed_info(graph, self.sources.terms)

    # -- pages -----------------------------------------------------------------
    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled:
            return None
        source = self._display_path(page)
        first_line = self._body_first_line(page, markdown)
        term = self._term_of(page)
        extra_problems: list[str] = []
        if term is not None:
            resolve = self._resolver(page.file)
            markdown = pages.term_page_header(term, markdown)
            markdown += pages.term_page_extras(
                term,
                self.by_term.get(term.slug, []),
                self.sources.terms,
                lambda pid: self._md_link(page, f"{PATHWAYS_DIR}/{pid}.md"),
                lambda slug: resolve(f"glossary/{slug}"),  # raw HTML: built URLs
            )
        own = self._own_problems(page)
        if own:
            extra_problems += [str(p) for p in own]

        figures: dict[int, str] = {}
        counter = 0

        # Citations first, so that their line numbers are those of the source file.
        markdown, marks = cite.mark_citations(markdown, first_line)

        def fence(found: pages.Fence) -> str:
            nonlocal counter
            counter += 1
            line = first_line + found.line - 1
            fid = f"mfig{counter}"
            body = textwrap.dedent(found.body)
            try:
                if found.kind == "pathway" and body.lstrip().startswith("---"):
                    figure, caption_md = self._inline_figure(body, source, line + 1, fid, page, counter)
                else:
                    figure, caption_md = self._figure(found.kind, body.split(), fid, page, counter)
            except MechanismsError as error:
                problems = [
                    Problem(source, line, "", p.message, p.suggestion) if p.file == "" else p
                    for p in error.problems
                ]
                self.page_problems.extend(problems)
                for problem in problems:
                    log.warning(str(problem))
                return textwrap.indent("\n" + error_html([str(p) for p in problems]) + "\n\n", found.indent)
            figures[counter] = figure
            caption_md = cite.mark_citations(caption_md)[0]  # a caption's keys were checked with its pathway
            block = (
                f"\n{pages.FIGURE_OPEN.format(n=counter)}\n\n{caption_md}\n\n"
                f"{pages.FIGURE_CLOSE.format(n=counter)}\n\n"
            )
            return textwrap.indent(block, found.indent)

        markdown = pages.replace_fences(markdown, fence)
        self.figures[page.file.src_uri] = figures
        known = self.sources.bibliography.references if self.sources.bibliography else {}
        unknown = cite.check_keys(marks, known, source)
        if unknown:
            self.page_problems.extend(unknown)
            for problem in unknown:
                log.warning(str(problem))
            if self.is_serve:
                extra_problems += [str(p) for p in unknown]
        if extra_problems and self.is_serve:
            markdown = "\n" + error_html(extra_problems) + "\n\n" + markdown
        return markdown

    def _slot(self, page: Page, fid: str, key: str, info: EmbedInfo) -> str:
        """A placeholder for an SVG, filled in ``on_post_page``.

        Diagrams stay out of ``page.content`` so that neither the term linker
        nor the search index parses thousands of SVG elements per page.
        """
        slots = self.slots.setdefault(page.file.src_uri, {})
        slots[fid] = (key, info)
        if key + NARROW not in self.svgs:
            return SVG_SLOT.format(fid=fid)
        slots[f"{fid}-m"] = (key + NARROW, info)  # the phone view, shown instead on narrow screens
        return SVG_SLOT.format(fid=fid) + SVG_SLOT.format(fid=f"{fid}-m")

    def _figure(self, kind: str, ids: list[str], fid: str, page: Page, number: int) -> tuple[str, str]:
        """Build one figure's HTML; returns it with the caption Markdown."""
        terms = self.sources.terms
        resolve = self._resolver(page.file)
        label = f"{self.config.figure_label} {number}." if self.config.figure_numbering else ""
        if kind == "pathway-neighbourhood":
            slug = ids[0] if ids else ""
            graph = self.graphs.get(f"term:{slug}")
            if graph is None or f"term:{slug}" not in self.svgs:
                return "", ""
            svg = self._slot(page, fid, f"term:{slug}", self._embed_info(None, graph))
            return figure_html(
                fid=fid,
                svg=svg,
                caption_html="",
                label=label,
                title=graph.title,
                link=None,
                steps_html="",
                legend="",
                classes="mechanisms-neighbourhood",
            ), escape_markdown(graph.description)
        missing = [i for i in ids if i not in self.sources.pathways]
        if not ids or missing:
            problems = self._problems_of_pathways(missing) if missing else []
            name = missing[0] if missing else ""
            message = (
                f"fence '{kind}' names no pathway id"
                if not ids
                else f"unknown pathway '{name}' in '{kind}' fence"
            )
            raise MechanismsError(
                [Problem("", 0, "", message, did_you_mean(name, self.sources.pathways)), *problems]
            )
        if kind == "pathway-compare":
            if len(ids) < 2:
                raise MechanismsError(
                    Problem(
                        "",
                        0,
                        "",
                        "a 'pathway-compare' fence needs two or more pathway ids",
                        "write the ids on one line, separated by spaces",
                    )
                )
            return self._compare_figure(ids, fid, page, label, resolve)
        pathway = self.sources.pathways[ids[0]]
        if f"pathway:{pathway.id}" not in self.svgs:
            raise MechanismsError(
                self._problems_of_pathways([pathway.id])
                or Problem("", 0, "", f"diagram '{pathway.id}' could not be rendered")
            )
        svg = self._slot(page, fid, f"pathway:{pathway.id}", self._embed_info(pathway))
        legend = (
            self._slot(page, f"{fid}-legend", f"legend:{pathway.id}", EmbedInfo("Legend"))
            if f"legend:{pathway.id}" in self.svgs
            else None
        )
        on_own_page = page.file.src_uri == f"{PATHWAYS_DIR}/{pathway.id}.md"
        figure = pathway_figure(
            pathway,
            fid=fid,
            svg=svg,
            legend_svg=legend,
            terms=terms,
            resolve=resolve,
            label=label,
            link=None if on_own_page else resolve(f"pathways/{pathway.id}"),
            open_steps=on_own_page or self.config.walkthrough_open,
            searchable=on_own_page,
        )
        caption = pathway.caption
        if pathway.cite:
            caption += " " + cite.placeholder(pathway.cite)
        return figure, caption

    def _inline_figure(
        self, text: str, source: str, line: int, fid: str, page: Page, number: int
    ) -> tuple[str, str]:
        """A pathway written inside the fence itself (documentation examples, one-off figures)."""
        where = f"{source}:{line}"
        try:
            pathway = load_pathway(text.strip() + "\n", where, default_id=f"inline-{fid}")
        except MechanismsError as error:
            raise MechanismsError(
                [Problem(source, line + p.line - 1, p.path, p.message, p.suggestion) for p in error.problems]
            ) from None
        known = self.sources.bibliography.references if self.sources.bibliography else None
        refs = check_pathway_refs(pathway, terms=set(self.sources.terms) or None, citations=known)
        if refs:
            raise MechanismsError(
                [Problem(source, line + p.line - 1, p.path, p.message, p.suggestion) for p in refs]
            )
        graph = pathway_graph(pathway, self.sources.terms)
        name = f"inline:{fid}:{page.file.src_uri}"
        self.graphs[name] = graph
        self._render_legible({name: graph})
        if name not in self.svgs:
            raise MechanismsError(Problem(source, line, "", "this inline pathway could not be rendered"))
        resolve = self._resolver(page.file)
        svg = self._slot(page, fid, name, self._embed_info(None, graph))
        label = f"{self.config.figure_label} {number}." if self.config.figure_numbering else ""
        figure = pathway_figure(
            pathway,
            fid=fid,
            svg=svg,
            legend_svg=None,
            terms=self.sources.terms,
            resolve=resolve,
            label=label,
            link=None,
            open_steps=self.config.walkthrough_open,
        )
        caption = pathway.caption + (" " + cite.placeholder(pathway.cite) if pathway.cite else "")
        return figure, caption

    def _compare_figure(self, ids: list[str], fid: str, page: Page, label: str, resolve) -> tuple[str, str]:
        pathways = [self.sources.pathways[i] for i in ids]
        comparison = compare(pathways)
        graph = comparison_graph(comparison, self.sources.terms)
        name = f"compare:{comparison.name}"
        if name not in self.svgs:
            self._render_legible({name: graph})
        if name not in self.svgs:
            raise MechanismsError(Problem("", 0, "", f"comparison '{comparison.name}' could not be rendered"))
        self._add_compare_export(comparison)
        svg = self._slot(page, fid, name, self._embed_info(None, graph))
        key = compare_key_html(comparison)
        table = compare_table_html(comparison, self.sources.terms, resolve)
        summary = html.escape(comparison.summary(self.sources.terms))
        figure = figure_html(
            fid=fid,
            svg=svg,
            caption_html=f'<span class="mechanisms-compare-summary">{summary}</span>',
            label=label,
            title=graph.title,
            link=None,
            steps_html=table,
            legend=key,
            classes="mechanisms-compare",
            pathway_id=" ".join(ids),
        )
        return figure.replace(f'aria-describedby="{fid}-steps"', ""), ""

    def _add_compare_export(self, comparison: Comparison) -> None:
        assert self.files is not None
        path = f"{PATHWAYS_DIR}/compare/{comparison.name}.json"
        if self.files.get_file_from_path(path) is None:
            self.files.append(
                File.generated(
                    self._config,
                    path,
                    content=json.dumps(comparison.to_json(), indent=2, ensure_ascii=False) + "\n",
                )
            )

    def _problems_of_pathways(self, ids: list[str]) -> list[Problem]:
        wanted = {f"{PurePosixPath(self.config.diagrams_dir).as_posix().strip('/')}/{i}.md" for i in ids}
        return [p for p in self.sources.problems if p.file in wanted]

    def _term_of(self, page: Page):
        prefix = self.config.glossary_dir.strip("/") + "/"
        uri = page.file.src_uri
        if not uri.startswith(prefix) or page.file.generated_by is not None:
            return None
        return self.sources.terms.get(PurePosixPath(uri).stem)

    def _own_problems(self, page: Page) -> list[Problem]:
        path = self._display_path(page)
        own = [p for p in self.sources.problems if p.file == path]
        if page.file.src_uri == self.config.references_page:
            bib = Path(self.bib_path)
            own += [p for p in self.sources.problems if p.file.endswith(bib.name)]
        return own

    def _display_path(self, page: Page) -> str:
        if page.file.abs_src_path:
            try:
                return Path(page.file.abs_src_path).resolve().relative_to(self.root).as_posix()
            except ValueError:
                return page.file.src_uri
        return page.file.src_uri

    @staticmethod
    def _body_first_line(page: Page, markdown: str) -> int:
        """Line number in the source file of the Markdown body's first line."""
        if not page.file.abs_src_path:
            return 1
        source = page.file.content_string
        head = markdown[:200]
        index = source.find(head) if head else -1
        return source.count("\n", 0, index) + 1 if index >= 0 else 1

    def _md_link(self, page: Page, target_src: str) -> str:
        """A Markdown link target from ``page`` to another source file (MkDocs validates it)."""
        here = PurePosixPath(page.file.src_uri).parent
        return _relpath(PurePosixPath(target_src), here)

    def on_page_content(
        self, html_text: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if not self.config.enabled:
            return None
        if page.title:  # themes print titles as HTML (Material even un-escapes them): hand over text
            page.meta["title"] = pages.theme_title(page.title, markup="title" not in page.meta)
        figures = self.figures.get(page.file.src_uri, {})
        if figures:

            def place(match: re.Match[str]) -> str:
                figure = figures.get(int(match.group(1)), "")
                caption = match.group(2).strip()
                caption = re.sub(r"^<p>(.*)</p>$", r"\1", caption, flags=re.S)
                if "<figcaption" in figure and caption:
                    return (
                        figure.replace("</strong>", "</strong> " + caption, 1)
                        if "mechanisms-compare" not in figure
                        else figure
                    )
                return figure

            html_text = pages.FIGURE_REGION.sub(place, html_text)
        if self.linker is not None:
            term = self._term_of(page)
            resolve = self._resolver(page.file)
            result = self.linker.link(
                html_text, lambda slug: resolve(f"glossary/{slug}"), skip_slug=term.slug if term else None
            )
            if self.config.link != "none":
                html_text = result.html
            if page.file.src_uri != f"{self.config.glossary_dir.strip('/')}/index.md":
                for mention in result.mentions:
                    self.mentions[mention.slug].append((page, mention))
        return html_text

    # -- site-wide ---------------------------------------------------------------
    @event_priority(-50)
    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment | None:
        if not self.config.enabled:
            return None
        bib = self.sources.bibliography
        numbering = cite.Numbering()
        ordered = self._pages_in_order(files)
        if bib is not None:
            for page in ordered:
                content = page.content or ""
                for match in cite.PLACEHOLDER.finditer(content):
                    keys = [k for k in cite.placeholder_keys(match) if k in bib]
                    numbering.visit(keys, _citing_place(page, content, match.start()))
            for page in ordered:
                page.content = self._fill_citations(page, numbering)
            refs_file = files.get_file_from_path(self.config.references_page)
            if refs_file is not None and refs_file.page is not None and refs_file.page.content:
                back = self._site_url_resolver(refs_file)
                refs_file.page.content = refs_file.page.content.replace(
                    pages.REFERENCES_MARKER, cite.references_html(bib, numbering, back)
                )
                unused = sorted(set(bib.references) - set(numbering.numbers))
                if unused:
                    log.info(
                        "mechanisms: %d bibliography entries are never cited: %s",
                        len(unused),
                        ", ".join(unused),
                    )
        self._fill_mentions(files)
        if not self.config.tooltips:
            for page in ordered:
                page.content = _TIP_ATTRS.sub("", page.content or "")
        if self.page_problems and not self.is_serve:
            raise PluginError("mechanisms: " + "\n".join(str(p) for p in self.page_problems))
        return env

    def _pages_in_order(self, files: Files) -> list[Page]:
        nav_pages: list[Page] = []
        nav = getattr(self, "_nav", None)
        if nav is not None:
            nav_pages = [p for p in nav.pages if p.content is not None]
        seen = {id(p) for p in nav_pages}
        rest = sorted(
            (
                f.page
                for f in files.documentation_pages()
                if f.page is not None and id(f.page) not in seen and f.page.content is not None
            ),
            key=lambda p: p.file.src_uri,
        )
        return nav_pages + rest

    def on_nav(self, nav, /, *, config: MkDocsConfig, files: Files):
        self._nav = nav
        return

    def _fill_citations(self, page: Page, numbering: cite.Numbering) -> str:
        bib = self.sources.bibliography
        assert bib is not None
        resolve = self._resolver(page.file)
        content = cite.substitute(
            page.content or "",
            lambda keys: cite.citation_html(keys, numbering, bib, lambda k: resolve(cite.fragment(k))),
        )

        def ref_text(match: re.Match[str]) -> str:
            ref = bib.references.get(cite.marker_key(match))
            return "" if ref is None else cite.entry_html(ref)

        return cite.REFERENCE_TEXT.sub(ref_text, content)

    def _site_url_resolver(self, origin: File):
        """Turn a site-root-relative URL (with an optional #fragment) into one relative to ``origin``."""
        assert self.files is not None
        by_url = {f.url: f for f in self.files.documentation_pages()}

        def back(url: str) -> str:
            path, _, fragment = url.partition("#")
            target = by_url.get(path)
            if target is None:
                return url
            return target.url_relative_to(origin) + (f"#{fragment}" if fragment else "")

        return back

    def _fill_mentions(self, files: Files) -> None:
        glossary = self.config.glossary_dir.strip("/")
        for slug in self.sources.terms:
            file = files.get_file_from_path(f"{glossary}/{slug}.md")
            if file is None or file.page is None or not file.page.content:
                continue
            marker = pages.MENTIONED_MARKER.format(slug=slug)
            if marker not in file.page.content:
                continue
            by_page: dict[str, tuple[Page, list[Mention]]] = {}
            for page, mention in self.mentions.get(slug, []):
                if page.file.src_uri != file.src_uri:
                    by_page.setdefault(page.file.src_uri, (page, []))[1].append(mention)
            items: list[str] = []
            for uri in sorted(by_page):
                page, found = by_page[uri]
                url = page.file.url_relative_to(file)
                title = html.escape(html.unescape(page.title or uri))
                sections: dict[str, str] = {}
                for mention in found:
                    if mention.anchor and mention.heading and mention.heading != page.title:
                        sections.setdefault(mention.anchor, mention.heading)
                links = " · ".join(
                    f'<a href="{html.escape(url)}#{html.escape(a)}">{html.escape(h)}</a>'
                    for a, h in sections.items()
                )
                items.append(
                    f'<li><a href="{html.escape(url)}">{title}</a>{": " + links if links else ""}</li>'
                )
            listing = (
                f'<ul class="mechanisms-mentioned-on">{"".join(items)}</ul>'
                if items
                else "<p><em>No page mentions this term yet.</em></p>"
            )
            file.page.content = file.page.content.replace(marker, listing)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        """Put each page's diagrams in place, links resolved relative to that page."""
        slots = self.slots.pop(page.file.src_uri, None)
        if not self.config.enabled or not slots:
            return None
        root = _root_prefix(page.file.url)

        def fill(match: re.Match[str]) -> str:
            fid = match.group(1)
            key, info = slots.get(fid, ("", None))
            if info is None or key not in self.svgs:
                return ""
            # Embedded once per diagram and id with links from the site root; each page then only
            # swaps in its own way up to the root.
            cache_key = (key, fid, info.title, info.description)
            svg = self.embedded.get(cache_key)
            if svg is None:
                svg = embed_svg(self.svgs[key], fid, self._site_resolver(), info, narrow=key.endswith(NARROW))
                svg = svg if self.config.tooltips else _TIP_ATTRS.sub("", svg)
                self.embedded[cache_key] = svg
            return svg.replace(ROOT_MARK, root)

        return _SVG_SLOT.sub(fill, output)

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        if self.config.enabled and self.diagrams_dir.is_dir():
            server.watch(str(self.diagrams_dir))
        return server


def _root_prefix(url: str) -> str:
    """``""`` for the home page, ``"../"`` for ``a/`` or ``a/b.html``, and so on."""
    folder = url if url.endswith("/") or not url else url.rsplit("/", 1)[0] + "/" if "/" in url else ""
    return "../" * folder.count("/")


_STEP = 'class="mechanisms-step" id="'


def _citing_place(page: Page, content: str, position: int) -> tuple[str, str]:
    """(label, site URL) for a "cited on" back-link: the page, or the walkthrough step holding the citation."""
    title = html.unescape(page.title or page.file.src_uri)  # page titles are HTML text
    start = content.rfind(_STEP, 0, position)
    if start >= 0 and content.find("</li>", start, position) == -1:
        anchor = content[start + len(_STEP) : content.index('"', start + len(_STEP))]
        number = anchor.rsplit("-", 1)[-1]
        return f"{title}, step {number}", f"{page.file.url}#{anchor}"
    return title, page.file.url


def _relpath(target: PurePosixPath, start: PurePosixPath) -> str:
    """Relative POSIX path from folder ``start`` to ``target``."""
    import os.path

    return os.path.relpath(target.as_posix(), start.as_posix() or ".").replace("\\", "/")
