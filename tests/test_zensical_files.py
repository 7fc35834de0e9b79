"""Never lose or write an author's file: earlier releases' generated files, hostile manifests,
hand-edited .gitignore blocks, lost caches, symlinks.

Nothing is written into the author's docs any more (Zensical reads a shadow folder in the cache,
``zensical_shadow``); what an earlier release generated there is removed only when provably its own.
Each case runs ``prepare`` under both Zensical versions (``hosts.ZENSICAL_HOSTS``: 0.1.x with the
stand-in theme package, so its configuration handling is exercised, not its newer theme).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest
from conftest import MINIMAL_PATHWAY, minimal_files, write_site
from hosts import ZENSICAL_HOSTS, zensical_env
from mkdocs_mechanisms.zensical import CONFIG
from mkdocs_mechanisms.zensical_files import (
    BLOCK_END,
    BLOCK_START,
    MANIFEST,
    MARK,
    Owned,
    digest,
    has_mark,
    update_gitignore,
)
from mkdocs_mechanisms.zensical_shadow import Shadow
from test_zensical import SHADOW, run_prepare

pytest.importorskip("zensical")

MANIFEST_FILE = Path(".cache/mechanisms") / MANIFEST
COMMENTS = {
    ".md": ("<!-- ", " -->"),
    ".svg": ("<!-- ", " -->"),
    ".css": ("/* ", " */"),
    ".js": ("/* ", " */"),
}


def mark(path: str, data: bytes) -> bytes:
    """``data`` marked as releases before the shadow folder marked what they generated into the docs."""
    comment = COMMENTS.get(PurePosixPath(path).suffix)
    if comment is None:
        return data
    body = data if data.endswith(b"\n") else data + b"\n"
    return body + f"{comment[0]}{MARK}{digest(body)}{comment[1]}\n".encode()


@pytest.fixture(params=ZENSICAL_HOSTS)
def host(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A minimal site inside ``tmp_path/project`` (``tmp_path`` holds what is outside it)."""
    root = tmp_path / "project"
    write_site(root, minimal_files())
    return root


def _legacy(project: Path, files: dict[str, bytes], manifest: dict[str, str]) -> None:
    """What an earlier release left in the docs: ``files`` as given, and its manifest."""
    for rel, data in files.items():
        path = project / "docs" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (project / MANIFEST_FILE).parent.mkdir(parents=True, exist_ok=True)
    (project / MANIFEST_FILE).write_text(json.dumps({"files": manifest}))


def test_a_mark_verifies_only_unchanged_generated_text():
    data = mark("pathways/a.md", b"# A\n")
    assert has_mark(data) and not has_mark(data.replace(b"# A", b"# B"))
    assert not has_mark(b"# A\n") and mark("a.json", b"{}") == b"{}"
    for name in ("a.svg", "a.css", "a.js"):
        assert has_mark(mark(name, b"x\n"))


def test_an_earlier_releases_generated_files_are_removed_the_authors_kept(project, host):
    page = mark("pathways/x-blocks-y.md", b"# old generated page\n")
    export = b'{"old": true}\n'
    edited = mark("pathways/edited.md", b"# old\n").replace(b"# old", b"# edited by hand")
    _legacy(
        project,
        {
            "pathways/x-blocks-y.md": page,
            "pathways/x-blocks-y.json": export,
            "pathways/edited.md": edited,
            "pathways/notes.txt": b"mine\n",
            "assets/mechanisms/mechanisms.css": mark("assets/mechanisms/mechanisms.css", b"p {}\n"),
        },
        {"pathways/x-blocks-y.json": digest(export)},
    )
    _, warned = run_prepare(host, project / "mkdocs.yml")
    assert not (project / "docs/pathways/x-blocks-y.md").exists()
    assert not (project / "docs/pathways/x-blocks-y.json").exists()
    assert not (project / "docs/assets").exists()  # emptied folders go with them
    assert (project / "docs/pathways/edited.md").read_bytes() == edited  # no valid mark: the author's
    assert (project / "docs/pathways/notes.txt").read_text() == "mine\n"
    assert b"old generated page" not in (project / SHADOW / "pathways/x-blocks-y.md").read_bytes()
    assert not (project / MANIFEST_FILE).exists() and "Traceback" not in warned


def test_only_the_plugins_paths_are_owned(tmp_path):
    owned = Owned(tmp_path, tmp_path / "docs", "glossary", "references.md")
    for rel in (
        "pathways/a.md",
        "pathways/compare/x.json",
        "assets/mechanisms/colours.css",
        "schemas/pathway.schema.json",
        "glossary/index.json",
        "references.md",
    ):
        assert owned.owned(rel), rel
    for rel in (
        "index.md",
        "../../../victim/keep.txt",
        "/etc/passwd",
        "assets/logo.png",
        "pathways/../index.md",
        "glossary/term.md",
        "pathways/deep/er/x.md",
    ):
        assert not owned.owned(rel), rel


def test_a_tampered_manifest_costs_no_file(project, host):
    victim = project.parent / "victim/keep.txt"
    victim.parent.mkdir()
    victim.write_text("keep me\n")
    outside = project.parent / "abs.txt"
    outside.write_text("absolute\n")
    index = project / "docs/index.md"
    references = project / "docs/references.md"
    references.write_text("# My own references\n")
    _legacy(
        project,
        {},
        {
            "../../../victim/keep.txt": digest(victim.read_bytes()),
            "../../victim/keep.txt": digest(victim.read_bytes()),
            str(outside): digest(outside.read_bytes()),
            "index.md": digest(index.read_bytes()),
            "references.md": digest(references.read_bytes()),
        },
    )
    run_prepare(host, project / "mkdocs.yml")
    assert victim.read_text() == "keep me\n" and outside.exists() and index.exists()
    assert references.read_text() == "# My own references\n"
    assert (project / SHADOW / "references.md").read_text().startswith("# My own references\n")


@pytest.mark.parametrize("how", ["cleared", "moved"])
def test_a_lost_cache_neither_stops_the_build_nor_costs_a_file(project, host, how):
    cfg = project / "mkdocs.yml"
    run_prepare(host, cfg)
    (project / "docs/pathways").mkdir()
    (project / "docs/pathways/notes.txt").write_text("mine\n")
    if how == "cleared":
        shutil.rmtree(project / ".cache")
    else:
        cfg.write_text(cfg.read_text() + "plugins:\n  - mechanisms:\n      cache_dir: .cache/other\n")
    pathway = project / "diagrams/x-blocks-y.md"
    pathway.write_text(pathway.read_text().replace("Receptor Y", "Receptor Z"))
    written, warned = run_prepare(host, cfg)  # no refusal, no stop
    shadow = project / (".cache/other/zensical/docs" if how == "moved" else SHADOW)
    assert (
        "pathways/x-blocks-y.svg" in written
        and "Receptor Z" in (shadow / "pathways/x-blocks-y.svg").read_text()
    )
    assert (project / "docs/pathways/notes.txt").read_text() == "mine\n"
    assert "WARN" not in warned


def test_an_authors_file_where_a_generated_one_goes_is_kept(project, host):
    (project / "docs/glossary").mkdir(exist_ok=True)
    own = project / "docs/glossary/index.json"
    own.write_text('["mine"]\n')
    _, warned = run_prepare(host, project / "mkdocs.yml")
    assert own.read_text() == '["mine"]\n' and "docs/glossary/index.json" in warned
    assert (project / SHADOW / "glossary/index.json").read_text() == '["mine"]\n'


def test_a_symlink_out_of_the_project_is_never_written_through(project, host, tmp_path):
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (project / "docs/pathways").symlink_to(outside, target_is_directory=True)
    run_prepare(host, project / "mkdocs.yml")
    assert list(outside.iterdir()) == []
    # the cache itself leading out: refused with one message, nothing written there
    shutil.rmtree(project / ".cache")
    (project / ".cache").symlink_to(outside, target_is_directory=True)
    result = _command(project, host)
    assert result.returncode == 1 and "leads out of the project through a symlink" in result.stderr
    assert list(outside.iterdir()) == [] and "Traceback" not in result.stderr


def test_a_cache_inside_the_docs_is_refused(project, host):
    cfg = project / "mkdocs.yml"
    cfg.write_text(cfg.read_text() + "plugins:\n  - mechanisms:\n      cache_dir: docs/cache\n")
    result = _command(project, host)
    assert result.returncode == 1 and "is inside a watched folder" in result.stderr, result.stderr
    assert not (project / "docs/cache").exists()


def test_the_shadow_changes_in_one_burst_and_removes_only_its_own_stale_files(tmp_path):
    shadow = Shadow(tmp_path, ".cache/m")
    assert shadow.sync({"a.md": b"a", "b/c.md": b"c", "d": b"d"}) == ["a.md", "b/c.md", "d"]
    assert shadow.sync({"a.md": b"a", "b/c.md": b"C", "d": b"d"}) == ["b/c.md"]
    assert shadow.sync({"a.md": b"a", "d/e": b"e"}) == ["b/c.md", "d", "d/e"]  # a file became a folder
    assert sorted(p.relative_to(shadow.folder).as_posix() for p in shadow.folder.rglob("*")) == [
        "a.md",
        "d",
        "d/e",
    ]
    assert list(shadow.staging.iterdir()) == []  # every staged file was moved into place
    config = tmp_path / "z.yml"
    assert shadow.sync({"a.md": b"a", "d/e": b"e"}, (config, b"x: 1\n")) == []  # no page changed
    assert config.read_text() == "x: 1\n"


def _command(project: Path, host: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs_mechanisms.cli", "zensical", "build"],
        cwd=project,
        env=zensical_env(host),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_hand_edited_gitignore_blocks_keep_the_authors_lines(project, host):
    cfg = project / "mkdocs.yml"
    run_prepare(host, cfg)
    ignore = project / ".gitignore"
    secret = project / "my-secret.env"
    secret.write_text("TOKEN=1\n")
    # the closing marker deleted, a line appended after the block
    ignore.write_text(ignore.read_text().replace(BLOCK_END + "\n", "") + "my-secret.env\n")
    run_prepare(host, cfg)
    run_prepare(host, cfg)
    text = ignore.read_text()
    assert secret.exists() and "my-secret.env" in text.splitlines()
    assert text.count(BLOCK_START) == 1 and text.count(BLOCK_END) == 1
    # the two markers swapped: still one block, and the same one on every run
    lines = text.splitlines()
    a, b = lines.index(BLOCK_START), lines.index(BLOCK_END)
    lines[a], lines[b] = lines[b], lines[a]
    ignore.write_text("\n".join(lines) + "\n")
    run_prepare(host, cfg)
    once = ignore.read_text()
    run_prepare(host, cfg)
    assert ignore.read_text() == once and once.count(BLOCK_START) == 1 and "my-secret.env" in once


def test_update_gitignore_keeps_every_line_that_is_not_ours(tmp_path):
    ignore = tmp_path / ".gitignore"
    ignore.write_text(f"node_modules/\n{BLOCK_START}\n/docs/pathways/\n/docs/own.txt\n{BLOCK_END}\n*.log\n")
    update_gitignore(ignore, [f"/{CONFIG}", "/docs/pathways/"], lambda line: line == "/docs/pathways/")
    assert ignore.read_text() == (
        f"node_modules/\n{BLOCK_START}\n/{CONFIG}\n/docs/pathways/\n{BLOCK_END}\n/docs/own.txt\n*.log\n"
    )


def test_cache_dir_outside_the_project_is_refused(project, host):
    cfg = project / "mkdocs.yml"
    cfg.write_text("site_name: T\nplugins:\n  - mechanisms:\n      cache_dir: ../zc\n")
    result = _command(project, host)
    assert result.returncode == 1 and "cache_dir: '../zc' must be a relative path" in result.stderr
    assert not (project.parent / "zc").exists() and "Traceback" not in result.stderr


def test_yaml_pathways_change_the_fingerprint(project, host):
    cfg = project / "mkdocs.yml"
    (project / "diagrams/x-blocks-y.md").unlink()
    body = MINIMAL_PATHWAY.split("---\n")[1]
    (project / "diagrams/x-blocks-y.yml").write_text(body)
    run_prepare(host, cfg)
    page = project / SHADOW / "pathways/x-blocks-y.md"
    before = page.read_text()
    (project / "diagrams/x-blocks-y.yml").write_text(body.replace("Receptor Y", "Receptor W"))
    run_prepare(host, cfg)
    assert page.read_text() != before  # its mark: Zensical renders the pathway's page again
    assert "Receptor W" in (project / SHADOW / "pathways/x-blocks-y.json").read_text()


def test_unmarked_files_of_an_earlier_release_are_taken_over_by_the_manifest(project):
    """Generated before marks existed: proven by the manifest, in the plugin's own folders only."""
    from mkdocs_mechanisms.zensical import prepare

    old = {"pathways/x-blocks-y.md": b"# old page\n", "references.md": b"# old references\n"}
    _legacy(project, old, {rel: digest(body) for rel, body in old.items()})
    prepare(project / "mkdocs.yml", serving=False)  # no clash with our own old page: no stop
    assert not (project / "docs/pathways/x-blocks-y.md").exists()
    assert (project / "docs/references.md").read_bytes() == old["references.md"]  # not ours to prove
