"""Printed pages and the references page: no blank page, no split figure, no entry longer than a screen."""

from __future__ import annotations

import pytest

from .conftest import goto, only_on_mkdocs

pytestmark = pytest.mark.browser


def contrast_on_white(colour: str) -> float:
    """WCAG contrast of an ``rgb()`` colour against white paper."""
    rgb = [float(c) / 255 for c in colour[colour.index("(") + 1 : -1].split(",")[:3]]
    lum = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 1.05 / (0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2] + 0.05)


def pages_of(pdf) -> list[str]:
    """The text of each page of a PDF."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTTextContainer

    return [
        " ".join("".join(x.get_text() for x in layout if isinstance(x, LTTextContainer)).split())
        for layout in extract_pages(str(pdf))
    ]


@pytest.mark.parametrize("path", ["ketamine/", "common-mechanisms/"])
def test_printing_leaves_no_blank_page_and_keeps_each_figure_with_its_caption(
    page_factory, base_url, tmp_path, path
):
    """Printed from the dark scheme with background graphics, as a reader with both settings would."""
    page = page_factory(color_scheme="dark")
    goto(page, base_url, path)
    pdf = tmp_path / "page.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True)
    texts = pages_of(pdf)
    assert all(texts), f"blank page {texts.index('') + 1} of {len(texts)}"
    # Only the figures (diagram, caption, key) left visible in the same layout: each prints on one page.
    page.add_style_tag(
        content="body { visibility: hidden !important } "
        ".mechanisms-figure > :is(.mechanisms-diagram, figcaption, .mechanisms-key), "
        ".mechanisms-figure > :is(.mechanisms-diagram, figcaption, .mechanisms-key) * { visibility: visible !important }"
    )
    page.pdf(path=str(pdf), format="A4", print_background=True)
    figures = page.locator("figure.mechanisms-figure").count()
    printed = [t for t in pages_of(pdf) if t]
    assert len(printed) == figures, f"{figures} figure(s) printed over {len(printed)} pages: {printed}"
    # The page's own text is dark on white whatever the screen's scheme. Paper has no
    # transitions: without this the theme's colour transition can be read half-way.
    page.add_style_tag(content="*, *::before, *::after { transition: none !important }")
    page.emulate_media(media="print")
    colours = page.evaluate(
        """() => [document.querySelector('.md-content h1'), document.querySelector('.md-content p a')]
            .map(e => getComputedStyle(e).color).concat(getComputedStyle(document.body).backgroundColor)"""
    )
    assert colours[2] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), colours
    for colour in colours[:2]:
        assert contrast_on_white(colour) >= 4.5, f"{colour} is too pale on paper"


@pytest.mark.parametrize(("width", "height"), [(1440, 900), (390, 844)])
def test_no_reference_is_longer_than_a_screen(page_factory, server, base_url, width, height):
    only_on_mkdocs(server)
    page = page_factory(viewport={"width": width, "height": height})
    goto(page, base_url, "references/")
    entries = page.evaluate(
        """() => Array.from(document.querySelectorAll('.mechanisms-references > li'))
            .map(li => [li.id, li.getBoundingClientRect().height, li.querySelectorAll('.mechanisms-cited-on-pages a').length,
                        /\\bstep \\d+ ·/.test(li.textContent)])"""
    )
    assert entries
    for key, tall, links, steps in entries:
        assert tall <= height - 48, f"{key}: {tall:.0f} px tall ({links} back-links)"
        assert not steps, f"{key}: steps listed one by one"
