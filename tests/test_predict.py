"""The size model that aims the layout search, and the search it aims: fewer drawings, same rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers_core import pathway
from mkdocs_mechanisms.render.dot import to_dot
from mkdocs_mechanisms.render.graph import DrawEdge, DrawGraph, DrawNode, pathway_graph
from mkdocs_mechanisms.render.layout import (
    NARROW,
    PHONE,
    PHONE_CANDIDATES,
    TRIES,
    WIDE,
    WIDE_CANDIDATES,
    legible,
    measure,
)
from mkdocs_mechanisms.render.predict import predict
from mkdocs_mechanisms.render.runner import GraphvizRunner, RenderResult

REPO = Path(__file__).resolve().parent.parent
RUNNER = GraphvizRunner(None)
"""Shared by this module's tests; each test starts its own Graphviz time budget (a build's budget
is 30 s in all, and the module's tests may run minutes apart on a busy worker)."""


@pytest.fixture(autouse=True)
def _fresh_graphviz_budget() -> None:
    RUNNER.begin()


def _article() -> dict[str, DrawGraph]:
    from mkdocs_mechanisms.sources import load_sources

    sources = load_sources(
        REPO, sorted((REPO / "diagrams").glob("*.md")), sorted((REPO / "docs/glossary").glob("*.md")), None
    )
    return {pid: pathway_graph(p, sources.terms) for pid, p in sources.pathways.items()}


def test_the_model_predicts_graphvizs_size_closely() -> None:
    """Every article pathway, in every candidate layout: the model is near what Graphviz draws."""
    dots = {
        f"{pid}/{kind}{i}": candidate.dot(graph)
        for pid, graph in _article().items()
        for kind, candidates in (("wide", WIDE_CANDIDATES), ("phone", PHONE_CANDIDATES))
        for i, candidate in enumerate(candidates)
    }
    drawn = RUNNER.render_many(dots).svgs
    ratios = []
    for name, dot in dots.items():
        guess, real = predict(dot), measure(drawn[name])
        ratios += [guess.width_pt / real.width_pt, guess.height_pt / real.height_pt]
        assert (guess.label_pt, guess.text_pt) == (real.label_pt, real.text_pt), name
    ratios.sort()
    assert ratios[0] > 0.45 and ratios[-1] < 1.5, ratios  # never wildly off
    assert 0.85 < ratios[len(ratios) // 2] < 1.15, ratios  # the median is close
    assert sum(0.7 < r < 1.3 for r in ratios) >= 0.8 * len(ratios), ratios  # and most are


def test_more_nodes_in_a_rank_predict_a_wider_figure_and_more_ranks_a_taller_one() -> None:
    def fan(n: int) -> str:
        nodes = [DrawNode("s", "Source", "drug")] + [
            DrawNode(f"t{i}", f"Target {i}", "receptor") for i in range(n)
        ]
        edges = [DrawEdge(f"e{i}", "s", f"t{i}", "binds") for i in range(n)]
        return to_dot(DrawGraph("fan", nodes, edges))

    def chain(n: int) -> str:
        nodes = [DrawNode(f"c{i}", f"Step {i}", "process") for i in range(n)]
        edges = [DrawEdge(f"e{i}", f"c{i}", f"c{i + 1}", "activates") for i in range(n - 1)]
        return to_dot(DrawGraph("chain", nodes, edges))

    assert predict(fan(6)).width_pt > 2 * predict(fan(2)).width_pt
    assert predict(chain(8)).height_pt > 3 * predict(chain(2)).height_pt
    assert (
        predict(to_dot(DrawGraph("lr", *_chain_parts(6)), rankdir="LR")).width_pt > predict(chain(6)).width_pt
    )


def _chain_parts(n: int) -> tuple[list[DrawNode], list[DrawEdge]]:
    nodes = [DrawNode(f"c{i}", f"Step {i}", "process") for i in range(n)]
    return nodes, [DrawEdge(f"e{i}", f"c{i}", f"c{i + 1}", "activates") for i in range(n - 1)]


class Counting:
    """A render that counts the graphs it is asked to draw."""

    def __init__(self) -> None:
        self.drawn = 0

    def __call__(self, dots: dict[str, str]) -> RenderResult:
        self.drawn += len(dots)
        return RUNNER.render_many(dots)


def test_the_search_draws_little_more_than_it_keeps_and_every_figure_still_meets_the_rule() -> None:
    graphs = _article()
    render = Counting()
    layouts = legible(graphs, render)
    assert not layouts.problems
    for pid in graphs:
        assert layouts.measures[pid].meets(WIDE), pid
        assert layouts.measures.get(pid + NARROW, layouts.measures[pid]).meets(PHONE), pid
    # one drawing per kept layout, plus at most one more each (a number floated, or a miss of the model)
    assert (
        render.drawn <= 2 * len(layouts.svgs) < len(graphs) * (len(WIDE_CANDIDATES) + len(PHONE_CANDIDATES))
    )


def test_a_figure_no_layout_makes_legible_is_drawn_a_few_times_not_once_per_candidate() -> None:
    """A fan of 40 long-named targets is wider than any phone: the search gives up early."""
    text = "title: Fan\nnodes:\n  s: {label: Source drug, kind: drug}\n"
    text += "".join(
        f"  t{i}: {{label: Receptor number {i} with a long name, kind: receptor}}\n" for i in range(40)
    )
    text += "edges:\n" + "".join(f"  - {{from: s, to: t{i}, rel: binds}}\n" for i in range(40))
    graph = pathway_graph(pathway(text), {})
    render = Counting()
    layouts = legible({"fan": graph}, render)
    assert not layouts.measures["fan"].meets(WIDE)
    assert render.drawn <= 2 * TRIES + 2  # wide and phone, each capped, and step numbers placed once each
    assert render.drawn < len(WIDE_CANDIDATES) + len(PHONE_CANDIDATES)


@pytest.mark.parametrize("candidate", [*WIDE_CANDIDATES, *PHONE_CANDIDATES])
def test_the_node_memo_never_changes_the_dot_text(candidate) -> None:
    graph = _article()["ketamine-glutamate-surge"]
    memo: dict[tuple[str, int], str] = {}
    for _ in range(2):
        assert candidate.dot(graph, memo=memo) == candidate.dot(graph)
