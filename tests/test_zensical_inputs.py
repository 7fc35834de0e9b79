"""A ``zensical build`` after no change runs Zensical on the last preparation; any change prepares.

The tests prepare a small site as ``build`` does (fingerprint first, then the preparation,
then the record), change one thing, and ask whether the next build may skip preparing.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from conftest import minimal_files, write_site
from hosts import zensical_build
from mkdocs_mechanisms import zensical, zensical_config, zensical_files, zensical_inputs, zensical_shadow
from mkdocs_mechanisms.zensical_inputs import fingerprint, unchanged

pytest.importorskip("zensical")


def test_its_names_are_the_preparations() -> None:
    assert zensical_inputs.CONFIG == zensical_config.CONFIG
    assert zensical_inputs.STATE == zensical.STATE
    assert zensical_files.BLOCK_START.startswith(zensical_inputs.BLOCK_START)
    assert zensical_inputs.FOLDER == zensical_shadow.FOLDER


def prepare_as_build(cfg: Path) -> Path:
    """What ``build`` does when it prepares: the fingerprint first, the record after."""
    found = fingerprint(cfg)
    assert found is not None
    zensical_inputs.forget(found[1])
    with zensical_inputs.said() as said:
        prepared = zensical.prepare(cfg, serving=False)
    zensical_inputs.remember(found[1], found[0], prepared.config, prepared.outputs, said)
    return prepared.config


def skips(cfg: Path) -> bool:
    return unchanged(cfg, fingerprint(cfg)) is not None


@pytest.fixture
def site(tmp_path: Path) -> Path:
    files = minimal_files()
    files["docs/plain.md"] = "# Plain\n\nWords.\n"
    cfg = write_site(
        tmp_path,
        files,
        "site_name: !ENV [MECHANISMS_TEST_NAME, Test]\nplugins:\n  - mechanisms\n",
    )
    config = prepare_as_build(cfg)
    assert unchanged(cfg, fingerprint(cfg)) == config
    return cfg


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "old", "new"),
    [
        ("docs/plain.md", "Words.", "Other words."),
        ("diagrams/x-blocks-y.md", "Drug X acts", "Drug X works"),
        ("docs/references.bib", "A study of receptor Y", "A study of receptor Z"),
        ("mkdocs.yml", "site_name:", "use_directory_urls: false\nsite_name:"),
    ],
)
def test_an_edited_source_prepares_again(site: Path, name: str, old: str, new: str) -> None:
    edit(site.parent / name, old, new)
    assert not skips(site)
    edit(site.parent / name, new, old)
    assert skips(site)  # the prepared docs are still those of these sources


def test_an_added_file_or_a_changed_variable_prepares_again(site: Path, monkeypatch) -> None:
    (site.parent / "docs" / "new.md").write_text("# New\n", encoding="utf-8")
    assert not skips(site)
    (site.parent / "docs" / "new.md").unlink()
    monkeypatch.setenv("MECHANISMS_TEST_NAME", "Another name")
    assert not skips(site)


def test_what_was_handed_to_zensical_must_still_be_there(site: Path) -> None:
    cache = site.parent / ".cache" / "mechanisms"
    page = cache / zensical_shadow.FOLDER / "plain.md"
    text = page.read_bytes()
    page.unlink()
    assert not skips(site)
    page.write_bytes(text)
    assert skips(site)
    edit(site.parent / zensical_inputs.CONFIG, "site_name", "site_name ")
    assert not skips(site)


def test_a_cleared_record_or_gitignore_block_prepares_again(site: Path) -> None:
    gitignore = site.parent / ".gitignore"
    text = gitignore.read_text(encoding="utf-8")
    gitignore.write_text("", encoding="utf-8")
    assert not skips(site)
    gitignore.write_text(text, encoding="utf-8")
    (site.parent / ".cache" / "mechanisms" / zensical_inputs.INPUTS).write_text("{", encoding="utf-8")
    assert not skips(site)


def test_a_preparation_that_warned_is_not_skipped(site: Path) -> None:
    found = fingerprint(site)
    assert found is not None
    zensical_inputs.forget(found[1])
    warned = [(logging.WARNING, "mechanisms: a warning")]
    zensical_inputs.remember(found[1], found[0], site.parent / zensical_inputs.CONFIG, {}, warned)
    assert not skips(site)


def test_a_second_build_skips_preparing_and_builds_the_same_site(tmp_path: Path) -> None:
    write_site(tmp_path, minimal_files())
    first = zensical_build(tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    record = tmp_path / ".cache" / "mechanisms" / zensical_inputs.INPUTS
    kept = record.stat().st_mtime_ns
    built = {p.relative_to(tmp_path / "site"): p.read_bytes() for p in (tmp_path / "site").rglob("*.html")}
    second = zensical_build(tmp_path)
    assert second.returncode == 0, second.stdout + second.stderr
    assert record.stat().st_mtime_ns == kept  # no preparation ran
    again = {p.relative_to(tmp_path / "site"): p.read_bytes() for p in (tmp_path / "site").rglob("*.html")}
    assert again == built
