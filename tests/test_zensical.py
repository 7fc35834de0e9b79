"""The Zensical host's preparation: generated files, manifest, .gitignore, and MkDocs leaving them alone."""

from __future__ import annotations

import tomllib

import pytest
from conftest import REPO, build_site, minimal_files, write_site
from mkdocs_mechanisms.cli import build_parser
from mkdocs_mechanisms.errors import MechanismsError
from mkdocs_mechanisms.zensical import BLOCK_START, CONFIG, prepare, read_manifest


def test_prepare_writes_generated_files_once_and_lists_them(tmp_path):
    cfg = write_site(tmp_path, minimal_files())
    first = prepare(cfg, serving=False)
    assert "pathways/x-blocks-y.md" in first.written and "references.md" in first.written
    page = tmp_path / "docs/pathways/x-blocks-y.md"
    stamp = page.stat().st_mtime_ns
    again = prepare(cfg, serving=False)
    assert again.written == [] and page.stat().st_mtime_ns == stamp  # unchanged: not rewritten
    manifest = read_manifest(first.site)
    assert "glossary/index.md" in manifest and "docs/glossary/drug-x.md" not in manifest
    ignore = (tmp_path / ".gitignore").read_text()
    assert BLOCK_START in ignore and "/docs/pathways/" in ignore and f"/{CONFIG}" in ignore
    assert "/docs/glossary/index.md" in ignore and "/docs/glossary/drug-x.md" not in ignore
    generated = (tmp_path / CONFIG).read_text()
    assert 'INHERIT: "mkdocs.yml"' in generated and "mkdocs_mechanisms.markdown" in generated
    assert "!!" not in generated and "!ENV" not in generated


def test_mkdocs_ignores_what_a_zensical_run_generated(tmp_path, warnings):
    cfg = write_site(tmp_path, minimal_files())
    prepare(cfg, serving=False)
    site = build_site(tmp_path)  # strict: a duplicate or conflicting file would fail it
    assert "<svg" in site.page("pathways/x-blocks-y")
    assert warnings() == []


def test_a_removed_pathway_takes_its_generated_files_with_it(tmp_path):
    files = minimal_files()
    files["diagrams/second.md"] = files["diagrams/x-blocks-y.md"].replace("title: Drug X", "title: Second X")
    cfg = write_site(tmp_path, files)
    prepare(cfg, serving=False)
    assert (tmp_path / "docs/pathways/second.md").exists()
    (tmp_path / "diagrams/second.md").unlink()
    prepare(cfg, serving=False)
    assert not (tmp_path / "docs/pathways/second.md").exists()
    assert (tmp_path / "docs/pathways/x-blocks-y.md").exists()


def test_site_without_the_plugin_is_refused_with_a_hint(tmp_path):
    cfg = write_site(tmp_path, minimal_files(), "site_name: T\nplugins:\n  - search\n")
    with pytest.raises(MechanismsError) as error:
        prepare(cfg, serving=False)
    assert "add '- mechanisms' under plugins" in str(error.value)


def test_help_tells_plain_zensical_users_what_to_run(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["zensical", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "plain `zensical build` ignores `- mechanisms`" in out and "run this instead" in out
    assert f"Tested with Zensical {pinned_zensical()}" in out


def pinned_zensical() -> str:
    """The version the package's `zensical` extra pins (pyproject.toml)."""
    extras = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    (pin,) = extras["optional-dependencies"]["zensical"]
    name, _, version = pin.partition("==")
    assert name == "zensical" and version, pin
    return version


def test_readme_and_manual_name_the_command_and_the_tested_zensical():
    version = pinned_zensical()
    for doc in ("README.md", "docs/plugin/zensical.md"):
        text = " ".join((REPO / doc).read_text(encoding="utf-8").split())
        assert "plain `zensical build`" in text and "mkdocs-mechanisms zensical build" in text, doc
        assert "mkdocs-mechanisms zensical serve" in text and f"Zensical {version}" in text.replace(
            "*", ""
        ), doc
