"""What the engine adds to a site: pathway pages and exports, indexes, the references page, assets, schemas."""

from __future__ import annotations

from pathlib import Path

import pytest
from engine_site import FILES, SHARED, cold_build, write
from mkdocs_mechanisms.options import Options
from mkdocs_mechanisms.render.runner import GraphvizRunner
from mkdocs_mechanisms.site import Site

pytestmark = SHARED


@pytest.fixture
def clashing(tmp_path_factory: pytest.TempPathFactory, tmp_path: Path) -> Path:
    """The shared project with an authored page where a pathway's generated page goes (its cache shared)."""
    project, _ = cold_build(tmp_path_factory)
    write(tmp_path, {**FILES, "docs/pathways/other.md": "# Mine\n", "docs/references.md": "# Refs\n"})
    (tmp_path / ".cache").symlink_to(project / ".cache", target_is_directory=True)
    return tmp_path


def test_what_is_generated_and_what_an_authored_file_keeps(clashing: Path) -> None:
    warnings: list[str] = []
    site = Site(
        clashing,
        clashing / "docs",
        Options(),
        warn=warnings.append,
        runner=GraphvizRunner(clashing / ".cache/mechanisms"),
    )
    docs = clashing / "docs"
    authored = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file())
    paths = [item.path for item in site.start(authored)]
    assert warnings == [
        "diagrams/other.md:1: id: 'pathways/other.md' is generated from this pathway, but the docs already have one "
        "(rename the pathway or move docs/pathways/other.md: the folder is the plugin's)"
    ]
    assert not [p for p in paths if p.startswith("pathways/other.")]  # the clashing pathway adds nothing
    for ext in ("md", "json", "dot", "svg", "sbgn"):
        assert f"pathways/x-blocks-y.{ext}" in paths
    assert "references.md" not in paths  # the author's own references page is kept
    assert {"pathways/index.md", "glossary/index.md", "glossary/index.json"} <= set(paths)
    assert {"assets/mechanisms/mechanisms.css", "assets/mechanisms/colours.css"} <= set(paths)
    assert any(p.startswith("schemas/") and p.endswith(".schema.json") for p in paths)
    # every generated page is a page of the site from now on: links to it resolve
    assert site.links.resolve("pathways/x-blocks-y", "index.md") == "pathways/x-blocks-y/"


def test_search_indexes_a_generated_pathway_pages_text(tmp_path: Path) -> None:
    """Under MkDocs the search index holds a pathway page's own words, its walkthrough among them."""
    import json

    from conftest import minimal_files, write_site

    cfg = write_site(tmp_path, minimal_files(), "site_name: Test\nplugins:\n  - search\n  - mechanisms\n")
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    mkdocs_build(load_config(str(cfg), site_dir=str(tmp_path / "site"), strict=True))
    index = json.loads((tmp_path / "site/search/search_index.json").read_text(encoding="utf-8"))
    pathway = [
        doc
        for doc in index["docs"]
        if doc["location"].startswith("pathways/") and doc["location"] != "pathways/"
    ]
    text = " ".join(doc["text"] + " " + doc["title"] for doc in pathway)
    assert "More explanation with a citation" in text  # "How it works"
    assert "Step by step (2 steps)" in text and "Drug X is thought to block Y." in text  # the walkthrough
    assert "How it works" in {doc["title"] for doc in pathway}
    # the sections written as HTML (parts.py) are indexed as when the host converted them
    assert "Diagram as SVG" in text and "SBGN-ML map, Activity Flow" in text  # downloads
    assert "Source file: diagrams/x-blocks-y.md" in text
    assert "A study of receptor Y" in text  # sources
    term = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("glossary/drug-x/"))
    assert "A test drug." in term and "Kind: drug" in term  # a term page's summary and facts
