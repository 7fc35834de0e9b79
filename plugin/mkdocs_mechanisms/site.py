"""The site engine's facade: one build's lifecycle, the same for every host.

:class:`Site` owns nothing but the order of things; each part of the work is a
collaborator with one job: :class:`.folders.Folders` (where sources are),
:class:`.links.Links` (the page set and URL policy), :class:`.diagrams.Diagrams`
(graphs, SVGs, embedding, exports), :class:`.figures.Figures` (one builder per
fence kind), :class:`.citations.Citations` (uses, numbering, fillers), the
:class:`.record.Record` and the :class:`.reporter.Reporter`. Every driver
(MkDocs' plugin, the Zensical preparation, ``check`` and the tests) calls:

1. :meth:`Site.start`: check the folders, load every source, render the known
   diagrams, list the generated pages;
2. per page, :meth:`Site.begin_page`, then (through the Markdown extension)
   :meth:`Site.prepare_markdown`, :meth:`Site.citation`, :meth:`Site.finish_html`;
3. :meth:`Site.number` once every page's HTML exists, then :meth:`Site.fill_page`
   per page (one pass over its slots, ``deferred.py``);
4. :meth:`Site.finish`: the exports found on the way; a build with problems stops here.

Zensical's page process picks up a prepared build with :meth:`Site.resume`.
"""

from __future__ import annotations

import html
import posixpath
import re
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from . import bibstore, cite, deps, identifiers, pages, sections
from .citations import Citations
from .deferred import CLASS as SLOT_CLASS
from .deferred import Filler, Found, Slot, arguments, fill, hold, positions, slot
from .deps import Dependencies
from .diagrams import TIP_ATTRS, Diagrams, make_runner
from .errors import Problem
from .figure import error_html
from .figures import Figures
from .folders import Folders
from .generate import ASSET_DIR, SCRIPTS, STYLESHEETS, Generated, exports_of, generated
from .glossary import related_terms
from .linker import Linker, LinkRules
from .links import PATHWAYS_DIR, Links, Target, TargetKind
from .logs import log
from .model import Pathway, Term
from .numbers import label, number_site, outside
from .options import Options
from .parts import Parts
from .places import OptionPlaces
from .record import PageState, Record
from .render.runner import GraphvizRunner
from .reporter import Reporter
from .sources import Sources

__all__ = [
    "ASSET_DIR",
    "PATHWAYS_DIR",
    "SCRIPTS",
    "STYLESHEETS",
    "Generated",
    "PageState",
    "Record",
    "Site",
    "body_first_line",
]


REFERENCES_MARKER = "<!--mechanisms-references-->"
"""What authors write where their own references page lists the references (documented input,
read in the page's HTML so that the same line shown in a code example stays text)."""


def _relative(path: Path, root: Path) -> str:
    """``path`` relative to ``root`` (posix), or as written when it lies elsewhere."""
    try:
        return path.absolute().relative_to(root.absolute()).as_posix()
    except ValueError:
        return path.as_posix()


def body_first_line(source: str, markdown: str) -> int:
    """Line number in ``source`` (a whole file) of the first line of ``markdown`` (its body)."""
    head = markdown[:200]
    index = source.find(head) if head else -1
    return source.count("\n", 0, index) + 1 if index >= 0 else 1


class Site:
    """One build of one site, as a lifecycle over the collaborators that do the work."""

    PRIVATE_PATTERN = "*.bib"
    """The files :meth:`is_private_source` names, as an ``exclude_docs`` pattern (Zensical)."""

    def __init__(
        self,
        root: Path,
        docs_dir: Path,
        options: Options,
        *,
        serving: bool = False,
        warn: Callable[[str], None] | None = None,
        runner: GraphvizRunner | None = None,
        links: Links | None = None,
        drawing: bool = True,
        places: OptionPlaces | None = None,
    ) -> None:
        self.folders = Folders.of(root, docs_dir, options, places)
        self.root, self.docs_dir = self.folders.root, self.folders.docs_dir
        self.diagrams_dir, self.bib_path = self.folders.diagrams_dir, self.folders.bib_path
        self.options = options
        self.reporter = Reporter(serving=serving, warn=warn or log.warning)
        self.links = links or Links(options)
        self.runner = runner or make_runner(self.root, options)
        self.runner.begin()  # one Graphviz time budget per build, the version probe included
        self.diagrams = Diagrams(self.runner, self.reporter, self.links, tooltips=options.tooltips)
        self.drawing = drawing
        """False for ``check``: every source and page is read and validated as in a build, nothing drawn."""
        self.sources = Sources()
        self.record = Record()
        self.citations = Citations(self.record, self.links, self.reporter, options.outside_article)
        self.figures = Figures(self.sources, self.diagrams, self.links, options, self.reporter)
        self.linker = Linker([], LinkRules(mode=options.link, hyphen_compounds=options.hyphen_compounds))
        self._pages: dict[str, PageState] = {}
        self.current: PageState | None = None
        self.deps = Dependencies()
        """What each page rendered in this build used (``deps.py``): :meth:`dependents` reads it."""

    make_runner = staticmethod(make_runner)

    # -- start ---------------------------------------------------------------------------
    def start(
        self,
        srcs: Iterable[str],
        exists: Callable[[str], bool] | None = None,
        *,
        has_nav: bool = True,
        heading_ids: bool = False,
    ) -> list[Generated]:
        """Check the folders, load every source (``srcs``: the docs' files) and list what is generated.

        ``exists(path)`` says whether the author wrote a file (the docs' files by default); what
        is returned excludes those. Problems are reported; a build stops at :meth:`finish`.
        """
        srcs = list(srcs)
        exists = exists or set(srcs).__contains__
        self.folders.check()
        self.load(self.glossary_sources(srcs))
        self.links.set_pages(srcs)
        added = generated(
            self.sources,
            self.diagrams,
            self.links,
            self.options,
            self.reporter,
            exists,
            has_nav=has_nav,
            heading_ids=heading_ids,
        )
        added = [item for item in added if not exists(item.path)]
        self.links.set_pages([*srcs, *(item.path for item in added)])
        return added

    def resume(self, glossary_files: Sequence[Path], pages: Iterable[str], record: Record) -> None:
        """Pick up a build prepared in another process (Zensical): its sources, pages and record."""
        self.load(glossary_files)
        self.links.set_pages(pages)
        self.record = self.citations.record = record

    def glossary_sources(self, srcs: Iterable[str]) -> list[Path]:
        """The glossary pages among the docs' source paths (not the index); nested ones are reported."""
        found, problems = self.folders.glossary_pages(srcs)
        self.reporter.add(problems)
        return found

    def load(self, glossary_files: Sequence[Path]) -> None:
        """Read every source, build the linker and render every known diagram in one batch."""
        options = self.options
        identifiers.use_cache(self.runner.cache_dir)  # CURIEs checked before: no registry import
        bibstore.use(self.runner.memos)  # a bibliography read before is not read again
        sources = self.sources = self.folders.load(glossary_files, self.reporter)
        identifiers.save_cache()
        missing_diagrams, no_bibliography = self.folders.missing(sources, self.reporter)
        self.linker = Linker(
            sources.terms.values(), LinkRules(mode=options.link, hyphen_compounds=options.hyphen_compounds)
        )
        self.citations.load(sources, no_bibliography)
        self.diagrams.load(sources, draw=self.drawing)
        self.figures = Figures(
            sources,
            self.diagrams,
            self.links,
            options,
            self.reporter,
            missing=missing_diagrams,
            drawing=self.drawing,
            cites=self.citations.active,
        )

    # -- what hosts ask ------------------------------------------------------------------
    @property
    def serving(self) -> bool:
        """Whether problems show on their pages instead of stopping the build."""
        return self.reporter.serving

    def report(self, problems: Iterable[Problem]) -> None:
        """Problems a host met on the way (a file it cannot read), reported as the engine's own."""
        self.reporter.add(problems)

    def watched(self) -> list[Path]:
        """Source folders outside the docs that a serving host watches too."""
        return [self.diagrams_dir] if self.diagrams_dir.is_dir() else []

    def is_private_source(self, src: str) -> bool:
        """A bibliography in the docs folder: a source, never published as it is."""
        return self.folders.is_private(src)

    def is_term_page(self, src: str) -> bool:
        """A glossary page of a known term (kept out of the navigation, like pathway pages)."""
        return self.term_of(src) is not None

    def term_of(self, src: str) -> Term | None:
        """The term whose own page ``src`` is."""
        prefix = self.options.glossary + "/"
        if not src.startswith(prefix) or "/" in src[len(prefix) :]:
            return None
        return self.sources.terms.get(posixpath.splitext(src[len(prefix) :])[0])

    def pages(self) -> list[str]:
        """Every page of the site (authored and generated), by source path."""
        return sorted(self.links.pages())

    def adopt(self, state: PageState) -> None:
        """A page kept from an earlier build (``reuse.py``): no conversion works on it in this one."""
        self._pages[state.src] = state
        self.current = None

    def page(self, src: str) -> PageState | None:
        """The page begun for ``src``, if any."""
        return self._pages.get(src)

    def set_title(self, src: str, title: str) -> None:
        """A page's title as the host knows it (its "cited on" and "Mentioned on" entries name it)."""
        if src in self._pages:
            self._pages[src].title = title

    # -- per page --------------------------------------------------------------------------
    def begin_page(
        self, src: str, *, source: str | None = None, first_line: int = 1, title: str = ""
    ) -> PageState:
        """Start a page (the extension then works on it until the next call)."""
        state = PageState(
            src, self.links.url(src), source or src, first_line, title or self.record.titles.get(src, "")
        )
        self._pages[src] = self.current = state
        return state

    def prepare_markdown(self, markdown: str, page: PageState) -> str:
        """A page's Markdown with citations marked, figures as slots and a term's sections added."""
        own = [p for p in self.sources.problems if p.file == page.source]
        if page.src == self.options.references_page:
            own += [p for p in self.sources.problems if p.file.endswith(self.bib_path.name)]
        notices = [str(p) for p in own]
        page.uses.update(deps.index_uses(page.src, self.options.glossary, self.sources.pathways))
        page.markers = cite.find_markers(markdown, page.first_line) if self.citations.active else []
        page.notices = []
        term = self.term_of(page.src)
        if term is not None:
            markdown = _term_page(markdown, page, term, self.diagrams.by_term, self.sources.terms)
        markdown = self.figures.place(markdown, page, notices)
        page.troubled = page.troubled or bool(notices)
        if notices and self.serving:
            markdown = "\n" + error_html(notices) + "\n\n" + markdown
        return markdown

    def citation(
        self, page: PageState, match: re.Match[str], unstash: Callable[[str], str] = str
    ) -> cite.Reading | None:
        """What a citation candidate the Markdown parser reached is (see :meth:`.Citations.read`)."""
        page.uses.add(deps.BIBLIOGRAPHY)  # whether it is a citation, and its number, come from there
        return self.citations.read(page, match, unstash)

    def finish_html(self, text: str, page: PageState) -> str:
        """Put the figures in place, link terms and record where each term is mentioned."""
        if page.notices and self.serving:
            text = error_html(page.notices) + "\n" + text
        placed = arguments(text, Slot.FIGURE) if page.figures else []
        text = self.figures.fill(text, page)
        for arg in placed:  # in place now: a large site held every figure twice until its page was written
            page.figures.pop(int(arg) if arg.isdigit() else 0, None)
        parts = Parts(self.sources.pathways, self.sources.terms, self.links)
        text = parts.fill(text, page.src, linked=False)  # the sections the linker reads; the rest after it
        term = self.term_of(page.src)
        result = self.linker.link(
            text,
            lambda slug: self.links.resolve(Target(TargetKind.GLOSSARY, slug), page.src),
            skip_slug=term.slug if term else None,
        )
        text = parts.fill(result.html if self.options.link != "none" else text, page.src, linked=True)
        if page.src != f"{self.options.glossary}/index.md":
            page.mentioned += result.mentions  # toc's labels come through here too, before the page
            for mention in result.mentions:
                self.record.mentions[mention.slug].append((page.src, mention))
        page.uses.update(deps.term(mention.slug) for mention in result.mentions)
        text = text.replace(REFERENCES_MARKER, slot(Slot.REFERENCES))
        if positions(text, {Slot.REFERENCES, Slot.SOURCES}):  # filled from the bibliography
            page.uses.add(deps.BIBLIOGRAPHY)
        page.troubled = page.troubled or bool(page.notices)
        self.deps.record(page.src, page.uses)
        return text

    def dependents(self, changed: Iterable[str | Path]) -> set[str]:
        """The pages (by source path) to render again after the files ``changed`` were edited.

        See :func:`.deps.dependents`; paths are absolute or relative to the project root.
        """
        by_file = deps.sources_by_file(self.sources, _relative(self.bib_path, self.root))
        paths = [Path(c) if Path(c).is_absolute() else self.root / c for c in changed]
        files = [_relative(path, self.root) for path in paths]
        pages = [_relative(path, self.docs_dir) for path in paths]
        return deps.dependents(self.deps, files, pages, by_file, every=set(self._pages))

    # -- once every page exists ----------------------------------------------------------
    def number(self, ordered: Sequence[tuple[PageState, str]]) -> None:
        """Number figures and citations by first use in reading order (``ordered``: pages and their HTML)."""
        own = (f"{PATHWAYS_DIR}/*", f"{self.options.glossary}/*")  # they show the article's figures again
        self.record.figures = number_site(
            [(p.src, c) for p, c in ordered], self.options.outside_article, generated=own
        ).numbers
        self.record.order = [p.src for p, _ in ordered]
        for page, _content in ordered:
            self.record.titles[page.src] = page.title or page.src
        self.citations.number(ordered)

    def fill_page(self, text: str, page: PageState, *, search_first: bool = False) -> str:
        """Fill every slot of a page in one pass.

        ``search_first`` (MkDocs): the diagrams, and the figure blocks search skips, wait for
        :meth:`place_diagrams`, after the host's search has indexed the page.
        """
        if SLOT_CLASS in text:  # not in most toc labels (Zensical fills each; a page has dozens)
            fillers = _fillers(self, page)
            if search_first:
                del fillers[Slot.SVG], fillers[Slot.HELD]
            text = fill(text, fillers)
        text = text if self.options.tooltips else TIP_ATTRS.sub("", text)
        return _hold(text, page) if search_first else text

    def set_aside(self, text: str, page: PageState) -> str:
        """A page's finished HTML with the blocks search skips set aside now, kept compressed
        (MkDocs, building: the page is filled with ``search_first`` once every page exists).

        Its walkthroughs, legends and link lists were a third of what a large site's pages
        held while waiting; only blocks that filling leaves unchanged (no slot but diagrams) go.
        """
        return _hold(text, page, early=True, tooltips=self.options.tooltips)

    def place_diagrams(self, text: str, page: PageState) -> str:
        """The diagrams and blocks :meth:`fill_page` kept back, in place; the page is then done."""
        if page.svgs or page.held:
            fillers = _fillers(self, page)
            text = fill(text, {Slot.SVG: fillers[Slot.SVG], Slot.HELD: fillers[Slot.HELD]})
        page.done()
        return text

    def finish(self) -> list[Generated]:
        """The exports found while pages were built; raises for the build's problems (not while serving)."""
        identifiers.save_cache()  # the CURIEs of inline pathways too
        self.reporter.checkpoint()
        return exports_of(self.figures.exports)


def _fillers(site: Site, page: PageState) -> dict[Slot, Filler]:
    """One filler per slot kind for ``page``."""
    word = site.options.figure_label

    def svg(found: Found) -> str:
        key, info = page.svgs.get(found.arg, (None, None))
        if key is None or info is None or not site.diagrams.has(key):
            return ""
        return site.diagrams.embed(key, info, found.arg, page.src)

    return {
        Slot.FIGURE_NUMBER: lambda found: html.escape(label(site.record.figures, found.arg.split(), word)),
        Slot.MENTIONED: lambda found: _mentioned_html(
            site.record, site.links, site.options.outside_article, found.arg, page.src
        ),
        **site.citations.fillers(page),
        Slot.SVG: svg,
        Slot.HELD: lambda found: _held(page, found, svg),
    }


def _hold(text: str, page: PageState, *, early: bool = False, tooltips: bool = True) -> str:
    """``text`` with the blocks search skips set aside in ``page.held`` (see :func:`.deferred.hold`).

    They are kept compressed until the page is written: a large site's pages all wait at once
    (26 MiB of walkthroughs and lists on the large benchmark, about 4 compressed). ``early``:
    before the page is filled, so nothing is set aside if a block holds a slot other than a
    diagram (filling it later would change the order slots are filled in); without
    ``tooltips`` a block loses them now, as the page's other HTML does when filled.
    """
    before = len(page.held)
    held = [""] * before  # numbered after those set aside already (hold counts and appends)
    out = hold(text, held)
    found = held[before:]
    if early:
        if any(kind is not Slot.SVG for block in found for _, kind, _ in positions(block, _KINDS)):
            return text
        if not tooltips:
            found = [TIP_ATTRS.sub("", block) for block in found]
    page.held = page.held + [_pack(block) for block in found]
    return out


_KINDS = frozenset(Slot)


def _held(page: PageState, found: Found, svg: Filler) -> str:
    """A block :func:`_hold` set aside, its diagrams in place."""
    number = int(found.arg) if found.arg.isdigit() else -1
    return fill(_unpack(page.held[number]), {Slot.SVG: svg}) if 0 <= number < len(page.held) else ""


def _pack(block: str) -> bytes:
    """A held block as kept while its page waits to be written (fast zlib: HTML shrinks ~6x)."""
    return zlib.compress(block.encode("utf-8"), 1)


def _unpack(block: bytes) -> str:
    """The inverse of :func:`_pack`."""
    return zlib.decompress(block).decode("utf-8")


def _mentioned_html(record: Record, links: Links, outside_article: Sequence[str], slug: str, src: str) -> str:
    """A term's "Mentioned on" list as seen from its page ``src``."""
    listed = [
        sections.MentionedPage(title, links.resolve(Target(TargetKind.PAGE, page), src), tuple(found))
        for page, title, found in record.mentioned(slug, src, lambda other: outside(other, outside_article))
    ]
    return sections.mentioned_on_html(listed)


def _term_page(
    markdown: str,
    page: PageState,
    term: Term,
    by_term: Mapping[str, list[Pathway]],
    terms: Mapping[str, Term],
) -> str:
    """A term's own page: its facts above the author's definition, the generated sections below."""
    used = by_term.get(term.slug, [])
    page.uses.update(
        [deps.term(term.slug), deps.appears(term.slug), *(deps.pathway(p.id) for p in used)]
        + [deps.term(slug) for slug in related_terms(term.slug, used)]
    )
    markdown = pages.term_page_header(term, markdown)
    return markdown + pages.term_page_extras(term, used, terms)
