"""Time from editing one pathway file to the new label on the served page.

Copies the article site (``mkdocs.yml``, ``docs/``, ``diagrams/``,
``overrides/``) to a temporary folder, starts ``mkdocs serve`` on
127.0.0.1 and a free port, waits for the first build to answer, then edits
one node label in one pathway file and polls that pathway's page until the
new label is drawn in its diagram (an SVG ``<text>``). Every wait is
bounded; the server is stopped at the end.

Target (issue): one edited pathway reloads in ≤ 1.5 s.

    .venv/bin/python benchmarks/serve_reload.py [--edits 3] [--pathway ID]
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 1.5
EDIT_TIMEOUT = 30.0
START_TIMEOUT = 180.0
POLL = 0.05


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _mount_path(config: Path) -> str:
    """``mkdocs serve`` serves under the path of ``site_url``."""
    match = re.search(r"^site_url:\s*(\S+)", config.read_text(encoding="utf-8"), re.M)
    path = urlsplit(match.group(1)).path if match else "/"
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # 127.0.0.1 only
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def _copy_site(dest: Path) -> None:
    shutil.copy2(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    for name in ("docs", "diagrams", "overrides"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, dest / name)


_BUILT = re.compile(r"Documentation built in ([0-9.]+) seconds")
_LABEL = re.compile(r"^(?P<head>\s+label:\s*)(?P<value>[^\n{}]+)$", re.M)


def _edit_label(path: Path, token: str) -> str:
    """Append ``token`` to the first block-style node label; returns the new label."""
    text = path.read_text(encoding="utf-8")
    start = text.index("\nnodes:")
    match = _LABEL.search(text, start)
    if match is None:
        raise SystemExit(f"no block-style 'label:' under nodes in {path}")
    value = match.group("value").strip()
    quote = value[0] if value[0] in "\"'" else ""
    bare = value[1:-1] if quote else value
    new = f"{bare} {token}"
    text = text[: match.start("value")] + f"{quote}{new}{quote}" + text[match.end("value") :]
    path.write_text(text, encoding="utf-8")
    return new


def measure(
    edits: int = 3,
    pathway: str = "ketamine-glutamate-surge",
    python: str = sys.executable,
    verbose: bool = True,
) -> dict:
    """Start a server, edit ``edits`` times, return the seconds from each edit to the visible change."""
    tmp = Path(tempfile.mkdtemp(prefix="mechanisms-serve-"))
    proc: subprocess.Popen[bytes] | None = None
    log_path = tmp / "serve.log"
    result: dict = {"pathway": pathway, "times": [], "builds": [], "first_build": None, "error": None}
    try:
        site = tmp / "site"
        site.mkdir()
        _copy_site(site)
        port = free_port()
        url = f"http://127.0.0.1:{port}{_mount_path(site / 'mkdocs.yml')}pathways/{pathway}/"
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                [python, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", "-f", str(site / "mkdocs.yml")],
                cwd=site,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,
            )
        started = time.perf_counter()
        deadline = started + START_TIMEOUT
        page = None
        while time.perf_counter() < deadline and proc.poll() is None:
            page = _get(url)
            if page is not None:
                break
            time.sleep(0.1)
        if page is None:
            result["error"] = f"server did not answer {url} within {START_TIMEOUT:g} s"
            return result
        result["first_build"] = time.perf_counter() - started
        if verbose:
            print(f"serve: first page after {result['first_build']:.2f} s at {url}")
        source = site / "diagrams" / f"{pathway}.md"
        for i in range(edits):
            time.sleep(1.0)  # let the watcher settle between edits
            token = f"Edit{i}{secrets.token_hex(3)}"
            _edit_label(source, token)
            edited = time.perf_counter()
            seen = re.compile(r"<text[^>]*>[^<]*" + re.escape(token))
            elapsed = None
            while time.perf_counter() - edited < EDIT_TIMEOUT:
                body = _get(url)
                if body is not None and seen.search(body):
                    elapsed = time.perf_counter() - edited
                    break
                time.sleep(POLL)
            result["times"].append(elapsed)
            built: list[str] = []
            for _ in range(20):  # the log line may trail the page by a moment
                built = _BUILT.findall(log_path.read_text(encoding="utf-8", errors="replace"))
                if len(built) >= i + 2:
                    break
                time.sleep(0.05)
            build = float(built[-1]) if len(built) >= i + 2 else None
            result["builds"].append(build)
            if verbose:
                shown = f"{elapsed:.2f} s" if elapsed is not None else f"not visible after {EDIT_TIMEOUT:g} s"
                inside = f" (MkDocs: 'built in {build:.2f} s')" if build is not None else ""
                print(f"serve: edit {i + 1}: label '{token}' visible after {shown}{inside}")
        return result
    finally:
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        if result.get("error") or None in result["times"]:
            result["log"] = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
        shutil.rmtree(tmp, ignore_errors=True)


def summarise(result: dict) -> tuple[bool, str]:
    """(met, line) for the serve-reload target."""
    times = result["times"]
    if result["error"] or not times or None in times:
        return False, f"serve reload: no measurement ({result['error'] or 'edit never became visible'})"
    worst, median = max(times), statistics.median(times)
    builds = [b for b in result.get("builds", []) if b is not None]
    inside = f"; MkDocs' own rebuild time median {statistics.median(builds):.2f} s" if builds else ""
    met = worst <= TARGET_SECONDS
    return met, (
        f"serve reload of one edited pathway: median {median:.2f} s, worst {worst:.2f} s "
        f"over {len(times)} edits{inside} (target ≤ {TARGET_SECONDS} s, every edit)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time mkdocs serve's reload after editing one pathway.")
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--pathway", default="ketamine-glutamate-surge")
    args = parser.parse_args(argv)
    result = measure(args.edits, args.pathway)
    met, line = summarise(result)
    print(f"[{'met' if met else 'MISSED'}] {line}")
    if result.get("log"):
        print("--- server log (tail) ---\n" + result["log"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
