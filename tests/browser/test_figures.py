"""Figures as a reader meets them: rendered text size at both viewports, print, numbering, comparison channels."""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest

from .conftest import PREFIX, SKIP_REASON, _Handler, goto

ARTICLE = ["", "neurogenic-theory/", "ketamine/", "psilocybin/", "common-mechanisms/", "looking-forward/"]
ARTICLE += [
    f"pathways/{p}/"
    for p in ("ketamine-glutamate-surge", "psilocybin-glutamate-surge", "shared-bdnf-cascade")
]

#: Per visible figure SVG: smallest node label and smallest text, in CSS px on screen
#: (font size × the element's screen transform), and the SVG's width against its box.
MEASURE = """() => Array.from(document.querySelectorAll('figure.mechanisms-figure')).map(fig => {
  const box = fig.querySelector('.mechanisms-diagram');
  const svg = Array.from(box.querySelectorAll(':scope > svg')).find(s => s.getClientRects().length);
  let label = 99, text = 99;
  svg.querySelectorAll('text').forEach(t => {
    const m = t.getScreenCTM();
    const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    if (t.closest('.node')) label = Math.min(label, px);
    text = Math.min(text, px);
  });
  return {id: fig.id, label, text, width: svg.getBoundingClientRect().width,
          column: box.clientWidth, scrolls: box.scrollWidth > box.clientWidth + 1};
})"""


VIEWPORTS = [(1440, 900, 12), (390, 844, 10)]
"""(width, height, smallest node label in px): every other text is at least 10 px at both."""


def illegible(page, where: str, label_px: float) -> list[str]:
    """What on this page's figures is too small or too wide, one line each."""
    problems = []
    for f in page.evaluate(MEASURE):
        at = f"{where} #{f['id']}"
        if f["label"] < label_px - 0.05:
            problems.append(f"{at}: node labels {f['label']:.1f} px < {label_px}")
        if f["text"] < 9.95:
            problems.append(f"{at}: text {f['text']:.1f} px < 10")
        if f["scrolls"] or f["width"] > f["column"] + 1:
            problems.append(f"{at}: {f['width']:.0f} px wide in a {f['column']} px column")
    return problems


@pytest.mark.parametrize(("width", "height", "label_px"), VIEWPORTS)
def test_every_article_figure_is_legible_without_zooming(page_factory, base_url, width, height, label_px):
    """Material (MkDocs) and Zensical: the ``server`` fixture builds the article with each."""
    page = page_factory()
    page.set_viewport_size({"width": width, "height": height})
    problems = []
    for path in ARTICLE:
        goto(page, base_url, path)
        problems += illegible(page, f"{path or 'home'} at {width}px", label_px)
    assert not problems, "\n".join(problems)


PLAIN_PAGE = """# Two pathways

```pathway
ketamine-glutamate-surge
```

```pathway
psilocybin-glutamate-surge
```

```pathway-compare
ketamine-glutamate-surge psilocybin-glutamate-surge
```
"""


@pytest.fixture(scope="session")
def plain_site(tmp_path_factory: pytest.TempPathFactory):
    """The article's two pathways and their overlay in MkDocs' own theme, served: yields the page URL."""
    if SKIP_REASON:
        pytest.skip(SKIP_REASON)
    import shutil

    from conftest import REPO  # tests/conftest.py
    from hosts import build_with

    root = tmp_path_factory.mktemp("browser-plain-theme")
    shutil.copytree(REPO / "diagrams", root / "diagrams")
    shutil.copytree(REPO / "docs/glossary", root / "docs/glossary")
    shutil.copy(REPO / "docs/references.bib", root / "docs/references.bib")
    for page in (REPO / "docs").glob("*.md"):  # the pages the glossary's and figures' links reach
        shutil.copy(page, root / "docs" / page.name)
    (root / "docs/index.md").write_text(PLAIN_PAGE, encoding="utf-8")
    cfg = root / "mkdocs.yml"
    cfg.write_text(
        "site_name: Plain\ntheme:\n  name: mkdocs\n  user_color_mode_toggle: true\n"
        "markdown_extensions: [admonition, attr_list, md_in_html, tables, pymdownx.details, pymdownx.superfences]\n"
        "plugins: [mechanisms]\n",
        encoding="utf-8",
    )
    site = root / "site"
    build_with("mkdocs", cfg, site)
    httpd = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Handler, directory=str(site))
    )
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, name="plain-site", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}{PREFIX}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


#: Contrast of every figure's arrows against the page behind them (WCAG's ratio).
ARROW_CONTRAST = r"""() => {
  const lum = (c) => { const [r, g, b] = c.match(/[\d.]+/g).slice(0, 3).map(v => {
      v = v / 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const bg = lum(getComputedStyle(document.body).backgroundColor);
  return Array.from(document.querySelectorAll('.mechanisms-diagram svg .edge path:not(.mechanisms-hit)'))
    .filter(p => p.getClientRects().length).map(p => {
      const fg = lum(getComputedStyle(p).stroke);
      return (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05); });
}"""


@pytest.mark.parametrize("server", ["mkdocs"], indirect=True)  # MkDocs' own theme is built by MkDocs
@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("width", "height", "label_px"), VIEWPORTS)
def test_figures_are_legible_in_mkdocs_own_theme(
    page_factory, server, plain_site, scheme, width, height, label_px
):
    """MkDocs' default theme: its column, and its colour mode (light unless the reader picks dark)."""
    page = page_factory(color_scheme=scheme)
    page.set_viewport_size({"width": width, "height": height})
    goto(page, plain_site)
    problems = illegible(page, f"theme: mkdocs at {width}px", label_px)
    assert len(page.evaluate(MEASURE)) == 3
    for mode in ("light", "dark"):  # the theme's own switch, whatever the system prefers
        page.evaluate(f"() => setColorMode('{mode}')")
        contrast = page.evaluate(ARROW_CONTRAST)
        assert contrast and min(contrast) >= 3, (
            f"{mode} mode, {scheme} system: arrows at {min(contrast):.1f}:1"
        )
    assert not problems, "\n".join(problems)
    assert not page.traffic.script_errors("mechanisms.js")


#: Smallest node label in the enlarge dialog, and where the node it opened on is, against the viewport.
ZOOM_MEASURE = r"""(first) => {
  const vp = document.querySelector('dialog.mechanisms-zoom .mechanisms-zoom-viewport');
  const svg = vp.querySelector('svg');
  let label = 99;
  svg.querySelectorAll('.node text').forEach(t => {
    const m = t.getScreenCTM();
    label = Math.min(label, parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b));
  });
  const node = svg.querySelector(first);
  const r = node.getBoundingClientRect(), v = vp.getBoundingClientRect(), s = svg.getBoundingClientRect();
  return {label, name: node.textContent.trim().split(/\s+/).join(' '),
          inside: r.left >= v.left && r.right <= v.right && r.top >= v.top && r.bottom <= v.bottom,
          larger: s.width > v.width + 1 || s.height > v.height + 1, transform: svg.style.transform};
}"""


@pytest.mark.parametrize(
    ("path", "index", "first", "name"),
    [
        ("ketamine/", 0, "[id$='-n-ketamine']", "Ketamine"),
        ("psilocybin/", 0, "[id$='-n-psilocybin']", "Psilocybin"),
        ("common-mechanisms/", 0, "[id$='-n-a-ketamine']", "Ketamine"),
    ],
)
def test_enlarge_on_a_phone_opens_readable_on_the_first_node(
    page_factory, base_url, path, index, first, name
):
    page = page_factory(has_touch=True, is_mobile=True)
    page.set_viewport_size({"width": 390, "height": 844})
    goto(page, base_url, path)
    page.locator("figure.mechanisms-figure button.mechanisms-enlarge").nth(index).click()
    page.wait_for_selector("dialog.mechanisms-zoom[open] .mechanisms-zoom-viewport svg")
    seen = page.evaluate(ZOOM_MEASURE, first)
    assert seen["label"] >= 12, f"{path}: enlarged labels {seen['label']:.1f} px"
    assert seen["name"] == name and seen["inside"], seen  # opened on the first node, whole
    assert seen["larger"], seen  # the rest is reached by panning
    page.keyboard.press("ArrowDown")
    assert page.evaluate(ZOOM_MEASURE, first)["transform"] != seen["transform"]  # and it pans
    page.traffic.assert_no_errors(include_off_site_loads=False)


def test_each_pathway_keeps_its_number_on_every_page(page, base_url):
    def labels(path: str) -> dict[str, str]:
        goto(page, base_url, path)
        return page.evaluate(
            """() => Object.fromEntries(Array.from(document.querySelectorAll('figure.mechanisms-figure'))
                .map(f => [f.dataset.pathway, f.querySelector('.mechanisms-figure-label').textContent]))"""
        )

    assert labels("ketamine/")["ketamine-glutamate-surge"] == "Figure 1."
    assert labels("psilocybin/")["psilocybin-glutamate-surge"] == "Figure 2."
    common = labels("common-mechanisms/")
    assert common["shared-bdnf-cascade"] == "Figure 3."
    assert common["ketamine-glutamate-surge psilocybin-glutamate-surge"] == "Figures 1 and 2 compared."
    assert labels("")["shared-bdnf-cascade"] == "Figure 3."  # the home page reuses the article's number
    assert labels("pathways/psilocybin-glutamate-surge/")["psilocybin-glutamate-surge"] == "Figure 2."
    caption = page.locator("figure.mechanisms-figure figcaption").first.inner_text()
    assert re.match(
        r"Figure 2\. Psilocybin triggers a glutamate surge in the prefrontal cortex\. \w", caption
    )


def test_printing_from_dark_mode_keeps_dark_arrows_on_white(page_factory, base_url, tmp_path):
    page = page_factory(color_scheme="dark")
    goto(page, base_url, "pathways/ketamine-glutamate-surge/")
    assert page.locator("body").get_attribute("data-md-color-scheme") == "slate"
    screen = page.evaluate(
        "() => getComputedStyle(document.querySelector('.mechanisms-diagram .edge path')).stroke"
    )
    page.emulate_media(media="print")
    strokes = page.evaluate(
        """() => Array.from(document.querySelectorAll('.mechanisms-diagram svg.mechanisms-svg-wide .edge'))
            .map(e => getComputedStyle(e.querySelector('path:not(.mechanisms-hit)')).stroke)"""
    )
    assert strokes and screen != strokes[0]
    for stroke in set(strokes):
        r, g, b = (int(x) for x in re.findall(r"\d+", stroke)[:3])
        assert max(r, g, b) < 90, f"arrow {stroke} would vanish on white paper"
    pdf = tmp_path / "ketamine.pdf"
    page.pdf(path=str(pdf), format="A4")
    assert pdf.stat().st_size > 10_000
    # The paper itself: only the diagrams are left visible (the layout stays as printed), so every
    # character and line in the PDF is the figure's. Sizes are font size × transform, in points.
    page.add_style_tag(
        content="body { visibility: hidden !important } .mechanisms-diagram svg { visibility: visible !important }"
    )
    page.pdf(path=str(pdf), format="A4")
    chars, strokes = printed(pdf)
    text = "".join(c for c, _ in chars)
    assert "Ketamine" in text and "Glutamate" in text, text[:200]
    smallest = min(size for _, size in chars)
    assert smallest >= 8, f"figure text prints at {smallest:.1f} pt"
    assert strokes and max(max(rgb) for rgb in strokes) < 0.7, f"light lines on paper: {sorted(strokes)}"


def printed(pdf: Path) -> tuple[list[tuple[str, float]], set[tuple[float, ...]]]:
    """Every character (text, size in pt) and every stroke colour (RGB, 0–1) of a PDF."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar, LTCurve

    chars: list[tuple[str, float]] = []
    strokes: set[tuple[float, ...]] = set()

    def walk(item) -> None:
        if isinstance(item, LTChar):
            chars.append((item.get_text(), item.size))
        elif isinstance(item, LTCurve):
            colour = item.stroking_color
            if item.stroke and isinstance(colour, tuple) and len(colour) == 3:
                strokes.add(tuple(float(c) for c in colour))
        elif hasattr(item, "__iter__"):
            for child in item:
                walk(child)

    for layout in extract_pages(str(pdf)):
        walk(layout)
    return chars, strokes


def test_comparison_channels_membership_by_line_relation_by_arrowhead(page, base_url):
    goto(page, base_url, "common-mechanisms/")
    lines = page.evaluate(
        """() => Array.from(document.querySelectorAll('.mechanisms-compare svg.mechanisms-svg-wide .edge'))
            .map(e => { const s = getComputedStyle(e.querySelector('path:not(.mechanisms-hit)'));
                        return [e.classList.contains('shared') ? 'shared' : e.classList.contains('only-a') ? 'a' : 'b',
                                s.strokeWidth, s.strokeDasharray]; })"""
    )
    by = {}
    for member, width, dash in lines:
        by.setdefault(member, set()).add((width, dash))
    assert by["shared"] == {("3.6px", "none")}
    assert by["a"] == {("2.2px", "10px, 4px")} and by["b"] == {("2.2px", "4px, 3px")}


def test_the_comparison_table_stacks_on_a_phone(page_factory, base_url):
    """Three columns in a 358 px column are a word wide: each list goes below the last, under its heading."""
    page = page_factory()
    page.set_viewport_size({"width": 390, "height": 844})
    goto(page, base_url, "common-mechanisms/")
    cells = page.evaluate(
        """() => Array.from(document.querySelectorAll('.mechanisms-compare-table td')).map(td => {
             const r = td.getBoundingClientRect();
             return {width: r.width, top: r.top, label: getComputedStyle(td, '::before').content}; })"""
    )
    assert [c["label"] for c in cells] == ['"Shared steps"', '"Only in Ketamine"', '"Only in Psilocybin"']
    assert all(c["width"] > 300 for c in cells), cells
    assert cells[0]["top"] < cells[1]["top"] < cells[2]["top"]
