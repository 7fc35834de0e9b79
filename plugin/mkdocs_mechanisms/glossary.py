"""The glossary: one index of terms, and the generated A–Z page and JSON index.

Terms are read elsewhere (``termpage``); this module checks that every name
points to one term only (the linker could not choose otherwise), answers
"which term is this?" for pathways and pages, and writes the generated
glossary index as Markdown, so MkDocs validates its links like any page.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from typing import TYPE_CHECKING
from urllib.parse import quote

from .errors import MechanismsError, Problem, did_you_mean
from .model import TERM_KINDS

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from .model import Edge, Pathway, Term

KIND_TITLES: dict[str, str] = {
    "drug": "Drugs",
    "receptor": "Receptors",
    "transporter": "Transporters",
    "transmitter": "Transmitters",
    "protein": "Proteins",
    "cell": "Cells",
    "process": "Processes",
    "outcome": "Outcomes",
    "hormone": "Hormones",
    "region": "Regions",
    "condition": "Conditions",
    "concept": "Concepts",
}
"""Section headings of the "By kind" part, in ``TERM_KINDS`` order."""

OTHER_GROUP = "0–9"
"""A–Z group of terms that do not start with a letter ("5-HT2A receptor"); listed first."""

_LEADING_PUNCTUATION = re.compile(r"^[\W_]+")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]])")


def sort_key(name: str) -> tuple[str, str]:
    """Order names as readers expect: case- and accent-blind, leading symbols ignored."""
    folded = _strip_accents(name).casefold()
    return _LEADING_PUNCTUATION.sub("", folded), folded


def letter_of(name: str) -> str:
    """The A–Z group of a name: its first letter upper-cased, or ``OTHER_GROUP``."""
    stripped = _LEADING_PUNCTUATION.sub("", _strip_accents(name))
    if not stripped or not stripped[0].isalpha():
        return OTHER_GROUP
    return stripped[0].upper()


def escape_markdown(text: str) -> str:
    """Make author text inert in Markdown: one line, no HTML, no emphasis, links or attributes."""
    text = html.escape(" ".join(text.split()), quote=False)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _anchor(prefix: str, label: str) -> str:
    """A stable heading id; non-ASCII letters become their code point."""
    if label == OTHER_GROUP:
        return f"{prefix}-0-9"
    safe = "".join(char if char.isascii() and char.isalnum() else f"u{ord(char):x}" for char in label.lower())
    return f"{prefix}-{safe}"


class Glossary:
    """Every term of the site, by slug, and the names that lead to it."""

    def __init__(self, terms: Iterable[Term]) -> None:
        problems: list[Problem] = []
        by_slug: dict[str, Term] = {}
        self._names: dict[str, str] = {}
        for term in sorted(terms, key=lambda t: (t.source, t.line, t.slug)):
            if term.slug in by_slug:
                other = by_slug[term.slug]
                problems.append(
                    Problem(
                        term.source,
                        term.line,
                        "slug",
                        f"'{term.slug}' is already defined by {other.source} (line {other.line})",
                    )
                )
                continue
            by_slug[term.slug] = term
            for index, name in enumerate(term.names()):
                key = _name_key(name)
                if not key:
                    continue
                owner = self._names.setdefault(key, term.slug)
                if owner == term.slug:
                    continue
                other = by_slug[owner]
                path = "term" if index == 0 else f"aliases[{index - 1}]"
                problems.append(
                    Problem(
                        term.source,
                        term.line,
                        path,
                        f"'{name}' is already defined by {other.source} (line {other.line})",
                        "a name may belong to one term only; remove it from one of them",
                    )
                )
        if problems:
            raise MechanismsError(problems)
        self.terms: dict[str, Term] = {
            term.slug: term for term in sorted(by_slug.values(), key=lambda t: (*sort_key(t.term), t.slug))
        }

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, slug: object) -> bool:
        return slug in self.terms

    def get(self, slug: str) -> Term | None:
        """The term with this slug, if any."""
        return self.terms.get(slug)

    def resolve(self, name: str) -> Term | None:
        """The term a slug, name or alias refers to (names case-insensitively), if any."""
        if name in self.terms:
            return self.terms[name]
        slug = self._names.get(_name_key(name))
        return self.terms[slug] if slug else None

    def check_slug(self, slug: str, file: str, line: int, path: str) -> Problem | None:
        """A problem for a reference to an unknown term, with the nearest slug as a hint."""
        if slug in self.terms:
            return None
        named = self._names.get(_name_key(slug))
        hint = f"did you mean '{named}'?" if named else did_you_mean(slug, self.terms)
        return Problem(file, line, path, f"unknown glossary term '{slug}'", hint)

    def index_json(self, url_for: Callable[[str], str]) -> str:
        """``glossary/index.json``: every term, sorted like the A–Z page, for search and tools."""
        entries = [
            {
                "slug": term.slug,
                "term": term.term,
                "aliases": list(term.aliases),
                "kind": term.kind,
                "summary": term.summary,
                "identifiers": list(term.identifiers),
                "url": url_for(term.slug),
            }
            for term in self.terms.values()
        ]
        return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"

    def index_markdown(
        self, link_for: Callable[[str], str], *, title: str | None = None, heading_ids: bool = True
    ) -> str:
        """Markdown of the glossary index: A–Z groups, then the same terms by kind.

        ``link_for(slug)`` is the term page's URL relative to the index page (``"bdnf/"``).
        The entries are HTML lists kept out of the search index (``data-search-exclude``):
        each term's own page is indexed with its name, aliases and summary, and one letter
        or kind of a large glossary would outgrow Zensical's index limit, which stops the
        build; the headings stay searchable. Heading ids (``{#letter-a}``, ``{#kind-drug}``,
        ``{#by-kind}``) need the ``attr_list`` extension; without it pass
        ``heading_ids=False`` and the jump line is left out.
        """
        lines: list[str] = []
        if title:
            lines += [f"# {escape_markdown(title)}", ""]
        count = len(self.terms)
        if not count:
            lines.append("No terms are defined yet.")
            return "\n".join(lines) + "\n"
        lines += [
            f"{count} term{'s' if count != 1 else ''}, listed A–Z and then grouped by kind. "
            "Hover over or focus a linked term anywhere on the site to see its summary.",
            "",
        ]

        letters: dict[str, list[Term]] = {}
        for term in self.terms.values():
            letters.setdefault(letter_of(term.term), []).append(term)
        groups = sorted(letters, key=lambda g: (g != OTHER_GROUP, sort_key(g)))
        kinds: dict[str, list[Term]] = {}
        for term in self.terms.values():
            kinds.setdefault(term.kind, []).append(term)
        kind_order = [k for k in TERM_KINDS if k in kinds] + sorted(k for k in kinds if k not in TERM_KINDS)

        def heading(level: int, text: str, ident: str) -> str:
            suffix = f" {{#{ident}}}" if heading_ids else ""
            return f"{'#' * level} {escape_markdown(text)}{suffix}"

        def entries(terms: list[Term], *, with_kind: bool) -> str:
            items = []
            for term in terms:
                target = quote(link_for(term.slug), safe="/#?=&:%.-_~")
                parts = [f'<a href="{html.escape(target)}">{html.escape(term.term)}</a>']
                if with_kind:
                    parts.append(f"<em>{html.escape(term.kind)}</em>")
                if term.summary.strip():
                    parts.append(html.escape(" ".join(term.summary.split())))
                items.append(f"<li>{' — '.join(parts)}</li>")
            return f'<ul class="mechanisms-glossary-index" data-search-exclude>{"".join(items)}</ul>'

        if heading_ids:
            jumps = [f"[{escape_markdown(g)}](#{_anchor('letter', g)})" for g in groups]
            jumps.append("[By kind](#by-kind)")
            lines += ["**Jump to:** " + " · ".join(jumps), ""]

        for group in groups:
            lines += [heading(2, group, _anchor("letter", group)), ""]
            lines.append(entries(letters[group], with_kind=True))
            lines.append("")

        lines += [heading(2, "By kind", "by-kind"), ""]
        for kind in kind_order:
            lines += [heading(3, KIND_TITLES.get(kind, kind.capitalize()), _anchor("kind", kind)), ""]
            lines.append(entries(kinds[kind], with_kind=False))
            lines.append("")
        return "\n".join(lines)


def _nodes_of(slug: str, pathway: Pathway) -> set[str]:
    return {node_id for node_id, node in pathway.nodes.items() if node.term == slug}


def related_terms(slug: str, pathways: Iterable[Pathway]) -> list[str]:
    """Terms one edge away from ``slug`` in any pathway, sorted; the "related terms" list."""
    related: set[str] = set()
    for pathway in pathways:
        mine = _nodes_of(slug, pathway)
        if not mine:
            continue
        for edge in pathway.edges:
            for near, far in ((edge.source, edge.target), (edge.target, edge.source)):
                if near in mine:
                    other = pathway.nodes.get(far)
                    if other is not None and other.term and other.term != slug:
                        related.add(other.term)
    return sorted(related)


def term_edges(slug: str, pathways: Iterable[Pathway]) -> list[tuple[Pathway, Edge]]:
    """Every edge touching a node of ``slug``: pathways in the order given, edges in file order.

    The term page draws its neighbourhood diagram from these.
    """
    found: list[tuple[Pathway, Edge]] = []
    for pathway in pathways:
        mine = _nodes_of(slug, pathway)
        if mine:
            found.extend(
                (pathway, edge) for edge in pathway.edges if edge.source in mine or edge.target in mine
            )
    return found


def interacting_terms(pathways: Iterable[Pathway]) -> set[str]:
    """Terms with at least one edge on some pathway: the ones that have a neighbourhood to draw."""
    found: set[str] = set()
    for pathway in pathways:
        for edge in pathway.edges:
            for end in (edge.source, edge.target):
                node = pathway.nodes.get(end)
                if node is not None and node.term:
                    found.add(node.term)
    return found


def pathways_using(slug: str, pathways: Iterable[Pathway]) -> list[Pathway]:
    """Pathways with a node linked to ``slug``, sorted by title; the "appears in" list."""
    using = [pathway for pathway in pathways if slug in pathway.terms()]
    return sorted(using, key=lambda p: (*sort_key(p.title), p.id))
