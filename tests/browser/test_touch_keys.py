"""A phone reader previews what the text names; a keyboard reader tabs through the picture as it reads."""

from __future__ import annotations

import itertools
import re

import pytest

from .conftest import only_on_mkdocs
from .test_interaction import COVERED, DESKTOP, PHONE, TOOLTIP, VISIBLE_SVG, open_page, overlap

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright").expect

pytestmark = pytest.mark.browser


def test_a_tap_on_a_term_or_a_citation_in_the_text_previews_it(page_factory, server, base_url):
    only_on_mkdocs(server)
    page = open_page(page_factory, base_url, "ketamine/", PHONE, has_touch=True, is_mobile=True)
    url = page.url.split("#")[0]
    tooltip = page.locator(TOOLTIP)
    term = page.locator(".md-content article p a.mechanisms-term").first
    term.scroll_into_view_if_needed()
    term.tap()
    expect(tooltip).to_be_visible()
    assert page.url.split("#")[0] == url, "the first tap on a term left the page"
    expect(tooltip.locator("a.mechanisms-tooltip-link")).to_have_text("Open glossary entry")
    page.touchscreen.tap(4, 420)  # a tap elsewhere (the page's margin) closes the preview
    expect(tooltip).to_be_hidden()
    cite = page.locator(".md-content article p .mechanisms-cite a").first
    cite.scroll_into_view_if_needed()
    cite.tap()
    expect(tooltip.locator("a.mechanisms-tooltip-link")).to_have_text("Open reference")
    assert page.url.split("#")[0] == url, "the first tap on a citation left the page"
    term.scroll_into_view_if_needed()
    term.tap()
    term.tap()  # the second tap follows the link
    expect(page).to_have_url(re.compile(r"glossary/"))


@pytest.mark.parametrize("path", ["ketamine/", "psilocybin/"])
def test_on_a_phone_a_diagram_tooltip_never_covers_the_highlighted_neighbours(
    page_factory, server, base_url, path
):
    only_on_mkdocs(server)
    # Reduced motion: where the preview and the highlight are, not the dimming's fade (no position
    # moves in it), which would repaint the diagram for some ten frames a tap.
    page = open_page(
        page_factory, base_url, path, PHONE, has_touch=True, is_mobile=True, reduced_motion="reduce"
    )
    nodes = page.locator(f"{VISIBLE_SVG} g.node a[data-tip-text], {VISIBLE_SVG} g.node[data-tip-text]")
    problems = []
    for i in range(nodes.count()):
        node = nodes.nth(i)
        node.scroll_into_view_if_needed()
        node.tap()
        expect(page.locator(TOOLTIP)).to_be_visible()
        got = page.evaluate(COVERED)
        hit = [r["id"] for r in got["lit"] if overlap(got["tip"], r) > 0.5]
        if hit or not got["inside"]:
            problems.append(f"{node.get_attribute('aria-label')}: covers {hit}, inside {got['inside']}")
        page.touchscreen.tap(4, 420)  # close the preview
    assert not problems, "\n".join(problems)


#: The focused element's box and what it is.
FOCUSED = """() => { const e = document.activeElement; const r = e.getBoundingClientRect();
  const item = e.closest('.node, .edge, .cluster'); const svg = e.closest('.mechanisms-diagram svg');
  const s = svg ? svg.getBoundingClientRect() : {top: 0, left: 0};  // focus scrolls the page: the picture's own frame
  return {top: r.top - s.top, left: r.left - s.left, inSvg: !!svg,
          name: e.getAttribute('aria-label') || '', edge: !!(item && item.classList.contains('edge')),
          outline: getComputedStyle(e).outlineStyle,
          halo: item && item.classList.contains('edge') ? getComputedStyle(item.querySelector('path.mechanisms-hit')).stroke : ''}; }"""


def test_tab_follows_the_picture_and_an_edge_ring_follows_its_line(page_factory, server, base_url):
    only_on_mkdocs(server)
    page = open_page(page_factory, base_url, "ketamine/", DESKTOP)
    page.locator("figure.mechanisms-figure button.mechanisms-enlarge").first.focus()
    page.keyboard.press("Tab")
    stops = []
    while True:
        got = page.evaluate(FOCUSED)
        if not got["inSvg"] or len(stops) > 40:
            break
        stops.append(got)
        page.keyboard.press("Tab")
    assert len(stops) >= 10, stops
    assert stops[0]["name"].startswith("Ketamine"), stops[
        0
    ]  # the picture's top, not a cell of the SVG's source
    for before, after in itertools.pairwise(stops):
        same_rank = abs(after["top"] - before["top"]) < 8
        assert after["top"] > before["top"] or (same_rank and after["left"] >= before["left"]), (
            before,
            after,
        )
    edges = [s for s in stops if s["edge"]]
    assert edges, "the edges' tab stop"
    assert edges[0]["outline"] == "none" and edges[0]["halo"] not in ("", "transparent", "rgba(0, 0, 0, 0)")
