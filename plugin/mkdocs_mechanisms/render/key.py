"""Small inline glyphs for a figure's key: each relation's line and arrowhead, each kind's shape.

Drawn as the figure draws them (:mod:`.dot`: line style, pen width, arrowhead;
node shape and fill), so that the key sits in the text at the page's own font
size instead of as a scaled-down diagram. Colours come from the page's CSS
(``currentColor`` and the kind's fill variable), so the key follows the
colour scheme like the figure does.
"""

from __future__ import annotations

from ..model import NODE_KINDS, RELATIONS

_DASHES = {"dashed": "5 3", "dotted": "1.5 2.5"}

_HEADS = {
    "normal": '<path d="M33 1 L42 6 L33 11 Z" class="head"/>',
    "empty": '<path d="M33 1 L42 6 L33 11 Z" class="head open"/>',
    "onormal": '<path d="M33 1 L42 6 L33 6 Z" class="head open"/>',
    "tee": '<path d="M40 0 V12" class="bar"/>',
    "teetee": '<path d="M40 0 V12 M36 0 V12" class="bar"/>',
    "normalnormal": '<path d="M26 1 L34 6 L26 11 Z M34 1 L42 6 L34 11 Z" class="head"/>',
    "normalnonetee": '<path d="M34 1 L42 6 L34 11 Z" class="head"/><path d="M28 0 V12" class="bar"/>',
    "odiamond": '<path d="M30 6 L36 1 L42 6 L36 11 Z" class="head open"/>',
}
"""Arrowheads, tip at x = 42 on a 44 × 12 box (Graphviz's names)."""

_SHAPES = {
    "box": '<rect x="2" y="2" width="24" height="12"/>',
    "rounded": '<rect x="2" y="2" width="24" height="12" rx="4"/>',
    "ellipse": '<ellipse cx="14" cy="8" rx="12" ry="6"/>',
    "hexagon": '<path d="M2 8 L7 2 H21 L26 8 L21 14 H7 Z"/>',
    "doubleoctagon": '<path d="M7 2 H21 L26 5 V11 L21 14 H7 L2 11 V5 Z"/>',
}
"""Node outlines on a 28 × 16 box."""


def relation_glyph(rel: str) -> str:
    """A short line in the relation's style ending in its arrowhead."""
    relation = RELATIONS[rel]
    dash = _DASHES.get(relation.style, "")
    width = 2.6 if relation.style == "bold" else 1.4
    end = 33 if relation.arrowhead in {"normal", "empty", "onormal", "normalnonetee"} else 40
    end = {"normalnormal": 26, "odiamond": 30}.get(relation.arrowhead, end)
    line = f'<path d="M2 6 H{end}" class="line" stroke-width="{width}"' + (
        f' stroke-dasharray="{dash}"/>' if dash else "/>"
    )
    head = _HEADS.get(relation.arrowhead, _HEADS["normal"])
    return (
        f'<svg class="mechanisms-glyph rel-{rel}" width="44" height="12" viewBox="0 0 44 12" '
        f'aria-hidden="true" focusable="false">{line}{head}</svg>'
    )


def kind_glyph(kind: str) -> str:
    """A small outline of the kind's shape, filled as in the figure; a cell is a thick rounded container."""
    spec = NODE_KINDS[kind]
    shape = "rounded" if kind == "cell" or "rounded" in spec.style else spec.shape
    outline = _SHAPES.get(shape, _SHAPES["box"])
    styles = [s for s in ("dashed", "bold") if s in spec.style.split(",")] + (
        ["cell"] if kind == "cell" else []
    )
    return (
        f'<svg class="mechanisms-glyph kind-{kind} {" ".join(styles)}" width="28" height="16" '
        f'viewBox="0 0 28 16" aria-hidden="true" focusable="false">{outline}</svg>'
    )
