"""Diagrams of one build: the graphs, their rendered SVGs, embedding on pages, and the exports.

Every figure's diagram is drawn here, under a typed :class:`DiagramKey`:
graph → DOT → batched, cached Graphviz → SVG, laid out for the width it is
shown at. Embedding makes one SVG per diagram and figure id whose links stay
``mechanisms:`` targets; the page that shows it resolves them while its slots are
filled, so a cached embedding serves every page.
"""

from __future__ import annotations

import functools
import html
import json
import re
import zlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from .errors import Problem, RenderError
from .export.sbgn import export_sbgn
from .links import PATHWAYS_DIR, Links
from .model import Pathway, Term
from .options import Options
from .render.graph import LINK_SCHEME, DrawGraph, neighbourhood_graph, pathway_graph
from .render.layout import NARROW, legible
from .render.runner import GraphvizRunner
from .render.svg import EmbedInfo, embed_info, embed_svg, resolve_links, safe_url
from .reporter import Reporter
from .sources import Sources

TIP_ATTRS = re.compile(r'\sdata-tip-(?:title|text)="[^"]*"')
"""Tooltip attributes, dropped when the site turns tooltips off."""
_LINK_TARGET = re.compile(r'href="' + re.escape(LINK_SCHEME) + r'([^"]*)"')


def svg_targets(svg: str) -> list[str]:
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


def make_runner(root: Path, options: Options) -> GraphvizRunner:
    """A Graphviz runner with the options' cache."""
    cache = (root / options.cache_dir).resolve()
    return GraphvizRunner(cache, engine=options.engine, timeout=float(options.graphviz_timeout))


_STAND_IN = "@@mechanisms-fid@@"
"""The id prefix of a shared embedding, replaced by each page's figure id (not shared if an author wrote it)."""


class DrawnSvgs(Mapping[DiagramKey, str]):
    """Each drawn diagram's SVG, read from the runner's cache when asked.

    A build holds none of them: the cache has each on disk (in memory only without one),
    and a page's embedding is itself kept in the cache, so most are read once or not at all.
    """

    def __init__(self, runner: GraphvizRunner) -> None:
        self.runner = runner
        self._dots: dict[DiagramKey, bytes] = {}
        """The DOT each was drawn from, compressed: the key of its SVG, read a few times per build."""
        self._facts: dict[DiagramKey, tuple[str, tuple[str, ...], bool]] = {}

    def put(self, key: DiagramKey, dot: str) -> None:
        """``key`` is drawn from ``dot`` and stored in the runner's cache."""
        self._dots[key] = zlib.compress(dot.encode("utf-8"), 1)
        self._facts.pop(key, None)

    def facts(self, key: DiagramKey) -> tuple[str, tuple[str, ...], bool]:
        """(its SVG's cache key, the SVG's link targets, whether the SVG holds :data:`_STAND_IN`).

        What the key of an embedding needs, read from the SVG once per build rather than on every
        page that shows it: the SVG is what Graphviz draws from its DOT, so its cache key stands
        for its text.
        """
        found = self._facts.get(key)
        if found is None:
            raw = self[key]
            found = self._facts[key] = (
                self.runner.key(self.dot(key)),
                tuple(svg_targets(raw)),
                _STAND_IN in raw,
            )
        return found

    def dot(self, key: DiagramKey) -> str:
        """The DOT ``key`` was drawn from."""
        return zlib.decompress(self._dots[key]).decode("utf-8")

    def __getitem__(self, key: DiagramKey) -> str:
        dot = self.dot(key)
        # drawn again only if the cache lost it since (deleted during a serve)
        return self.runner.cached(dot) or self.runner.render(str(key), dot)

    def __contains__(self, key: object) -> bool:
        return key in self._dots

    def __iter__(self) -> Iterator[DiagramKey]:
        return iter(self._dots)

    def __len__(self) -> int:
        return len(self._dots)


class DrawnDots(Mapping[DiagramKey, str]):
    """The DOT Graphviz drew for each diagram: with straight edges where its router failed."""

    def __init__(self, svgs: DrawnSvgs) -> None:
        self.svgs = svgs

    def __getitem__(self, key: DiagramKey) -> str:
        if key not in self.svgs:
            raise KeyError(key)
        return self.svgs.runner.drawn(self.svgs.dot(key))

    def __iter__(self) -> Iterator[DiagramKey]:
        return iter(self.svgs)

    def __len__(self) -> int:
        return len(self.svgs)


class Diagrams:
    """The graphs, SVGs and DOT of one build, and what is made from them."""

    def __init__(self, runner: GraphvizRunner, reporter: Reporter, links: Links, *, tooltips: bool) -> None:
        self.runner = runner
        self.reporter = reporter
        self.links = links
        self.tooltips = tooltips
        self.svgs = DrawnSvgs(runner)
        self.dots = DrawnDots(self.svgs)
        """The DOT each figure was laid out from (the chosen layout)."""
        self.graphs: dict[DiagramKey, DrawGraph] = {}
        self.problems: list[Problem] = []
        """Why diagrams were not drawn (shown with the figures that miss them)."""
        self.by_term: dict[str, list[Pathway]] = {}
        """The pathways each term's node appears in."""

    def load(self, sources: Sources, *, draw: bool) -> None:
        """The graphs of every pathway and term neighbourhood; drawn in one batch when ``draw``."""
        terms = sources.terms
        figures: dict[DiagramKey, DrawGraph] = {}
        for pid, pathway in sources.pathways.items():
            key = DiagramKey(DiagramKind.PATHWAY, pid)
            self.graphs[key] = figures[key] = pathway_graph(pathway, terms)
        by_term: dict[str, list[Pathway]] = defaultdict(list)
        for pathway in sources.pathways.values():
            for slug in sorted(pathway.terms()):
                by_term[slug].append(pathway)
        self.by_term = dict(by_term)
        for slug in terms:
            neighbourhood = neighbourhood_graph(slug, self.by_term.get(slug, []), terms)
            if neighbourhood is not None:
                key = DiagramKey(DiagramKind.TERM, slug)
                self.graphs[key] = figures[key] = neighbourhood
        if draw:
            self.draw(figures)

    def has(self, key: DiagramKey) -> bool:
        """Whether ``key`` was drawn."""
        return key in self.svgs

    def add(self, key: DiagramKey, graph: DrawGraph) -> None:
        """Draw one more diagram (a fence's own), unless it is drawn already."""
        self.graphs.setdefault(key, graph)
        if key not in self.svgs:
            self.draw({key: graph})

    def draw(self, graphs: Mapping[DiagramKey, DrawGraph]) -> None:
        """Render figures laid out for the width they are shown at (wide, and phone where needed).

        The layout chosen for a graph is remembered by the graph's content, so a warm build
        (or a serve rebuild) lays out only the graphs whose inputs changed.
        """
        names = {str(key): key for key in graphs}
        memo = {name: self.runner.memos.key("layout", [repr(graphs[key])]) for name, key in names.items()}
        chosen: dict[str, str] = {}
        for name, key in memo.items():
            known = self.runner.memos.recall("layout", key, keep=False)
            if known is not None:
                dots = json.loads(known)
                chosen[name] = dots[0]
                if len(dots) > 1:
                    chosen[name + NARROW] = dots[1]
        try:
            found = {name for name, dot in chosen.items() if self.runner.stored(dot)}
            todo = {
                name: graphs[key]
                for name, key in names.items()
                if name not in found or (name + NARROW in chosen and name + NARROW not in found)
            }
            # candidates the search does not keep are never stored: the kept layouts are, as chosen
            layouts = legible(
                todo, functools.partial(self.runner.render_many, store=False), keep=self.runner.store
            )
        except RenderError as error:
            self.problems += error.problems
            self.reporter.add(error.problems)
            return
        for name, dot in chosen.items():
            if name.removesuffix(NARROW) not in todo:
                layouts.dots[name] = dot
        if not layouts.problems and not self.runner.out_of_time:  # a search cut short is not kept
            for name in todo:
                if name in layouts.dots:
                    dots = [layouts.dots[name]] + [
                        layouts.dots[n] for n in [name + NARROW] if n in layouts.dots
                    ]
                    self.runner.memos.remember("layout", memo[name], json.dumps(dots), keep=False)

        def key_of(name: str) -> DiagramKey:
            base = names[name.removesuffix(NARROW)]
            return replace(base, narrow=True) if name.endswith(NARROW) and name not in names else base

        for name, dot in layouts.dots.items():
            self.svgs.put(key_of(name), dot)
        for warning in layouts.warnings:
            self.reporter.warn(warning)
        self.problems += layouts.problems
        self.reporter.add(layouts.problems)

    # -- on pages ---------------------------------------------------------------------
    def embed(self, key: DiagramKey, info: EmbedInfo, fid: str, origin: str) -> str:
        """The diagram embedded under id ``fid`` on the page ``origin``, its links relative to that page.

        The embedding (ids, accessible names, tooltips) is kept in the cache with its
        ``mechanisms:`` links unresolved, so each page only resolves its links.
        """
        svg_key, targets, stand_in = self.svgs.facts(key)
        urls = {t: self.links.in_svg(t, origin) for t in targets}
        kept = {t for t, url in urls.items() if safe_url(url) and not url.startswith("/")}

        def url(target: str) -> str:
            found = urls.get(target)
            return self.links.in_svg(target, origin) if found is None else found

        def keep(target: str) -> str:
            return LINK_SCHEME + target if target in kept else url(target)

        # Embedded once per diagram under a stand-in id, shared by every page that shows it (a cold
        # build embeds each diagram once, not once per page); the page's own id is swapped in.
        described = info.text
        shared = not stand_in and _STAND_IN not in described  # unless an author wrote it
        prefix = _STAND_IN if shared else fid

        def make() -> str:
            embedded = embed_svg(self.svgs[key], prefix, keep, info, narrow=key.narrow)
            return embedded if self.tooltips else TIP_ATTRS.sub("", embedded)

        parts = [svg_key, described, str(key.narrow), str(self.tooltips), prefix]
        parts += [f"{t}={t in kept or urls[t]}" for t in targets]
        embedded = self.runner.memos.memo("embed", parts, make, keep=False)
        if shared:
            embedded = embedded.replace(_STAND_IN, fid)
        return resolve_links(embedded, url)

    # -- exports ----------------------------------------------------------------------
    def export(
        self, path: str, text: str | Callable[[], str], parts: Sequence[str] | None = None
    ) -> Path | str:
        """An export written to the cache as it is made (its text is not held until the build ends).

        ``text`` is the export, or what makes it from ``parts`` (its inputs) when they are new;
        the stored file, or the text itself without a cache.
        """
        make = text if callable(text) else lambda: text
        return self.runner.memos.memo_file(
            "export", [path, *(parts if parts is not None else [make()])], make
        )

    def export_svg(self, pathway: Pathway, path: str, terms: Mapping[str, Term]) -> Path | str:
        """``pathways/<id>.svg``: the diagram as a file, its links relative to that file."""
        key = DiagramKey(DiagramKind.PATHWAY, pathway.id)
        info = embed_info(self.graphs[key], terms)
        here = self.links.url(path)
        svg = self.svgs[key]

        def link(target: str) -> str:
            return self.links.from_file(target, here)

        def make() -> str:
            return '<?xml version="1.0" encoding="UTF-8"?>\n' + embed_svg(svg, "p", link, info) + "\n"

        return self.export(path, make, [svg, repr(info), *map(link, svg_targets(svg))])

    def export_sbgn(self, pathway: Pathway, sources: Sources) -> Path | str:
        """``pathways/<id>.sbgn``: the SBGN-ML map, laid out as the diagram is."""
        key = DiagramKey(DiagramKind.PATHWAY, pathway.id)
        graph, svg = self.graphs[key], self.svgs[key]
        used = {slug: sources.terms.get(slug) for slug in sorted(pathway.terms())}
        return self.export(
            f"{PATHWAYS_DIR}/{pathway.id}.sbgn",
            functools.partial(export_sbgn, pathway.id, sources, graph, svg),
            [pathway.id, repr(pathway), repr(graph), repr(used), svg],
        )
