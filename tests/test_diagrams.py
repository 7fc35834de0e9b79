"""Diagrams: drawn once, cached across builds, embedded per page with links relative to that page."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from engine_site import SHARED, Built, build, cold_build
from mkdocs_mechanisms.diagrams import DiagramKey, DiagramKind
from mkdocs_mechanisms.render.runner import GraphvizRunner
from mkdocs_mechanisms.render.svg import embed_info

pytestmark = SHARED


@pytest.fixture(scope="module")
def cold(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return cold_build(tmp_path_factory)[1]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cold_build(tmp_path_factory)[0]


def test_one_embedding_serves_every_page_only_its_links_differ(cold: Built) -> None:
    diagrams, sources = cold.site.diagrams, cold.site.sources
    key = DiagramKey(DiagramKind.PATHWAY, "x-blocks-y")
    info = embed_info(diagrams.graphs[key], sources.terms)
    top = diagrams.embed(key, info, "mfig4", "index.md")
    deep = diagrams.embed(key, info, "mfig4", "deep/nested/page.md")
    assert 'href="glossary/drug-x/"' in top and 'href="../../../glossary/drug-x/"' in deep
    assert top.count("<a ") == deep.count("<a ") and top.count('href="') == deep.count('href="')
    for svg in (top, deep):
        assert "mechanisms:" not in svg and 'id="mfig4-' in svg and "@@" not in svg
    assert diagrams.embed(key, info, "mfig5", "index.md").count('id="mfig5-') == top.count('id="mfig4-')


def test_a_warm_build_starts_no_graphviz_and_builds_the_same_pages(cold: Built, project: Path) -> None:
    assert cold.site.runner.rendered > 0
    runner = GraphvizRunner(project / ".cache/mechanisms")  # a new process's runner: only the disk cache
    warm = build(project, runner)
    assert (runner.calls, runner.rendered) == (0, 0)
    assert warm.html == cold.html and warm.warnings == []


def test_a_diagram_is_embedded_once_whatever_figure_id_a_page_gives_it(cold: Built) -> None:
    """A cold build embeds each diagram once for all the pages that show it, not once per page."""
    diagrams, sources = cold.site.diagrams, cold.site.sources
    key = DiagramKey(DiagramKind.PATHWAY, "x-blocks-y")
    info = embed_info(diagrams.graphs[key], sources.terms)
    before = diagrams.runner.made["embed"]
    first = diagrams.embed(key, info, "mfig21", "index.md")
    second = diagrams.embed(key, info, "mfig22", "index.md")
    assert diagrams.runner.made["embed"] - before <= 1
    assert first.replace("mfig21", "mfig22") == second and "@@" not in first


def test_an_author_who_writes_the_stand_in_keeps_their_text(cold: Built) -> None:
    diagrams, sources = cold.site.diagrams, cold.site.sources
    key = DiagramKey(DiagramKind.PATHWAY, "x-blocks-y")
    info = replace(embed_info(diagrams.graphs[key], sources.terms), title="About @@mechanisms-fid@@")
    svg = diagrams.embed(key, info, "mfig31", "index.md")
    assert "About @@mechanisms-fid@@" in svg and 'id="mfig31-title"' in svg


def test_a_build_holds_no_svg_and_draws_one_again_if_its_cache_file_is_lost(
    project: Path, tmp_path: Path
) -> None:
    """Each SVG is read from the cache when asked (the build keeps one copy: the cache's)."""
    copy = tmp_path / "site"
    shutil.copytree(project, copy)
    runner = GraphvizRunner(copy / ".cache/mechanisms")
    diagrams = build(copy, runner).site.diagrams
    assert runner.held == 0 and runner.calls == 0
    key = DiagramKey(DiagramKind.PATHWAY, "x-blocks-y")
    svg = diagrams.svgs[key]
    (lost,) = [
        p for p in (copy / ".cache/mechanisms").glob("*/*.svg") if p.read_text(encoding="utf-8") == svg
    ]
    lost.unlink()
    assert diagrams.svgs[key].rstrip().endswith("</svg>") and runner.calls == 1
    assert lost.is_file()  # stored again


def test_the_pages_that_show_a_diagram_read_its_svg_once(
    cold: Built, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A warm page embeds from the cache: what the embedding's key needs is read once per build."""
    diagrams, sources = cold.site.diagrams, cold.site.sources
    key = DiagramKey(DiagramKind.PATHWAY, "x-blocks-y")
    info = embed_info(diagrams.graphs[key], sources.terms)
    diagrams.svgs.put(key, diagrams.svgs.dot(key))  # drawn again from the same DOT: nothing known yet
    drawn = type(diagrams.svgs)
    reads: list[DiagramKey] = []
    original = drawn.__getitem__
    monkeypatch.setattr(drawn, "__getitem__", lambda self, k: reads.append(k) or original(self, k))
    pages = [diagrams.embed(key, info, "mfig41", origin) for origin in ("index.md", "a/b.md", "c/d/e.md")]
    assert reads == [key] and 'href="../../glossary/drug-x/"' in pages[1]


def test_a_diagram_drawn_from_new_dot_is_embedded_from_its_new_svg(cold: Built) -> None:
    diagrams, sources = cold.site.diagrams, cold.site.sources
    key = DiagramKey(DiagramKind.PATHWAY, "x-blocks-y")
    other = next(k for k in diagrams.svgs if k != key and diagrams.svgs.dot(k) != diagrams.svgs.dot(key))
    info = embed_info(diagrams.graphs[key], sources.terms)
    before, dot = diagrams.embed(key, info, "mfig51", "index.md"), diagrams.svgs.dot(key)
    diagrams.svgs.put(key, diagrams.svgs.dot(other))
    try:
        after = diagrams.embed(key, info, "mfig51", "index.md")
        assert after != before and after == diagrams.embed(
            replace(other, narrow=key.narrow), info, "mfig51", "index.md"
        )
    finally:
        diagrams.svgs.put(key, dot)
    assert diagrams.embed(key, info, "mfig51", "index.md") == before
