"""A real `mkdocs-mechanisms zensical serve`: every kind of edit shows up, once, and the site settles."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import MINIMAL_PATHWAY, minimal_files, write_site
from hosts import ZENSICAL_HOSTS, zensical_build, zensical_env
from mkdocs_mechanisms.zensical_serve import cleaned
from test_serve import fetch, free_port, wait_for

pytest.importorskip("zensical")
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("serve")]

BUILT = ("No issues found", "issue found", "issues found")
"""What Zensical prints at the end of every build, full or incremental."""
PREPARED = "mechanisms: prepared in"
"""What the command prints when a preparation is done (and Zensical's docs folder up to date)."""


class Output:
    """The server's output, read on a thread so the test can ask what happened since when."""

    def __init__(self, proc: subprocess.Popen[str]) -> None:
        self.lines: list[tuple[float, str]] = []
        self._proc = proc
        self._thread = threading.Thread(target=self._read, args=(proc,), daemon=True)
        self._thread.start()

    def _read(self, proc: subprocess.Popen[str]) -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    def close(self) -> None:
        """Once the server has gone: the pipe ends, the reader stops, the pipe is closed."""
        self._thread.join(timeout=10)
        if self._proc.stdout is not None and not self._thread.is_alive():
            self._proc.stdout.close()

    def since(self, start: float) -> list[str]:
        return [line for stamp, line in list(self.lines) if stamp >= start]

    def timeline(self, start: float) -> list[str]:
        """The lines since ``start``, each with its time after it (for a failure's message)."""
        return [f"{stamp - start:6.3f} {line}" for stamp, line in list(self.lines) if stamp >= start]

    def builds(self, start: float) -> int:
        return sum(any(mark in line for mark in BUILT) for line in self.since(start))

    def settle(self, quiet: float = 3.0, timeout: float = 20.0) -> None:
        """Return once nothing was printed for ``quiet`` seconds; a rebuild loop never gets there."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            last = self.lines[-1][0] if self.lines else 0.0
            if time.monotonic() - last >= quiet:
                return
            time.sleep(0.1)
        tail = "\n".join(line for _, line in self.lines[-12:])
        raise AssertionError(f"still rebuilding {timeout:.0f} s later (a rebuild loop?):\n{tail}")

    def edit_done(self, start: float, timeout: float = 60.0) -> list[str]:
        """The lines an edit made at ``start`` caused, once its preparation and Zensical's build are over.

        Waits for the causal chain, not for a guessed time: the command's line saying the preparation
        is done (printed once Zensical's docs folder is up to date, so any build the edit causes is
        under way by then) and the end of a build; then for quiet, so a second build (the bug this
        guards against) would be counted.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.since(start)
            if any(PREPARED in line for line in lines) and self.builds(start) >= 1:
                self.settle()
                return self.timeline(start)
            time.sleep(0.05)
        raise AssertionError("no preparation and build after the edit:\n" + "\n".join(self.timeline(start)))


@pytest.fixture(params=ZENSICAL_HOSTS)
def zensical_server(tmp_path: Path, request: pytest.FixtureRequest):
    cfg = write_site(
        tmp_path, minimal_files(), "site_name: Test\ntheme:\n  name: material\nplugins:\n  - mechanisms\n"
    )
    port = free_port()
    command = [sys.executable, "-u", "-m", "mkdocs_mechanisms.cli", "zensical", "serve"]
    proc = subprocess.Popen(
        [*command, "-f", str(cfg), "-a", f"127.0.0.1:{port}"],
        cwd=tmp_path,
        env=zensical_env(request.param),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = Output(proc)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(base, lambda body: "mechanisms-figure" in body, timeout=60)
        output.settle()
        yield tmp_path, base, proc, output
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        output.close()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _pages_changed(lines: list[str]) -> int:
    """How many files the edit's preparations changed for Zensical (from their lines)."""
    return sum(int(line.split(" s, ")[1].split()[0]) for line in lines if PREPARED in line)


def test_zensical_serve_shows_every_kind_of_edit_and_settles(zensical_server):
    """Zensical reads a docs folder that only a finished preparation changes, in one burst, and
    never reloads for an edit of a source: it renders the pages whose file changed (their marks).
    A one-page edit costs one Zensical build; for several pages Zensical may report its renders
    in more than one round (0.0.73 and 0.1.x alike), never more rounds than files changed."""
    root, base, proc, output = zensical_server
    config = root / ".mechanisms-zensical.yml"
    stamp = config.stat().st_mtime_ns

    # A pathway: its own page and every page that shows the figure.
    start = time.monotonic()
    _edit(root / "diagrams/x-blocks-y.md", "{label: Receptor Y,", "{label: Receptor Yprime,")
    wait_for(base + "pathways/x-blocks-y/", lambda body: "Receptor Yprime" in body, timeout=30)
    wait_for(base + "deep/nested/page/", lambda body: "Receptor Yprime" in body, timeout=30)
    lines = output.edit_done(start)
    assert 1 <= output.builds(start) <= _pages_changed(lines), lines
    assert not any("Reloading" in line for line in lines), lines

    # A glossary page: the term page and the tooltip on a page that links the term.
    start = time.monotonic()
    _edit(root / "docs/glossary/drug-x.md", "A test drug.", "A freshly edited drug.")
    wait_for(base + "glossary/drug-x/", lambda body: "A freshly edited drug." in body, timeout=30)
    wait_for(base, lambda body: "A freshly edited drug." in body, timeout=30)
    lines = output.edit_done(start)
    assert 1 <= output.builds(start) <= _pages_changed(lines), lines
    assert not any("Reloading" in line for line in lines), lines
    assert config.stat().st_mtime_ns == stamp  # no source edit made Zensical reload

    # A page whose edit changes nothing site-wide: one page changes for Zensical, and we rewrite
    # nothing else (a rewritten configuration would make Zensical reload everything).
    start = time.monotonic()
    state = root / ".cache/mechanisms/zensical/state.json"
    stamps = {path: path.stat().st_mtime_ns for path in (root / ".mechanisms-zensical.yml", state)}
    _edit(root / "docs/index.md", "Drug X is interesting", "Drug X is fascinating")
    wait_for(base, lambda body: "is fascinating" in body, timeout=30)
    lines = output.edit_done(start)
    assert output.builds(start) == 1, lines
    assert any(PREPARED in line and " 1 file(s) changed" in line for line in lines), lines
    assert not any("Reloading" in line for line in lines), lines
    assert {path: path.stat().st_mtime_ns for path in stamps} == stamps

    # The bibliography: the references page.
    start = time.monotonic()
    _edit(root / "docs/references.bib", "A study of receptor Y", "A revised study of receptor Y")
    wait_for(base + "references/", lambda body: "A revised study of receptor Y" in body, timeout=30)
    lines = output.edit_done(start)
    assert 1 <= output.builds(start) <= _pages_changed(lines), lines
    assert not (root / "docs/pathways").exists(), "nothing is generated into the author's docs"

    # A broken pathway shows as an error box on the page, the server survives, the fix clears it.
    (root / "diagrams/x-blocks-y.md").write_text(
        MINIMAL_PATHWAY.replace("rel: blocks", "rel: blockz"), encoding="utf-8"
    )
    body = wait_for(base, lambda body: "mechanisms-error" in body, timeout=30)
    assert "unknown relation" in body
    (root / "diagrams/x-blocks-y.md").write_text(MINIMAL_PATHWAY, encoding="utf-8")
    wait_for(base, lambda body: "mechanisms-error" not in body and "mechanisms-figure" in body, timeout=30)

    # Settled: no further build for a while after the last edit.
    output.settle()
    start = time.monotonic()
    time.sleep(2.0)
    assert output.builds(start) == 0, output.since(start)
    assert proc.poll() is None, "the server keeps running"

    # Stopping the command stops Zensical's server with it (no orphan keeps the port).
    proc.terminate()
    assert proc.wait(timeout=15) == 0
    wait_for_closed = time.monotonic() + 10
    while fetch(base)[0] != 0 and time.monotonic() < wait_for_closed:
        time.sleep(0.1)
    assert fetch(base)[0] == 0, "Zensical's server outlived the command"


def test_a_stop_signal_stops_even_inside_a_catch_all_except(tmp_path, monkeypatch):
    """SIGTERM while preparing, inside code that catches ``Exception`` (as a careless reader does).

    The preparations run in a process of their own: the watcher stops it with Zensical, whatever it
    catches, in the middle of the second preparation.
    """
    import os
    import signal

    from mkdocs_mechanisms import zensical_serve

    server = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    monkeypatch.setattr(zensical_serve, "start", lambda *args: server)
    watched = tmp_path / "page.md"
    watched.write_text("a", encoding="utf-8")
    careless = (
        "import json, sys, time\n"
        "sys.stdin.readline()\n"
        f"print(json.dumps({{'config': 'c.yml', 'watched': [{str(watched)!r}], 'written': 0, 'reloads': False}}), flush=True)\n"
        "sys.stdin.readline()\n"
        "try:\n"
        "    time.sleep(60)\n"
        "except Exception:\n"
        "    pass\n"
    )
    monkeypatch.setattr(zensical_serve, "PREPARE", [sys.executable, "-c", careless])
    pids = []
    real_popen = subprocess.Popen

    def popen(*args, **kwargs):
        child = real_popen(*args, **kwargs)
        pids.append(child)
        return child

    monkeypatch.setattr(zensical_serve.subprocess, "Popen", popen)
    threading.Timer(0.5, lambda: watched.write_text("b", encoding="utf-8")).start()
    threading.Timer(1.5, lambda: os.kill(os.getpid(), signal.SIGTERM)).start()
    started = time.monotonic()
    try:
        assert zensical_serve.serve(tmp_path / "mkdocs.yml", [], interval=0.05) == 0
    finally:
        if server.poll() is None:
            server.kill()
    assert time.monotonic() - started < 5
    preparations = [p for p in pids if list(p.args[:2]) == [sys.executable, "-c"]]  # not ctypes' ldconfig
    assert len(preparations) == 1 and preparations[0].returncode == -signal.SIGKILL  # stopped with us
    assert server.wait(timeout=10) is not None  # Zensical's stand-in too


@pytest.mark.parametrize("host", ZENSICAL_HOSTS)
def test_killing_the_command_outright_takes_zensicals_server_along(tmp_path, host):
    """SIGKILL leaves no handler to run: Linux itself stops the server (PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        pytest.skip("PR_SET_PDEATHSIG is Linux's")
    cfg = write_site(tmp_path, minimal_files())
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mkdocs_mechanisms.cli",
            "zensical",
            "serve",
            "-f",
            str(cfg),
            "-a",
            f"127.0.0.1:{port}",
        ],
        cwd=tmp_path,
        env=zensical_env(host),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_for(base, lambda body: "mechanisms-figure" in body, timeout=90)
        children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()
        assert children, "Zensical runs as a child process"
        proc.kill()
        proc.wait(timeout=10)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and (
            fetch(base)[0] != 0 or any(Path(f"/proc/{c}").exists() for c in children)
        ):
            time.sleep(0.2)
        assert fetch(base)[0] == 0, "Zensical's server outlived the killed command"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.parametrize("host", ZENSICAL_HOSTS)
def test_build_clean_cleans_first_and_keeps_the_figures(tmp_path, host):
    """Zensical's --clean removed .cache after the preparation, the prepared docs with it: a traceback."""
    write_site(tmp_path, minimal_files())
    assert zensical_build(tmp_path, host).returncode == 0
    stale = tmp_path / ".cache" / "stale-entry"
    stale.write_text("from an earlier build", encoding="utf-8")
    done = zensical_build(tmp_path, host, "--clean")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "mechanisms-figure" in (tmp_path / "site/index.html").read_text(encoding="utf-8")
    assert not stale.exists()


@pytest.mark.parametrize(
    ("extra", "kept", "cleans"),
    [
        (["--clean", "--strict"], ["--strict"], True),
        (["-c"], [], True),
        (["-cs"], ["-s"], True),
        (["--strict"], ["--strict"], False),
        (["-s"], ["-s"], False),
    ],
)
def test_clean_is_taken_out_of_zensicals_arguments(tmp_path, extra, kept, cleans):
    (tmp_path / ".cache").mkdir()
    assert cleaned(tmp_path, extra) == kept
    assert (tmp_path / ".cache").exists() is not cleans
