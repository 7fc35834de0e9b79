"""The Zensical preparation converts a page again only when it or a source it used changed.

Each test prepares a small site (the preparation is a process of its own under
``zensical serve`` and ``build``: only the cache folder links two runs), edits one source,
prepares again, counts the pages the collecting pass converted, and compares the saved
state and every file handed to Zensical with a cold preparation of the edited sources.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_site
from mkdocs_mechanisms.zensical import PAGES, STATE, prepare
from test_deps import files

pytest.importorskip("zensical")

EMBEDDING_X = {"index.md", "deep/nested/page.md", "pathways/x-blocks-y.md"}


class Preparations:
    """Preparations of one site, each as a fresh process would make it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cfg = write_site(root, files())
        self.first = set(prepare(self.cfg, serving=True).converted)

    def again(self) -> set[str]:
        """Prepare again; the pages converted (the rest were kept from the last preparation)."""
        return set(prepare(self.cfg, serving=True).converted)

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.root / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    def assert_same_as_cold(self) -> None:
        """The state and Zensical's docs as a preparation with nothing kept makes them."""
        cache = self.root / ".cache/mechanisms"
        state = (cache / STATE).read_bytes()
        warm = prepare(self.cfg, serving=True)
        assert warm.converted == []
        (cache / PAGES).unlink()
        cold = prepare(self.cfg, serving=True)
        assert set(cold.converted) == self.first
        assert (cache / STATE).read_bytes() == state
        assert cold.outputs == warm.outputs


@pytest.fixture
def site(tmp_path: Path) -> Preparations:
    return Preparations(tmp_path)


def test_a_cold_preparation_converts_every_page_and_a_warm_one_none(site: Preparations) -> None:
    assert EMBEDDING_X | {"plain.md", "lone.md", "references.md"} <= site.first
    assert site.again() == set()
    site.assert_same_as_cold()


def test_a_page_edit_converts_that_page(site: Preparations) -> None:
    site.edit("docs/plain.md", "Nothing here but words.", "Nothing here but other words.")
    assert site.again() == {"plain.md"}
    site.assert_same_as_cold()


def test_a_pathway_edit_converts_its_pages(site: Preparations) -> None:
    site.edit("diagrams/z-to-w.md", "label: Double-u", "label: Double-you")
    assert site.again() == {"lone.md", "pathways/z-to-w.md", "pathways/index.md"} & site.first
    site.assert_same_as_cold()


def test_a_glossary_edit_converts_the_pages_that_show_the_term(site: Preparations) -> None:
    site.edit("docs/glossary/receptor-y.md", "A test receptor.", "A receptor, edited.")
    shown = EMBEDDING_X | {"glossary/drug-x.md", "glossary/receptor-y.md", "glossary/index.md"}
    assert site.again() == shown & site.first
    site.assert_same_as_cold()


def test_a_new_early_citation_renumbers_later_pages_without_converting_them(site: Preparations) -> None:
    site.edit(
        "docs/index.md", "Drug X is interesting [@smith2020].", "First [@jones2021]. Drug X [@smith2020]."
    )
    assert site.again() == {"index.md"}
    site.assert_same_as_cold()


def test_an_unreadable_kept_file_costs_one_full_pass(site: Preparations) -> None:
    (site.root / ".cache/mechanisms" / PAGES).write_text("{not json", encoding="utf-8")
    assert site.again() == site.first
    assert site.again() == set()


def test_a_configuration_edit_converts_everything(site: Preparations) -> None:
    site.edit("mkdocs.yml", "site_name: Test", "site_name: Test edited")
    assert site.again() == site.first


INLINE = """# Inline

```pathway
---
id: inline-one
title: Drug X blocks receptor Y, inline
nodes:
  a: {label: Drug X, kind: drug, term: drug-x}
  b: {label: Receptor Y, kind: receptor}
edges:
  - {from: a, to: b, rel: blocks, cite: [smith2020]}
---
Drawn on this page only.
```

```pathway-compare
x-blocks-y z-to-w
```
"""


def test_a_page_with_diagrams_of_its_own_is_kept_with_its_exports(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs/inline.md").write_text(INLINE, encoding="utf-8")
    site = Preparations(tmp_path)
    assert "inline.md" in site.first
    assert site.again() == set()
    assert "pathways/compare/x-blocks-y--z-to-w.json" in prepare(site.cfg, serving=True).outputs
    site.assert_same_as_cold()
