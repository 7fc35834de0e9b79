"""Legibility as a layout rule: lay a diagram out for the width it is shown at.

A figure is scaled down to fit its column, so its text shrinks with it. At
build time we lay each diagram out in a few ways (orientation, label
wrapping, spacing), measure what Graphviz produced and keep the first layout
whose text, once fitted to the column, is still large enough:

* wide screens: node labels at least 12 CSS px and every text at least
  10 px in a 688 px column (Material's at 1440×900; MkDocs' own theme is wider),
  the whole figure no taller than ``WIDE_HEIGHT_PX`` (a 1440×900 window less the
  site's header and the figure's tool row: the page's CSS caps the figure at that
  height, never below 12 px labels);
* phones: every text at least 10 px in a 335 px column (a 390 px phone in
  Zensical's column, the narrowest of the three; Material's is 350 px).

When the wide layout cannot meet the phone rule, a second, narrow layout is
kept for phones (``NARROW`` suffix); the page shows one or the other by the
width of the figure's box.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from ..errors import Problem
from .dot import to_dot
from .graph import DrawGraph, fold_dead_ends
from .labels import misplaced_labels
from .runner import RenderResult

NARROW = ":narrow"
"""Suffix of the phone layout's name, next to the wide one's."""

PT_TO_PX = 4 / 3
"""Graphviz measures in points; the SVG's natural size is 4/3 px per point."""


@dataclass(frozen=True)
class Rule:
    """Smallest text sizes, in CSS px, once the diagram is fitted to ``column_px`` (and ``height_px``)."""

    column_px: float
    label_px: float
    text_px: float
    height_px: float | None = None
    """The figure is also scaled down to this height (a laptop's window); ``None``: the page scrolls."""


WIDE_HEIGHT_PX = 800
"""900 px window less Material's 48 px header and the diagram's 42 px of tools and padding, rounded down."""

WIDE = Rule(column_px=680, label_px=12, text_px=10, height_px=WIDE_HEIGHT_PX)
SPAN = Rule(column_px=900, label_px=12, text_px=10, height_px=WIDE_HEIGHT_PX)
"""A comparison's panels sit side by side: like a wide figure in a journal it may span into the
margin the table of contents leaves (the page's script widens its box only as far as the window allows)."""
PHONE = Rule(column_px=335, label_px=10, text_px=10)


@dataclass(frozen=True)
class Candidate:
    """One way to lay a diagram out."""

    rankdir: str
    wrap: int
    nodesep: float = 0.35
    fold: bool = False
    """Fold fans of dead-end side branches into one node (:func:`.graph.fold_dead_ends`)."""
    stack: bool = False
    """Put top-level regions (or a comparison's parts) one below the other."""
    compact: bool = False
    """Tighter margins around labels and inside regions and cells."""
    side: bool = False
    """Draw dead-end side branches beside their source rather than below it."""
    ranksep: float = 0.45
    """Room between ranks, in inches: less gives a lower figure for a short window."""

    def dot(self, graph: DrawGraph, floating: frozenset[str] = frozenset()) -> str:
        """The DOT text of ``graph`` laid out this way (``floating``: edges whose number is an ``xlabel``)."""
        drawn = fold_dead_ends(graph) if self.fold else graph
        return to_dot(
            drawn,
            rankdir=self.rankdir,
            wrap=self.wrap,
            nodesep=self.nodesep,
            stack=self.stack,
            compact=self.compact,
            side=self.side,
            ranksep=self.ranksep,
            floating=floating,
        )


WIDE_CANDIDATES: tuple[Candidate, ...] = (
    Candidate("LR", 18),
    Candidate("TB", 18, 0.25, compact=True, ranksep=0.3),
    Candidate("TB", 18),
    Candidate("TB", 18, 0.25, fold=True, compact=True, side=True, ranksep=0.3),
    Candidate("TB", 14, 0.25, fold=True, compact=True, side=True, ranksep=0.3),
    Candidate("TB", 11, 0.25, fold=True, compact=True, side=True, ranksep=0.3),
    Candidate("TB", 11, 0.2, fold=True, compact=True, side=True, ranksep=0.25),
    Candidate("TB", 11, 0.2, fold=True, stack=True),
)
PHONE_CANDIDATES: tuple[Candidate, ...] = (
    Candidate("TB", 14, 0.25, stack=True),
    # distinct nodes stay distinct where they can: folding is the last resort
    Candidate("TB", 11, 0.08, stack=True, compact=True, side=True, ranksep=0.3),
    Candidate("TB", 9, 0.08, stack=True, compact=True, side=True, ranksep=0.3),
    Candidate("TB", 11, 0.2, fold=True, stack=True),
    Candidate("TB", 9, 0.12, fold=True, stack=True),
    Candidate("TB", 9, 0.08, fold=True, stack=True, compact=True),
    Candidate("TB", 9, 0.08, fold=True, stack=True, compact=True, side=True),
    Candidate("TB", 9, 0.08, fold=True, stack=True, compact=True, side=True, ranksep=0.3),
)

_VIEWBOX = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ([\d.]+)"')
_GROUP = re.compile(r'<g id="[^"]*" class="([^"]*)"')
_FONT = re.compile(r'font-size="([\d.]+)"')


@dataclass(frozen=True)
class Measure:
    """What Graphviz drew: natural size in points and the smallest font sizes."""

    width_pt: float
    height_pt: float
    label_pt: float
    text_pt: float

    def scale(self, rule: Rule) -> float:
        """How much the figure shrinks to fit the rule's column and height (never enlarged)."""
        width, height = self.width_pt * PT_TO_PX, self.height_pt * PT_TO_PX
        scale = min(1.0, rule.column_px / width) if width else 1.0
        if rule.height_px and height:
            scale = min(scale, rule.height_px / height)
        return scale

    def label_px(self, rule: Rule) -> float:
        """Node label size on screen, in CSS px."""
        return self.label_pt * PT_TO_PX * self.scale(rule)

    def text_px(self, rule: Rule) -> float:
        """Smallest text size on screen, in CSS px."""
        return self.text_pt * PT_TO_PX * self.scale(rule)

    def meets(self, rule: Rule) -> bool:
        """Whether every text is large enough at the rule's column width."""
        return self.label_px(rule) >= rule.label_px - 0.05 and self.text_px(rule) >= rule.text_px - 0.05


def min_height_px(svg: str, label_px: float = WIDE.label_px) -> float:
    """The lowest the page may draw ``svg`` (keeping its aspect) before node labels fall below ``label_px``."""
    m = measure(svg)
    natural = m.height_pt * PT_TO_PX
    label = m.label_pt * PT_TO_PX
    return natural if label <= label_px or not label else natural * label_px / label


def measure(svg: str) -> Measure:
    """Natural size and smallest node-label and overall font sizes of a Graphviz SVG."""
    box = _VIEWBOX.search(svg)
    width, height = (float(box.group(1)), float(box.group(2))) if box else (0.0, 0.0)
    label = text = 99.0
    spans = [(m.start(), m.group(1)) for m in _GROUP.finditer(svg)] + [(len(svg), "")]
    for (start, classes), (end, _) in itertools.pairwise(spans):
        sizes = [float(f) for f in _FONT.findall(svg, start, end)]
        if not sizes:
            continue
        text = min(text, *sizes)
        if classes.split()[0] == "node":
            label = min(label, *sizes)
    if text == 99.0:
        label = text = 0.0
    return Measure(width, height, label if label != 99.0 else text, text)


@dataclass
class Layouts:
    """The chosen layouts: SVG and DOT by name (``NARROW`` names for phone views)."""

    svgs: dict[str, str] = field(default_factory=dict)
    dots: dict[str, str] = field(default_factory=dict)
    measures: dict[str, Measure] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


Render = Callable[[dict[str, str]], RenderResult]
"""Renders named DOT graphs, e.g. :meth:`GraphvizRunner.render_many`."""


def legible(
    graphs: Mapping[str, DrawGraph],
    render: Render,
    *,
    wide: Sequence[Candidate] = WIDE_CANDIDATES,
    phone: Sequence[Candidate] = PHONE_CANDIDATES,
    rules: tuple[Rule, Rule] = (WIDE, PHONE),
) -> Layouts:
    """Lay out every graph for wide screens and, where that is too wide, for phones.

    Candidates are tried in order, all graphs of a round in one batched
    render; a graph stops at its first legible layout. A graph no candidate
    makes legible keeps the one with the largest text.
    """
    out = Layouts()
    wide_rule, phone_rule = rules
    panelled = {n: g for n, g in graphs.items() if g.panels}
    span_rule = SPAN if wide_rule == WIDE else wide_rule
    chosen = _choose({n: g for n, g in graphs.items() if n not in panelled}, render, wide, wide_rule, out)
    chosen |= _choose(panelled, render, wide, span_rule, out)
    needs_phone = {n: graphs[n] for n, m in chosen.items() if not m.meets(phone_rule)}
    narrow = _choose(needs_phone, render, phone, phone_rule, out, suffix=NARROW)
    for name, m in narrow.items():
        if m.text_px(phone_rule) <= chosen[name].text_px(phone_rule):
            for store in (out.svgs, out.dots, out.measures):
                store.pop(name + NARROW, None)  # no better than the wide one: one SVG is enough
    return out


def _choose(
    graphs: Mapping[str, DrawGraph],
    render: Render,
    candidates: Sequence[Candidate],
    rule: Rule,
    out: Layouts,
    *,
    suffix: str = "",
) -> dict[str, Measure]:
    best: dict[str, tuple[Measure, str, str]] = {}
    todo = dict(graphs)
    for index, candidate in enumerate(candidates):
        if not todo:
            break
        dots = {name: candidate.dot(graph) for name, graph in todo.items()}
        result = render(dots)
        if index == 0:
            out.problems.extend(result.problems)
            out.warnings.extend(result.warnings)
        _place_numbers(todo, candidate, result.svgs, dots, render)
        for name in list(todo):
            svg = result.svgs.get(name)
            if svg is None:
                del todo[name]  # Graphviz failed: reported in the first round
                continue
            m = measure(svg)
            if name not in best or m.text_px(rule) > best[name][0].text_px(rule):
                best[name] = (m, svg, dots[name])
            if m.meets(rule):
                best[name] = (m, svg, dots[name])
                del todo[name]
    for name, (m, svg, dot) in best.items():
        out.svgs[name + suffix] = svg
        out.dots[name + suffix] = dot
        out.measures[name + suffix] = m
    return {name: value[0] for name, value in best.items()}


def _place_numbers(
    graphs: Mapping[str, DrawGraph],
    candidate: Candidate,
    svgs: dict[str, str],
    dots: dict[str, str],
    render: Render,
) -> None:
    """Redraw, with their numbers floated, the layouts that left a step number off its arrow.

    Dot places a label before an edge is clipped at a cell's border and may leave it inside the
    cell or under the arrowhead; an ``xlabel`` is placed by the drawn line. The redrawn layout
    replaces the first (in ``svgs`` and ``dots``) only where it misplaces fewer numbers.
    """
    stray = {name: misplaced_labels(svg) for name, svg in svgs.items() if name in graphs}
    redo = {name: candidate.dot(graphs[name], frozenset(ids)) for name, ids in stray.items() if ids}
    if not redo:
        return
    again = render(redo).svgs
    for name, svg in again.items():
        if len(misplaced_labels(svg)) < len(stray[name]):
            svgs[name], dots[name] = svg, redo[name]
