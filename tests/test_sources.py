"""Loading sources: a configured folder or bibliography that is missing or not BibTeX is one message."""

from __future__ import annotations

from pathlib import Path

from conftest import minimal_files, term_page, write_site


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
