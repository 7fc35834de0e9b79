"""Same but different: node identity, shared cascade, what each pathway does alone, JSON export."""

from __future__ import annotations

import copy
import json
from dataclasses import replace

import pytest
from helpers_core import pathway
from mkdocs_mechanisms.compare import compare, identity
from mkdocs_mechanisms.model import Term

KETAMINE = """\
id: ketamine
title: Ketamine
nodes:
  ketamine: {label: Ketamine, kind: drug, term: ketamine}
  nmda: {label: NMDA receptor, kind: receptor, term: nmda-receptor, on: gabaergic-interneuron}
  gaba: {label: GABA, kind: transmitter, term: gaba}
  glu: {label: Glutamate, kind: transmitter, term: glutamate}
  ampa: {label: AMPA receptor, kind: receptor, term: ampa-receptor, on: pyramidal-neuron}
  signalling: {label: Intracellular signalling, kind: process, term: intracellular-signalling, on: pyramidal-neuron}
  bdnf: {label: BDNF, kind: protein, term: bdnf}
  plasticity: {label: Plasticity, kind: outcome}
edges:
  - {from: ketamine, to: nmda, rel: blocks}
  - {from: nmda, to: gaba, rel: decreases}
  - {from: gaba, to: glu, rel: inhibits}
  - {from: glu, to: ampa, rel: activates}
  - {from: ampa, to: signalling, rel: activates}
  - {from: signalling, to: bdnf, rel: increases, note: BDNF rises, cite: [duman2016]}
  - {from: bdnf, to: plasticity, rel: leads-to}
"""

PSILOCYBIN = """\
id: psilocybin
title: Psilocybin
nodes:
  psilocybin: {label: Psilocybin, kind: drug, term: psilocybin}
  psilocin: {label: Psilocin, kind: drug, term: psilocin}
  ht2a: {label: 5-HT2A receptor, kind: receptor, term: 5-ht2a-receptor, on: pyramidal-neuron}
  nmda: {label: NMDA receptor, kind: receptor, term: nmda-receptor, on: pyramidal-neuron}
  glutamate: {label: Glutamate (surge), kind: transmitter, term: glutamate}
  ampa-receptor: {label: AMPA, kind: receptor, term: ampa-receptor, on: pyramidal-neuron}
  signal: {label: Signalling, kind: process, term: intracellular-signalling, on: pyramidal-neuron}
  growth-factor: {label: Brain-derived neurotrophic factor, kind: protein, term: bdnf}
  plasticity: {label: Plasticity, kind: outcome}
edges:
  - {from: psilocybin, to: psilocin, rel: converts}
  - {from: psilocin, to: ht2a, rel: activates}
  - {from: ht2a, to: glutamate, rel: releases}
  - {from: glutamate, to: ampa-receptor, rel: activates}
  - {from: glutamate, to: nmda, rel: activates}
  - {from: ampa-receptor, to: signal, rel: activates}
  - {from: signal, to: growth-factor, rel: increases}
  - {from: growth-factor, to: plasticity, rel: leads-to}
"""


@pytest.fixture
def pair():
    return pathway(KETAMINE, "diagrams/ketamine.md"), pathway(PSILOCYBIN, "diagrams/psilocybin.md")


def test_identity_rules(pair) -> None:
    k, _ = pair
    assert identity(k, k.nodes["glu"]) == "term:glutamate"
    assert identity(k, k.nodes["ampa"]) == "term:ampa-receptor@pyramidal-neuron"
    assert identity(k, k.nodes["plasticity"]) == "ketamine/plasticity"  # no term: never shared
    same = pathway("title: T\nnodes:\n  a: {label: A, kind: drug, term: x, same-as: thing}")
    assert identity(same, same.nodes["a"]) == "same-as:thing"


def test_shared_cascade_of_two_pathways(pair) -> None:
    k, p = pair
    c = compare([k, p])
    assert [n.id for _, n in c.shared.nodes] == ["glu", "ampa", "signalling", "bdnf"]
    assert all(pw is k for pw, _ in c.shared.nodes)  # shared parts come from the first pathway
    assert [(e.source, e.target, e.rel) for _, e in c.shared.edges] == [
        ("glu", "ampa", "activates"),
        ("ampa", "signalling", "activates"),
        ("signalling", "bdnf", "increases"),
    ]
    # same term on a different cell is a different entity; nodes without a term are never shared
    assert [n.id for _, n in c.only["ketamine"].nodes] == ["ketamine", "nmda", "gaba", "plasticity"]
    assert [n.id for _, n in c.only["psilocybin"].nodes] == [
        "psilocybin",
        "psilocin",
        "ht2a",
        "nmda",
        "plasticity",
    ]
    assert len(c.only["ketamine"].edges) == 4
    assert len(c.only["psilocybin"].edges) == 5
    assert c.shared_chain({}) == [["Glutamate", "AMPA receptor", "Intracellular signalling", "BDNF"]]
    terms = {"bdnf": Term("bdnf", "BDNF (the term)", "protein", "S")}
    assert c.shared_chain(terms)[0][-1] == "BDNF (the term)"
    assert c.summary({}) == (
        "Both converge on the shared cascade Glutamate → AMPA receptor → Intracellular signalling → BDNF; "
        "4 steps only in Ketamine; 5 steps only in Psilocybin."
    )
    assert c.name == "ketamine--psilocybin"
    assert c.key(p, "growth-factor") == c.key(k, "bdnf") == "term:bdnf"
    assert c.edge_key(p, p.edges[3]) == ("term:glutamate", "term:ampa-receptor@pyramidal-neuron", "activates")


def test_order_only_changes_naming(pair) -> None:
    k, p = pair
    c = compare([p, k])
    assert c.name == "psilocybin--ketamine"
    assert [n.id for _, n in c.shared.nodes] == ["glutamate", "ampa-receptor", "signal", "growth-factor"]
    assert len(c.shared.edges) == 3


def test_shared_edge_needs_the_same_relation(pair) -> None:
    k, p = pair
    p.edges[3] = type(p.edges[3])("glutamate", "ampa-receptor", "binds")
    c = compare([k, p])
    assert [(e.source, e.target) for _, e in c.shared.edges] == [
        ("ampa", "signalling"),
        ("signalling", "bdnf"),
    ]
    assert any(e.rel == "binds" for _, e in c.only["psilocybin"].edges)
    assert any(e.source == "glu" and e.target == "ampa" for _, e in c.only["ketamine"].edges)


def test_same_as_overrides_identity() -> None:
    a = pathway(
        "id: a\ntitle: A\nnodes:\n  x: {label: X, kind: protein, term: trkb, same-as: receptor-b}\n"
        "  y: {label: Y, kind: process, same-as: growth}\n"
        "  z: {label: Z, kind: drug, term: zeta}\nedges:\n  - {from: x, to: y, rel: activates}"
    )
    b = pathway(
        "id: b\ntitle: B\nnodes:\n  p: {label: P, kind: receptor, term: other-term, same-as: receptor-b}\n"
        "  q: {label: Q, kind: process, same-as: growth}\n"
        "  z: {label: Z, kind: drug, term: zeta, same-as: not-zeta}\nedges:\n  - {from: p, to: q, rel: activates}"
    )
    c = compare([a, b])
    assert [n.id for _, n in c.shared.nodes] == ["x", "y"]
    assert [(e.source, e.target) for _, e in c.shared.edges] == [("x", "y")]
    # same term but a same-as on one side: same-as wins, so they differ
    assert [n.id for _, n in c.only["a"].nodes] == ["z"]
    assert [n.id for _, n in c.only["b"].nodes] == ["z"]


def test_compare_with_itself_shares_everything(pair) -> None:
    k, _ = pair
    c = compare([k, k])
    assert [n.id for _, n in c.shared.nodes] == list(k.nodes)
    assert [e for _, e in c.shared.edges] == k.edges
    assert all(not part.nodes and not part.edges for part in c.only.values())
    doc = c.to_json()
    assert [n["id"] for n in doc["shared"]["nodes"]][-1] == "ketamine/plasticity"
    assert all(part == {"nodes": [], "edges": []} for part in doc["only"].values())


def test_compare_with_a_renamed_copy_shares_all_but_term_less_nodes(pair) -> None:
    k, _ = pair
    twin = replace(copy.deepcopy(k), id="ketamine-twin")  # pathways are frozen
    c = compare([k, twin])
    # nodes without a term are identified by pathway and node id, so they are never shared
    assert [n.id for _, n in c.shared.nodes] == [n for n in k.nodes if n != "plasticity"]
    assert len(c.shared.edges) == len(k.edges) - 1  # bdnf → plasticity touches an unshared node
    assert [[n.id for _, n in part.nodes] for part in c.only.values()] == [["plasticity"], ["plasticity"]]
    assert [len(part.edges) for part in c.only.values()] == [1, 1]


def test_compare_with_itself_when_all_nodes_have_terms() -> None:
    a = pathway(
        "id: a\ntitle: A\nnodes:\n  x: {label: X, kind: drug, term: x}\n  y: {label: Y, kind: drug, term: y}\n"
        "  z: {label: Z, kind: drug, term: z}\n"
        "edges:\n  - {from: x, to: y, rel: activates}\n  - {from: y, to: z, rel: inhibits}"
    )
    twin = replace(copy.deepcopy(a), id="b")
    for c in (compare([a, a]), compare([a, twin])):
        assert [n.id for _, n in c.shared.nodes] == ["x", "y", "z"]
        assert [(e.source, e.target, e.rel) for _, e in c.shared.edges] == [
            ("x", "y", "activates"),
            ("y", "z", "inhibits"),
        ]
        assert all(not part.nodes and not part.edges for part in c.only.values())
    assert compare([a, twin]).summary({}) == (
        "Both converge on the shared cascade X → Y → Z; 0 steps only in A; 0 steps only in A."
    )


def test_compare_same_pathway_twice_summary() -> None:
    a = pathway(
        "id: a\ntitle: A\nnodes:\n  x: {label: X, kind: drug, term: x}\n  y: {label: Y, kind: drug, term: y}\n"
        "edges:\n  - {from: x, to: y, rel: activates}"
    )
    assert compare([a, a]).summary({}).startswith("Both converge on the shared cascade X → Y")


def test_disjoint_pathways_share_nothing() -> None:
    a = pathway(
        "id: a\ntitle: Alpha\nnodes:\n  x: {label: X, kind: drug, term: x}\n  y: {label: Y, kind: drug}\n"
        "edges:\n  - {from: x, to: y, rel: activates}"
    )
    b = pathway(
        "id: b\ntitle: Beta\nnodes:\n  x: {label: X, kind: drug, term: other}\n  y: {label: Y, kind: drug}\n"
        "edges:\n  - {from: x, to: y, rel: activates}"
    )
    c = compare([a, b])
    assert c.shared.nodes == [] and c.shared.edges == []
    assert [len(part.nodes) for part in c.only.values()] == [2, 2]
    assert c.shared_chain({}) == []
    assert (
        c.summary({})
        == "Alpha and Beta share nothing: no node of one denotes the same entity as a node of the other."
    )
    assert c.to_json()["shared"] == {"nodes": [], "edges": []}


def test_shared_entities_without_a_shared_step() -> None:
    a = pathway(
        "id: a\ntitle: Alpha\nnodes:\n  x: {label: X, kind: drug, term: x}\n  y: {label: Y, kind: drug, term: y}\n"
        "edges:\n  - {from: x, to: y, rel: activates}"
    )
    b = pathway(
        "id: b\ntitle: Beta\nnodes:\n  x: {label: X, kind: drug, term: x}\n  y: {label: Y, kind: drug, term: y}\n"
        "edges:\n  - {from: y, to: x, rel: activates}"
    )
    assert compare([a, b]).summary({}) == (
        "Alpha and Beta involve the same entities (X, Y) but share no step between them; "
        "1 step only in Alpha; 1 step only in Beta."
    )


def test_to_json_structure_exactly(pair) -> None:
    k, p = pair
    doc = compare([k, p]).to_json()
    assert json.loads(json.dumps(doc)) == doc  # plain JSON
    assert list(doc) == ["pathways", "shared", "only"]
    assert doc["pathways"] == ["ketamine", "psilocybin"]
    assert list(doc["shared"]) == ["nodes", "edges"]
    assert list(doc["only"]) == ["ketamine", "psilocybin"]
    assert all(list(part) == ["nodes", "edges"] for part in doc["only"].values())
    assert doc["shared"]["nodes"][0] == {
        "id": "term:glutamate",
        "label": "Glutamate",
        "kind": "transmitter",
        "term": "glutamate",
        "on": None,
    }
    assert doc["shared"]["edges"][-1] == {
        "source": "term:intracellular-signalling@pyramidal-neuron",
        "target": "term:bdnf",
        "rel": "increases",
        "note": "BDNF rises",
        "cite": ["duman2016"],
    }
    assert [n["id"] for n in doc["only"]["psilocybin"]["nodes"]] == [
        "term:psilocybin",
        "term:psilocin",
        "term:5-ht2a-receptor@pyramidal-neuron",
        "term:nmda-receptor@pyramidal-neuron",
        "psilocybin/plasticity",
    ]
    assert {
        "source": "term:glutamate",
        "target": "term:nmda-receptor@pyramidal-neuron",
        "rel": "activates",
        "note": "",
        "cite": [],
    } in doc["only"]["psilocybin"]["edges"]


def test_three_pathways() -> None:
    make = [
        pathway(
            f"id: p{i}\ntitle: P{i}\nnodes:\n  x: {{label: X, kind: drug, term: x}}\n"
            f"  y: {{label: Y, kind: drug, term: y}}\n  own: {{label: Own, kind: drug, term: own{i}}}\n"
            "edges:\n  - {from: x, to: y, rel: activates}\n  - {from: own, to: x, rel: activates}"
        )
        for i in range(3)
    ]
    c = compare(make)
    assert c.name == "p0--p1--p2"
    assert [n.id for _, n in c.shared.nodes] == ["x", "y"]
    assert c.summary({}).startswith("All converge on the shared cascade X → Y; 1 step only in P0;")


def test_article_pathways_share_the_glutamate_to_bdnf_cascade() -> None:
    """The article's point, computed from the same files as Figures 1 and 2."""
    from pathlib import Path

    from mkdocs_mechanisms.sources import load_sources

    root = Path(__file__).resolve().parent.parent
    sources = load_sources(
        root,
        sorted((root / "diagrams").glob("*.md")),
        [p for p in (root / "docs/glossary").glob("*.md") if p.name != "index.md"],
        root / "docs/references.bib",
    )
    assert sources.problems == []
    result = compare(
        [sources.pathways["ketamine-glutamate-surge"], sources.pathways["psilocybin-glutamate-surge"]]
    )
    assert result.shared_chain(sources.terms)[0] == [
        "Glutamate",
        "AMPA receptor",
        "Intracellular signalling",
        "BDNF",
    ]
    assert {e.rel for _, e in result.shared.edges} == {"activates", "releases"}
    assert result.only["ketamine-glutamate-surge"].edges and result.only["psilocybin-glutamate-surge"].edges
