"""Browser fixtures: build the article site once, serve it under a sub-path, drive Chromium.

The site is served at ``http://127.0.0.1:<port>/mkdocs-mechanisms/`` (as on GitHub
Pages); every other path is a 404. One Chromium for the session, a fresh context
(and so a fresh profile: no stored palette, no cache) for every test.

Chromium is Debian's ``/usr/bin/chromium`` (or ``$CHROMIUM``); Playwright's own
browser download cannot work here. Without it, every test in this package is skipped.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))  # Debian's package
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PREFIX = "/mkdocs-mechanisms/"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
HERE = Path(__file__).resolve().parent

SKIP_REASON = ""
if not CHROMIUM.exists():
    SKIP_REASON = f"browser tests need Debian's Chromium at {CHROMIUM}"
else:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:  # pragma: no cover - depends on the environment
        SKIP_REASON = "browser tests need the Python package 'playwright'"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the whole package cleanly when the browser is unavailable."""
    if not SKIP_REASON:
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if HERE in item.path.resolve().parents:
            item.add_marker(skip)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """Keep each phase's report on the item (``item.rep_call``) for the page fixture."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


# --------------------------------------------------------------------------- #
# The site                                                                    #
# --------------------------------------------------------------------------- #


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serve ``directory`` under PREFIX only; everything else is a 404."""

    def _prefixed(self) -> bool:
        return self.path.split("?", 1)[0].startswith(PREFIX)

    def do_GET(self) -> None:
        if not self._prefixed():
            self.send_error(404, "outside the site's sub-path")
            return
        super().do_GET()

    def do_HEAD(self) -> None:
        if not self._prefixed():
            self.send_error(404, "outside the site's sub-path")
            return
        super().do_HEAD()

    def translate_path(self, path: str) -> str:
        return super().translate_path("/" + path[len(PREFIX) :])

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass


@pytest.fixture(scope="session", params=["mkdocs", "zensical"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """Build the article site once and serve it: yields ``(origin, base_url, site_dir)``.

    The socket is bound first so that the build can use the real address as
    ``site_url``, as a deployment does. Material's instant navigation only
    intercepts links listed in ``sitemap.xml``, and it maps the sitemap's URLs
    onto the current protocol and host name but not the port: with the
    configured GitHub Pages ``site_url`` and a server on a random port, every
    click would be a full page load and instant navigation would go untested.
    """
    if SKIP_REASON:
        pytest.skip(SKIP_REASON)
    from conftest import copy_article  # tests/conftest.py (this folder is a package)
    from hosts import build_with

    root = tmp_path_factory.mktemp(f"browser-article-{request.param}")
    cfg = copy_article(root)
    site_dir = root / "site"
    handler = functools.partial(_Handler, directory=str(site_dir))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    origin = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        build_with(request.param, cfg, site_dir, site_url=origin + PREFIX)
    except BaseException:
        httpd.server_close()
        raise
    thread = threading.Thread(target=httpd.serve_forever, name="site-server", daemon=True)
    thread.start()
    yield origin, origin + PREFIX, site_dir, request.param
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture(scope="session")
def site_dir(server) -> Path:
    """The built site's folder."""
    return server[2]


@pytest.fixture(scope="session")
def origin(server) -> str:
    return server[0]


@pytest.fixture(scope="session")
def base_url(server) -> str:
    """The site's root URL, ending in ``/mkdocs-mechanisms/``."""
    return server[1]


# --------------------------------------------------------------------------- #
# The browser                                                                 #
# --------------------------------------------------------------------------- #


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    if SKIP_REASON:
        pytest.skip(SKIP_REASON)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Traffic:
    """What a page did: console errors, uncaught exceptions, every request URL."""

    origin: str
    #: ``(text, url)`` of every ``console.error`` (for a failed load, url is the resource).
    console_errors: list[tuple[str, str]] = field(default_factory=list)
    #: ``(message, stack)`` of every uncaught exception.
    page_errors: list[tuple[str, str]] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def local(self, url: str) -> bool:
        return url.startswith((self.origin + "/", "data:", "blob:", "about:")) or not url

    def off_site(self) -> list[str]:
        """Requests that left the local server."""
        return [u for u in self.requests if not self.local(u)]

    def outside_prefix(self) -> list[str]:
        """Same-origin requests that are not under the site's sub-path."""
        return [
            u
            for u in self.requests
            if u.startswith(self.origin + "/") and not u.startswith(self.origin + PREFIX)
        ]

    def errors(self, *, include_off_site_loads: bool = True) -> list[str]:
        """Console errors and uncaught exceptions, as readable lines.

        With ``include_off_site_loads=False``, console errors about resources on
        other hosts failing to load are left out (``off_site`` reports those).
        """
        lines = [
            f"pageerror: {msg}\n    {stack.splitlines()[1].strip() if stack.count(chr(10)) else ''}"
            for msg, stack in self.page_errors
        ]
        lines += [
            f"console.error: {text} ({url})"
            for text, url in self.console_errors
            if include_off_site_loads or self.local(url)
        ]
        return lines

    def script_errors(self, script: str) -> list[str]:
        """Uncaught exceptions thrown from ``script`` (e.g. "mechanisms.js")."""
        return [f"{msg}\n{stack}" for msg, stack in self.page_errors if script in stack]

    def assert_no_errors(self, *, include_off_site_loads: bool = True) -> None:
        errors = self.errors(include_off_site_loads=include_off_site_loads)
        assert not errors, "console errors:\n" + "\n".join(errors)

    def assert_local(self) -> None:
        assert not self.off_site(), "requests left 127.0.0.1:\n" + "\n".join(self.off_site())
        assert not self.outside_prefix(), "requests outside the sub-path:\n" + "\n".join(
            self.outside_prefix()
        )


def _artifact_name(item: pytest.Item) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", item.name).strip("_") or "test"


def _open_page(browser, request: pytest.FixtureRequest, origin: str, **context_options):
    context_options.setdefault("viewport", {"width": 1280, "height": 900})
    context = browser.new_context(**context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    traffic = Traffic(origin)

    def on_console(msg) -> None:
        if msg.type == "error":
            traffic.console_errors.append((msg.text, (msg.location or {}).get("url", "")))

    page.on("console", on_console)
    page.on("pageerror", lambda exc: traffic.page_errors.append((exc.message, exc.stack or "")))
    page.on("request", lambda req: traffic.requests.append(req.url))
    page.traffic = traffic  # type: ignore[attr-defined]
    return context, page


def _close_page(context, page, request: pytest.FixtureRequest) -> None:
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{_artifact_name(request.node)}.png"))
        except Exception as exc:  # the page may be gone; never hide the real failure
            print(f"screenshot failed: {exc}")
    context.close()


@pytest.fixture
def page(browser, origin: str, request: pytest.FixtureRequest):
    """A fresh context and page (light colour-scheme preference); ``page.traffic`` records it."""
    context, pg = _open_page(browser, request, origin, color_scheme="light")
    yield pg
    _close_page(context, pg, request)


@pytest.fixture
def page_factory(browser, origin: str, request: pytest.FixtureRequest):
    """Open pages with extra context options, e.g. ``page_factory(color_scheme="dark")``."""
    opened = []

    def make(**options):
        context, pg = _open_page(browser, request, origin, **options)
        opened.append((context, pg))
        return pg

    yield make
    for context, pg in opened:
        _close_page(context, pg, request)


# --------------------------------------------------------------------------- #
# Helpers for tests                                                           #
# --------------------------------------------------------------------------- #

#: Every page type of the article site, by URL relative to the site root.
PAGE_TYPES = {
    "home": "",
    "article": "ketamine/",
    "pathway": "pathways/ketamine-glutamate-surge/",
    "comparison": "common-mechanisms/",
    "glossary-index": "glossary/",
    "term": "glossary/bdnf/",
    "references": "references/",
}


def goto(page, base_url: str, path: str = "") -> None:
    """Load a page of the site and wait until the plugin's script has bound its figures."""
    response = page.goto(base_url + path, wait_until="load")
    assert response is not None and response.ok, f"{base_url + path}: HTTP {response and response.status}"
    wait_bound(page)


def wait_bound(page) -> None:
    """Wait until every ``figure.mechanisms-figure`` carries the script's bound marker."""
    page.wait_for_function(
        "() => Array.from(document.querySelectorAll('figure.mechanisms-figure'))"
        ".every(f => f.hasAttribute('data-mechanisms-bound'))"
    )


def only_on_mkdocs(server) -> None:
    """Skip under Zensical a check whose page behaviour does not depend on the host (the suite's time)."""
    if server[3] != "mkdocs":
        pytest.skip("host-independent behaviour: checked on the MkDocs build")
