"""Run Zensical as a child process, and keep it tied to us.

A stopped wrapper must take Zensical along, however it is stopped: SIGTERM,
SIGHUP and Ctrl-C end the watcher loop through an exception no ``except
Exception`` can swallow (:class:`Stopped` is a ``BaseException``), and on
Linux the kernel itself sends Zensical SIGTERM when we die, even by SIGKILL
(``PR_SET_PDEATHSIG``), so an orphaned server never keeps the port.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from .errors import MechanismsError

PR_SET_PDEATHSIG = 1


class Stopped(BaseException):  # a signal, like KeyboardInterrupt: no `except Exception` catches it
    """SIGTERM or SIGHUP reached the watcher: stop Zensical's server too."""


def _stop(signum: int, frame: object) -> None:
    raise Stopped(signum)


def die_with_parent() -> Callable[[], None] | None:
    """A ``preexec_fn`` asking Linux to send the child SIGTERM when its parent dies (None elsewhere)."""
    if not sys.platform.startswith("linux"):
        return None
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    libc = ctypes.CDLL(name, use_errno=True)
    parent = os.getpid()

    def tie() -> None:
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # we died before the request took effect
            os._exit(1)

    return tie


def command(action: str, config: Path, extra: Sequence[str]) -> list[str]:
    """Zensical's command line for the generated configuration (relative to the project)."""
    return [sys.executable, "-m", "zensical", action, "-f", config.name, *extra]


def start(action: str, config: Path, extra: Sequence[str]) -> subprocess.Popen[bytes]:
    """Start Zensical in the project folder, tied to this process."""
    return subprocess.Popen(command(action, config, extra), cwd=config.parent, preexec_fn=die_with_parent())


def build(prepared: object, extra: Sequence[str]) -> int:
    """``zensical build`` on the prepared configuration; its exit code."""
    from .zensical import Prepared

    assert isinstance(prepared, Prepared)
    process = start("build", prepared.config, extra)
    try:
        return process.wait()
    except (KeyboardInterrupt, Stopped):
        process.terminate()
        process.wait(timeout=10)
        return 1


def snapshot(paths: Sequence[Path], skip: Mapping[str, str], docs_dir: Path) -> dict[str, tuple[int, int]]:
    """Modification time and size of every watched file (our own output left out)."""
    seen: dict[str, tuple[int, int]] = {}
    for path in paths:
        for file in _walk(path):
            try:
                rel = file.relative_to(docs_dir).as_posix() if file.is_relative_to(docs_dir) else ""
                if rel and rel in skip:
                    continue
                stat = file.stat()
            except OSError:
                continue
            seen[str(file)] = (stat.st_mtime_ns, stat.st_size)
    return seen


def _walk(path: Path) -> Iterator[Path]:
    if path.is_file():
        yield path
    elif path.is_dir():
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if not name.startswith("."):
                    yield Path(dirpath) / name


def serve(config_file: Path, prepared: object, extra: Sequence[str], interval: float = 0.3) -> int:
    """Run Zensical's server; prepare again whenever a source changes (our own output excluded)."""
    from .zensical import Prepared, prepare, read_manifest, report

    assert isinstance(prepared, Prepared)
    process = start("serve", prepared.config, extra)
    site = prepared.site
    before = snapshot(prepared.watched, read_manifest(site), site.docs_dir)
    handled = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {signum: signal.signal(signum, _stop) for signum in handled}
    stopped = False
    try:
        while process.poll() is None:
            time.sleep(interval)
            now = snapshot(prepared.watched, read_manifest(site), site.docs_dir)
            if now == before:
                continue
            before = now  # taken before preparing: an edit made meanwhile is seen next time
            try:
                prepared = prepare(config_file, serving=True)
                site = prepared.site
            except MechanismsError as error:
                report(error)
    except (KeyboardInterrupt, Stopped):
        stopped = True
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    return 0 if stopped else process.returncode or 0
