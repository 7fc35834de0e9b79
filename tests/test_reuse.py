"""Under ``mkdocs serve``, an edit renders again only the pages that depend on what changed.

Each test builds a small site through MkDocs' own ``build`` twice with the same plugin
instance (as ``serve`` does: MkDocs keeps a plugin that has ``on_startup``), edits one
source in between, counts the pages converted again, and compares every page and the
search index with a cold build of the edited sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import write_site
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs_mechanisms.plugin import MechanismsPlugin
from test_deps import files

BUILD_DATE = re.compile(r"Build Date UTC : [^\n]*")
"""The mkdocs theme prints when it built a page, in a comment."""


class Server:
    """Builds of one site with one plugin instance, as ``mkdocs serve`` makes them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cfg = write_site(root, files())
        config = load_config(str(self.cfg), site_dir=str(root / "site"))
        config.plugins.on_startup(command="serve", dirty=False)
        self.plugin = config.plugins["mechanisms"]
        assert isinstance(self.plugin, MechanismsPlugin)
        build(config)

    def rebuild(self, site_dir: str = "site") -> set[str]:
        """Build again; the pages converted (the rest were reused)."""
        config = load_config(str(self.cfg), site_dir=str(self.root / site_dir))
        assert config.plugins["mechanisms"] is self.plugin
        build(config)
        return set(self.plugin.cache.rendered)

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.root / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def outputs(self, site_dir: str) -> dict[str, str]:
        folder = self.root / site_dir
        return {
            p.relative_to(folder).as_posix(): BUILD_DATE.sub("", p.read_text(encoding="utf-8"))
            for p in sorted(folder.rglob("*"))
            if p.suffix == ".html" or p.name == "search_index.json"
        }

    def assert_same_as_cold(self) -> None:
        """Every page and the search index as a build with nothing kept writes them."""
        warm = self.outputs("site")
        self.plugin.cache.clear()
        everything = self.rebuild("cold")
        assert "index.md" in everything
        cold = self.outputs("cold")
        assert warm.keys() == cold.keys()
        assert [name for name in warm if warm[name] != cold[name]] == []


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    made = Server(tmp_path)
    try:
        yield made
    finally:
        made.plugin.on_shutdown()  # MkDocs keeps the instance for the next test's builds too


EMBEDDING_X = {"index.md", "deep/nested/page.md", "pathways/x-blocks-y.md"}


def test_nothing_changed_nothing_converted(server: Server) -> None:
    assert len(server.plugin.cache.rendered) == 11  # the first build converts every page
    assert server.rebuild() == set()
    assert len(server.plugin.cache.reused) == 11
    server.assert_same_as_cold()


def test_a_pathway_edit_renders_its_pages(server: Server) -> None:
    server.edit("diagrams/z-to-w.md", "label: Double-u", "label: Double-you")
    assert server.rebuild() == {"lone.md", "pathways/z-to-w.md", "pathways/index.md"}
    assert "Double-you" in (server.root / "site/lone/index.html").read_text(encoding="utf-8")
    server.assert_same_as_cold()


def test_a_glossary_edit_renders_the_pages_that_show_the_term(server: Server) -> None:
    server.edit("docs/glossary/receptor-y.md", "A test receptor.", "A receptor, edited.")
    assert server.rebuild() == EMBEDDING_X | {
        "glossary/drug-x.md",
        "glossary/receptor-y.md",
        "glossary/index.md",
    }
    server.assert_same_as_cold()


def test_a_bibliography_edit_renders_the_citing_pages(server: Server) -> None:
    server.edit("docs/references.bib", "Another study", "Another study, edited")
    assert server.rebuild() == EMBEDDING_X | {
        "glossary/drug-x.md",
        "glossary/receptor-y.md",
        "references.md",
    }
    server.assert_same_as_cold()


def test_a_page_edit_renders_that_page(server: Server) -> None:
    server.edit("docs/plain.md", "Nothing here but words.", "Nothing here but other words.")
    assert server.rebuild() == {"plain.md"}
    server.assert_same_as_cold()


def test_a_new_early_citation_renumbers_later_pages_without_converting_them(server: Server) -> None:
    deep = server.root / "site/deep/nested/page/index.html"
    before = deep.read_text(encoding="utf-8")
    server.edit(
        "docs/index.md", "Drug X is interesting [@smith2020].", "First [@jones2021]. Drug X [@smith2020]."
    )
    assert server.rebuild() == {"index.md"}
    assert deep.read_text(encoding="utf-8") != before  # its citation numbers changed: filled again
    server.assert_same_as_cold()


def test_a_configuration_edit_renders_everything(server: Server) -> None:
    server.edit("mkdocs.yml", "site_name: Test", "site_name: Test edited")
    assert len(server.rebuild()) == 11
    server.assert_same_as_cold()


def test_a_front_matter_edit_renders_that_page(server: Server) -> None:
    server.edit("docs/plain.md", "# Plain", "---\ntitle: Plain, retitled\n---\n# Plain")
    assert server.rebuild() == {"plain.md"}
    server.assert_same_as_cold()


def test_a_pathway_taking_up_a_term_renders_that_terms_page(server: Server) -> None:
    server.edit(
        "diagrams/z-to-w.md", "z: {label: Zed, kind: process}", "z: {label: Zed, kind: process, term: drug-x}"
    )
    assert server.rebuild() == {"lone.md", "pathways/z-to-w.md", "pathways/index.md", "glossary/drug-x.md"}
    assert "Z leads to W" in (server.root / "site/glossary/drug-x/index.html").read_text(encoding="utf-8")
    server.assert_same_as_cold()
