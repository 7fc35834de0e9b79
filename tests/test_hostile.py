"""Hostile input: no text from a source file runs as script, and every mistake is one clear message.

The regressions of issue 13 first, then the payload matrix (surfaces × payloads).
"""

from __future__ import annotations

import re
from pathlib import Path

from conftest import MINIMAL_PATHWAY, build_site, minimal_files, term_page, write_site
from hostile import live_payloads, number, payload

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
