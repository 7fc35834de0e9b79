"""Hostile input: no text from a source file runs as script, and every mistake is one clear message.

The regressions of issue 13 first, then the payload matrix (surfaces × payloads).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from conftest import MINIMAL_PATHWAY, build_site, minimal_files, term_page, write_site
from hostile import live_payloads, number, payload
from hosts import serve_build
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

MATERIAL = "site_name: T\ntheme:\n  name: material\n  custom_dir: {overrides}\nplugins:\n  - mechanisms\n"
OVERRIDES = Path(__file__).resolve().parent.parent / "overrides"


def _material(**extra: str) -> str:
    return MATERIAL.format(overrides=OVERRIDES)


def _live(site_dir: Path, name: str) -> dict[str, list[str]]:
    n = number(name)
    out = {}
    for path in sorted(site_dir.rglob("*.html")):
        found = live_payloads(path.read_text(encoding="utf-8"), n)
        if found:
            out[path.relative_to(site_dir).as_posix()] = found
    return out


def test_term_name_is_text_on_its_page_and_in_its_neighbourhood_caption(tmp_path: Path) -> None:
    files = minimal_files()
    files["docs/glossary/drug-x.md"] = term_page(
        "Drug X " + payload("onerror"), "drug", "A test drug.", body="Defined here."
    )
    site = build_site(tmp_path, files, _material())
    assert _live(site.site, "onerror") == {}
    assert "Every interaction involving Drug X &lt;img" in site.page("glossary/drug-x/")


def test_bibtex_key_cannot_leave_the_reference_comment(tmp_path: Path, build_error) -> None:
    files = minimal_files()
    files["docs/references.bib"] += "@article{k--><script>alert(7)</script>, title = {T}, year = {2020}}\n"
    files["diagrams/x-blocks-y.md"] = MINIMAL_PATHWAY.replace("cite: [smith2020]", "cite: [smith2020, k]")
    error = build_error(write_site(tmp_path, files, _material()))
    assert "docs/references.bib:" in error and "cannot be cited" in error


def test_cite_keys_are_checked_without_a_bibliography(tmp_path: Path, build_error) -> None:
    files = minimal_files()
    del files["docs/references.bib"]
    files["diagrams/x-blocks-y.md"] = MINIMAL_PATHWAY.replace(
        "cite: [smith2020]", "cite: ['x\"><img src=x onerror=alert(8)>']", 1
    )
    error = build_error(write_site(tmp_path, files, _material()))
    assert "diagrams/x-blocks-y.md:3: cite[0]: invalid citation key" in error


def test_titles_stay_text_in_title_and_meta(tmp_path: Path) -> None:
    files = minimal_files()
    files["docs/other.md"] = f"---\ntitle: '{payload('meta-refresh')}'\n---\n# Other\n"
    files["diagrams/x-blocks-y.md"] = MINIMAL_PATHWAY.replace(
        "title: Drug X blocks receptor Y", f"title: '{payload('title')} {payload('entities')}'"
    )
    site = build_site(tmp_path, files, _material())
    for name in ("meta-refresh", "title", "entities"):
        assert _live(site.site, name) == {}, name
    page = site.page("pathways/x-blocks-y/")
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)  # type: ignore[union-attr]
    assert title.startswith("&lt;/title&gt;&lt;script&gt;alert(107)") and "&amp;lt;script&amp;gt;" in title
    assert 'content="0;url=https://evil.example/108&#34; http-equiv=&#34;refresh' in site.page("other/")


def test_control_characters_in_labels_are_refused(tmp_path: Path, build_error) -> None:
    files = minimal_files()
    files["diagrams/x-blocks-y.md"] = MINIMAL_PATHWAY.replace("{label: Calm,", '{label: "Ca\\x07lm\\x1b",')
    error = build_error(write_site(tmp_path, files, _material()))
    assert "diagrams/x-blocks-y.md:9: nodes.outcome.label: invisible control character U+0007" in error


# -- a hostile file system ---------------------------------------------------------------------------


def _hostile_diagrams(root: Path) -> None:
    diagrams = root / "diagrams"
    diagrams.mkdir(parents=True, exist_ok=True)
    (diagrams / "loop.md").symlink_to("loop.md")
    (diagrams / "dangling.md").symlink_to("gone/nowhere.md")
    (diagrams / ".#x-blocks-y.md").symlink_to("user@host.1234:1700000000")  # an editor's lock file
    (diagrams / "x-blocks-y.md~").write_text("backup", encoding="utf-8")
    (diagrams / "#x-blocks-y.md#").write_text("autosave", encoding="utf-8")
    (diagrams / ".hidden.md").write_text("---\n", encoding="utf-8")
    os.mkfifo(diagrams / "pipe.md")
    (diagrams / "folder.md").mkdir()


@pytest.mark.timeout(60)
def test_links_pipes_folders_and_editor_droppings_are_skipped_with_one_warning_each(
    tmp_path: Path, warnings
) -> None:
    _hostile_diagrams(tmp_path)
    site = build_site(tmp_path, minimal_files(), strict=False)
    assert (site.site / "pathways/x-blocks-y/index.html").exists()
    found = [w.removeprefix("mechanisms: ") for w in warnings() if "diagrams/" in w]
    assert sorted(found) == [
        "diagrams/dangling.md: is a symbolic link to 'gone/nowhere.md', which does not exist; skipped",
        "diagrams/folder.md: is a folder, not a file; skipped",
        "diagrams/loop.md: is a symbolic link that loops back on itself; skipped",
        "diagrams/pipe.md: is not a regular file (a named pipe, socket or device); skipped",
    ]


@pytest.mark.timeout(60)
def test_a_hostile_file_system_fails_a_strict_build_without_a_traceback(tmp_path: Path) -> None:
    _hostile_diagrams(tmp_path)
    cfg = write_site(tmp_path, minimal_files())
    with pytest.raises(Abort):
        build(load_config(str(cfg), site_dir=str(tmp_path / "site"), strict=True))


def test_unreadable_and_overlong_files_are_named(tmp_path: Path, build_error) -> None:
    files = minimal_files()
    long_name = "a" * 240
    files[f"diagrams/{long_name}.md"] = MINIMAL_PATHWAY
    files["diagrams/latin1.md"] = ""
    cfg = write_site(tmp_path, files)
    (tmp_path / "diagrams/latin1.md").write_bytes(b"---\ntitle: Caf\xe9\n---\n")
    locked = tmp_path / "diagrams/locked.md"
    locked.write_text(MINIMAL_PATHWAY.replace("title:", "id: locked\ntitle:"), encoding="utf-8")
    locked.chmod(0)
    error = build_error(cfg)
    assert f"diagrams/{long_name}.md:2: pathway id is 240 characters long; at most 80 are allowed" in error
    assert "diagrams/latin1.md: cannot read file: 'utf-8' codec can't decode" in error
    if os.geteuid() != 0:  # root reads any file
        assert "diagrams/locked.md: cannot read file" in error


def test_overlong_ids_and_deep_regions_are_refused(tmp_path: Path, build_error) -> None:
    files = minimal_files()
    files["diagrams/long.md"] = MINIMAL_PATHWAY.replace("title:", f"id: {'b' * 300}\ntitle:")
    deep = (
        "".join(f"  r{i}: {{label: R{i}, parent: r{i + 1}}}\n" for i in range(1100))
        + "  r1100: {label: Top}\n"
    )
    files["diagrams/deep.md"] = MINIMAL_PATHWAY.replace("  pfc: {label: Prefrontal cortex}\n", deep).replace(
        "region: pfc", "region: r0"
    )
    error = build_error(write_site(tmp_path, files))
    assert "diagrams/long.md:2: id: pathway id is 300 characters long; at most 80 are allowed" in error
    assert "regions nest 1101 deep; at most 32 levels are allowed" in error
    assert "Traceback" not in error


def test_a_comparison_of_long_ids_has_a_short_export_name(tmp_path: Path) -> None:
    files = minimal_files()
    ids = [c * 80 for c in "pqr"]
    for pid in ids:
        files[f"diagrams/{pid}.md"] = MINIMAL_PATHWAY
    files["docs/compare.md"] = "# Compare\n\n```pathway-compare\n" + " ".join(ids) + "\n```\n"
    site = build_site(tmp_path, files)
    exports = [p.name for p in (site.site / "pathways/compare").iterdir()]
    assert len(exports) == 1 and len(exports[0]) < 130, exports


# -- mistakes that used to pass in silence ------------------------------------------------------------


def test_fence_mistakes_are_reported(tmp_path: Path, build_error) -> None:
    files = minimal_files()
    for pid in ("p2", "p3", "p4", "p5"):
        files[f"diagrams/{pid}.md"] = MINIMAL_PATHWAY
    files["docs/glossary/lonely.md"] = term_page("Lonely", "concept", "On no pathway.", body="Alone.")
    files["docs/fences.md"] = (
        "# Fences\n\n```pathway\nx-blocks-y p2\n```\n\n"
        "```pathway-compare\nx-blocks-y x-blocks-y\n```\n\n"
        "```pathway-compare\nx-blocks-y p2 p3 p4 p5\n```\n\n"
        "```pathway-neighbourhood\nnobody\n```\n\n"
        "```pathway-neighbourhood\nlonely\n```\n"
    )
    error = build_error(write_site(tmp_path, files))
    assert "docs/fences.md:3: a 'pathway' fence draws one pathway, but names 2: x-blocks-y p2" in error
    assert "docs/fences.md:7: a 'pathway-compare' fence names 'x-blocks-y' twice" in error
    assert "docs/fences.md:11: a 'pathway-compare' fence compares at most 4 pathways, not 5" in error
    assert "docs/fences.md:15: unknown glossary term 'nobody' in 'pathway-neighbourhood' fence" in error
    assert "docs/fences.md:19: glossary term 'lonely' has no interactions on any pathway" in error


def test_four_compared_pathways_each_have_a_swatch() -> None:
    css = (
        Path(__file__).resolve().parent.parent / "plugin/mkdocs_mechanisms/assets/mechanisms.css"
    ).read_text()
    for letter in "abcd":
        assert f".mechanisms-swatch-line.only-{letter} line" in css


def test_generated_pathway_names_are_reserved(tmp_path: Path, build_error) -> None:
    files = minimal_files()
    files["diagrams/index.md"] = MINIMAL_PATHWAY
    error = build_error(write_site(tmp_path / "a", files))
    assert "diagrams/index.md:1: id: pathway id 'index' is reserved" in error
    files = minimal_files()
    files["docs/pathways/x-blocks-y.md"] = "# Mine\n"
    error = build_error(write_site(tmp_path / "b", files))
    assert "diagrams/x-blocks-y.md:1: id: 'pathways/x-blocks-y.md' is generated from this pathway" in error


@pytest.mark.timeout(60)
def test_serving_a_hostile_file_system_builds_and_names_each_file(tmp_path: Path, warnings) -> None:
    """What hung or crashed `mkdocs serve` (a pipe, a link loop) is skipped with a warning there too."""
    _hostile_diagrams(tmp_path)
    cfg = write_site(tmp_path, minimal_files())
    serve_build(cfg, tmp_path / "site")
    assert "mechanisms-figure" in (tmp_path / "site/index.html").read_text(encoding="utf-8")
    skipped = [w for w in warnings() if "; skipped" in w]
    assert len(skipped) == 4 and any("diagrams/pipe.md" in w for w in skipped), skipped
