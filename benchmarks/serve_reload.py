"""Time from saving a source file to its new content being served, under both hosts' servers.

For each host (``mkdocs serve``; ``mkdocs-mechanisms zensical serve``) and
each site — the article site (this repository's ``mkdocs.yml``, ``docs/``,
``diagrams/``, ``overrides/``, git-tracked files only) and the ``medium``
synthetic site (``generate.py``) — it copies the site to a temporary
folder, starts the server on 127.0.0.1 and a free port, waits for the first
build to answer, then edits, ``--edits`` times each (≥ 5 for the issue):

``pathway``
    one node label of one pathway file; seen when the page of that pathway
    draws the new label inside an SVG ``<text>``;
``glossary``
    one sentence at the end of one glossary page's definition; seen on that
    term's page;
``page``
    one paragraph at the end of one article page; seen on that page.

Each edit writes a new token (replacing the previous one); the time is from
the write to the first HTTP answer (polled every 50 ms, ≤ 60 s) that holds
it. Between edits it waits until the server is idle — for a second no log
output, no page written and its process tree under 15 % of a core — so that
one rebuild never overlaps the next edit, and counts the
HTML files of the server's output folder that the rebuild rewrote (Zensical's
``site/``; MkDocs' temporary ``mkdocs_*`` folder, found by giving the server
its own ``TMPDIR``): how many pages an edit re-renders.

Each result is compared with a plain build of the same site on the same
host, measured here too (fastest of two, by ``measure.py``): ``mkdocs build``
of the site without the plugin, and ``zensical build`` with its cache
emptied. Target (issue 18): median and worst reload ≤ that plain build.

Servers run in their own process group; at the end the whole group is
stopped (SIGINT, SIGTERM, SIGKILL, each after a bounded wait) and the script
checks that no process of the group is left.

    .venv/bin/python benchmarks/serve_reload.py [--hosts mkdocs,zensical] [--sites article,medium]
        [--edits 5]
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
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import measure  # noqa: E402
from generate import SIZES, generate  # noqa: E402

HOSTS = ("mkdocs", "zensical")
SITES = ("article", "medium")
KINDS = ("pathway", "glossary", "page")
EDIT_TIMEOUT = 60.0
START_TIMEOUT = 600.0
QUIET = 1.0
"""Seconds without new server log output that count as 'rebuild finished'."""
QUIET_TIMEOUT = 120.0
IDLE_CPU = 0.15
"""Share of one core below which the server's process tree counts as idle (its watchers poll)."""
POLL = 0.05
ENV = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _mount_path(config: Path) -> str:
    """Both servers serve under the path of ``site_url``."""
    match = re.search(r"^site_url:\s*(\S+)", config.read_text(encoding="utf-8"), re.M)
    path = urlsplit(match.group(1)).path if match else "/"
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # 127.0.0.1 only
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


# -- the sites and their edits -----------------------------------------------------


@dataclass
class Edit:
    """One kind of edit: which file, which served page, and how to see the new token there."""

    kind: str
    file: str
    """Relative to the site's root."""
    url: str
    """Relative to the mount path."""
    seen: Callable[[str], re.Pattern[str]]


_LABEL = re.compile(r"^(?P<head>\s+label:\s*)(?P<value>[^\n{}]+)$", re.M)


def _in_svg_text(token: str) -> re.Pattern[str]:
    return re.compile(r"<text[^>]*>[^<]*" + re.escape(token))


def _anywhere(token: str) -> re.Pattern[str]:
    return re.compile(re.escape(token))


def _edit_label(text: str, token: str) -> str:
    """Append ``token`` to the first block-style node label."""
    start = text.index("\nnodes:")
    match = _LABEL.search(text, start)
    if match is None:
        raise SystemExit("no block-style 'label:' under nodes")
    value = match.group("value").strip()
    quote = value[0] if value[0] in "\"'" else ""
    bare = value[1:-1] if quote else value
    return text[: match.start("value")] + f"{quote}{bare} {token}{quote}" + text[match.end("value") :]


def apply_edit(path: Path, edit: Edit, previous: str | None, token: str) -> None:
    """Write ``token`` into the file: in place of the previous token, or at the kind's spot."""
    text = path.read_text(encoding="utf-8")
    if previous and previous in text:
        text = text.replace(previous, token)
    elif edit.kind == "pathway":
        text = _edit_label(text, token)
    else:
        text = text.rstrip("\n") + f"\n\nBenchmark edit {token} for the reload timing.\n"
    path.write_text(text, encoding="utf-8")


def _tracked(names: list[str]) -> list[str]:
    out = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "-z", *names], capture_output=True, check=False
    ).stdout.decode()
    return [name for name in out.split("\0") if name]


def copy_article(dest: Path) -> None:
    """The article site's git-tracked files (never files a local Zensical run generated)."""
    files = _tracked(["mkdocs.yml", "docs", "diagrams", "overrides"])
    if not files:  # not a git checkout: copy the folders as they are
        files = [
            p.relative_to(ROOT).as_posix()
            for n in ("docs", "diagrams", "overrides")
            for p in (ROOT / n).rglob("*")
        ]
        files.append("mkdocs.yml")
    for name in files:
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)


def without_plugin(config: str) -> str:
    """``mkdocs.yml`` text with the ``- mechanisms`` plugin entry (and its options) removed."""
    lines = config.splitlines()
    out: list[str] = []
    skip_deeper: int | None = None
    for line in lines:
        indent = len(line) - len(line.lstrip())
        if skip_deeper is not None:
            if not line.strip() or indent > skip_deeper:
                continue
            skip_deeper = None
        if re.match(r"^\s*-\s*mechanisms\s*:?\s*$", line):
            skip_deeper = indent
            continue
        out.append(line)
    return "\n".join(out) + "\n"


def make_site(site: str, dest: Path, flavour: str) -> tuple[Path, list[Edit]]:
    """Write ``site`` (``article`` or a synthetic size) into ``dest``; ``flavour`` plugin or plain."""
    dest.mkdir(parents=True, exist_ok=True)
    if site == "article":
        copy_article(dest)
        if flavour == "plain":
            config = dest / "mkdocs.yml"
            config.write_text(without_plugin(config.read_text(encoding="utf-8")), encoding="utf-8")
        edits = [
            Edit(
                "pathway",
                "diagrams/ketamine-glutamate-surge.md",
                "pathways/ketamine-glutamate-surge/",
                _in_svg_text,
            ),
            Edit("glossary", "docs/glossary/bdnf.md", "glossary/bdnf/", _anywhere),
            Edit("page", "docs/ketamine.md", "ketamine/", _anywhere),
        ]
        return dest, edits
    pages, pathways, terms = SIZES[site]
    root = generate(dest, pages, pathways, terms, flavour)
    first_pathway = sorted((root / "diagrams").glob("*.md"))[0].stem if flavour == "plugin" else ""
    first_term = sorted(p.stem for p in (root / "docs" / "glossary").glob("*.md") if p.stem != "index")[0]
    edits = [
        Edit("pathway", f"diagrams/{first_pathway}.md", f"pathways/{first_pathway}/", _in_svg_text),
        Edit("glossary", f"docs/glossary/{first_term}.md", f"glossary/{first_term}/", _anywhere),
        Edit("page", "docs/page-0001.md", "page-0001/", _anywhere),
    ]
    return root, edits


# -- plain builds --------------------------------------------------------------------


def plain_build(host: str, site: str, work: Path, repeat: int = 2) -> dict:
    """The fastest of ``repeat`` plain builds of ``site`` on ``host`` (see the module docstring)."""
    root, _ = make_site(site, work / f"plain-{host}", "plain")
    env = dict(os.environ, **ENV)
    best: dict | None = None
    for _ in range(repeat):
        if host == "mkdocs":
            out = work / f"plain-{host}-out"
            shutil.rmtree(out, ignore_errors=True)
            cmd = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", "mkdocs.yml", "-d", str(out)]
        else:
            shutil.rmtree(root / ".cache", ignore_errors=True)
            shutil.rmtree(root / "site", ignore_errors=True)
            cmd = [sys.executable, "-m", "zensical", "build", "-f", "mkdocs.yml"]
        result = measure.run(cmd, root, env)
        if best is None or result["wall"] < best["wall"]:
            best = result
    assert best is not None
    return {k: best[k] for k in ("wall", "cpu", "peak_mib")}


# -- one server ----------------------------------------------------------------------


def _server_command(host: str, addr: str) -> list[str]:
    if host == "mkdocs":
        return [sys.executable, "-m", "mkdocs", "serve", "-a", addr, "-f", "mkdocs.yml"]
    return [
        sys.executable,
        "-m",
        "mkdocs_mechanisms.cli",
        "zensical",
        "serve",
        "-f",
        "mkdocs.yml",
        "-a",
        addr,
    ]


_BUILT = {
    "mkdocs": re.compile(r"Documentation built in ([0-9.]+) seconds"),
    "zensical": re.compile(r"Build finished in ([0-9.]+)s"),
}


def _wait_idle(proc: subprocess.Popen, log: Path, output: Path | None) -> None:
    """Until the server is idle: for ``QUIET`` seconds no log output, no page written, and its
    process tree used under ``IDLE_CPU`` of a core (a Zensical preparation logs and writes nothing
    while it runs, so the log alone cannot tell). Bounded by ``QUIET_TIMEOUT``."""
    deadline = time.perf_counter() + QUIET_TIMEOUT
    state = None
    cpu, since = measure.tree_cpu(proc.pid), time.perf_counter()
    while time.perf_counter() < deadline:
        time.sleep(0.2)
        now = (log.stat().st_size if log.exists() else 0, _mtimes(output))
        used = measure.tree_cpu(proc.pid)
        elapsed = time.perf_counter() - since
        if now != state or (elapsed > 0 and (used - cpu) / elapsed > IDLE_CPU and elapsed >= QUIET):
            state, cpu, since = now, used, time.perf_counter()
        elif elapsed >= QUIET:
            return


def _output_dir(host: str, root: Path, scratch: Path) -> Path | None:
    """Where the server writes the pages: Zensical's ``site/``, MkDocs' ``mkdocs_*`` temporary folder."""
    if host == "zensical":
        return root / "site"
    found = sorted(scratch.glob("mkdocs_*"))
    return found[0] if found else None


def _mtimes(folder: Path | None) -> dict[str, int]:
    """Modification times of the HTML files under ``folder`` (a server may be rewriting it meanwhile)."""
    if folder is None or not folder.is_dir():
        return {}
    out = {}
    for dirpath, _, filenames in os.walk(folder):  # os.walk skips folders that vanish while it walks
        for name in filenames:
            if name.endswith(".html"):
                path = Path(dirpath) / name
                try:
                    out[path.relative_to(folder).as_posix()] = path.stat().st_mtime_ns
                except OSError:
                    continue
    return out


def measure_server(host: str, site: str, edits: int, verbose: bool = True) -> dict:
    """Start one server on one site, edit each kind ``edits`` times; seconds from write to visible."""
    tmp = Path(tempfile.mkdtemp(prefix=f"mechanisms-serve-{host}-{site}-"))
    proc: subprocess.Popen[bytes] | None = None
    log_path = tmp / "serve.log"
    result: dict = {"host": host, "site": site, "edits": {}, "first_build": None, "error": None, "left": []}
    try:
        result["plain"] = plain_build(host, site, tmp)
        root, kinds = make_site(site, tmp / "site", "plugin")
        scratch = tmp / "tmpdir"  # the server's TMPDIR, so that MkDocs' output folder can be found
        scratch.mkdir()
        port = free_port()
        base = f"http://127.0.0.1:{port}{_mount_path(root / 'mkdocs.yml')}"
        with log_path.open("wb") as log:
            proc = subprocess.Popen(
                _server_command(host, f"127.0.0.1:{port}"),
                cwd=root,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=dict(os.environ, **ENV, TMPDIR=str(scratch)),
                start_new_session=True,
                preexec_fn=measure.default_sigint,
            )
        started = time.perf_counter()
        page = None
        first = base + kinds[0].url
        while time.perf_counter() - started < START_TIMEOUT and proc.poll() is None:
            page = _get(first)
            if page is not None and "<html" in page.lower():
                break
            page = None
            time.sleep(0.1)
        if page is None:
            result["error"] = f"server did not answer {first} within {START_TIMEOUT:g} s"
            return result
        result["first_build"] = time.perf_counter() - started
        if verbose:
            print(
                f"serve {host} {site}: first page after {result['first_build']:.2f} s at {base}", flush=True
            )
        output = _output_dir(host, root, scratch)
        _wait_idle(proc, log_path, output)
        result["pages"] = len(_mtimes(output))
        for edit in kinds:
            times: list[float | None] = []
            builds: list[float | None] = []
            rewritten: list[int] = []
            previous = None
            for i in range(edits):
                before_pages = _mtimes(output)
                token = f"Edit{edit.kind[:2]}{i}x{secrets.token_hex(3)}"
                before = len(_BUILT[host].findall(log_path.read_text(encoding="utf-8", errors="replace")))
                apply_edit(root / edit.file, edit, previous, token)
                written = time.perf_counter()
                previous = token
                seen = edit.seen(token)
                elapsed = None
                while time.perf_counter() - written < EDIT_TIMEOUT:
                    body = _get(base + edit.url)
                    if body is not None and seen.search(body):
                        elapsed = time.perf_counter() - written
                        break
                    time.sleep(POLL)
                times.append(elapsed)
                _wait_idle(proc, log_path, output)
                built = _BUILT[host].findall(log_path.read_text(encoding="utf-8", errors="replace"))
                builds.append(float(built[-1]) if len(built) > before else None)
                after_pages = _mtimes(output)
                rewritten.append(sum(1 for k, v in after_pages.items() if before_pages.get(k) != v))
                if verbose:
                    shown = (
                        f"{elapsed:.2f} s" if elapsed is not None else f"not visible after {EDIT_TIMEOUT:g} s"
                    )
                    inside = f"; host's own rebuild {builds[-1]:.2f} s" if builds[-1] is not None else ""
                    print(
                        f"serve {host} {site}: {edit.kind} edit {i + 1}: visible after {shown}"
                        f" ({rewritten[-1]} of {result['pages']} pages rewritten{inside})",
                        flush=True,
                    )
            result["edits"][edit.kind] = {
                "file": edit.file,
                "url": edit.url,
                "times": times,
                "builds": builds,
                "rewritten": rewritten,
            }
        return result
    except (measure.MeasureError, OSError, ValueError) as error:  # one server must not end the run
        result["error"] = f"{type(error).__name__}: {error}"[:2000]
        return result
    finally:
        if proc is not None:
            result["left"] = measure.kill_group(proc)
        if result.get("error") or any(None in e["times"] for e in result["edits"].values()):
            result["log"] = (
                log_path.read_text(encoding="utf-8", errors="replace")[-3000:] if log_path.exists() else ""
            )
        shutil.rmtree(tmp, ignore_errors=True)


def measure_all(
    hosts: list[str] | tuple[str, ...] = HOSTS,
    sites: list[str] | tuple[str, ...] = SITES,
    edits: int = 5,
    verbose: bool = True,
) -> dict:
    """Every (host, site) pair; keyed ``"host/site"``."""
    out: dict = {}
    for site in sites:
        for host in hosts:
            out[f"{host}/{site}"] = measure_server(host, site, edits, verbose)
    return out


# -- report ---------------------------------------------------------------------------


def _stats(values: list[float | None]) -> tuple[float, float] | None:
    if not values or None in values:
        return None
    clean = [v for v in values if v is not None]
    return statistics.median(clean), max(clean)


def report(results: dict) -> None:
    """A table: per host and site, per kind of edit, median and worst against the plain build."""
    print("\n== serve reload (seconds from saving a file to the new content being served) ==")
    print(
        "  host      site      edit       n  median   worst  host rebuild  plain build  worst/plain"
        "  pages rewritten"
    )
    for key, res in results.items():
        host, site = key.split("/")
        if res.get("error"):
            print(f"  {host:<9} {site:<9} error: {res['error'][:200]}")
            continue
        plain = res["plain"]["wall"]
        for kind, e in res["edits"].items():
            st = _stats(e["times"])
            builds = [b for b in e["builds"] if b is not None]
            rebuild = f"{statistics.median(builds):9.2f} s" if builds else "        —  "
            if st is None:
                print(f"  {host:<9} {site:<9} {kind:<9} {len(e['times']):2d}  not always visible")
                continue
            median, worst = st
            rewritten = e.get("rewritten") or []
            pages = f"{statistics.median(rewritten):.0f} of {res.get('pages', 0)}" if rewritten else "?"
            print(
                f"  {host:<9} {site:<9} {kind:<9} {len(e['times']):2d} {median:7.2f} {worst:7.2f}"
                f"   {rebuild} {plain:10.2f} s {worst / plain:10.2f}×  {pages}"
            )
        left = res.get("left") or []
        print(f"  {host:<9} {site:<9} first page after {res['first_build']:.1f} s; "
              f"processes left after stopping: {len(left)}")  # fmt: skip


def summarise(results: dict) -> list[tuple[bool, str]]:
    """(met, line) per host, site and kind of edit: median and worst ≤ the plain build."""
    lines: list[tuple[bool, str]] = []
    for key, res in results.items():
        host, site = key.split("/")
        server = "mkdocs serve" if host == "mkdocs" else "mkdocs-mechanisms zensical serve"
        if res.get("error"):
            lines.append((False, f"{server}, {site}: no measurement ({res['error'][:200]})"))
            continue
        plain = res["plain"]["wall"]
        for kind, e in res["edits"].items():
            st = _stats(e["times"])
            if st is None:
                lines.append((False, f"{server}, {site}, {kind} edit: not visible within {EDIT_TIMEOUT:g} s"))
                continue
            median, worst = st
            lines.append(
                (
                    median <= plain and worst <= plain,
                    f"{server}, {site}, {kind} edit: median {median:.2f} s, worst {worst:.2f} s over "
                    f"{len(e['times'])} edits vs plain {host} build {plain:.2f} s (target ≤ plain)",
                )
            )
        if res.get("left"):
            lines.append((False, f"{server}, {site}: {len(res['left'])} processes left after stopping"))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the serve reload on both hosts.")
    parser.add_argument("--hosts", default=",".join(HOSTS))
    parser.add_argument(
        "--sites", default=",".join(SITES), help=f"article and/or a synthetic size ({', '.join(SIZES)})"
    )
    parser.add_argument("--edits", type=int, default=5, help="edits of each kind (≥ 5 for the issue)")
    args = parser.parse_args(argv)
    hosts = [h for h in args.hosts.split(",") if h]
    sites = [s for s in args.sites.split(",") if s]
    if any(h not in HOSTS for h in hosts) or any(s != "article" and s not in SIZES for s in sites):
        parser.error("unknown host or site")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwind, so that the server is stopped too
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    results = measure_all(hosts, sites, args.edits)
    report(results)
    for met, line in summarise(results):
        print(f"  [{'met' if met else 'MISSED'}] {line}")
    for key, res in results.items():
        if res.get("log"):
            print(f"--- {key} server log (tail) ---\n{res['log']}")
    print(f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
