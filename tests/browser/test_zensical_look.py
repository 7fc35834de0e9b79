"""Same look on every host: no figure text is underlined, whatever theme draws the page.

Graphviz wraps clusters and nodes in ``<a>`` (some without ``href``), and a theme that
underlines links then underlines every node and region label. The starter site that
``mkdocs-mechanisms new`` writes (and its ``--zensical`` twin) is built with MkDocs (Material),
Zensical 0.0.73 and Zensical 0.1.x (with the stand-in theme package, see ``hosts.py``), then
Chromium reads the computed ``text-decoration-line`` of every text in every figure and of each
of its ancestors up to the figure.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

UNDERLINED = """
() => {
  const found = [];
  for (const text of document.querySelectorAll('.mechanisms-figure svg text')) {
    for (let el = text; el && !el.matches('.mechanisms-figure'); el = el.parentElement) {
      if (getComputedStyle(el).textDecorationLine.includes('underline')) {
        found.push(text.textContent.trim() + ' (' + el.tagName + ')');
        break;
      }
    }
  }
  return {texts: document.querySelectorAll('.mechanisms-figure svg text').length, found};
}
"""

CASES = [
    ("mkdocs", False),
    ("zensical", False),
    ("zensical-next", False),
    ("zensical", True),
    ("zensical-next", True),
]


@pytest.fixture(scope="module", params=CASES, ids=[f"{h}-{'toml' if z else 'yml'}" for h, z in CASES])
def starter(request: pytest.FixtureRequest, starters) -> Path:
    """The starter site, built by one host from its mkdocs.yml or zensical.toml (built once for
    the session: ``starters`` in conftest.py)."""
    host, toml = request.param
    return starters(host, toml=toml) / "site"


@pytest.mark.parametrize("page_path", ["index.html", "pathways/aspirin-cox/index.html"])
def test_no_figure_text_is_underlined(browser, starter: Path, page_path: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto((starter / page_path).as_uri())
        result = page.evaluate(UNDERLINED)
    finally:
        context.close()
    assert result["texts"] > 3, "the figure was drawn"
    assert result["found"] == [], result["found"]
