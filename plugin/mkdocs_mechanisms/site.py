"""The site engine: everything one build knows, and nothing about any host.

One :class:`Site` per build owns the loaded sources, the rendered diagrams
(under typed :class:`DiagramKey` keys), the term linker, citation numbering
and the record of mentions and citation uses. Hosts only translate their
events into calls on it:

* :meth:`Site.load` reads every source and renders the known diagrams in one
  batched Graphviz pass; :meth:`Site.generated` lists the pages and exports
  to add;
* per page, the Markdown extension (``markdown.py``) calls
  :meth:`Site.prepare_markdown` and :meth:`Site.finish_html`;
* once every page's HTML exists, :meth:`Site.number_citations` numbers
  citations in reading order and :meth:`Site.fill_page` /
  :meth:`Site.fill_svgs` fill the deferred slots (``deferred.py``).

Page URLs follow the rule MkDocs and Zensical share (``a/b.md`` is
``a/b/`` or ``a/b.html``), so links are computed here, relative to the page
that shows them, for either host.
"""

from __future__ import annotations

import functools
import html
import json
import posixpath
import re
import textwrap
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any

from . import cite, numbers, pages, schema, scripts, sections
from .compare import compare
from .deferred import Filler, Slot, fill, positions, slot
from .errors import MechanismsError, Problem, RenderError
from .export.sbgn import export_sbgn
from .fences import fence_problems
from .figure import compare_key_html, compare_table_html, error_html, figure_html, pathway_figure
from .glossary import escape_markdown
from .linker import Linker, LinkRules, Mention
from .load import read_checked_pathway
from .logs import log
from .model import Pathway, Term
from .options import Options
from .render.dot import to_dot
from .render.graph import (
    LINK_SCHEME,
    DrawGraph,
    comparison_graph,
    neighbourhood_graph,
    pathway_graph,
)
from .render.layout import NARROW, legible
from .render.runner import GraphvizRunner
from .render.svg import EmbedInfo, embed_info, embed_svg
from .sources import (
    DEFAULT_BIBLIOGRAPHY,
    DEFAULT_DIAGRAMS_DIR,
    Sources,
    diagram_files,
    load_sources,
    missing_bibliography,
    missing_diagrams_dir,
    nested_glossary_problems,
)

ASSETS = Path(__file__).parent / "assets"
ASSET_DIR = "assets/mechanisms"
PATHWAYS_DIR = "pathways"
STYLESHEETS = (f"{ASSET_DIR}/mechanisms.css", f"{ASSET_DIR}/colours.css")
SCRIPTS = (f"{ASSET_DIR}/{scripts.SCRIPT}",)  # one file joined from the modules: see scripts.py
_TIP_ATTRS = re.compile(r'\sdata-tip-(?:title|text)="[^"]*"')
_ROOT = "@@mechanisms-root@@"
"""Stands for the page's way up to the site root inside a shared embedded SVG."""
_HELD_OPEN = '<details class="mechanisms-'
_FID = "@@mechanisms-fid@@"
"""Stands for the figure id inside a shared embedded SVG."""
_HEADING = re.compile(r'<h[2-6][^>]*\bid="([^"]+)"[^>]*>(.*?)</h[2-6]>', re.S)
_STEP = 'class="mechanisms-step" id="'
_LINK_TARGET = re.compile(r'href="' + re.escape(LINK_SCHEME) + r'([^"]*)"')


def _svg_targets(svg: str) -> list[str]:
    """The placeholder link targets in a Graphviz SVG (what its embedding depends on besides itself)."""
    return sorted({html.unescape(m) for m in _LINK_TARGET.findall(svg)})


class DiagramKind(StrEnum):
    """What a rendered diagram shows."""

    PATHWAY = "pathway"
    TERM = "term"
    COMPARE = "compare"
    INLINE = "inline"


@dataclass(frozen=True)
class DiagramKey:
    """The key of one rendered diagram."""

    kind: DiagramKind
    name: str
    narrow: bool = False
    """The phone layout, kept when the wide one would be too small to read there."""

    def __str__(self) -> str:
        return f"{self.kind.value}:{self.name}" + (NARROW if self.narrow else "")


class TargetKind(StrEnum):
    """What a link inside a figure or generated section points to."""

    GLOSSARY = "glossary"
    PATHWAY = "pathways"
    REFERENCES = "references"
    PAGE = "page"


@dataclass(frozen=True)
class Target:
    """A link target in the site, before it is made relative to a page."""

    kind: TargetKind
    name: str = ""
    fragment: str = ""

    @classmethod
    def parse(cls, text: str) -> Target:
        """Read the figure builders' ``glossary/<slug>``, ``pathways/<id>``, ``references#ref-<key>``."""
        path, _, fragment = text.partition("#")
        head, _, name = path.partition("/")
        try:
            return cls(TargetKind(head), name, fragment)
        except ValueError:
            return cls(TargetKind.PAGE, path, fragment)


@functools.lru_cache(maxsize=65536)
def page_url(src: str, *, directory_urls: bool = True) -> str:
    """The URL of a source file, relative to the site root, as MkDocs and Zensical both build it."""
    if not src.endswith(".md"):
        return src
    path = PurePosixPath(src)
    stem = path.stem
    parent = "" if str(path.parent) == "." else f"{path.parent}/"
    if stem in ("index", "README"):
        return f"{parent}index.html" if not directory_urls else (parent or "./")
    return f"{parent}{stem}.html" if not directory_urls else f"{parent}{stem}/"


@functools.lru_cache(maxsize=65536)
def relative_url(url: str, origin: str) -> str:
    """``url`` seen from the page at ``origin`` (both relative to the site root)."""
    base = origin.removeprefix("./")
    base = base if base.endswith("/") or not base else posixpath.dirname(base)
    target = url.removeprefix("./") or "."
    rel = posixpath.relpath(target, base or ".")
    if url.endswith("/") and not rel.endswith("/"):
        rel += "/"
    return rel


def root_prefix(url: str) -> str:
    """``""`` for a page at the top, ``"../"`` for ``a/`` or ``a/b.html``, and so on."""
    url = url.removeprefix("./")
    folder = url if url.endswith("/") or not url else posixpath.dirname(url) + "/" if "/" in url else ""
    return "../" * folder.count("/")


def body_first_line(source: str, markdown: str) -> int:
    """Line number in ``source`` (a whole file) of the first line of ``markdown`` (its body)."""
    head = markdown[:200]
    index = source.find(head) if head else -1
    return source.count("\n", 0, index) + 1 if index >= 0 else 1


class Reporter:
    """One policy for problems: always a warning in the host's log; a build stops at checkpoints.

    While serving, nothing stops: pages show the problem in an error box.
    In a build (strict or not), :meth:`checkpoint` raises one
    :class:`MechanismsError` listing every problem not raised yet.
    """

    def __init__(self, *, serving: bool, warn: Callable[[str], None]) -> None:
        self.serving = serving
        self.warn = warn
        self.problems: list[Problem] = []
        self._raised = 0
        self._causes: set[Problem] = set()

    def add(self, problems: Iterable[Problem]) -> None:
        """Log each problem once (a root cause once per build)."""
        for problem in problems:
            if problem in self.problems[self._raised :] or problem in self._causes:
                continue
            self.problems.append(problem)
            self.warn(str(problem))

    def cause(self, problem: Problem) -> Problem:
        """A root cause (a missing folder or bibliography): logged the first time it is met only.

        Every page that meets it again shows it in its own error box while serving, but
        the log and a build's error list name it once, not once per fence or citation.
        """
        self.add([problem])
        self._causes.add(problem)
        return problem

    def checkpoint(self) -> None:
        """Stop a build that met problems since the last checkpoint."""
        pending = self.problems[self._raised :]
        self._raised = len(self.problems)
        if pending and not self.serving:
            raise MechanismsError(pending, reported=True)


@dataclass(frozen=True)
class Generated:
    """A page, export or asset the engine adds to the site."""

    path: str
    text: str | None = None
    file: Path | None = None
    """A file to copy instead of ``text`` (shipped assets)."""
    listed: bool = True
    """False for pages reached from figures and indexes rather than the navigation."""


@dataclass
class PageState:
    """What the engine knows about one page while it is built."""

    src: str
    url: str
    source: str
    """The file as problems name it (relative to the project root)."""
    first_line: int = 1
    title: str = ""
    figures: dict[int, tuple[str, bool]] = field(default_factory=dict)
    svgs: dict[str, tuple[DiagramKey, EmbedInfo]] = field(default_factory=dict)
    markers: list[cite.Marker] = field(default_factory=list)
    """``[@…]`` seen in the page's Markdown, consumed as the inline pattern reaches them."""
    notices: list[str] = field(default_factory=list)
    """Problems found while the page's Markdown was parsed, shown on the page when serving."""
    held: list[str] = field(default_factory=list)
    """Blocks kept out of search (embedded walkthroughs, legends), set aside until the page is written."""


@dataclass
class Record:
    """What pages say about each other: citation numbers and uses, mentions, titles."""

    numbering: cite.Numbering = field(default_factory=cite.Numbering)
    mentions: dict[str, list[tuple[str, Mention]]] = field(default_factory=lambda: defaultdict(list))
    titles: dict[str, str] = field(default_factory=dict)
    figures: dict[str, int] = field(default_factory=dict)
    """Figure number of each pathway (and one-off figure), site-wide."""
    order: list[str] = field(default_factory=list)
    """Pages in reading order, by source path."""

    def to_json(self) -> dict[str, Any]:
        """A plain-data copy (Zensical's pages are rendered in another process)."""
        return {
            "numbers": self.numbering.numbers,
            "cited_on": self.numbering.cited_on,
            "mentions": {
                slug: [[src, m.slug, m.text, m.anchor, m.heading] for src, m in found]
                for slug, found in sorted(self.mentions.items())
            },
            "titles": self.titles,
            "figures": self.figures,
            "order": self.order,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Record:
        """The inverse of :meth:`to_json`."""
        record = cls()
        record.numbering.numbers = {str(k): int(v) for k, v in data.get("numbers", {}).items()}
        record.numbering.cited_on = {
            str(k): [tuple(str(x) for x in place) for place in v] for k, v in data.get("cited_on", {}).items()
        }
        record.figures = {str(k): int(v) for k, v in data.get("figures", {}).items()}
        record.order = [str(x) for x in data.get("order", [])]
        for slug, found in data.get("mentions", {}).items():
            record.mentions[slug] = [(src, Mention(s, t, a, h)) for src, s, t, a, h in found]
        record.titles = dict(data.get("titles", {}))
        return record


class Site:
    """Sources, diagrams, linker and record of one build of one site."""

    def __init__(
        self,
        root: Path,
        docs_dir: Path,
        options: Options,
        *,
        serving: bool = False,
        warn: Callable[[str], None] | None = None,
        runner: GraphvizRunner | None = None,
        directory_urls: bool = True,
        glossary_url: str | None = None,
        source_links: bool = False,
    ) -> None:
        self.root = root.resolve()
        self.docs_dir = docs_dir.resolve()
        self.options = options
        self.directory_urls = directory_urls
        self.glossary_url = glossary_url
        """A URL pattern (``/glossary/{slug}/``) when no page list is known (plain Python-Markdown)."""
        self.source_links = source_links
        """Write HTML links to source files (``../references.md#ref-x``), as Zensical expects: it
        rewrites every ``href`` in a page as relative to the page's source (not ``xlink:href``)."""
        self.reporter = Reporter(serving=serving, warn=warn or log.warning)
        self.diagrams_dir = (self.root / options.diagrams_dir).resolve()
        self.bib_path = (self.docs_dir / options.bibliography).resolve()
        self.runner = runner or self.make_runner(self.root, options)
        self.runner.begin()  # one Graphviz time budget per build, the version probe included
        self.render_problems: list[Problem] = []
        """Why diagrams were not drawn (shown with the figures that miss them)."""
        self.sources = Sources()
        self.missing_diagrams: Problem | None = None
        """Why no pathway file can be read: every fence naming one shows this, logged once."""
        self.missing_bibliography: Problem | None = None
        """Why no citation can be resolved: every citation shows this, logged once."""
        self.linker = Linker([], LinkRules(mode=options.link, hyphen_compounds=options.hyphen_compounds))
        self.svgs: dict[DiagramKey, str] = {}
        self.dots: dict[DiagramKey, str] = {}
        """The DOT each figure was laid out from (the chosen layout)."""
        self.graphs: dict[DiagramKey, DrawGraph] = {}
        self.by_term: dict[str, list[Pathway]] = {}
        self.pages: dict[str, PageState] = {}
        self.known: set[str] = set()
        self.record = Record()
        self.exports: dict[str, str] = {}
        """Exports found while pages are built (comparisons), by path."""
        self.current: PageState | None = None
        self.drawing = True
        """False for ``check``: every source and page is read and validated as in a build, nothing drawn."""

    @staticmethod
    def make_runner(root: Path, options: Options) -> GraphvizRunner:
        """A Graphviz runner with the options' cache, refusing a cache inside a watched folder."""
        cache = (root / options.cache_dir).resolve()
        return GraphvizRunner(cache, engine=options.engine, timeout=float(options.graphviz_timeout))

    def check_folders(self) -> None:
        """Diagrams apart from the docs, and a cache inside neither (serving would rebuild forever)."""
        cache = (self.root / self.options.cache_dir).resolve()
        d, docs = self.diagrams_dir, self.docs_dir
        if d == docs or docs in d.parents or d in docs.parents:
            raise MechanismsError(
                Problem(
                    "mkdocs.yml",
                    0,
                    "plugins.mechanisms.diagrams_dir",
                    f"'{self.options.diagrams_dir}' overlaps docs_dir ({docs}): pathway files are not pages",
                    "keep them in a folder of their own beside the docs, e.g. 'diagrams'",
                )
            )
        for watched in (self.docs_dir, self.diagrams_dir):
            if cache == watched or watched in cache.parents:
                raise MechanismsError(
                    Problem(
                        "mkdocs.yml",
                        0,
                        "plugins.mechanisms.cache_dir",
                        f"'{self.options.cache_dir}' is inside a watched folder ({watched}); "
                        "serving would rebuild forever",
                        "use '.cache/mechanisms'",
                    )
                )

    # -- sources ---------------------------------------------------------------
    def glossary_sources(self, srcs: Iterable[str]) -> list[Path]:
        """The glossary pages among the docs' source paths (not the index)."""
        prefix = self.options.glossary + "/"
        found = [
            src
            for src in srcs
            if src.startswith(prefix)
            and src.endswith(".md")
            and PurePosixPath(src).name not in ("index.md", "README.md")
        ]
        nested = [src for src in found if "/" in src[len(prefix) :]]
        self.reporter.add(nested_glossary_problems(self.docs_dir, self.root, prefix, nested))
        return [self.docs_dir / src for src in found if src not in nested]

    def load(self, glossary_files: Sequence[Path]) -> None:
        """Read every source, build the linker and render every known diagram in one batch."""
        self.sources = load_sources(
            self.root,
            diagram_files(self.diagrams_dir),
            glossary_files,
            self.bib_path if self.bib_path.is_file() else None,
            csl_style=self.options.csl_style,
        )
        for warning in self.sources.warnings:
            self.reporter.warn(str(warning))
        self.missing_diagrams = missing_diagrams_dir(self.diagrams_dir, self.options.diagrams_dir)
        self.missing_bibliography = (
            missing_bibliography(self.bib_path, self.options.bibliography)
            or self.sources.bibliography_problem
        )
        if self.sources.bibliography_problem is not None:
            self.reporter.cause(self.sources.bibliography_problem)
        self.reporter.add(self.sources.problems)
        # A folder or file named in mkdocs.yml is a mistake at once; under its default name
        # it is one only when a fence or citation needs it (then named the same way, once).
        if self.missing_diagrams and self.options.diagrams_dir != DEFAULT_DIAGRAMS_DIR:
            self.reporter.cause(self.missing_diagrams)
        if self.missing_bibliography and (
            self.options.bibliography != DEFAULT_BIBLIOGRAPHY
            or any(p.cite or any(e.cite for e in p.edges) for p in self.sources.pathways.values())
        ):
            self.reporter.cause(self.missing_bibliography)
        self.linker = Linker(
            self.sources.terms.values(),
            LinkRules(mode=self.options.link, hyphen_compounds=self.options.hyphen_compounds),
        )
        terms = self.sources.terms
        dots: dict[DiagramKey, str] = {}
        figures: dict[DiagramKey, DrawGraph] = {}
        for pid, pathway in self.sources.pathways.items():
            key = DiagramKey(DiagramKind.PATHWAY, pid)
            self.graphs[key] = figures[key] = pathway_graph(pathway, terms)
        by_term: dict[str, list[Pathway]] = defaultdict(list)
        for pathway in self.sources.pathways.values():
            for slug in sorted(pathway.terms()):
                by_term[slug].append(pathway)
        self.by_term = dict(by_term)
        for slug in terms:
            neighbourhood = neighbourhood_graph(slug, self.by_term.get(slug, []), terms)
            if neighbourhood is not None:
                key = DiagramKey(DiagramKind.TERM, slug)
                self.graphs[key] = figures[key] = neighbourhood
        if self.drawing:
            self.render(dots)
            self.render_legible(figures)

    def render(self, dots: Mapping[DiagramKey, str]) -> None:
        """Render diagrams (cached ones never start Graphviz); problems go to the reporter."""
        names = {str(key): key for key in dots}
        try:
            result = self.runner.render_many({str(key): dot for key, dot in dots.items()})
        except RenderError as error:
            self.render_problems += error.problems
            self.reporter.add(error.problems)
            return
        self.svgs.update({names[name]: svg for name, svg in result.svgs.items()})
        for warning in result.warnings:
            self.reporter.warn(warning)
        self.render_problems += result.problems
        self.reporter.add(result.problems)

    def render_legible(self, graphs: Mapping[DiagramKey, DrawGraph]) -> None:
        """Render figures laid out for the width they are shown at (wide, and phone where needed).

        The layout chosen for a graph is remembered by the graph's content, so a warm build
        (or a serve rebuild) lays out only the graphs whose inputs changed.
        """
        names = {str(key): key for key in graphs}
        memo = {name: self.runner.memo_key("layout", [repr(graphs[key])]) for name, key in names.items()}
        chosen: dict[str, str] = {}
        for name, key in memo.items():
            known = self.runner.recall("layout", key, keep=False)
            if known is not None:
                dots = json.loads(known)
                chosen[name] = dots[0]
                if len(dots) > 1:
                    chosen[name + NARROW] = dots[1]
        try:
            found = self.runner.render_many(chosen) if chosen else None
            todo = {
                name: graphs[key]
                for name, key in names.items()
                if found is None
                or name not in found.svgs
                or (name + NARROW in chosen and name + NARROW not in found.svgs)
            }
            layouts = legible(todo, self.runner.render_many)
        except RenderError as error:
            self.render_problems += error.problems
            self.reporter.add(error.problems)
            return
        if found is not None:
            for name, dot in chosen.items():
                if name.removesuffix(NARROW) not in todo:
                    layouts.svgs[name], layouts.dots[name] = found.svgs[name], dot
        if not layouts.problems and not self.runner.out_of_time:  # a search cut short is not kept
            for name in todo:
                if name in layouts.dots:
                    dots = [layouts.dots[name]] + [
                        layouts.dots[n] for n in [name + NARROW] if n in layouts.dots
                    ]
                    self.runner.remember("layout", memo[name], json.dumps(dots), keep=False)

        def key_of(name: str) -> DiagramKey:
            base = names[name.removesuffix(NARROW)]
            return replace(base, narrow=True) if name.endswith(NARROW) and name not in names else base

        self.svgs.update({key_of(name): svg for name, svg in layouts.svgs.items()})
        self.dots.update({key_of(name): dot for name, dot in layouts.dots.items()})
        for warning in layouts.warnings:
            self.reporter.warn(warning)
        self.render_problems += layouts.problems
        self.reporter.add(layouts.problems)

    # -- generated files -------------------------------------------------------
    def generated(
        self, exists: Callable[[str], bool], *, has_nav: bool, heading_ids: bool
    ) -> list[Generated]:
        """Pages, exports and assets to add; ``exists(path)`` says whether the author wrote one."""
        out: list[Generated] = []
        pathways = self.sources.pathways
        clashes = [
            Problem(
                pathway.source,
                1,
                "id",
                f"'{PATHWAYS_DIR}/{pid}.{ext}' is generated from this pathway, but the docs already have one",
                f"rename the pathway or move docs/{PATHWAYS_DIR}/{pid}.{ext}: the folder is the plugin's",
            )
            for pid, pathway in pathways.items()
            for ext in ("md", "svg", "json", "dot", "sbgn")
            if exists(f"{PATHWAYS_DIR}/{pid}.{ext}")
        ]
        self.reporter.add(clashes)
        clashing = {p.file for p in clashes}
        pathways = {pid: p for pid, p in pathways.items() if p.source not in clashing}
        for pid, pathway in pathways.items():
            base = f"{PATHWAYS_DIR}/{pid}"
            out.append(Generated(f"{base}.md", pages.pathway_page(pathway), listed=False))
            key = DiagramKey(DiagramKind.PATHWAY, pid)
            out.append(self._export(f"{base}.json", pages.pathway_json(pathway, self.sources.terms)))
            out.append(self._export(f"{base}.dot", self.dots.get(key) or to_dot(self.graphs[key])))
        if pathways and not exists(f"{PATHWAYS_DIR}/index.md"):
            out.append(
                Generated(
                    f"{PATHWAYS_DIR}/index.md",
                    pages.pathways_index(list(pathways.values())),
                    listed=not has_nav,
                )
            )
        glossary = self.options.glossary
        terms = self.sources.terms
        if terms and not exists(f"{glossary}/index.md"):
            index = self.sources.glossary.index_markdown(
                lambda slug: f"{slug}.md", title="Glossary", heading_ids=heading_ids
            )
            out.append(Generated(f"{glossary}/index.md", index))
        if terms:
            out.append(
                Generated(
                    f"{glossary}/index.json",
                    self.sources.glossary.index_json(
                        lambda slug: self.site_url(Target(TargetKind.GLOSSARY, slug))
                    ),
                )
            )
        if self.sources.bibliography is not None and not exists(self.options.references_page):
            numeric = self.sources.bibliography.group.numeric
            out.append(Generated(self.options.references_page, pages.references_page(numeric)))
        out.append(Generated(f"{ASSET_DIR}/mechanisms.css", file=ASSETS / "mechanisms.css"))
        out.append(Generated(SCRIPTS[0], scripts.bundle()))
        out.append(Generated(f"{ASSET_DIR}/colours.css", sections.colours_css(self.options.colours)))
        self.known.update(item.path for item in out)  # the exported SVGs link to these pages
        for pid, pathway in pathways.items():
            key = DiagramKey(DiagramKind.PATHWAY, pid)
            if key in self.svgs:
                path = f"{PATHWAYS_DIR}/{pid}.svg"
                out.append(self.export_svg(pathway, path))
                graph, svg = self.graphs[key], self.svgs[key]
                used = {slug: self.sources.terms.get(slug) for slug in sorted(pathway.terms())}
                out.append(
                    self._export(
                        f"{PATHWAYS_DIR}/{pid}.sbgn",
                        functools.partial(export_sbgn, pid, self.sources, graph, svg),
                        [pid, repr(pathway), repr(graph), repr(used), svg],
                    )
                )
        for name in schema.NAMES:  # published at a stable URL for editors and CI
            path = f"{schema.SCHEMA_DIR}/{name}.schema.json"
            if not exists(path):
                out.append(Generated(path, schema.shipped(name)))
        return out

    def is_private_source(self, src: str) -> bool:
        """A BibTeX file in the docs folder: the author's library (abstracts, notes, paths to PDFs on
        their machine), never published as it is. Both hosts leave it out of the built site."""
        return PurePosixPath(src).suffix.lower() == ".bib" or (self.docs_dir / src).resolve() == self.bib_path

    PRIVATE_PATTERN = "*.bib"
    """The same files as :meth:`is_private_source`, as an ``exclude_docs`` pattern (Zensical)."""

    def is_term_page(self, src: str) -> bool:
        """A glossary page of a known term (kept out of the navigation, like pathway pages)."""
        return self.term_of(src) is not None

    def _export(
        self, path: str, text: str | Callable[[], str], parts: Sequence[str] | None = None
    ) -> Generated:
        """An export written to the cache as it is made (its text is not held until the build ends).

        ``text`` is the export, or what makes it from ``parts`` (its inputs) when they are new.
        """
        make = text if callable(text) else lambda: text
        stored = self.runner.memo_file("export", [path, *(parts if parts is not None else [make()])], make)
        return Generated(path, file=stored) if isinstance(stored, Path) else Generated(path, stored)

    def export_svg(self, pathway: Pathway, path: str) -> Generated:
        """``pathways/<id>.svg``: the diagram as a file, its links relative to that file."""
        key = DiagramKey(DiagramKind.PATHWAY, pathway.id)
        info = embed_info(self.graphs[key], self.sources.terms)
        here = page_url(path, directory_urls=self.directory_urls)
        svg = self.svgs[key]

        def link(target: str) -> str:
            url = self.site_url(Target.parse(target))
            return relative_url(url, here) if url else ""

        def make() -> str:
            return '<?xml version="1.0" encoding="UTF-8"?>\n' + embed_svg(svg, "p", link, info) + "\n"

        return self._export(path, make, [svg, repr(info), *map(link, _svg_targets(svg))])

    # -- URLs --------------------------------------------------------------------
    def set_pages(self, srcs: Iterable[str]) -> None:
        """Every source path of the site, generated ones included (links to others are dropped)."""
        self.known = set(srcs)

    def target_src(self, target: Target) -> str:
        """The source path behind a target."""
        if target.kind is TargetKind.GLOSSARY:
            return f"{self.options.glossary}/{target.name}.md"
        if target.kind is TargetKind.PATHWAY:
            return f"{PATHWAYS_DIR}/{target.name}.md"
        if target.kind is TargetKind.REFERENCES:
            return self.options.references_page
        return target.name

    def site_url(self, target: Target) -> str:
        """The target's URL from the site root, "" when it does not exist."""
        if self.glossary_url is not None:
            return self.glossary_url.format(slug=target.name) if target.kind is TargetKind.GLOSSARY else ""
        src = self.target_src(target)
        if src not in self.known:
            return ""
        return page_url(src, directory_urls=self.directory_urls) + (
            f"#{target.fragment}" if target.fragment else ""
        )

    def resolve(self, target: str | Target, origin: str) -> str:
        """A target's URL relative to the source file ``origin`` ("" when the target does not exist)."""
        target = Target.parse(target) if isinstance(target, str) else target
        if self.source_links and self.glossary_url is None:
            src = self.target_src(target)
            if src not in self.known:
                return ""
            rel = posixpath.relpath(src, posixpath.dirname(origin) or ".")
            return rel + (f"#{target.fragment}" if target.fragment else "")
        url = self.site_url(target)
        if not url or self.glossary_url is not None:
            return url
        path, _, fragment = url.partition("#")
        rel = relative_url(path, page_url(origin, directory_urls=self.directory_urls))
        return rel + (f"#{fragment}" if fragment else "")

    # -- pages -------------------------------------------------------------------
    def begin_page(
        self, src: str, *, source: str | None = None, first_line: int = 1, title: str = ""
    ) -> PageState:
        """Start a page (the extension then works on it until the next call)."""
        state = PageState(
            src, page_url(src, directory_urls=self.directory_urls), source or src, first_line, title
        )
        self.pages[src] = state
        self.current = state
        return state

    def term_of(self, src: str) -> Term | None:
        """The term whose own page ``src`` is."""
        prefix = self.options.glossary + "/"
        if not src.startswith(prefix) or "/" in src[len(prefix) :]:
            return None
        return self.sources.terms.get(posixpath.splitext(src[len(prefix) :])[0])

    @property
    def cites(self) -> bool:
        """Whether ``[@key]`` becomes a citation: always on a site; alone, only with a bibliography."""
        return self.sources.bibliography is not None or self.glossary_url is None

    def _own_problems(self, page: PageState) -> list[Problem]:
        own = [p for p in self.sources.problems if p.file == page.source]
        if page.src == self.options.references_page:
            own += [p for p in self.sources.problems if p.file.endswith(self.bib_path.name)]
        return own

    def prepare_markdown(self, markdown: str, page: PageState) -> str:
        """A page's Markdown with citations marked, figures built and a term's sections added."""
        notices = [str(p) for p in self._own_problems(page)]
        page.markers = cite.find_markers(markdown, page.first_line) if self.cites else []
        page.notices = []
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
        term = self.term_of(page.src)
        if term is not None:
            markdown = pages.term_page_header(term, markdown)
            markdown += pages.term_page_extras(
                term,
                self.by_term.get(term.slug, []),
                self.sources.terms,
                lambda pid: posixpath.relpath(f"{PATHWAYS_DIR}/{pid}.md", posixpath.dirname(page.src) or "."),
                lambda slug: self.resolve(Target(TargetKind.GLOSSARY, slug), page.src),
            )
        counter = 0

        def fence(found: pages.Fence) -> str:
            nonlocal counter
            counter += 1
            line = page.first_line + found.line - 1
            body = textwrap.dedent(found.body)
            try:
                figure, caption = self.build_figure(found.kind, body, page, counter, line)
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
            block = f"\n{pages.FIGURE_OPEN.format(n=counter)}\n\n{caption}\n\n{pages.FIGURE_CLOSE.format(n=counter)}\n\n"
            return textwrap.indent(block, found.indent)

        markdown = pages.replace_fences(markdown, fence)
        if notices and self.reporter.serving:
            markdown = "\n" + error_html(notices) + "\n\n" + markdown
        return markdown

    def citation(self, page: PageState, match: re.Match[str]) -> cite.Reading | None:
        """What a citation candidate the Markdown parser reached as text is, or ``None``.

        Called by the extension's inline pattern, so code and HTML comments are never
        read. Unknown keys and malformed citations are reported at the line the
        candidate was found on; candidates the page text does not hold (a caption's) are
        checked where they are written. ``None``: prose (an e-mail address, an unknown
        in-text ``@word``), left as it is.
        """
        if not self.cites:
            return None
        known = self.sources.citable or set()  # a broken entry is reported at the entry
        reading = cite.read_candidate(match, known)
        text = match.group(0)
        line = 0
        for index, marker in enumerate(page.markers):
            if marker.text == text:
                line = page.markers.pop(index).line
                break
        problems: list[Problem] = []
        shown = match.string[reading.start : reading.end]
        if reading.malformed:
            problems = [cite.malformed(page.source, line, shown)]
        elif reading.cluster is None:
            return None
        elif line and self.sources.bibliography is None and self.missing_bibliography is not None:
            cause = self.reporter.cause(self.missing_bibliography)  # not an unknown key per citation
            if str(cause) not in page.notices:
                page.notices.append(str(cause))
        elif line:
            mark = cite.CitationMark(reading.cluster.keys, line, 0, 0, reading.cluster)
            problems = cite.check_keys([mark], known, page.source)
            for key in reading.cluster.keys:  # a broken entry is reported there; its citers show it
                page.notices += [
                    str(p) for p in self.sources.entry_problems.get(key, []) if str(p) not in page.notices
                ]
        self.reporter.add(problems)
        page.notices += [str(p) for p in problems]
        return reading if reading.cluster is not None else None

    def _slot(self, page: PageState, fid: str, key: DiagramKey, info: EmbedInfo) -> str:
        page.svgs[fid] = (key, info)
        narrow = replace(key, narrow=True)
        if narrow not in self.svgs:
            return slot(Slot.SVG, fid)
        page.svgs[f"{fid}-m"] = (narrow, info)  # the phone view, shown instead on narrow screens
        return slot(Slot.SVG, fid) + slot(Slot.SVG, f"{fid}-m")

    def _label(self, number: int) -> str:
        return ""  # pathway and comparison figures are numbered site-wide (numbers.py)

    def _keys(self, *keys: str) -> list[str]:
        """Figure-number keys, when figures are numbered."""
        return list(keys) if self.options.figure_numbering and self.options.figure_label else []

    def build_figure(self, kind: str, body: str, page: PageState, number: int, line: int) -> tuple[str, str]:
        """The one figure builder: HTML of any fence kind, and its caption as Markdown."""
        fid = f"mfig{number}"
        label = self._label(number)
        ids = body.split()
        if kind == "pathway" and body.lstrip().startswith("---"):
            return self._inline_figure(body, page, line + 1, fid, label)
        unknown = [i for i in ids if i not in self.sources.pathways]
        if kind != "pathway-neighbourhood" and unknown and self.missing_diagrams is not None:
            raise MechanismsError(self.reporter.cause(self.missing_diagrams))  # once, not per fence
        broken = self.sources.broken_pathways
        problems = fence_problems(
            kind, ids, self.sources.pathways, self.sources.terms, self.sources.interacting, broken
        )
        if kind != "pathway-neighbourhood":  # a broken pathway shows its file's problems, once
            problems += self._pathway_problems(i for i in ids if i in broken)
        if problems:
            raise MechanismsError(problems)
        if not self.drawing:
            return "", ""
        if kind == "pathway-neighbourhood":
            return self._neighbourhood_figure(ids[0], page, fid, label)
        if kind == "pathway-compare":
            return self._compare_figure(ids, page, fid, label)
        pathway = self.sources.pathways[ids[0]]
        key = DiagramKey(DiagramKind.PATHWAY, pathway.id)
        if key not in self.svgs:
            raise MechanismsError(
                self._pathway_problems([pathway.id])
                or [
                    Problem("", 0, "", f"diagram '{pathway.id}' could not be rendered"),
                    *self.render_problems,
                ]
            )
        on_own_page = page.src == f"{PATHWAYS_DIR}/{pathway.id}.md"
        link = None if on_own_page else self.resolve(Target(TargetKind.PATHWAY, pathway.id), page.src) or None
        figure = pathway_figure(
            pathway,
            fid=fid,
            svg=self._slot(page, fid, key, embed_info(self.graphs[key], self.sources.terms)),
            terms=self.sources.terms,
            resolve=lambda t: self.resolve(t, page.src),
            label=label,
            link=link,
            open_steps=on_own_page or self.options.walkthrough_open,
            searchable=on_own_page,
            number_keys=self._keys(pathway.id),
        )
        return figure, cite.with_sources(pathway.caption, pathway.cite)

    def _drawn_problems(self, kind: str, ids: Iterable[str]) -> list[str]:
        """Problems of the pathway files a figure draws (left-out nodes, unknown terms): shown while serving."""
        if kind == "pathway-neighbourhood":
            return []
        files = {self.sources.pathways[i].source for i in ids if i in self.sources.pathways}
        return [str(p) for p in self.sources.problems if p.file in files]

    def _pathway_problems(self, ids: Iterable[str]) -> list[Problem]:
        wanted = {self.sources.broken_pathways.get(i) for i in ids}
        return [p for p in self.sources.problems if p.file in wanted]

    def _neighbourhood_figure(self, slug: str, page: PageState, fid: str, label: str) -> tuple[str, str]:
        key = DiagramKey(DiagramKind.TERM, slug)
        graph = self.graphs.get(key)
        if graph is None or key not in self.svgs:
            raise MechanismsError(
                [Problem("", 0, "", f"diagram 'term:{slug}' could not be rendered"), *self.render_problems]
            )
        figure = figure_html(
            fid=fid,
            svg=self._slot(page, fid, key, embed_info(graph, self.sources.terms)),
            caption_html="",
            label=label,
            title=graph.title,
            link=None,
            steps_html="",
            legend="",
            classes="mechanisms-neighbourhood",
        )
        return figure, escape_markdown(graph.description)

    def _inline_figure(self, text: str, page: PageState, line: int, fid: str, label: str) -> tuple[str, str]:
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
        if pathway is None or problems:
            raise MechanismsError(shifted(problems))
        if not self.drawing:
            return "", ""
        graph = pathway_graph(pathway, self.sources.terms)
        key = DiagramKey(DiagramKind.INLINE, f"{page.src}#{fid}")
        self.graphs[key] = graph
        self.render_legible({key: graph})
        if key not in self.svgs:
            raise MechanismsError(Problem(page.source, line, "", "this inline pathway could not be rendered"))
        figure = pathway_figure(
            pathway,
            fid=fid,
            svg=self._slot(page, fid, key, embed_info(graph, self.sources.terms)),
            terms=self.sources.terms,
            resolve=lambda t: self.resolve(t, page.src),
            label=label,
            link=None,
            open_steps=self.options.walkthrough_open,
            number_keys=self._keys(numbers.number_key("inline", f"{page.src}:{fid}")),
        )
        return figure, cite.with_sources(pathway.caption, pathway.cite)

    def _compare_figure(self, ids: list[str], page: PageState, fid: str, label: str) -> tuple[str, str]:
        comparison = compare([self.sources.pathways[i] for i in ids])
        graph = comparison_graph(comparison, self.sources.terms)
        key = DiagramKey(DiagramKind.COMPARE, comparison.name)
        if key not in self.svgs:
            self.render_legible({key: graph})
        if key not in self.svgs:
            raise MechanismsError(Problem("", 0, "", f"comparison '{comparison.name}' could not be rendered"))
        self.exports[f"{PATHWAYS_DIR}/compare/{comparison.name}.json"] = (
            json.dumps(comparison.to_json(), indent=2, ensure_ascii=False) + "\n"
        )
        summary = html.escape(comparison.summary(self.sources.terms))
        figure = figure_html(
            fid=fid,
            svg=self._slot(page, fid, key, embed_info(graph, self.sources.terms)),
            caption_html=f'<span class="mechanisms-compare-summary">{summary}</span>',
            label=label,
            title=graph.title,
            link=None,
            steps_html=compare_table_html(
                comparison, self.sources.terms, lambda t: self.resolve(t, page.src), fid=fid
            ),
            legend=compare_key_html(comparison),
            classes="mechanisms-compare",
            pathway_id=" ".join(ids),
            number_keys=self._keys(*ids),
        )
        return figure.replace(f'aria-describedby="{fid}-steps"', ""), ""

    def finish_html(self, text: str, page: PageState) -> str:
        """Put captions into their figures, link terms and record where each term is mentioned."""
        if page.notices and self.reporter.serving:
            text = error_html(page.notices) + "\n" + text
        if page.figures:

            def place(match: re.Match[str]) -> str:
                figure, with_caption = page.figures.get(int(match.group(1)), ("", False))
                caption = re.sub(r"^<p>(.*)</p>$", r"\1", match.group(2).strip(), flags=re.S)
                if with_caption and caption and "<figcaption" in figure:
                    return figure.replace("</strong>", "</strong> " + caption, 1)
                return figure

            text = pages.sub_figures(text, place)
        term = self.term_of(page.src)
        result = self.linker.link(
            text,
            lambda slug: self.resolve(Target(TargetKind.GLOSSARY, slug), page.src),
            skip_slug=term.slug if term else None,
        )
        if self.options.link != "none":
            text = result.html
        if page.src != f"{self.options.glossary}/index.md":
            for mention in result.mentions:
                self.record.mentions[mention.slug].append((page.src, mention))
        return text

    # -- site-wide -----------------------------------------------------------------
    def number_citations(self, ordered: Sequence[tuple[PageState, str]]) -> None:
        """Number citations by first use, in reading order, and note where each is cited."""
        self.record.numbering = numbering = cite.Numbering()
        outside = self.options.outside_article
        own = (f"{PATHWAYS_DIR}/*", f"{self.options.glossary}/*")  # they show the article's figures again
        self.record.figures = numbers.number_site(
            [(p.src, c) for p, c in ordered], outside, generated=own
        ).numbers
        self.record.order = [p.src for p, _ in ordered]
        bib = self.sources.bibliography
        for page, content in ordered:
            self.record.titles[page.src] = page.title or page.src
            if bib is None:
                continue
            article = not numbers.outside(page.src, outside)
            uses = [(m.start(), cite.placeholder_keys(m)) for m in cite.PLACEHOLDER.finditer(content)]
            uses += [(at, arg.split(",")) for at, arg in positions(content, Slot.SOURCES)]
            for at, cited in sorted(uses, key=lambda use: use[0]):
                keys = [k for k in cited if k in bib]
                numbering.visit(keys, self._citing_place(page, content, at) if article else None)
        if bib is not None:
            unused = sorted(set(bib.references) - set(numbering.numbers))
            if unused:
                log.info("%d bibliography entries are never cited: %s", len(unused), ", ".join(unused))

    def _citing_place(self, page: PageState, content: str, position: int) -> tuple[str, str, str, str]:
        """(page title, page, section, section link) for a "cited on" back-link.

        The section is the walkthrough step holding the citation, else the heading above it.
        """
        title = page.title or page.src
        start = content.rfind(_STEP, 0, position)
        if start >= 0 and content.find("</li>", start, position) == -1:
            anchor = content[start + len(_STEP) : content.index('"', start + len(_STEP))]
            return title, page.src, f"step {anchor.rsplit('-', 1)[-1]}", f"{page.src}#{anchor}"
        headings = list(_HEADING.finditer(content, 0, position))
        if headings:
            text = re.sub(r"<a\b[^>]*headerlink[^>]*>.*?</a>|<[^>]+>", "", headings[-1].group(2), flags=re.S)
            return title, page.src, html.unescape(text).strip(), f"{page.src}#{headings[-1].group(1)}"
        return title, page.src, "", ""

    def fill_page(self, text: str, page: PageState) -> str:
        """Fill the site-wide slots of one page: citations, references, back-links."""
        bib = self.sources.bibliography
        numbering = self.record.numbering
        text = numbers.FigureNumbers(self.record.figures).fill(text, self.options.figure_label)
        if bib is not None:
            text = cite.substitute(
                text,
                lambda cluster: cite.citation_html(
                    cluster,
                    numbering,
                    bib,
                    lambda k: self.resolve(cite.fragment(k), page.src),
                ),
            )
        fillers: dict[Slot, Filler] = {Slot.MENTIONED: lambda slug: self._mentioned_html(slug, page)}
        if bib is not None:
            fillers[Slot.REFERENCE_TEXT] = lambda key: (
                cite.entry_html(bib.references[key]) if key in bib.references else ""
            )
            fillers[Slot.SOURCES] = lambda keys: cite.sources_html(
                keys.split(","), numbering, bib, lambda k: self.resolve(cite.fragment(k), page.src)
            )
            fillers[Slot.REFERENCES] = lambda _: cite.references_html(
                bib, numbering, lambda u: self._back(u, page), self.record.order
            )
        # What authors write where their own references page lists the references (documented);
        # in HTML, so that the same line shown in a code example stays text.
        text = fill(text.replace(pages.REFERENCES_MARKER, slot(Slot.REFERENCES)), fillers)
        return text if self.options.tooltips else _TIP_ATTRS.sub("", text)

    def _back(self, place: str, page: PageState) -> str:
        src, _, fragment = place.partition("#")
        return self.resolve(Target(TargetKind.PAGE, src, fragment), page.src) or place

    def _mentioned_html(self, slug: str, page: PageState) -> str:
        by_page: dict[str, list[Mention]] = {}
        for src, mention in self.record.mentions.get(slug, []):
            if src != page.src and not numbers.outside(src, self.options.outside_article):
                by_page.setdefault(src, []).append(mention)
        rank = {src: i for i, src in enumerate(self.record.order)}
        listed = []
        for src in sorted(by_page, key=lambda s: (rank.get(s, len(rank)), s)):  # reading order
            title = self.record.titles.get(src) or src
            found: dict[str, str] = {}
            for mention in by_page[src]:
                if mention.anchor and mention.heading and mention.heading != title:
                    found.setdefault(mention.anchor, mention.heading)
            url = self.resolve(Target(TargetKind.PAGE, src), page.src)
            listed.append(sections.MentionedPage(title, url, tuple(found.items())))
        return sections.mentioned_on_html(listed)

    def hold_excluded(self, text: str, page: PageState) -> str:
        """Set aside the figure blocks search skips, so that the search indexer never parses them.

        Embedded figures repeat their pathway's walkthrough and legend, marked
        ``data-search-exclude``; :meth:`fill_svgs` puts them back, so the written page is the same.
        """
        out: list[str] = []
        done = 0
        while (start := text.find(_HELD_OPEN, done)) >= 0:
            tag_end = text.find(">", start)
            end = text.find("</details>", tag_end)
            if tag_end < 0 or end < 0:
                break
            if " data-search-exclude" not in text[start:tag_end]:
                out.append(text[done : tag_end + 1])
                done = tag_end + 1
                continue
            end += len("</details>")
            out += (text[done:start], slot(Slot.HELD, str(len(page.held))))
            page.held.append(text[start:end])
            done = end
        if not out:
            return text
        out.append(text[done:])
        return "".join(out)

    def fill_svgs(self, text: str, page: PageState) -> str:
        """Put a page's diagrams (and the blocks set aside from search) in place, links relative to that page."""
        if not page.svgs and not page.held:
            return text
        root = root_prefix(page.url) if self.glossary_url is None else ""

        def svg(fid: str) -> str:
            key, info = page.svgs.get(fid, (None, None))
            if key is None or info is None or key not in self.svgs:
                return ""
            return self._embed(key, info, fid).replace(_ROOT, root)

        def held(index: str) -> str:
            number = int(index) if index.isdigit() else -1
            return fill(page.held[number], {Slot.SVG: svg}) if 0 <= number < len(page.held) else ""

        return fill(text, {Slot.SVG: svg, Slot.HELD: held})

    def page_done(self, page: PageState) -> None:
        """Drop what only the page's own writing needed (its diagrams' places, the blocks set aside)."""
        page.svgs, page.held, page.figures = {}, [], {}

    def _embed(self, key: DiagramKey, info: EmbedInfo, fid: str) -> str:
        """A diagram embedded under id ``fid``, its links from the site root (``_ROOT``).

        Embedded once per diagram and content, with a stand-in for the id, and kept in the
        cache: each page then only swaps in its id and its way up to the root.
        """
        raw = self.svgs[key]

        def make(prefix: str) -> str:
            embedded = embed_svg(raw, prefix, self._from_root, info, narrow=key.narrow)
            return embedded if self.options.tooltips else _TIP_ATTRS.sub("", embedded)

        if _FID in raw or _ROOT in raw:  # the diagram's own text holds a stand-in: no shortcut
            return make(fid)
        parts = [raw, repr(info), str(key.narrow), str(self.options.tooltips)]
        parts += [self._from_root(target) for target in _svg_targets(raw)]
        return self.runner.memo("embed", parts, lambda: make(_FID), keep=False).replace(_FID, fid)

    def _from_root(self, target: str) -> str:
        url = self.site_url(Target.parse(target))
        if not url or self.glossary_url is not None:
            return url
        return _ROOT + (url.removeprefix("./") or "./")
