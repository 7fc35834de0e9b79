"""Run one command in a fresh process tree and measure it: wall, CPU and peak memory of the whole tree.

Both hosts start more than one process: ``mkdocs build`` starts ``dot``;
``mkdocs-mechanisms zensical build`` prepares the site in Python and then
waits for ``python -m zensical build`` (a Rust runtime calling back into
Python), so the peak of the *tree* is what a user's machine must hold.

The command runs under a small ``python -c`` wrapper (:data:`WRAPPER`) that

* times it with the wall clock, start to exit (start-up and imports included);
* adds up the user + system CPU seconds of every process of the tree
  (``getrusage(RUSAGE_CHILDREN)``: each process's own threads and every
  child it waited for);
* samples the tree every 20 ms — the command's process and all its
  descendants, found through ``/proc/<pid>/task/<tid>/children`` — and keeps
  the largest *sum* of their resident sets (``/proc/<pid>/statm``), leaving out a
  child not yet exec'd (its command line is its parent's): spawned by vfork, it
  shares its parent's memory and would count it twice;
* keeps the largest single process's peak (``ru_maxrss``) as a floor, since
  20 ms sampling can miss a short spike.

Without ``/proc`` (not Linux) only the floor is measured, and the result says so.
The wrapper's own few MiB are not counted: it is not part of the build.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

WRAPPER = r"""
import json, os, resource, subprocess, sys, threading, time
PAGE = os.sysconf("SC_PAGE_SIZE")
PROC = os.path.isdir("/proc/self/task")

def cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read()
    except OSError:
        return None

def tree(root):
    # A child still running its parent's command has not exec'd yet: spawned by vfork it
    # shares the parent's memory, and its statm reports the parent's whole set. Skip it.
    found, i = [root], 0
    while i < len(found):
        pid = found[i]; i += 1
        try:
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    found.extend(int(c) for c in f.read().split())
        except (OSError, ValueError):
            pass
    return found

def counted(pids):
    parent = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                parent[pid] = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            pass
    own = [pids[0]]
    for pid in pids[1:]:
        line = cmdline(pid)
        if line is not None and line != cmdline(parent.get(pid, -1)):
            own.append(pid)
    return own

def rss(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, ValueError, IndexError):
        return 0

start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
peak = {"bytes": 0, "procs": 0, "samples": 0}
done = threading.Event()

def sample():
    while True:
        if PROC:
            pids = tree(proc.pid)
            total = sum(rss(p) for p in counted(pids))
            if total > peak["bytes"]:
                peak["bytes"] = total
            peak["procs"] = max(peak["procs"], len(pids))
            peak["samples"] += 1
        if done.wait(0.02):
            return

thread = threading.Thread(target=sample, daemon=True)
thread.start()
err = proc.stderr.read()
proc.wait()
wall = time.perf_counter() - start
done.set()
thread.join()
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "wall": wall, "cpu": usage.ru_utime + usage.ru_stime, "single_kib": usage.ru_maxrss,
    "tree_bytes": peak["bytes"], "tree_procs": peak["procs"], "samples": peak["samples"], "proc": PROC,
    "rc": proc.returncode, "stderr": err.decode("utf-8", "replace")[-4000:],
}))
"""
"""Runs argv[1:] as its only child and prints one JSON line of measurements."""

TIMEOUT = 3600


class MeasureError(RuntimeError):
    """The command failed or could not be measured."""


def run(
    cmd: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None, timeout: float = TIMEOUT
) -> dict:
    """Run ``cmd`` in ``cwd`` under :data:`WRAPPER`; raise :class:`MeasureError` unless it exits 0.

    Returns ``wall`` and ``cpu`` (seconds), ``peak_mib`` (the tree's peak, or
    the largest process's when larger), ``single_mib``, ``tree_procs``
    (most processes seen at once) and ``log_lines`` (non-empty stderr lines).
    The wrapper runs in its own process group, killed whole on a timeout.
    """
    full_env = dict(os.environ if env is None else env)
    proc = subprocess.Popen(
        [sys.executable, "-c", WRAPPER, *cmd],
        cwd=cwd,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(proc)
        raise MeasureError(f"{' '.join(cmd)} did not finish within {timeout:g} s") from None
    except BaseException:  # interrupted (Ctrl-C, SIGTERM): never leave a build running on its own
        kill_group(proc, wait=2.0)
        raise
    lines = out.strip().splitlines()
    if proc.returncode != 0 or not lines:
        raise MeasureError(f"wrapper failed for {' '.join(cmd)}:\n{err[-3000:]}")
    data = json.loads(lines[-1])
    stderr = data.pop("stderr")
    if data["rc"] != 0:
        raise MeasureError(f"{' '.join(cmd)} failed in {cwd} (exit {data['rc']}):\n{stderr}")
    tree_mib = data.pop("tree_bytes") / 2**20
    single_mib = data.pop("single_kib") / 1024
    data["peak_mib"] = max(tree_mib, single_mib)
    data["single_mib"] = single_mib
    data["log_lines"] = sum(1 for line in stderr.splitlines() if line.strip())
    data["log_tail"] = stderr[-1500:]
    return data


def kill_group(proc: subprocess.Popen, wait: float = 10.0) -> list[int]:
    """Stop a process started with ``start_new_session=True`` and everything in its group.

    SIGINT first (servers shut down cleanly on it), then SIGTERM, then SIGKILL
    to whatever is left, each after up to ``wait`` seconds. Returns the ids of group
    members still alive afterwards (empty when the stop was clean; only Linux
    can tell).
    """
    pgid = proc.pid
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            proc.poll()
            if proc.returncode is not None and not group_members(pgid):
                break
            time.sleep(0.05)
        else:
            continue
        break
    if proc.poll() is None:
        proc.wait(timeout=wait)
    return group_members(pgid)


def default_sigint() -> None:
    """``preexec_fn``: a child started from a shell's background job inherits SIGINT ignored; undo that."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes whose process group is ``pgid`` (Linux ``/proc``; else empty)."""
    members = []
    proc_dir = Path("/proc")
    if not proc_dir.is_dir():
        return members
    for entry in proc_dir.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux ``/proc``; else just ``pid``)."""
    found, i = [pid], 0
    while i < len(found):
        current = found[i]
        i += 1
        try:
            for tid in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{tid}/children") as handle:
                    found.extend(int(c) for c in handle.read().split())
        except (OSError, ValueError):
            continue
    return found


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by ``pid`` and its live descendants (user + system, all threads)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for member in descendants(pid):
        try:
            with open(f"/proc/{member}/stat") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / ticks
