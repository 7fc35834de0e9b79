"""Browser fixtures: build the article site once, serve it under a sub-path, drive Chromium.

The site is served at ``http://127.0.0.1:<port>/mkdocs-mechanisms/`` (as on GitHub
Pages); every other path is a 404. One Chromium for the session and one context per
kind of device (pointer or touch phone); every test gets a page of its own, and what
it stored (cookies, local storage, IndexedDB) is cleared when it ends (see ``Devices``).

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
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))  # Debian's package
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
#: One renderer process per site: a test's new page starts in the process its device's anchor page
#: keeps alive (see ``Devices``), with the site's styles and scripts already parsed and compiled.
CHROMIUM_ARGS += ["--process-per-site"]
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


HOST_INDEPENDENT = "host-independent behaviour: checked on the MkDocs build"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the whole package cleanly when the browser is unavailable, and skip a test marked
    ``mkdocs_only`` on any other host's build before its page is opened (the mark's reason is
    written beside each test: what it checks is our script or HTML, the same on both hosts)."""
    skip = pytest.mark.skip(reason=SKIP_REASON or HOST_INDEPENDENT)
    for item in items:
        if HERE not in item.path.resolve().parents:
            continue
        if SKIP_REASON:
            item.add_marker(skip)
        elif item.get_closest_marker("mkdocs_only"):
            callspec = getattr(item, "callspec", None)
            if callspec is None or "server" not in callspec.params:
                raise pytest.UsageError(f"{item.nodeid}: mkdocs_only on a test that does not run per host")
            if callspec.params["server"] != "mkdocs":
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


class Devices:
    """The session's browser contexts, one per kind of device, each shared by every test's pages.

    A fresh context per test cost about 1.4 CPU-s more than a fresh page in a warm one (measured
    on the article page: 2.8-3.3 against 1.3-1.9 CPU-s of Chromium per load): a new renderer
    process starts and fetches, parses and compiles every stylesheet and script again, and the
    browser tests open some 190 pages. Here each context keeps one anchor page open on the test
    server's site, so that (with ``--process-per-site``) a test's page starts in a live renderer.

    What a test sees is unchanged: its own page (its own history and session storage), the
    colour scheme, motion preference and viewport it asked for, and no cookie, local storage
    (Material's stored palette) or IndexedDB of an earlier test: ``forget`` clears each origin
    the test's pages visited. Only the HTTP cache is shared, and a page's requests are
    still reported from it (``Traffic.requests`` sees the same URLs)."""

    #: Options a page may ask for; ``has_touch`` and ``is_mobile`` choose the context.
    PAGE_OPTIONS = frozenset({"viewport", "color_scheme", "reduced_motion"})
    CONTEXT_OPTIONS = frozenset({"has_touch", "is_mobile"})

    def __init__(self, browser) -> None:
        self._browser = browser
        self._contexts: dict[tuple[bool, bool], tuple[Any, Any]] = {}

    def page(self, origin: str, visited: set[tuple[tuple[bool, bool], str]], **options):
        """A new page in the context for ``options``' device, already emulating the rest of them."""
        unknown = set(options) - self.PAGE_OPTIONS - self.CONTEXT_OPTIONS
        if unknown:
            raise TypeError(f"page options the shared contexts do not offer: {sorted(unknown)}")
        key = (bool(options.get("has_touch")), bool(options.get("is_mobile")))
        if key not in self._contexts:
            context = self._browser.new_context(
                viewport={"width": 1280, "height": 900}, has_touch=key[0], is_mobile=key[1]
            )
            context.set_default_timeout(10_000)
            anchor = context.new_page()
            anchor.goto(origin + "/")  # the server's 404, outside the site: a live renderer for the site
            self._contexts[key] = (context, anchor)
        context, _ = self._contexts[key]
        page = context.new_page()
        page.set_viewport_size(options.get("viewport", {"width": 1280, "height": 900}))
        page.emulate_media(
            color_scheme=options.get("color_scheme", "light"),
            reduced_motion=options.get("reduced_motion", "no-preference"),
        )

        def on_navigated(frame) -> None:
            found = re.match(r"https?://[^/]+", frame.url)
            if found:
                visited.add((key, found.group(0)))

        page.on("framenavigated", on_navigated)
        return page

    def forget(self, visited: set[tuple[tuple[bool, bool], str]]) -> None:
        """Clear what pages stored for the ``visited`` origins, in the contexts that visited them.

        Local storage is cleared from a page of the origin (the anchor): the renderer that
        outlives the test keeps its own copy of an origin's storage, which a clear from outside
        (``Storage.clearDataForOrigin``) leaves stale. Cookies go whole, whatever their origin."""
        for key, origin in sorted(visited):
            context, anchor = self._contexts[key]
            if not anchor.url.startswith(origin + "/"):
                anchor.goto(origin + "/")
            anchor.evaluate("() => localStorage.clear()")
            cdp = context.new_cdp_session(anchor)
            cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
            cdp.detach()
            assert anchor.evaluate("() => localStorage.length") == 0, f"{origin}: storage kept"
        for context, _ in self._contexts.values():
            context.clear_cookies()

    def close(self) -> None:
        for context, _ in self._contexts.values():
            context.close()


@pytest.fixture(scope="session")
def devices(browser):
    """The shared browser contexts (see :class:`Devices`)."""
    shared = Devices(browser)
    yield shared
    shared.close()


def _open_page(devices: Devices, origin: str, visited: set, **options):
    page = devices.page(origin, visited, **options)
    traffic = Traffic(origin)

    def on_console(msg) -> None:
        if msg.type == "error":
            traffic.console_errors.append((msg.text, (msg.location or {}).get("url", "")))

    page.on("console", on_console)
    page.on("pageerror", lambda exc: traffic.page_errors.append((exc.message, exc.stack or "")))
    page.on("request", lambda req: traffic.requests.append(req.url))
    page.traffic = traffic  # type: ignore[attr-defined]
    return page


def _close_page(page, request: pytest.FixtureRequest) -> None:
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        try:
            page.screenshot(path=str(ARTIFACTS / f"{_artifact_name(request.node)}.png"))
        except Exception as exc:  # the page may be gone; never hide the real failure
            print(f"screenshot failed: {exc}")
    page.close()


@pytest.fixture
def page(devices: Devices, origin: str, request: pytest.FixtureRequest):
    """A fresh page (light colour-scheme preference); ``page.traffic`` records it."""
    visited: set[tuple[tuple[bool, bool], str]] = set()
    pg = _open_page(devices, origin, visited, color_scheme="light")
    yield pg
    _close_page(pg, request)
    devices.forget(visited)


@pytest.fixture
def page_factory(devices: Devices, origin: str, request: pytest.FixtureRequest):
    """Open pages with other options, e.g. ``page_factory(color_scheme="dark")`` (see ``Devices``)."""
    opened = []
    visited: set[tuple[tuple[bool, bool], str]] = set()

    def make(**options):
        pg = _open_page(devices, origin, visited, **options)
        opened.append(pg)
        return pg

    yield make
    for pg in opened:
        _close_page(pg, request)
    devices.forget(visited)


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
        pytest.skip(HOST_INDEPENDENT)
