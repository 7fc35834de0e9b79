"""Loading sources: a configured folder or bibliography that is missing or not BibTeX is one message."""

from __future__ import annotations

import html
import logging
from pathlib import Path

import pytest
from conftest import MINIMAL_PATHWAY, build_site, minimal_files, term_page, write_site
from hosts import serve_build


def _config(option: str) -> str:
    return f"site_name: T\nplugins:\n  - mechanisms:\n      {option}\n"


def test_a_missing_diagrams_dir_is_named_once(tmp_path: Path, build_error) -> None:
    error = build_error(write_site(tmp_path, minimal_files(), _config("diagrams_dir: pathway-files")))
    assert error.count("diagrams folder 'pathway-files' does not exist") == 1, error
    assert "mkdocs.yml: plugins.mechanisms.diagrams_dir:" in error
    assert "unknown pathway" not in error


def test_a_missing_bibliography_is_named_once(tmp_path: Path, build_error) -> None:
    error = build_error(write_site(tmp_path, minimal_files(), _config("bibliography: refs.bib")))
    assert error.count("the bibliography 'refs.bib' does not exist") == 1, error
    assert "unknown citation key" not in error


def test_a_bibliography_that_is_not_bibtex_is_named_once(tmp_path: Path, build_error) -> None:
    files = minimal_files()
    files["docs/references.bib"] = "Smith J. A study of receptor Y. J Tests. 2020;1:3-4.\nJones A. Another.\n"
    error = build_error(write_site(tmp_path, files))
    assert error.count("docs/references.bib:1: the bibliography has no BibTeX entries") == 1, error
    assert "unknown citation key" not in error


def test_a_glossary_page_in_a_subfolder_is_named(tmp_path: Path, build_error) -> None:
    files = minimal_files()
    files["docs/glossary/drugs/zeta.md"] = term_page("Zeta", "drug", "A z.")
    error = build_error(write_site(tmp_path, files))
    assert (
        "docs/glossary/drugs/zeta.md: glossary pages sit directly in 'glossary/'; "
        "this one is in a subfolder, so it is not a term (move it to glossary/zeta.md)"
    ) in error
    assert "zeta.md', but the target" not in error


def _twenty_citing_pages(files: dict[str, str]) -> dict[str, str]:
    for i in range(20):
        files[f"docs/p{i}.md"] = (
            f"# P{i}\n\nA [@smith2020].\n\nB [@jones2021; @smith2020].\n\n```pathway\nx-blocks-y\n```\n"
        )
    return files


def _serve_once(cfg: Path) -> tuple[list[str], Path]:
    """One build as `mkdocs serve` runs it (nothing stops); the warnings it logged, and the site."""
    records: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        site = serve_build(cfg)
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    return records, site


@pytest.mark.parametrize(
    ("case", "cause"),
    [
        ("bibliography: refs.bib", "the bibliography 'refs.bib' does not exist"),
        ("default bibliography", "the bibliography 'references.bib' does not exist"),
        ("not bibtex", "docs/references.bib:1: the bibliography has no BibTeX entries"),
        ("diagrams_dir: pathway-files", "the diagrams folder 'pathway-files' does not exist"),
        ("default diagrams", "the diagrams folder 'diagrams' does not exist"),
    ],
)
def test_serving_names_a_missing_source_once_not_at_every_citation(
    tmp_path: Path, case: str, cause: str
) -> None:
    files = _twenty_citing_pages(minimal_files())
    if "bib" in case:
        del files["docs/references.bib"]
    if case == "not bibtex":
        files["docs/references.bib"] = "Smith J. A study of receptor Y. J Tests. 2020.\n"
    if "diagrams" in case:
        del files["diagrams/x-blocks-y.md"]
    logged, site = _serve_once(write_site(tmp_path, files, _config(case) if ":" in case else ""))
    assert [line for line in logged if "mechanisms" in line or "docs/" in line] == [
        line for line in logged if cause in line
    ], logged
    assert len([line for line in logged if cause in line]) == 1, logged
    page = (site / "p7/index.html").read_text(encoding="utf-8")
    assert 'class="mechanisms-error' in page and html.escape(cause, quote=True) in page  # shown where met


@pytest.mark.parametrize(
    ("gone", "cause"),
    [
        (
            "docs/references.bib",
            "mkdocs.yml: plugins.mechanisms.bibliography: the bibliography 'references.bib' ",
        ),
        (
            "diagrams/x-blocks-y.md",
            "mkdocs.yml: plugins.mechanisms.diagrams_dir: the diagrams folder 'diagrams' ",
        ),
    ],
)
def test_a_missing_default_source_in_use_is_named_as_a_configured_one(
    tmp_path: Path, build_error, gone: str, cause: str
) -> None:
    files = _twenty_citing_pages(minimal_files())
    del files[gone]
    error = build_error(write_site(tmp_path, files))
    assert error.count(cause) == 1, error
    assert "unknown citation key" not in error and "unknown pathway" not in error, error


def test_a_missing_default_bibliography_is_no_mistake_when_nothing_cites(tmp_path: Path) -> None:
    files = minimal_files()
    del files["docs/references.bib"]
    files["docs/index.md"] = "# Home\n\n```pathway\nx-blocks-y\n```\n"
    files["docs/deep/nested/page.md"] = "# Deep\n"
    files["docs/glossary/drug-x.md"] = term_page("Drug X", "drug", "A test drug.", body="Plain.")
    files["docs/glossary/receptor-y.md"] = term_page(
        "Receptor Y", "receptor", "A test receptor.", body="Plain."
    )
    files["diagrams/x-blocks-y.md"] = (
        MINIMAL_PATHWAY.replace("cite: [smith2020]\n", "")
        .replace(", cite: [smith2020]", "")
        .replace(" [@smith2020]", "")
    )
    build_site(tmp_path, files)
