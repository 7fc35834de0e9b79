"""A bibliography kept between builds: recalled only for the same inputs, and printing the same."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from mkdocs_mechanisms import bibstore, sources
from mkdocs_mechanisms.citations import references_html
from mkdocs_mechanisms.cite import Bibliography, citation_html, sources_html
from mkdocs_mechanisms.citesyntax import Cluster, Item
from mkdocs_mechanisms.numbers import Numbering
from mkdocs_mechanisms.render.memo import Memo
from test_cite import BIB


@pytest.fixture
def memo(tmp_path: Path) -> Iterator[Memo]:
    kept = Memo(tmp_path / "cache")
    bibstore.use(kept)
    bibstore._recalled.clear()
    yield kept
    bibstore.use(None)
    bibstore._recalled.clear()


def _load(root: Path, style: str = "american-medical-association") -> Bibliography | None:
    return sources.load_sources(root, [], [], root / "refs.bib", style).bibliography


def _fresh_process() -> None:
    """What a new build's process starts with: nothing recalled, nothing read."""
    bibstore._recalled.clear()
    sources._BIBLIOGRAPHIES._kept.clear()


def _numbering(keys: list[str]) -> Numbering:
    numbering = Numbering()
    for key in keys:
        numbering.visit([key], ("Home", "index.md#intro"))
    return numbering


def _href(key: str) -> str:
    return f"references/#ref-{key}"


def test_a_warm_build_recalls_the_bibliography_without_reading_it(tmp_path: Path, memo: Memo) -> None:
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    first = _load(tmp_path)
    assert first is not None and first.entry_store is not None  # kept for the next build
    numbering = _numbering(["web2019", "vollenweider2010", "muller2020"])
    listed = references_html(first, numbering, lambda url: url)
    _fresh_process()
    read: list[str] = []
    original = sources._read_bibliography
    sources._read_bibliography = lambda *a: read.append("read") or original(*a)  # type: ignore[assignment,func-returns-value]
    try:
        second = _load(tmp_path)
        assert second is not None and second is not first
        assert second.references == first.references and second.group == first.group
        assert references_html(second, numbering, lambda url: url) == listed
        cluster = Cluster((Item("muller2020"), Item("web2019")))
        assert citation_html(cluster, numbering, second, _href) == citation_html(
            cluster, numbering, first, _href
        )
        assert sources_html(["web2019", "muller2020"], numbering, second, _href) == sources_html(
            ["web2019", "muller2020"], numbering, first, _href
        )
        assert read == []  # no citeproc-py, no style: the references page came from the store
        located = Cluster((Item("muller2020", label="page", locator="3"),))
        assert citation_html(located, numbering, second, _href) == citation_html(
            located, numbering, first, _href
        )
        assert read == ["read"]  # a locator needs the style: read for real, once
        assert second.styled is not None and second.forms is not None
        assert read == ["read"]
    finally:
        sources._read_bibliography = original  # type: ignore[assignment]


def test_other_text_or_style_is_read_again(tmp_path: Path, memo: Memo) -> None:
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    assert _load(tmp_path) is not None
    _fresh_process()
    assert bibstore.recall(tmp_path / "refs.bib", "refs.bib", "apa", tmp_path, lambda t: None) is None
    assert (
        bibstore.recall(
            tmp_path / "refs.bib", "other.bib", "american-medical-association", tmp_path, lambda t: None
        )
        is None
    )
    (tmp_path / "refs.bib").write_text(BIB.replace("Online", "Offline"), encoding="utf-8")
    assert (
        bibstore.recall(
            tmp_path / "refs.bib", "refs.bib", "american-medical-association", tmp_path, lambda t: None
        )
        is None
    )
    changed = _load(tmp_path)
    assert changed is not None and "Offline" in changed.references["web2019"].text
    apa = _load(tmp_path, "apa")
    assert apa is not None and not apa.group.numeric


def test_a_style_file_is_part_of_the_key(tmp_path: Path, memo: Memo) -> None:
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    folder = bibstore._style_file("apa", None)
    assert folder is not None
    (tmp_path / "mine.csl").write_bytes(folder.read_bytes())
    assert _load(tmp_path, "mine.csl") is not None
    _fresh_process()
    recall = lambda: bibstore.recall(tmp_path / "refs.bib", "refs.bib", "mine.csl", tmp_path, lambda t: None)  # noqa: E731
    assert recall() is not None
    _fresh_process()
    (tmp_path / "mine.csl").write_bytes(folder.read_bytes().replace(b"</style>", b"<!-- edited --></style>"))
    assert recall() is None


def test_a_bibliography_with_a_problem_is_not_kept(tmp_path: Path, memo: Memo) -> None:
    broken = BIB + "\n@article{broken,\n  title = {No end\n"
    (tmp_path / "refs.bib").write_text(broken, encoding="utf-8")
    loaded = sources.load_sources(tmp_path, [], [], tmp_path / "refs.bib")
    assert loaded.problems and loaded.bibliography is not None and loaded.bibliography.entry_store is None
    _fresh_process()
    assert (
        bibstore.recall(
            tmp_path / "refs.bib", "refs.bib", "american-medical-association", tmp_path, lambda t: None
        )
        is None
    )
    again = sources.load_sources(tmp_path, [], [], tmp_path / "refs.bib")
    assert [str(p) for p in again.problems] == [str(p) for p in loaded.problems]


def test_without_a_cache_folder_nothing_is_kept(tmp_path: Path) -> None:
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    bibstore.use(Memo(None))
    try:
        bib = _load(tmp_path)
        assert bib is not None and bib.entry_store is None
        assert (
            bibstore.recall(
                tmp_path / "refs.bib", "refs.bib", "american-medical-association", tmp_path, lambda t: None
            )
            is None
        )
    finally:
        bibstore.use(None)


def test_an_unreadable_record_is_read_again(tmp_path: Path, memo: Memo) -> None:
    (tmp_path / "refs.bib").write_text(BIB, encoding="utf-8")
    assert _load(tmp_path) is not None
    for record in (tmp_path / "cache" / bibstore.KIND).rglob("*"):
        if record.is_file():
            record.write_text("{not json", encoding="utf-8")
    _fresh_process()
    memo._memory.clear()
    again = _load(tmp_path)
    assert again is not None and again.styled is not None
