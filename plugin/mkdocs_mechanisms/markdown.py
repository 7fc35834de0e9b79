"""The page-level work as one Python-Markdown extension, for every host.

* Under **MkDocs** the plugin adds this extension bound to its :class:`Site`
  and tells it which page is being rendered (as mkdocs-autorefs does); the
  plugin fills the site-wide slots once every page exists.
* Under **Zensical** (``mkdocs-mechanisms zensical build|serve``) the
  extension is listed by name with the path of the prepared site state;
  Zensical makes a new ``Markdown()`` per page, so the loaded site is kept
  per state file and fingerprint and read once per build. Zensical's
  ``ContextPreprocessor`` names the page, so links are page-relative.
* **Alone** (plain ``markdown.markdown``) it reads the given folders once per
  extension instance, links terms to a URL pattern and numbers citations
  within the document.

Per page: a preprocessor notes where ``[@…]`` markers are, adds a term page's generated
sections and turns figure fences into figures (it runs before
``fenced_code``/``pymdownx.superfences`` and finds fences inside
admonitions, tabs and lists); a postprocessor puts captions into their
figures and links glossary terms in the finished HTML (so code, links and
headings are never touched).

Usage alone::

    markdown.markdown(text, extensions=["mkdocs_mechanisms.markdown"],
                      extension_configs={"mkdocs_mechanisms.markdown": {
                          "diagrams_dir": "diagrams", "glossary_dir": "docs/glossary",
                          "glossary_url": "/glossary/{slug}/"}})
"""

from __future__ import annotations

import html
import json
import re
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any

from markdown import Markdown, util
from markdown.blockprocessors import ReferenceProcessor
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from . import cite
from .citations import cite_element
from .errors import MechanismsError
from .links import PatternLinks, SourceLinks
from .logs import log, show_on_terminal
from .options import Options, extension_settings
from .places import OptionPlaces
from .record import PageState, Record
from .site import Site
from .sources import diagram_files
from .zensical_shadow import FOLDER as ZENSICAL_DOCS
from .zensical_shadow import unmark

_LOCK = threading.Lock()
_PREPARED: dict[tuple[str, str, tuple[int, ...]], Site] = {}
"""Zensical: one loaded site per (state file, fingerprint, state file's stamp), shared by every page's extension."""


def prepared_site(state_file: str, fingerprint: str) -> Site:
    """The site a ``zensical`` run prepared, loaded again whenever the state file was replaced.

    The configuration (its ``fingerprint``) changes only with what every page reads: a new
    state from an edit is seen by its stamp, checked once per page.
    """
    stat = Path(state_file).stat()
    key = (state_file, fingerprint, (stat.st_ino, stat.st_mtime_ns, stat.st_size))
    with _LOCK:
        site = _PREPARED.get(key)
        if site is None:
            for old in [k for k in _PREPARED if k[0] == state_file]:
                del _PREPARED[old]
            site = _PREPARED[key] = _load_prepared(Path(state_file))
        return site


def _project_path(state: str) -> str:
    """The generated configuration names the state relative to the project (Zensical's ``root_dir``)."""
    if Path(state).is_absolute():
        return state
    try:
        from zensical.config import get_config

        root = get_config().get("root_dir")
    except (ImportError, NameError, AttributeError):
        root = None
    return str(Path(root) / state) if isinstance(root, str) and root else state


def _load_prepared(state_file: Path) -> Site:
    data = json.loads(state_file.read_text(encoding="utf-8"))
    options = Options.from_mapping(data["options"])
    site = Site(
        Path(data["root"]),
        Path(data["docs_dir"]),
        options,
        serving=bool(data.get("serving")),
        warn=log.warning,
        links=SourceLinks(options, directory_urls=bool(data.get("directory_urls", True))),
        places=OptionPlaces(**data.get("places", {})),
    )
    site.resume([Path(p) for p in data["glossary_files"]], data["pages"], Record.from_json(data["record"]))
    return site


EXTENSION_ONLY: dict[str, list[Any]] = {
    "glossary_url": ["glossary/{slug}/", "URL of a term page; {slug} is replaced"],
    "state": ["", "Site state prepared by 'mkdocs-mechanisms zensical' (set by that command)"],
    "fingerprint": ["", "Changes whenever the prepared state does (set by that command)"],
}
"""Settings of the extension that are not plugin options (with ``base_dir``, which comes first)."""


def standalone_options(settings: dict[str, Any]) -> Options:
    """The plugin's options from the extension's settings alone, checked as every host checks them.

    ``''`` turns a feature off where the table says so (no bibliography, no cache, no figure label).
    """
    taken = extension_settings()
    given = {k: v for k, v in settings.items() if k in taken and not (v == "" and taken[k][2])}
    options = Options.from_mapping(given, "extension_configs", prefix="mkdocs_mechanisms.markdown")
    return replace(
        options,
        figure_numbering=bool(settings.get("figure_label", True)),
        bibliography=options.bibliography if settings.get("bibliography") != "" else "-",
    )


class _Unmark(Preprocessor):
    """Zensical: the preparation's last line of a page (:func:`.zensical_shadow.mark`) goes, first."""

    def run(self, lines: list[str]) -> list[str]:
        return unmark(lines)


class _Prepare(Preprocessor):
    """Citations, a term page's sections and figure fences, before code fences are read."""

    def __init__(self, md: Markdown, extension: MechanismsExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        site, page = self.extension.begin(self.md)
        if site is None or page is None:
            return lines
        return site.prepare_markdown("\n".join(lines), page).split("\n")


class _Cite(InlineProcessor):
    """Citations as an inline pattern: code, raw HTML and comments are never read.

    The placeholder holds the author's prefixes and suffixes as child elements, so
    the rest of the inline patterns (emphasis, …) render them as Markdown.
    """

    def __init__(self, md: Markdown, extension: MechanismsExtension) -> None:
        super().__init__(cite.MARKER, md)
        self.extension = extension

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Any, int | None, int | None]:  # type: ignore[override]  # Python-Markdown narrows its own base signature
        site, page = self.extension.site, self.extension.page
        if site is None or page is None:
            return None, None, None
        reading = site.citation(page, m, self.unescape)
        if reading is None or reading.cluster is None:  # prose, or malformed (reported): left as written
            return None, None, None
        items = tuple(
            replace(item, prefix=self._raw_as_text(item.prefix), suffix=self._raw_as_text(item.suffix))
            for item in reading.cluster.items
        )
        return cite_element(replace(reading.cluster, items=items)), reading.start, reading.end

    def _raw_as_text(self, affix: str) -> str:
        """Raw HTML in a prefix or suffix, shown as the text it is.

        Markdown in an affix is rendered; a tag there (possibly unclosed) would otherwise
        land inside the citation's placeholder and could run past its end.
        """

        def raw(match: re.Match[str]) -> str:
            node = self.md.treeprocessors["inline"].stashed_nodes.get(match.group(1))  # type: ignore[attr-defined]  # Python-Markdown's own stash
            stashed = util.HTML_PLACEHOLDER_RE.fullmatch(node) if isinstance(node, str) else None
            if stashed is None:
                return match.group(0)
            # as entities: the tree is walked again later, and a "<" would be read as HTML then
            return html.escape(str(self.md.htmlStash.rawHtmlBlocks[int(stashed.group(1))]))

        return util.INLINE_PLACEHOLDER_RE.sub(raw, affix)


class _References(ReferenceProcessor):
    """Link reference definitions, except a citation followed by a colon.

    Python-Markdown reads ``[@key]: word`` at the start of a line as the definition of
    a link named ``@key``; for pandoc (and here) a bracketed citation is a citation
    wherever it stands. A label that holds a citation key (``@`` at the start of a
    word) therefore defines nothing; ``[name@example.org]: url`` still does.
    """

    RE = re.compile(
        r"^[ ]{0,3}\[(?![^\[\]]*?(?<![\w@])-?@[^\s\[\]])([^\[\]]*)\]:[ ]*(?:\n[ ]*)?([^\s]+)[ ]*"
        r"(?:\n[ ]*)?(([\"\'])(.*)\4[ ]*|\((.*)\)[ ]*)?$",
        re.MULTILINE,
    )


class _Finish(Postprocessor):
    """Captions into figures, glossary links; alone or under Zensical also every slot."""

    def __init__(self, md: Markdown, extension: MechanismsExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        site, page = self.extension.site, self.extension.page
        if site is None or page is None:
            return text
        text = site.finish_html(text, page)
        if self.extension.fills:
            if self.extension.alone:
                site.number([(page, text)])
            text = site.fill_page(text, page)
        return text


class MechanismsExtension(Extension):
    """Pathway figures, citations and glossary links for Python-Markdown."""

    def __init__(self, site: Site | None = None, **kwargs: Any) -> None:
        self.config = {
            "base_dir": [".", "Folder the other paths are relative to"],
            **{name: [default, help] for name, (default, help, _) in extension_settings().items()},
            **{name: list(setting) for name, setting in EXTENSION_ONLY.items()},  # setConfig writes into them
        }
        super().__init__(**kwargs)
        self.bound = site
        """The host's site (MkDocs): pages are filled by the host once all exist."""
        self.site: Site | None = None
        self.page: PageState | None = None
        self._alone: Site | None = None

    @property
    def alone(self) -> bool:
        """Plain Python-Markdown: neither the MkDocs plugin nor a prepared Zensical site."""
        return self.bound is None and not self.getConfig("state")

    @property
    def fills(self) -> bool:
        """Whether this extension fills every slot itself (no host does it later)."""
        return self.bound is None

    def begin(self, md: Markdown) -> tuple[Site | None, PageState | None]:
        """Find the site and the page this conversion is for."""
        self.site, self.page = None, None
        if self.bound is not None:
            self.site, self.page = self.bound, self.bound.current
            return self.site, self.page
        state = str(self.getConfig("state"))
        if state:
            show_on_terminal()  # Zensical configures no Python logging: our messages would be lost
            try:
                site = prepared_site(_project_path(state), str(self.getConfig("fingerprint")))
            except (OSError, ValueError, KeyError, MechanismsError) as error:
                log.error("cannot read the prepared site %s: %s", state, error)
                return None, None
            self.site = site
            self.page = _zensical_page(md, site)
            return self.site, self.page
        self.site = self._standalone()
        self.site.runner.begin()  # alone, each page has its own Graphviz time budget
        self.page = self.site.begin_page("")
        return self.site, self.page

    def _standalone(self) -> Site:
        if self._alone is None:
            root = Path(str(self.getConfig("base_dir"))).resolve()
            options = standalone_options(self.getConfigs())
            site = Site(
                root,
                root,
                options,
                warn=log.warning,
                links=PatternLinks(options, str(self.getConfig("glossary_url"))),
            )
            if not self.getConfig("cache_dir"):  # '' for none
                site.runner.cache_dir = None
            glossary = (root / options.glossary_dir).resolve()
            site.load([p for p in diagram_files(glossary) if p.name not in ("index.md", "README.md")])
            self._alone = site
        return self._alone

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        if self.getConfig("state"):  # before any other preprocessor (pymdownx's run from 35)
            md.preprocessors.register(_Unmark(md), "mechanisms_unmark", 40)
        # after whitespace normalising (30), before fenced_code and superfences (25)
        md.preprocessors.register(_Prepare(md, self), "mechanisms_prepare", 28)
        # replaces Python-Markdown's own processor of the same name and priority
        md.parser.blockprocessors.register(_References(md.parser), "reference", 15)
        # after links and inline HTML (90, so a comment in a paragraph is never read), before emphasis
        md.inlinePatterns.register(_Cite(md, self), "mechanisms_cite", 85)
        # after raw HTML is put back (30) and entities restored
        md.postprocessors.register(_Finish(md, self), "mechanisms_finish", 5)


def _zensical_page(md: Markdown, site: Site) -> PageState | None:
    """The page Zensical is rendering, from its ``ContextPreprocessor``."""
    try:
        from zensical.extensions.context import ContextPreprocessor
    except ImportError:
        return None
    context = ContextPreprocessor.from_markdown(md)
    if context is None:
        return None
    src = str(context.page.path).replace("\\", "/")
    for docs in (  # Zensical's docs folder (the shadow in the cache), or the author's
        f"{site.options.cache_dir}/{ZENSICAL_DOCS}/",
        site.docs_dir.relative_to(site.root).as_posix() + "/",
    ):
        src = src.removeprefix(docs)
    source_path = site.docs_dir / src
    first_line = 1
    try:
        text = source_path.read_text(encoding="utf-8")
        first_line = text.count("\n", 0, text.find("\n---", 3) + 4) + 2 if text.startswith("---") else 1
    except OSError:
        pass
    return site.begin_page(
        src, source=(site.docs_dir / src).relative_to(site.root).as_posix(), first_line=first_line
    )


def makeExtension(**kwargs: Any) -> MechanismsExtension:
    """Entry point Python-Markdown looks for."""
    return MechanismsExtension(**kwargs)
