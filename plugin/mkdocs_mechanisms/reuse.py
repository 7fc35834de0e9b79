"""Pages kept from the previous build and reused while nothing they used has changed.

A host that keeps its plugin between builds (``mkdocs serve``) keeps one
:class:`PageCache`. Each page rendered is kept as its HTML *before* its slots are
filled, with what the engine noted while rendering it (its diagrams' places, its
mentions, the sources it used and their fingerprints) and what the host needs (its
table of contents, title). The next build reuses a page whose Markdown, whose site-wide
inputs (options, page set, the glossary's words, the host's Markdown settings) and
whose used sources (``deps.py``) are unchanged: the page skips the Markdown conversion
and the engine's work, and its slots are filled again with the rest, so citation and
figure numbers, "cited on" and "Mentioned on" lists always come from this build.
A page that showed a problem is never kept. The cache lives in memory only: a new
server starts empty, which costs one full build, never a wrong page.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .deps import BIBLIOGRAPHY, GLOSSARY, Kind, Source, digest
from .diagrams import DiagramKey, DiagramKind
from .linker import Mention
from .links import PATHWAYS_DIR
from .options import Options
from .record import PageState
from .render.graph import DrawGraph
from .render.svg import EmbedInfo
from .sources import Sources

if TYPE_CHECKING:
    from .site import Site


@dataclass
class Kept:
    """One page as the previous build left it, before its slots were filled."""

    key: str
    """The page's Markdown and the site-wide inputs, fingerprinted."""
    prints: dict[Source, str]
    """Each source the page used, and its fingerprint then."""
    html: str
    title: str
    svgs: dict[str, tuple[DiagramKey, EmbedInfo]]
    mentions: list[Mention]
    graphs: dict[DiagramKey, DrawGraph]
    """Diagrams the page itself added (inline pathways, comparisons)."""
    exports: dict[str, str]
    host: dict[str, Any] = field(default_factory=dict)
    """What the host needs back (MkDocs: the table of contents, the title, anchors)."""


class Fingerprints:
    """The fingerprint of each source of one build, each file read once."""

    def __init__(self, root: Path, sources: Sources, bibliography: Path, options: Options) -> None:
        self.root = root
        self.sources = sources
        self.bibliography = bibliography
        self.options = options
        self._files: dict[str, str] = {}
        self._known: dict[Source, str] = {}

    @classmethod
    def of(cls, site: Site) -> Fingerprints:
        """The fingerprints of a site's loaded sources."""
        return cls(site.root, site.sources, site.bib_path, site.options)

    def page(self, uses: Iterable[Source]) -> str:
        """One fingerprint of every source a page used (``site.deps.of(src)``): it changes when any does."""
        return digest(*(f"{s.kind}:{s.name}:{self(s)}" for s in sorted(uses)))

    def __call__(self, source: Source) -> str:
        if source not in self._known:
            self._known[source] = self._print(source)
        return self._known[source]

    def site(self, pages: list[str], host: str) -> str:
        """What every page depends on: options, the page set, the glossary's words, the host's settings."""
        words = sorted((t.slug, t.names(), t.link, t.kind) for t in self.sources.terms.values())
        return digest(repr(self.options), repr(sorted(pages)), repr(words), host)

    def _print(self, source: Source) -> str:
        sources = self.sources
        if source.kind is Kind.PATHWAY:
            found = sources.pathways.get(source.name)
            return self._file(found.source if found else sources.broken_pathways.get(source.name, ""))
        if source.kind is Kind.TERM:
            term = sources.terms.get(source.name)
            return self._file(term.source) if term else "absent"
        if source.kind is Kind.APPEARS:
            return digest(*sorted(p.id for p in sources.pathways.values() if source.name in p.terms()))
        if source == GLOSSARY:
            return digest(*(f"{slug}:{self(Source(Kind.TERM, slug))}" for slug in sorted(sources.terms)))
        assert source == BIBLIOGRAPHY
        style = self.options.csl_style
        style_file = self._file(style) if style.endswith(".csl") else style
        return digest(self._file(str(self.bibliography)), style_file)

    def _file(self, name: str) -> str:
        if not name:
            return "absent"
        if name not in self._files:
            try:
                self._files[name] = digest((self.root / name).read_bytes())
            except OSError:
                self._files[name] = "absent"
        return self._files[name]


class PageCache:
    """Pages kept across the builds of one server, and which pages the last build rendered."""

    def __init__(self) -> None:
        self.kept: dict[str, Kept] = {}
        self.rendered: list[str] = []
        """Pages the last build converted (the others were reused)."""
        self.reused: list[str] = []

    def begin(self) -> None:
        """A new build."""
        self.rendered, self.reused = [], []

    def clear(self) -> None:
        """Forget every page (the server stops)."""
        self.kept.clear()
        self.begin()

    def valid(self, src: str, key: str, prints: Fingerprints) -> Kept | None:
        """The kept page, if its Markdown, the site and every source it used are as they were."""
        kept = self.kept.get(src)
        if kept is None or kept.key != key or any(prints(s) != p for s, p in kept.prints.items()):
            return None
        return kept


class Reuse:
    """One build's side of a :class:`PageCache`: pages taken up from it, pages kept in it."""

    def __init__(self, site: Site, cache: PageCache, host: str) -> None:
        self.site = site
        self.cache = cache
        self.host = host
        """The host's settings that shape every page's HTML, fingerprinted."""
        self._prints: Fingerprints | None = None
        self._site_key = ""
        self._keys: dict[str, str] = {}
        cache.begin()

    def take(self, src: str, inputs: str, *, source: str, first_line: int) -> Kept | None:
        """The kept page for ``src`` taken up into this build, or ``None`` (then the page is begun).

        ``inputs``: everything of the page the host has (its Markdown, front matter), as text.
        """
        site = self.site
        prints = self.prints()
        key = self._keys[src] = digest(inputs, self._site_key)
        kept = self.cache.valid(src, key, prints)
        if kept is None:
            site.begin_page(src, source=source, first_line=first_line)
            return None
        del self._keys[src]
        state = PageState(src, site.links.url(src), source, first_line, kept.title, svgs=dict(kept.svgs))
        state.uses, state.mentioned = set(kept.prints), list(kept.mentions)
        site.adopt(state)
        for mention in kept.mentions:
            site.record.mentions[mention.slug].append((src, mention))
        site.deps.record(src, kept.prints)
        for diagram, graph in kept.graphs.items():
            site.diagrams.add(diagram, graph)
        site.figures.exports.update(kept.exports)
        self.cache.reused.append(src)
        return kept

    def keep(self, page: PageState, html: str, host: dict[str, Any]) -> None:
        """Keep a page this build rendered, with what the host needs back (not one that showed a problem)."""
        key = self._keys.pop(page.src, None)
        if key is None:
            return
        self.cache.rendered.append(page.src)
        if page.troubled:
            self.cache.kept.pop(page.src, None)
            return
        diagrams = self.site.diagrams
        own = {k for k, _ in page.svgs.values() if k.kind in (DiagramKind.INLINE, DiagramKind.COMPARE)}
        bases = {DiagramKey(k.kind, k.name) for k in own}
        exports = self.site.figures.exports
        paths = [f"{PATHWAYS_DIR}/compare/{k.name}.json" for k in bases if k.kind is DiagramKind.COMPARE]
        self.cache.kept[page.src] = Kept(
            key,
            {s: self.prints()(s) for s in page.uses},
            html,
            page.title,
            dict(page.svgs),
            list(page.mentioned),
            {k: diagrams.graphs[k] for k in bases if k in diagrams.graphs},
            {path: exports[path] for path in paths if path in exports},
            host,
        )

    def prints(self) -> Fingerprints:
        """This build's fingerprints (made once its sources are loaded)."""
        if self._prints is None:
            site = self.site
            self._prints = Fingerprints.of(site)
            self._site_key = self._prints.site(list(site.pages()), self.host)
        return self._prints


def host_key(config: Any) -> str:
    """MkDocs' settings that shape every page's HTML: its configuration file, Markdown settings, URLs."""
    path = Path(str(config.config_file_path or ""))
    try:
        text = path.read_bytes() if path.is_file() else b""
    except OSError:
        text = b""
    names = [str(e) for e in config.markdown_extensions if isinstance(e, str)]
    return digest(text, repr(names), repr(config.mdx_configs), repr(config.use_directory_urls))
