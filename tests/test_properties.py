"""Properties over arbitrary input: loading never fails but with MechanismsError; any label renders inertly."""

from __future__ import annotations

from helpers_core import squash, svg_is_inert, svg_text
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from mkdocs_mechanisms.errors import MechanismsError
from mkdocs_mechanisms.load import load_pathway
from mkdocs_mechanisms.model import Region
from mkdocs_mechanisms.render.dot import to_dot
from mkdocs_mechanisms.render.graph import DrawEdge, DrawGraph, DrawNode
from mkdocs_mechanisms.render.runner import GraphvizRunner

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

YAML_TOKENS = [
    "title: ",
    "id: ",
    "cite: ",
    "nodes:",
    "edges:",
    "regions:",
    "\n",
    "  ",
    "    ",
    "a: ",
    "b: ",
    "on: ",
    "{",
    "}",
    "[",
    "]",
    ", ",
    "label: ",
    "kind: drug",
    "kind: ",
    "rel: activates",
    "rel: ",
    "- ",
    "from: a",
    "to: b",
    "parent: a",
    "term: x",
    "same-as: y",
    "note: ",
    "&x ",
    "*x",
    "!!python/name:os.system ",
    "!!str ",
    "!!binary ",
    "!!set ",
    "? ",
    ": ",
    "'",
    '"',
    "# ",
    "|",
    ">",
    "~",
    "null",
    "yes",
    "1.5",
    "2020-01-01",
    "<<: ",
    "%YAML 1.1",
    "---",
    "...",
    "\t",
    "@",
    "`",
    "\\",
    "Ketamine",
    "ä",
    "\u2028",
]

front_matter_text = st.one_of(
    st.text(),
    st.text().map(lambda s: f"---\n{s}\n---\n"),
    st.lists(st.sampled_from(YAML_TOKENS), max_size=40).map(
        lambda parts: "---\n" + "".join(parts) + "\n---\nBody\n"
    ),
)


@SETTINGS
@given(front_matter_text)
@example("---\ntitle: T\x00\n---\n")
@example("---\na: &x [*x]\n---\n")
@example("---\n" + "[" * 3000 + "\n---\n")
def test_load_pathway_raises_only_mechanisms_error(text: str) -> None:
    try:
        load_pathway(text, "diagrams/fuzz.md")
    except MechanismsError as error:
        assert error.problems
        assert all(p.file == "diagrams/fuzz.md" and p.line >= 0 and p.message for p in error.problems)


@SETTINGS
@given(
    st.lists(st.sampled_from(YAML_TOKENS), max_size=40).map(
        lambda parts: "---\n" + "".join(parts) + "\n---\n"
    )
)
def test_yaml_like_front_matter_raises_only_mechanisms_error(text: str) -> None:
    try:
        load_pathway(text, "diagrams/fuzz.md")
    except MechanismsError as error:
        assert error.problems


labels = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)


def label_graph(label: str) -> DrawGraph:
    return DrawGraph(
        title=label,
        nodes=[
            DrawNode("a", label, "drug", sublabel=label, tooltip=label, region="r", term="x"),
            DrawNode("b", label, "outcome", tooltip=label),
        ],
        edges=[DrawEdge("e1", "a", "b", "modulates", 1, label)],
        regions={"r": Region("r", label)},
    )


def shown(label: str, limit: int = 120) -> str:
    text = " ".join(label.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@SETTINGS
@given(st.lists(labels, min_size=1, max_size=8))
def test_any_label_gives_dot_that_graphviz_renders_inertly(batch: list[str]) -> None:
    runner = GraphvizRunner(None, workers=1, batch_size=len(batch))
    dots = {f"g{i}": to_dot(label_graph(label)) for i, label in enumerate(batch)}
    result = runner.render_many(dots)
    assert result.problems == []
    assert set(result.svgs) == set(dots)
    for name, svg in result.svgs.items():
        assert svg_is_inert(svg) == [], name
        assert "<script" not in svg.lower()


@SETTINGS
@given(labels.filter(lambda s: s.isprintable()))
def test_printable_label_is_shown_literally(label: str) -> None:
    svg = GraphvizRunner(None).render("g", to_dot(label_graph(label)))
    assert squash(shown(label)) in squash(svg_text(svg))
