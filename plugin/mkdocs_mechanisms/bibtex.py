"""BibTeX and biblatex entries as CSL-JSON, the data a CSL processor formats.

Zotero (with or without Better BibTeX), JabRef, Mendeley and PubMed-based
exporters write the same references differently: ``journal`` or
``journaltitle``, ``year``/``month`` or ``date``, ``eprint`` with an
``eprinttype``, LaTeX everywhere. One mapping reads them all, field by field,
so that a field the references never show (``abstract``, ``note``, ``file``,
``keywords`` …) is never read, and a field that cannot be read costs only a
message, never the entry.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

from .latex import NOCASE_END, NOCASE_START, Decoded, decode, verbatim

TYPES = {
    "article": "article-journal",
    "book": "book",
    "mvbook": "book",
    "bookinbook": "chapter",
    "booklet": "pamphlet",
    "collection": "book",
    "mvcollection": "book",
    "proceedings": "book",
    "mvproceedings": "book",
    "reference": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "suppbook": "chapter",
    "suppcollection": "chapter",
    "inreference": "entry-encyclopedia",
    "inproceedings": "paper-conference",
    "conference": "paper-conference",
    "manual": "report",
    "report": "report",
    "techreport": "report",
    "thesis": "thesis",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "unpublished": "manuscript",
    "patent": "patent",
    "periodical": "periodical",
    "dataset": "dataset",
    "software": "software",
    "online": "webpage",
    "electronic": "webpage",
    "www": "webpage",
    "webpage": "webpage",
    "preprint": "article",
    "misc": "document",
}
"""BibTeX and biblatex entry types as CSL types; a ``@misc`` with a URL becomes a web page."""

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17)
)
NONCHARACTER = re.compile(f"[{_NONCHARACTERS}\ud800-\udfff]")
"""Unicode noncharacters and lone surrogates (as in pathway files, see :mod:`.load`; kept apart
here because :mod:`.load` imports the citation code)."""
UNSAFE_TEXT = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069{_NONCHARACTERS}\ud800-\udfff]"
)
"""Control and bidi characters, noncharacters and lone surrogates: no web page or SVG may hold them."""


def character_message(char: str) -> str:
    """What is wrong with one character :data:`UNSAFE_TEXT` found (worded as for pathway files)."""
    if NONCHARACTER.fullmatch(char):
        return f"Unicode noncharacter U+{ord(char):04X} in text"
    return f"invisible control character U+{ord(char):04X} in text"


_PREPRINT_SERVERS = re.compile(
    r"^(arxiv|biorxiv|medrxiv|psyarxiv|chemrxiv|ssrn|research square|preprints)\b", re.I
)
_SERVER_NAMES = {"arxiv": "arXiv", "biorxiv": "bioRxiv", "medrxiv": "medRxiv", "psyarxiv": "PsyArXiv"}
_THESIS_GENRE = {"phdthesis": "PhD thesis", "mastersthesis": "Master's thesis"}
_GENRES = {
    **_THESIS_GENRE,
    "candthesis": "Candidate thesis",
    "techreport": "Technical report",
    "resreport": "Research report",
    "software": "Computer software",
    "datacd": "CD-ROM",
    "audiocd": "Audio CD",
}
"""biblatex's ``type`` keys, which it prints localised."""
_LANGUAGES = {
    "english": "en",
    "american": "en-US",
    "usenglish": "en-US",
    "british": "en-GB",
    "ukenglish": "en-GB",
    "german": "de",
    "ngerman": "de",
    "french": "fr",
    "spanish": "es",
    "italian": "it",
    "dutch": "nl",
    "portuguese": "pt",
    "brazilian": "pt-BR",
    "russian": "ru",
    "japanese": "ja",
    "chinese": "zh",
    "swedish": "sv",
    "danish": "da",
    "norwegian": "nb",
    "finnish": "fi",
    "polish": "pl",
}
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january", "janvier", "januar"),
            ("feb", "february", "février", "februar"),
            ("mar", "march", "mars", "märz"),
            ("apr", "april", "avril"),
            ("may", "mai"),
            ("jun", "june", "juin", "juni"),
            ("jul", "july", "juillet", "juli"),
            ("aug", "august", "août"),
            ("sep", "sept", "september", "septembre"),
            ("oct", "october", "octobre", "oktober"),
            ("nov", "november", "novembre"),
            ("dec", "december", "décembre", "dezember"),
        ),
        start=1,
    )
    for name in names
}
_TEXT_FIELDS = {
    "title": "title",
    "shorttitle": "title-short",
    "series": "collection-title",
    "edition": "edition",
    "volume": "volume",
    "volumes": "number-of-volumes",
    "pagetotal": "number-of-pages",
    "chapter": "chapter-number",
    "address": "publisher-place",
    "location": "publisher-place",
    "eventtitle": "event-title",
    "venue": "event-place",
    "type": "genre",
    "version": "version",
    "shortjournal": "container-title-short",
    "journalabbrev": "container-title-short",
    "journal-abbrev": "container-title-short",
    "journalabbreviation": "container-title-short",
}
_IDENTIFIERS = {"url": "URL", "isbn": "ISBN", "issn": "ISSN", "pmid": "PMID", "pmcid": "PMCID"}
_NAME_FIELDS = {
    "author": "author",
    "editor": "editor",
    "translator": "translator",
    "bookauthor": "container-author",
}


@dataclass
class Mapped:
    """One entry as CSL-JSON, and what could not be read from it (field, message)."""

    data: dict[str, Any]
    problems: list[tuple[str, str]] = field(default_factory=list)
    truncated: set[str] = field(default_factory=set)
    """Name variables whose list ends with "and others" (the style prints its "et al.")."""


def normalize_doi(value: str) -> str:
    """``https://doi.org/10.1/x`` or ``doi:10.1/x`` → ``10.1/x``: styles add their own prefix."""
    return re.sub(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", "", value, flags=re.I).strip()


class _Reader:
    """Reads the fields of one entry, collecting what cannot be decoded."""

    def __init__(self, fields: Mapping[str, str]) -> None:
        self.fields = fields
        self.problems: list[tuple[str, str]] = []
        self.unknown: dict[str, list[str]] = {}
        """Commands that could not be decoded, and the fields that use them (one message per entry)."""
        self._decoded: dict[tuple[str, str], Decoded | None] = {}

    def text(self, name: str) -> str:
        """The field decoded to CSL-JSON text ("" when absent or unreadable)."""
        raw = self.fields.get(name, "")
        if not raw.strip():
            return ""
        decoded = self._decode(name, raw)
        return decoded.text if decoded is not None else ""

    def _decode(self, name: str, raw: str) -> Decoded | None:
        """Each value is decoded once, so each problem is reported once."""
        if (name, raw) not in self._decoded:
            self._decoded[name, raw] = self._decode_once(name, raw)
        return self._decoded[name, raw]

    def _decode_once(self, name: str, raw: str) -> Decoded | None:
        try:
            decoded = decode(raw)
        except ValueError as error:
            self.problems.append((name, f"cannot read the LaTeX of field '{name}': {error}"))
            return None
        found = UNSAFE_TEXT.search(decoded.text)
        if found is not None:
            code = ord(found.group())
            what = (
                "Unicode noncharacter"
                if NONCHARACTER.fullmatch(found.group())
                else "invisible control character"
            )
            self.problems.append(
                (name, f"the LaTeX of field '{name}' writes the {what} U+{code:04X}; it was left out")
            )
            decoded = Decoded(UNSAFE_TEXT.sub("", decoded.text), decoded.unknown)
        for command in decoded.unknown:
            self.unknown.setdefault(command, [])
            if name not in self.unknown[command]:
                self.unknown[command].append(name)
        return decoded

    def plain(self, name: str) -> str:
        """The field decoded, without case-protection marks (numbers, dates, places)."""
        return _plain(self.text(name))

    def names(self, name: str) -> tuple[list[dict[str, str]], bool]:
        """A name list as CSL names, and whether it ended with "and others"."""
        raw = self.fields.get(name, "")
        out: list[dict[str, str]] = []
        truncated = False
        for person in split_multiple_persons_names(raw):
            person = person.strip()
            if not person:
                continue
            if person.lower() == "others":
                truncated = True
                continue
            parsed = self._name(name, person)
            if parsed:
                out.append(parsed)
        return out, truncated

    def _name(self, field_name: str, person: str) -> dict[str, str]:
        if re.fullmatch(r"\{[^{}]*(?:\{[^{}]*\}[^{}]*)*\}", person):  # {World Health Organization}
            return {"literal": self._part(field_name, person)}
        if re.match(r"^\s*(family|given|prefix|suffix)\s*=", person):  # biblatex's extended name format
            keys = {
                "family": "family",
                "given": "given",
                "prefix": "non-dropping-particle",
                "suffix": "suffix",
            }
            pairs = re.findall(r"(family|given|prefix|suffix)\s*=\s*(\{[^{}]*\}|[^,]*)", person)
            return {keys[k]: self._part(field_name, v) for k, v in pairs if v.strip()}
        try:
            parts = parse_single_name_into_parts(person, strict=False)
        except Exception:  # the library's own name errors are not part of its API
            return {"literal": self._part(field_name, person)}
        name = {
            "given": self._part(field_name, " ".join(parts.first)),
            "non-dropping-particle": self._part(field_name, " ".join(parts.von)),
            "family": self._part(field_name, " ".join(parts.last)),
            "suffix": self._part(field_name, " ".join(parts.jr)),
        }
        name = {k: v for k, v in name.items() if v}
        if set(name) == {"given"}:  # a single word is a family name ("Plato")
            name = {"family": name["given"]}
        return name

    def _part(self, field_name: str, raw: str) -> str:
        decoded = self._decode(field_name, raw) if raw.strip() else None
        return _plain(decoded.text) if decoded is not None else ""


def _plain(text: str) -> str:
    return text.replace(NOCASE_START, "").replace(NOCASE_END, "")


def _date(value: str) -> dict[str, Any] | None:
    """biblatex's ISO dates and ranges (``2021``, ``2021-08``, ``2021-08-16``, ``2020/2021``)."""
    ranges = []
    for part in value.strip().split("/")[:2]:
        numbers = [p for p in part.strip().split("-") if p]
        try:
            parts = [int(p) for p in numbers[:3]]
            if len(parts) == 3:
                dt.date(*parts)
            elif len(parts) == 2 and not 1 <= parts[1] <= 12:
                return None
        except ValueError:
            return None
        if parts:
            ranges.append(parts)
    return {"date-parts": ranges} if ranges else None


def _month(value: str) -> int | None:
    value = value.strip().strip(".").lower()
    if value.isdigit():
        number = int(value)
        return number if 1 <= number <= 12 else None
    return _MONTHS.get(value)


def _issued(reader: _Reader) -> dict[str, Any] | None:
    if reader.fields.get("date", "").strip():
        issued = _date(reader.plain("date"))
        if issued is not None:
            return issued
    year = reader.plain("year")
    if not year:
        return None
    if not re.fullmatch(r"\d{1,4}", year):
        found = re.fullmatch(r"(\d{4})\s*[-–/]\s*(\d{4})", year)
        if found:
            return {"date-parts": [[int(found.group(1))], [int(found.group(2))]]}
        return {"literal": year}  # "in press", "forthcoming"
    parts = [int(year)]
    month = _month(reader.plain("month"))
    if month is not None:
        parts.append(month)
        day = reader.plain("day")
        if day.isdigit() and 1 <= int(day) <= 31:
            parts.append(int(day))
    return {"date-parts": [parts]}


def csl_type(entry_type: str, fields: Mapping[str, str]) -> str:
    """The CSL type of a BibTeX/biblatex entry."""
    kind = entry_type.lower()
    url = fields.get("url", "").strip() or "\\url" in fields.get("howpublished", "")
    server = fields.get("eprinttype", "") or fields.get("archiveprefix", "") or fields.get("publisher", "")
    if kind in ("misc", "online", "unpublished") and _PREPRINT_SERVERS.match(server.strip("{} ")):
        return "article"
    if kind in ("misc", "online", "electronic", "www") and url:
        return "webpage"
    if kind == "article":
        subtype = fields.get("entrysubtype", "").strip().lower()
        if subtype in ("magazine", "newspaper"):
            return f"article-{subtype}"
        journal = fields.get("journal", "") or fields.get("journaltitle", "")
        if _PREPRINT_SERVERS.match(journal.strip("{} ")):
            return "article"
    return TYPES.get(kind, "document")


def to_csl(key: str, entry_type: str, fields: Mapping[str, str]) -> Mapped:
    """One entry's bibliographic fields as CSL-JSON (``id`` is the citation key)."""
    reader = _Reader(fields)
    kind = entry_type.lower()
    data: dict[str, Any] = {"id": key, "type": csl_type(kind, fields)}
    for bib_name, csl_name in _TEXT_FIELDS.items():
        if csl_name not in data and fields.get(bib_name, "").strip():
            titled = csl_name in ("title", "title-short", "collection-title", "event-title")
            value = reader.text(bib_name) if titled else reader.plain(bib_name)
            if value:
                data[csl_name] = value
    subtitle = reader.text("subtitle")
    if subtitle and "title" in data:
        data["title"] = f"{data['title']}: {subtitle}"
    container = reader.text("journaltitle") or reader.text("journal")
    if not container and data["type"] in ("chapter", "paper-conference", "entry-encyclopedia"):
        container = reader.text("booktitle")
        if container and reader.text("booksubtitle"):
            container += ": " + reader.text("booksubtitle")
    if container:
        data["container-title"] = container
    number = reader.plain("number") or reader.plain("issue")
    if number:
        data["issue" if data["type"].startswith("article") else "number"] = number
    pages = reader.plain("pages")
    if pages:
        data["page"] = re.sub(r"\s*[-\u2010-\u2015]+\s*", "-", pages)
    publisher = reader.plain("publisher") or reader.plain("institution") or reader.plain("school")
    publisher = publisher or reader.plain("organization")
    howpublished = fields.get("howpublished", "")
    if not publisher and howpublished.strip() and "\\url" not in howpublished:
        publisher = reader.plain("howpublished")
    if publisher:
        data["publisher"] = re.sub(r"\s+and\s+", "; ", publisher)
    if kind in _THESIS_GENRE and "genre" not in data:
        data["genre"] = _THESIS_GENRE[kind]
    elif data.get("genre", "").lower() in _GENRES:  # biblatex's localisation keys
        data["genre"] = _GENRES[data["genre"].lower()]
    language = reader.plain("langid") or reader.plain("language")
    if language:
        data["language"] = _LANGUAGES.get(language.lower(), language)
    for bib_name, csl_name in _IDENTIFIERS.items():
        value = verbatim(fields.get(bib_name, ""))
        if value:
            data[csl_name] = value
    if "URL" not in data:
        found = re.search(r"\\url\s*\{([^{}]*)\}", howpublished)
        if found:
            data["URL"] = verbatim(found.group(1))
    doi = normalize_doi(verbatim(fields.get("doi", "")))
    if doi:
        data["DOI"] = doi
    _eprint(data, fields)
    if data["type"] == "article" and "container-title" not in data:  # a preprint: its server
        server = verbatim(fields.get("eprinttype", "") or fields.get("archiveprefix", "")) or data.get(
            "publisher", ""
        )
        if server:
            data["container-title"] = _SERVER_NAMES.get(server.lower(), server)
            if data.get("publisher", "").lower() == server.lower():
                del data["publisher"]
    issued = _issued(reader)
    if issued is not None:
        data["issued"] = issued
    for bib_name, csl_name in (
        ("urldate", "accessed"),
        ("origdate", "original-date"),
        ("eventdate", "event-date"),
    ):
        when = _date(verbatim(fields.get(bib_name, ""))) if fields.get(bib_name, "").strip() else None
        if when is not None:
            data[csl_name] = when
    mapped = Mapped(data)
    for bib_name, csl_name in _NAME_FIELDS.items():
        if fields.get(bib_name, "").strip():
            names, truncated = reader.names(bib_name)
            if names:
                data[csl_name] = names
            if truncated:
                mapped.truncated.add(csl_name)
    mapped.problems = reader.problems + _unknown_commands(reader.unknown)
    return mapped


def _eprint(data: dict[str, Any], fields: Mapping[str, str]) -> None:
    """``eprint`` as its archive says: a PubMed or PMC id, or an arXiv-style preprint number."""
    eprint = verbatim(fields.get("eprint", ""))
    if not eprint:
        return
    archive = verbatim(fields.get("eprinttype", "") or fields.get("archiveprefix", "")).lower()
    if archive in ("pubmed", "pmid"):
        data.setdefault("PMID", eprint)
    elif archive in ("pmc", "pmcid") or eprint.upper().startswith("PMC"):
        data.setdefault("PMCID", eprint)
    elif archive:
        server = _SERVER_NAMES.get(archive, archive)
        data.setdefault("number", f"{server}:{eprint}" if archive == "arxiv" else eprint)
        if data["type"] == "article":
            data.setdefault("container-title", server)
        if archive == "arxiv" and "URL" not in data:
            data["URL"] = f"https://arxiv.org/abs/{eprint}"


def _unknown_commands(unknown: Mapping[str, list[str]]) -> list[tuple[str, str]]:
    """One message for every command of an entry that could not be decoded, naming the fields."""
    if not unknown:
        return []
    commands = ", ".join(f"'{command}'" for command in unknown)
    fields = list(dict.fromkeys(name for names in unknown.values() for name in names))
    where = f"field '{fields[0]}'" if len(fields) == 1 else "fields " + ", ".join(f"'{f}'" for f in fields)
    if len(unknown) == 1:
        message = f"cannot decode the LaTeX command {commands} in {where}; it was left out"
    else:
        message = f"cannot decode the LaTeX commands {commands} in {where}; they were left out"
    return [(fields[0] if len(fields) == 1 else "", message)]
