"""``mkdocs-mechanisms check``: a build's problems without the build, as text or GitHub annotations."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import MINIMAL_BIB, MINIMAL_PATHWAY, minimal_files, term_page, write_site
from hosts import serve_build, zensical_build
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs_mechanisms.check import check_project, github_annotation, read_project, summary
from mkdocs_mechanisms.cli import main
from mkdocs_mechanisms.errors import Problem

REPO = Path(__file__).resolve().parent.parent
BAD = REPO / "tests" / "fixtures" / "bad-site"
_LOCATED = re.compile(r"^(?:mechanisms: )?((?:diagrams|docs)/\S+:\d+: .*)$")


@pytest.fixture(scope="module")
def bad_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bad") / "site"
    shutil.copytree(BAD, root)
    return root


def check_lines(root: Path, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = main(["check", "--config-file", str(root / "mkdocs.yml"), *args])
    return code, capsys.readouterr().out.splitlines()


def build_problems(root: Path, caplog: pytest.LogCaptureFixture) -> set[str]:
    """Every located problem a build reports (serving, so that one problem does not hide the next)."""
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        serve_build(root / "mkdocs.yml", root / "site-out")
    found = set()
    for record in caplog.records:
        for line in record.getMessage().splitlines():
            match = _LOCATED.match(line)
            if match:
                found.add(match.group(1))
    return found


def test_check_finds_what_the_build_finds(bad_site: Path, caplog, capsys, monkeypatch) -> None:
    monkeypatch.chdir(bad_site)
    code, lines = check_lines(bad_site, capsys=capsys)
    assert code == 1
    assert len(lines) >= 20 and len(lines) == len(set(lines))
    built = build_problems(bad_site, caplog)
    assert set(lines) == built, (set(lines) - built, built - set(lines))
    expected = {
        "diagrams/broken.md:6: nodes.drug.identifiers[0]: unknown identifier prefix 'CHEBX' (did you mean 'CHEBI'?)",
        "diagrams/broken.md:11: edges[1].rel: unknown relation 'block' (did you mean 'blocks'?)",
        "diagrams/broken.md:12: edges[2].certainty: unknown certainty 'probable'"
        " (expected one of: established, hypothesis, proposed)",
        "diagrams/broken.md:12: edges[2].evidence[0]: 'CHEBI:6121' is not an Evidence and Conclusion Ontology code"
        " (write ECO:nnnnnnn, e.g. 'ECO:0000304'; database identifiers go under 'identifiers:')",
        "diagrams/plain.yml:3: caption: the caption must be one paragraph (move the rest under 'explanation:')",
        "docs/glossary/bad-term.md:5: identifiers[0]: unknown identifier prefix 'uniprt' (did you mean 'uniprot'?)",
        "docs/index.md:3: unknown citation key '@smit2020' (did you mean 'smith2020'?)",
        "docs/citations.md:6: unknown citation key '@smyth2020' (did you mean 'smith2020'?)",
        "docs/citations.md:7: malformed citation '[@]' (write [@key], [@a; @b] or [see @a, p. 3]"
        " with no space after '@'; escape the bracket as \\[@ for literal text)",
        "docs/citations.md:7: malformed citation '[@ smith2020]' (write [@key], [@a; @b] or [see @a, p. 3]"
        " with no space after '@'; escape the bracket as \\[@ for literal text)",
        "docs/citations.md:10: unknown citation key '@smith2021' (did you mean 'smith2020'?)",
        "docs/index.md:9: unknown pathway 'goood' in 'pathway' fence (did you mean 'good'?)",
        "docs/index.md:13: a 'pathway-compare' fence needs two or more pathway ids (write the ids on one line, separated by spaces)",
        "docs/index.md:24: edges[0].rel: unknown relation 'antagonises'",
        "docs/index.md:29: a 'pathway' fence draws one pathway, but names 2: good plain"
        " (use a 'pathway-compare' fence to overlay several, or one fence per pathway)",
        "docs/index.md:33: a 'pathway-compare' fence names 'good' twice"
        " (compare different pathways: a pathway shares everything with itself)",
        "docs/index.md:37: unknown glossary term 'no-such-term' in 'pathway-neighbourhood' fence"
        " (expected one of: bad-term, drug, receptor)",
    }
    assert expected <= set(lines)


def test_paths_narrow_the_report(bad_site: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(bad_site)
    code, lines = check_lines(bad_site, "docs/glossary", "diagrams/plain.yml", capsys=capsys)
    assert code == 1
    assert lines and all(line.startswith(("docs/glossary/", "diagrams/plain.yml:")) for line in lines)
    code, lines = check_lines(bad_site, "diagrams/good.md", capsys=capsys)
    assert (code, lines) == (0, [])


def test_github_format_prints_annotations(bad_site: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(bad_site)
    _, lines = check_lines(bad_site, "--format", "github", "diagrams/broken.md", capsys=capsys)
    assert (
        "::error file=diagrams/broken.md,line=11,title=mkdocs-mechanisms::edges[1].rel: unknown relation 'block' (did you mean 'blocks'?)"
        in lines
    )
    assert all(line.startswith("::error file=diagrams/broken.md,line=") for line in lines)


def test_annotation_escapes_workflow_command_syntax() -> None:
    problem = Problem("a,b:c%.md", 3, "x", "50% done\nnext", "use ::this")
    assert (
        github_annotation(problem)
        == "::error file=a%2Cb%3Ac%25.md,line=3,title=mkdocs-mechanisms::x: 50%25 done%0Anext (use ::this)"
    )


@pytest.mark.parametrize("site", [REPO, REPO / "examples" / "caffeine"], ids=["article", "caffeine"])
def test_the_repository_sites_check_clean(site: Path, capsys) -> None:
    problems, sources = check_project(read_project(site / "mkdocs.yml"))
    assert problems == [] and sources.pathways and sources.terms


def test_lenient_config_reading(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: X\ndocs_dir: src\nmarkdown_extensions:\n  - pymdownx.emoji:\n"
        "      emoji_index: !!python/name:material.extensions.emoji.twemoji\n"
        "extra:\n  key: !ENV [HOME, x]\n"
        "plugins:\n  - search\n  - mechanisms:\n      diagrams_dir: figures\n      glossary_dir: terms\n",
        encoding="utf-8",
    )
    project = read_project(tmp_path / "mkdocs.yml")
    assert project.docs_dir == tmp_path / "src"
    assert project.diagrams_dir == tmp_path / "figures"
    assert project.glossary_dir == tmp_path / "src" / "terms"
    assert project.bibliography == tmp_path / "src" / "references.bib"


def test_usage_errors(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check"]) == 2
    assert "no 'mkdocs.yml' here" in capsys.readouterr().err
    (tmp_path / "mkdocs.yml").write_text("site_name: X\nplugins: [mechanisms]\n", encoding="utf-8")
    assert main(["check", "nowhere.md"]) == 2
    assert "no such file or folder: nowhere.md" in capsys.readouterr().err
    assert main(["check"]) == 0
    assert "no problems" in capsys.readouterr().err


def test_console_script_runs() -> None:
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "mkdocs_mechanisms.cli",
            "check",
            "-f",
            str(BAD / "mkdocs.yml"),
            str(BAD / "diagrams/broken.md"),
        ],
        capture_output=True,
        text=True,
        cwd=BAD,
        check=False,
    )
    assert out.returncode == 1
    assert out.stdout.startswith("diagrams/broken.md:4: regions.pfc.parent: unknown region 'cortex'")


def test_pages_workflow_checks_before_it_builds() -> None:
    import yaml

    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    runs = [str(step.get("run", "")) for step in workflow["jobs"]["build"]["steps"]]
    check = next(i for i, run in enumerate(runs) if "mkdocs-mechanisms check --format github" in run)
    build = next(i for i, run in enumerate(runs) if "make build" in run)
    assert check < build


def test_pre_commit_hook_runs_the_check() -> None:
    import yaml

    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "mkdocs-mechanisms-check"
    assert hook["entry"] == "mkdocs-mechanisms check"
    assert hook["language"] == "python"
    assert re.search(hook["files"], "diagrams/a.yml") and re.search(hook["files"], "docs/references.bib")
    assert not re.search(hook["files"], "plugin/x.py")


# -- check is the build without the HTML: one corpus of broken sites, the same messages -------------

PATHWAY_ALONE = "---\ntitle: Alone\nnodes:\n  l: {label: Lonely, kind: process, term: lonely}\n---\nAlone.\n"


def _corpus_case(name: str, root: Path) -> dict[str, str]:
    """The files of one broken site (on top of a small valid one); some cases also make special files."""
    files = minimal_files()
    page = files["docs/index.md"]
    if name == "unclosed-fence":
        files["docs/index.md"] = page + "\n```pathway\nx-blocks-y\n"
    elif name == "empty-citation":
        files["docs/index.md"] = page + "\nNothing cited [@].\n"
    elif name == "glossary-subfolder":
        files["docs/glossary/drugs/zeta.md"] = term_page("Zeta", "drug", "A z.")
    elif name == "authored-clash":
        files["docs/pathways/x-blocks-y.md"] = "# Mine\n"
    elif name == "edgeless-term-fence":
        files["diagrams/alone.md"] = PATHWAY_ALONE
        files["docs/glossary/lonely.md"] = term_page("Lonely", "concept", "Alone.", body="Alone.")
        files["docs/index.md"] = page + "\n```pathway-neighbourhood\nlonely\n```\n"
    elif name == "noncharacters":
        files["diagrams/x-blocks-y.md"] = MINIMAL_PATHWAY.replace(
            "kind: outcome", 'kind: outcome, note: "n\\uFFFF"'
        )
        files["docs/glossary/drug-x.md"] = files["docs/glossary/drug-x.md"].replace(
            "term: Drug X", 'term: "Drug\\uFFFEX"'
        )
    elif name == "citation-in-indented-code":
        files["docs/index.md"] = page + "\nCode:\n\n    [@nokey] stays code\n\nAnd [@nokey2].\n"
    elif name == "special-files-in-diagrams":
        (root / "diagrams/folder.md").mkdir(parents=True)
        os.mkfifo(root / "diagrams/pipe.md")
        (root / "diagrams/loop.md").symlink_to("loop.md")
    elif name == "bad-identifier-on-a-term":
        files["docs/glossary/drug-x.md"] = files["docs/glossary/drug-x.md"].replace(
            "kind: drug\n", "kind: drug\nidentifiers: [CHEBX:6121]\n"
        )
    elif name == "broken-bibliography-entry":
        files["docs/references.bib"] = "@article{broken, title={B}, year={2019}\n" + MINIMAL_BIB
        files["docs/index.md"] = page + "\nBroken [@broken].\n"
    elif name == "two-errors-in-one-pathway":
        files["diagrams/x-blocks-y.md"] = MINIMAL_PATHWAY.replace("kind: receptor", "kind: recepter").replace(
            "rel: leads-to, cite: [smith2020]", "rel: leads-to, cite: [smith2021]"
        )
    elif name == "misspelt-term-key":
        files["docs/glossary/drug-x.md"] = files["docs/glossary/drug-x.md"].replace(
            "term: Drug X", "trem: Drug X"
        )
    elif name == "bad-relation-on-one-edge":
        files["diagrams/x-blocks-y.md"] = MINIMAL_PATHWAY.replace("rel: blocks", "rel: block")
    elif name == "unknown-csl-style":
        (root / "mkdocs.yml").write_text(
            "site_name: T\nplugins:\n  - mechanisms:\n      csl_style: no-such-style\n", encoding="utf-8"
        )
    return files


CORPUS = [
    "unclosed-fence",
    "empty-citation",
    "glossary-subfolder",
    "authored-clash",
    "edgeless-term-fence",
    "noncharacters",
    "citation-in-indented-code",
    "special-files-in-diagrams",
    "bad-identifier-on-a-term",
    "broken-bibliography-entry",
    "two-errors-in-one-pathway",
    "unknown-csl-style",
    "misspelt-term-key",
    "bad-relation-on-one-edge",
]


ONE_MESSAGE = {
    "misspelt-term-key": "docs/glossary/drug-x.md:2: trem: unknown key 'trem' (did you mean 'term'?)",
    "bad-relation-on-one-edge": (
        "diagrams/x-blocks-y.md:11: edges[0].rel: unknown relation 'block' (did you mean 'blocks'?)"
    ),
}


def _built_messages(cfg: Path, caplog: pytest.LogCaptureFixture) -> list[str]:
    """What a strict MkDocs build reports, one line per problem (the closing 'stopped' line aside)."""
    caplog.clear()
    with caplog.at_level(logging.WARNING), contextlib.suppress(Abort):  # a broken site stops
        build(load_config(str(cfg), site_dir=str(cfg.parent / "site"), strict=True))
    lines = [r.getMessage() for r in caplog.records if r.name.startswith("mkdocs.plugins.mkdocs_mechanisms")]
    return sorted(line.removeprefix("mechanisms: ") for line in lines)


@pytest.mark.parametrize("case", CORPUS)
def test_check_and_the_build_report_the_same_messages(case: str, tmp_path: Path, caplog) -> None:
    root = tmp_path / case
    root.mkdir()
    cfg = write_site(root, _corpus_case(case, root))
    checked = sorted(str(p) for p in check_project(read_project(cfg))[0])
    built = _built_messages(cfg, caplog)
    assert checked == built
    if case == "citation-in-indented-code":
        assert len(checked) == 1 and "'@nokey2'" in checked[0]  # the code block is left alone
    elif case in ONE_MESSAGE:
        assert checked == [ONE_MESSAGE[case]]  # one mistake, one message: its uses are not also reported
    else:
        assert checked, "every case of the corpus is a broken site"
        assert len(checked) == len({(p.split(":")[0], p.split(": ", 1)[-1]) for p in checked})


def test_check_refuses_invalid_plugin_options_as_both_hosts_do(tmp_path: Path) -> None:
    cfg = write_site(
        tmp_path,
        minimal_files(),
        "site_name: T\nplugins:\n  - mechanisms:\n      link: sometimes\n      colour: x\n",
    )
    found = [str(p) for p in check_project(read_project(cfg))[0]]
    assert found[:2] == [  # sorted by line: each names the line that sets the option
        "mkdocs.yml:4: plugins.mechanisms.link: 'sometimes' is not one of first, all, none",
        "mkdocs.yml:5: plugins.mechanisms.colour: unknown option (did you mean 'colours'?)",
    ], found


def test_check_reads_pages_with_the_sites_markdown_extensions(tmp_path: Path) -> None:
    files = minimal_files()
    files["docs/index.md"] += (
        '\n!!! note "Code in a note"\n\n    Text.\n\n        [@nokey] is code here\n\nProse [@nokey2].\n'
    )
    config = (
        "site_name: T\nmarkdown_extensions:\n  - admonition\n  - not_installed_extension\n"
        "  - toc:\n      slugify: !!python/name:pymdownx.slugs.uslugify\n"
        "plugins:\n  - mechanisms\n"
    )
    found = [str(p) for p in check_project(read_project(write_site(tmp_path, files, config)))[0]]
    assert found == [
        "docs/index.md:15: unknown citation key '@nokey2' (expected one of: jones2021, smith2020)"
    ]


@pytest.mark.slow
def test_check_passes_after_a_zensical_build_and_still_reports_an_authors_page(
    tmp_path: Path, capsys, monkeypatch
) -> None:
    """A Zensical build writes nothing into the docs (Zensical reads a folder in the cache): check passes."""
    pytest.importorskip("zensical")
    root = tmp_path / "znew"
    assert main(["new", str(root), "--zensical"]) == 0
    monkeypatch.chdir(root)
    capsys.readouterr()
    assert main(["check"]) == 0, capsys.readouterr()
    built = zensical_build(root)
    assert built.returncode == 0, built.stdout + built.stderr
    assert not (root / "docs" / "pathways").exists()
    assert (root / ".cache/mechanisms/zensical/docs/pathways/aspirin-cox.md").is_file()
    assert main(["check"]) == 0, capsys.readouterr()
    capsys.readouterr()

    page = root / "docs" / "pathways" / "aspirin-cox.md"
    page.parent.mkdir()
    page.write_text("# My own page\n", encoding="utf-8")  # the author's: where a generated page goes
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    assert "diagrams/aspirin-cox.md:1: id: 'pathways/aspirin-cox.md' is generated from this pathway" in out


def test_the_summary_says_pathway_in_the_singular_for_one(tmp_path: Path, capsys, monkeypatch) -> None:
    root = tmp_path / "one"
    assert main(["new", str(root)]) == 0  # one pathway, two glossary terms
    monkeypatch.chdir(root)
    capsys.readouterr()
    assert main(["check"]) == 0
    assert "checked 1 pathway, 2 glossary terms: no problems" in capsys.readouterr().err
    loaded = SimpleNamespace(pathways={"p": None}, terms={"t": None})
    one = summary([Problem("diagrams/p.md", 1, "id", "bad")], loaded)  # type: ignore[arg-type]
    assert one == "1 problem in 1 file (1 pathway, 1 glossary term loaded)"
