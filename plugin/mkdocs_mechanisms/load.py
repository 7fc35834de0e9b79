"""Pathway files → model, with every mistake located.

Validation collects all problems of a file before raising, so an author
fixes a file in one pass. Cross-file checks (terms, citations) take plain
sets of known names and return problems, leaving the decision to the caller.
Glossary pages are read by :mod:`.termpage`; both read values through :class:`~.checker.Checker`.
"""

from __future__ import annotations

import sys
from collections.abc import Collection
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any, TypeVar

from . import schema
from .checker import Checker
from .errors import MechanismsError, Problem, did_you_mean
from .frontmatter import Located, parse_yaml, read_front_matter
from .model import (
    MAX_REGION_DEPTH,
    NODE_KINDS,
    RELATIONS,
    Edge,
    Node,
    Pathway,
    Region,
)

# The keys of each format are declared once, in `schema`, which also makes the JSON Schemas.
RESERVED_IDS = frozenset({"index", "compare", "readme"})
"""Pathway ids that name the generated pathways index and comparison exports."""
PATHWAY_KEYS = tuple(schema.PATHWAY_KEYS)
REGION_KEYS = tuple(schema.REGION_KEYS)
NODE_KEYS = tuple(schema.NODE_KEYS)
EDGE_KEYS = tuple(schema.EDGE_KEYS)
YAML_SUFFIXES = (".yml", ".yaml")
"""Pathway files written as plain YAML: the caption and explanation go under keys."""


def pathway_id_from_path(path: str) -> str:
    """The default pathway id: the file name without ``.md``."""
    return PurePosixPath(path).stem


def load_pathway(text: str, source: str, *, default_id: str | None = None) -> Pathway:
    """Read one pathway file; raise :class:`MechanismsError` with every problem found.

    Without an ``id:`` key the id is ``default_id`` or else the file name.
    A ``.yml`` file is all YAML; a ``.md`` file is front matter and a body.
    """
    pathway, problems = read_pathway(text, source, default_id=default_id)
    if problems:
        raise MechanismsError(problems)
    assert pathway is not None  # no problems means the file was read
    return pathway


def read_pathway(
    text: str, source: str, *, default_id: str | None = None
) -> tuple[Pathway | None, list[Problem]]:
    """One pathway file and every problem of it, in one pass.

    With problems, the pathway returned holds what could be read (so that the
    glossary terms and citations it names are checked in the same run); it is
    ``None`` only when the front matter itself cannot be read.
    """
    pathway, problems, _ = read_pathway_parts(text, source, default_id=default_id)
    return pathway, problems


def read_pathway_parts(
    text: str, source: str, *, default_id: str | None = None
) -> tuple[Pathway | None, list[Problem], Pathway | None]:
    """:func:`read_pathway`, and what of it can still be drawn (``None``: nothing).

    A mistake inside one node or edge (a bad label, kind, region or relation, an unknown end)
    leaves out only that node or edge, and the edges touching a node left out; an unknown
    key or a bad identifier, certainty or citation key leaves out only that value. Any
    other mistake (the title, the id, regions, cells) keeps the pathway from being drawn.
    """
    try:
        if source.endswith(YAML_SUFFIXES):
            data, body, body_line = _read_yaml_file(text, source), "", 1
        else:
            data, body, body_line = read_front_matter(text, source)
    except MechanismsError as error:
        return None, error.problems, None
    check = Checker(data, source)
    top: dict[str, Any] = data.value
    if not top:
        return (
            None,
            [
                Problem(
                    source,
                    1,
                    "",
                    "empty pathway: no front matter with nodes and edges",
                    "start the file with '---', then 'title:', 'nodes:' and 'edges:'",
                )
            ],
            None,
        )
    check.keys(top, PATHWAY_KEYS, ())
    check.contain(0)  # an unknown key is ignored

    pid = check.text(top, "id", (), required=False) or default_id or pathway_id_from_path(source)
    check.ident(pid, ("id",) if "id" in top else (), "pathway")
    title = check.text(top, "title", (), required=True)
    if not title and ((), "title") in check.misspelt:
        title = pid  # 'titel:' left blank: reported once, as the unknown key
    short = check.text(top, "short", (), required=False)
    since = len(check.problems)
    cite = check.keylist(top, "cite", ())
    certainty = check.certainty(top, ())
    evidence = check.evidence(top, ())
    check.contain(since)  # a bad key or code is left out
    body, body_line = _body_from_keys(top, check, body, body_line)

    regions = _regions(top.get("regions"), check)
    nodes = _nodes(top.get("nodes"), check, regions)
    edges = _edges(top.get("edges"), check, nodes)
    _check_cells(nodes, check)

    pathway = Pathway(
        id=pid,
        title=title,
        short=short,
        source=source,
        nodes=nodes,
        edges=edges,
        regions=regions,
        cite=cite,
        body=body,
        line=1,
        body_line=body_line,
        cite_line=data.line("cite"),
        certainty=certainty,
        evidence=evidence,
    )
    return pathway, check.problems, _drawn_part(pathway, check)


def _drawn_part(pathway: Pathway, check: Checker) -> Pathway | None:
    """The pathway without the nodes and edges left out, if every problem cost only those."""
    if not all(p in check.contained for p in check.problems):
        return None
    nodes = {
        nid: replace(node, on=None) if node.on in check.dropped else node  # its cell is left out
        for nid, node in pathway.nodes.items()
        if nid not in check.dropped
    }
    edges = [e for e in pathway.edges if not any(e is out for out in check.left_out)]
    return replace(pathway, nodes=nodes, edges=edges) if nodes else None


def read_checked_pathway(
    text: str,
    source: str,
    *,
    default_id: str | None,
    terms: Collection[str] | None,
    citations: Collection[str] | None,
) -> tuple[Pathway | None, list[Problem]]:
    """A pathway written in a page's fence and all its problems, its terms and citations included."""
    pathway, problems = read_pathway(text, source, default_id=default_id)
    if pathway is not None:
        problems += check_pathway_refs(pathway, terms=terms, citations=citations)
    return pathway, problems


def _read_yaml_file(text: str, source: str) -> Located:
    data = parse_yaml(text.lstrip("\ufeff"), source, first_line=1)
    if data.value is None:
        return Located({}, {(): 1})
    if not isinstance(data.value, dict):
        raise MechanismsError(Problem(source, 1, "", "a pathway file must be a mapping of keys to values"))
    return data


def _body_from_keys(top: dict[str, Any], check: Checker, body: str, body_line: int) -> tuple[str, int]:
    """``caption:`` and ``explanation:`` as the body (the only way in a .yml file)."""
    caption = check.text(top, "caption", (), required=False)
    explanation = check.text(top, "explanation", (), required=False)
    if not caption and not explanation:
        return body, body_line
    key = "caption" if caption else "explanation"
    if body.strip():
        check.add(
            (key,),
            f"'{key}:' is given and the file also has a body after its front matter",
            "write the caption and explanation in one place: under the keys, or in the body",
        )
    if "\n\n" in caption:
        check.add(("caption",), "the caption must be one paragraph", "move the rest under 'explanation:'")
    if explanation and not caption:
        check.add(("explanation",), "an explanation needs a caption", "add 'caption:' with one paragraph")
    return "\n\n".join(part for part in (caption, explanation) if part) + "\n", check.data.line(key)


def _regions(raw: Any, check: Checker) -> dict[str, Region]:
    if raw is None:
        return {}
    if not check.typed(raw, dict, ("regions",)):
        return {}
    regions: dict[str, Region] = {}
    for rid, spec in raw.items():
        path = ("regions", rid)
        if not check.ident(rid, path, "region"):
            continue
        if isinstance(spec, str):
            spec = {"label": spec}
        if spec is None:
            spec = {}
        if not check.typed(spec, dict, path):
            continue
        check.keys(spec, REGION_KEYS, path)
        label = check.text(spec, "label", path, required=False) or rid.replace("-", " ").capitalize()
        parent = check.text(spec, "parent", path, required=False) or None
        regions[rid] = Region(rid, label, parent, check.data.line(*path))
    for rid, region in regions.items():
        if region.parent is not None and region.parent not in regions:
            check.add(
                ("regions", rid, "parent"),
                f"unknown region '{region.parent}'",
                did_you_mean(region.parent, regions),
            )
    _check_region_cycles(regions, check)
    return regions


def _check_region_cycles(regions: dict[str, Region], check: Checker) -> None:
    reported: set[str] = set()
    for start in regions:
        seen: list[str] = []
        visited: set[str] = set()
        current: str | None = start
        while current is not None and current in regions:
            if current in visited:
                cycle = seen[seen.index(current) :]
                if not reported.intersection(cycle):
                    reported.update(cycle)
                    chain = " → ".join([*cycle, current])
                    check.add(
                        ("regions", current, "parent"),
                        f"regions nest in a cycle: {chain}",
                        "remove one 'parent:' so that the nesting ends at a top-level region",
                    )
                break
            seen.append(current)
            visited.add(current)
            if len(seen) > MAX_REGION_DEPTH + 1 and start in reported:
                break  # already reported as part of a deeper chain
            current = regions[current].parent
        else:
            if len(seen) > MAX_REGION_DEPTH and not reported.intersection(seen):
                reported.update(seen)
                check.add(
                    ("regions", start, "parent"),
                    f"regions nest {len(seen)} deep; at most {MAX_REGION_DEPTH} levels are allowed",
                    "flatten the nesting: a diagram cannot show that many frames",
                )


def _nodes(raw: Any, check: Checker, regions: dict[str, Region]) -> dict[str, Node]:
    if raw is None or raw == {}:
        check.add(
            ("nodes",) if raw is not None else (),
            "empty pathway: no nodes",
            "add a 'nodes:' mapping with at least one node",
        )
        return {}
    if not check.typed(raw, dict, ("nodes",)):
        return {}
    nodes: dict[str, Node] = {}
    for nid, spec in raw.items():
        since = len(check.problems)
        node = _node(nid, spec, check, regions)
        check.contain(since)  # a bad node is left out of the drawing, a bad value of a good one dropped
        if node is not None:
            nodes[node.id] = node
    return nodes


_Name = TypeVar("_Name", str, str | None)


def _name(text: _Name) -> _Name:
    """An id, kind or relation, interned: YAML makes each mention its own string, and a large site
    names the same few thousand ids and kinds hundreds of thousands of times (edges' ends, terms)."""
    return sys.intern(text) if type(text) is str else text


def _node(nid: Any, spec: Any, check: Checker, regions: dict[str, Region]) -> Node | None:
    """One node (``None`` without a usable id); one with a bad label, kind or region is
    recorded in ``check.dropped``: kept for the checks of its terms, left out of the drawing."""
    path = ("nodes", nid)
    if not check.ident(nid, path, "node"):
        return None
    if isinstance(spec, str):
        spec = {"label": spec}
    if not check.typed(spec, dict, path):
        return None
    check.keys(spec, NODE_KEYS, path)
    label = check.text(spec, "label", path, required=True)
    kind = check.text(spec, "kind", path, required=True)
    usable = bool(label and kind)
    if kind and kind not in NODE_KINDS:
        check.add((*path, "kind"), f"unknown node kind '{kind}'", did_you_mean(kind, NODE_KINDS))
        usable = False
    term = check.text(spec, "term", path, required=False) or None
    if term is not None and not check.ident(term, (*path, "term"), "glossary term"):
        term = None  # reported here, not again as an unknown glossary term
    region = check.text(spec, "region", path, required=False) or None
    if region is not None and region not in regions:
        check.add(
            (*path, "region"),
            f"unknown region '{region}'",
            did_you_mean(region, regions) or "declare it under 'regions:'",
        )
        usable = False
    on = check.text(spec, "on", path, required=False) or None
    same_as = check.text(spec, "same-as", path, required=False) or None
    note = check.text(spec, "note", path, required=False)
    curies = check.identifiers(spec, path)
    if not usable:
        check.dropped.add(nid)
    return Node(
        _name(nid),
        label,
        _name(kind),
        _name(term),
        _name(region),
        _name(on),
        _name(same_as),
        note,
        check.data.line(*path),
        curies,
    )


def _check_cells(nodes: dict[str, Node], check: Checker) -> None:
    """``on:`` may name a cell node of the same pathway (drawn as its container)."""
    for node in nodes.values():
        cell = nodes.get(node.on or "")
        if cell is None or cell.id in check.dropped:  # a cell left out is reported once, itself
            continue
        path = ("nodes", node.id, "on")
        if cell.id == node.id:
            check.add(path, f"node '{node.id}' cannot sit on itself", "name the cell it sits on")
        elif cell.kind != "cell":
            check.add(
                path,
                f"'on: {cell.id}' names a node of kind '{cell.kind}', not a cell",
                "name a node with 'kind: cell', or a glossary term",
            )
        elif cell.on:
            check.add(
                ("nodes", cell.id, "on"),
                f"cell '{cell.id}' holds other nodes and cannot sit on another cell",
                "remove its 'on:'",
            )


def _edges(raw: Any, check: Checker, nodes: dict[str, Node]) -> list[Edge]:
    if raw is None:
        return []
    if not check.typed(raw, list, ("edges",)):
        return []
    edges: list[Edge] = []
    for index, spec in enumerate(raw):
        since = len(check.problems)
        edge = _edge(index, spec, check, nodes)
        check.contain(since)  # a bad edge is left out of the drawing, a bad value of a good one dropped
        if edge is not None:
            edges.append(edge)
    return edges


def _edge(index: int, spec: Any, check: Checker, nodes: dict[str, Node]) -> Edge | None:
    """One edge (``None`` if it is no mapping); one with a bad relation or end, or touching a node
    left out, is recorded in ``check.left_out``: its citations are checked, it is not drawn."""
    path = ("edges", index)
    if not check.typed(spec, dict, path):
        return None
    check.keys(spec, EDGE_KEYS, path)
    ends = []
    for key in ("from", "to"):
        value = check.text(spec, key, path, required=True)
        if value and value not in nodes:
            check.add((*path, key), f"unknown node '{value}'", did_you_mean(value, nodes))
        ends.append(value)
    rel = check.text(spec, "rel", path, required=True)
    usable = bool(rel) and all(end in nodes and end not in check.dropped for end in ends)
    if rel and rel not in RELATIONS:
        check.add((*path, "rel"), f"unknown relation '{rel}'", did_you_mean(rel, RELATIONS))
        usable = False
    note = check.text(spec, "note", path, required=False)
    cite = check.keylist(spec, "cite", path)
    certainty = check.certainty(spec, path)
    evidence = check.evidence(spec, path)
    edge = Edge(
        _name(ends[0]),
        _name(ends[1]),
        _name(rel),
        note,
        tuple(map(_name, cite)),
        check.data.line(*path),
        certainty,
        evidence,
    )
    if not usable:
        check.left_out.append(edge)
    return edge


def check_pathway_refs(
    pathway: Pathway, *, terms: Collection[str] | None, citations: Collection[str] | None
) -> list[Problem]:
    """Problems with glossary terms and citation keys a pathway names.

    ``None`` for a collection means "not known on this site" and skips that check.
    """
    problems: list[Problem] = []
    src = pathway.source
    if terms is not None:
        for node in pathway.nodes.values():
            on_term = None if node.on in pathway.nodes else node.on  # a cell node of this pathway
            for key, slug in (("term", node.term), ("on", on_term)):
                if slug and slug not in terms:
                    problems.append(
                        Problem(
                            src,
                            node.line,
                            f"nodes.{node.id}.{key}",
                            f"unknown glossary term '{slug}'",
                            did_you_mean(slug, terms) or "add docs/glossary/" + slug + ".md",
                        )
                    )
    if citations is not None:
        places = [("cite", pathway.cite_line, pathway.cite)]
        places += [(f"edges[{i}].cite", e.line, e.cite) for i, e in enumerate(pathway.edges)]
        for path, line, keys in places:
            for key in keys:
                if key not in citations:
                    problems.append(
                        Problem(
                            src, line, path, f"unknown citation key '{key}'", did_you_mean(key, citations)
                        )
                    )
    return problems
