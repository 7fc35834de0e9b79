"""Step numbers sit by their own arrows, and nodes sit wholly in or out of each region, on phones and laptops."""

from __future__ import annotations

import pytest

from .conftest import goto, only_on_mkdocs

pytestmark = pytest.mark.browser

FIGURE_PAGES = ["", "ketamine/", "psilocybin/", "common-mechanisms/"]

NEAR_PX = 16
"""The farthest a step number may sit from its own arrow, in CSS px on screen."""

#: Per visible figure SVG, in CSS px on screen: each step number's distance to its own edge's path
#: (sampled along it), what else its box overlaps (an arrowhead, a node, another step number), and
#: every node whose box crosses a region's or cell's border (in it and out of it at once).
PLACEMENT = r"""() => {
  const rect = (el) => el.getBoundingClientRect();
  const meets = (a, b, pad = 0) => a.left < b.right - pad && b.left < a.right - pad &&
                                  a.top < b.bottom - pad && b.top < a.bottom - pad;
  const depth = (a, b) => Math.min(Math.min(a.right, b.right) - Math.max(a.left, b.left),
                                   Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top));
  const within = (a, b) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5 &&
                           a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
  const toRect = (p, r) => Math.hypot(Math.max(r.left - p.x, 0, p.x - r.right),
                                      Math.max(r.top - p.y, 0, p.y - r.bottom));
  const name = (g) => g.id.replace(/^mfig\d+-/, "") || (g.querySelector("title") || g).textContent.trim();
  return Array.from(document.querySelectorAll('figure.mechanisms-figure')).map(fig => {
    const svg = Array.from(fig.querySelectorAll('.mechanisms-diagram > svg'))
      .find(s => s.getClientRects().length);
    const edges = Array.from(svg.querySelectorAll('g.edge'));
    const nodes = Array.from(svg.querySelectorAll('g.node')).map(n => ({name: name(n),
      box: rect(n.querySelector('polygon, ellipse, path') || n), whole: rect(n)}));
    const heads = edges.flatMap(e => Array.from(e.querySelectorAll('polygon, polyline'))
      .map(h => ({edge: name(e), box: rect(h)})));
    const labels = edges.filter(e => e.querySelector('text')).map(e => {
      const path = e.querySelector('path:not(.mechanisms-hit)');
      const box = rect(e.querySelector('text'));
      const m = path.getScreenCTM(), length = path.getTotalLength();
      let far = Infinity;
      for (let i = 0; i <= 200; i++) {
        const p = path.getPointAtLength(length * i / 200);
        const q = new DOMPoint(p.x, p.y).matrixTransform(m);
        far = Math.min(far, toRect(q, box));
      }
      return {edge: name(e), text: e.querySelector('text').textContent.trim(), box, far};
    });
    const out = {id: fig.id, svg: svg.getAttribute('class'), labels: [], straddle: []};
    for (const l of labels) {
      const on = [];
      heads.filter(h => meets(l.box, h.box, 0.5)).forEach(h => on.push('arrowhead of ' + h.edge + ' by ' + depth(l.box, h.box).toFixed(1)));
      nodes.filter(n => meets(l.box, n.box, 0.5)).forEach(n => on.push('node ' + n.name));
      labels.filter(o => o !== l && meets(l.box, o.box, 0.5)).forEach(o => on.push('label ' + o.text));
      out.labels.push({edge: l.edge, text: l.text, far: l.far, on});
    }
    svg.querySelectorAll('g.cluster').forEach(c => {
      const border = rect(c.querySelector('path, polygon'));
      nodes.filter(n => meets(n.box, border, 0.5) && !within(n.box, border))
        .forEach(n => out.straddle.push(`${n.name} across ${name(c)}`));
    });
    return out;
  });
}"""


def placement_problems(page, where: str) -> list[str]:
    """Step numbers far from or on top of something, and nodes across a border, one line each."""
    problems = []
    figures = page.evaluate(PLACEMENT)
    assert figures, f"{where}: no figure"
    for fig in figures:
        at = f"{where} #{fig['id']}"
        for label in fig["labels"]:
            if label["far"] > NEAR_PX:
                problems.append(f"{at}: step {label['text']} is {label['far']:.0f} px from its arrow")
            problems += [f"{at}: step {label['text']} lies on the {o}" for o in label["on"]]
        problems += [f"{at}: {s}" for s in fig["straddle"]]
    return problems


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1440, 900)], ids=["phone", "laptop"])
def test_step_numbers_sit_by_their_arrows_and_nodes_keep_to_their_regions(
    page_factory, server, base_url, width, height
):
    only_on_mkdocs(server)
    phone = width < 600
    page = page_factory(viewport={"width": width, "height": height}, has_touch=phone, is_mobile=phone)
    problems = []
    for path in FIGURE_PAGES:
        goto(page, base_url, path)
        problems += placement_problems(page, f"{path or 'home'} at {width}px")
    numbers = page.evaluate("() => document.querySelectorAll('.mechanisms-diagram svg .edge text').length")
    assert numbers > 5, "the comparison page's cascade draws its step numbers"  # the check is not empty
    assert not problems, "\n".join(problems)
