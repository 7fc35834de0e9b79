"""Same but different: what several pathways share and what each does alone.

Two nodes denote the same thing when they carry the same ``same-as`` key,
or else the same glossary ``term`` on the same ``on`` cell. Nodes without a
term are never shared. An edge is shared when both of its ends are shared
and every pathway has it with the same relation.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .model import Edge, Node, Pathway, Term

EdgeKey = tuple[str, str, str]


def identity(pathway: Pathway, node: Node) -> str:
    """The key under which ``node`` is compared across pathways."""
    if node.same_as:
        return f"same-as:{node.same_as}"
    if node.term:
        cell = pathway.cell_of(node)
        on = (cell[1] or f"{pathway.id}/{node.on}") if cell else ""
        return f"term:{node.term}" + (f"@{on}" if on else "")
    return f"{pathway.id}/{node.id}"


@dataclass
class Part:
    """Nodes and edges of one side of a comparison (shared, or one pathway's own)."""

    nodes: list[tuple[Pathway, Node]] = field(default_factory=list)
    edges: list[tuple[Pathway, Edge]] = field(default_factory=list)


@dataclass
class Comparison:
    """The result of :func:`compare`; ``shared`` nodes/edges come from the first pathway."""

    pathways: list[Pathway]
    shared: Part
    only: dict[str, Part]
    node_keys: dict[tuple[str, str], str]

    def key(self, pathway: Pathway, node_id: str) -> str:
        """The identity key of a node of one of the compared pathways."""
        return self.node_keys[(pathway.id, node_id)]

    def edge_key(self, pathway: Pathway, edge: Edge) -> EdgeKey:
        """The identity of an edge: its ends' keys and its relation."""
        return (self.key(pathway, edge.source), self.key(pathway, edge.target), edge.rel)

    @property
    def name(self) -> str:
        """``a--b``: the export's file name stem (shortened with a hash when it would be too long)."""
        joined = "--".join(p.id for p in self.pathways)
        if len(joined) <= 120:
            return joined
        return joined[:100].rstrip("-") + "-" + hashlib.sha256(joined.encode()).hexdigest()[:12]

    def to_json(self) -> dict[str, object]:
        """The ``pathways/compare/<a>--<b>.json`` document."""

        def node(p: Pathway, n: Node) -> dict[str, object]:
            return {"id": self.key(p, n.id), "label": n.label, "kind": n.kind, "term": n.term, "on": n.on}

        def edge(p: Pathway, e: Edge) -> dict[str, object]:
            src, tgt, rel = self.edge_key(p, e)
            return {"source": src, "target": tgt, "rel": rel, "note": e.note, "cite": list(e.cite)}

        def part(x: Part) -> dict[str, object]:
            return {"nodes": [node(p, n) for p, n in x.nodes], "edges": [edge(p, e) for p, e in x.edges]}

        return {
            "pathways": [p.id for p in self.pathways],
            "shared": part(self.shared),
            "only": {pid: part(x) for pid, x in self.only.items()},
        }

    def shared_chain(self, terms: Mapping[str, Term]) -> list[list[str]]:
        """Shared edges as chains of labels (longest first), for the summary sentence."""
        labels = {self.key(p, n.id): _label(n, terms) for p, n in self.shared.nodes}
        succ: dict[str, list[str]] = {}
        indegree: dict[str, int] = dict.fromkeys(labels, 0)
        for p, e in self.shared.edges:
            src, tgt, _ = self.edge_key(p, e)
            succ.setdefault(src, []).append(tgt)
            indegree[tgt] = indegree.get(tgt, 0) + 1
        chains: list[list[str]] = []
        used: set[tuple[str, str]] = set()
        starts = [k for k in labels if indegree.get(k, 0) == 0 and k in succ] or list(succ)
        for start in starts:
            chain, current = [start], start
            while True:
                nxt = next((t for t in succ.get(current, []) if (current, t) not in used), None)
                if nxt is None or nxt in chain:
                    break
                used.add((current, nxt))
                chain.append(nxt)
                current = nxt
            if len(chain) > 1:
                chains.append([labels[k] for k in chain])
        return sorted(chains, key=len, reverse=True)

    def summary(self, terms: Mapping[str, Term]) -> str:
        """One sentence naming the shared cascade (or saying nothing is shared)."""
        titles = [p.name for p in self.pathways]
        names = " and ".join(titles) if len(titles) == 2 else ", ".join(titles)
        if not self.shared.nodes:
            return f"{names} share nothing: no node of one denotes the same entity as a node of the other."
        chains = self.shared_chain(terms)
        counts = "; ".join(
            f"{len(self.only[p.id].edges)} step{'s' * (len(self.only[p.id].edges) != 1)} only in {p.name}"
            for p in self.pathways
        )
        if not chains:
            shared = ", ".join(_label(n, terms) for _, n in self.shared.nodes)
            return f"{names} involve the same entities ({shared}) but share no step between them; {counts}."
        cascade = "; ".join(" → ".join(chain) for chain in chains)
        return (
            f"Both converge on the shared cascade {cascade}; {counts}."
            if len(titles) == 2
            else f"All converge on the shared cascade {cascade}; {counts}."
        )


def _label(node: Node, terms: Mapping[str, Term]) -> str:
    term = terms.get(node.term or "")
    return term.term if term else node.label


def compare(pathways: Sequence[Pathway]) -> Comparison:
    """Compare two or more pathways (order matters only for naming)."""
    node_keys = {(p.id, n.id): identity(p, n) for p in pathways for n in p.nodes.values()}
    key_sets = [{node_keys[(p.id, n)] for n in p.nodes} for p in pathways]
    shared_keys = set.intersection(*key_sets) if key_sets else set()

    def ekey(p: Pathway, e: Edge) -> EdgeKey:
        return (node_keys[(p.id, e.source)], node_keys[(p.id, e.target)], e.rel)

    edge_sets = [{ekey(p, e) for e in p.edges} for p in pathways]
    shared_edge_keys = (
        {k for k in set.intersection(*edge_sets) if k[0] in shared_keys and k[1] in shared_keys}
        if edge_sets
        else set()
    )

    first = pathways[0]
    shared = Part(
        nodes=[(first, n) for n in first.nodes.values() if node_keys[(first.id, n.id)] in shared_keys],
        edges=[],
    )
    seen: set[EdgeKey] = set()
    for e in first.edges:
        k = ekey(first, e)
        if k in shared_edge_keys and k not in seen:
            seen.add(k)
            shared.edges.append((first, e))
    only = {
        p.id: Part(
            nodes=[(p, n) for n in p.nodes.values() if node_keys[(p.id, n.id)] not in shared_keys],
            edges=[(p, e) for e in p.edges if ekey(p, e) not in shared_edge_keys],
        )
        for p in pathways
    }
    return Comparison(list(pathways), shared, only, node_keys)
