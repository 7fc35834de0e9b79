"""Find step numbers that Graphviz left away from their own arrow, or on an arrowhead.

Dot places an edge's ``label`` on the edge's route *before* an edge that
meets a cell (``lhead``/``ltail``) is clipped at the cell's border, so the
number can be left inside the cell, far from the drawn line, or under the
arrowhead that now sits on the border. A short edge can also end its
arrowhead beside its label. The layout (:mod:`.layout`) draws such an edge's
number as an ``xlabel`` instead, which Graphviz places by the drawn line.
"""

from __future__ import annotations

import functools
import html
import re
from dataclasses import dataclass

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
_GROUP = re.compile(r'<g\b([^>]*?)\sclass="([^"]*)"([^>]*)>')
"""A group with a class (the link groups inside an edge have none)."""
_ID = re.compile(r'\sid="([^"]*)"')
_ATTR = re.compile(r'([\w:-]+)="([^"]*)"')
_PATH = re.compile(r'<path\b[^>]*?\sd="([^"]*)"')
_POINTS = re.compile(r'<poly(?:gon|line)\b[^>]*?\spoints="([^"]*)"')
_TEXT = re.compile(r"<text\b([^>]*)>([^<]*)</text>")

FAR_PT = 9.0
"""A number farther than this from its own line (box to line, in points) reads as another edge's."""

CHAR_WIDTH = 0.62
"""Width of a digit or "?" in DejaVu Sans, in ems (the layout's font): the label box is estimated from it."""

Box = tuple[float, float, float, float]
Point = tuple[float, float]


@dataclass(frozen=True)
class EdgeShape:
    """What Graphviz drew for one edge: its line's points, arrowhead boxes and label box."""

    id: str
    line: list[Point]
    heads: list[Box]
    label: Box | None


def _numbers(text: str) -> list[float]:
    return [float(n) for n in _NUMBER.findall(text)]


@functools.cache
def _weights(steps: int) -> tuple[tuple[float, float, float, float], ...]:
    """The Bernstein weights of a cubic piece at ``steps`` even steps (the same for every piece)."""
    out = []
    for k in range(1, steps + 1):
        t = k / steps
        out.append(((1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3))
    return tuple(out)


def _bezier(d: str, steps: int = 12) -> list[Point]:
    """Points along Graphviz's path ``M x,y C x,y x,y x,y …`` (cubic pieces only)."""
    values = _numbers(d)
    pts = list(zip(values[0::2], values[1::2], strict=False))
    if not pts:
        return []
    out = [pts[0]]
    weights = _weights(steps)
    for i in range(1, len(pts) - 2, 3):
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        out.extend(
            (a * x0 + b * x1 + c * x2 + e * x3, a * y0 + b * y1 + c * y2 + e * y3) for a, b, c, e in weights
        )
    return out


def _box(points: list[Point]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _text_box(attrs: str, content: str) -> Box:
    """The label's box from its anchor, font size and length (Graphviz centres edge labels)."""
    found = dict(_ATTR.findall(attrs))
    x, y = float(found.get("x", "0")), float(found.get("y", "0"))
    size = float(found.get("font-size", "10"))
    half = len(html.unescape(content).strip()) * CHAR_WIDTH * size / 2
    return x - half, y - 0.75 * size, x + half, y + 0.05 * size


def edge_shapes(svg: str) -> list[EdgeShape]:
    """Every edge of a Graphviz SVG that has a line.

    Read with patterns, not an XML parser: the search reads every kept layout that has
    numbers, and building the element tree of a large SVG cost more than the rest together.
    A group runs to the next group that has a class (the link groups inside an edge have none).
    """
    groups = list(_GROUP.finditer(svg))
    shapes = []
    for group, stop in zip(groups, [*(m.start() for m in groups[1:]), len(svg)], strict=True):
        if group.group(2).split()[:1] != ["edge"]:
            continue
        named = _ID.search(" " + group.group(1) + " " + group.group(3))
        body = svg[group.end() : stop]
        line = [pt for d in _PATH.findall(body) for pt in _bezier(html.unescape(d))]
        if not line:
            continue
        heads = []
        for points in _POINTS.findall(body):
            values = _numbers(html.unescape(points))
            heads.append(_box(list(zip(values[0::2], values[1::2], strict=False))))
        text = _TEXT.search(body)
        label = _text_box(text.group(1), text.group(2)) if text is not None else None
        shapes.append(EdgeShape(html.unescape(named.group(1)) if named else "", line, heads, label))
    return shapes


def _far(line: list[Point], box: Box, far_pt: float) -> bool:
    """Whether every point of ``line`` is more than ``far_pt`` from ``box`` (stops at the first near one)."""
    left, top, right, bottom = box
    for x, y in line:
        dx = left - x if x < left else x - right if x > right else 0.0
        dy = top - y if y < top else y - bottom if y > bottom else 0.0
        if (dx * dx + dy * dy) ** 0.5 <= far_pt:
            return False
    return True


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def misplaced_labels(svg: str, far_pt: float = FAR_PT) -> set[str]:
    """Ids of edges whose number is more than ``far_pt`` from its own line or lies on an arrowhead."""
    shapes = edge_shapes(svg)
    heads = [h for s in shapes for h in s.heads]
    return {
        s.id
        for s in shapes
        if s.label is not None and (any(_overlap(s.label, h) for h in heads) or _far(s.line, s.label, far_pt))
    }
