"""The ``mkdocs-mechanisms`` command: ``new DIR`` writes a starter site that builds strictly at once."""

from __future__ import annotations

import json
from importlib.metadata import entry_points
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs_mechanisms import __version__
from mkdocs_mechanisms.cli import DEFAULT_TITLE, main, render, scaffold_files

STARTER = {
    "mkdocs.yml",
    ".gitignore",
    "docs/index.md",
    "docs/references.bib",
    "docs/glossary/aspirin.md",
    "docs/glossary/cyclooxygenase.md",
    "diagrams/aspirin-cox.md",
}


def test_scaffold_is_package_data() -> None:
    assert {str(rel) for rel, _ in scaffold_files()} == STARTER


def test_new_writes_a_site_that_builds_strictly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "site"
    assert main(["new", str(root)]) == 0
    for name in STARTER:
        assert (root / name).is_file(), name
    assert "{{title}}" not in (root / "mkdocs.yml").read_text(encoding="utf-8")
    out = capsys.readouterr().out
    assert f"cd {root} && mkdocs serve" in out
    assert "docs/index.md" in out

    output = tmp_path / "out"
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(output), strict=True))

    home = (output / "index.html").read_text(encoding="utf-8")
    assert "<h1 id=" in home and DEFAULT_TITLE in home
    assert '<figure class="mechanisms-figure"' in home
    page = output / "pathways" / "aspirin-cox" / "index.html"
    assert page.is_file()
    for ext in ("svg", "dot", "json"):
        assert (output / "pathways" / f"aspirin-cox.{ext}").is_file(), ext
    data = json.loads((output / "pathways" / "aspirin-cox.json").read_text(encoding="utf-8"))
    assert data["id"] == "aspirin-cox" and all(e["cite"] and e["note"] for e in data["edges"])
    glossary = (output / "glossary" / "index.html").read_text(encoding="utf-8")
    assert 'href="aspirin/"' in glossary and 'href="cyclooxygenase/"' in glossary
    assert (output / "glossary" / "aspirin" / "index.html").is_file()
    references = (output / "references" / "index.html").read_text(encoding="utf-8")
    assert "https://doi.org/10.1038/newbio231232a0" in references
    assert "https://doi.org/10.1172/JCI108941" in references


def test_title_is_filled_in_safely(tmp_path: Path) -> None:
    title = 'Caffeine: "why" we stay awake # not a comment'
    root = tmp_path / "site"
    assert main(["new", str(root), "--title", title]) == 0
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == title
    assert (root / "docs" / "index.md").read_text(encoding="utf-8").startswith(f"# {title}\n")


def test_render_quotes_only_yaml() -> None:
    assert render("site_name: {{title}}\n", "mkdocs.yml", "a: b") == 'site_name: "a: b"\n'
    assert render("# {{title}}\n", "index.md", "a: b") == "# a: b\n"


def test_empty_title_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", str(tmp_path / "site"), "--title", "  "]) == 2
    assert "--title" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_existing_empty_folder_is_fine(tmp_path: Path) -> None:
    assert main(["new", str(tmp_path)]) == 0
    assert (tmp_path / "mkdocs.yml").is_file()


def test_refuses_a_non_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["new", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, "one clear message"
    assert "not empty" in err and "--force" in err and str(tmp_path) in err
    assert not (tmp_path / "mkdocs.yml").exists()
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_refuses_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "file"
    target.write_text("x", encoding="utf-8")
    assert main(["new", str(target)]) == 2
    assert "not a folder" in capsys.readouterr().err


def test_force_writes_into_a_non_empty_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: old\n", encoding="utf-8")
    assert main(["new", str(tmp_path), "--force", "--title", "New"]) == 0
    out = capsys.readouterr().out
    assert "mkdocs.yml  (overwritten)" in out
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert yaml.safe_load((tmp_path / "mkdocs.yml").read_text(encoding="utf-8"))["site_name"] == "New"
    for name in STARTER:
        assert (tmp_path / name).is_file(), name


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"mkdocs-mechanisms {__version__}"


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([]) == 2
    assert "new" in capsys.readouterr().err


def test_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["new"])
    assert exit_info.value.code == 2
    assert "DIR" in capsys.readouterr().err


def test_console_script_is_declared() -> None:
    scripts = entry_points(group="console_scripts", name="mkdocs-mechanisms")
    assert [s.value for s in scripts] == ["mkdocs_mechanisms.cli:main"]


@pytest.mark.slow
@pytest.mark.parametrize("host", ["zensical", "zensical-next"])
def test_new_zensical_writes_a_toml_site_that_zensical_builds_strictly(starters, host: str) -> None:
    """``new --zensical`` with a title holding a quote and a ``#`` (the build, strict, is shared
    with the look tests: ``starters`` in conftest.py)."""
    pytest.importorskip("zensical")
    root = starters(host, toml=True)
    assert starters.TITLE == 'Quotes " and # too'
    assert (root / "zensical.toml").is_file() and not (root / "mkdocs.yml").exists()
    index = (root / "site/index.html").read_text(encoding="utf-8")
    assert "mechanisms-figure" in index and "Quotes &#34; and # too" in index.replace("&quot;", "&#34;")
    assert (root / "site/references/index.html").is_file() and "[@vane1971]" not in index


@pytest.mark.parametrize(
    ("zensical", "serve"), [(False, "mkdocs serve"), (True, "mkdocs-mechanisms zensical serve")]
)
def test_the_starter_page_names_its_hosts_preview_command(tmp_path: Path, zensical: bool, serve: str) -> None:
    root = tmp_path / "s"
    assert main(["new", str(root), "--title", "Keep {{serve}} as typed", *(["--zensical"] * zensical)]) == 0
    page = (root / "docs" / "index.md").read_text(encoding="utf-8")
    assert f"Edit these files while `{serve}` is running" in page
    assert page.startswith("# Keep {{serve}} as typed\n")
    assert "`mkdocs serve`" not in page or not zensical
