"""Pathways as SBGN-ML maps in the Activity Flow language.

The relations of a pathway were modelled on the arcs of SBGN Activity Flow
(AF), so a pathway maps onto an AF map: every node becomes an activity glyph,
every region a compartment, every edge an influence arc. Positions come from
the Graphviz layout the site already drew (read back from its SVG, so no
second layout runs), and the identifiers of nodes and their terms become
RDF annotations (``bqbiol:is``) that tools such as Newt and CellDesigner
read. Where AF has no exact counterpart the mapping is lossy; the original
kind or relation is kept in the glyph's or arc's notes. See
``docs/plugin/identifiers.md`` for the mapping table.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import identifiers as ids
from ..model import CERTAINTIES, RELATIONS, Pathway, Term
from ..render.graph import DrawGraph
from ..wording import certainty_phrase

if TYPE_CHECKING:
    from ..sources import Sources

NS = "http://sbgn.org/libsbgn/0.3"
AF_VERSION = "http://identifiers.org/combine.specifications/sbgn.af.level-1.version-1.2"
XHTML = "http://www.w3.org/1999/xhtml"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
BQBIOL = "http://biomodels.net/biology-qualifiers/"

ENTITY_OF_KIND: dict[str, str | None] = {
    "drug": "perturbation",
    "receptor": "macromolecule",
    "transporter": "macromolecule",
    "protein": "macromolecule",
    "transmitter": "simple chemical",
    "cell": "unspecified entity",
    "process": "unspecified entity",
    "outcome": None,
}
"""Node kind → the AF unit of information on its activity glyph (None: a phenotype glyph)."""

ARC_OF_RELATION: dict[str, str] = {
    name: (rel.sbgn if rel.sbgn != "none" else "positive influence") for name, rel in RELATIONS.items()
}
"""Relation → AF arc class; ``binds`` and ``converts`` have no AF arc and become positive influences."""

LOSSY_KINDS = frozenset({"cell", "process"})
LOSSY_RELATIONS = frozenset(
    name
    for name, rel in RELATIONS.items()
    if rel.sbgn == "none" or sum(r.sbgn == rel.sbgn for r in RELATIONS.values()) > 1
)
"""Relations that share their AF arc with others (or have none): the AF file alone cannot tell them apart."""

for _prefix, _uri in (("", NS), ("rdf", RDF), ("bqbiol", BQBIOL), ("html", XHTML)):
    ET.register_namespace(_prefix, _uri)

MARGIN = 10.0
"""Space added around the drawing, so units of information above the top row stay on the map."""
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE]-?\d+)?")
_TRANSLATE = re.compile(r"translate\(\s*(-?[\d.]+)[ ,]+(-?[\d.]+)\s*\)")


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in SBGN coordinates (origin top left, y downwards)."""

    x: float
    y: float
    w: float
    h: float


@dataclass
class Layout:
    """Where Graphviz put each node, region and edge of one diagram."""

    nodes: dict[str, Box] = field(default_factory=dict)
    regions: dict[str, Box] = field(default_factory=dict)
    edges: dict[str, tuple[tuple[float, float], tuple[float, float]]] = field(default_factory=dict)
    width: float = 0.0
    height: float = 0.0


def layout_from_svg(svg: str) -> Layout:
    """Read node boxes, region boxes and edge ends out of a Graphviz SVG of this plugin's DOT."""
    root = ET.fromstring(svg.encode("utf-8") if svg.startswith("<?xml") else svg)
    svg_ns = "{http://www.w3.org/2000/svg}"
    graph = next((g for g in root.iter(f"{svg_ns}g") if "graph" in g.get("class", "").split()), None)
    tx, ty = 0.0, 0.0
    if graph is not None:
        match = _TRANSLATE.search(graph.get("transform", ""))
        if match:
            tx, ty = float(match.group(1)) + MARGIN, float(match.group(2)) + MARGIN
    layout = Layout()
    for group in root.iter(f"{svg_ns}g"):
        gid, classes = group.get("id", ""), group.get("class", "").split()
        if "edge" in classes:
            path = next(group.iter(f"{svg_ns}path"), None)
            line = _numbers(path.get("d", ""), tx, ty) if path is not None else []
            if line:
                layout.edges[gid] = (line[0], line[-1])
            continue
        points = _points(group, svg_ns, tx, ty)
        if not points or not ({"node", "cluster"} & set(classes)):
            continue
        if gid.startswith("n-"):  # a node, or a cell drawn as a container (a cluster)
            layout.nodes[gid[2:]] = _box(points)
        elif gid.startswith("r-"):
            layout.regions[gid[2:]] = _box(points)
    width, height = (root.get("viewBox") or "0 0 0 0").split()[2:4]
    layout.width, layout.height = float(width) + 2 * MARGIN, float(height) + 2 * MARGIN
    return layout


def _numbers(text: str, tx: float, ty: float) -> list[tuple[float, float]]:
    values = [float(v) for v in _NUMBER.findall(text)]
    return [(values[i] + tx, values[i + 1] + ty) for i in range(0, len(values) - 1, 2)]


def _points(group: ET.Element, svg_ns: str, tx: float, ty: float) -> list[tuple[float, float]]:
    """Every outline point of the group's shapes (not of its text)."""
    out: list[tuple[float, float]] = []
    for element in group.iter():
        tag = element.tag.removeprefix(svg_ns)
        if tag == "path":
            out += _numbers(element.get("d", ""), tx, ty)
        elif tag in ("polygon", "polyline"):
            out += _numbers(element.get("points", ""), tx, ty)
        elif tag == "ellipse":
            cx, cy = float(element.get("cx", 0)) + tx, float(element.get("cy", 0)) + ty
            rx, ry = float(element.get("rx", 0)), float(element.get("ry", 0))
            out += [(cx - rx, cy - ry), (cx + rx, cy + ry)]
    return out


def _box(points: list[tuple[float, float]]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return Box(round(min(xs), 2), round(min(ys), 2), round(max(xs) - min(xs), 2), round(max(ys) - min(ys), 2))


def _sub(parent: ET.Element, tag: str, attrs: dict[str, str] | None = None, **more: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{NS}}}{tag}", {**(attrs or {}), **more})


def _bbox(parent: ET.Element, box: Box) -> None:
    _sub(parent, "bbox", x=_num(box.x), y=_num(box.y), w=_num(box.w), h=_num(box.h))


def _num(value: float) -> str:
    return f"{value:g}"


def _notes(parent: ET.Element, text: str) -> None:
    notes = _sub(parent, "notes")
    body = ET.SubElement(notes, f"{{{XHTML}}}body")
    body.text = text


def _annotation(parent: ET.Element, about: str, curies: tuple[str, ...], qualifier: str = "is") -> None:
    """``bqbiol:is`` links to the identifiers.org URIs of the CURIEs, the form SBGN tools read.

    An arc's evidence codes (ECO) go under ``bqbiol:hasProperty`` instead: the
    step is not an evidence term, it has one.
    """
    uris = [ids.identifiers_org(c) for c in curies]
    uris = [u for u in uris if u]
    if not uris:
        return
    extension = _sub(parent, "extension")
    annotation = _sub(extension, "annotation")
    rdf = ET.SubElement(annotation, f"{{{RDF}}}RDF")
    description = ET.SubElement(rdf, f"{{{RDF}}}Description", {f"{{{RDF}}}about": f"#{about}"})
    bag = ET.SubElement(ET.SubElement(description, f"{{{BQBIOL}}}{qualifier}"), f"{{{RDF}}}Bag")
    for uri in uris:
        ET.SubElement(bag, f"{{{RDF}}}li", {f"{{{RDF}}}resource": uri})


def _fallback_box(index: int) -> Box:
    """A grid place for a node the layout does not have (never expected; keeps the file valid)."""
    return Box(20.0 + 160.0 * (index % 4), 20.0 + 80.0 * (index // 4), 120.0, 40.0)


def _point(value: float) -> str:
    return _num(round(value, 2))


def pathway_sbgn(pathway: Pathway, graph: DrawGraph, terms: Mapping[str, Term], layout: Layout) -> str:
    """The SBGN-ML document of ``pathway`` (an AF map), as UTF-8 XML text.

    ``graph`` is the pathway's drawn graph (``render.graph.pathway_graph``),
    whose cells that hold other nodes become compartments; ``layout`` is
    where Graphviz put it (:func:`layout_from_svg`).
    """
    root = ET.Element(f"{{{NS}}}sbgn")
    map_el = _sub(root, "map", id=f"map-{pathway.id}", version=AF_VERSION)
    said = certainty_phrase(pathway.certainty, pathway.evidence)
    _notes(
        map_el,
        f"{pathway.title}. Exported by mkdocs-mechanisms from {pathway.source}."
        + (f" Certainty of the mechanism as a whole: {said}." if said else ""),
    )
    if layout.width and layout.height:
        _bbox(map_el, Box(0, 0, layout.width, layout.height))

    def depth(rid: str | None) -> int:
        seen: set[str] = set()
        level = 0
        while rid in pathway.regions and rid not in seen:
            seen.add(rid)
            level, rid = level + 1, pathway.regions[rid].parent
        return level

    for index, region in enumerate(pathway.regions.values()):
        attrs = {"class": "compartment", "id": f"r-{region.id}", "compartmentOrder": str(depth(region.id))}
        if region.parent in pathway.regions:
            attrs["compartmentRef"] = f"r-{region.parent}"
        glyph = _sub(map_el, "glyph", attrs)
        _sub(glyph, "label", text=region.label)
        _bbox(glyph, layout.regions.get(region.id) or _fallback_box(index))

    drawn = {n.id: n for n in graph.nodes}
    ends = {e.source for e in pathway.edges} | {e.target for e in pathway.edges}
    cells = [n for n in graph.nodes if n.holds]
    for index, cell in enumerate(cells):
        attrs = {
            "class": "compartment",
            "id": f"c-{cell.id}",
            "compartmentOrder": str(depth(cell.region) + 1),
        }
        if cell.region in pathway.regions:
            attrs["compartmentRef"] = f"r-{cell.region}"
        glyph = _sub(map_el, "glyph", attrs)
        _notes(glyph, "A cell drawn as a container around the entities on it.")
        node = pathway.nodes.get(cell.id)
        curies = (
            ids.node_identifiers(node, terms)
            if node
            else (terms[cell.term].identifiers if cell.term is not None and cell.term in terms else ())
        )
        _annotation(glyph, f"c-{cell.id}", curies)
        _sub(glyph, "label", text=cell.label)
        _bbox(glyph, layout.nodes.get(cell.id) or _fallback_box(index))

    for index, node in enumerate(pathway.nodes.values()):
        draw = drawn.get(node.id)
        if draw is not None and draw.holds and node.id not in ends:
            continue  # the cell is only a container: its compartment stands for it
        gid = f"n-{node.id}"
        entity = ENTITY_OF_KIND.get(node.kind, "unspecified entity")
        attrs = {"class": "phenotype" if entity is None else "biological activity", "id": gid}
        if draw is not None and draw.holds:
            attrs["compartmentRef"] = f"c-{node.id}"
        elif draw is not None and draw.container in drawn:
            attrs["compartmentRef"] = f"c-{draw.container}"
        elif node.region in pathway.regions:
            attrs["compartmentRef"] = f"r-{node.region}"
        glyph = _sub(map_el, "glyph", attrs)
        facts = [f"mkdocs-mechanisms kind: {node.kind}"]
        on = pathway.cell_of(node)
        if on is not None:
            facts.append(f"on: {terms[on[1]].term if on[1] is not None and on[1] in terms else on[0]}")
        if node.term:
            facts.append(f"glossary term: {node.term}")
        if node.note:
            facts.append(node.note)
        _notes(glyph, ". ".join(facts))
        _annotation(glyph, gid, ids.node_identifiers(node, terms))
        _sub(glyph, "label", text=node.label)
        box = layout.nodes.get(node.id) or _fallback_box(index)
        if draw is not None and draw.holds:  # the cell's own activity sits in its container's label strip
            box = Box(box.x + 8, box.y + 4, min(box.w - 16, 120.0), 24.0)
        _bbox(glyph, box)
        if entity is not None:
            unit = _sub(glyph, "glyph", {"class": "unit of information", "id": f"u-{node.id}"})
            _sub(unit, "entity", name=entity)
            _bbox(unit, Box(box.x + 6, max(0.0, box.y - 6), min(40.0, box.w / 2), 12.0))

    for index, edge in enumerate(pathway.edges, start=1):
        arc = _sub(
            map_el,
            "arc",
            {
                "class": ARC_OF_RELATION[edge.rel],
                "id": f"e{index}",
                "source": f"n-{edge.source}",
                "target": f"n-{edge.target}",
            },
        )
        text = f"Step {index}: {RELATIONS[edge.rel].meaning} (mkdocs-mechanisms relation: {edge.rel})"
        certainty = pathway.certainty_of(edge)
        if certainty:
            hedge = CERTAINTIES[certainty].hedge
            text += f". Certainty: {certainty}" + (f", “{hedge}”" if hedge else "")
            evidence = pathway.evidence_of(edge)
            text += f" ({', '.join(evidence)})" if evidence else ""
        if edge.cite:
            text += ". Sources: " + ", ".join(edge.cite)
        if edge.note:
            text += ". " + edge.note
        _notes(arc, text)
        _annotation(arc, f"e{index}", pathway.evidence_of(edge), "hasProperty")
        line = layout.edges.get(f"e{index}")
        if line is None:
            a = layout.nodes.get(edge.source) or _fallback_box(0)
            b = layout.nodes.get(edge.target) or _fallback_box(1)
            line = ((a.x + a.w / 2, a.y + a.h / 2), (b.x + b.w / 2, b.y + b.h / 2))
        _sub(arc, "start", x=_point(line[0][0]), y=_point(line[0][1]))
        _sub(arc, "end", x=_point(line[1][0]), y=_point(line[1][1]))

    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def export_sbgn(pid: str, sources: Sources, graph: DrawGraph, svg: str) -> str:
    """``pathways/<id>.sbgn`` for a rendered pathway of a site."""
    return pathway_sbgn(sources.pathways[pid], graph, sources.terms, layout_from_svg(svg))
