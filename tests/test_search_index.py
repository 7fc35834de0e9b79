"""What every host's search index holds of the generated pages: their text, not their back-links.

Zensical stops a build when one section's text outgrows its index limit, and that limit shrinks
as the site grows (``search_limit``): the lists that only repeat other pages' titles ("Cited on",
"Mentioned on") stay out of the index on every host, the references and definitions stay in.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import minimal_files, write_site
from hosts import HOSTS, build_with

CONFIG = """\
site_name: Search
theme:
  name: material
markdown_extensions:
  - attr_list
  - md_in_html
plugins:
  - search
  - mechanisms
"""

CITING = "# Zebrafish notes\n\n## Tank work\n\nDrug X binds receptor Y here [@smith2020].\n"


def _indexed(site: Path) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Indexed text by page and every item, from MkDocs' or Zensical's index file."""
    mkdocs_index = site / "search" / "search_index.json"
    if mkdocs_index.exists():
        items = json.loads(mkdocs_index.read_text(encoding="utf-8"))["docs"]
    else:
        items = json.loads((site / "search.json").read_text(encoding="utf-8"))["items"]
    texts: dict[str, str] = {}
    for item in items:
        page = item["location"].split("#")[0]
        texts[page] = texts.get(page, "") + " " + item["title"] + " " + item["text"]
    return texts, items


@pytest.fixture(scope="module", params=HOSTS)
def indexed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[dict[str, str], list[dict[str, str]]]:
    root: Path = tmp_path_factory.mktemp(f"search-{request.param}")
    cfg = write_site(root, {**minimal_files(), "docs/zebrafish.md": CITING}, CONFIG)
    build_with(request.param, cfg, root / "site")
    return _indexed(root / "site")


def test_references_are_searched_without_their_cited_on_back_links(indexed) -> None:
    texts, _items = indexed
    references = texts["references/"]
    assert "A study of receptor Y" in references and "Smith" in references
    assert "Cited on" not in references and "Zebrafish" not in references and "Tank work" not in references


def test_a_term_page_is_searched_without_its_mentioned_on_list(indexed) -> None:
    texts, _items = indexed
    term = texts["glossary/drug-x/"]
    assert "A test drug" in term and "Mentioned on" in term  # the heading stays, as on every term page
    assert "Zebrafish" not in term and "Tank work" not in term
    assert "Zebrafish notes" in texts["zebrafish/"]  # the citing page itself is found


def test_the_pathways_index_is_searched_without_its_list_of_titles(indexed) -> None:
    texts, _items = indexed
    assert "Every mechanism on this site" in texts["pathways/"]
    assert "Drug X blocks receptor Y" not in texts["pathways/"]
    assert "Drug X blocks receptor Y" in texts["pathways/x-blocks-y/"]  # each pathway's own page is found


def test_a_term_page_is_searched_without_its_lists_of_pathways_and_neighbours(indexed) -> None:
    texts, _items = indexed
    term = texts["glossary/drug-x/"]
    assert "Appears in" in term and "Related terms" in term  # the headings stay
    assert "A test receptor" not in term, term  # the neighbour's summary, indexed on its own page
    assert "A test receptor" in texts["glossary/receptor-y/"]


def test_the_glossary_index_is_searched_by_its_headings_not_its_entries(indexed) -> None:
    texts, _items = indexed
    assert "By kind" in texts["glossary/"] and "Drugs" in texts["glossary/"]
    assert "A test drug" not in texts["glossary/"] and "A test receptor" not in texts["glossary/"]
