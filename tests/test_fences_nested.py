"""Figure fences nested in content tabs, list items and admonitions render as figures on both hosts."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import minimal_files, write_site
from hosts import HOSTS, build_with
from lxml import html

PAGE = """\
# Nested figures

=== "Mechanism"

    ```pathway
    x-blocks-y
    ```

=== "Notes"

    Nothing drawn here.

1. A list item with a figure:

    ```pathway
    x-blocks-y
    ```

!!! note "A note with a figure"

    ```pathway
    x-blocks-y
    ```
"""

CONFIG = """\
site_name: Nested
theme:
  name: material
markdown_extensions:
  - admonition
  - attr_list
  - md_in_html
  - pymdownx.superfences
  - pymdownx.tabbed:
      alternate_style: true
plugins:
  - mechanisms
"""


@pytest.fixture(scope="module", params=HOSTS)
def nested_page(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> html.HtmlElement:
    root: Path = tmp_path_factory.mktemp(f"nested-{request.param}")
    cfg = write_site(root, {**minimal_files(), "docs/nested.md": PAGE}, CONFIG)
    build_with(request.param, cfg, root / "site")
    return html.fromstring((root / "site/nested/index.html").read_text(encoding="utf-8"))


def _figures(element: html.HtmlElement) -> list[html.HtmlElement]:
    return element.xpath(".//figure[contains(concat(' ', @class, ' '), ' mechanisms-figure ')]")


def _assert_drawn(container: html.HtmlElement) -> None:
    figures = _figures(container)
    assert len(figures) == 1, html.tostring(container, encoding="unicode")[:600]
    assert figures[0].xpath(".//svg"), "the figure holds its diagram"
    assert not container.xpath(".//pre | .//code[contains(., 'x-blocks-y')]"), "no code block left"


def test_a_fence_in_a_content_tab_is_a_figure_inside_that_tab_panel(nested_page):
    tabs = nested_page.xpath("//div[contains(@class, 'tabbed-set')]")
    assert len(tabs) == 1
    panels = tabs[0].xpath(".//div[contains(@class, 'tabbed-block')]")
    labels = [label.text_content().strip() for label in tabs[0].xpath(".//label")]
    assert labels == ["Mechanism", "Notes"] and len(panels) == 2
    _assert_drawn(panels[0])
    assert not _figures(panels[1])


def test_fences_in_a_list_item_and_an_admonition_are_figures(nested_page):
    items = nested_page.xpath("//ol[not(ancestor::figure) and not(ancestor::nav)]/li")
    assert len(items) == 1 and "A list item with a figure" in items[0].text_content()
    _assert_drawn(items[0])
    notes = nested_page.xpath("//div[contains(concat(' ', @class, ' '), ' admonition ')]")
    assert len(notes) == 1
    assert (
        notes[0].xpath("./p[contains(@class, 'admonition-title')]")[0].text_content()
        == "A note with a figure"
    )
    _assert_drawn(notes[0])
    assert len(_figures(nested_page)) == 3
