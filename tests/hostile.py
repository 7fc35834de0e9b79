"""Helpers for hostile-input tests: payloads and a parser that finds active content in built HTML.

A string search cannot tell an escaped payload from a live one (and a theme's
filters change what it sees), so built pages are parsed: a payload is live when
it made an element, an event-handler attribute, a script, a refresh or a
``javascript:`` link. The browser tests load the same pages in Chromium.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

PAYLOADS: dict[str, str] = {
    "script": "<script>alert({n})</script>",
    "onerror": "<img src=x onerror=alert({n})>",
    "svg-onload": '"><svg onload=alert({n})>',
    "javascript": "javascript:alert({n})",
    "comment": "--><script>alert({n})</script><!--",
    "cdata": "]]><script>alert({n})</script>",
    "title": "</title><script>alert({n})</script>",
    "meta-refresh": '0;url=https://evil.example/{n}" http-equiv="refresh" data-x="',
    "entities": "&lt;script&gt;alert({n})&lt;/script&gt;",
    "graphviz": "\\N \\G \\L \\E \\T \\H {n}",
    "html-label": "<<b>x{n}</b>>",
    "control": "a\x00b\x07c\x1bd {n}",
    "bidi": "abc\u202edcba {n}",
}
"""Payload templates; ``{n}`` becomes the payload's number, which is also what its alert shows."""

REFUSED = {"control", "bidi"}
"""Payloads that text fields refuse with a clear message (they cannot be shown safely)."""

MARKUP = {"script", "onerror", "svg-onload", "comment", "cdata", "title", "html-label"}
"""Payloads that are raw HTML: Markdown bodies pass raw HTML on by design, as every MkDocs page does."""


def payload(name: str) -> str:
    """The payload ``name`` with its number filled in."""
    return PAYLOADS[name].replace("{n}", str(number(name)))


def number(name: str) -> int:
    """The payload's number (its alert's message), from 101 up so it is never a step or figure number."""
    return 101 + list(PAYLOADS).index(name)


class _Finder(HTMLParser):
    def __init__(self, marker: str) -> None:
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self._in_script = True
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and self.marker in value:
                self.found.append(f"<{tag} {name}={value!r}>")
            if name in ("href", "src", "xlink:href", "action") and value.strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value!r}>")
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            self.found.append(f"<meta http-equiv=refresh content={values.get('content')!r}>")
        if tag == "img" and values.get("src") == "x":
            self.found.append(f"<img {attrs!r}>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and f"alert({self.marker})" in data:
            self.found.append(f"<script>{data[:60]}")


def live_payloads(html_text: str, n: int) -> list[str]:
    """Elements and attributes in ``html_text`` that payload number ``n`` made live."""
    finder = _Finder(str(n))
    finder.feed(html_text)
    finder.close()
    found = finder.found
    if re.search(rf"<b>x{n}</b>", html_text):
        found.append("<b> element from an HTML-like label")
    return found


# -- the payload matrix: surfaces × payloads, a few site builds in all --------------------------------

SHOWN = [name for name in PAYLOADS if name not in REFUSED]
"""Payloads every text field must show as text."""


BIB_REFUSED = {"graphviz", *REFUSED}
"""Payloads a bibliography field refuses with a clear message (``\\N`` is a LaTeX command there;
control and bidi characters are refused as in every other text field)."""


def yaml_str(text: str) -> str:
    """``text`` as a YAML double-quoted scalar (JSON is YAML)."""
    return json.dumps(text)


def pathway_text(name: str, p: str, *, markdown: bool) -> str:
    """A pathway whose every free-text field (ids and enums excluded) carries payload ``p``."""
    caption = p if markdown else "plain"
    return (
        f"---\ntitle: {yaml_str('T ' + p)}\nshort: {yaml_str('S ' + p)}\ncite: [smith2020]\n"
        f"regions:\n  pfc: {{label: {yaml_str('R ' + p)}}}\n"
        f"nodes:\n  a: {{label: {yaml_str('A ' + p)}, kind: drug, note: {yaml_str('N ' + p)}, same-as: {yaml_str('X ' + p)}}}\n"
        f"  b: {{label: {yaml_str('B ' + p)}, kind: receptor, region: pfc, term: drug-x}}\n"
        f"edges:\n  - {{from: a, to: b, rel: blocks, note: {yaml_str('E ' + p)}, cite: [smith2020]}}\n"
        f"---\nCaption {caption} [@smith2020].\n\nExplanation {caption}.\n"
    )


def bib_entry(key: str, p: str) -> str:
    return (
        f"@article{{{key},\n  author = {{Doe, {p}}},\n  title = {{Title {p}}},\n"
        f"  journal = {{Journal {p}}},\n  year = {{2020}},\n  note = {{Note {p}}}\n}}\n"
    )


def matrix_sites(minimal_files: dict[str, str], material: str) -> dict[str, tuple[dict[str, str], str]]:
    """Sites that put every shown payload into every surface: group name → (files, mkdocs.yml).

    ``pathways``: every text field of a pathway file, each pathway drawn in a
    page's fence, in a comparison and on its own page. ``pages``: glossary front
    matter, page titles, bibliography fields, figure captions and the plugin's
    text options. Page titles get the refused payloads
    too (they are the author's text, shown as text). Markdown bodies pass raw HTML by design, so they get only the
    payloads that are not markup.
    """
    pathways = dict(minimal_files)
    fences = ""
    for name in SHOWN:
        pathways[f"diagrams/p-{name}.md"] = pathway_text(name, payload(name), markdown=name not in MARKUP)
        fences += f"```pathway\np-{name}\n```\n\n"
    ids = [f"p-{name}" for name in SHOWN]
    for start in range(0, len(ids), 4):
        fences += "```pathway-compare\n" + " ".join(ids[start : start + 4]) + "\n```\n\n"
    pathways["docs/figures.md"] = "# Figures\n\n" + fences

    pages = dict(minimal_files)
    bib = minimal_files["docs/references.bib"]
    body = ""
    for name in PAYLOADS:
        p = payload(name)
        pages[f"docs/page-{name}.md"] = f"---\ntitle: {yaml_str('Page ' + p)}\n---\nCited [@b-{name}].\n"
        bib += bib_entry(f"b-{name}", p if name not in BIB_REFUSED else "plain")
        if name in REFUSED:
            continue
        slug = f"t-{name}"
        pages[f"docs/glossary/{slug}.md"] = (
            f"---\nterm: {yaml_str('Term ' + p)}\naliases: [{yaml_str('Alias ' + p)}]\nkind: drug\n"
            f"summary: {yaml_str('Summary ' + p)}\n---\nDefined [@b-{name}].\n"
        )
        body += f"```pathway-neighbourhood\n{slug}\n```\n\n"
        pages[f"diagrams/n-{name}.md"] = (
            "---\ntitle: N\nnodes:\n"
            f"  a: {{label: A, kind: drug, term: {slug}}}\n  b: {{label: B, kind: receptor}}\n"
            "edges:\n  - {from: a, to: b, rel: blocks}\n---\nPlain.\n"
        )
    pages["docs/references.bib"] = bib
    pages["docs/neighbourhoods.md"] = "# Neighbourhoods\n\n" + body
    label = " ".join(payload(name) for name in SHOWN)
    config = material.replace("  - mechanisms\n", f"  - mechanisms:\n      figure_label: {yaml_str(label)}\n")
    return {"pathways": (pathways, config), "pages": (pages, material)}
