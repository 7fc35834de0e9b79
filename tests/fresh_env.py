"""The packaging tests' fresh environment: the wheel and sdist built, then the wheel installed alone.

A new virtual environment gets only the wheel (with its ``material`` extra) and ProperDocs,
resolved from the registry like any user's install, so a dependency the package forgets to
declare fails the build that follows. The install waits on the registry and the disk for about
two minutes while using little CPU, so under ``pytest -n`` the controller starts it in the
background as soon as the workers report that the packaging tests were collected (see
``conftest.py``), and the other tests run meanwhile. Without workers, the test's fixture runs
it in place.

Run as a script (``python fresh_env.py OUT``) it writes ``OUT/dist`` (then ``OUT/dist.status``),
``OUT/env`` (then ``OUT/env.status``) and its output to ``OUT/log``; a status file holds the exit
code of its step.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 900
"""Seconds to wait for the whole preparation, the longest it took on a loaded machine, doubled."""


def _step(command: list[str], out: Path, name: str) -> bool:
    """Run one step, append its output to the log and write its status; True when it passed."""
    with (out / "log").open("a", encoding="utf-8") as log:
        log.write(f"$ {' '.join(command)}\n")
        log.flush()
        code = subprocess.run(command, stdout=log, stderr=subprocess.STDOUT, check=False).returncode
    _status(out, name, str(code))
    return code == 0


def _status(out: Path, name: str, text: str) -> None:
    """Write a step's status whole (a reader polls for the file)."""
    part = out / f"{name}.status.part"
    part.write_text(text, encoding="utf-8")
    part.replace(out / f"{name}.status")


def prepare(out: Path) -> None:
    """Build the wheel and sdist into ``out/dist``, then install the wheel into ``out/env``."""
    out.mkdir(parents=True, exist_ok=True)
    dist = out / "dist"
    if not _step([sys.executable, "-m", "build", "--outdir", str(dist), str(REPO)], out, "dist"):
        _status(out, "env", "skipped: the build failed")
        return
    env = out / "env"
    # No pip in the environment (the running pip installs into it) and no byte-compiling: neither
    # changes what is installed, and both cost time the install would otherwise spend.
    if not _step([sys.executable, "-m", "venv", "--without-pip", str(env)], out, "venv"):
        _status(out, "env", "skipped: venv failed")
        return
    wheel = next(dist.glob("*.whl"))
    pip = [sys.executable, "-m", "pip", "--python", str(env / "bin/python"), "install", "--quiet"]
    _step(
        [*pip, "--no-compile", "--disable-pip-version-check", f"{wheel}[material]", "properdocs"], out, "env"
    )


def wait(out: Path, name: str) -> None:
    """Wait until step ``name`` has finished; fail with the log's end if it did not pass."""
    status = out / f"{name}.status"
    deadline = time.monotonic() + TIMEOUT
    while not status.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"the fresh environment was not ready after {TIMEOUT} s:\n{_tail(out)}")
        time.sleep(0.5)
    code = status.read_text(encoding="utf-8")
    if code != "0":
        raise AssertionError(f"{name} failed ({code}):\n{_tail(out)}")


def _tail(out: Path) -> str:
    log = out / "log"
    return log.read_text(encoding="utf-8")[-3000:] if log.exists() else "(no log)"


if __name__ == "__main__":
    prepare(Path(sys.argv[1]))
