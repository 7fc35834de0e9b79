"""The payload matrix sites in Chromium: no dialog opens and no page navigates off the site.

A string search cannot see what the theme's filters and the browser's parser make
of a payload, so every built page of both matrix sites is loaded with a
``dialog`` listener (every payload's script would call ``alert``) and a record
of every navigation (a live meta refresh or ``javascript:`` link would leave).
"""

from __future__ import annotations

import functools
import http.server
import threading

import pytest
from conftest import Site

from .conftest import _Handler

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def matrix_server(matrix_built: dict[str, Site]):
    """Both matrix sites (the session's one build, which the static checks read too) under one
    local server: yields (origin, {group: pages})."""
    root = next(iter(matrix_built.values())).root.parent
    pages: dict[str, list[str]] = {}
    for group, site in matrix_built.items():
        assert site.root == root / group
        pages[group] = sorted(p.relative_to(root).as_posix() for p in site.site.rglob("*.html"))
    handler = functools.partial(_Handler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, name="matrix-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", pages
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.mark.timeout(120)
@pytest.mark.parametrize("group", ["pathways", "pages"])
def test_no_payload_runs_or_navigates_in_chromium(browser, matrix_server, group: str) -> None:
    origin, pages = matrix_server
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    dialogs: list[str] = []
    navigations: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.type} {d.message}"), d.dismiss()))
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    page.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith(origin) else route.abort()
    )
    try:
        for path in pages[group]:
            url = f"{origin}/mkdocs-mechanisms/{path}"
            navigations.clear()
            response = page.goto(url, wait_until="load")
            assert response is not None and response.ok, url
            # Hover and focus every figure part, where tooltips put their text into the page.
            page.evaluate(
                "() => document.querySelectorAll('[data-tip-title], svg g').forEach(e =>"
                " ['mouseover', 'focusin'].forEach(t => e.dispatchEvent(new Event(t, {bubbles: true}))))"
            )
            left = [u for u in navigations if not u.startswith(origin + "/mkdocs-mechanisms/")]
            assert left == [], f"{path} navigated off the site"
            assert page.url.split("#")[0] == url, f"{path} navigated to {page.url}"
    finally:
        context.close()
    assert dialogs == []
    assert len(pages[group]) > 10
