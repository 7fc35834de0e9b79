"""The benchmark harness measures what it says: the whole process tree, clean server stops, honest edits."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"
sys.path.insert(0, str(BENCH))

import measure  # noqa: E402
import serve_reload  # noqa: E402
from generate import SIZES  # noqa: E402

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")

CHILD_HOLDS_80_MIB = textwrap.dedent(
    """
    import subprocess, sys
    code = "import time; b = bytearray(80 * 2**20); b[::4096] = b'x' * len(b[::4096]); time.sleep(0.6)"
    subprocess.run([sys.executable, "-c", code], check=True)
    """
)


def test_peak_memory_counts_the_children(tmp_path: Path) -> None:
    """A parent that only waits for an 80 MiB child has a tree peak of at least 80 MiB."""
    result = measure.run([sys.executable, "-c", CHILD_HOLDS_80_MIB], tmp_path)
    assert result["peak_mib"] >= 80
    assert result["tree_procs"] >= 2
    assert result["cpu"] > 0
    assert result["wall"] >= 0.6


PARENT_FORKS_WITH_80_MIB = textwrap.dedent(
    """
    import os, time
    b = bytearray(80 * 2**20); b[::4096] = b'x' * len(b[::4096])
    pid = os.fork()
    if pid == 0:
        time.sleep(0.6)
        os._exit(0)
    os.waitpid(pid, 0)
    """
)


def test_a_child_that_has_not_exec_d_is_not_counted_twice(tmp_path: Path) -> None:
    """A child still running its parent's command shares its memory (vfork before exec): one 80 MiB."""
    result = measure.run([sys.executable, "-c", PARENT_FORKS_WITH_80_MIB], tmp_path)
    assert 80 <= result["peak_mib"] < 150


def test_a_failed_command_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(measure.MeasureError, match="exit 3"):
        measure.run(
            [sys.executable, "-c", "import sys; print('boom', file=sys.stderr); sys.exit(3)"], tmp_path
        )


def test_kill_group_stops_children_that_ignore_sigint_and_sigterm(tmp_path: Path) -> None:
    stubborn = (
        "import signal, subprocess, sys, time\n"
        "signal.signal(signal.SIGINT, signal.SIG_IGN); signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "subprocess.Popen([sys.executable, '-c', 'import signal, time; "
        "signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)'])\n"
        "print('ready', flush=True); time.sleep(60)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", stubborn], stdout=subprocess.PIPE, start_new_session=True)
    assert proc.stdout is not None
    with proc.stdout:
        assert proc.stdout.readline().strip() == b"ready"
        assert len(measure.group_members(proc.pid)) == 2
        assert measure.kill_group(proc, wait=0.5) == []
    assert proc.returncode is not None


def test_without_plugin_drops_the_entry_and_its_options() -> None:
    config = textwrap.dedent(
        """\
        plugins:
          - search
          - mechanisms:
              # a comment
              outside_article: ["plugin/*"]

              cache_dir: .cache/x
          - tags
        nav:
          - Home: index.md
        """
    )
    out = serve_reload.without_plugin(config)
    assert "mechanisms" not in out and "outside_article" not in out and "cache_dir" not in out
    assert "  - search\n  - tags\nnav:\n  - Home: index.md\n" in out


def test_edits_replace_their_previous_token(tmp_path: Path) -> None:
    pathway = tmp_path / "p.md"
    pathway.write_text('---\ntitle: T\nnodes:\n  a:\n    label: "Drug A"\n    kind: drug\n---\nBody.\n')
    edit = serve_reload.Edit("pathway", "p.md", "p/", serve_reload._in_svg_text)
    serve_reload.apply_edit(pathway, edit, None, "Tok1")
    assert 'label: "Drug A Tok1"' in pathway.read_text()
    serve_reload.apply_edit(pathway, edit, "Tok1", "Tok2")
    text = pathway.read_text()
    assert 'label: "Drug A Tok2"' in text and "Tok1" not in text
    assert edit.seen("Tok2").search('<text x="1">Drug A Tok2</text>')
    assert not edit.seen("Tok2").search("<p>Drug A Tok2</p>")
    page = tmp_path / "page.md"
    page.write_text("# Page\n\nText.\n")
    serve_reload.apply_edit(
        page, serve_reload.Edit("page", "page.md", "page/", serve_reload._anywhere), None, "Tok3"
    )
    assert page.read_text().endswith("\n\nBenchmark edit Tok3 for the reload timing.\n")


def test_the_xlarge_size_is_the_issue_s() -> None:
    assert SIZES["xlarge"] == (1000, 2000, 3000)
