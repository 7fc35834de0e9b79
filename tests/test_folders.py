"""The project's folders: pathway files apart from the docs, the cache inside neither, the library private."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs_mechanisms.errors import MechanismsError
from mkdocs_mechanisms.folders import Folders
from mkdocs_mechanisms.options import Options
from mkdocs_mechanisms.places import OptionPlaces


@pytest.mark.parametrize(
    ("options", "path"),
    [
        (Options(diagrams_dir="docs/diagrams"), "plugins.mechanisms.diagrams_dir"),
        (Options(cache_dir="docs/.cache"), "plugins.mechanisms.cache_dir"),
        (Options(cache_dir="diagrams/cache"), "plugins.mechanisms.cache_dir"),
    ],
)
def test_folders_that_would_make_serving_rebuild_forever_are_refused(
    tmp_path: Path, options: Options, path: str
) -> None:
    with pytest.raises(MechanismsError) as error:
        Folders.of(tmp_path, tmp_path / "docs", options).check()
    assert [p.path for p in error.value.problems] == [path]


def test_the_bibliography_and_any_bib_file_are_private_and_glossary_pages_are_found(tmp_path: Path) -> None:
    folders = Folders.of(tmp_path, tmp_path / "docs", Options(bibliography="refs/library.txt"))
    folders.check()
    assert folders.is_private("refs/library.txt") and folders.is_private("other.BIB")
    assert not folders.is_private("index.md")
    found, problems = folders.glossary_pages(
        ["glossary/a.md", "glossary/index.md", "glossary/sub/b.md", "x.md"]
    )
    assert found == [folders.docs_dir / "glossary/a.md"] and len(problems) == 1


@pytest.mark.parametrize(
    ("options", "option"),
    [
        (Options(diagrams_dir="docs/diagrams"), "diagrams_dir"),
        (Options(cache_dir="docs/.cache"), "cache_dir"),
    ],
)
def test_a_refused_folder_is_reported_where_its_option_is_written(
    tmp_path: Path, options: Options, option: str
) -> None:
    places = OptionPlaces("zensical.toml", {option: 7})
    with pytest.raises(MechanismsError) as error:
        Folders.of(tmp_path, tmp_path / "docs", options, places).check()
    [problem] = error.value.problems
    assert (problem.file, problem.line, problem.path) == ("zensical.toml", 7, f"plugins.mechanisms.{option}")
