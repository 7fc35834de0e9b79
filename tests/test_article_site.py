"""The article site as a scholarly text: its references read like the article's, its departures are marked.

One build of the real site (docs/, diagrams/, mkdocs.yml), checked against the
seed article and against the site's own list of editorial notes.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from conftest import REPO, Articles
from helpers_core import ARTICLE_REFERENCES as ORDER
from helpers_core import seed_article

ARTICLE = seed_article()
MARKER = r"\[†\]\(((?:\.\./)*)editorial-notes\.md#([a-z0-9-]+)\)\{\.site-note title=\"Site note\"\}"
"""The one form of a site note: a dagger at the claim, linking to its entry on the editorial notes page."""


@pytest.fixture(scope="module")
def site(articles: Articles) -> Path:
    return articles("mkdocs").site


def _text(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", fragment)).split())


def test_references_are_numbered_as_in_the_article(site: Path) -> None:
    page = (site / "references" / "index.html").read_text(encoding="utf-8")
    items = re.findall(r'<li id="ref-([^"]+)" value="(\d+)">', page)
    assert items == [(key, str(n)) for n, key in enumerate(ORDER, start=1)]


@pytest.mark.skipif(ARTICLE is None, reason="the seed article is not beside the repository")
def test_references_page_reads_like_the_articles_list(site: Path) -> None:
    assert ARTICLE is not None
    listing = ARTICLE.read_text(encoding="utf-8").split("References")[-1].strip().splitlines()
    article = [re.sub(r"^\s*\d+\.\s*", "", line).strip() for line in listing]
    page = (site / "references" / "index.html").read_text(encoding="utf-8")
    ours = [
        _text(m.split('<span class="mechanisms-cited-on" data-search-exclude>')[0])
        for m in re.findall(r'<li id="ref-[^"]+" value="\d+">(.*?)</li>', page, re.S)
    ]
    assert len(ours) == len(article) == 15
    for key, mine, theirs in zip(ORDER, ours, article, strict=True):
        if key == "davis2021":  # the print issue, as the page's editor's note says
            theirs = theirs.replace("Published online November 4, 2020.", "2021;78(5):481-489.")
        assert mine == theirs, key
    assert "updates the article's entry" in _text(page)


def test_citation_groups_collapse_into_ranges(site: Path) -> None:
    home = (site / "index.html").read_text(encoding="utf-8")
    groups = [_text(g) for g in re.findall(r'<sup class="mechanisms-cite">(.*?)</sup>', home, re.S)]
    assert "4–8" in groups and "2,3" in groups
    assert all(re.fullmatch(r"\d+(?:–\d+)?(?:,\d+(?:–\d+)?)*", g) for g in groups), groups


def _sources() -> dict[str, str]:
    pages = {p.relative_to(REPO / "docs").as_posix(): p for p in (REPO / "docs").rglob("*.md")}
    pages |= {f"pathways/{p.name}": p for p in (REPO / "diagrams").glob("*.md")}
    return {uri: p.read_text(encoding="utf-8") for uri, p in pages.items() if not uri.startswith("plugin/")}


def _entries(listing: str) -> dict[str, set[str]]:
    """Entry id → the pages its "Where:" line names, from the editorial notes page."""
    entries: dict[str, set[str]] = {}
    for block in re.split(r"^### ", listing, flags=re.M)[1:]:
        anchor = re.search(r"\{ #([a-z0-9-]+) \}", block.splitlines()[0])
        assert anchor, f"entry without an id: {block.splitlines()[0]!r}"
        where = re.search(r"^\*\*Where:\*\*(.*?)(?:\n\n|\Z)", block, re.M | re.S)
        assert where, f"{anchor.group(1)}: no 'Where:' line"
        entries[anchor.group(1)] = set(re.findall(r"\]\(([^)#]+)\)", where.group(1)))
    return entries


def test_every_departure_is_marked_in_place_and_listed() -> None:
    """A dagger at the claim, an entry on the notes page, and the two agree page by page."""
    sources = _sources()
    entries = _entries(sources.pop("editorial-notes.md"))
    marked: dict[str, set[str]] = {}
    for uri, text in sources.items():
        assert not re.search(r"^\s*(?:!!!|\?\?\?)\+? note \"Editor", text, re.M), (
            f"{uri}: use a site note marker"
        )
        depth = "../" * uri.count("/")
        for prefix, anchor in re.findall(MARKER, text):
            assert prefix == depth, f"{uri}: the marker for {anchor} must link {depth}editorial-notes.md"
            marked.setdefault(anchor, set()).add(uri)
        daggers = text.replace("(†)", "").count("†")  # "(†)" names the mark in running text
        assert daggers == len(re.findall(MARKER, text)), f"{uri}: a dagger that is not a site note"
    assert set(marked) == set(entries), (
        sorted(set(marked) - set(entries)),
        sorted(set(entries) - set(marked)),
    )
    for anchor, pages in entries.items():
        assert marked[anchor] == pages, (anchor, sorted(marked[anchor] ^ pages))
    assert len(entries) >= 10


def test_the_rendered_markers_link_to_their_entries(site: Path) -> None:
    notes = (site / "editorial-notes" / "index.html").read_text(encoding="utf-8")
    for page, anchor in (
        ("ketamine", "ketamine-interneurons"),
        ("psilocybin", "figure-2-nmda"),
        ("looking-forward", "biomarkers"),
        ("references", "davis-print"),
        ("glossary/nmda-receptor", "open-channel-block"),
        ("pathways/psilocybin-glutamate-surge", "figure-2-nmda"),
    ):
        text = (site / page / "index.html").read_text(encoding="utf-8")
        up = "../" * (page.count("/") + 1)
        assert f'<a class="site-note" href="{up}editorial-notes/#{anchor}" title="Site note">†</a>' in text, (
            page
        )
        assert f'id="{anchor}"' in notes, anchor


def _pages(site: Path, folder: str) -> dict[str, str]:
    return {p.parent.name: p.read_text(encoding="utf-8") for p in (site / folder).glob("*/index.html")}


def test_a_pathway_pages_sources_are_listed_by_number(site: Path) -> None:
    pages = _pages(site, "pathways")
    listed = {}
    for name, page in pages.items():
        listing = page.split('id="sources"', 1)[1].split("</ul>", 1)[0]
        listed[name] = [
            int(_text(n)) for n in re.findall(r'<sup class="mechanisms-cite">(.*?)</sup>', listing, re.S)
        ]
    assert max(len(numbers) for numbers in listed.values()) >= 2, listed
    assert all(numbers and numbers == sorted(numbers) for numbers in listed.values()), listed


def test_a_captions_citations_stand_before_its_full_stop_and_name_each_source_once(site: Path) -> None:
    captions = [
        c
        for p in [site / "index.html", *site.rglob("*/index.html")]
        for c in re.findall(r"<figcaption[^>]*>(.*?)</figcaption>", p.read_text(encoding="utf-8"), re.S)
    ]
    cited = [c for c in captions if "mechanisms-cite" in c]
    assert len(cited) >= 3
    for caption in cited:
        assert not re.search(r"[.!?]\s*<sup", caption), caption
        numbers = [
            int(n)
            for group in re.findall(r'<sup class="mechanisms-cite">(.*?)</sup>', caption, re.S)
            for n in re.findall(r"\d+", _text(group))
        ]
        assert len(numbers) == len(set(numbers)), caption


def test_citations_before_a_colon_are_citations(site: Path) -> None:
    for name in ("glossary/ketamine", "psilocybin"):  # mid-line, and at a line's start
        page = (site / name / "index.html").read_text(encoding="utf-8")
        assert "[@" not in page, name
        assert re.search(r"</sup>:", page), name


def test_each_figure_says_how_sure_its_steps_are(site: Path) -> None:
    """In the figure (glyph after the number), the legend, the step text and the page."""
    for name, whole in (
        ("ketamine-glutamate-surge", "hypothesis"),
        ("psilocybin-glutamate-surge", "proposed"),
        ("shared-bdnf-cascade", "proposed"),
    ):
        page = (site / "pathways" / name / "index.html").read_text(encoding="utf-8")
        assert f"How established, as a whole: <em>{whole}</em>" in page, name
        assert re.search(r"<text[^>]*>\d+\?</text>", page), name
        assert 'class="mechanisms-certainty certainty-proposed"' in page, name  # the key's entry
        assert "certainty-proposed" in page.split('class="mechanisms-key')[0], name  # an edge's class
        assert '<em class="mechanisms-rel">is thought to' in page, name
    psilocybin = (site / "pathways" / "psilocybin-glutamate-surge" / "index.html").read_text(encoding="utf-8")
    assert 'Psilocybin</a> <em class="mechanisms-rel">is converted into</em>' in psilocybin
