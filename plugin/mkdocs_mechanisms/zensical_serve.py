"""Run Zensical as a child process, and keep it tied to us.

A stopped wrapper must take Zensical along, however it is stopped: SIGTERM,
SIGHUP and Ctrl-C end the watcher loop through an exception no ``except
Exception`` can swallow (:class:`Stopped` is a ``BaseException``), and on
Linux the kernel itself sends Zensical SIGTERM when we die, even by SIGKILL
(``PR_SET_PDEATHSIG``), so an orphaned server never keeps the port.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

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


def run(command_name: str, config_file: Path | None, extra: Sequence[str]) -> int:
    """``build`` or ``serve``; returns the exit code (``build`` becomes Zensical: it does not return)."""
    if importlib.util.find_spec("zensical") is None:
        print(
            "mkdocs-mechanisms: Zensical is not installed: pip install 'mkdocs-mechanisms[zensical]'",
            file=sys.stderr,
        )
        return 1
    if config_file is None or not config_file.is_file():
        where = f"no {config_file}" if config_file is not None else "no zensical.toml or mkdocs.yml"
        print(
            f"mkdocs-mechanisms: {where} here; run beside zensical.toml or mkdocs.yml, or pass -f FILE",
            file=sys.stderr,
        )
        return 2
    if command_name == "serve":
        return serve(config_file, extra)
    return build(config_file, extra)


def build(config_file: Path, extra: Sequence[str]) -> int:
    """Prepare (unless nothing changed, :mod:`.zensical_inputs`), then become ``zensical build``.

    Nothing of the preparation stays resident beside Zensical: this process becomes it.
    """
    from . import zensical_inputs as inputs

    extra = cleaned(config_file.parent, extra)
    found = inputs.fingerprint(config_file)
    config = inputs.unchanged(config_file, found)  # nothing changed: Zensical runs on the last preparation
    if config is None:
        from .zensical import prepare, report

        if found is not None:
            inputs.forget(found[1])
        try:
            with inputs.said() as said:
                prepared = prepare(config_file, serving=False)
        except MechanismsError as error:
            report(error)
            return 1
        config = prepared.config
        if found is not None:
            inputs.remember(found[1], found[0], config, prepared.outputs, said)
    args = command("build", config, extra)
    sys.stdout.flush()
    sys.stderr.flush()
    if os.name == "posix":
        os.chdir(config.parent)
        os.execv(args[0], args)  # our own interpreter running Zensical, as `start` does
    process = start("build", config, extra)
    try:
        return process.wait()
    except (KeyboardInterrupt, Stopped):
        process.terminate()
        process.wait(timeout=10)
        return 1


ZENSICAL_CACHE = ".cache"
"""What ``zensical build --clean`` removes: the project's whole ``.cache`` folder."""


def cleaned(root: Path, extra: Sequence[str]) -> list[str]:
    """Zensical's arguments without ``--clean``/``-c``, whose cleaning is done here, before preparing.

    Zensical cleans after we prepared, and its ``.cache`` holds the prepared docs folder (the
    default ``cache_dir``): it would then build from nothing, or fail. Removing the folder first
    keeps what the user asked for, a build from a clean cache, ours included.
    """
    kept: list[str] = []
    clean = False
    for arg in extra:
        if arg == "--clean" or (re.fullmatch(r"-[cs]+", arg) and "c" in arg):  # -c, -cs: click's groups
            clean = True
            arg = "" if arg == "--clean" else arg.replace("c", "")
            if arg in ("", "-"):
                continue
        kept.append(arg)
    if clean:
        shutil.rmtree(root / ZENSICAL_CACHE, ignore_errors=True)
    return kept


PREPARE = [sys.executable, "-m", "mkdocs_mechanisms.zensical_resident"]
"""The serve's preparations in a process of their own (:mod:`.zensical_resident`); the config is appended."""


class Preparer:
    """The process that prepares for the watcher, kept for the whole serve (started again if it died).

    It keeps what an edit leaves unchanged in memory, so each preparation redoes only what the
    edit touches; the watcher itself stays small.
    """

    def __init__(self, config_file: Path) -> None:
        self.config_file = config_file
        self.child: subprocess.Popen[str] | None = None

    def prepare(self) -> dict[str, Any] | None:
        """One preparation; its summary, or None when it stopped (it said why)."""
        child = self.child
        if child is None or child.poll() is not None:
            self.stop()
            child = self.child = subprocess.Popen(
                [*PREPARE, str(self.config_file)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
                preexec_fn=die_with_parent(),
            )
        assert child.stdin is not None and child.stdout is not None
        try:
            child.stdin.write("prepare\n")
            child.stdin.flush()
            line = child.stdout.readline()
        except BrokenPipeError:
            line = ""
        except BaseException:  # a stop signal: the preparation goes too, at once
            self.stop()
            raise
        try:
            summary = json.loads(line) if line.strip() else None
        except ValueError:
            summary = None
        return summary if isinstance(summary, dict) else None

    def stop(self) -> None:
        """End the process (at once: it holds nothing that must be saved)."""
        child, self.child = self.child, None
        if child is None:
            return
        if child.poll() is None:
            child.kill()
        child.wait()
        for pipe in (child.stdin, child.stdout):
            if pipe is not None:
                with contextlib.suppress(OSError):
                    pipe.close()


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


def serve(config_file: Path, extra: Sequence[str], interval: float = 0.2) -> int:
    """Run Zensical's server; prepare again whenever a source changes.

    The preparations run in one child process (:class:`Preparer`), so this watcher stays small
    and each edit redoes only what it touches. Zensical reads the shadow docs folder, which only
    a finished preparation changes, in one burst (:mod:`.zensical_shadow`), and renders the pages
    whose file changed; a line on the console says when a preparation is done.
    """
    handled = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {signum: signal.signal(signum, _stop) for signum in handled}
    stopped = False
    process: subprocess.Popen[bytes] | None = None
    preparer = Preparer(config_file)
    try:
        summary = preparer.prepare()
        if summary is None:
            return 1
        process = start("serve", Path(summary["config"]), extra)
        watched = [Path(p) for p in summary["watched"]]
        before = snapshot(watched)
        while process.poll() is None:
            time.sleep(interval)
            now = snapshot(watched)
            if now == before:
                continue
            before = now  # taken before preparing: an edit made meanwhile is seen next time
            started = time.monotonic()
            summary = preparer.prepare()
            if summary is None:
                continue
            watched = [Path(p) for p in summary["watched"]]
            print(
                f"INFO    -  mechanisms: prepared in {time.monotonic() - started:.2f} s, "
                f"{summary['written']} file(s) changed for Zensical"
                + (", and its configuration (Zensical reloads)" if summary["reloads"] else ""),
                file=sys.stderr,
                flush=True,
            )
    except (KeyboardInterrupt, Stopped):
        stopped = True
    finally:
        preparer.stop()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    return 0 if stopped or process is None else process.returncode or 0
