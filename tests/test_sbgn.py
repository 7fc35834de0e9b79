"""SBGN-ML export: Activity Flow maps valid against the SBGN-ML schema shipped with libsbgnpy."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import libsbgnpy
import pytest
from helpers_core import pathway
from lxml import etree
from mkdocs_mechanisms.export.sbgn import (
    ARC_OF_RELATION,
    ENTITY_OF_KIND,
    LOSSY_RELATIONS,
    NS,
    layout_from_svg,
    pathway_sbgn,
)
from mkdocs_mechanisms.model import NODE_KINDS, RELATIONS
from mkdocs_mechanisms.render.dot import to_dot
from mkdocs_mechanisms.render.graph import pathway_graph
from mkdocs_mechanisms.render.runner import GraphvizRunner
from mkdocs_mechanisms.sources import diagram_files, load_sources
from mkdocs_mechanisms.termpage import load_term

REPO = Path(__file__).resolve().parent.parent
XSD = Path(libsbgnpy.__file__).parent / "schema" / "SBGN.xsd"
SITES = [REPO, REPO / "examples" / "caffeine"]
Q = f"{{{NS}}}"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD)))


@pytest.fixture(scope="module")
def runner() -> GraphvizRunner:
    return GraphvizRunner(None)


def assert_valid(xml: str, schema: etree.XMLSchema, tmp_path: Path) -> None:
    """Valid against the XSD, and against the AF rules libsbgnpy checks beyond it."""
    document = etree.fromstring(xml.encode("utf-8"))
    assert schema.validate(document), schema.error_log
    path = tmp_path / "map.sbgn"
    path.write_text(xml, encoding="utf-8")
    assert libsbgnpy.validate(path) == []


def export(p, terms, runner: GraphvizRunner) -> str:
    graph = pathway_graph(p, terms)
    svg = runner.render(p.id, to_dot(graph))
    return pathway_sbgn(p, graph, terms, layout_from_svg(svg))


@pytest.mark.parametrize("site", SITES, ids=["article", "caffeine"])
def test_every_pathway_of_the_repository_exports_a_valid_map(site, schema, runner, tmp_path) -> None:
    sources = load_sources(
        site,
        diagram_files(site / "diagrams"),
        sorted((site / "docs" / "glossary").glob("*.md")),
        site / "docs" / "references.bib",
    )
    assert sources.problems == [] and sources.pathways
    for p in sources.pathways.values():
        xml = export(p, sources.terms, runner)
        assert_valid(xml, schema, tmp_path)
        root = ET.fromstring(xml)
        glyphs = {g.get("id"): g for g in root.iter(f"{Q}glyph")}
        for n in p.nodes:  # an activity, or the compartment of a cell that only holds others
            assert f"n-{n}" in glyphs or f"c-{n}" in glyphs
        assert {f"r-{r}" for r in p.regions} <= set(glyphs)
        assert len(list(root.iter(f"{Q}arc"))) == len(p.edges)


def test_kinds_relations_regions_labels_and_coordinates(schema, runner, tmp_path) -> None:
    p = pathway(
        """
title: All kinds
regions:
  pfc: {label: Prefrontal cortex}
  layer: {label: Layer V, parent: pfc}
nodes:
  drug: {label: Drug, kind: drug}
  rec: {label: Receptor, kind: receptor, region: layer}
  tra: {label: Transporter, kind: transporter, region: pfc}
  tm: {label: Transmitter, kind: transmitter}
  pro: {label: Protein, kind: protein}
  cell: {label: Cell, kind: cell}
  proc: {label: Process, kind: process}
  out: {label: Outcome, kind: outcome}
edges:
  - {from: drug, to: rec, rel: binds}
  - {from: drug, to: tra, rel: blocks}
  - {from: tm, to: pro, rel: converts}
  - {from: pro, to: cell, rel: requires}
  - {from: cell, to: proc, rel: modulates}
  - {from: proc, to: out, rel: leads-to}
"""
    )
    xml = export(p, {}, runner)
    assert_valid(xml, schema, tmp_path)
    root = ET.fromstring(xml)
    (map_el,) = root.iter(f"{Q}map")
    assert map_el.get("version").endswith("sbgn.af.level-1.version-1.2")
    glyphs = {g.get("id"): g for g in map_el.findall(f"{Q}glyph")}
    assert glyphs["r-pfc"].get("class") == glyphs["r-layer"].get("class") == "compartment"
    assert glyphs["r-layer"].get("compartmentOrder") == "2"
    assert glyphs["n-rec"].get("compartmentRef") == "r-layer"
    assert glyphs["n-out"].get("class") == "phenotype"
    units = {
        g.get("id"): g.find(f"{Q}glyph/{Q}entity").get("name")
        for g in glyphs.values()
        if g.find(f"{Q}glyph") is not None
    }
    assert units == {
        "n-drug": "perturbation",
        "n-rec": "macromolecule",
        "n-tra": "macromolecule",
        "n-tm": "simple chemical",
        "n-pro": "macromolecule",
        "n-cell": "unspecified entity",
        "n-proc": "unspecified entity",
    }
    assert glyphs["n-rec"].find(f"{Q}label").get("text") == "Receptor"
    arcs = [(a.get("class"), a.get("source"), a.get("target")) for a in map_el.findall(f"{Q}arc")]
    assert arcs == [
        ("positive influence", "n-drug", "n-rec"),
        ("negative influence", "n-drug", "n-tra"),
        ("positive influence", "n-tm", "n-pro"),
        ("necessary stimulation", "n-pro", "n-cell"),
        ("unknown influence", "n-cell", "n-proc"),
        ("unknown influence", "n-proc", "n-out"),
    ]
    notes = "".join(map_el.find(f"{Q}arc").itertext())
    assert "mkdocs-mechanisms relation: binds" in notes  # the lossy mapping keeps the original

    def box(gid: str) -> tuple[float, ...]:
        b = glyphs[gid].find(f"{Q}bbox")
        return tuple(float(b.get(k)) for k in "xywh")

    rx, ry, rw, rh = box("r-layer")
    nx, ny, nw, nh = box("n-rec")
    assert rx <= nx and ry <= ny and nx + nw <= rx + rw and ny + nh <= ry + rh  # the region holds its node
    assert all(v >= 0 for gid in glyphs for v in box(gid))
    assert box("n-drug")[1] < box("n-rec")[1]  # top to bottom, as Graphviz laid it out


def test_identifiers_become_rdf_annotations(schema, runner, tmp_path) -> None:
    term = load_term(
        "---\nterm: Ketamine\nkind: drug\nsummary: s\nidentifiers: [CHEBI:6121]\n---\n",
        "docs/glossary/ketamine.md",
    )
    p = pathway(
        "title: T\nnodes:\n  k: {label: Ketamine, kind: drug, term: ketamine, identifiers: ['mesh:D007649']}\n"
        "  r: {label: R, kind: receptor}\nedges:\n  - {from: k, to: r, rel: blocks}\n"
    )
    xml = export(p, {"ketamine": term}, runner)
    assert_valid(xml, schema, tmp_path)
    assert '<rdf:Description rdf:about="#n-k">' in xml
    assert '<rdf:li rdf:resource="https://identifiers.org/CHEBI:6121" />' in xml
    assert '<rdf:li rdf:resource="https://identifiers.org/mesh:D007649" />' in xml
    assert "<bqbiol:is>" in xml


def test_hostile_text_stays_text(schema, runner, tmp_path) -> None:
    hostile = '<b>&amp; "quoted" ]]> \u00e9'
    p = pathway(
        f"title: T\nnodes:\n  a: {{label: {hostile!r}, kind: drug, note: {hostile!r}}}\n"
        f"  b: {{label: B, kind: outcome}}\nedges:\n  - {{from: a, to: b, rel: leads-to, note: {hostile!r}}}\n"
    )
    xml = export(p, {}, runner)
    assert_valid(xml, schema, tmp_path)
    labels = [
        g.find(f"{Q}label").get("text") for g in ET.fromstring(xml).iter(f"{Q}glyph") if g.get("id") == "n-a"
    ]
    assert labels == [hostile]


def test_mapping_covers_the_vocabulary() -> None:
    assert set(ENTITY_OF_KIND) == set(NODE_KINDS)
    assert set(ARC_OF_RELATION) == set(RELATIONS)
    assert {"binds", "converts", "blocks", "inhibits"} <= LOSSY_RELATIONS
    assert "requires" not in LOSSY_RELATIONS  # the only relation with an arc of its own


def test_built_site_offers_the_map_beside_the_other_downloads(tmp_path, schema) -> None:
    from conftest import build_site

    site = build_site(tmp_path / "site")
    page = site.page("pathways/x-blocks-y")
    assert 'href="../x-blocks-y.sbgn"' in page and "SBGN-ML map" in page
    xml = site.html("pathways/x-blocks-y.sbgn")
    assert_valid(xml, schema, tmp_path)
    assert 'compartmentRef="r-pfc"' in xml


def test_cells_drawn_as_containers_become_compartments(schema, runner, tmp_path) -> None:
    p = pathway(
        """
title: Cells
regions:
  pfc: {label: Prefrontal cortex}
nodes:
  drug: {label: Drug, kind: drug}
  neuron: {label: Pyramidal neuron, kind: cell, region: pfc}
  rec: {label: Receptor, kind: receptor, "on": neuron, region: pfc}
  out: {label: Outcome, kind: outcome}
edges:
  - {from: drug, to: rec, rel: blocks}
  - {from: neuron, to: out, rel: leads-to}
"""
    )
    xml = export(p, {}, runner)
    assert_valid(xml, schema, tmp_path)
    glyphs = {g.get("id"): g for g in ET.fromstring(xml).iter(f"{Q}glyph")}
    assert glyphs["c-neuron"].get("class") == "compartment"
    assert glyphs["c-neuron"].get("compartmentRef") == "r-pfc"
    assert glyphs["n-rec"].get("compartmentRef") == "c-neuron"
    assert glyphs["n-neuron"].get("compartmentRef") == "c-neuron"  # the cell's own activity, for its arcs


def test_ids_stay_unique_whatever_the_node_ids(schema, runner, tmp_path) -> None:
    """A node named like another's unit of information, or like a glossary cell's container."""
    terms = {"x": load_term("---\nterm: X\nkind: cell\nsummary: A cell.\n---\nX.\n", "docs/glossary/x.md")}
    p = pathway(
        """
title: Names that look alike
regions:
  r: {label: R}
nodes:
  a: {label: A, kind: drug}
  a-unit: {label: A unit, kind: drug}
  u-a: {label: U, kind: receptor}
  cell-x: {label: Cell x, kind: cell}
  cell-x-in-r: {label: Cell x in r, kind: cell, region: r}
  rec: {label: Receptor, kind: receptor, "on": x}
  rec2: {label: Receptor 2, kind: receptor, "on": x, region: r}
edges:
  - {from: a, to: a-unit, rel: blocks}
  - {from: u-a, to: rec, rel: binds}
  - {from: cell-x, to: rec2, rel: binds}
  - {from: cell-x-in-r, to: a, rel: leads-to}
"""
    )
    xml = export(p, terms, runner)
    found = [e.get("id") for e in ET.fromstring(xml).iter() if e.get("id")]
    assert len(found) == len(set(found)), sorted(i for i in found if found.count(i) > 1)
    assert_valid(xml, schema, tmp_path)


def test_certainty_and_evidence_travel_with_each_arc(schema, runner, tmp_path) -> None:
    p = pathway(
        "title: T\ncertainty: hypothesis\nevidence: [ECO:0000304]\nnodes:\n  k: {label: K, kind: drug}\n"
        "  r: {label: R, kind: receptor}\nedges:\n  - {from: k, to: r, rel: blocks, certainty: proposed,"
        " evidence: [ECO:0000305]}\n  - {from: r, to: k, rel: activates}\n"
    )
    xml = export(p, {}, runner)
    assert_valid(xml, schema, tmp_path)
    assert "Certainty of the mechanism as a whole: hypothesis (ECO:0000304)." in xml
    assert "Certainty: proposed, “is thought to” (ECO:0000305)<" in xml
    assert "Certainty: hypothesis, “may” (ECO:0000304)<" in xml
    assert '<rdf:Description rdf:about="#e1">' in xml and "<bqbiol:hasProperty>" in xml
    assert '<rdf:li rdf:resource="https://identifiers.org/ECO:0000305" />' in xml
