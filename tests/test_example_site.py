"""The second article, ``examples/caffeine``: it builds strictly and every part of it is in the output."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hosts import HOSTS, build_with

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "caffeine"
ROOT_ABSOLUTE = re.compile(r'(?:href|src)="/(?!/)')


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".yml":  # a plain YAML pathway: the whole file
        return yaml.safe_load(text)
    assert text.startswith("---\n"), path
    return yaml.safe_load(text.split("---\n", 2)[1])


PATHWAY_FILES = sorted([*(EXAMPLE / "diagrams").glob("*.md"), *(EXAMPLE / "diagrams").glob("*.yml")])


def pathway_ids() -> list[str]:
    return sorted(front_matter(p).get("id", p.stem) for p in PATHWAY_FILES)


@pytest.fixture(scope="module", params=HOSTS)
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build a copy of the example (so its render cache stays out of the repository), under each host."""
    root = tmp_path_factory.mktemp(f"caffeine-{request.param}") / "src"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("site", ".cache"))
    out = root / "site"
    build_with(request.param, root / "mkdocs.yml", out)
    return out


def test_example_has_at_least_two_pathways() -> None:
    ids = pathway_ids()
    assert len(ids) >= 2
    assert {"caffeine-adenosine-blockade", "caffeine-metabolism"} <= set(ids)


@pytest.mark.parametrize("path", PATHWAY_FILES, ids=lambda p: p.stem)
def test_every_edge_has_sources_and_a_note(path: Path) -> None:
    data = front_matter(path)
    assert data["cite"]
    for edge in data["edges"]:
        assert edge.get("cite") and edge.get("note"), edge


def test_every_pathway_has_its_page_and_exports(site: Path) -> None:
    for pid in pathway_ids():
        page = (site / "pathways" / pid / "index.html").read_text(encoding="utf-8")
        assert "<svg" in page and "mechanisms-walkthrough" in page
        assert (site / "pathways" / f"{pid}.svg").read_text(encoding="utf-8").lstrip().startswith("<?xml")
        assert "digraph" in (site / "pathways" / f"{pid}.dot").read_text(encoding="utf-8")
        data = json.loads((site / "pathways" / f"{pid}.json").read_text(encoding="utf-8"))
        assert data["id"] == pid and data["nodes"] and data["edges"]


def test_article_pages_embed_their_figures(site: Path) -> None:
    expected = {
        "index.html": ["caffeine-adenosine-blockade"],
        "adenosine/index.html": ["adenosine-sleep-pressure"],
        "metabolism/index.html": ["caffeine-metabolism"],
    }
    for page, pids in expected.items():
        html = (site / page).read_text(encoding="utf-8")
        assert '<figure class="mechanisms-figure"' in html, page
        for pid in pids:
            assert f"pathways/{pid}/" in html, (page, pid)
        assert not ROOT_ABSOLUTE.search(html), page
    blockade = (site / "blockade" / "index.html").read_text(encoding="utf-8")
    assert "mechanisms-compare" in blockade
    compare = site / "pathways" / "compare" / "adenosine-sleep-pressure--caffeine-adenosine-blockade.json"
    data = json.loads(compare.read_text(encoding="utf-8"))
    assert data["pathways"] == ["adenosine-sleep-pressure", "caffeine-adenosine-blockade"]
    only_caffeine = data["only"]["caffeine-adenosine-blockade"]
    assert any(n["term"] == "caffeine" for n in only_caffeine["nodes"])


def test_glossary_lists_every_term(site: Path) -> None:
    slugs = sorted(p.stem for p in (EXAMPLE / "docs" / "glossary").glob("*.md"))
    assert len(slugs) >= 8
    index = json.loads((site / "glossary" / "index.json").read_text(encoding="utf-8"))
    assert sorted(entry["slug"] for entry in index) == slugs
    html = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    for slug in slugs:
        assert f'href="{slug}/"' in html, slug
        assert (site / "glossary" / slug / "index.html").is_file(), slug


def test_references_list_every_doi(site: Path) -> None:
    bib = (EXAMPLE / "docs" / "references.bib").read_text(encoding="utf-8")
    dois = re.findall(r"^\s*doi\s*=\s*\{([^}]+)\}", bib, re.M)
    assert 5 <= len(dois) <= 8
    html = (site / "references" / "index.html").read_text(encoding="utf-8")
    for doi in dois:
        assert f'href="https://doi.org/{doi}"' in html, doi
    assert html.count('<li id="ref-') == len(dois), "every entry is cited somewhere"
