"""Figures taken in at once: whole in a laptop's window, Enlarge fitted to it, every step's ends on screen."""

from __future__ import annotations

import pytest

from .conftest import goto, only_on_mkdocs

pytestmark = pytest.mark.browser

FIGURE_PAGES = ["", "ketamine/", "psilocybin/", "common-mechanisms/"]
FIGURE_PAGES += [f"pathways/{p}/" for p in ("ketamine-glutamate-surge", "psilocybin-glutamate-surge")]

#: Per figure, after scrolling its diagram to just below the site's header: where the diagram
#: box is, the room below the header, and the smallest node label on screen (CSS px).
FIT = """(fid) => {
  const header = document.querySelector('.md-header, body > header');
  const top = header ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
  const fig = document.getElementById(fid);
  const box = fig.querySelector('.mechanisms-diagram');
  window.scrollBy(0, box.getBoundingClientRect().top - top);
  const svg = Array.from(box.querySelectorAll(':scope > svg')).find(s => s.getClientRects().length);
  let label = 99;
  svg.querySelectorAll('.node text').forEach(t => {
    const m = t.getScreenCTM();
    label = Math.min(label, parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b));
  });
  const b = box.getBoundingClientRect();
  return {top: b.top, bottom: b.bottom, height: b.height, room: innerHeight - top, headerBottom: top,
          label, svgHeight: svg.getBoundingClientRect().height};
}"""

FIGURE_IDS = "() => Array.from(document.querySelectorAll('figure.mechanisms-figure')).map(f => f.id)"


def test_every_article_figure_is_whole_in_a_laptop_window(page_factory, base_url):
    """1440×900: each diagram, scrolled to the header, ends above the window's bottom with labels ≥ 12 px."""
    page = page_factory(viewport={"width": 1440, "height": 900})
    problems = []
    for path in FIGURE_PAGES:
        goto(page, base_url, path)
        for fid in page.evaluate(FIGURE_IDS):
            got = page.evaluate(FIT, fid)
            where = f"{path or 'home'} #{fid}"
            if got["bottom"] > 900 + 0.5:
                problems.append(
                    f"{where}: diagram {got['height']:.0f} px in {got['room']:.0f} px below the header"
                )
            if got["label"] < 11.95:
                problems.append(f"{where}: node labels {got['label']:.1f} px < 12")
    assert not problems, "\n".join(problems)


#: The walkthrough's current step: are both of its ends (node or cell) wholly inside the part of the
#: diagram box that is on screen below the header, and is the step's own text on screen?
STEP_ENDS = """(fid) => {
  const fig = document.getElementById(fid);
  const header = document.querySelector('.md-header, body > header');
  const top = header ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
  const b = fig.querySelector('.mechanisms-diagram').getBoundingClientRect();
  const seen = {l: Math.max(0, b.left), t: Math.max(top, b.top), r: Math.min(innerWidth, b.right),
                b: Math.min(innerHeight, b.bottom)};
  const step = fig.querySelector('.mechanisms-step.is-active');
  const lit = Array.from(fig.querySelectorAll('.mechanisms-diagram .mechanisms-highlight'));
  const off = [];
  for (const id of [step.dataset.source, step.dataset.target]) {
    const local = id.slice(fid.length + 1);
    const end = lit.find(e => e.id === id || e.id === fid + '-m-' + local || e.classList.contains('also-' + local));
    if (!end) { off.push(local + ': not highlighted'); continue; }
    const r = end.getBoundingClientRect();
    if (r.left < seen.l - 1 || r.top < seen.t - 1 || r.right > seen.r + 1 || r.bottom > seen.b + 1)
      off.push(`${local}: [${[r.left, r.top, r.right, r.bottom].map(Math.round)}] outside ` +
               `[${[seen.l, seen.t, seen.r, seen.b].map(Math.round)}]`);
  }
  const s = step.getBoundingClientRect();
  if (s.top < top - 1 || s.bottom > innerHeight + 1) off.push('the step text is off screen');
  return {off, whole: b.top >= top - 1 && b.bottom <= innerHeight + 1};
}"""


@pytest.mark.parametrize(("width", "height"), [(390, 844), (1024, 768), (1280, 800), (1440, 900)])
def test_every_walkthrough_step_keeps_both_ends_on_screen(page_factory, server, base_url, width, height):
    only_on_mkdocs(server)
    phone = width < 600
    # Reduced motion: where each step's ends are, not the dimming's 0.15 s fade (no position moves
    # in it), which would repaint the whole diagram for some ten frames a step.
    page = page_factory(
        viewport={"width": width, "height": height}, has_touch=phone, is_mobile=phone, reduced_motion="reduce"
    )
    problems = []
    for path in ("ketamine/", "psilocybin/", ""):
        goto(page, base_url, path)
        fid = page.evaluate(
            "() => document.querySelector('figure.mechanisms-figure .mechanisms-step-start').closest('figure').id"
        )
        page.locator(f"#{fid} .mechanisms-step-start").click()
        steps = page.locator(f"#{fid} .mechanisms-step").count()
        for n in range(1, steps + 1):
            if n > 1:
                page.locator(f"#{fid} .mechanisms-step-next").click()
            page.wait_for_function(
                f"() => document.querySelectorAll('#{fid} .mechanisms-step')[{n - 1}].classList.contains('is-active')"
            )
            got = page.evaluate(STEP_ENDS, fid)
            problems += [f"{path or 'home'} {width}px step {n}: {o}" for o in got["off"]]
            if width == 1440 and not got["whole"]:
                problems.append(f"{path or 'home'} {width}px step {n}: the diagram is not whole on screen")
    assert not problems, "\n".join(problems)


#: The stroke and opacity of every cell box of a figure: {id: [stroke, stroke-width, opacity, label fill]}.
CELLS = """(fid) => Object.fromEntries(Array.from(document.querySelectorAll(
    `#${fid} .mechanisms-diagram > svg:not([style*="display: none"]) .cluster.mechanisms-cell`))
  .filter(c => c.getClientRects().length).map(c => {
    const shape = getComputedStyle(c.querySelector('path, polygon'));
    return [c.id.replace(fid + '-', ''), [shape.stroke, parseFloat(shape.strokeWidth),
            parseFloat(getComputedStyle(c).opacity), getComputedStyle(c.querySelector('text')).fill]];
  }))"""


def test_a_cell_that_ends_the_step_is_marked_and_unrelated_cells_dim(page_factory, server, base_url):
    """Ketamine's step 2 starts at the subcortical interneuron, a cell drawn as a container."""
    only_on_mkdocs(server)
    page = page_factory(viewport={"width": 1440, "height": 900})
    goto(page, base_url, "ketamine/")
    fid = page.evaluate("() => document.querySelector('figure.mechanisms-figure').id")
    nodes = page.evaluate(
        f"() => getComputedStyle(document.querySelector('#{fid} .node.kind-drug path, #{fid} .node.kind-drug polygon')).stroke"
    )
    page.locator(f"#{fid} .mechanisms-step-start").click()
    page.locator(f"#{fid} .mechanisms-step-next").click()
    page.wait_for_timeout(250)  # the opacity transition
    cells = page.evaluate(CELLS, fid)
    lit = cells.pop("n-subcortical-interneuron")
    assert lit[1] >= 3.5 and lit[0] != "rgb(26, 26, 26)" and lit[2] == 1, lit  # accent, thick, undimmed
    assert lit[3] == lit[0], lit  # its name in the accent colour too
    assert cells, "the other cells"
    for name, (_, _, opacity, _) in cells.items():
        assert opacity <= 0.3, f"{name} is not dimmed: {opacity}"
    assert nodes  # a drug node is drawn


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (1024, 768), (390, 844)])
def test_enlarge_is_fitted_to_the_window_and_opens_no_tooltip(page_factory, base_url, width, height):
    """Never smaller than inline, never larger than the window (on a desktop), and no tooltip by itself."""
    page = page_factory(viewport={"width": width, "height": height})
    problems = []
    for path in ("ketamine/", "psilocybin/", "common-mechanisms/"):
        goto(page, base_url, path)
        for fid in page.evaluate(FIGURE_IDS):
            button = page.locator(f"#{fid} button.mechanisms-enlarge")
            button.scroll_into_view_if_needed()
            inline = page.evaluate(
                f"""() => {{ const s = Array.from(document.querySelectorAll('#{fid} .mechanisms-diagram > svg'))
                      .find(s => s.getClientRects().length).getBoundingClientRect(); return [s.width, s.height]; }}"""
            )
            button.click()  # the mouse now rests where the button was, over the enlarged figure
            page.wait_for_selector("dialog.mechanisms-zoom[open] .mechanisms-zoom-viewport svg")
            page.wait_for_timeout(300)
            got = page.evaluate(
                """() => { const r = document.querySelector('.mechanisms-zoom-viewport svg').getBoundingClientRect();
                  const v = document.querySelector('.mechanisms-zoom-viewport').getBoundingClientRect();
                  const tip = document.getElementById('mechanisms-tooltip');
                  return {w: r.width, h: r.height, inside: r.left >= v.left - 1 && r.top >= v.top - 1 &&
                          r.right <= v.right + 1 && r.bottom <= v.bottom + 1, tip: !!tip && !tip.hidden}; }"""
            )
            where = f"{path} #{fid} at {width}px"
            if got["w"] < inline[0] - 1:
                problems.append(
                    f"{where}: enlarged {got['w']:.0f}×{got['h']:.0f} < inline {inline[0]:.0f}×{inline[1]:.0f}"
                )
            if width >= 1024 and not got["inside"]:
                problems.append(f"{where}: enlarged {got['w']:.0f}×{got['h']:.0f} overflows the window")
            if got["tip"]:
                problems.append(f"{where}: a tooltip opened by itself")
            page.keyboard.press("Escape")
            page.wait_for_function("() => !document.querySelector('dialog.mechanisms-zoom[open]')")
    assert not problems, "\n".join(problems)


#: Each figure's key: shown?, its smallest text in CSS px, and the kinds and relations it names
#: against those the figure draws.
KEY = """() => Array.from(document.querySelectorAll('figure.mechanisms-figure')).filter(f => f.querySelector('.mechanisms-key'))
  .map(f => {
    const key = f.querySelector('.mechanisms-key');
    const svg = Array.from(f.querySelectorAll('.mechanisms-diagram > svg')).find(s => s.getClientRects().length);
    const classes = (sel, prefix) => [...new Set(Array.from(svg.querySelectorAll(sel))
        .flatMap(e => Array.from(e.classList)).filter(c => c.startsWith(prefix)).map(c => c.slice(prefix.length)))].sort();
    const named = (prefix) => Array.from(key.querySelectorAll('.mechanisms-glyph'))
        .flatMap(g => Array.from(g.classList)).filter(c => c.startsWith(prefix)).map(c => c.slice(prefix.length)).sort();
    const px = Math.min(...Array.from(key.querySelectorAll('li')).map(li => parseFloat(getComputedStyle(li).fontSize)));
    const r = key.getBoundingClientRect();
    return {id: f.id, shown: r.height > 0 && getComputedStyle(key).visibility === 'visible', px,
            kinds: named('kind-'), drawnKinds: classes('.node, .cluster.mechanisms-cell', 'kind-'),
            rels: named('rel-'), drawnRels: classes('.edge', 'rel-')};
  })"""


@pytest.mark.parametrize(("width", "height", "smallest"), [(1440, 900, 12), (390, 844, 10)])
def test_the_key_is_shown_readable_and_names_what_the_figure_draws(
    page_factory, base_url, width, height, smallest
):
    page = page_factory(viewport={"width": width, "height": height})
    for path in ("ketamine/", "psilocybin/", ""):
        goto(page, base_url, path)
        keys = page.evaluate(KEY)
        assert keys, path
        for key in keys:
            assert key["shown"], key
            assert key["px"] >= smallest - 0.05, key
            assert key["kinds"] == key["drawnKinds"] and key["rels"] == key["drawnRels"], key


def test_the_home_figure_is_in_the_first_screen_and_phones_keep_distinct_nodes(page_factory, base_url):
    page = page_factory(viewport={"width": 1440, "height": 900})
    goto(page, base_url, "")
    top = page.evaluate(
        "() => document.querySelector('figure.mechanisms-figure svg').getBoundingClientRect().top"
    )
    assert top < 900 - 200, f"the home figure starts {top:.0f} px down"
    phone = page_factory(viewport={"width": 390, "height": 844})
    for path in ("", "psilocybin/", "ketamine/"):
        goto(phone, base_url, path)
        folded = phone.evaluate(
            """() => Array.from(document.querySelectorAll('figure.mechanisms-figure .mechanisms-diagram > svg'))
                .filter(s => s.getClientRects().length)
                .flatMap(s => Array.from(s.querySelectorAll('.node[class*="also-"]')).map(n => n.id))"""
        )
        assert not folded, f"{path or 'home'}: distinct nodes drawn as one: {folded}"
