"""Helpers for hostile-input tests: payloads and a parser that finds active content in built HTML.

A string search cannot tell an escaped payload from a live one (and a theme's
filters change what it sees), so built pages are parsed: a payload is live when
it made an element, an event-handler attribute, a script, a refresh or a
``javascript:`` link. The browser tests load the same pages in Chromium.
"""

from __future__ import annotations

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
