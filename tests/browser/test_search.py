"""The search box in the header, on both hosts: visible, clear of the title, and it finds pages.

The project overrides ``partials/search.html`` (an accessible name for Material's
dialog); Zensical's header expects its own, different partial, and Material's
markup there spilled a bare input, icons and "Initializing search" over the
header. This is the reader's view of that: open the box, type, see results.
"""

from __future__ import annotations

import pytest

from .conftest import goto

expect = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright").expect

pytestmark = pytest.mark.browser

SIZES = [(1440, 900), (390, 844)]
INPUT = 'input[aria-label="Search"]:visible'
RESULT = '.md-search-result a:visible, [id$="-results"] a:visible'
"""Result links: Material's list, or the list Zensical's input names in ``aria-controls``."""
TRIGGER = {
    "mkdocs": ".md-search__form",  # Material shows the input itself in the header
    "zensical": ".md-search__button",  # Zensical shows a button that opens its dialog
}


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_search_box_sits_in_the_header_and_finds_pages(page, base_url, server, size):
    host = server[3]
    page.set_viewport_size({"width": size[0], "height": size[1]})
    goto(page, base_url)
    header = page.locator(".md-header").bounding_box()
    title = page.locator(".md-header__title").bounding_box()
    assert header and title and header["height"] <= 80, "the header keeps its height (nothing spills into it)"
    if size[0] >= 1220:  # Material and Zensical show the search box itself from 76.25em
        trigger = page.locator(TRIGGER[host])
        expect(trigger).to_be_visible()
        box = trigger.bounding_box()
        assert box is not None and not _overlap(box, title), "the search box is clear of the title"
        assert header["y"] <= box["y"] and box["y"] + box["height"] <= header["y"] + header["height"]
        trigger.click()
    else:  # phones: the magnifier button in the header opens the search
        button = page.locator("label.md-header__button[for=__search]")
        expect(button).to_be_visible()
        box = button.bounding_box()
        assert box is not None and not _overlap(box, title)
        button.click()
    field = page.locator(INPUT)
    expect(field).to_be_visible()
    field.click()
    page.keyboard.type("ketamine", delay=20)
    first = page.locator(RESULT).first
    expect(first).to_be_visible(timeout=15_000)
    assert "ketamine" in (first.get_attribute("href") or "")
    assert "ketamine" in first.inner_text().lower()
