"""Graphviz execution: content-addressed cache, batching, parallel workers, one time budget.

Each ``dot`` process start costs several milliseconds, so graphs that are
not cached are sent many to one process (``dot`` lays out every graph on its
stdin) and the batches run on all cores. A batch that fails or warns is
re-run graph by graph, so one bad graph is reported by name and never keeps
the others from rendering. A graph that only Graphviz's spline router fails
on (a known bug of Graphviz 2.43 with nested clusters) is drawn again with
straight edges (:func:`straight_edges`): the author did nothing wrong.

A graph drawn in a batch is byte-identical to the same graph drawn alone, so a
build's output does not depend on how its graphs fell into batches: the DOT
writer pins the order of sibling clusters (:func:`.dot.to_dot`), and the root
ids ``dot`` prefixes after a process's first graph are put back (``_PAGED_ID``).

All Graphviz work of one build (the ``dot -V`` version probe included)
shares one time budget, started by :meth:`GraphvizRunner.begin`: every
process gets only what is left of it, and once it runs out nothing more is
started and the build reports it once.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import graphviz

from .. import __version__
from ..errors import Problem, RenderError
from .memo import Memo, write_atomic

INSTALL_HINT = "install Graphviz: 'apt install graphviz', 'brew install graphviz' or 'choco install graphviz'"
_SVG_START = re.compile(rb"(?=<\?xml )")
_SVG_END = b"</svg>"
_VERSION = re.compile(r"version\s+(\d+(?:\.\d+)*)")
_PAGED_ID = re.compile(rb'(<g id="(?:a_)?)page\d+,\d+_')
"""The root graph's ids (its group's and its link's) as ``dot`` 2.43 writes them for every graph
after a process's first: it keeps the page number the graph before ended on and prefixes it
(``page0,1_graph``). We never ask for pages, so the prefix is only that carried state."""
_ROUTING = re.compile(r"triangulation failed|Pshortestpath failed|in routesplines|not in any triangle")
"""What Graphviz writes when its spline router, not the graph, fails (libpath/shortest.c, routespl.c)."""


@dataclass
class RenderResult:
    """SVGs by graph name, plus the problems and Graphviz warnings met."""

    svgs: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class GraphvizRunner:
    """Render DOT to SVG through the ``dot`` program with a disk cache."""

    def __init__(
        self,
        cache_dir: Path | None,
        *,
        engine: str = "dot",
        timeout: float = 30.0,
        workers: int | None = None,
        batch_size: int = 48,
    ) -> None:
        """``batch_size``: graphs per ``dot`` process at most. Each process costs ~20 ms of CPU to
        start (plugins, fonts); 48 rather than 24 starts 28 instead of 46 in a cold build of the
        medium benchmark site for 1 MiB more per process (15 -> 16 MiB)."""
        self.cache_dir = cache_dir
        self.engine = engine
        self.timeout = timeout
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.batch_size = max(1, batch_size)
        self.calls = 0
        """Graphviz processes started so far (tests and benchmarks read it)."""
        self.rendered = 0
        """Graphs laid out by Graphviz (not served from the cache)."""
        self.memos = Memo(cache_dir)
        """Derived work (layouts, embeds, exports) kept by content key beside the SVGs."""
        self.made: Counter[str] = self.memos.made
        """Work done per memo kind because its inputs were new (tests count re-renders)."""
        self.rerouted = 0
        """Graphs drawn with straight edges because Graphviz's spline router failed on them."""
        self._lock = threading.Lock()
        self._version: str | None = None
        self._memory: dict[str, str] = {}
        self._deadline: float | None = None
        self._expired = False
        self._reported = False

    # -- budget --------------------------------------------------------
    def begin(self) -> None:
        """Start a build: all Graphviz work from now on shares ``timeout`` seconds."""
        self._deadline = time.monotonic() + self.timeout
        self._expired = self._reported = False

    @property
    def out_of_time(self) -> bool:
        """Whether this build's Graphviz time ran out (what was drawn since may be incomplete)."""
        return self._expired

    def _remaining(self) -> float:
        if self._deadline is None:
            self.begin()
        assert self._deadline is not None
        return self._deadline - time.monotonic()

    def _out_of_time(self, name: str) -> list[Problem]:
        """The one problem of a build whose budget ran out (later calls get none)."""
        with self._lock:
            self._expired = True
            if self._reported:
                return []
            self._reported = True
        return [self._budget_problem(name)]

    def _budget_problem(self, name: str) -> Problem:
        return Problem(
            name,
            0,
            "",
            f"Graphviz ran longer than {self.timeout:g} s (this build's Graphviz time in all); "
            "diagrams not drawn by then were skipped",
            "simplify the diagram or raise the plugin's 'graphviz_timeout'",
        )

    # -- cache ---------------------------------------------------------
    def version(self) -> str:
        """Graphviz's version; raises :class:`RenderError` when ``dot`` is missing."""
        self._version = self._version or self._probe()
        return self._version

    def _probe(self) -> str:
        """Run ``dot -V`` within the budget (a ``dot`` that stalls must not hang the build)."""
        if self._expired:
            raise RenderError([])  # reported once already
        try:
            proc = subprocess.run(
                ["dot", "-V"], capture_output=True, timeout=max(0.01, self._remaining()), check=False
            )
        except FileNotFoundError:
            raise RenderError(
                Problem("graphviz", 0, "", "Graphviz's 'dot' program was not found on PATH", INSTALL_HINT)
            ) from None
        except subprocess.TimeoutExpired:
            raise RenderError(self._out_of_time("graphviz: dot -V")) from None
        except OSError as error:
            raise RenderError(
                Problem("graphviz", 0, "", f"could not run 'dot -V': {error}", INSTALL_HINT)
            ) from None
        output = (proc.stderr + proc.stdout).decode("utf-8", "replace")
        found = _VERSION.search(output)
        if proc.returncode != 0 or found is None:
            detail = " ".join(output.split())[:120] or f"exit status {proc.returncode}"
            raise RenderError(Problem("graphviz", 0, "", f"could not run 'dot -V': {detail}", INSTALL_HINT))
        return found.group(1)

    def key(self, dot: str) -> str:
        """Cache key: DOT text + Graphviz version + plugin version + engine."""
        digest = hashlib.sha256()
        for part in (self.engine, self.version(), __version__, dot):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()

    def _path(self, key: str) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / key[:2] / f"{key}.svg"

    def _read(self, key: str) -> str | None:
        if key in self._memory:
            return self._memory[key]
        path = self._path(key)
        if path is None:
            return None
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if not _complete(data):
            return None  # truncated or corrupt: render again, never serve
        try:
            return data.decode("utf-8", errors="strict")
        except UnicodeDecodeError:
            return None  # corrupt: render again

    def stored(self, dot: str) -> bool:
        """Whether the cache has an SVG drawn from ``dot`` (read, and checked, only when asked for)."""
        key = self.key(dot)
        path = self._path(key)
        return key in self._memory or (path is not None and path.is_file())

    def cached(self, dot: str) -> str | None:
        """The SVG drawn from ``dot`` if the cache has it whole, without drawing it."""
        return self._read(self.key(dot))

    def _write(self, key: str, svg: str) -> None:
        """Store a drawn SVG on disk as it is made; in memory only where there is no disk to read it from.

        The build keeps the one copy of each diagram it shows (``diagrams.Diagrams``); the cache
        keeps none of its own, so a large site's SVGs are not held twice until the build ends.
        """
        path = self._path(key)
        if path is None or not write_atomic(path, svg.encode("utf-8")):
            self._memory[key] = svg

    @property
    def held(self) -> int:
        """Characters of SVG and derived text this runner holds in memory (tests and benchmarks read it)."""
        return sum(len(text) for text in self._memory.values()) + self.memos.held

    # -- rendering -----------------------------------------------------
    def render_many(self, dots: Mapping[str, str], *, store: bool = True) -> RenderResult:
        """Render every named DOT graph; cached ones never start Graphviz.

        ``store=False`` keeps what is drawn out of the cache: the layout search draws candidates
        it will not keep, and stores the ones it keeps (:meth:`store`).
        """
        result = RenderResult()
        todo: dict[str, list[str]] = {}
        keys = {name: self.key(dot) for name, dot in dots.items()}
        for name, _dot in dots.items():
            svg = self._read(keys[name])
            if svg is not None:
                result.svgs[name] = svg
            else:
                todo.setdefault(keys[name], []).append(name)
        if not todo:
            return result
        unique = list(todo)
        size = max(1, min(self.batch_size, -(-len(unique) // self.workers)))
        batches = [unique[i : i + size] for i in range(0, len(unique), size)]
        first = {key: todo[key][0] for key in unique}
        with ThreadPoolExecutor(max_workers=min(self.workers, len(batches))) as pool:
            outcomes = list(pool.map(lambda batch: self._render_batch(batch, first, dots, store), batches))
        for outcome in outcomes:
            for key, svg in outcome.svgs.items():
                for name in todo[key]:
                    result.svgs[name] = svg
            result.problems.extend(outcome.problems)
            result.warnings.extend(outcome.warnings)
        return result

    def render(self, name: str, dot: str) -> str:
        """Render one graph or raise :class:`RenderError`."""
        result = self.render_many({name: dot})
        if result.problems:
            raise RenderError(result.problems)
        if name not in result.svgs:  # the build's Graphviz time ran out earlier (reported then)
            raise RenderError(self._budget_problem(name))
        return result.svgs[name]

    def _run(self, data: bytes) -> subprocess.CompletedProcess[bytes]:
        remaining = self._remaining()
        if self._expired or remaining <= 0:
            raise subprocess.TimeoutExpired([self.engine], 0)
        with self._lock:
            self.calls += 1
        try:
            done: subprocess.CompletedProcess[bytes] = graphviz.backend.execute.run_check(
                [self.engine, "-Tsvg"], input=data, capture_output=True, timeout=remaining, quiet=True
            )
            return done
        except graphviz.ExecutableNotFound:
            raise RenderError(
                Problem("graphviz", 0, "", f"Graphviz's '{self.engine}' program was not found", INSTALL_HINT)
            ) from None

    def _run_routed(self, dot: str) -> subprocess.CompletedProcess[bytes]:
        """Draw one graph; if Graphviz's spline router fails on it, draw it again with straight edges.

        Node placement is the same, so the layout search's measures hold. Any other failure,
        or a retry that fails too, raises the first error (a DOT error is ours and stays loud).
        """
        try:
            return self._run(dot.encode("utf-8"))
        except subprocess.CalledProcessError as error:
            if not _ROUTING.search((error.stderr or b"").decode("utf-8", "replace")):
                raise
            straight = straight_edges(dot)
            if straight == dot:
                raise
            try:
                proc = self._run(straight.encode("utf-8"))
            except subprocess.CalledProcessError:
                raise error from None
            with self._lock:
                self.rerouted += 1
            self.memos.remember("rerouted", self._rerouted_key(dot), straight, keep=False)
            return proc

    def _rerouted_key(self, dot: str) -> str:
        return self.memos.key("rerouted", [self.key(dot)])

    def drawn(self, dot: str) -> str:
        """The DOT Graphviz drew for ``dot`` (this build or one before): with straight edges where its
        router failed, so the DOT a reader downloads draws on their Graphviz too."""
        return self.memos.recall("rerouted", self._rerouted_key(dot), keep=False) or dot

    def store(self, dot: str, svg: str) -> None:
        """Keep ``svg``, drawn from ``dot`` by ``render_many(..., store=False)``, in the cache."""
        self._write(self.key(dot), svg)

    def _render_batch(
        self, keys: list[str], first: dict[str, str], dots: Mapping[str, str], store: bool
    ) -> RenderResult:
        """Render one batch and, when ``store``, keep what it made in the cache (in this worker's thread)."""
        out = self._layout_batch(keys, first, dots)
        if store:
            for key, svg in out.svgs.items():
                self._write(key, svg)
        return out

    def _layout_batch(self, keys: list[str], first: dict[str, str], dots: Mapping[str, str]) -> RenderResult:
        out = RenderResult()
        if len(keys) > 1:
            try:
                proc = self._run("".join(dots[first[k]] for k in keys).encode("utf-8"))
                parts = _split(proc.stdout)
                if not proc.stderr.strip() and len(parts) == len(keys) and all(map(_complete, parts)):
                    with self._lock:
                        self.rendered += len(keys)
                    out.svgs = {k: p.decode("utf-8") for k, p in zip(keys, parts, strict=True)}
                    return out
            except subprocess.CalledProcessError:
                pass  # isolate the culprit below
            except subprocess.TimeoutExpired:
                out.problems.extend(self._out_of_time("graphviz"))  # which graph of the batch is unknown
                return out
        for key in keys:
            name = first[key]
            try:
                proc = self._run_routed(dots[name])
            except subprocess.TimeoutExpired:
                out.problems.extend(self._out_of_time(name))
                break
            except subprocess.CalledProcessError as error:
                detail = (error.stderr or b"").decode("utf-8", "replace").strip().splitlines()
                out.problems.append(
                    Problem(
                        name,
                        0,
                        "",
                        "Graphviz failed: " + (" ".join(detail[:3]) or f"exit status {error.returncode}"),
                    )
                )
                continue
            with self._lock:
                self.rendered += 1
            out.svgs[key] = proc.stdout.decode("utf-8")
            for line in proc.stderr.decode("utf-8", "replace").splitlines():
                if line.strip():
                    out.warnings.append(f"{name}: Graphviz: {line.strip()}")
        return out


def straight_edges(dot: str) -> str:
    """``dot`` with straight edges (``splines=line``), which Graphviz draws without its spline router.

    The attribute is set last in the root graph so that it wins over one set before; a text
    that does not end its graph with ``}`` is returned unchanged.
    """
    body = dot.rstrip()
    if not body.endswith("}"):
        return dot
    return body[:-1].rstrip() + "\n  graph [splines=line];\n}\n"


def _split(stdout: bytes) -> list[bytes]:
    """The SVGs of one batch, each as ``dot`` draws it alone (without the root ids' page prefix)."""
    return [_PAGED_ID.sub(rb"\1", part, count=2) for part in _SVG_START.split(stdout) if part.strip()]


def _complete(data: bytes) -> bool:
    return data.rstrip().endswith(_SVG_END) and b"<svg" in data
