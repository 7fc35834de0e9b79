"""Step numbers off their arrow are found in Graphviz's SVG, and floating them puts them back."""

from __future__ import annotations

from pathlib import Path

from helpers_core import run_dot
from mkdocs_mechanisms.load import load_pathway
from mkdocs_mechanisms.render.dot import to_dot
from mkdocs_mechanisms.render.graph import pathway_graph
from mkdocs_mechanisms.render.labels import edge_shapes, misplaced_labels
from mkdocs_mechanisms.render.layout import PHONE_CANDIDATES

REPO = Path(__file__).resolve().parent.parent
NS = 'xmlns="http://www.w3.org/2000/svg"'


def edge(id_: str, d: str, head: str, x: float, y: float, text: str = "7") -> str:
    return (
        f'<g id="{id_}" class="edge"><path d="{d}"/><polygon points="{head}"/>'
        f'<text text-anchor="middle" x="{x}" y="{y}" font-size="10">{text}</text></g>'
    )


def svg(*groups: str) -> str:
    return f"<svg {NS}><g>{''.join(groups)}</g></svg>"


LINE = "M0,0C0,10 0,20 0,30"
HEAD = "-3,30 3,30 0,38 -3,30"


def test_a_number_beside_its_line_is_in_place() -> None:
    assert misplaced_labels(svg(edge("e1", LINE, HEAD, 6, 15))) == set()


def test_a_number_far_from_its_line_is_misplaced() -> None:
    assert misplaced_labels(svg(edge("e1", LINE, HEAD, 40, 15))) == {"e1"}


def test_a_number_on_an_arrowhead_is_misplaced_even_another_edges() -> None:
    other = edge("e2", "M20,0C20,10 20,30 20,40", "17,40 23,40 20,48 17,40", 25, 20, "2")
    assert misplaced_labels(svg(edge("e1", LINE, HEAD, 2, 39), other)) == {"e1"}
    assert misplaced_labels(svg(edge("e1", LINE, HEAD, 20, 47), other)) == {"e1"}


def test_the_line_is_sampled_along_its_curve_not_only_at_its_ends() -> None:
    (shape,) = edge_shapes(svg(edge("e1", "M0,0C40,0 40,40 0,40", HEAD, 0, 0)))
    assert max(x for x, _ in shape.line) > 25  # the bulge of the curve


def test_floating_the_ketamine_phone_layouts_numbers_puts_each_by_its_arrow() -> None:
    """Dot leaves 7 under its T-bar and 8? inside the pyramidal cell; as xlabels they sit by their lines."""
    path = REPO / "diagrams/ketamine-glutamate-surge.md"
    graph = pathway_graph(load_pathway(path.read_text(encoding="utf-8"), str(path)), {})
    candidate = PHONE_CANDIDATES[1]
    plain = run_dot(candidate.dot(graph)).stdout.decode()
    stray = misplaced_labels(plain)
    assert stray == {"e7", "e8"}
    dot = candidate.dot(graph, frozenset(stray))
    assert 'xlabel="7"' in dot and 'xlabel="8?"' in dot
    assert misplaced_labels(run_dot(dot).stdout.decode()) == set()


def test_only_the_floated_edges_change() -> None:
    path = REPO / "diagrams/ketamine-glutamate-surge.md"
    graph = pathway_graph(load_pathway(path.read_text(encoding="utf-8"), str(path)), {})
    plain, floated = to_dot(graph), to_dot(graph, floating=frozenset({"e7"}))
    changed = [b for a, b in zip(plain.splitlines(), floated.splitlines(), strict=True) if a != b]
    assert len(changed) == 1 and 'id="e7"' in changed[0]
    assert 'xlabel="7"' in changed[0] and "minlen=2" in changed[0]
