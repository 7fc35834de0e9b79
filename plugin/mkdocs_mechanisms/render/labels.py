"""Find step numbers that Graphviz left away from their own arrow, or on an arrowhead.

Dot places an edge's ``label`` on the edge's route *before* an edge that
meets a cell (``lhead``/``ltail``) is clipped at the cell's border, so the
number can be left inside the cell, far from the drawn line, or under the
arrowhead that now sits on the border. A short edge can also end its
arrowhead beside its label. The layout (:mod:`.layout`) draws such an edge's
number as an ``xlabel`` instead, which Graphviz places by the drawn line.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

_SVG = "{http://www.w3.org/2000/svg}"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")

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


def _bezier(d: str, steps: int = 12) -> list[Point]:
    """Points along Graphviz's path ``M x,y C x,y x,y x,y …`` (cubic pieces only)."""
    values = _numbers(d)
    pts = list(zip(values[0::2], values[1::2], strict=False))
    if not pts:
        return []
    out = [pts[0]]
    for i in range(1, len(pts) - 2, 3):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for k in range(1, steps + 1):
            t = k / steps
            a, b, c, e = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t**2, t**3
            out.append(
                (
                    a * p0[0] + b * p1[0] + c * p2[0] + e * p3[0],
                    a * p0[1] + b * p1[1] + c * p2[1] + e * p3[1],
                )
            )
    return out


def _box(points: list[Point]) -> Box:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def _text_box(text: ET.Element) -> Box:
    """The label's box from its anchor, font size and length (Graphviz centres edge labels)."""
    x, y = float(text.get("x", "0")), float(text.get("y", "0"))
    size = float(text.get("font-size", "10"))
    half = len((text.text or "").strip()) * CHAR_WIDTH * size / 2
    return x - half, y - 0.75 * size, x + half, y + 0.05 * size


def edge_shapes(svg: str) -> list[EdgeShape]:
    """Every edge of a Graphviz SVG that has a line."""
    shapes = []
    for group in ET.fromstring(svg).iter(_SVG + "g"):
        if (group.get("class") or "").split()[:1] != ["edge"]:
            continue
        paths = list(group.iter(_SVG + "path"))
        line = [pt for p in paths for pt in _bezier(p.get("d", ""))]
        if not line:
            continue
        heads = []
        for poly in itertools.chain(group.iter(_SVG + "polygon"), group.iter(_SVG + "polyline")):
            values = _numbers(poly.get("points", ""))
            heads.append(_box(list(zip(values[0::2], values[1::2], strict=False))))
        text = next(group.iter(_SVG + "text"), None)
        label = _text_box(text) if text is not None else None
        shapes.append(EdgeShape(group.get("id", ""), line, heads, label))
    return shapes


def _gap(point: Point, box: Box) -> float:
    dx = max(box[0] - point[0], 0.0, point[0] - box[2])
    dy = max(box[1] - point[1], 0.0, point[1] - box[3])
    return float((dx * dx + dy * dy) ** 0.5)


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def misplaced_labels(svg: str, far_pt: float = FAR_PT) -> set[str]:
    """Ids of edges whose number is more than ``far_pt`` from its own line or lies on an arrowhead."""
    shapes = edge_shapes(svg)
    heads = [h for s in shapes for h in s.heads]
    return {
        s.id
        for s in shapes
        if s.label is not None
        and (min(_gap(p, s.label) for p in s.line) > far_pt or any(_overlap(s.label, h) for h in heads))
    }
