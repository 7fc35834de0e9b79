"""The engine knows which pages depend on which sources, from what each page used in a build."""

from __future__ import annotations

from pathlib import Path

from conftest import minimal_files, write_site
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs_mechanisms import deps
from mkdocs_mechanisms.deps import Dependencies
from mkdocs_mechanisms.reuse import Fingerprints
from mkdocs_mechanisms.site import Site

LONE_PATHWAY = """\
---
title: Z leads to W
nodes:
  z: {label: Zed, kind: process}
  w: {label: Double-u, kind: outcome}
edges:
  - {from: z, to: w, rel: leads-to}
---
Nothing cited, no term.
"""


def files() -> dict[str, str]:
    """The minimal site, plus a page drawing a pathway with no terms and a plain page."""
    out = minimal_files()
    out["diagrams/z-to-w.md"] = LONE_PATHWAY
    out["docs/lone.md"] = "# Lone\n\n```pathway\nz-to-w\n```\n"
    out["docs/plain.md"] = "# Plain\n\nNothing here but words.\n"
    return out


def built_site(tmp_path: Path) -> Site:
    cfg = write_site(tmp_path, files())
    config = load_config(str(cfg), site_dir=str(tmp_path / "site"))
    build(config)
    site = config.plugins["mechanisms"].site
    assert isinstance(site, Site)
    return site


def test_record_clears_a_page_and_finds_its_users() -> None:
    record = Dependencies()
    record.add("a.md", [deps.pathway("p"), deps.BIBLIOGRAPHY])
    record.add("b.md", [deps.term("t")])
    assert record.pages_using([deps.pathway("p")]) == {"a.md"}
    record.clear("a.md")
    assert record.pages_using([deps.pathway("p"), deps.BIBLIOGRAPHY]) == set()
    assert record.of("b.md") == {deps.term("t")}


def test_each_source_names_the_pages_that_used_it(tmp_path: Path) -> None:
    site = built_site(tmp_path)
    every = {
        "index.md",
        "deep/nested/page.md",
        "lone.md",
        "plain.md",
        "references.md",
        "glossary/index.md",
        "glossary/drug-x.md",
        "glossary/receptor-y.md",
        "pathways/index.md",
        "pathways/x-blocks-y.md",
        "pathways/z-to-w.md",
    }
    embedding_x = {"index.md", "deep/nested/page.md", "pathways/x-blocks-y.md"}
    x_terms = {"glossary/drug-x.md", "glossary/receptor-y.md"}
    # a pathway: the pages embedding it, its own page, its terms' pages, the pathways index
    assert site.dependents(["diagrams/z-to-w.md"]) == {"lone.md", "pathways/z-to-w.md", "pathways/index.md"}
    assert site.dependents([tmp_path / "diagrams/x-blocks-y.md"]) == embedding_x | x_terms | {
        "pathways/index.md"
    }
    # a glossary page: itself, the pages mentioning the term or showing it in a figure, the index
    assert site.dependents(["docs/glossary/drug-x.md"]) == embedding_x | x_terms | {"glossary/index.md"}
    # the bibliography: every page holding a citation, and the references page
    assert site.dependents(["docs/references.bib"]) == embedding_x | x_terms | {"references.md"}
    # an authored page: itself
    assert site.dependents(["docs/plain.md"]) == {"plain.md"}
    # the configuration, or a file the engine does not know: everything
    assert site.dependents(["mkdocs.yml"]) == every
    assert site.dependents(["diagrams/new-one.md"]) == every


def test_a_pages_fingerprint_changes_with_what_it_used(tmp_path: Path) -> None:
    site = built_site(tmp_path)
    before = {
        src: Fingerprints.of(site).page(site.deps.of(src)) for src in ("lone.md", "index.md", "plain.md")
    }
    pathway = tmp_path / "diagrams/z-to-w.md"
    pathway.write_text(LONE_PATHWAY.replace("Double-u", "Double-you"), encoding="utf-8")
    after = {src: Fingerprints.of(site).page(site.deps.of(src)) for src in before}
    assert [src for src in before if before[src] != after[src]] == ["lone.md"]


def test_each_source_is_one_object_however_many_pages_use_it() -> None:
    assert deps.term("drug-x") is deps.term("drug-x") and deps.term("drug-x") == deps.Source(
        deps.Kind.TERM, "drug-x"
    )
    assert deps.pathway("p") is deps.pathway("p") and deps.appears("t") is deps.appears("t")
    assert deps.term("p") != deps.pathway("p") and not hasattr(deps.term("p"), "__dict__")
