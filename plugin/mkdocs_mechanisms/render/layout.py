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

Drawing every candidate costs a cold build far more than Graphviz's time for the
layouts it keeps, so the search draws only those a size model (:mod:`.predict`)
predicts legible, and learns the model's error for each graph from what it drew.

When the wide layout cannot meet the phone rule, a second, narrow layout is
kept for phones (``NARROW`` suffix); the page shows one or the other by the
width of the figure's box.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace

from ..errors import Problem
from .dot import to_dot
from .graph import DrawGraph, fold_dead_ends
from .labels import misplaced_labels
from .predict import NodeMemo, forget, predict
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

    def dot(
        self,
        graph: DrawGraph,
        floating: frozenset[str] = frozenset(),
        memo: dict[tuple[str, int], str] | None = None,
    ) -> str:
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
            memo=memo,
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

Keep = Callable[[str, str], None]
"""Takes a kept layout's DOT and SVG as soon as it is chosen, e.g. :meth:`GraphvizRunner.store`."""

CHUNK = 96
"""Graphs handed to Graphviz at a time while the search writes the rest of a round: two of the
runner's 48-graph ``dot`` processes, so both cores draw while this thread predicts and measures."""


class _Drawing:
    """One round's drawings, handed to ``render`` a chunk at a time as the search writes them.

    Graphviz draws a chunk while this thread predicts the next graphs' candidates instead of
    waiting for the whole round. A graph is drawn the same in any batch (:mod:`.runner`) and
    each graph's search depends only on its own drawings, so the chunks change no layout.
    """

    def __init__(self, render: Render, chunk: int) -> None:
        self.render = render
        self.chunk = max(1, chunk)
        self.waiting: dict[str, str] = {}
        self.sent: list[Future[RenderResult]] = []
        self.pool: ThreadPoolExecutor | None = None

    def add(self, name: str, dot: str) -> None:
        """Draw ``dot`` as ``name``, with the chunk it falls in."""
        self.waiting[name] = dot
        if len(self.waiting) >= self.chunk:
            self._send()

    def _send(self) -> None:
        if self.pool is None:
            self.pool = ThreadPoolExecutor(max_workers=1)  # one chunk at a time: it takes every core
        self.sent.append(self.pool.submit(self.render, self.waiting))
        self.waiting = {}

    def result(self) -> RenderResult:
        """Everything drawn this round (the last chunk is drawn here)."""
        out = RenderResult()
        try:
            parts = [future.result() for future in self.sent]
            if self.waiting:
                parts.append(self.render(self.waiting))
        finally:
            if self.pool is not None:
                self.pool.shutdown(cancel_futures=True)
        self.waiting, self.sent = {}, []
        for part in parts:
            out.svgs.update(part.svgs)
            out.problems.extend(part.problems)
            out.warnings.extend(part.warnings)
        return out


def legible(
    graphs: Mapping[str, DrawGraph],
    render: Render,
    *,
    wide: Sequence[Candidate] = WIDE_CANDIDATES,
    phone: Sequence[Candidate] = PHONE_CANDIDATES,
    rules: tuple[Rule, Rule] = (WIDE, PHONE),
    keep: Keep | None = None,
    chunk: int = CHUNK,
) -> Layouts:
    """Lay out every graph for wide screens and, where that is too wide, for phones.

    Candidates are tried in order, all graphs of a round drawn together (in
    chunks of ``chunk`` as they are written); a graph stops at its first legible
    layout. Only candidates the size model (:mod:`.predict`) aims at are drawn,
    at most :data:`TRIES` per graph and rule. A graph no drawn candidate makes
    legible keeps the one with the largest text. With ``keep``, each kept
    layout's SVG goes to it as soon as it is chosen instead of into
    :attr:`Layouts.svgs`: a cold build does not hold every diagram's SVG at once.
    """
    out = Layouts()
    wide_rule, phone_rule = rules
    panelled = {n: g for n, g in graphs.items() if g.panels}
    span_rule = SPAN if wide_rule == WIDE else wide_rule
    fixes: dict[str, tuple[float, float]] = {}  # the size model's error per graph, learnt as it goes
    search = functools.partial(_choose, render=_Chunked(render, chunk), out=out, keep=keep, fixes=fixes)
    chosen = search({n: g for n, g in graphs.items() if n not in panelled}, candidates=wide, rule=wide_rule)
    chosen |= search(panelled, candidates=wide, rule=span_rule)
    needs_phone = {n: graphs[n] for n, m in chosen.items() if not m.meets(phone_rule)}
    floors = {name: chosen[name].text_px(phone_rule) for name in needs_phone}
    search(needs_phone, candidates=phone, rule=phone_rule, suffix=NARROW, floors=floors)
    forget()
    return out


@dataclass(frozen=True)
class _Chunked:
    """A render and the chunk size its rounds are handed to it in."""

    render: Render
    chunk: int

    def drawing(self) -> _Drawing:
        return _Drawing(self.render, self.chunk)


AIM = 0.85
"""A candidate is drawn only if the layout predicted for it would be legible even at this share of
its predicted size: :mod:`.predict` is off by less than this for most figures (measured on the
article and the benchmark sites), so a candidate it rules out is very rarely one Graphviz would
have made legible."""

TRIES = 3
"""Candidates drawn for one graph and rule at most; then the one with the largest text is kept."""

PROBES = 2
"""The last candidates of each list are its tightest: with the first, they tell whether any can be legible."""


@dataclass
class _Search:
    """One graph's search for one rule: where it is in the candidate list and the best layout so far."""

    graph: DrawGraph
    at: int = 0
    tries: int = 0
    best: tuple[Measure, str, str, int] | None = None
    """(measure, SVG, DOT, candidate index) of the drawn layout with the largest text."""
    predicted: dict[int, tuple[Measure, str]] = field(default_factory=dict)
    """The model's measure (uncorrected) and the DOT text of each candidate looked at."""
    memo: dict[tuple[str, int], str] = field(default_factory=dict)
    """Each node's DOT attributes by (id, wrap): written once for all the candidates looked at."""
    drawn: dict[bytes, Measure] = field(default_factory=dict)
    """What Graphviz drew for each DOT text drawn so far, by its digest."""
    boxes: NodeMemo = field(default_factory=dict)
    """Each node's predicted box by its label: measured once for all the candidates looked at."""
    fix: tuple[float, float] = (1.0, 1.0)
    """What Graphviz drew ÷ what the model predicted for this graph, across and along the ranks:
    the model's error is mostly the graph's own (its clusters), so one drawing corrects the rest."""

    def predict(self, index: int, candidate: Candidate) -> tuple[Measure, str]:
        """The predicted measure (corrected by :attr:`fix`) and the DOT text of candidate ``index``."""
        if index not in self.predicted:
            dot = candidate.dot(self.graph, memo=self.memo)
            size = predict(dot, memo=self.boxes)
            self.predicted[index] = (Measure(size.width_pt, size.height_pt, size.label_pt, size.text_pt), dot)
        raw, dot = self.predicted[index]
        across, along = self.fix if candidate.rankdir != "LR" else self.fix[::-1]
        return replace(raw, width_pt=raw.width_pt * across, height_pt=raw.height_pt * along), dot

    def done(self) -> None:
        """Let go of what only the search needed (every candidate's DOT text, the memos): a cold
        build searches for every graph at once, and most are done after one drawing."""
        self.predicted, self.memo, self.boxes, self.drawn = {}, {}, {}, {}

    def learn(self, index: int, candidate: Candidate, drawn: Measure) -> None:
        """Correct the model for this graph by what Graphviz drew for candidate ``index``."""
        raw = self.predicted[index][0]
        if raw.width_pt <= 0 or raw.height_pt <= 0:
            return
        wide, high = drawn.width_pt / raw.width_pt, drawn.height_pt / raw.height_pt
        self.fix = (wide, high) if candidate.rankdir != "LR" else (high, wide)

    def aimed(self, index: int, candidates: Sequence[Candidate], rule: Rule) -> bool:
        """Whether candidate ``index`` is predicted legible, with :data:`AIM`'s margin for the model's error."""
        guess = self.predict(index, candidates[index])[0]
        return replace(guess, width_pt=guess.width_pt * AIM, height_pt=guess.height_pt * AIM).meets(rule)

    def next(self, candidates: Sequence[Candidate], rule: Rule, floor: float) -> tuple[int, str] | None:
        """The next candidate worth drawing, with its DOT; ``None`` when the search is over.

        In order of preference, the first predicted to be legible. When none is, the one
        predicted to show the largest text, and only if it is predicted to beat ``floor``
        (the text, in CSS px, of what the page shows otherwise). The lists end with their
        tightest layouts, so when neither the first nor those are in reach, the candidates
        between are not looked at.
        """
        if self.tries >= TRIES:
            return None
        probes = sorted({0, *range(max(0, len(candidates) - PROBES), len(candidates))})
        if self.best is None and self.at == 0 and not any(self.aimed(i, candidates, rule) for i in probes):
            self.at = len(candidates)  # the first and the tightest are out of reach: so is the rest
        while self.at < len(candidates):
            index, self.at = self.at, self.at + 1
            if self.aimed(index, candidates, rule):
                return index, self.predict(index, candidates[index])[1]
        if self.best is not None:
            return None
        index = max(self.predicted, key=lambda i: (self.predict(i, candidates[i])[0].text_px(rule), -i))
        guess, dot = self.predict(index, candidates[index])
        return (index, dot) if guess.text_px(rule) > floor else None


def _digest(dot: str) -> bytes:
    return hashlib.blake2b(dot.encode("utf-8"), digest_size=16).digest()


def _choose(
    graphs: Mapping[str, DrawGraph],
    render: _Chunked,
    candidates: Sequence[Candidate],
    rule: Rule,
    out: Layouts,
    *,
    suffix: str = "",
    floors: Mapping[str, float] | None = None,
    fixes: dict[str, tuple[float, float]],
    keep: Keep | None = None,
) -> dict[str, Measure]:
    """Each graph's first legible candidate, drawing only those the size model aims at.

    All graphs of a round are drawn together, in chunks as they are written. A graph that no
    drawn candidate makes legible keeps the drawn one with the largest text. Step numbers are
    placed on the layouts kept, once (:func:`_place_numbers`). A graph with ``floors`` keeps
    its layout only if it shows larger text than that (a phone layout no better than the wide
    one is not kept: one SVG is enough).
    """
    searches = {name: _Search(graph, fix=fixes.get(name, (1.0, 1.0))) for name, graph in graphs.items()}
    todo = dict(searches)
    first = True
    while todo:
        aimed: dict[str, tuple[int, str]] = {}
        seen: dict[str, Measure | None] = {}
        drawing = render.drawing()
        for name, search in list(todo.items()):
            found = search.next(candidates, rule, (floors or {}).get(name, 0.0))
            if found is None:
                todo.pop(name).done()
                continue
            aimed[name] = found
            # Candidates that differ only where a graph has nothing to change (no fan to fold, no
            # side branch) give it the same DOT: what Graphviz drew for it is known already.
            seen[name] = search.drawn.get(_digest(found[1]))
            if seen[name] is None:
                drawing.add(name, found[1])
        if not todo:
            break
        result = drawing.result()
        if first:
            out.problems.extend(result.problems)
            out.warnings.extend(result.warnings)
            first = False
        for name in list(todo):
            search, (index, dot) = todo[name], aimed[name]
            search.tries += 1
            known = seen[name]
            if known is not None:  # neither legible nor larger than the best then, so only the model learns
                search.learn(index, candidates[index], known)
                continue
            svg = result.svgs.pop(name, None)  # measured once: the round's other drawings need not wait
            if svg is None:
                todo.pop(name).done()  # Graphviz failed: reported in the first round
                continue
            m = measure(svg)
            search.drawn[_digest(dot)] = m
            search.learn(index, candidates[index], m)
            if search.best is None or m.text_px(rule) > search.best[0].text_px(rule) or m.meets(rule):
                search.best = (m, svg, dot, index)
            if m.meets(rule):
                todo.pop(name).done()
    fixes.update((name, search.fix) for name, search in searches.items())
    kept = {name: search.best for name, search in searches.items() if search.best is not None}
    placed = _place_numbers(
        {name: (graphs[name], candidates[best[3]], best[1]) for name, best in kept.items()}, render
    )
    chosen: dict[str, Measure] = {}
    for name in list(kept):
        m, svg, dot, _ = kept.pop(name)  # let go of each SVG once it is kept
        if name in placed:
            floated, floated_dot = placed.pop(name)
            again = measure(floated)
            if again.meets(rule) or not m.meets(rule):  # never trade legibility for a placed number
                m, svg, dot = again, floated, floated_dot
        searches[name].best = None
        if floors is not None and name in floors and m.text_px(rule) <= floors[name]:
            continue
        if keep is None:
            out.svgs[name + suffix] = svg
        else:
            keep(dot, svg)
        out.dots[name + suffix] = dot
        out.measures[name + suffix] = m
        chosen[name] = m
    return chosen


def _place_numbers(
    kept: Mapping[str, tuple[DrawGraph, Candidate, str]], render: _Chunked
) -> dict[str, tuple[str, str]]:
    """Redraw, with their numbers floated, the kept layouts that left a step number off its arrow.

    Dot places a label before an edge is clipped at a cell's border and may leave it inside the
    cell or under the arrowhead; an ``xlabel`` is placed by the drawn line. The redrawn layout
    (SVG, DOT by name) is returned only where it misplaces fewer numbers.
    """
    numbered = {  # only numbers can be misplaced: figures without them (neighbourhoods) are not read again
        name
        for name, (graph, _, _) in kept.items()
        if any(e.step is not None or e.attrs.get("label") for e in graph.edges)
    }
    stray: dict[str, set[str]] = {}
    redo: dict[str, str] = {}
    drawing = render.drawing()
    for name in (n for n in kept if n in numbered):
        graph, candidate, svg = kept[name]
        stray[name] = ids = misplaced_labels(svg)
        if ids:
            redo[name] = candidate.dot(graph, frozenset(ids))
            drawing.add(name, redo[name])
    if not redo:
        return {}
    again = drawing.result().svgs
    return {
        name: (svg, redo[name])
        for name, svg in again.items()
        if len(misplaced_labels(svg)) < len(stray[name])
    }
