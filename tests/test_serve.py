"""A real `mkdocs serve`: edits show up, mistakes show on the page, the server survives."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import MINIMAL_PATHWAY, minimal_files, write_site

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("serve")]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return 0, ""


def wait_for(url: str, predicate, timeout: float = 30.0) -> str:
    """Poll ``url`` until ``predicate(body)`` holds (bounded in time)."""
    deadline = time.monotonic() + timeout
    body = ""
    while time.monotonic() < deadline:
        status, body = fetch(url)
        if status == 200 and predicate(body):
            return body
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {url}; last body: {body[:300]!r}")


@pytest.fixture
def server(tmp_path: Path):
    cfg = write_site(tmp_path, minimal_files())
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(cfg), "-a", f"127.0.0.1:{port}"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(base, lambda body: "mechanisms-figure" in body, timeout=60)
        yield tmp_path, base, proc
    finally:
        proc.terminate()
        try:
            proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_edit_break_and_fix_a_pathway_while_serving(server):
    root, base, proc = server
    pathway = root / "diagrams/x-blocks-y.md"
    time.sleep(1.1)  # let the watcher settle so the first edit is seen as a change

    pathway.write_text(
        MINIMAL_PATHWAY.replace("Receptor Y}", "Receptor Y-prime}").replace(
            "{label: Receptor Y,", "{label: Receptor Yprime,"
        ),
        encoding="utf-8",
    )
    wait_for(base + "pathways/x-blocks-y/", lambda body: "Receptor Yprime" in body)

    pathway.write_text(MINIMAL_PATHWAY.replace("rel: blocks", "rel: blockz"), encoding="utf-8")
    body = wait_for(base, lambda body: "mechanisms-error" in body)
    assert "diagrams/x-blocks-y.md:11: edges[0].rel: unknown relation" in body
    assert proc.poll() is None, "the server must keep running"
    status, _ = fetch(base + "deep/nested/page/")
    assert status == 200, "the rest of the site stays usable"

    pathway.write_text(MINIMAL_PATHWAY, encoding="utf-8")
    body = wait_for(base, lambda body: "mechanisms-error" not in body and "mechanisms-figure" in body)
    assert "Receptor Yprime" not in body


def test_new_and_deleted_pathway_files_are_picked_up(server):
    root, base, _ = server
    time.sleep(1.1)
    (root / "diagrams/second.md").write_text(
        MINIMAL_PATHWAY.replace("Drug X blocks receptor Y", "Second one"), encoding="utf-8"
    )
    wait_for(base + "pathways/second/", lambda body: "Second one" in body)
    (root / "diagrams/second.md").unlink()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and fetch(base + "pathways/second/")[0] == 200:
        time.sleep(0.2)
    assert fetch(base + "pathways/second/")[0] == 404


def test_glossary_and_bibliography_edits_reload(server):
    root, base, _ = server
    time.sleep(1.1)
    term = root / "docs/glossary/drug-x.md"
    term.write_text(term.read_text().replace("A test drug.", "A freshly edited summary."), encoding="utf-8")
    wait_for(base, lambda body: "A freshly edited summary." in body)
    bib = root / "docs/references.bib"
    bib.write_text(
        bib.read_text().replace("A study of receptor Y", "An edited study title"), encoding="utf-8"
    )
    wait_for(base + "references/", lambda body: "An edited study title" in body)


def test_a_rebuild_that_runs_out_of_graphviz_time_shows_the_box_and_recovers(tmp_path: Path) -> None:
    real_dot = shutil.which("dot")
    assert real_dot
    flag = tmp_path / "stall"
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "dot"
    fake.write_text(
        f'#!/bin/sh\n[ -e "{flag}" ] && exec sleep 60\nexec "{real_dot}" "$@"\n', encoding="utf-8"
    )
    fake.chmod(0o755)
    site = tmp_path / "site-src"
    site.mkdir()
    cfg = write_site(
        site, minimal_files(), "site_name: T\nplugins:\n  - mechanisms:\n      graphviz_timeout: 2\n"
    )
    port = free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-f", str(cfg), "-a", f"127.0.0.1:{port}"],
        cwd=site,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    base = f"http://127.0.0.1:{port}/"
    pathway = site / "diagrams/x-blocks-y.md"
    try:
        wait_for(base, lambda body: "mechanisms-figure" in body, timeout=60)
        time.sleep(1.1)
        flag.touch()
        pathway.write_text(MINIMAL_PATHWAY.replace("{label: Calm,", "{label: Stalled,"), encoding="utf-8")
        body = wait_for(base, lambda body: "mechanisms-error" in body, timeout=40)
        assert "Graphviz ran longer than 2 s" in body, re.findall(r"<pre>.{0,600}?</pre>", body, re.S)
        assert proc.poll() is None, "the server must keep running"
        flag.unlink()
        pathway.write_text(MINIMAL_PATHWAY.replace("{label: Calm,", "{label: Recovered,"), encoding="utf-8")
        body = wait_for(base, lambda body: "mechanisms-error" not in body and "Recovered" in body, timeout=40)
        assert "mechanisms-figure" in body
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def test_a_broken_bibtex_entry_keeps_the_references_page_and_shows_its_line(server):
    root, base, _ = server
    time.sleep(1.1)
    bib = root / "docs/references.bib"
    good = bib.read_text(encoding="utf-8")
    bib.write_text(good + "\n@article{broken,\n  title = {never closed,\n", encoding="utf-8")
    line = good.count("\n") + 2
    body = wait_for(base + "references/", lambda body: "mechanisms-error" in body)
    box = re.search(r'<div class="mechanisms-error.*?</div>', body, re.S)
    assert box is not None and f"docs/references.bib:{line}: could not read this entry" in box.group(0)
    assert "A study of receptor Y" in body and 'id="ref-smith2020"' in body  # the good entries stay
    bib.write_text(good, encoding="utf-8")
    wait_for(
        base + "references/", lambda body: "mechanisms-error" not in body and "A study of receptor Y" in body
    )
