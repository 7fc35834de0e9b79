"""Predict the size of a layout from its DOT text, before (instead of) asking Graphviz.

The layout search (:mod:`.layout`) tries candidate layouts until one is
legible at the width it is shown. Graphviz's time and the work around each
try (writing the DOT, measuring the SVG) are the cost of a cold build, so the
search asks this model first and only draws the candidates it predicts can be
legible, or, when none can, the one predicted to show the largest text.

The model follows what ``dot`` does with the text :func:`.dot.to_dot` wrote:
node boxes from their label lines (DejaVu Sans widths, node margins, minimum
sizes, ellipses around their text), ranks by longest path (``minlen``, flat
``rank=same`` rows, invisible stacking edges; edge labels double the ranks and
halve ``ranksep``, as ``dot`` does), the widest rank across and the ranks
down, plus what each nesting of clusters adds around them. It is a model, not
a layout: :data:`.layout.AIM` says how far off it may be before a candidate is
skipped, and every layout kept is still measured from what Graphviz drew.
"""

from __future__ import annotations

import functools
import html
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

CHAR_EM = 0.6
"""Mean advance of a label character in DejaVu Sans, in ems."""
LINE_EM = 1.2
"""Line height, in ems."""
MIN_WIDTH_PT, MIN_HEIGHT_PT = 54.0, 36.0
"""Graphviz's default smallest node (0.75 × 0.5 in)."""
ELLIPSE = 2**0.5
"""An ellipse drawn around a text box is this much larger each way."""

_GRAPH = re.compile(r"rankdir=(\w+).*?nodesep=([\d.]+), ranksep=([\d.]+)")
_MARGIN = re.compile(r'margin="([\d.]+),([\d.]+)"')
_EDGE_FONT = re.compile(r"edge \[.*?fontsize=(\d+)")
_NODE = re.compile(r"^\s*(n\d+) \[.*?label=<(.*)>, shape=(\w+)")
_EDGE = re.compile(r"^\s*(n\d+) -> (n\d+) \[(.*)\];$")
_SAME = re.compile(r"^\s*\{ rank=same; (.*); \}$")
_CLUSTER_MARGIN = re.compile(r"^\s*graph \[margin=([\d.]+)|, margin=([\d.]+)")
_CLUSTER_LABEL = re.compile(r'label=<.*?POINT-SIZE="(\d+)"|fontsize=(\d+)')
_CLUSTER_OPEN = ("{ subgraph cluster", "subgraph cluster")
"""A cluster's first line: alone in an anonymous subgraph as :func:`.dot.to_dot` writes it, or bare."""
_CLUSTER_CLOSE = ("} }", "}")
_TAG = re.compile(r"<[^>]*>")
_FONT_SMALL = re.compile(r'<FONT POINT-SIZE="(\d+)">(.*?)</FONT>')
_LINE_BREAK = re.compile(r"<BR/>|</TR>")
_MARK = re.compile(r'(?:^|, )(x?label)="([^"]*)"')


@dataclass(frozen=True)
class Size:
    """A predicted natural size, in points (as Graphviz's ``viewBox``), and the smallest font sizes drawn."""

    width_pt: float
    height_pt: float
    label_pt: float
    text_pt: float


@dataclass
class _Box:
    width: float
    height: float
    clusters: tuple[int, ...] = ()


@functools.lru_cache(maxsize=8192)
def _line(line: str) -> tuple:  # type: ignore[type-arg]
    """What one DOT line says to the model, read once: each candidate the search predicts writes
    most lines again as they were (long ones: tooltips, links), and regexes cost more than a lookup.

    ``("open",)``, ``("close",)``, ``("graph", margin, font)`` for a cluster's attributes,
    ``("node", name, label, shape)``, ``("edge", tail, head, minlen, invisible, marked, label)``,
    ``("same", names)``, or ``()`` for a line the model does not read.
    """
    stripped = line.strip()
    if stripped.startswith(_CLUSTER_OPEN):
        return ("open",)
    if stripped in _CLUSTER_CLOSE:
        return ("close",)
    if stripped.startswith("graph ["):
        found = _CLUSTER_MARGIN.search(stripped)
        sized = _CLUSTER_LABEL.search(stripped)
        pt = float(next(g for g in sized.groups() if g)) if sized else 10.0
        return ("graph", float(found.group(1) or found.group(2)) if found else 8.0, pt)
    node = _NODE.match(line)
    if node is not None:
        return ("node", node.group(1), node.group(2), node.group(3))
    edge = _EDGE.match(line)
    if edge is not None:
        attrs = edge.group(3)
        if "constraint=false" in attrs:
            return ()
        marks = dict(_MARK.findall(attrs))
        minlen = 2 if "minlen=2" in attrs else 1
        return (
            "edge",
            edge.group(1),
            edge.group(2),
            minlen,
            "invis" in attrs,
            bool(marks),
            marks.get("label", ""),
        )
    row = _SAME.match(line)
    return ("same", tuple(row.group(1).split("; "))) if row is not None else ()


def forget() -> None:
    """Let go of the lines and ranks read so far: a search's are no use to the rest of the build
    (the medium benchmark site's 8,192 lines held ~3 MiB until the build ended)."""
    _line.cache_clear()
    _ranks.cache_clear()


def _text_lines(label: str, size: float) -> list[tuple[int, float]]:
    """(characters, font size) of each line of an HTML-like label."""
    lines: list[tuple[int, float]] = []
    smalls: list[tuple[str, float]] = []

    def small(match: re.Match[str]) -> str:
        smalls.append((match.group(2), float(match.group(1))))
        return ""

    main = _FONT_SMALL.sub(small, label)
    for text, font in [(main, size), *smalls]:
        for line in _LINE_BREAK.split(text):
            chars = len(html.unescape(_TAG.sub("", line)).strip())
            if chars:
                lines.append((chars, font))
    return lines


def _node_box(label: str, shape: str, margin: tuple[float, float], size: float) -> tuple[float, float]:
    lines = _text_lines(label, size) or [(1, size)]
    width = max(chars * CHAR_EM * font for chars, font in lines) + 2 * margin[0] * 72
    height = sum(LINE_EM * font for _, font in lines) + 2 * margin[1] * 72
    if shape in ("ellipse", "oval", "circle"):
        width, height = width * ELLIPSE, height * ELLIPSE
    return max(width, MIN_WIDTH_PT), max(height, MIN_HEIGHT_PT)


NodeMemo = dict[tuple[str, str, tuple[float, float], str, float], tuple[float, float, list[float]]]
"""A node's box (across, along the ranks) and small fonts by its label, shape, margin, rankdir and font."""


def predict(dot: str, *, label_pt: float = 11.0, memo: NodeMemo | None = None) -> Size:
    """The natural size ``dot`` is expected to give the DOT text that :func:`.dot.to_dot` wrote.

    ``memo`` keeps each node's box across calls: the layout search predicts several
    layouts of one graph, and most of their node lines are the same.
    """
    known: NodeMemo = {} if memo is None else memo
    head = _GRAPH.search(dot)
    rankdir, nodesep, ranksep = (
        (head.group(1), float(head.group(2)), float(head.group(3))) if head else ("TB", 0.35, 0.45)
    )
    margin_match = _MARGIN.search(dot)
    margin = (float(margin_match.group(1)), float(margin_match.group(2))) if margin_match else (0.11, 0.055)
    edge_font = _EDGE_FONT.search(dot)
    edge_pt = float(edge_font.group(1)) if edge_font else 10.0
    boxes: dict[str, _Box] = {}
    clusters: list[tuple[float, float]] = []
    """Per cluster: its margin and its label's line height (points)."""
    open_clusters: list[int] = []
    edges: list[tuple[str, str, int, bool, str]] = []
    same: list[list[str]] = []
    fonts = [label_pt]
    for line in dot.splitlines():
        kind, *read = _line(line) or ("",)
        if kind == "open":
            open_clusters.append(len(clusters))
            clusters.append((8.0, 0.0))
        elif kind == "close":
            if open_clusters:
                open_clusters.pop()
        elif kind == "graph":
            if open_clusters:
                clusters[open_clusters[-1]] = (read[0], LINE_EM * read[1])
                fonts.append(read[1])
        elif kind == "node":
            name, label, shape = read
            key = (label, shape, margin, rankdir, label_pt)
            if key not in known:
                width, height = _node_box(label, shape, margin, label_pt)
                if rankdir == "LR":
                    width, height = height, width  # across and along the ranks
                smalls = [float(size) for size, _ in _FONT_SMALL.findall(label)]
                known[key] = (width, height, smalls)
            width, height, smalls = known[key]
            fonts.extend(smalls)
            boxes[name] = _Box(width, height, tuple(open_clusters))
        elif kind == "edge":
            tail, head_, minlen, invisible, marked, mark = read
            if marked:
                fonts.append(edge_pt)
            edges.append((tail, head_, minlen, invisible, mark))
        elif kind == "same":
            same.append(list(read[0]))
    width, height = _size(boxes, clusters, edges, same, rankdir, nodesep * 72, ranksep * 72, edge_pt)
    return Size(width, height, label_pt, min(fonts))


def _size(
    boxes: dict[str, _Box],
    clusters: list[tuple[float, float]],
    edges: list[tuple[str, str, int, bool, str]],
    same: list[list[str]],
    rankdir: str,
    nodesep: float,
    ranksep: float,
    edge_pt: float,
) -> tuple[float, float]:
    group = {name: name for name in boxes}
    for row in same:
        for name in row[1:]:
            group[name] = row[0]
    labelled = any(label for *_, label in edges)
    scale = 2 if labelled else 1
    rank = _ranks(
        tuple(boxes),
        tuple((group[a], group[b], m * scale) for a, b, m, _, _ in edges if a in group and b in group),
    )
    by_rank: dict[int, list[_Box]] = defaultdict(list)
    for name, box in boxes.items():
        by_rank[rank.get(group[name], 0)].append(box)
    gap = ranksep / 2 if labelled else ranksep
    label_rank: dict[int, float] = defaultdict(float)
    label_across: dict[int, float] = defaultdict(float)
    for a, b, _, _, label in edges:
        if label and a in group and b in group:
            middle = rank.get(group[a], 0) + 1
            along = LINE_EM * edge_pt if rankdir != "LR" else len(label) * CHAR_EM * edge_pt + 4
            across = len(label) * CHAR_EM * edge_pt + 4 if rankdir != "LR" else LINE_EM * edge_pt
            label_rank[middle] = max(label_rank[middle], along)
            label_across[middle] += across + nodesep
    ranks = sorted(set(by_rank) | set(label_rank))
    along = sum(max([b.height for b in by_rank.get(r, [])] + [label_rank.get(r, 0.0)]) for r in ranks)
    along += gap * max(0, len(ranks) - 1)
    across = _across(boxes, clusters, rank, group, label_across, nodesep)
    depth = max((len(b.clusters) for b in boxes.values()), default=0)
    nest = [c for b in boxes.values() for c in b.clusters]
    along += depth * 2 * 8.0 + sum(clusters[c][1] for c in set(nest)) / max(1, len(set(nest))) * depth
    return (along + 8, across + 8) if rankdir == "LR" else (across + 8, along + 8)


def _across(
    boxes: dict[str, _Box],
    clusters: list[tuple[float, float]],
    rank: Mapping[str, int],
    group: dict[str, str],
    labels: dict[int, float],
    nodesep: float,
) -> float:
    """The widest rank, a cluster taking its whole width on every rank it spans (``dot`` keeps it contiguous)."""
    items: dict[int | None, list[tuple[str, _Box]]] = defaultdict(list)
    parent: dict[int, int | None] = {}
    for name, box in boxes.items():
        items[box.clusters[-1] if box.clusters else None].append((name, box))
        for outer, inner in zip((None, *box.clusters), box.clusters, strict=False):
            parent[inner] = outer
    children: dict[int | None, list[int]] = defaultdict(list)
    for inner, outer in parent.items():
        children[outer].append(inner)

    def span(cluster: int | None) -> tuple[dict[int, float], set[int]]:
        """Width used on each rank inside ``cluster``, and the ranks it spans."""
        rows: dict[int, float] = defaultdict(float)
        spanned: set[int] = set()
        for name, box in items.get(cluster, []):
            r = rank.get(group[name], 0)
            rows[r] += box.width + (nodesep if rows[r] else 0.0)
            spanned.add(r)
        for child in children.get(cluster, []):
            inner, ranks = span(child)
            width = max(inner.values(), default=0.0) + 2 * clusters[child][0]
            ranks = set(range(min(ranks), max(ranks) + 1)) if ranks else ranks
            for r in ranks:
                rows[r] += width + (nodesep if rows[r] else 0.0)
            spanned |= ranks
        return rows, spanned

    rows, _ = span(None)
    for r, extra in labels.items():
        rows[r] += extra
    return max(rows.values(), default=0.0)


@functools.lru_cache(maxsize=64)
def _ranks(names: tuple[str, ...], edges: tuple[tuple[str, str, int], ...]) -> Mapping[str, int]:
    """Longest-path ranks; edges that close a cycle are left out (``dot`` reverses them).

    Found once for all the candidates of a graph that rank it alike (most differ only in
    wrapping and spacing); read only.
    """
    out: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for a, b, minlen in edges:
        if a != b:
            out[a].append((b, minlen))
    order: list[str] = []
    state: dict[str, int] = {}
    back: set[tuple[str, str]] = set()
    for start in names:
        if start in state:
            continue
        stack = [(start, iter(out[start]))]
        state[start] = 1
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                state[node] = 2
                order.append(node)
                stack.pop()
            elif state.get(child[0]) == 1:
                back.add((node, child[0]))
            elif child[0] not in state:
                state[child[0]] = 1
                stack.append((child[0], iter(out[child[0]])))
    rank = dict.fromkeys(names, 0)
    for node in reversed(order):
        for target, minlen in out[node]:
            if (node, target) not in back:
                rank[target] = max(rank.get(target, 0), rank[node] + minlen)
    return rank
