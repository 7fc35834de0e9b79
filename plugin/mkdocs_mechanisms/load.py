"""Pathway and glossary files → model, with every mistake located.

Validation collects all problems of a file before raising, so an author
fixes a file in one pass. Cross-file checks (terms, citations) take plain
sets of known names and return problems, leaving the decision to the caller.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import replace
from pathlib import PurePosixPath
from typing import Any

from . import identifiers as ids
from . import schema
from .cite import valid_key
from .errors import MechanismsError, Problem, closest, did_you_mean
from .frontmatter import Located, format_path, parse_yaml, read_front_matter
from .model import (
    CERTAINTIES,
    ID_PATTERN,
    MAX_ID_LENGTH,
    MAX_REGION_DEPTH,
    NODE_KINDS,
    RELATIONS,
    TERM_KINDS,
    Edge,
    Node,
    Pathway,
    Region,
    Term,
)

# The keys of each format are declared once, in `schema`, which also makes the JSON Schemas.
RESERVED_IDS = frozenset({"index", "compare", "readme"})
"""Pathway ids that name the generated pathways index and comparison exports."""
PATHWAY_KEYS = tuple(schema.PATHWAY_KEYS)
REGION_KEYS = tuple(schema.REGION_KEYS)
NODE_KEYS = tuple(schema.NODE_KEYS)
EDGE_KEYS = tuple(schema.EDGE_KEYS)
TERM_KEYS = tuple(schema.TERM_KEYS)
YAML_SUFFIXES = (".yml", ".yaml")
"""Pathway files written as plain YAML: the caption and explanation go under keys."""

_TYPE_NAMES = {str: "text", list: "a list", dict: "a mapping", bool: "true or false"}
_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17)
)
NONCHARACTER = re.compile(f"[{_NONCHARACTERS}\ud800-\udfff]")
"""Unicode noncharacters and lone surrogates: YAML escapes (``"\\uFFFF"``) can write them, but no
XML document (an SVG, an SBGN map) may hold them."""
INVISIBLE = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069{_NONCHARACTERS}\ud800-\udfff]"
)
"""Control characters (not valid in XML, so in no SVG), bidirectional overrides, which make
text read differently from how it is stored, and the noncharacters above."""


def character_message(char: str) -> str:
    """What is wrong with one character :data:`INVISIBLE` found."""
    if NONCHARACTER.fullmatch(char):
        return f"Unicode noncharacter U+{ord(char):04X} in text"
    return f"invisible control character U+{ord(char):04X} in text"


class _Checker:
    """Collects problems for one file while reading its front matter."""

    def __init__(self, data: Located, source: str) -> None:
        self.data = data
        self.source = source
        self.problems: list[Problem] = []
        self.misspelt: dict[tuple[tuple[str | int, ...], str], str] = {}
        """Unknown keys that are near misses of a missing key: ``(path, key) → misspelt key``."""
        self.contained: set[Problem] = set()
        self.dropped: set[str] = set()
        """Nodes left out of the drawing for a mistake of their own (an edge touching one too)."""
        self.left_out: list[Edge] = []
        """Edges left out of the drawing for a mistake of their own or of a node they touch."""
        """Problems that cost only their own node, edge or value: the pathway is still drawn."""

    def contain(self, since: int) -> None:
        """Mark every problem found since ``since`` as costing only the thing it was found in."""
        self.contained.update(self.problems[since:])

    def add(self, path: tuple[str | int, ...], message: str, suggestion: str = "") -> None:
        self.problems.append(
            Problem(self.source, self.data.line(*path), format_path(path), message, suggestion)
        )

    def typed(self, value: Any, kind: type, path: tuple[str | int, ...]) -> bool:
        if isinstance(value, kind) and not (kind is str and value == ""):
            return True
        if kind is str and isinstance(value, int | float) and not isinstance(value, bool):
            return True  # a bare number is fine as text (e.g. a label "5")
        shown = "nothing" if value is None else f"{type(value).__name__} {value!r}"[:60]
        self.add(path, f"wrong type: expected {_TYPE_NAMES[kind]}, got {shown}")
        return False

    def text(self, mapping: dict[str, Any], key: str, path: tuple[str | int, ...], *, required: bool) -> str:
        if key not in mapping or mapping[key] is None:
            wrong = self.misspelt.get((path, key)) if required else None
            if wrong is not None:  # reported once, as the unknown key; its value stands in
                return self._quiet_text(mapping[wrong])
            if required:
                self.add(path, f"missing required key '{key}'", f"add '{key}: …'")
            return ""
        value = mapping[key]
        if not self.typed(value, str, (*path, key)):
            return ""
        text = self.clean(str(value), (*path, key))
        if required and not text:
            self.add((*path, key), f"'{key}' is blank", f"write the {key} as text")
        return text

    @staticmethod
    def _quiet_text(value: Any) -> str:
        """A misspelt key's value as text, or ``""``: its one problem is already reported."""
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return INVISIBLE.sub("", str(value)).strip()
        return ""

    def clean(self, text: str, path: tuple[str | int, ...]) -> str:
        """``text`` stripped; an invisible control or bidi character is reported, then dropped."""
        found = INVISIBLE.search(text)
        if found:
            self.add(
                path,
                character_message(found.group()),
                "delete it: it cannot appear in a diagram and may hide what the text says",
            )
            text = INVISIBLE.sub("", text)
        return text.strip()

    def ident(self, value: str, path: tuple[str | int, ...], what: str) -> bool:
        if len(value) > MAX_ID_LENGTH:
            self.add(
                path,
                f"{what} id is {len(value)} characters long; at most {MAX_ID_LENGTH} are allowed",
                "use a shorter id: it becomes part of file names and URLs",
            )
            return False
        if ID_PATTERN.fullmatch(value):
            return True
        self.add(
            path,
            f"invalid {what} id '{value}'",
            "use lower-case letters, digits and single hyphens, e.g. 'nmda-receptor'",
        )
        return False

    def keys(self, mapping: dict[str, Any], allowed: Iterable[str], path: tuple[str | int, ...]) -> None:
        allowed = tuple(allowed)
        for key in mapping:
            if key not in allowed:
                self.add((*path, key), f"unknown key '{key}'", did_you_mean(key, allowed))
                near = closest(str(key), allowed)
                if near is not None and mapping.get(near) is None:
                    self.misspelt.setdefault((path, near), key)

    def keylist(
        self, mapping: dict[str, Any], key: str, path: tuple[str | int, ...], *, citations: bool = True
    ) -> tuple[str, ...]:
        value = mapping.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]  # `cite: key` is read as `cite: [key]`
        elif not self.typed(value, list, (*path, key)):
            return ()
        out = []
        for index, item in enumerate(value):
            where = (*path, key, index)
            if not self.typed(item, str, where):
                continue
            text = self.clean(str(item), where)
            if citations:
                text = text.lstrip("@")
                if not valid_key(text):
                    self.add(
                        where,
                        f"invalid citation key '{text}'",
                        "a key is letters, digits and '_', with ':', '.', '-' or '/' only between them",
                    )
                    continue
            if text:
                out.append(text)
        return tuple(out)

    def identifiers(self, mapping: dict[str, Any], path: tuple[str | int, ...]) -> tuple[str, ...]:
        """CURIEs under ``identifiers:``, each checked against the registry; bad ones become problems."""
        good: list[str] = []
        values = self.keylist(mapping, "identifiers", path, citations=False)
        for index, checked in enumerate(ids.parse_many(values)):
            if isinstance(checked, ids.IdentifierError):
                self.add((*path, "identifiers", index), checked.message, checked.suggestion)
            elif checked.curie not in good:
                good.append(checked.curie)
        return tuple(good)

    def certainty(self, mapping: dict[str, Any], path: tuple[str | int, ...]) -> str:
        """``certainty:`` checked against the fixed vocabulary; ``""`` when absent."""
        value = self.text(mapping, "certainty", path, required=False)
        if value and value not in CERTAINTIES:
            self.add(
                (*path, "certainty"),
                f"unknown certainty '{value}'",
                did_you_mean(value, CERTAINTIES),
            )
            return ""
        return value

    def evidence(self, mapping: dict[str, Any], path: tuple[str | int, ...]) -> tuple[str, ...]:
        """ECO codes under ``evidence:``, each checked against the registry and for its ontology."""
        good: list[str] = []
        values = self.keylist(mapping, "evidence", path, citations=False)
        for index, checked in enumerate(ids.parse_many(values)):
            where = (*path, "evidence", index)
            if isinstance(checked, ids.IdentifierError):
                self.add(where, checked.message, checked.suggestion)
            elif checked.prefix != ids.ECO_PREFIX:
                self.add(
                    where,
                    f"'{checked.curie}' is not an Evidence and Conclusion Ontology code",
                    f"write ECO:nnnnnnn, e.g. '{ids.ECO_EXAMPLE}'; database identifiers go under 'identifiers:'",
                )
            elif checked.curie not in good:
                good.append(checked.curie)
        return tuple(good)


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
    check = _Checker(data, source)
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


def _drawn_part(pathway: Pathway, check: _Checker) -> Pathway | None:
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


def _body_from_keys(top: dict[str, Any], check: _Checker, body: str, body_line: int) -> tuple[str, int]:
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


def _regions(raw: Any, check: _Checker) -> dict[str, Region]:
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


def _check_region_cycles(regions: dict[str, Region], check: _Checker) -> None:
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


def _nodes(raw: Any, check: _Checker, regions: dict[str, Region]) -> dict[str, Node]:
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
            nodes[nid] = node
    return nodes


def _node(nid: Any, spec: Any, check: _Checker, regions: dict[str, Region]) -> Node | None:
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
    return Node(nid, label, kind, term, region, on, same_as, note, check.data.line(*path), curies)


def _check_cells(nodes: dict[str, Node], check: _Checker) -> None:
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


def _edges(raw: Any, check: _Checker, nodes: dict[str, Node]) -> list[Edge]:
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


def _edge(index: int, spec: Any, check: _Checker, nodes: dict[str, Node]) -> Edge | None:
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
    edge = Edge(ends[0], ends[1], rel, note, cite, check.data.line(*path), certainty, evidence)
    if not usable:
        check.left_out.append(edge)
    return edge


def load_term(text: str, source: str) -> Term:
    """Read one glossary page; its slug is the file name. Raises with every problem found."""
    term, problems = read_term(text, source)
    if problems:
        raise MechanismsError(problems)
    assert term is not None  # no problems means the page was read
    return term


def read_term(text: str, source: str) -> tuple[Term | None, list[Problem]]:
    """One glossary page and its problems; a mistake costs only itself.

    A bad identifier, alias, kind or ``link:`` is reported and left out, and the term is still
    defined (so its uses are not each reported as unknown). Only a page without a usable name
    or slug, or whose front matter cannot be read, gives no term.
    """
    try:
        data, body, _ = read_front_matter(text, source)
    except MechanismsError as error:
        return None, error.problems
    check = _Checker(data, source)
    top: dict[str, Any] = data.value
    slug = pathway_id_from_path(source)
    usable = check.ident(slug, (), "glossary term (the file name)")
    check.keys(top, TERM_KEYS, ())
    name = check.text(top, "term", (), required=True)
    kind = check.text(top, "kind", (), required=True)
    if kind and kind not in TERM_KINDS:
        check.add(("kind",), f"unknown term kind '{kind}'", did_you_mean(kind, TERM_KINDS))
        kind = ""
    summary = check.text(top, "summary", (), required=True)
    aliases = check.keylist(top, "aliases", (), citations=False)
    curies = check.identifiers(top, ())
    link = top.get("link", True)
    if not isinstance(link, bool):
        check.add(("link",), f"wrong type: expected true or false, got {link!r}")
        link = True
    if not name and ((), "term") in check.misspelt:
        name = slug  # 'trem:' without a usable value: the term is still defined, by its file name
    if not usable or not name:
        return None, check.problems
    term = Term(
        slug=slug,
        term=name,
        kind=kind or "concept",
        summary=summary or name,
        aliases=aliases,
        body=body,
        source=source,
        line=data.line("term"),
        link=link,
        identifiers=curies,
    )
    return term, check.problems


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
