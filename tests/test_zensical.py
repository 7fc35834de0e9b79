"""The Zensical host's preparation: a complete configuration, generated files, manifest, .gitignore.

``prepare`` runs here under Zensical 0.0.73 (in this process) and under 0.1.x (``hosts.py``:
a subprocess with the 0.1.x wheel first on ``PYTHONPATH`` and a stand-in for its theme package,
so 0.1.x's configuration handling is exercised, not its newer theme).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import REPO, build_site, minimal_files, write_site
from hosts import ZENSICAL_HOSTS, zensical_build, zensical_env
from mkdocs_mechanisms.cli import build_parser
from mkdocs_mechanisms.errors import MechanismsError
from mkdocs_mechanisms.markdown import MechanismsExtension
from mkdocs_mechanisms.zensical import BLOCK_START, CONFIG, prepare
from mkdocs_mechanisms.zensical_config import EXTENSION
from mkdocs_mechanisms.zensical_files import BLOCK_END
from mkdocs_mechanisms.zensical_shadow import mark, unmark

pytest.importorskip("zensical")

PREPARE = (
    "import sys, json; from pathlib import Path; from mkdocs_mechanisms.zensical import prepare; "
    "p = prepare(Path(sys.argv[1]), serving=False, warn=lambda m: print('WARN', m)); "
    "print(json.dumps(p.written))"
)


def run_prepare(host: str, cfg: Path) -> tuple[list[str], str]:
    """``prepare`` under one Zensical version: (written paths, warnings printed)."""
    if host == "zensical":  # the installed 0.0.73: in this process
        said: list[str] = []
        prepared = prepare(cfg, serving=False, warn=lambda message: said.append(f"WARN {message}"))
        return prepared.written, "\n".join(said)
    result = subprocess.run(
        [sys.executable, "-c", PREPARE, str(cfg)],
        cwd=cfg.parent,
        env=zensical_env(host),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    return json.loads(lines[-1]), "\n".join(lines[:-1])


@pytest.fixture(params=ZENSICAL_HOSTS)
def host(request: pytest.FixtureRequest) -> str:
    return str(request.param)


SHADOW = Path(".cache/mechanisms/zensical/docs")
"""The docs folder Zensical reads (``zensical_shadow``)."""


def test_prepare_writes_zensicals_docs_once_and_nothing_into_the_authors(tmp_path):
    cfg = write_site(tmp_path, minimal_files())
    authored = sorted(p.relative_to(tmp_path) for p in (tmp_path / "docs").rglob("*"))
    first = prepare(cfg, serving=False)
    assert "pathways/x-blocks-y.md" in first.written and "references.md" in first.written
    assert "index.md" in first.written and "references.bib" not in first.written  # never published
    assert sorted(p.relative_to(tmp_path) for p in (tmp_path / "docs").rglob("*")) == authored
    page = tmp_path / SHADOW / "pathways/x-blocks-y.md"
    stamp = page.stat().st_mtime_ns
    again = prepare(cfg, serving=False)
    assert again.written == [] and page.stat().st_mtime_ns == stamp  # unchanged: not rewritten
    assert yaml.safe_load((tmp_path / CONFIG).read_text())["docs_dir"] == SHADOW.as_posix()
    shadow, authored_page = (
        (tmp_path / SHADOW / "index.md").read_text(),
        (tmp_path / "docs/index.md").read_text(),
    )
    assert shadow.startswith(authored_page) and unmark(shadow.split("\n")) == authored_page.split("\n")


def test_a_marked_page_renders_as_the_authors_page():
    """The mark is the last line, dropped before any other preprocessor: the same HTML, to the byte."""
    import markdown

    text = "# Title\n\nSome *text*.\n\n```\nunclosed fence"
    marked = mark(text.encode(), "0" * 32).decode()
    assert marked.splitlines()[-1] == f"<!-- mechanisms-zensical-page {'0' * 32} -->"
    assert unmark(marked.split("\n")) == text.split("\n")
    assert unmark(marked.rstrip("\n").split("\n")) == text.split("\n")  # a host that strips the newline
    assert unmark(text.split("\n")) == text.split("\n")
    extensions = ["pymdownx.superfences", "toc"]
    plain = markdown.markdown(text, extensions=extensions)
    ours = MechanismsExtension(state="unused.json")
    with_mark = markdown.Markdown(extensions=[*extensions, ours])
    with_mark.preprocessors.deregister("mechanisms_prepare")  # only the mark's line is under test here
    assert with_mark.convert(marked) == plain


def test_an_edit_changes_for_zensical_the_pages_it_touches_and_never_the_configuration(tmp_path):
    """A page's text: that page. A term: the pages that show it (its page, the glossary, and the
    pages drawing a figure whose node names it: its tooltip holds the summary). Zensical renders
    those alone; the configuration changes only with what every page reads (``zensical_shadow.mark``)."""
    cfg = write_site(tmp_path, minimal_files())
    prepare(cfg, serving=True)
    config = (tmp_path / CONFIG).read_bytes()
    index = tmp_path / "docs/index.md"
    index.write_text(index.read_text() + "\nOne more sentence.\n")
    assert prepare(cfg, serving=True).written == ["index.md"]
    term = tmp_path / "docs/glossary/drug-x.md"
    term.write_text(term.read_text().replace("A test drug.", "An edited drug."))
    pages = [p for p in prepare(cfg, serving=True).written if p.endswith(".md")]
    assert pages == sorted(
        [
            *("glossary/drug-x.md", "glossary/index.md", "glossary/receptor-y.md", "index.md"),
            *("deep/nested/page.md", "pathways/x-blocks-y.md"),
        ]
    )
    assert (tmp_path / CONFIG).read_bytes() == config
    cfg.write_text(cfg.read_text().replace("  - mechanisms\n", "  - mechanisms:\n      tooltips: false\n"))
    prepared = prepare(cfg, serving=True)
    assert (tmp_path / CONFIG).read_bytes() != config and prepared.shadow and prepared.shadow.reloads


def test_the_gitignore_block_names_only_what_the_plugin_owns(tmp_path):
    cfg = write_site(tmp_path, minimal_files())
    prepare(cfg, serving=False)
    block = (tmp_path / ".gitignore").read_text().split(BLOCK_START)[1].split(BLOCK_END)[0].split()
    assert block == [f"/{CONFIG}", "/.cache/mechanisms/zensical/"]


def test_zensical_renders_the_shadow_docs_with_the_authors_assets_and_edit_links(tmp_path, host):
    files = {**minimal_files(), "docs/assets/logo.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>\n"}
    files["docs/index.md"] += "\n![Logo](assets/logo.svg)\n"
    cfg = write_site(
        tmp_path,
        files,
        "site_name: T\nrepo_url: https://github.com/example/site\n"
        "theme:\n  name: material\n  features: [content.action.edit]\nplugins:\n  - mechanisms\n",
    )
    result = zensical_build(tmp_path, host)
    assert result.returncode == 0, result.stdout + result.stderr
    index = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    assert "mechanisms-figure" in index
    assert (tmp_path / "site/assets/logo.svg").is_file() and not (tmp_path / "site/references.bib").exists()
    assert "edit/master/docs/index.md" in index and ".cache" not in index  # edits go to the author's file
    assert not (tmp_path / "docs/pathways").exists()
    assert cfg.is_file()


def test_the_generated_configuration_is_complete_relative_and_keeps_the_authors_lists(tmp_path, host):
    (tmp_path / "conf").mkdir()
    (tmp_path / "conf/base.yml").write_text(
        "site_name: Base\nmarkdown_extensions:\n  - admonition\n  - attr_list\n  - toc:\n      permalink: true\n"
        "  - pymdownx.superfences:\n      custom_fences:\n        - name: text\n          class: text\n"
        "          format: !!python/name:pymdownx.superfences.fence_code_format\n"
        "extra_css: [extra.css]\n",
        encoding="utf-8",
    )
    files = {**minimal_files(), "docs/extra.css": "p {}\n"}
    files["docs/index.md"] += "\n!!! note\n    An admonition.\n"
    cfg = write_site(
        tmp_path, files, "INHERIT: conf/base.yml\nsite_name: Child\nplugins:\n  - search\n  - mechanisms\n"
    )
    run_prepare(host, cfg)
    text = (tmp_path / CONFIG).read_text(encoding="utf-8")
    assert "INHERIT" not in text and str(tmp_path) not in text
    data = yaml.load(text, Loader=yaml.Loader)  # python/name tags resolve, as Zensical reads them
    names = [next(iter(e)) if isinstance(e, dict) else e for e in data["markdown_extensions"]]
    assert names == ["admonition", "attr_list", "toc", "pymdownx.superfences", EXTENSION]
    assert data["site_name"] == "Child" and data["plugins"] == ["search"]
    assert data["docs_dir"] == SHADOW.as_posix()
    assert data["extra_css"] == [
        "extra.css",
        "assets/mechanisms/mechanisms.css",
        "assets/mechanisms/colours.css",
    ]
    state = data["markdown_extensions"][-1][EXTENSION]["state"]
    assert not Path(state).is_absolute() and (tmp_path / state).is_file()
    result = zensical_build(tmp_path, host)
    assert result.returncode == 0, result.stdout + result.stderr
    index = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    assert 'class="admonition note"' in index and "mechanisms-figure" in index
    assert "[@" not in index and "anchor" not in (result.stdout + result.stderr).lower()


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
    assert (tmp_path / SHADOW / "pathways/second.md").exists()
    (tmp_path / "diagrams/second.md").unlink()
    assert "pathways/second.md" in prepare(cfg, serving=False).written
    assert not (tmp_path / SHADOW / "pathways/second.md").exists()
    assert (tmp_path / SHADOW / "pathways/x-blocks-y.md").exists()


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
    assert "Tested with Zensical 0.0.73 and 0.1.x" in out and "zensical.toml" in out


def test_the_extra_takes_the_tested_releases():
    import tomllib

    extras = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert extras["optional-dependencies"]["zensical"] == ["zensical>=0.0.73,<0.2"]


def test_readme_and_manual_name_the_command_and_the_tested_zensical():
    for doc in ("README.md", "docs/plugin/zensical.md"):
        text = " ".join((REPO / doc).read_text(encoding="utf-8").split()).replace("*", "")
        assert "plain `zensical build`" in text and "mkdocs-mechanisms zensical build" in text, doc
        assert "mkdocs-mechanisms zensical serve" in text and "Zensical 0.0.73" in text, doc
    manual = " ".join((REPO / "docs/plugin/zensical.md").read_text(encoding="utf-8").split())
    assert "[project.plugins.mechanisms]" in manual and "zensical-ui" in manual
    assert "not its newer theme" in manual


@pytest.mark.parametrize("inherit", ["mkdocs.yml", "other.yml"])
def test_an_inherit_loop_is_one_message_not_a_traceback(tmp_path, inherit):
    (tmp_path / "docs").mkdir()
    (tmp_path / "other.yml").write_text("INHERIT: mkdocs.yml\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text(f"site_name: T\nINHERIT: {inherit}\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs_mechanisms.cli", "zensical", "build"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    (line,) = [line for line in result.stderr.splitlines() if line.strip()]
    assert "INHERIT forms a cycle: mkdocs.yml → " in line


def test_a_broken_site_stops_with_each_problem_once_as_check_reports_them(tmp_path):
    from mkdocs_mechanisms.check import check_project, read_project

    files = minimal_files()
    files["diagrams/x-blocks-y.md"] = files["diagrams/x-blocks-y.md"].replace("rel: blocks", "rel: block")
    files["docs/glossary/drug-x.md"] = files["docs/glossary/drug-x.md"].replace(
        "kind: drug\n", "kind: drug\nidentifiers: [CHEBX:1]\n"
    )
    files["docs/index.md"] += "\nUnknown [@nobody2000].\n"
    cfg = write_site(tmp_path, files)
    result = zensical_build(tmp_path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    warned = sorted(line.removeprefix("WARNING -  mechanisms: ") for line in lines if "WARNING" in line)
    assert warned == sorted(str(p) for p in check_project(read_project(cfg))[0])
    assert len(warned) == 3 and "unknown glossary term" not in result.stderr  # the term is still defined
    assert [line for line in lines if line.startswith("ERROR")] == [
        "ERROR   -  mechanisms: 3 problems in 3 files, each reported above: the build stopped"
    ]
