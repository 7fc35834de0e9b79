"""MkDocs adapter: translates MkDocs events into calls to the engine (``site.py``).

* ``on_startup``: serving or building (a problem then shows on the page instead of stopping).
* ``on_config``: a new :class:`Site`; the Markdown extension, assets and watched folders.
* ``on_files`` (late): load and render; add generated pages, exports and assets.
* ``on_page_markdown``: tell the extension which page it renders; while serving, a page
  kept from the previous build whose inputs did not change is reused (``reuse.py``):
  MkDocs converts an empty body, and
* ``on_page_content`` hands back the kept HTML, table of contents and title; it notes
  the page's title once MkDocs knows it, and keeps a page just rendered.
* ``on_env``: number figures and citations in navigation order.
* ``on_page_context`` (before search indexes the page): fill the page's slots.
* ``on_post_page``: put the diagrams in place (after search has indexed the page).
"""

from __future__ import annotations

from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, InclusionLevel

from .config import MechanismsConfig, locate, option_places, read_options
from .errors import MechanismsError
from .leftovers import drop_prepared
from .links import Links
from .logs import log
from .markdown import MechanismsExtension
from .pages import theme_title
from .render.runner import GraphvizRunner
from .reuse import Kept, PageCache, Reuse, host_key
from .site import SCRIPTS, STYLESHEETS, Generated, Site, body_first_line

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.base import ConfigErrors, ConfigWarnings
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

T = TypeVar("T")


class MechanismsPlugin(BasePlugin[MechanismsConfig]):  # type: ignore[no-untyped-call]
    """Pathway diagrams, glossary, citations and comparisons for MkDocs."""

    supports_multiple_instances = False

    def __init__(self) -> None:
        self.is_serve = False
        self.runner: GraphvizRunner | None = None
        self.site: Site | None = None
        self.nav: Navigation | None = None
        self.cache = PageCache()
        """Pages kept across ``serve`` rebuilds (MkDocs keeps a plugin that has ``on_startup``)."""
        self.reuse: Reuse | None = None
        self.reusing: dict[str, Kept] = {}

    def load_config(
        self, options: dict[str, Any], config_file_path: str | None = None
    ) -> tuple[ConfigErrors, ConfigWarnings]:
        """MkDocs checks the options; each mistake is reported at the line that wrote it (config.py)."""
        return locate(super().load_config(options, config_file_path), config_file_path)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.is_serve = command == "serve"
        self.cache.clear()

    def on_shutdown(self) -> None:
        self.is_serve = False
        self.cache.clear()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        if not self.config.enabled:
            return None
        options = read_options(self.config)  # checked by MkDocs against options.SPECS
        root = Path(config.config_file_path or ".").resolve().parent
        runner = Site.make_runner(root, options)
        if self.runner is None or (self.runner.cache_dir, self.runner.engine, self.runner.timeout) != (
            runner.cache_dir,
            runner.engine,
            runner.timeout,
        ):
            self.runner = runner  # kept across serve rebuilds: its memory cache is warm
        self.site = Site(
            root,
            Path(config.docs_dir),
            options,
            serving=self.is_serve,
            warn=log.warning,
            runner=self.runner,
            links=Links(options, directory_urls=config.use_directory_urls),
            places=option_places(config.config_file_path),
        )
        self.nav = None
        self.reusing = {}
        self.reuse = Reuse(self.site, self.cache, host_key(config)) if self.is_serve else None
        config.markdown_extensions.append(MechanismsExtension(site=self.site))  # type: ignore[arg-type]
        config.watch.extend(str(path) for path in self.site.watched() if str(path) not in config.watch)
        config.extra_css.extend(STYLESHEETS)
        config.extra_javascript.extend(SCRIPTS)
        return config

    @event_priority(-50)
    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files | None:
        if self.site is None:
            return None
        site = self.site
        for stale in drop_prepared(site, [f.src_uri for f in files]):  # left by a Zensical run
            files.remove(files.get_file_from_path(stale))  # type: ignore[arg-type]
        for private in [f for f in files if f.generated_by is None and site.is_private_source(f.src_uri)]:
            files.remove(private)  # the bibliography is a source, not a page: never copied into site/
        generated = _guard(  # problems stop the build in on_env, once every page has reported its
            lambda: site.start(  # own: one run names every mistake of the site
                [f.src_uri for f in files],
                lambda p: files.get_file_from_path(p) is not None,
                has_nav=bool(config.nav),
                heading_ids="attr_list" in config.markdown_extensions,
            )
        )
        hide = InclusionLevel.NOT_IN_NAV
        for file in files.documentation_pages():
            if file.generated_by is None and site.is_term_page(file.src_uri):
                file.inclusion = hide
        for item in generated:
            files.append(_file(config, item, hide))
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation | None:
        self.nav = nav
        return None

    def on_page_markdown(
        self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if self.site is None:
            return None
        file = page.file
        source, first = file.src_uri, 1
        if file.abs_src_path:
            path = Path(file.abs_src_path).resolve()
            source = (
                path.relative_to(self.site.root).as_posix() if path.is_relative_to(self.site.root) else source
            )
            first = body_first_line(file.content_string, markdown)
        if self.reuse is None:
            self.site.begin_page(file.src_uri, source=source, first_line=first)
            return None
        inputs = f"{markdown}\0{page.meta!r}\0{first}"  # front matter is not in the body
        kept = self.reuse.take(file.src_uri, inputs, source=source, first_line=first)
        if kept is None:
            return None
        self.reusing[file.src_uri] = kept
        return ""  # nothing to convert: on_page_content hands back the kept page

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
        src = page.file.src_uri
        kept = self.reusing.pop(src, None)
        if kept is not None:
            html = kept.html
            _restore(page, kept.host, files)
        if self.site is not None:
            self.site.set_title(src, unescape(page.title or ""))  # titles are HTML text
        state = self.site.page(src) if self.site is not None else None
        if kept is None and self.reuse is not None and state is not None:
            self.reuse.keep(state, html, _host_part(page))
        if page.title:  # themes print titles as HTML (Material even un-escapes them): hand over text
            _hand_title(page)
        if self.reuse is None and self.site is not None and state is not None:
            return self.site.set_aside(html, state)  # kept by no later build: wait smaller for on_env
        return html if kept is not None else None

    @event_priority(-50)
    def on_env(self, env: Environment, /, *, config: MkDocsConfig, files: Files) -> Environment | None:
        if self.site is None:
            return None
        site = self.site
        listed = [p for p in (self.nav.pages if self.nav else []) if p.content is not None]
        seen = {id(p) for p in listed}
        rest = sorted(
            (
                f.page
                for f in files.documentation_pages()
                if f.page and id(f.page) not in seen and f.page.content
            ),
            key=lambda p: p.file.src_uri,
        )
        ordered = [(state, p) for p in listed + rest if (state := site.page(p.file.src_uri)) is not None]
        site.number([(state, page.content or "") for state, page in ordered])
        for item in _guard(site.finish):
            if files.get_file_from_path(item.path) is None:
                files.append(File.generated(config, item.path, content=item.text or ""))
        return env

    @event_priority(100)  # before Material's search (priority 0) indexes the filled page
    def on_page_context(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Navigation) -> Any:
        """Fill the page's slots as MkDocs builds it, not every page in ``on_env``: the blocks set
        aside for search then live for one page at a time (large warm peak 227 -> 216 MiB)."""
        state = self.site.page(page.file.src_uri) if self.site is not None else None
        if self.site is not None and state is not None and page.content is not None:
            page.content = self.site.fill_page(page.content, state, search_first=True)
        return context

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str | None:
        state = self.site.page(page.file.src_uri) if self.site is not None else None
        if self.site is None or state is None:
            return None
        return self.site.place_diagrams(output, state)

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer | None:
        for path in self.site.watched() if self.site is not None else []:
            server.watch(str(path))
        return server


def _hand_title(page: Page) -> None:
    """Hand the theme its title as text (``meta.title``) only where printing ``page.title`` would differ.

    Material prints ``page.title`` raw and through ``striptags`` (which decodes entities); a
    title without markup, entities or odd spacing prints the same either way. Setting
    ``meta.title`` on every page made each nav item's ``meta`` truthy, so Material's nav macro
    did four failing lookups per item per page (medium site: template render 4.1 s vs 3.2).
    The homepage keeps it: Material names a homepage without ``meta.title`` by the site alone.
    """
    front = "title" in page.meta
    titled = theme_title(page.title or "", markup=not front)
    if front or page.is_homepage or titled != page.title or "&" in titled:
        page.meta["title"] = titled


def _host_part(page: Page) -> dict[str, Any]:
    """What MkDocs made of a page's Markdown besides its HTML, to hand back when it is reused."""
    anchors = {f.src_uri: dict(links) for f, links in (page.links_to_anchors or {}).items()}
    return {
        "toc": page.toc,
        "title": getattr(page, "_title_from_render", None),
        "anchors": set(page.present_anchor_ids or ()),
        "links": anchors,
    }


def _restore(page: Page, host: dict[str, Any], files: Files) -> None:
    """A reused page's table of contents, title and anchors, as its conversion left them."""
    page.toc = host["toc"]
    page._title_from_render = host["title"]  # what render() sets (MkDocs 1.6)
    page.present_anchor_ids = set(host["anchors"])
    links = {files.get_file_from_path(src): dict(found) for src, found in host["links"].items()}
    page.links_to_anchors = {f: found for f, found in links.items() if f is not None}


def _file(config: MkDocsConfig, item: Generated, hide: InclusionLevel) -> File:
    inclusion = InclusionLevel.INCLUDED if item.listed else hide
    if item.file is not None:
        return File.generated(config, item.path, abs_src_path=str(item.file), inclusion=inclusion)
    return File.generated(config, item.path, content=item.text or "", inclusion=inclusion)


def _guard(call: Callable[[], T]) -> T:
    """Author mistakes stop a build as one MkDocs error listing all of them."""
    try:
        return call()
    except MechanismsError as error:
        if error.reported:  # each was logged as a warning: MkDocs would print them all again
            raise PluginError("mechanisms: " + error.stopped()) from None
        raise PluginError("mechanisms: " + "\n".join(str(p) for p in error.problems)) from None
