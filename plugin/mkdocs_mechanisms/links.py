"""The page set and the URL policy: where each page of the site is, and a link to it from any page.

Page URLs follow the rule MkDocs and Zensical share (``a/b.md`` is ``a/b/`` or
``a/b.html``), so every link is computed here, relative to the page that shows
it, for either host. Each way of writing links is one class: :class:`Links`
(built URLs, MkDocs), :class:`SourceLinks` (links to source files, which
Zensical rewrites) and :class:`PatternLinks` (plain Python-Markdown, no page
set: a URL pattern for terms); nothing else asks which host it is under.
"""

from __future__ import annotations

import functools
import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath

from .options import Options

PATHWAYS_DIR = "pathways"


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


@functools.lru_cache(maxsize=8192)
def relative_url(url: str, origin: str) -> str:
    """``url`` seen from the page at ``origin`` (both relative to the site root).

    Cached for the links a page repeats; pages are filled one after another, so a few thousand
    entries keep every hit (medium: the same 17,627 hits as 65,536) and not a large site's
    60,000 results (~10 MiB).
    """
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


def _with_fragment(url: str, fragment: str) -> str:
    return url + (f"#{fragment}" if fragment else "")


class Links:
    """Built URLs, relative to the page that shows them (MkDocs writes pages as they are)."""

    always_cites = True
    """``[@key]`` is a citation even without a bibliography (then reported): a site has a references page."""

    def __init__(self, options: Options, *, directory_urls: bool = True) -> None:
        self.glossary = options.glossary
        self.references_page = options.references_page
        self.directory_urls = directory_urls
        self._known: set[str] = set()

    def set_pages(self, srcs: Iterable[str]) -> None:
        """Every source path of the site, generated ones included (links to others are dropped)."""
        self._known = set(srcs)

    def add_pages(self, srcs: Iterable[str]) -> None:
        """Pages known from now on (the generated ones, once listed)."""
        self._known.update(srcs)

    def pages(self) -> frozenset[str]:
        """Every source path known (``set_pages``, ``add_pages``)."""
        return frozenset(self._known)

    def url(self, src: str) -> str:
        """A page's URL from the site root."""
        return page_url(src, directory_urls=self.directory_urls)

    def src_of(self, target: Target) -> str:
        """The source path behind a target."""
        if target.kind is TargetKind.GLOSSARY:
            return f"{self.glossary}/{target.name}.md"
        if target.kind is TargetKind.PATHWAY:
            return f"{PATHWAYS_DIR}/{target.name}.md"
        if target.kind is TargetKind.REFERENCES:
            return self.references_page
        return target.name

    def site_url(self, target: Target) -> str:
        """The target's URL from the site root, "" when it does not exist."""
        src = self.src_of(target)
        if src not in self._known:
            return ""
        return _with_fragment(self.url(src), target.fragment)

    def resolve(self, target: str | Target, origin: str) -> str:
        """A link from the page ``origin`` (a source path) in its HTML; "" when the target does not exist."""
        target = Target.parse(target) if isinstance(target, str) else target
        url = self.site_url(target)
        if not url:
            return url
        path, _, fragment = url.partition("#")
        return _with_fragment(relative_url(path, self.url(origin)), fragment)

    def in_svg(self, target: str, origin: str) -> str:
        """A link inside a diagram embedded on ``origin``: up to the site root, then down (no host rewrites it)."""
        url = self.site_url(Target.parse(target))
        if not url:
            return url
        return root_prefix(self.url(origin)) + (url.removeprefix("./") or "./")

    def from_file(self, target: str, here: str) -> str:
        """A link inside an exported file at ``here`` (its URL from the root)."""
        url = self.site_url(Target.parse(target))
        return relative_url(url, here) if url else ""


class SourceLinks(Links):
    """HTML links to source files (``../references.md#ref-x``), as Zensical expects them.

    Zensical rewrites every ``href`` in a page as relative to the page's source; links inside
    SVGs (``xlink:href``) it leaves alone, so those stay built URLs.
    """

    def resolve(self, target: str | Target, origin: str) -> str:
        target = Target.parse(target) if isinstance(target, str) else target
        src = self.src_of(target)
        if src not in self._known:
            return ""
        return _with_fragment(posixpath.relpath(src, posixpath.dirname(origin) or "."), target.fragment)


class PatternLinks(Links):
    """Plain Python-Markdown: no page set, term pages at a URL pattern (``/glossary/{slug}/``)."""

    always_cites = False

    def __init__(self, options: Options, pattern: str) -> None:
        super().__init__(options)
        self.pattern = pattern

    def site_url(self, target: Target) -> str:
        return self.pattern.format(slug=target.name) if target.kind is TargetKind.GLOSSARY else ""

    def resolve(self, target: str | Target, origin: str) -> str:
        return self.site_url(Target.parse(target) if isinstance(target, str) else target)

    def in_svg(self, target: str, origin: str) -> str:
        return self.site_url(Target.parse(target))
