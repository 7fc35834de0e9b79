"""One reader of the project's configuration: mkdocs.yml with INHERIT chains, and zensical.toml."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs_mechanisms.errors import MechanismsError
from mkdocs_mechanisms.siteconfig import Tagged, find_config, merge, read_config, resolve_env


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problem(path: Path) -> str:
    with pytest.raises(MechanismsError) as caught:
        read_config(path)
    assert len(caught.value.problems) == 1
    return str(caught.value.problems[0])


def test_inherit_merges_mappings_and_replaces_lists(tmp_path):
    write(
        tmp_path / "base.yml",
        "site_name: Base\ntheme: {name: material, palette: {primary: red}}\n"
        "markdown_extensions: [admonition, footnotes]\n",
    )
    cfg = read_config(
        write(
            tmp_path / "mkdocs.yml",
            "INHERIT: base.yml\ntheme: {palette: {accent: blue}}\nmarkdown_extensions: [toc]\n",
        )
    )
    assert cfg.data["site_name"] == "Base"
    assert cfg.data["theme"] == {"name": "material", "palette": {"primary": "red", "accent": "blue"}}
    assert cfg.data["markdown_extensions"] == ["toc"]
    assert "INHERIT" not in cfg.data
    assert merge({"a": [1]}, {"a": [2]}) == {"a": [2]}


def test_inherit_is_relative_to_the_inheriting_file(tmp_path):
    write(tmp_path / "conf" / "base.yml", "site_name: Deep\n")
    write(tmp_path / "conf" / "middle.yml", "INHERIT: base.yml\ndocs_dir: pages\n")
    cfg = read_config(write(tmp_path / "mkdocs.yml", "INHERIT: conf/middle.yml\n"))
    assert cfg.data == {"site_name": "Deep", "docs_dir": "pages"}
    assert cfg.docs_dir == tmp_path / "pages"


def test_a_file_inheriting_itself_is_one_clear_problem(tmp_path):
    text = problem(write(tmp_path / "mkdocs.yml", "site_name: x\nINHERIT: mkdocs.yml\n"))
    assert text.startswith("mkdocs.yml:2: INHERIT: INHERIT forms a cycle: mkdocs.yml → mkdocs.yml")


def test_an_inherit_cycle_is_one_clear_problem(tmp_path):
    write(tmp_path / "a.yml", "INHERIT: b.yml\n")
    write(tmp_path / "b.yml", "INHERIT: ./a.yml\n")
    text = problem(write(tmp_path / "mkdocs.yml", "INHERIT: a.yml\n"))
    assert "b.yml:1: INHERIT: INHERIT forms a cycle: mkdocs.yml → a.yml → b.yml → a.yml" in text


def test_a_missing_parent_names_the_file(tmp_path):
    text = problem(write(tmp_path / "mkdocs.yml", "site_name: x\nINHERIT: nowhere.yml\n"))
    assert text.startswith("mkdocs.yml:2: INHERIT: the inherited file 'nowhere.yml' does not exist")


@pytest.mark.parametrize(
    ("text", "expected"),
    [("site_name: [\n", "YAML syntax error"), ("- a\n- b\n", "not a mapping"), ("INHERIT: 3\n", "file name")],
)
def test_bad_yaml_is_one_problem(tmp_path, text, expected):
    assert expected in problem(write(tmp_path / "mkdocs.yml", text))


def test_tags_are_kept_not_run(tmp_path, monkeypatch):
    cfg = read_config(
        write(
            tmp_path / "mkdocs.yml",
            "site_name: !ENV [SITE, Fallback]\n"
            "markdown_extensions:\n  - pymdownx.superfences:\n      custom_fences:\n"
            "        - name: m\n          format: !!python/name:os.system\n",
        )
    )
    fence = cfg.data["markdown_extensions"][0]["pymdownx.superfences"]["custom_fences"][0]
    assert fence["format"] == Tagged("tag:yaml.org,2002:python/name:os.system", "")
    assert resolve_env(cfg.data["site_name"]) == "Fallback"
    monkeypatch.setenv("SITE", "From env")
    assert resolve_env(cfg.data["site_name"]) == "From env"


def test_zensical_toml_reads_the_project_table(tmp_path):
    cfg = read_config(
        write(
            tmp_path / "zensical.toml",
            '[project]\nsite_name = "T"\ndocs_dir = "pages"\n'
            "[project.markdown_extensions.admonition]\n"
            '[project.plugins.mechanisms]\nlink = "all"\ncache_dir = ".cache/m"\n',
        )
    )
    assert cfg.kind == "zensical"
    assert cfg.data["markdown_extensions"] == {"admonition": {}}
    assert cfg.docs_dir == tmp_path / "pages"
    assert cfg.options().link == "all"


def test_toml_syntax_error_has_its_line(tmp_path):
    text = problem(write(tmp_path / "zensical.toml", '[project]\nsite_name = "x"\nbad = \n'))
    assert text.startswith("zensical.toml:3: TOML syntax error")


def test_zensical_toml_is_found_before_mkdocs_yml(tmp_path):
    assert find_config(tmp_path) is None
    write(tmp_path / "mkdocs.yml", "site_name: x\n")
    assert find_config(tmp_path) == tmp_path / "mkdocs.yml"
    write(tmp_path / "zensical.toml", "[project]\n")
    assert find_config(tmp_path) == tmp_path / "zensical.toml"


@pytest.mark.parametrize("value", ["../zc", "/tmp/zc"])
def test_path_options_are_checked_as_under_mkdocs(tmp_path, value):
    for name, text in (
        ("mkdocs.yml", f"plugins:\n  - mechanisms:\n      cache_dir: {value}\n"),
        ("zensical.toml", f'[project.plugins.mechanisms]\ncache_dir = "{value}"\n'),
    ):
        with pytest.raises(MechanismsError, match="cache_dir"):
            read_config(write(tmp_path / name, text)).options()


def test_a_site_without_the_plugin(tmp_path):
    cfg = read_config(write(tmp_path / "mkdocs.yml", "site_name: x\nplugins: [search]\n"))
    assert cfg.plugin_entry() == (False, {})
    assert cfg.options(required=False).link == "first"
    with pytest.raises(MechanismsError, match="does not use the mechanisms plugin"):
        cfg.options()


def test_check_reads_zensical_toml_first(tmp_path, monkeypatch, capsys):
    from conftest import minimal_files
    from mkdocs_mechanisms.cli import main

    for name, text in minimal_files().items():
        write(tmp_path / name, text)
    write(tmp_path / "mkdocs.yml", "site_name: x\nplugins:\n  - mechanisms\n")
    write(tmp_path / "pages/index.md", "# Home\n\nCited [@nobody2000].\n")
    (tmp_path / "docs/references.bib").rename(tmp_path / "pages/references.bib")
    for src in (tmp_path / "docs/glossary").iterdir():
        write(tmp_path / "pages/glossary" / src.name, src.read_text())
    write(
        tmp_path / "zensical.toml",
        '[project]\nsite_name = "x"\ndocs_dir = "pages"\n[project.plugins.mechanisms]\n',
    )
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "pages/index.md:3" in out and "nobody2000" in out and "docs/index.md" not in out


def test_the_files_an_inherit_chain_read_are_listed(tmp_path):
    write(tmp_path / "conf/base.yml", "site_name: Deep\n")
    write(tmp_path / "middle.yml", "INHERIT: conf/base.yml\n")
    cfg = read_config(write(tmp_path / "mkdocs.yml", "INHERIT: middle.yml\n"))
    assert cfg.inherited == (tmp_path / "middle.yml", tmp_path / "conf/base.yml")
