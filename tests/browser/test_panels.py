"""The comparison as a journal's figure: a panel per pathway, the shared part once, nothing crossing over."""

from __future__ import annotations

import pytest

from .conftest import goto

pytestmark = pytest.mark.browser

#: The comparison figure on screen: each panel's box and name, the points along each pathway's
#: own edges that fall inside another pathway's panel, and the shared nodes' boxes.
PANELS = """() => {
  const fig = document.querySelector('figure.mechanisms-compare');
  const svg = Array.from(fig.querySelectorAll('.mechanisms-diagram > svg')).find(s => s.getClientRects().length);
  const rect = (e) => { const r = e.getBoundingClientRect(); return {l: r.left, t: r.top, r: r.right, b: r.bottom}; };
  const panels = {};
  svg.querySelectorAll('.cluster.mechanisms-panel').forEach(p => {
    const side = Array.from(p.classList).find(c => c.startsWith('only-')).slice(5);
    const frame = p.querySelector('path, polygon');
    panels[side] = {box: rect(frame), name: p.querySelector('text').textContent.trim()};
  });
  const crossings = [];
  svg.querySelectorAll('.edge').forEach(edge => {
    const side = (Array.from(edge.classList).find(c => c.startsWith('only-')) || '').slice(5);
    const path = edge.querySelector('path:not(.mechanisms-hit)');
    const m = path.getScreenCTM(), len = path.getTotalLength();
    for (let d = 0; d <= len; d += 4) {
      const p = path.getPointAtLength(d);
      const x = m.a * p.x + m.c * p.y + m.e, y = m.b * p.x + m.d * p.y + m.f;
      for (const [other, panel] of Object.entries(panels)) {
        const b = panel.box;
        if (other !== side && x > b.l + 2 && x < b.r - 2 && y > b.t + 2 && y < b.b - 2) {
          crossings.push(`${edge.getAttribute('aria-label') || edge.id} inside ${panel.name}'s panel`);
          return;
        }
      }
    }
  });
  const shared = Array.from(svg.querySelectorAll('.node.shared')).map(n => rect(n));
  const names = Array.from(svg.querySelectorAll('.node[aria-label], .node a[aria-label]'))
    .map(n => n.getAttribute('aria-label'));
  return {panels, crossings, shared, names};
}"""


def overlap(a: dict, b: dict) -> bool:
    return min(a["r"], b["r"]) - max(a["l"], b["l"]) > 0 and min(a["b"], b["b"]) - max(a["t"], b["t"]) > 0


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (390, 844)])
def test_the_comparison_draws_each_pathway_as_its_own_panel(page_factory, base_url, width, height):
    page = page_factory(viewport={"width": width, "height": height})
    goto(page, base_url, "common-mechanisms/")
    got = page.evaluate(PANELS)
    panels = got["panels"]
    assert [p["name"] for p in panels.values()] == ["Ketamine", "Psilocybin"]  # the pathways' short names
    a, b = panels["a"]["box"], panels["b"]["box"]
    assert not overlap(a, b), (a, b)
    if width >= 1024:  # side by side where there is room, stacked on a phone
        assert a["r"] <= b["l"], (a, b)
    else:
        assert a["b"] <= b["t"], (a, b)
    assert not got["crossings"], "\n".join(got["crossings"])
    assert got["shared"] and all(not overlap(s, p["box"]) for s in got["shared"] for p in panels.values())
    duplicates = sorted({n for n in got["names"] if got["names"].count(n) > 1})
    assert not duplicates, f"nodes that read the same: {duplicates}"


def test_the_comparison_caption_and_lists_say_each_thing_once(page, base_url):
    goto(page, base_url, "common-mechanisms/")
    caption = page.locator("figure.mechanisms-compare figcaption").inner_text()
    assert caption.lower().count("compar") == 1, caption  # "Figures 1 and 2 compared." and no "Comparison:"
    for column in page.locator("figure.mechanisms-compare .mechanisms-compare-table td").all():
        rows = [r.strip() for r in column.locator("li").all_inner_texts()]
        assert len(rows) == len(set(rows)), rows
