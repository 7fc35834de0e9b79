"""Citations look as their style prints them, measured in Chromium on both hosts.

An author-date or in-text citation ("(Smith & Doe, 2020)", "Smith & Doe (2020)") is part of
the sentence: body size, on the line's baseline, a space from its word, in the page's text and
in a walkthrough step. A numeric superscript style (AMA, the article's) keeps its small raised
number against the word.
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator

import pytest
from conftest import minimal_files, write_site
from hosts import build_with

from .conftest import _Handler

pytestmark = pytest.mark.browser

MEASURE = """
(selector) => {
  const cite = document.querySelector(selector);
  const link = cite.querySelector('a');
  const block = cite.closest('p, li');
  const word = document.createRange();  // the text just before the citation
  let before = cite.previousSibling;
  while (before && !before.textContent.trim()) before = before.previousSibling;
  word.selectNodeContents(before);
  const own = document.createRange();
  own.selectNodeContents(link);
  const size = (el) => parseFloat(getComputedStyle(el).fontSize);
  const last = [...word.getClientRects()].pop();
  return {
    block: size(block), cite: size(cite), link: size(link),
    align: getComputedStyle(cite).verticalAlign, linkAlign: getComputedStyle(link).verticalAlign,
    wordBottom: last.bottom, citeBottom: [...own.getClientRects()][0].bottom,
    gap: [...own.getClientRects()][0].left - last.right,
  };
}
"""


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def served(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The minimal site built in APA and in AMA by one host, served under /mkdocs-mechanisms/."""
    host = request.param
    if host == "zensical":
        pytest.importorskip("zensical")
    root = tmp_path_factory.mktemp(f"citation-look-{host}")
    for style in ("apa", "american-medical-association"):
        files = minimal_files()
        files["docs/index.md"] = "# Home\n\nDrug X blocks receptors [@smith2020] and @smith2020 says so.\n"
        files["diagrams/x-blocks-y.md"] = files["diagrams/x-blocks-y.md"].replace(
            ", note: Drug X is thought to block Y.", ""
        )
        cfg = write_site(
            root / style, files, f"site_name: Test\nplugins:\n  - mechanisms:\n      csl_style: {style}\n"
        )
        build_with(host, cfg, root / style / "site")
    handler = functools.partial(_Handler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, name="citation-look-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/mkdocs-mechanisms"
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


def _measure(browser, url: str, selector: str) -> dict[str, float | str]:
    context = browser.new_context()
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        response = page.goto(url, wait_until="load")
        assert response is not None and response.ok, url
        page.evaluate("() => document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        measured: dict[str, float | str] = page.evaluate(MEASURE, selector)
        return measured
    finally:
        context.close()


PLACES = [
    ("", "p .mechanisms-cite"),  # "receptors (Smith & Doe, 2020)"
    ("", "p .mechanisms-cite-author + .mechanisms-cite"),  # "Smith & Doe (2020)"
    ("pathways/x-blocks-y/", ".mechanisms-walkthrough li .mechanisms-cite"),  # after a term's link
]


@pytest.mark.timeout(180)
@pytest.mark.parametrize(("path", "selector"), PLACES)
def test_an_author_date_citation_is_body_text_on_the_baseline(browser, served, path, selector) -> None:
    m = _measure(browser, f"{served}/apa/site/{path}", selector)
    assert m["cite"] == m["block"] and m["link"] == m["block"], m
    assert m["align"] == "baseline" and m["linkAlign"] == "baseline", m
    assert abs(float(m["citeBottom"]) - float(m["wordBottom"])) < 1, m  # on the word's line, not raised
    assert float(m["gap"]) > 1, m  # a space from the word before it


@pytest.mark.timeout(180)
@pytest.mark.parametrize(("path", "selector"), [PLACES[0], PLACES[2]])
def test_a_superscript_number_stays_small_raised_and_against_its_word(
    browser, served, path, selector
) -> None:
    m = _measure(browser, f"{served}/american-medical-association/site/{path}", selector)
    assert float(m["cite"]) == pytest.approx(0.75 * float(m["block"]), abs=0.5), m
    assert m["align"] == "super", m
    assert float(m["wordBottom"]) - float(m["citeBottom"]) > 2, m  # raised above the word's baseline
    assert abs(float(m["gap"])) < 3, m  # attached (a "1" centred in its 24 px target sits a little right)
