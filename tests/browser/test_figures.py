"""Figures as a reader meets them: rendered text size at both viewports, print, numbering, comparison channels."""

from __future__ import annotations

import re

import pytest

from .conftest import goto

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


@pytest.mark.parametrize(("width", "height", "label_px"), [(1440, 900, 12), (390, 844, 10)])
def test_every_article_figure_is_legible_without_zooming(
    page_factory, base_url, server, width, height, label_px
):
    page = page_factory()
    page.set_viewport_size({"width": width, "height": height})
    problems = []
    for path in ARTICLE:
        goto(page, base_url, path)
        for f in page.evaluate(MEASURE):
            where = f"{path or 'home'} #{f['id']} at {width}px"
            if f["label"] < label_px - 0.05:
                problems.append(f"{where}: node labels {f['label']:.1f} px < {label_px}")
            if f["text"] < 9.95:
                problems.append(f"{where}: text {f['text']:.1f} px < 10")
            if f["scrolls"] or f["width"] > f["column"] + 1:
                problems.append(f"{where}: {f['width']:.0f} px wide in a {f['column']} px column")
    assert not problems, "\n".join(problems)


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
