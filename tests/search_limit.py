"""Zensical's search index limit, as its 0.0.73 and 0.1.4 builds apply it (measured, not documented).

Zensical stops a build with "Search field 'text' at '<page>' exceeds the search index limit
(N token positions; maximum M for K items)" when one section's text has more tokens than M,
and M shrinks as the whole site's index grows: 65,536 positions for 8,301 items and 32,768 for
17,001 (probed with one long section and thousands of small ones; both versions). A token is a
run between matches of the configured separator (the default below) in the section's text with
its markup left out; elements carrying ``data-search-exclude`` are not indexed at all.
"""

from __future__ import annotations

import re

from lxml import html

SEPARATOR = re.compile(r'[\s\-_,:!=\[\]()\\"`/]+|\.(?!\d)')
"""Zensical's default ``plugins.search.separator`` (its ``config.py``)."""


def limit(items: int) -> int:
    """Token positions one field may hold in an index of ``items`` items (sections of all pages)."""
    return 2 ** (30 - max(items - 1, 1).bit_length())


def positions(text: str) -> int:
    """Token positions of an indexed text (markup already left out, as in ``search.json``)."""
    plain = re.sub(r"<[^>]*>", " ", text)
    return sum(1 for token in SEPARATOR.split(plain) if token)


def indexed_text(fragment: str) -> str:
    """The text of an HTML fragment as Zensical indexes it: ``data-search-exclude`` parts left out."""
    root = html.fragment_fromstring(fragment, create_parent="div")
    for element in root.xpath(".//*[@data-search-exclude]"):
        element.drop_tree()
    return str(root.text_content())
