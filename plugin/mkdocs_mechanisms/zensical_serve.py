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
from collections.abc import Callable, Iterator, Sequence
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


def snapshot(paths: Sequence[Path]) -> dict[str, tuple[int, int]]:
    """Modification time and size of every watched file."""
    seen: dict[str, tuple[int, int]] = {}
    for path in paths:
        for file in _walk(path):
            try:
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


def serve(config_file: Path, prepared: object, extra: Sequence[str], interval: float = 0.2) -> int:
    """Run Zensical's server; prepare again whenever a source changes.

    Zensical reads the shadow docs folder, which only a finished preparation changes, in
    one burst (:mod:`.zensical_shadow`), so it builds once per edit; a line on the console
    says when a preparation is done.
    """
    from .zensical import Prepared, prepare, report

    assert isinstance(prepared, Prepared)
    process = start("serve", prepared.config, extra)
    before = snapshot(prepared.watched)
    handled = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {signum: signal.signal(signum, _stop) for signum in handled}
    stopped = False
    try:
        while process.poll() is None:
            time.sleep(interval)
            now = snapshot(prepared.watched)
            if now == before:
                continue
            before = now  # taken before preparing: an edit made meanwhile is seen next time
            started = time.monotonic()
            try:
                prepared = prepare(config_file, serving=True)
            except MechanismsError as error:
                report(error)
                continue
            reloads = prepared.shadow is not None and prepared.shadow.reloads
            print(
                f"INFO    -  mechanisms: prepared in {time.monotonic() - started:.2f} s, "
                f"{len(prepared.written)} file(s) changed for Zensical"
                + (", and its configuration (Zensical reloads)" if reloads else ""),
                file=sys.stderr,
                flush=True,
            )
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
