"""The script on a built page: every module arrives and runs, over HTTP and from a site opened from disk.

The modules are joined into one classic script rather than shipped as ES modules because
browsers run no module script from a ``file://`` URL; the last test keeps that choice honest.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs_mechanisms.scripts import MODULES
from mkdocs_mechanisms.site import SCRIPTS

from .conftest import goto, wait_bound

#: What each role leaves on a page with a walkthrough figure once the script has run.
TRACES = """() => ({
  bound: document.querySelectorAll('figure.mechanisms-figure:not([data-mechanisms-bound])').length === 0
    && document.querySelectorAll('figure.mechanisms-figure').length > 0,
  tooltip: !!document.querySelector('body > #mechanisms-tooltip[role=tooltip]'),
  hit: !!document.querySelector('.mechanisms-diagram svg .edge .mechanisms-hit'),
  stepnav: !!document.querySelector('.mechanisms-stepnav .mechanisms-step-next'),
  enlarge: !!document.querySelector('.mechanisms-diagram-tools .mechanisms-enlarge'),
})"""


def test_every_module_is_loaded_and_runs_on_a_built_page(page, base_url):
    goto(page, base_url, "ketamine/")
    mine = [u for u in page.traffic.requests if "/assets/mechanisms/" in u and u.endswith(".js")]
    assert mine == [base_url + path for path in SCRIPTS], mine
    served = page.evaluate("(url) => fetch(url).then((r) => r.text())", mine[0])
    for name in MODULES:
        assert f"/* ---- {name} ---- */" in served, f"{name} is not in the script the page loads"
    assert page.evaluate(TRACES) == dict.fromkeys(("bound", "tooltip", "hit", "stepnav", "enlarge"), True)
    assert not page.traffic.script_errors("mechanisms.js")


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def offline(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The starter site built with ``use_directory_urls: false``, as for reading from disk."""
    from hosts import build_with

    root = tmp_path_factory.mktemp(f"offline-{request.param}") / "site-src"
    command = [sys.executable, "-m", "mkdocs_mechanisms.cli", "new", str(root)]
    subprocess.run(command, check=True, capture_output=True)
    build_with(request.param, root / "mkdocs.yml", root / "site", directory_urls=False)
    return root / "site"


def test_a_site_opened_from_disk_keeps_its_tooltips_and_enlarge(browser, offline: Path):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(exc.message))
        page.goto((offline / "pathways/aspirin-cox.html").as_uri())
        wait_bound(page)
        assert page.evaluate(TRACES)["enlarge"]
        node = page.locator(".mechanisms-diagram svg .node[data-tip-text]").first
        node.hover()
        page.wait_for_selector("#mechanisms-tooltip:not([hidden])")
        page.locator(".mechanisms-enlarge").first.click()
        assert page.evaluate("() => document.querySelector('dialog.mechanisms-zoom').open")
    finally:
        context.close()
    assert not errors, errors
