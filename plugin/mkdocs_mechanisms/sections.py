"""HTML of the generated sections, in one layer: no host writes markup itself.

Each function takes plain data (titles, URLs already relative to the page
that shows them) and escapes every author string for its exact context.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .options import Colour


@dataclass(frozen=True)
class MentionedPage:
    """One page that mentions a term: its title, URL and the sections the term appears in."""

    title: str
    url: str
    sections: Sequence[tuple[str, str]] = ()
    """(anchor, heading) pairs, in page order."""


def mentioned_on_html(pages: Sequence[MentionedPage]) -> str:
    """The "Mentioned on" list of a term page, kept out of the search index.

    The list only repeats page titles and headings (navigation, indexed on their own pages),
    and a term mentioned all over a large site would grow its section past Zensical's index
    limit, which shrinks as the site's index grows (see ``docs/plugin/zensical.md``).
    """
    if not pages:
        return "<p><em>No page mentions this term yet.</em></p>"
    items = []
    for page in pages:
        url = html.escape(page.url, quote=True)
        links = " · ".join(
            f'<a href="{url}#{html.escape(anchor, quote=True)}">{html.escape(heading)}</a>'
            for anchor, heading in page.sections
        )
        items.append(f'<li><a href="{url}">{html.escape(page.title)}</a>{": " + links if links else ""}</li>')
    return f'<ul class="mechanisms-mentioned-on" data-search-exclude>{"".join(items)}</ul>'


def colours_css(colours: Mapping[str, Colour]) -> str:
    """Configured node colours, for the same palette selectors the shipped CSS uses (dark on screen only)."""
    light = "".join(f"  --mechanisms-{k}-fill: {v.light};\n" for k, v in sorted(colours.items()) if v.light)
    dark = "".join(f"  --mechanisms-{k}-fill: {v.dark};\n" for k, v in sorted(colours.items()) if v.dark)
    css = "/* Node colours configured in mkdocs.yml (plugins: mechanisms: colours). */\n"
    material_light = 'body[data-md-color-scheme]:not([data-md-color-scheme="slate"])'
    if light:
        css += f':root, {material_light}, [data-bs-theme="light"] {{\n{light}}}\n'
    if dark:
        css += f'@media screen {{\n[data-md-color-scheme="slate"], [data-bs-theme="dark"] {{\n{dark}}}\n}}\n'
        css += "@media screen and (prefers-color-scheme: dark) {\n"
        css += f":root:not([data-md-color-scheme]):not([data-bs-theme]) {{\n{dark}}}\n"
        if light:
            css += f"{material_light} {{\n{light}}}\n"
        css += "}\n"
    return css
