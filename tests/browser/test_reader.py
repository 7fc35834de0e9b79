"""A reader in Chromium: navigation, diagram links, tooltips, walkthrough, zoom, dark mode, keyboard."""

from __future__ import annotations

import itertools
import re

import pytest

from .conftest import PAGE_TYPES, PREFIX, goto, wait_bound

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright").expect

pytestmark = pytest.mark.browser

FIGURE = "figure.mechanisms-figure"
# `*|href`: a node link may carry `href`, `xlink:href` or both.
NODE_LINK = f"{FIGURE} .mechanisms-diagram svg g.node a[*|href]"
TOOLTIP = "#mechanisms-tooltip"

#: Page types whose pages embed a diagram SVG.
WITH_DIAGRAM = {"article", "pathway", "comparison", "term"}

#: The article in reading order: (URL relative to the root, h1).
READING_ORDER = [
    ("", "Same But Different"),
    ("neurogenic-theory/", "The neurogenic theory of depression"),
    ("ketamine/", "Ketamine"),
    ("psilocybin/", "Psilocybin"),
    ("common-mechanisms/", "Common mechanisms"),
    ("looking-forward/", "Looking forward"),
    ("pathways/", "Pathways"),
    ("glossary/", "Glossary"),
    ("references/", "References"),
]


def h1(page):
    return page.locator(".md-content article h1").first


def heading(title: str) -> re.Pattern[str]:
    """The h1's text: the title, then Material's permalink "¶"."""
    return re.compile(rf"^\s*{re.escape(title)}\s*¶?\s*$")


def under_prefix(page, base_url: str, path: str) -> None:
    expect(page).to_have_url(re.compile("^" + re.escape(base_url + path) + r"(#.*)?$"))
    assert PREFIX in page.url


def luminance(css_colour: str) -> float:
    """Relative luminance (WCAG) of an ``rgb()``/``rgba()`` computed colour."""
    numbers = [float(n) for n in re.findall(r"[\d.]+", css_colour)[:3]]
    assert len(numbers) == 3, f"not an rgb colour: {css_colour!r}"

    def channel(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in numbers)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


# --------------------------------------------------------------------------- #
# 1. Reading the article through the navigation                               #
# --------------------------------------------------------------------------- #


def test_read_article_home_to_references(page, base_url):
    goto(page, base_url)
    expect(h1(page)).to_have_text(heading(READING_ORDER[0][1]))
    page.evaluate("window.__marker = 1")
    survived = []

    for (prev_path, _), (path, title) in itertools.pairwise(READING_ORDER):
        if path == "ketamine/":
            # Once through the sidebar instead of the footer.
            page.locator(f'.md-nav--primary a.md-nav__link[href$="{path}"]').first.click()
        else:
            page.locator("a.md-footer__link--next").click()
        expect(h1(page)).to_have_text(heading(title))
        under_prefix(page, base_url, path)
        wait_bound(page)
        survived.append(page.evaluate("window.__marker === 1"))

        if path == "psilocybin/":
            # Back to the ketamine page: its figure is enhanced again.
            page.go_back()
            expect(h1(page)).to_have_text(heading("Ketamine"))
            under_prefix(page, base_url, prev_path)
            expect(page.locator(f"{FIGURE} button.mechanisms-enlarge").first).to_be_visible()
            page.go_forward()
            expect(h1(page)).to_have_text(heading(title))
            wait_bound(page)

    assert any(survived), "instant navigation never kept the page alive (every click was a full reload)"
    page.traffic.assert_no_errors()


# --------------------------------------------------------------------------- #
# 2. A diagram node is a link to its glossary page                            #
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("slug", ["bdnf", "nmda-receptor"])
def test_diagram_node_links_to_glossary(page, base_url, slug):
    goto(page, base_url, "ketamine/")
    link = page.locator(f'{FIGURE} g.node a[*|href$="glossary/{slug}/"]').first
    term = link.get_attribute("data-tip-title")
    assert term
    link.click()
    expect(h1(page)).to_have_text(heading(term))
    under_prefix(page, base_url, f"glossary/{slug}/")
    assert not page.traffic.script_errors("mechanisms.js")


# --------------------------------------------------------------------------- #
# 3. Tooltips                                                                 #
# --------------------------------------------------------------------------- #


# Host-independent: showing, filling and hiding the tooltip (and aria-describedby) is our script
# on the same HTML (test_host_parity); no position is asserted. Where the tooltip lands in each
# theme's layout is test_interaction's, on both hosts.
@pytest.mark.mkdocs_only
def test_tooltips_on_hover_and_focus(page, base_url):
    goto(page, base_url, "ketamine/")
    tooltip = page.locator(TOOLTIP)

    # Hover a prose term.
    term = page.locator("article a.mechanisms-term[data-tip-text]").first
    term.scroll_into_view_if_needed()
    term.hover()
    expect(tooltip).to_be_visible()
    expect(tooltip.locator(".mechanisms-tooltip-text")).to_have_text(term.get_attribute("data-tip-text"))
    expect(term).to_have_attribute("aria-describedby", re.compile(r"\bmechanisms-tooltip\b"))

    # Move away: it goes (after a short grace period for reaching the tooltip).
    page.mouse.move(5, 890)
    expect(tooltip).to_be_hidden()

    # Hover a diagram node link.
    node = page.locator(NODE_LINK).first
    node.scroll_into_view_if_needed()
    node.hover()
    expect(tooltip).to_be_visible()
    expect(tooltip.locator(".mechanisms-tooltip-text")).to_have_text(node.get_attribute("data-tip-text"))
    expect(tooltip.locator(".mechanisms-tooltip-title")).to_have_text(node.get_attribute("data-tip-title"))
    page.mouse.move(5, 890)
    expect(tooltip).to_be_hidden()

    # Keyboard focus shows it; Escape hides it.
    term2 = page.locator("article a.mechanisms-term[data-tip-text]").nth(1)
    term2.focus()
    expect(tooltip).to_be_visible()
    expect(tooltip.locator(".mechanisms-tooltip-text")).to_have_text(term2.get_attribute("data-tip-text"))
    page.keyboard.press("Escape")
    expect(tooltip).to_be_hidden()
    expect(term2).not_to_have_attribute("aria-describedby", re.compile("mechanisms-tooltip"))
    assert not page.traffic.script_errors("mechanisms.js")


# Host-independent: the tooltip's text and its grace period for the pointer are our script on
# the same HTML (test_host_parity); no position is asserted.
@pytest.mark.mkdocs_only
def test_citation_tooltip(page, base_url):
    goto(page, base_url, "ketamine/")
    cite = page.locator("sup.mechanisms-cite a[data-tip-text]").first
    cite.scroll_into_view_if_needed()
    cite.hover()
    tooltip = page.locator(TOOLTIP)
    expect(tooltip).to_be_visible()
    expect(tooltip.locator(".mechanisms-tooltip-text")).to_have_text(cite.get_attribute("data-tip-text"))
    # The tooltip is hoverable (WCAG 1.4.13): moving onto it keeps it open.
    box = tooltip.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=4)
    page.wait_for_timeout(400)
    expect(tooltip).to_be_visible()


# --------------------------------------------------------------------------- #
# 4. Walkthrough steps highlight the diagram                                  #
# --------------------------------------------------------------------------- #


# Host-independent: the classes, focus and status our script sets on the same HTML
# (test_host_parity); whether the step stays in view in each theme is test_interaction's, on both.
@pytest.mark.mkdocs_only
def test_walkthrough_step_highlights_edge(page, base_url):
    goto(page, base_url, "ketamine/")
    figure = page.locator(FIGURE).first
    details = figure.locator("details.mechanisms-walkthrough")
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    steps = figure.locator("li.mechanisms-step[data-edge]")
    assert steps.count() >= 2

    first = steps.nth(0)
    first.focus()
    edge_id = first.get_attribute("data-edge")
    edge = page.locator(f'[id="{edge_id}"]')
    expect(edge).to_have_class(re.compile(r"\bmechanisms-highlight\b"))
    expect(figure).to_have_class(re.compile(r"\bmechanisms-dimmed\b"))
    expect(first).to_have_class(re.compile(r"\bis-active\b"))
    for end in ("data-source", "data-target"):
        expect(page.locator(f'[id="{first.get_attribute(end)}"]')).to_have_class(
            re.compile(r"\bmechanisms-highlight\b")
        )

    figure.locator("button.mechanisms-step-next").click()
    second = steps.nth(1)
    expect(second).to_be_focused()
    expect(second).to_have_class(re.compile(r"\bis-active\b"))
    expect(first).not_to_have_class(re.compile(r"\bis-active\b"))
    expect(page.locator(f'[id="{second.get_attribute("data-edge")}"]')).to_have_class(
        re.compile(r"\bmechanisms-highlight\b")
    )
    expect(figure.locator(".mechanisms-step-status")).to_have_text(re.compile(r"^Step 2 of \d+$"))

    # Leaving the figure clears the highlight.
    page.locator(".md-content article h1").first.click()
    page.keyboard.press("Escape")
    expect(figure).not_to_have_class(re.compile(r"\bmechanisms-dimmed\b"))
    assert not page.traffic.script_errors("mechanisms.js")


# --------------------------------------------------------------------------- #
# 5. Enlarge dialog                                                           #
# --------------------------------------------------------------------------- #


# Host-independent: the dialog, its zoom keys and the focus it returns are our script and our
# CSS on the same HTML (test_host_parity); its fit to the window is test_fit's, on both hosts.
@pytest.mark.mkdocs_only
def test_enlarge_dialog_zoom_and_close(page, base_url):
    goto(page, base_url, "ketamine/")
    button = page.locator(f"{FIGURE} button.mechanisms-enlarge").first
    dialog = page.locator("dialog.mechanisms-zoom")
    svg = dialog.locator(".mechanisms-zoom-viewport > svg")

    button.click()
    expect(dialog).to_have_attribute("open", "")
    expect(dialog).to_have_attribute("aria-label", re.compile(r"^Enlarged figure"))
    expect(svg).to_be_visible()
    before = svg.evaluate("s => s.style.transform")
    assert "scale(" in before
    page.keyboard.type("+")
    expect(svg).not_to_have_attribute("style", re.compile(re.escape(before)))
    after = svg.evaluate("s => s.style.transform")
    scale = lambda t: float(re.search(r"scale\(([\d.]+)\)", t).group(1))  # noqa: E731
    assert scale(after) > scale(before), (before, after)

    page.keyboard.press("Escape")
    expect(dialog).not_to_have_attribute("open", "")
    expect(button).to_be_focused()

    button.click()
    expect(dialog).to_have_attribute("open", "")
    dialog.locator("button.mechanisms-zoom-close").click()
    expect(dialog).not_to_have_attribute("open", "")
    expect(button).to_be_focused()
    assert not page.traffic.script_errors("mechanisms.js")


# --------------------------------------------------------------------------- #
# 6. Dark mode                                                                #
# --------------------------------------------------------------------------- #


def node_text_fill(page) -> str:
    return page.locator(f"{FIGURE} .mechanisms-diagram svg g.node text").first.evaluate(
        "t => getComputedStyle(t).fill"
    )


def test_dark_mode_toggle_lightens_diagram_text(page, base_url):
    goto(page, base_url, "ketamine/")
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    assert luminance(node_text_fill(page)) < 0.5, node_text_fill(page)

    page.locator('label[for="__palette_1"]').click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    fill = node_text_fill(page)
    assert luminance(fill) > 0.5, f"node text fill in dark mode is {fill}"

    # The choice is stored: another page, loaded afresh, is dark too.
    goto(page, base_url, "psilocybin/")
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    assert luminance(node_text_fill(page)) > 0.5
    assert not page.traffic.script_errors("mechanisms.js")


#: Every SVG text of the figures (diagram and legend) with the colour drawn behind it.
SVG_TEXT_COLOURS = """() => {
    const page = getComputedStyle(document.body).backgroundColor;
    const painted = (c) => c && c !== "none" && !/^rgba\\(.*,\\s*0\\)$/.test(c) && c !== "transparent";
    return Array.from(document.querySelectorAll("figure.mechanisms-figure svg text"))
        .filter((t) => t.textContent.trim() && t.getClientRects().length)
        .map((t) => {
            const node = t.closest("g.node");
            const shape = node && node.querySelector("path, polygon, ellipse, rect");
            const fill = shape && getComputedStyle(shape).fill;
            const where = t.closest(".mechanisms-legend-diagram") ? "legend" : "diagram";
            return {text: t.textContent.trim(), where, fg: getComputedStyle(t).fill,
                    bg: painted(fill) ? fill : page, page};
        });
}"""


def rgba(css_colour: str) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", css_colour)]
    return (*numbers[:3], numbers[3] if len(numbers) > 3 else 1.0)  # type: ignore[return-value]


def contrast(fg: str, bg: str, page_bg: str) -> float:
    """WCAG contrast of ``fg`` over ``bg`` (itself over the page), alpha-blended."""

    def over(top, under):
        a = top[3]
        return (*(top[i] * a + under[i] * (1 - a) for i in range(3)), 1.0)

    back = over(rgba(bg), rgba(page_bg))
    front = over(rgba(fg), back)
    lum = [luminance("rgb({}, {}, {})".format(*c[:3])) for c in (front, back)]
    return (max(lum) + 0.05) / (min(lum) + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_diagram_and_legend_text_is_readable(page_factory, base_url, scheme):
    page = page_factory(color_scheme=scheme)
    goto(page, base_url, "ketamine/")
    expect(page.locator("body")).to_have_attribute(
        "data-md-color-scheme", {"light": "default", "dark": "slate"}[scheme]
    )
    texts = page.evaluate(SVG_TEXT_COLOURS)
    assert {t["where"] for t in texts} == {"diagram"}, texts[:3]
    # the certainty channel is text too: step glyphs ("5?") are held to the same bar
    assert any(t["text"].endswith("?") for t in texts)
    # The key is text of the page, shown without opening anything.
    key = page.locator("figure.mechanisms-figure .mechanisms-key").first
    expect(key).to_be_visible()
    colours = key.evaluate(
        "k => [getComputedStyle(k).color, getComputedStyle(document.body).backgroundColor]"
    )
    texts.append({"text": "key", "where": "legend", "fg": colours[0], "bg": colours[1], "page": colours[1]})
    # 4.5:1 (WCAG AA); diagram labels are small text.
    poor = [
        f'{t["where"]}: "{t["text"]}" {t["fg"]} on {t["bg"]} = {contrast(t["fg"], t["bg"], t["page"]):.2f}:1'
        for t in texts
        if contrast(t["fg"], t["bg"], t["page"]) < 4.5
    ]
    assert not poor, f"{len(poor)} of {len(texts)} SVG labels below 4.5:1 in {scheme}:\n" + "\n".join(
        poor[:12]
    )


#: The accessible name of every diagram SVG, from its aria-labelledby references.
SVG_NAMES = """() => Array.from(document.querySelectorAll("figure.mechanisms-figure .mechanisms-diagram svg"))
    .map((svg) => (svg.getAttribute("aria-labelledby") || "").split(/\\s+/).filter(Boolean)
        .map((id) => (document.getElementById(id) || {}).textContent || "").join(" "))"""


# Host-independent: the names are read from our figure HTML, the same on both hosts (test_host_parity).
@pytest.mark.mkdocs_only
def test_diagram_accessible_names_have_no_raw_citation_keys(page, base_url):
    names = []
    for path in ("psilocybin/", "common-mechanisms/"):
        goto(page, base_url, path)
        names += page.evaluate(SVG_NAMES)
    assert names and all(n.strip() for n in names), names
    raw = [n for n in names if re.search(r"\[@[\w:-]+", n)]
    assert not raw, "screen readers would read citation keys:\n" + "\n".join(n[:200] for n in raw)


# --------------------------------------------------------------------------- #
# 7. No console errors, nothing fetched from elsewhere                        #
# --------------------------------------------------------------------------- #


def page_params() -> list:
    """One ``pytest.param`` per page type, named after it."""
    return [pytest.param(path, id=name) for name, path in PAGE_TYPES.items()]


@pytest.mark.parametrize("path", page_params())
def test_page_requests_stay_on_the_local_server_and_log_no_errors(page, base_url, path):
    """One load per page type and host for both checks (each page load costs Chromium about 1.5 s)."""
    goto(page, base_url, path)
    page.wait_for_load_state("networkidle")
    assert page.traffic.requests, "no requests recorded"
    # `font: false`: no Google Fonts stylesheet.
    assert page.locator('link[href*="fonts.googleapis"], link[href*="fonts.gstatic"]').count() == 0
    page.traffic.assert_local()
    page.traffic.assert_no_errors()


# --------------------------------------------------------------------------- #
# 9. Keyboard only                                                            #
# --------------------------------------------------------------------------- #


FOCUSED_NODE_LINK = """() => {
    const a = document.activeElement;
    return !!(a && a.localName === "a" && a.closest("figure.mechanisms-figure svg g.node")
              && (a.hasAttribute("href") || a.hasAttributeNS("http://www.w3.org/1999/xlink", "href")));
}"""


def test_keyboard_reaches_and_follows_a_diagram_node(page, base_url):
    goto(page, base_url, "ketamine/")
    page.locator("body").focus()
    found = False
    for _ in range(200):
        page.keyboard.press("Tab")
        found = page.evaluate(FOCUSED_NODE_LINK)
        if found:
            break
    assert found, "200 Tab presses never reached a diagram node link"

    info = page.evaluate(
        """() => {
            const a = document.activeElement;
            const shape = a.querySelector('path, polygon, ellipse, rect');
            const cs = getComputedStyle(a);
            return {
              href: a.getAttribute('href') || a.getAttributeNS('http://www.w3.org/1999/xlink', 'href'),
              title: a.getAttribute('data-tip-title'),
              focusVisible: a.matches(':focus-visible'),
              outlineStyle: cs.outlineStyle,
              outlineWidth: parseFloat(cs.outlineWidth),
              strokeWidth: shape ? parseFloat(getComputedStyle(shape).strokeWidth) : 0,
            };
        }"""
    )
    assert info["focusVisible"], info
    visible_outline = info["outlineStyle"] != "none" and info["outlineWidth"] > 0
    assert visible_outline or info["strokeWidth"] >= 3, f"no visible focus indicator: {info}"

    page.keyboard.press("Enter")
    expect(h1(page)).to_have_text(heading(info["title"]))
    slug = info["href"].rstrip("/").rsplit("/", 1)[-1]
    under_prefix(page, base_url, f"glossary/{slug}/")
    assert not page.traffic.script_errors("mechanisms.js")
