"""Citations across the site: the slot each becomes, where pages cite what, numbers, and the fillers.

A citation the Markdown parser reaches becomes a :data:`~.deferred.Slot.CITE` slot
holding its cluster (the author's prefixes and suffixes as child elements, so the
host's Markdown renders them). Once every page exists, :meth:`Citations.number`
reads each page's uses as typed records (:class:`Use`), in reading order, numbers
the sources by first use and notes where each is cited; the fillers then write
every citation, pathway source list and the references page in the page's one
fill pass (:func:`.deferred.fill`).
"""

from __future__ import annotations

import bisect
import html
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.etree import ElementTree

from . import cite
from .citesyntax import Cluster, Item
from .deferred import Filler, Found, Slot, positions, slot, slot_element
from .errors import Problem
from .links import Links, Target, TargetKind
from .logs import log
from .numbers import Numbering, Place, group_places, outside, places_html
from .record import PageState, Record
from .reporter import Reporter
from .sources import Sources

_AFFIX = "data-affix"
_AFFIX_OPEN = re.compile(rf'<span {_AFFIX}="([px]\d+)">')
_SPAN_TAG = re.compile(r"<(/?)span\b[^>]*>")
_HEADING = re.compile(r'<h[2-6][^>]*\bid="([^"]+)"[^>]*>(.*?)</h[2-6]>', re.S)
_STEP = 'class="mechanisms-step" id="'
_CLOSING_INLINE = re.compile(r"(?:</(?:a|abbr|b|cite|code|em|i|span|strong|sub|sup)>)+$")


def cite_element(cluster: Cluster) -> ElementTree.Element:
    """The slot of a written citation, as the element an inline pattern returns.

    Its prefixes and suffixes are child elements holding their Markdown, so the host's
    Markdown renders them with the rest of the paragraph; the rest is the argument.
    """
    items = [
        {
            "k": i.key,
            "l": i.label,
            "n": i.locator,
            "s": i.suppress_author,
            "p": bool(i.prefix),
            "x": bool(i.suffix),
        }
        for i in cluster.items
    ]
    element = slot_element(Slot.CITE, json.dumps({"t": cluster.in_text, "i": items}, separators=(",", ":")))
    for index, item in enumerate(cluster.items):
        for side, text in (("p", item.prefix), ("x", item.suffix)):
            if text:
                ElementTree.SubElement(element, "span", {_AFFIX: f"{side}{index}"}).text = text
    return element


def _span_end(text: str, start: int) -> int:
    """Where the ``<span …>`` opened just before ``start`` closes (after its ``</span>``), or -1."""
    depth = 1
    for tag in _SPAN_TAG.finditer(text, start):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return tag.end()
    return -1


def _affixes(inner: str) -> dict[str, str]:
    """The rendered prefixes and suffixes inside a citation's slot, by ``p<n>``/``x<n>``."""
    out: dict[str, str] = {}
    for match in _AFFIX_OPEN.finditer(inner):
        end = _span_end(inner, match.end())
        if end > 0:
            affix = inner[match.end() : end - len("</span>")]
            out[match.group(1)] = affix.strip() if match.group(1)[0] == "p" else affix.rstrip()
    return out


def cluster_of(arg: str, inner: str = "") -> Cluster | None:
    """The cluster a citation's slot holds, affixes as HTML; ``None`` when it holds none."""
    try:
        data = json.loads(arg)
        affixes = _affixes(inner)
        items = tuple(
            Item(
                str(i["k"]),
                prefix=affixes.get(f"p{n}", ""),
                suffix=affixes.get(f"x{n}", ""),
                label=str(i.get("l", "")),
                locator=str(i.get("n", "")),
                suppress_author=bool(i.get("s", False)),
            )
            for n, i in enumerate(data["i"])
        )
        return Cluster(items, in_text=bool(data.get("t", False))) if items else None
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


def _ends_a_word(html_text: str) -> bool:
    """Does ``html_text`` end in visible text (closing inline tags aside) that is no space or opening bracket?"""
    tail = _CLOSING_INLINE.sub("", html_text[-400:])
    spaced = tail.endswith(("&nbsp;", "&#160;", "&#xa0;"))
    return bool(tail) and not spaced and not tail[-1].isspace() and tail[-1] not in "([{>\u00a0"


def joined(found: Found, rendered: str, cluster: Cluster) -> str:
    """The text before a citation, and the citation, as the style joins them.

    A superscript group attaches to the word before it, as the article and
    numeric styles print it ("hippocampus¹⁰", not "hippocampus ¹⁰"): authors
    write ``word [@key]``, and the space would otherwise show before the number.
    Any other citation stands apart from its word ("receptor (Fredholm et al.,
    1999)"), also where a walkthrough step puts it straight after a link.
    """
    before = found.before
    attached = before.rstrip(" \t\n")
    after_group = not attached and found.previous.endswith("</sup>")
    prefixed = any(item.prefix for item in cluster.items)  # "grouped ᵃˡˢᵒ ¹", not "groupedᵃˡˢᵒ ¹"
    if rendered.startswith("<sup") and not after_group and not prefixed:  # two groups in a row stay apart
        before = attached
    elif not (rendered.startswith("<sup") or cluster.in_text) and _ends_a_word(before or found.previous):
        before += " "
    return before + rendered


def references_html(
    bibliography: cite.Bibliography,
    numbering: Numbering,
    back_href: Callable[[str], str],
    page_order: Sequence[str] = (),
) -> str:
    """The cited entries as the style lists them, DOI and URL linked, with "cited on" back-links.

    Numeric styles keep first-use order and number each entry; others sort as the style
    says. ``back_href`` turns a site-relative URL into one relative to the references page.
    """
    cited = [key for key, _n in sorted(numbering.numbers.items(), key=lambda item: item[1])]
    cited = [key for key in cited if key in bibliography.references]
    numeric = not bibliography.has_style or bibliography.group.numeric
    if bibliography.has_style:
        entries = bibliography.entries(cited)
        order = [key for key, _f in entries]
        shown = {key: f.html for key, f in entries}
    else:
        order, shown = cited, {}
    rows = [f'<ol class="mechanisms-references{"" if numeric else " mechanisms-references-unnumbered"}">']
    for key in order:
        ref = bibliography.references[key]
        n = numbering.numbers[key]
        entry = cite.entry_html(ref, shown.get(key, ""))
        places = numbering.cited_on.get(key, [])
        back = ""
        if places:
            spots = [p if isinstance(p, Place) else Place(*p) for p in places]
            back = '<br><span class="mechanisms-cited-on" data-search-exclude>Cited on:</span>' + places_html(
                group_places(spots, page_order), back_href, "mechanisms-cited-on-pages"
            )
        value = f' value="{n}"' if numeric else ""
        rows.append(f'<li id="{html.escape(cite.anchor(key))}"{value}>{entry}{back}</li>')
    rows.append("</ol>")
    return "\n".join(rows)


@dataclass(frozen=True)
class Use:
    """One citation on a page, in the page's reading order."""

    keys: tuple[str, ...]
    place: tuple[str, str, str, str] | None
    """(page title, page, section, section link) for a "cited on" back-link; ``None`` outside the article."""


class CitingPlaces:
    """Where each citation of one page's HTML sits, for "cited on" back-links.

    The page's headings are found once: a page with many citations is read once, not once per citation.
    """

    def __init__(self, page: PageState, content: str) -> None:
        self.page = page
        self.content = content
        self.headings = list(_HEADING.finditer(content))
        self.heading_ends = [h.end() for h in self.headings]

    def at(self, position: int) -> tuple[str, str, str, str]:
        """(page title, page, section, section link) of the citation at ``position``.

        The section is the walkthrough step holding the citation, else the heading above it.
        """
        page, content = self.page, self.content
        title = page.title or page.src
        start = content.rfind(_STEP, 0, position)
        if start >= 0 and content.find("</li>", start, position) == -1:
            anchor = content[start + len(_STEP) : content.index('"', start + len(_STEP))]
            return title, page.src, f"step {anchor.rsplit('-', 1)[-1]}", f"{page.src}#{anchor}"
        above = bisect.bisect_right(self.heading_ends, position)
        if above:
            heading = self.headings[above - 1]
            text = re.sub(r"<a\b[^>]*headerlink[^>]*>.*?</a>|<[^>]+>", "", heading.group(2), flags=re.S)
            return title, page.src, html.unescape(text).strip(), f"{page.src}#{heading.group(1)}"
        return title, page.src, "", ""


def uses(page: PageState, content: str, *, article: bool) -> list[Use]:
    """Every citation and source list of a page's HTML, in order."""
    found: list[Use] = []
    places = CitingPlaces(page, content) if article else None
    for at, kind, arg in positions(content, {Slot.CITE, Slot.SOURCES}):
        cluster = cluster_of(arg) if kind is Slot.CITE else Cluster(tuple(Item(k) for k in arg.split(",")))
        if cluster is not None:
            found.append(Use(cluster.keys, places.at(at) if places else None))
    return found


_ESCAPED = re.compile("\x02([0-9]+)\x03")
"""Python-Markdown's stand-in for a backslash escape (``\\_``), set before citations are read."""


def _as_written(text: str) -> str:
    """Text the Markdown parser reached, its backslash escapes as the page wrote them.

    Unstashed, ``[@smith\\_2020]`` reads ``[@smith`` STX ``95`` ETX ``2020]``: put back, it is found
    among the page's markers, so its unknown key is reported at its line.
    """
    return _ESCAPED.sub(lambda m: "\\" + chr(int(m.group(1)) % 0x110000), text)


class Citations:
    """Citation candidates read, numbered in reading order, and written into their slots."""

    def __init__(
        self, record: Record, links: Links, reporter: Reporter, outside_article: Sequence[str]
    ) -> None:
        self.record = record
        self.links = links
        self.reporter = reporter
        self.outside_article = outside_article
        self.sources = Sources()
        self.missing: Problem | None = None
        """Why no citation can be resolved: every citation shows this, logged once."""

    def load(self, sources: Sources, missing: Problem | None) -> None:
        """The bibliography (and why there is none) of the loaded sources."""
        self.sources, self.missing = sources, missing

    @property
    def active(self) -> bool:
        """Whether ``[@key]`` becomes a citation: always on a site; alone, only with a bibliography."""
        return self.sources.bibliography is not None or self.links.always_cites

    def read(
        self, page: PageState, match: re.Match[str], unstash: Callable[[str], str] = str
    ) -> cite.Reading | None:
        """What a citation candidate the Markdown parser reached as text is, or ``None``.

        Called by the extension's inline pattern, so code and HTML comments are never
        read. Unknown keys and malformed citations are reported at the line the
        candidate was found on; candidates the page text does not hold (a caption's) are
        checked where they are written. ``None``: prose (an e-mail address, an unknown
        in-text ``@word``), left as it is. ``unstash`` gives back what the parser set aside
        in the text (its backslash escapes), so the candidate is compared as the page wrote it.
        """
        if not self.active:
            return None
        known = self.sources.citable or set()  # a broken entry is reported at the entry
        reading = cite.read_candidate(match, known)
        text = _as_written(unstash(match.group(0)))
        line = 0
        for index, marker in enumerate(page.markers):
            if marker.text == text:
                line = page.markers.pop(index).line
                break
        problems: list[Problem] = []
        shown = _as_written(unstash(match.string[reading.start : reading.end]))
        if reading.malformed:
            problems = [cite.malformed(page.source, line, shown)]
        elif reading.cluster is None:
            return None
        elif line and self.sources.bibliography is None and self.missing is not None:
            cause = self.reporter.cause(self.missing)  # not an unknown key per citation
            if str(cause) not in page.notices:
                page.notices.append(str(cause))
        elif line:
            mark = cite.CitationMark(reading.cluster.keys, line, 0, len(shown), reading.cluster)
            problems = cite.check_keys([mark], known, page.source, shown)
            for key in reading.cluster.keys:  # a broken entry is reported there; its citers show it
                page.notices += [
                    str(p) for p in self.sources.entry_problems.get(key, []) if str(p) not in page.notices
                ]
        self.reporter.add(problems)
        page.notices += [str(p) for p in problems]
        return reading if reading.cluster is not None else None

    def number(self, ordered: Sequence[tuple[PageState, str]]) -> None:
        """Number citations by first use, in reading order, and note where each is cited."""
        self.record.numbering = numbering = Numbering()
        bib = self.sources.bibliography
        if bib is None:
            return
        for page, content in ordered:
            for use in uses(page, content, article=not outside(page.src, self.outside_article)):
                numbering.visit([k for k in use.keys if k in bib], use.place)
        unused = sorted(set(bib.references) - set(numbering.numbers))
        if unused:
            entries = "entry is" if len(unused) == 1 else "entries are"
            log.info("%d bibliography %s never cited: %s", len(unused), entries, ", ".join(unused))

    def fillers(self, page: PageState) -> dict[Slot, Filler]:
        """The fillers of a page's citations, source lists and references list."""
        bib = self.sources.bibliography
        if bib is None:
            return {}
        numbering = self.record.numbering

        hrefs: dict[str, str] = {}

        def href(key: str) -> str:
            """The link to ``key``'s entry, once per key and page (a page links each source many times)."""
            found = hrefs.get(key)
            if found is None:
                found = hrefs[key] = self.links.resolve(cite.fragment(key), page.src)
            return found

        def back(place: str) -> str:
            src, _, fragment = place.partition("#")
            return self.links.resolve(Target(TargetKind.PAGE, src, fragment), page.src) or place

        def citation(found: Found) -> str:
            cluster = cluster_of(found.arg, found.inner)
            if cluster is None:  # not ours after all: left as written
                return found.before + slot(Slot.CITE, found.arg, found.inner)
            return joined(found, cite.citation_html(cluster, numbering, bib, href), cluster)

        return {
            Slot.CITE: citation,
            Slot.SOURCES: lambda found: cite.sources_html(found.arg.split(","), numbering, bib, href),
            Slot.REFERENCES: lambda _: references_html(bib, numbering, back, self.record.order),
        }
