"""The article site as a scholarly text: its references read like the article's, its departures are marked.

One build of the real site (docs/, diagrams/, mkdocs.yml), checked against the
seed article and against the site's own list of editorial notes.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from conftest import REPO, copy_article
from helpers_core import ARTICLE_REFERENCES as ORDER
from helpers_core import seed_article
from mkdocs.commands.build import build
from mkdocs.config import load_config

ARTICLE = seed_article()
NOTE = '!!! note "Editor’s note"'
"""The one form of an editorial note, in every page that departs from the article."""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("article")
    cfg = copy_article(root)
    build(load_config(str(cfg), site_dir=str(root / "site"), strict=True))
    return root / "site"


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


def test_every_editorial_note_has_one_form_and_is_listed() -> None:
    sources = _sources()
    with_notes = set()
    for uri, text in sources.items():
        for line in text.splitlines():
            if re.search(r"editor", line, re.I) and line.lstrip().startswith(("!!!", "???")):
                assert line.strip() == NOTE, f"{uri}: editorial notes are written {NOTE!r}"
                with_notes.add(uri)
    listing = sources["editorial-notes.md"]
    listed = set(re.findall(r"^\| \[[^\]]+\]\(([^)#]+)\)", listing, re.M))
    assert with_notes == listed, (sorted(with_notes - listed), sorted(listed - with_notes))
    assert len(listed) >= 10


def test_the_rendered_notes_are_admonitions(site: Path) -> None:
    for page in (
        "ketamine",
        "psilocybin",
        "looking-forward",
        "references",
        "pathways/psilocybin-glutamate-surge",
    ):
        text = (site / page / "index.html").read_text(encoding="utf-8")
        assert '<p class="admonition-title">Editor’s note</p>' in text, page


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
    for name in ("common-mechanisms", "psilocybin"):
        page = (site / name / "index.html").read_text(encoding="utf-8")
        assert "[@" not in page, name
        assert re.search(r"</sup>:", page), name
