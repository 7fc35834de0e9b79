"""Graphviz runner: content-addressed cache, atomic writes, batches that isolate failures, timeouts."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from mkdocs_mechanisms.errors import RenderError
from mkdocs_mechanisms.model import Region
from mkdocs_mechanisms.render import runner as runner_module
from mkdocs_mechanisms.render.dot import to_dot
from mkdocs_mechanisms.render.graph import DrawEdge, DrawGraph, DrawNode
from mkdocs_mechanisms.render.runner import INSTALL_HINT, GraphvizRunner


def small(name: str) -> str:
    return f'digraph {{ a [label="{name}"]; a -> b; }}\n'


BIG = "digraph big {" + " ".join(f"n{i} -> n{(i * 7 + 3) % 900};" for i in range(4000)) + "}\n"


def cache_files(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*") if p.is_file())


def test_render_returns_svg_and_counts_calls(tmp_path: Path) -> None:
    runner = GraphvizRunner(tmp_path)
    svg = runner.render("one", small("One"))
    assert svg.rstrip().endswith("</svg>") and ">One</text>" in svg
    assert (runner.calls, runner.rendered) == (1, 1)


def test_cache_hit_starts_no_graphviz(tmp_path: Path) -> None:
    dots = {f"g{i}": small(f"G{i}") for i in range(5)}
    first = GraphvizRunner(tmp_path, workers=2)
    rendered = first.render_many(dots)
    assert set(rendered.svgs) == set(dots) and not rendered.problems
    assert first.calls >= 1
    calls = first.calls
    assert first.render_many(dots).svgs == rendered.svgs  # served again, from disk
    assert first.calls == calls
    second = GraphvizRunner(tmp_path)  # disk cache, fresh process state
    again = second.render_many(dots)
    assert again.svgs == rendered.svgs
    assert (second.calls, second.rendered) == (0, 0)


def test_cache_files_are_content_addressed(tmp_path: Path) -> None:
    runner = GraphvizRunner(tmp_path)
    runner.render("x", small("X"))
    (path,) = cache_files(tmp_path)
    key = runner.key(small("X"))
    assert path == tmp_path / key[:2] / f"{key}.svg"
    assert runner.key(small("X")) == key and runner.key(small("Y")) != key
    assert GraphvizRunner(tmp_path, engine="neato").key(small("X")) != key


def test_identical_graphs_render_once(tmp_path: Path) -> None:
    runner = GraphvizRunner(tmp_path, workers=1)
    result = runner.render_many({"a": small("Same"), "b": small("Same"), "c": small("Other")})
    assert result.svgs["a"] == result.svgs["b"] != result.svgs["c"]
    assert runner.rendered == 2 and runner.calls == 1  # one batch, one process


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # truncated
        lambda data: b"",  # empty
        lambda data: b"not an svg at all",
        lambda data: data.replace(b"</svg>", b""),
    ],
    ids=["truncated", "empty", "garbage", "no-end-tag"],
)
def test_corrupt_cache_file_is_rendered_again(tmp_path: Path, damage) -> None:
    good = GraphvizRunner(tmp_path).render("x", small("X"))
    (path,) = cache_files(tmp_path)
    path.write_bytes(damage(path.read_bytes()))
    runner = GraphvizRunner(tmp_path)
    assert runner.render("x", small("X")) == good
    assert runner.calls == 1
    assert path.read_text(encoding="utf-8") == good  # repaired on disk


def test_cache_file_with_invalid_utf8_is_rendered_again(tmp_path: Path) -> None:
    good = GraphvizRunner(tmp_path).render("x", small("X"))
    (path,) = cache_files(tmp_path)
    path.write_bytes(b"<svg>\xff\xfe broken bits</svg>\n")
    runner = GraphvizRunner(tmp_path)
    assert runner.render("x", small("X")) == good
    assert runner.calls == 1


def test_writes_are_atomic_and_leave_no_temporary_files(tmp_path: Path) -> None:
    runner = GraphvizRunner(tmp_path, workers=4, batch_size=2)
    result = runner.render_many({f"g{i}": small(f"G{i}") for i in range(12)})
    assert len(result.svgs) == 12
    files = cache_files(tmp_path)
    assert len(files) == 12
    assert not list(tmp_path.rglob(".tmp-*"))
    assert all(p.suffix == ".svg" and not p.name.startswith(".") for p in files)
    assert all(p.read_bytes().rstrip().endswith(b"</svg>") for p in files)


def test_write_goes_through_a_temporary_file_and_replace(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    replaced: list[tuple[str, str]] = []
    original = Path.replace

    def spy(self: Path, target: Path) -> Path:
        replaced.append((self.name, Path(target).name))
        assert not Path(target).exists()  # the final name never holds a half-written file
        return original(self, target)

    monkeypatch.setattr(Path, "replace", spy)
    runner = GraphvizRunner(tmp_path)
    runner.render("x", small("X"))
    ((tmp_name, final_name),) = replaced
    assert tmp_name.startswith(".tmp-") and final_name == runner.key(small("X")) + ".svg"


def test_unwritable_cache_only_costs_speed(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder should be")
    runner = GraphvizRunner(blocker)
    assert runner.render("x", small("X")).rstrip().endswith("</svg>")


def test_no_cache_dir_keeps_memory_cache_only() -> None:
    runner = GraphvizRunner(None)
    runner.render("x", small("X"))
    runner.render("x", small("X"))
    assert runner.calls == 1


def test_failing_graph_in_a_batch_is_isolated_and_named(tmp_path: Path) -> None:
    dots = {
        "good-1": small("One"),
        "broken-figure": "digraph { a -> ; }\n",
        "good-2": small("Two"),
        "good-3": small("Three"),
    }
    runner = GraphvizRunner(tmp_path, workers=1)  # one batch holding all four
    result = runner.render_many(dots)
    assert set(result.svgs) == {"good-1", "good-2", "good-3"}
    assert all(
        ">" + t + "</text>" in result.svgs[f"good-{i}"] for i, t in ((1, "One"), (2, "Two"), (3, "Three"))
    )
    (problem,) = result.problems
    assert problem.file == "broken-figure"
    assert problem.message.startswith("Graphviz failed: ") and "syntax error" in problem.message
    assert runner.calls == 1 + len(dots)  # the batch, then graph by graph
    assert len(cache_files(tmp_path)) == 3  # the failure is not cached
    with pytest.raises(RenderError) as info:
        GraphvizRunner(tmp_path).render("broken-figure", dots["broken-figure"])
    assert str(info.value).startswith("broken-figure: Graphviz failed: ")


def test_graphviz_warnings_are_passed_on_by_name() -> None:
    runner = GraphvizRunner(None, workers=1)
    result = runner.render_many({"warned": "digraph { a [shape=blob]; }\n", "fine": small("F")})
    assert set(result.svgs) == {"warned", "fine"} and not result.problems
    assert result.warnings and all(w.startswith("warned: Graphviz: ") for w in result.warnings)
    assert any("blob" in w for w in result.warnings)


def test_timeout_is_one_problem_per_build() -> None:
    runner = GraphvizRunner(None, timeout=0.001, workers=1)
    runner._version = "2.43.0"  # the probe is tested on its own below
    result = runner.render_many({"big": BIG, "big-too": BIG.replace("big", "big2")})
    assert result.svgs == {}
    assert len(result.problems) == 1 and result.problems[0].file in ("big", "big-too", "graphviz")
    assert result.problems[0].message.startswith("Graphviz ran longer than 0.001 s")
    assert "graphviz_timeout" in result.problems[0].suggestion


def test_after_a_timeout_the_build_stops_drawing_and_says_so_once(monkeypatch: pytest.MonkeyPatch) -> None:
    runner = GraphvizRunner(None, workers=1, timeout=5)
    real_run = runner._run
    started: list[bytes] = []

    def fake_run(data: bytes) -> subprocess.CompletedProcess[bytes]:
        started.append(data)
        if b"slow" in data:
            raise subprocess.TimeoutExpired(["dot"], 5)
        return real_run(data)

    monkeypatch.setattr(runner, "_run", fake_run)
    runner.begin()
    result = runner.render_many({"fast": small("Fast"), "slow": small("slow"), "also-fast": small("Also")})
    assert [str(p) for p in result.problems] == [
        "graphviz: Graphviz ran longer than 5 s (this build's Graphviz time in all); diagrams not drawn by then "
        "were skipped (simplify the diagram or raise the plugin's 'graphviz_timeout')"
    ]
    assert len(started) == 1, "no Graphviz run after the first timeout"
    again = runner.render_many({"later": small("Later")})
    assert again.svgs == {} and again.problems == []
    runner.begin()  # the next build (a serve rebuild) has its own budget
    assert set(runner.render_many({"later": small("Later")}).svgs) == {"later"}


def _fake_dot(folder: Path, script: str) -> str:
    folder.mkdir(exist_ok=True)
    dot = folder / "dot"
    dot.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    dot.chmod(0o755)
    return f"{folder}{os.pathsep}{os.environ['PATH']}"


@pytest.mark.timeout(30)
def test_a_dot_that_stalls_on_the_version_probe_is_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", _fake_dot(tmp_path / "bin", "exec sleep 60\n"))
    runner = GraphvizRunner(None, timeout=0.5)
    started = time.monotonic()
    with pytest.raises(RenderError) as info:
        runner.render_many({"x": small("X")})
    assert time.monotonic() - started < 5
    assert "Graphviz ran longer than 0.5 s" in str(info.value)
    with pytest.raises(RenderError) as again:
        runner.render_many({"y": small("Y")})
    assert again.value.problems == [], "reported once per build"


def test_a_dot_with_a_strange_version_line_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", _fake_dot(tmp_path / "bin", "echo 'not graphviz' >&2\nexit 3\n"))
    with pytest.raises(RenderError, match="could not run 'dot -V': not graphviz"):
        GraphvizRunner(None).render_many({"x": small("X")})


def test_missing_dot_is_a_render_error_with_install_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    runner = GraphvizRunner(tmp_path / "cache")
    with pytest.raises(RenderError) as info:
        runner.render("x", small("X"))
    assert INSTALL_HINT in str(info.value)
    assert "'dot'" in str(info.value) and "not found" in str(info.value)
    with pytest.raises(RenderError):
        GraphvizRunner(None).render_many({"x": small("X")})
    assert INSTALL_HINT.startswith("install Graphviz: 'apt install graphviz'")


def test_missing_engine_at_run_time_is_a_render_error(monkeypatch: pytest.MonkeyPatch) -> None:
    runner = GraphvizRunner(None, engine="no-such-graphviz-engine")
    monkeypatch.setattr(runner_module.graphviz, "version", lambda: (2, 43, 0))
    with pytest.raises(RenderError) as info:
        runner.render("x", small("X"))
    assert INSTALL_HINT in str(info.value) and "no-such-graphviz-engine" in str(info.value)


def test_a_drawn_svg_goes_to_disk_and_is_not_held_twice(tmp_path: Path) -> None:
    """With a cache folder the runner keeps no copy of its own: the build's diagram store holds the one."""
    runner = GraphvizRunner(tmp_path, workers=1)
    first = runner.render_many({"a": small("A"), "b": small("B")})
    assert runner.held == 0 and len(cache_files(tmp_path)) == 2
    calls = runner.calls
    again = runner.render_many({"a": small("A"), "b": small("B")})  # read back from disk, not drawn
    assert runner.calls == calls and again.svgs == first.svgs and runner.held == 0


def test_without_a_cache_folder_the_runner_remembers_what_it_drew() -> None:
    runner = GraphvizRunner(None, workers=1)
    svg = runner.render("a", small("A"))
    calls = runner.calls
    assert runner.render("a", small("A")) == svg and runner.calls == calls
    assert runner.held == len(svg)


ROUTER_ERROR = (
    "libpath/shortest.c:324: triangulation failed\n"
    "libpath/shortest.c:192: source point not in any triangle\n"
    "Error: in routesplines, Pshortestpath failed\n"
)


def test_straight_edges_is_set_last_in_the_root_graph() -> None:
    dot = "digraph { graph [splines=true]; a -> b; subgraph cluster_0 { c; } }\n"
    straight = runner_module.straight_edges(dot)
    assert straight.endswith("  graph [splines=line];\n}\n") and straight.startswith(
        dot.rstrip()[:-1].rstrip()
    )
    assert runner_module.straight_edges("digraph { a -> b") == "digraph { a -> b"


def test_a_spline_router_failure_is_drawn_again_with_straight_edges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Graphviz's router failing is not the author's fault: the figure is drawn, cached and nobody is told."""
    script = (
        'if [ "$1" = "-V" ]; then echo "dot - graphviz version 2.43.0 (0)" >&2; exit 0; fi\n'
        "input=$(cat)\n"
        'case "$input" in *splines=line*) printf "<svg>straight</svg>"; exit 0;; esac\n'
        f"printf '{ROUTER_ERROR}' >&2; exit 1\n"
    )
    monkeypatch.setenv("PATH", _fake_dot(tmp_path / "bin", script))
    runner = GraphvizRunner(tmp_path / "cache", workers=1)
    result = runner.render_many({"routed": small("R"), "other": small("O")})
    assert result.svgs == {"routed": "<svg>straight</svg>", "other": "<svg>straight</svg>"}
    assert not result.problems and not result.warnings
    assert runner.rerouted == 2
    again = GraphvizRunner(tmp_path / "cache", workers=1)
    assert again.render("routed", small("R")) == "<svg>straight</svg>" and again.calls == 0  # cached
    assert again.drawn(small("R")) == runner_module.straight_edges(small("R"))  # what a reader can draw
    assert again.drawn(small("X")) == small("X")


def test_a_router_failure_that_straight_edges_do_not_cure_reports_graphvizs_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = (
        'if [ "$1" = "-V" ]; then echo "dot - graphviz version 2.43.0 (0)" >&2; exit 0; fi\n'
        f"cat >/dev/null; printf '{ROUTER_ERROR}' >&2; exit 1\n"
    )
    monkeypatch.setenv("PATH", _fake_dot(tmp_path / "bin", script))
    runner = GraphvizRunner(None, workers=1)
    with pytest.raises(RenderError, match=r"Graphviz failed: libpath/shortest\.c:324: triangulation failed"):
        runner.render("stuck", small("S"))
    assert runner.rerouted == 0 and runner.calls == 2  # the graph, then once with straight edges


def test_a_bad_dot_is_not_retried_and_stays_loud() -> None:
    runner = GraphvizRunner(None, workers=1)
    with pytest.raises(RenderError, match="syntax error"):
        runner.render("ours", "digraph { a -> ; }\n")
    assert runner.rerouted == 0 and runner.calls == 1


ROUTER_TRAP = """\
digraph mechanisms {
  graph [fontname="DejaVu Sans", rankdir=TB, nodesep=0.08, ranksep=0.3, newrank=true];
  node [fontname="DejaVu Sans", fontsize=11, margin="0.05,0.03"];
  edge [fontname="DejaVu Sans", fontsize=11, arrowsize=0.8];
  n1 [label=<Bexranwix<BR/>kinase>, shape=box];
  n2 [label=<Zennyate>, shape=ellipse];
  n4 [label=<Torsa<BR/>cascade>, shape=box];
  n9 [label=<Aelnydel<BR/>hypothesis>, shape=box];
  n10 [label=<Phaphave<BR/>cortex>, shape=doubleoctagon];
  n11 [label=<Unnamed<BR/>quintu step>, shape=hexagon];
  subgraph cluster_0 {
    graph [margin=6, label=<<B>Outer region</B>>, labeljust=l, fontsize=11];
    n0 [label=<Lomel<BR/>disorder>, shape=box];
    n6 [label=<Udtaszen<BR/>syndrome>, shape=doubleoctagon];
  }
  subgraph cluster_1 {
    graph [margin=6, label=<<B>Inner region</B>>, labeljust=l, fontsize=11];
    n7 [label=<Nolbex<BR/>neuron>, shape=box];
    subgraph cluster_2 {
      graph [margin=6, label=<<B>Core</B>>, labeljust=l, fontsize=11];
      n3 [label=<Rophawix<BR/>growth>, shape=doubleoctagon];
      n5 [label=<Vizen<BR/>transporter>, shape=hexagon];
      n8 [label=<Mimilo<BR/>growth>, shape=doubleoctagon];
    }
  }
  n1 -> n0 [style=invis, weight=3, minlen=1];
  n2 -> n0 [style=invis, weight=3, minlen=1];
  n4 -> n0 [style=invis, weight=3, minlen=1];
  n0 -> n3 [style=invis, weight=3, minlen=1];
  n6 -> n3 [style=invis, weight=3, minlen=1];
  { rank=same; n2; n10; }
  n5 -> n3 [label="1"];
  n3 -> n4 [label="2"];
  n4 -> n6 [label="3"];
  n6 -> n11 [label="4"];
  n11 -> n1 [label="5"];
  n1 -> n0 [label="6"];
  n0 -> n7 [label="7"];
  n7 -> n9 [label="8"];
  n9 -> n8 [label="9"];
  n8 -> n10 [label="10"];
  n2 -> n10 [label="11", dir=back, arrowtail=empty];
  n9 -> n1 [label="12"];
  n7 -> n5 [label="13"];
  n3 -> n11 [label="14"];
}
"""
"""The large benchmark's pathway-0239 in its narrow layout, decoration removed: Graphviz 2.43's spline
router fails on it ('triangulation failed'); without ``newrank`` or the ``rank=same`` row it draws."""


def test_a_graph_graphvizs_router_fails_on_is_drawn_and_numbered() -> None:
    plain = subprocess.run(["dot", "-Tsvg"], input=ROUTER_TRAP.encode(), capture_output=True, check=False)
    if plain.returncode == 0:
        pytest.skip("this Graphviz routes the graph (the bug is 2.43's)")
    assert b"triangulation failed" in plain.stderr or b"Pshortestpath failed" in plain.stderr
    runner = GraphvizRunner(None, workers=1)
    result = runner.render_many({"pathway:pathway-0239": ROUTER_TRAP, "fine": small("F")})
    assert not result.problems and not result.warnings
    svg = result.svgs["pathway:pathway-0239"]
    assert runner.rerouted == 1 and svg.rstrip().endswith("</svg>")
    assert runner.drawn(ROUTER_TRAP).endswith("graph [splines=line];\n}\n")
    assert svg.count('class="edge"') == 14 and ">Rophawix</text>" in svg
    assert all(f">{step}</text>" in svg for step in range(1, 15))  # every step number drawn


def regions_graph(i: int) -> str:
    """A graph with sibling regions and sibling cells (clusters Graphviz must order), varied by ``i``."""
    regions = {f"r{j}": Region(f"r{j}", f"Region {j}.{i}") for j in range(4)}
    regions["r4"] = Region("r4", f"Inner {i}", parent="r0")
    regions["r5"] = Region("r5", "Core", parent="r0")
    nodes = [
        DrawNode(f"a{j}", f"Node {j} of graph {i}" * (1 + (i + j) % 2), "protein", region=f"r{j % 6}")
        for j in range(9)
    ]
    for c in range(3):  # cells holding receptors, two of them side by side in one region
        nodes.append(DrawNode(f"cell{c}", f"Cell {c}", "cell", region="r1" if c < 2 else "r5", holds=True))
        nodes += [
            DrawNode(f"rec{c}{k}", f"Receptor {c}{k}", "receptor", container=f"cell{c}") for k in range(2)
        ]
    ends = [f"a{j}" for j in range(9)] + ["cell0", "rec11", "cell2"]
    edges = [
        DrawEdge(
            f"e{k + 1}",
            ends[(k * (i + 2)) % len(ends)],
            ends[(k * (i + 2) + 1 + i % 3) % len(ends)],
            "activates",
            step=k + 1,
        )
        for k in range(len(ends))
    ]
    return to_dot(DrawGraph(f"Graph {i}", nodes, edges, regions))


def test_a_graph_is_drawn_the_same_in_any_batch() -> None:
    """A cold build's batches depend on what is cached and on the cores: a drawing must not.

    Graphviz 2.43 ordered sibling clusters by where their names sat in memory, which depends on
    the graphs a ``dot`` process drew before; and it prefixed the root's ids after the first graph.
    """
    dots = {f"g{i}": regions_graph(i) for i in range(16)}
    alone = GraphvizRunner(None, batch_size=1).render_many(dots)  # one process per graph
    assert not alone.problems and not alone.warnings and len(alone.svgs) == len(dots)
    for order, size in ((list(dots), 16), (list(dots)[::-1], 16), (list(dots)[5:] + list(dots)[:5], 6)):
        for _ in range(2):
            runner = GraphvizRunner(None, workers=1, batch_size=size)
            batched = runner.render_many({name: dots[name] for name in order})
            assert runner.calls == -(-len(dots) // size) and not batched.problems
            assert {name for name in dots if batched.svgs[name] != alone.svgs[name]} == set()
