"""Interacting with a figure: tooltips clear of the highlight, edges that say what they are,
touch previews, a walkthrough that can be watched, and targets large enough to hit."""

from __future__ import annotations

import re

import pytest

from .conftest import goto

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright").expect

pytestmark = pytest.mark.browser

FIGURE = "figure.mechanisms-figure"
TOOLTIP = "#mechanisms-tooltip"
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}

#: The diagram SVG on screen (the wide or the phone layout) of the first figure.
VISIBLE_SVG = f"{FIGURE} .mechanisms-diagram > svg.mechanisms-svg:visible"

#: Rectangles (viewport px) of the tooltip and of every highlighted part of the figure, cut to the viewport.
COVERED = """() => {
  const cut = (r) => ({l: Math.max(r.left, 0), t: Math.max(r.top, 0),
                       r: Math.min(r.right, innerWidth), b: Math.min(r.bottom, innerHeight)});
  const tip = document.querySelector('#mechanisms-tooltip').getBoundingClientRect();
  const lit = Array.from(document.querySelectorAll(
      'figure.mechanisms-figure svg :is(.mechanisms-highlight, .mechanisms-related)'))
    .filter((e) => e.getClientRects().length)
    .map((e) => ({id: e.id, ...cut(e.getBoundingClientRect())}))
    .filter((r) => r.r > r.l && r.b > r.t);
  return {tip: {l: tip.left, t: tip.top, r: tip.right, b: tip.bottom}, lit,
          inside: tip.left >= 0 && tip.top >= 0 && tip.right <= innerWidth && tip.bottom <= innerHeight};
}"""

#: Viewport coordinates of the middle of an edge's line (its bounding box's centre may be off the line).
EDGE_POINT = """(edge) => {
  const path = edge.querySelector('path:not(.mechanisms-hit)');
  const p = path.getPointAtLength(path.getTotalLength() / 2);
  const m = path.getScreenCTM();
  return {x: m.a * p.x + m.c * p.y + m.e, y: m.b * p.x + m.d * p.y + m.f};
}"""


def overlap(a: dict, b: dict) -> float:
    w = min(a["r"], b["r"]) - max(a["l"], b["l"])
    h = min(a["b"], b["b"]) - max(a["t"], b["t"])
    return w * h if w > 0 and h > 0 else 0.0


def open_page(page_factory, base_url: str, path: str, viewport: dict, **options):
    page = page_factory(**options)
    page.set_viewport_size(viewport)
    goto(page, base_url, path)
    return page


# --------------------------------------------------------------------------- #
# 1. Tooltips do not cover the highlighted neighbourhood                      #
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("path", ["ketamine/", "psilocybin/"])
def test_node_tooltip_keeps_clear_of_the_highlighted_neighbourhood(page_factory, base_url, path):
    # Reduced motion: where the tooltip and the highlight are, not the dimming's fade (no position
    # moves in it), which would repaint the diagram for some ten frames a node.
    page = open_page(page_factory, base_url, path, DESKTOP, reduced_motion="reduce")
    tooltip = page.locator(TOOLTIP)
    nodes = page.locator(f"{VISIBLE_SVG} g.node a[data-tip-text], {VISIBLE_SVG} g.node[data-tip-text]")
    count = nodes.count()
    assert count >= 8, count
    problems = []
    for i in range(count):
        node = nodes.nth(i)
        node.scroll_into_view_if_needed()
        node.hover()
        label = node.get_attribute("aria-label") or node.get_attribute("data-tip-title")
        expect(tooltip.locator(".mechanisms-tooltip-title")).to_have_text(
            node.get_attribute("data-tip-title")
        )
        expect(page.locator(f"{FIGURE}.mechanisms-dimmed").first).to_be_attached()
        got = page.evaluate(COVERED)
        assert got["inside"], f"{label}: tooltip leaves the viewport {got['tip']}"
        assert len(got["lit"]) >= 2, f"{label}: no neighbourhood highlighted"
        hit = [(r["id"], round(overlap(got["tip"], r))) for r in got["lit"] if overlap(got["tip"], r) > 0.5]
        if hit:
            problems.append(f"{label}: tooltip covers {hit}")
    assert not problems, "\n".join(problems)
    assert not page.traffic.script_errors("mechanisms.js")


# --------------------------------------------------------------------------- #
# 2. Edges say what they are, on hover and on keyboard focus                  #
# --------------------------------------------------------------------------- #


def test_edge_tooltip_on_hover_says_relation_note_and_sources(page_factory, base_url):
    page = open_page(page_factory, base_url, "ketamine/", DESKTOP)
    edge = page.locator(f'{VISIBLE_SVG} g.edge[id$="-e1"]')
    edge.scroll_into_view_if_needed()
    point = edge.evaluate(EDGE_POINT)
    page.mouse.move(point["x"], point["y"])
    tooltip = page.locator(TOOLTIP)
    expect(tooltip).to_be_visible()
    expect(tooltip.locator(".mechanisms-tooltip-title")).to_have_text(
        "Step 1: Ketamine is thought to block NMDA receptor on GABAergic interneuron"
    )
    expect(tooltip.locator(".mechanisms-tooltip-text")).to_contain_text(
        "non-competitive NMDA receptor antagonist"
    )
    cite = tooltip.locator(".mechanisms-tooltip-sources a")
    expect(cite).to_have_count(1)
    expect(cite).to_have_text("[2]")
    expect(cite).to_have_attribute("href", re.compile(r"references/#ref-vollenweider2010$"))
    expect(tooltip.locator(".mechanisms-tooltip-ref")).to_contain_text("Vollenweider")
    expect(edge).to_have_class(re.compile(r"\bmechanisms-highlight\b"))
    # The tooltip is hoverable: the source link can be reached with the pointer and followed.
    box = cite.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect(page).to_have_url(re.compile(r"references/#ref-vollenweider2010$"))
    assert not page.traffic.script_errors("mechanisms.js")


# Host-independent: the edges' one tab stop and arrow keys are our script on the same SVG
# (test_host_parity); Tab reaching the figure through each host's header is
# test_reader's test_keyboard_reaches_and_follows_a_diagram_node, on both hosts.
@pytest.mark.mkdocs_only
def test_edges_take_one_tab_stop_and_arrow_keys_between_them(page_factory, base_url):
    page = open_page(page_factory, base_url, "ketamine/", DESKTOP)
    svg = page.locator(VISIBLE_SVG)
    edges = svg.locator("g.edge[role='img'][aria-label]")
    assert edges.count() >= 10
    assert svg.locator("g.edge[tabindex='0']").count() == 1, "more than one tab stop for the edges"
    assert svg.locator("g.edge[tabindex='-1']").count() == edges.count() - 1
    page.locator("body").focus()
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('svg g.edge')"):
            break
    else:
        pytest.fail("Tab never reached an edge of the diagram")
    tooltip = page.locator(TOOLTIP)
    focused = page.locator(":focus")
    expect(focused).to_have_attribute("id", re.compile(r"-e1$"))
    expect(focused).to_have_attribute("aria-describedby", re.compile(r"\bmechanisms-tooltip\b"))
    expect(tooltip.locator(".mechanisms-tooltip-title")).to_have_text(focused.get_attribute("aria-label"))
    page.keyboard.press("ArrowRight")
    expect(page.locator(":focus")).to_have_attribute("id", re.compile(r"-e2$"))
    expect(tooltip.locator(".mechanisms-tooltip-title")).to_have_text(
        re.compile(r"^Step 2: .* releases GABA$")
    )
    expect(page.locator(":focus")).to_have_class(re.compile(r"\bmechanisms-highlight\b"))
    assert svg.locator("g.edge[tabindex='0']").count() == 1
    page.keyboard.press("End")
    expect(page.locator(":focus")).to_have_attribute("id", re.compile(r"-e12$"))
    # Shift+Tab leaves the edges in one press, to the node links before them.
    page.keyboard.press("Shift+Tab")
    assert not page.evaluate("() => document.activeElement.matches('svg g.edge')")
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    assert not page.traffic.script_errors("mechanisms.js")


# Host-independent: the tooltip's text is our script's, from the same SVG (test_host_parity).
@pytest.mark.mkdocs_only
def test_comparison_edge_says_membership_and_sources(page_factory, base_url):
    page = open_page(page_factory, base_url, "common-mechanisms/", DESKTOP)
    fig = page.locator(f"{FIGURE}.mechanisms-compare")
    edge = fig.locator(".mechanisms-diagram > svg:visible g.edge.shared").first
    edge.scroll_into_view_if_needed()
    point = edge.evaluate(EDGE_POINT)
    page.mouse.move(point["x"], point["y"])
    tooltip = page.locator(TOOLTIP)
    expect(tooltip.locator(".mechanisms-tooltip-title")).to_have_text(re.compile(r"\(shared\)$"))
    expect(tooltip.locator(".mechanisms-tooltip-sources a").first).to_have_text(re.compile(r"^\[\d+\]$"))


# --------------------------------------------------------------------------- #
# 3. Touch: the first tap previews, the preview links on                      #
# --------------------------------------------------------------------------- #


# Host-independent: previews on a first tap are our script on the same SVG (test_host_parity);
# following a preview's link under each host's navigation is
# test_touch_preview_link_opens_the_glossary_entry, on both hosts.
@pytest.mark.mkdocs_only
def test_touch_first_tap_previews_second_tap_follows(page_factory, base_url):
    page = open_page(page_factory, base_url, "ketamine/", PHONE, has_touch=True, is_mobile=True)
    url = page.url.split("#")[0]
    here = lambda: page.url.split("#")[0]  # noqa: E731
    tooltip = page.locator(TOOLTIP)
    node = page.locator(f'{VISIBLE_SVG} g.node a[*|href$="glossary/ampa-receptor/"]').first
    node.scroll_into_view_if_needed()
    node.tap()
    expect(tooltip).to_be_visible()
    assert here() == url, "the first tap navigated"
    expect(tooltip.locator(".mechanisms-tooltip-title")).to_have_text("AMPA receptor")
    more = tooltip.locator("a.mechanisms-tooltip-link")
    expect(more).to_have_text("Open glossary entry")
    expect(more).to_have_attribute("href", re.compile(r"glossary/ampa-receptor/$"))
    expect(page.locator(f"{FIGURE}.mechanisms-dimmed").first).to_be_attached()

    # A tap elsewhere closes the preview.
    page.locator(".md-content article p").first.tap()
    expect(tooltip).to_be_hidden()
    expect(page.locator(f"{FIGURE}.mechanisms-dimmed")).to_have_count(0)

    # An edge previews too, with its sources.
    edge = page.locator(f'{VISIBLE_SVG} g.edge[id$="-e2"]')
    edge.scroll_into_view_if_needed()
    point = edge.evaluate(EDGE_POINT)
    page.touchscreen.tap(point["x"], point["y"])
    expect(tooltip.locator(".mechanisms-tooltip-title")).to_have_text(re.compile(r"^Step 2: "))
    expect(tooltip.locator(".mechanisms-tooltip-sources a")).to_have_count(1)
    assert here() == url

    # First tap on the node again previews; a second tap on it follows its link.
    node.scroll_into_view_if_needed()
    node.tap()
    expect(tooltip.locator(".mechanisms-tooltip-title")).to_have_text("AMPA receptor")
    assert here() == url
    node.tap()
    expect(page).to_have_url(re.compile(r"glossary/ampa-receptor/$"))
    assert not page.traffic.script_errors("mechanisms.js")


def test_touch_preview_link_opens_the_glossary_entry(page_factory, base_url):
    page = open_page(page_factory, base_url, "ketamine/", PHONE, has_touch=True, is_mobile=True)
    node = page.locator(f'{VISIBLE_SVG} g.node a[*|href$="glossary/bdnf/"]').first
    node.scroll_into_view_if_needed()
    node.tap()
    more = page.locator(f"{TOOLTIP} a.mechanisms-tooltip-link")
    expect(more).to_be_visible()
    box = more.bounding_box()
    assert box["height"] >= 24 - 0.5, box
    more.tap()
    expect(page).to_have_url(re.compile(r"glossary/bdnf/$"))
    expect(page.locator(".md-content article h1").first).to_contain_text("BDNF")


# --------------------------------------------------------------------------- #
# 4. A walkthrough you can watch                                              #
# --------------------------------------------------------------------------- #

#: Where the current step, the highlighted edge, the diagram box and the Next button are (viewport px).
STEPPING = """() => {
  const fig = document.querySelector('figure.mechanisms-figure.is-stepping');
  if (!fig) return null;
  const box = (e) => { const r = e.getBoundingClientRect();
                       return {l: r.left, t: r.top, r: r.right, b: r.bottom, w: r.width, h: r.height}; };
  const step = fig.querySelector('.mechanisms-step.is-active');
  const svg = Array.from(fig.querySelectorAll('.mechanisms-diagram > svg')).find((s) => s.getClientRects().length);
  const lit = svg.querySelector('.edge.mechanisms-highlight');
  const next = fig.querySelector('.mechanisms-step-next');
  const nb = box(next);
  const sb = box(step);
  const onTop = (r, el) => { const hit = document.elementFromPoint((r.l + r.r) / 2, (r.t + Math.min(r.b, innerHeight - 1)) / 2);
                             return !!hit && el.contains(hit); };
  return {step: sb, stepOnTop: onTop(sb, step), stepAlign: getComputedStyle(step).textAlign,
          lit: lit && box(lit), diagram: box(fig.querySelector('.mechanisms-diagram')),
          next: nb, nextOnTop: onTop(nb, next), index: Array.from(fig.querySelectorAll('.mechanisms-step')).indexOf(step),
          wide: fig.classList.contains('is-stepping-wide'), vw: innerWidth, vh: innerHeight};
}"""


#: Resolves once the page and the diagram box have not scrolled for three frames (smooth scrolling).
SETTLED = """() => new Promise((done) => {
  const box = document.querySelector('figure.is-stepping .mechanisms-diagram');
  let last = '', calm = 0;
  const tick = () => {
    const now = scrollX + ',' + scrollY + ',' + (box ? box.scrollTop + ',' + box.scrollLeft : '');
    calm = now === last ? calm + 1 : 0;
    last = now;
    if (calm >= 3) done(true); else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
})"""


def settle(page) -> None:
    page.evaluate(SETTLED)


def inside(inner: dict, outer: dict, slack: float = 1.0) -> bool:
    return (
        inner["l"] >= outer["l"] - slack
        and inner["t"] >= outer["t"] - slack
        and inner["r"] <= outer["r"] + slack
        and inner["b"] <= outer["b"] + slack
    )


def check_watchable(got: dict, where: str) -> None:
    view = {"l": 0, "t": 0, "r": got["vw"], "b": got["vh"]}
    assert got["stepAlign"] in ("left", "start"), f"{where}: step text is {got['stepAlign']}"
    assert inside(got["step"], view), f"{where}: step text {got['step']} outside the viewport"
    assert got["stepOnTop"], f"{where}: the step text is covered"
    assert got["nextOnTop"] and inside(got["next"], view), f"{where}: Next is out of reach {got['next']}"
    lit, diagram = got["lit"], got["diagram"]
    assert lit, f"{where}: nothing highlighted in the diagram"
    assert inside(diagram, view), f"{where}: the diagram box {diagram} is not wholly in view"
    seen = {"l": max(lit["l"], diagram["l"]), "t": max(lit["t"], diagram["t"])}
    seen |= {"r": min(lit["r"], diagram["r"]), "b": min(lit["b"], diagram["b"])}
    shown = max(0, seen["r"] - seen["l"]) * max(0, seen["b"] - seen["t"])
    whole = max(1.0, lit["w"] * lit["h"])
    fits = lit["h"] <= diagram["h"] and lit["w"] <= diagram["w"]
    assert shown / whole >= (0.95 if fits else 0.5), (
        f"{where}: highlighted edge {lit} out of the box {diagram}"
    )


@pytest.mark.parametrize(
    ("path", "viewport"),
    [
        pytest.param("ketamine/", DESKTOP, id="article-desktop"),
        pytest.param("ketamine/", PHONE, id="article-phone"),
        pytest.param("psilocybin/", PHONE, id="folded-phone"),
        pytest.param("pathways/ketamine-glutamate-surge/", DESKTOP, id="pathway-desktop"),
    ],
)
def test_walkthrough_keeps_step_and_highlight_in_view(page_factory, base_url, path, viewport):
    phone = viewport["width"] < 600
    page = open_page(page_factory, base_url, path, viewport, has_touch=phone, is_mobile=phone)
    press = page.touchscreen.tap if phone else page.mouse.click
    fig = page.locator(FIGURE).first
    start = fig.locator("button.mechanisms-step-start")
    start.scroll_into_view_if_needed()
    start.tap() if phone else start.click()  # an article page starts the walkthrough from its figure
    expect(fig).to_have_class(re.compile(r"\bis-stepping\b"))
    wide = viewport["width"] >= 1220
    expect(fig).to_have_class(
        re.compile(r"\bis-stepping-wide\b") if wide else re.compile(r"^(?!.*is-stepping-wide)")
    )
    for n in range(1, 6):
        page.wait_for_function(f"() => {{ const s = ({STEPPING})(); return s && s.index === {n - 1}; }}")
        settle(page)
        got = page.evaluate(STEPPING)
        check_watchable(got, f"{path} at {viewport['width']}px, step {n}")
        if n < 5:  # press Next where it is, without any scrolling
            nb = got["next"]
            press((nb["l"] + nb["r"]) / 2, (nb["t"] + nb["b"]) / 2)
    expect(fig.locator(".mechanisms-step-status")).to_have_text(re.compile(r"^Step 5 of \d+$"))
    # Done (or Escape) leaves the stepping layout and returns to the start button.
    fig.locator("button.mechanisms-step-done").click()
    expect(fig).not_to_have_class(re.compile(r"\bis-stepping\b"))
    expect(start).to_be_focused()
    assert not page.traffic.script_errors("mechanisms.js")


# --------------------------------------------------------------------------- #
# 5. Targets at least 24 × 24 px (WCAG 2.2, 2.5.8)                            #
# --------------------------------------------------------------------------- #

TARGETS = """(sel) => Array.from(document.querySelectorAll(sel)).filter((e) => e.getClientRects().length)
  .map((e) => { const r = e.getBoundingClientRect();
                return {kind: e.closest('sup.mechanisms-cite') ? 'cite' : e.className,
                        text: e.textContent.trim().slice(0, 20), w: r.width, h: r.height}; })"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_citations_and_walkthrough_buttons_are_24px_targets(page_factory, base_url, viewport):
    page = open_page(page_factory, base_url, "ketamine/", viewport)
    page.locator(f"{FIGURE} button.mechanisms-step-start").first.click()
    selector = (
        "article sup.mechanisms-cite a, "
        ".mechanisms-stepnav button, .mechanisms-diagram-tools button, "
        "#mechanisms-tooltip a"
    )
    targets = page.evaluate(TARGETS, selector)
    kinds = " ".join(t["kind"] for t in targets)
    for kind in (
        "mechanisms-step-prev",
        "mechanisms-step-next",
        "mechanisms-step-done",
        "mechanisms-enlarge",
    ):
        assert kind in kinds, f"no {kind} measured"
    assert sum(t["kind"] == "cite" for t in targets) >= 3
    small = [t for t in targets if t["w"] < 23.5 or t["h"] < 23.5]
    assert not small, f"{len(small)} targets under 24×24 px: {small[:5]}"
