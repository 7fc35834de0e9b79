"""The engine's lifecycle, driven directly as every host's adapter drives it, and no host."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from engine_site import FILES, SHARED, Built, build, cold_build, write
from mkdocs_mechanisms.errors import MechanismsError
from mkdocs_mechanisms.render.runner import GraphvizRunner

pytestmark = SHARED


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return cold_build(tmp_path_factory)[0]


@pytest.fixture(scope="module")
def cold(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return cold_build(tmp_path_factory)[1]


def test_the_generated_pages_join_the_authored_ones(cold: Built) -> None:
    assert sorted(cold.html) == [
        "deep/nested/page.md",
        "glossary/drug-x.md",
        "glossary/index.md",
        "glossary/receptor-y.md",
        "index.md",
        "more.md",
        "pathways/index.md",
        "pathways/other.md",
        "pathways/x-blocks-y.md",
        "references.md",
    ]
    assert cold.warnings == [] and cold.site.reporter.problems == []


def test_every_deferred_slot_is_filled(cold: Built) -> None:
    for src, html in cold.html.items():
        for left in ("mechanisms-slot", "<!--mechanisms-", "mechanisms:"):
            assert left not in html, (src, left)
        assert "[@" not in html, src


def test_a_figure_is_let_go_once_its_page_has_it_in_place(cold: Built) -> None:
    shown = [src for src, html in cold.html.items() if "<figure" in html]
    assert shown
    for src in cold.html:
        state = cold.site.page(src)
        assert state is not None and state.figures == {}, src  # not held until the page is written


BAD_PAGE = "# Bad\n\nText.\n\n```pathway\nnope\n```\n\nCited [@nokey] and [@].\n"


@pytest.fixture
def with_bad_page(project: Path, tmp_path: Path) -> Path:
    """A copy of the project with one page of author mistakes (the cache shared: no renders)."""
    root = tmp_path / "bad"
    write(root, {**FILES, "docs/bad.md": "---\ntitle: Bad\n---\n" + BAD_PAGE})
    (root / ".cache").symlink_to(project / ".cache", target_is_directory=True)
    return root


def test_problems_stop_a_build_as_one_error_each_with_file_and_line(cold: Built, with_bad_page: Path) -> None:
    warnings: list[str] = []
    with pytest.raises(MechanismsError) as raised:
        build(with_bad_page, GraphvizRunner(with_bad_page / ".cache/mechanisms"), warned=warnings)
    found = [str(p) for p in raised.value.problems]
    assert found == warnings  # the one reporter: each logged once, all raised together
    assert found == [
        "docs/bad.md:8: unknown pathway 'nope' in 'pathway' fence (expected one of: other, x-blocks-y)",
        "docs/bad.md:12: unknown citation key '@nokey' (expected one of: jones2021, smith2020)",
        "docs/bad.md:12: malformed citation '[@]' (write [@key], [@a; @b] or [see @a, p. 3] with no space after '@';"
        " escape the bracket as \\[@ for literal text)",
    ]  # lines of the file, front matter counted


def test_while_serving_the_page_shows_its_problems_and_the_build_goes_on(
    cold: Built, with_bad_page: Path
) -> None:
    built = build(with_bad_page, GraphvizRunner(with_bad_page / ".cache/mechanisms"), serving=True)
    page = built.html["bad.md"]
    boxes = re.findall(r'<div class="mechanisms-error[ "].*?</div>', page, re.S)
    assert boxes and "unknown pathway &#x27;nope&#x27;" in "".join(boxes)
    assert '<span class="mechanisms-cite-missing" title="unknown key">?nokey</span>' in page
    assert "docs/bad.md:8:" in page and "docs/bad.md:12: unknown citation key" in page
    assert len(built.warnings) == 3 and built.html["index.md"] == cold.html["index.md"]


def test_the_engine_imports_no_host() -> None:
    code = (
        "import sys, mkdocs_mechanisms.site, mkdocs_mechanisms.markdown\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'mkdocs', 'zensical', 'jinja2'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"
