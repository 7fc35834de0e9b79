"""Figure fences: one builder per kind, a slot holding the caption, put in place with the page's HTML."""

from __future__ import annotations

import re

import pytest
from engine_site import NAV, SHARED, Built, cold_build, figures
from mkdocs_mechanisms.deferred import Slot, arguments, slot
from mkdocs_mechanisms.figures import Figures
from mkdocs_mechanisms.record import PageState
from mkdocs_mechanisms.reporter import Reporter

pytestmark = SHARED


@pytest.fixture(scope="module")
def cold(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return cold_build(tmp_path_factory)[1]


def test_a_fence_becomes_a_slot_holding_its_caption_as_markdown(cold: Built) -> None:
    site = cold.site  # its parts, with a reporter of its own: the shared build stays as it was
    reporter = Reporter(serving=True, warn=lambda _: None)
    figs = Figures(site.sources, site.diagrams, site.links, site.options, reporter)
    page = PageState("extra.md", "extra/", "docs/extra.md")
    notices: list[str] = []
    markdown = figs.place("Text.\n\n```pathway\nx-blocks-y\n```\n\n```pathway\nnope\n", page, notices)
    assert arguments(markdown, Slot.FIGURE) == ["1"] and list(page.figures) == [1]
    assert "cortex [@smith2020]." + slot(Slot.FIGURE_END, "1") in markdown
    assert notices == [
        "docs/extra.md:7: the 'pathway' fence is never closed (end the figure with a line of the same backticks or tildes)"
    ]
    filled = figs.fill(f"<p>{markdown.split(chr(10))[3]}</p>", page)
    assert filled.startswith('<figure class="mechanisms-figure" id="mfig1"') and "<p>" not in filled[:20]


def test_each_fence_kind_becomes_its_figure_with_its_diagram_in_place(cold: Built) -> None:
    more = cold.html["more.md"]
    assert figures(more) == [
        '<figure class="mechanisms-figure mechanisms-compare" id="mfig1" data-pathway="x-blocks-y other">',
        '<figure class="mechanisms-figure mechanisms-neighbourhood" id="mfig2" data-pathway="">',
        '<figure class="mechanisms-figure" id="mfig3" data-pathway="inline-mfig3">',
    ]
    assert "<strong>Where Receptor Y acts.</strong>" in more
    assert "<strong>A one-off figure.</strong> Alpha leads to beta." in more
    assert "Drug X calms another way" in more and "Comparison:" not in more, re.findall(
        r"<figcaption.{0,200}", more
    )
    home = cold.html["index.md"]
    assert figures(home) == ['<figure class="mechanisms-figure" id="mfig1" data-pathway="x-blocks-y">']
    # the figure's own source is cited before the caption's full stop, as the style places citations
    assert "<strong>Drug X blocks receptor Y.</strong> Drug X acts on receptor Y in the cortex" in home
    assert re.search(r"in the cortex<sup class=\"mechanisms-cite\">.*?</sup>\.", home)
    assert '<ol class="mechanisms-steps">' in home and 'id="mfig1-step-2"' in home
    # every figure's diagram (and the pathway's legend) is an inline SVG, its ids scoped to the figure
    for page, count in (("index.md", 2), ("more.md", 3)):
        html = cold.html[page]
        assert html.count("<svg") >= count and html.count("<svg") == html.count("</svg>")
    assert 'id="mfig1-n-drug-x"' in home
    assert cold.exports == ["pathways/compare/x-blocks-y--other.json"]


def test_figures_are_numbered_site_wide_in_reading_order(cold: Built) -> None:
    """The home page only reuses numbers: the article's first figure is the deep page's first."""
    labels = {
        src: re.findall(r'<span class="mechanisms-figure-label">([^<]*)</span>', cold.html[src])
        for src in NAV
    }
    assert labels == {
        "index.md": ["Figure 2."],
        "deep/nested/page.md": ["Figure 1.", "Figure 2."],
        "more.md": ["Figures 2 and 1 compared.", "Figure 3."],
    }
    numbers = dict(cold.site.record.figures)
    inline = [key for key in numbers if key.startswith("inline-")]
    assert len(inline) == 1 and numbers == {"other": 1, "x-blocks-y": 2, inline[0]: 3}
