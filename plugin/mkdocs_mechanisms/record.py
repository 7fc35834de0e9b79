"""What the engine knows about each page while it is built, and what pages say about each other.

:class:`PageState` lives from the page's Markdown to its written HTML and is
dropped then; :class:`Record` is site-wide (citation numbers and where each
source is cited, mentions, titles, figure numbers, reading order) and is the
part of a build that Zensical's page process receives as plain data.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .cite import Marker
from .deps import Source
from .diagrams import DiagramKey
from .linker import Mention
from .numbers import Numbering
from .render.svg import EmbedInfo


@dataclass
class PageState:
    """What the engine knows about one page while it is built."""

    src: str
    url: str
    source: str
    """The file as problems name it (relative to the project root)."""
    first_line: int = 1
    title: str = ""
    figures: dict[int, tuple[str, bool]] = field(default_factory=dict)
    """Each figure fence's HTML (by its number on the page), and whether its caption goes in;
    dropped once the page's HTML has it in place."""
    svgs: dict[str, tuple[DiagramKey, EmbedInfo]] = field(default_factory=dict)
    markers: list[Marker] = field(default_factory=list)
    """``[@…]`` seen in the page's Markdown, consumed as the inline pattern reaches them."""
    notices: list[str] = field(default_factory=list)
    """Problems found while the page's Markdown was parsed, shown on the page when serving."""
    held: list[bytes] = field(default_factory=list)
    """Blocks kept out of search (embedded walkthroughs, legends), set aside until the page is written;
    zlib-compressed, as every page of a site waits with its own at once."""
    uses: set[Source] = field(default_factory=set)
    """The sources the page's rendering read (``deps.py``)."""
    mentioned: list[Mention] = field(default_factory=list)
    """The terms the page links (``Record.mentions`` holds them site-wide)."""
    troubled: bool = False
    """The page showed a problem: it is rendered again on every build, never reused."""

    def done(self) -> None:
        """Drop what only the page's own writing needed (its diagrams' places, the blocks set aside)."""
        self.svgs, self.held, self.figures = {}, [], {}


@dataclass
class Record:
    """What pages say about each other: citation numbers and uses, mentions, titles."""

    numbering: Numbering = field(default_factory=Numbering)
    mentions: dict[str, list[tuple[str, Mention]]] = field(default_factory=lambda: defaultdict(list))
    titles: dict[str, str] = field(default_factory=dict)
    figures: dict[str, int] = field(default_factory=dict)
    """Figure number of each pathway (and one-off figure), site-wide."""
    order: list[str] = field(default_factory=list)
    """Pages in reading order, by source path."""

    def to_json(self) -> dict[str, Any]:
        """A plain-data copy (Zensical's pages are rendered in another process)."""
        return {
            "numbers": self.numbering.numbers,
            "cited_on": self.numbering.cited_on,
            "mentions": {
                slug: [[src, m.slug, m.text, m.anchor, m.heading] for src, m in found]
                for slug, found in sorted(self.mentions.items())
            },
            "titles": self.titles,
            "figures": self.figures,
            "order": self.order,
        }

    def mentioned(
        self, slug: str, src: str, elsewhere: Callable[[str], bool]
    ) -> list[tuple[str, str, list[tuple[str, str]]]]:
        """Pages (other than ``src``) that mention ``slug``, in reading order: (page, title, its sections).

        ``elsewhere(page)``: the page is outside the article (its mentions are not listed).
        """
        by_page: dict[str, list[Mention]] = {}
        for page, mention in self.mentions.get(slug, []):
            if page != src and not elsewhere(page):
                by_page.setdefault(page, []).append(mention)
        rank = {page: i for i, page in enumerate(self.order)}
        listed = []
        for page in sorted(by_page, key=lambda s: (rank.get(s, len(rank)), s)):  # reading order
            title = self.titles.get(page) or page
            found: dict[str, str] = {}
            for mention in by_page[page]:
                if mention.anchor and mention.heading and mention.heading != title:
                    found.setdefault(mention.anchor, mention.heading)
            listed.append((page, title, list(found.items())))
        return listed

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Record:
        """The inverse of :meth:`to_json`."""
        record = cls()
        record.numbering.numbers = {str(k): int(v) for k, v in data.get("numbers", {}).items()}
        record.numbering.cited_on = {
            str(k): [tuple(str(x) for x in place) for place in v] for k, v in data.get("cited_on", {}).items()
        }
        record.figures = {str(k): int(v) for k, v in data.get("figures", {}).items()}
        record.order = [str(x) for x in data.get("order", [])]
        for slug, found in data.get("mentions", {}).items():
            record.mentions[slug] = [(src, Mention(s, t, a, h)) for src, s, t, a, h in found]
        record.titles = dict(data.get("titles", {}))
        return record
