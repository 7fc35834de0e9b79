"""What a citation style decides, as plain data: the in-text group, a formatted entry, linked identifiers.

Apart from :mod:`.csl` (which formats with citeproc-py) so that a build whose
bibliography is kept (:mod:`.bibstore`) writes its citations and references page
without importing citeproc-py, lxml or the BibTeX parser.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

DEFAULT_STYLE = "american-medical-association"
"""The seed article's style (AMA Manual of Style, 11th edition)."""
NORMAL, SUPPRESS_AUTHOR, AUTHOR_ONLY = "normal", "suppress-author", "author-only"
"""The forms of one cited item :mod:`.citeforms` prints."""


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
