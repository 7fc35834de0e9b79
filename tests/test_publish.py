"""Publishing: the Pages workflow, a real `mkdocs gh-deploy`, every link under `/<repo>/`, reproducible output.

The link checker below works offline: it serves a built site from a local HTTP server under the
project-site prefix (``/mkdocs-mechanisms/``, as GitHub Pages would) and walks it from the home page.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest
import yaml
from conftest import REPO, copy_article
from hosts import build_with
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
PREFIX = "/mkdocs-mechanisms/"
"""Where GitHub Pages serves the project site: ``https://<owner>.github.io/mkdocs-mechanisms/``."""

GIT_ENV = {
    **os.environ,
    "GIT_CONFIG_GLOBAL": os.devnull,  # keep the tester's own git settings (signing, hooks) out of it
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
}


# ---------------------------------------------------------------------------------------------------------
# The workflow file
# ---------------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workflow() -> dict:
    data = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert isinstance(data, dict), "pages.yml is not a YAML mapping"
    # YAML 1.1 reads the bare key `on` as the boolean True.
    if True in data:
        data["on"] = data.pop(True)
    return data


def _steps(job: dict) -> list[dict]:
    return job.get("steps") or []


def _step_using(job: dict, action: str) -> tuple[int, dict]:
    for i, step in enumerate(_steps(job)):
        if str(step.get("uses", "")).split("@")[0] == action.split("@")[0]:
            assert step["uses"] == action, f"expected {action}, found {step['uses']}"
            return i, step
    raise AssertionError(
        f"no step uses {action}; steps: {[s.get('uses') or s.get('run') for s in _steps(job)]}"
    )


def _step_running(job: dict, *needles: str) -> tuple[int, dict]:
    for i, step in enumerate(_steps(job)):
        run = " ".join(str(step.get("run", "")).split())
        if all(n in run for n in needles):
            return i, step
    raise AssertionError(
        f"no step runs {needles!r}; runs: {[s.get('run') for s in _steps(job) if 'run' in s]}"
    )


def test_workflow_triggers_permissions_and_concurrency(workflow):
    on = workflow["on"]
    assert on["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in on
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    concurrency = workflow["concurrency"]
    group = concurrency["group"] if isinstance(concurrency, dict) else concurrency
    assert group == "pages"
    assert set(workflow["jobs"]) == {"build", "deploy"}
    for name, job in workflow["jobs"].items():
        assert job.get("runs-on"), f"job {name} has no runs-on"


def test_workflow_build_job(workflow):
    job = workflow["jobs"]["build"]
    checkout_at, checkout = _step_using(job, "actions/checkout@v4")
    assert checkout.get("with", {}).get("fetch-depth") == 0
    _, python = _step_using(job, "actions/setup-python@v5")
    assert str(python["with"]["python-version"]) == "3.12"
    assert python["with"]["cache"] == "pip"
    assert python["with"]["cache-dependency-path"] == "pyproject.toml"
    apt_at, _ = _step_running(
        job, "sudo apt-get update", "sudo apt-get install -y", "graphviz", "fonts-dejavu-core"
    )
    epoch_at, _ = _step_running(job, "SOURCE_DATE_EPOCH=", "git log -1 --format=%ct", "GITHUB_ENV")
    build_at, _ = _step_running(job, "make build")
    pages_at, _ = _step_using(job, "actions/configure-pages@v5")
    upload_at, upload = _step_using(job, "actions/upload-pages-artifact@v3")
    assert upload["with"]["path"] == "site"
    assert checkout_at < apt_at < build_at and checkout_at < epoch_at < build_at < upload_at
    assert pages_at < upload_at
    # `-v` turns off anchor validation on MkDocs 1.6.1: the strict build must stay quiet.
    for step in _steps(job):
        run = str(step.get("run", ""))
        if "mkdocs" in run or "make build" in run:
            assert not re.search(r"(^|\s)(-v|--verbose)\b", run), f"verbose build in CI: {run!r}"
    recipe = re.search(r"^build:.*\n((?:\t.*\n)+)", (REPO / "Makefile").read_text(encoding="utf-8"), re.M)
    assert recipe, "Makefile has no build target"
    assert "mkdocs build --strict" in recipe.group(1)
    assert not re.search(r"\s(-v|--verbose)\b", recipe.group(1)), "make build must not pass -v"


def test_workflow_keeps_the_render_cache_between_publishes(workflow):
    """A publish after a small edit restores the last render cache: a warm build, not a cold one."""
    job = workflow["jobs"]["build"]
    cache_at, cache = _step_using(job, "actions/cache@v4")
    build_at, _ = _step_running(job, "make build")
    checkout_at, _ = _step_using(job, "actions/checkout@v4")
    assert checkout_at < cache_at < build_at, "the cache must be restored after checkout and before the build"
    config = load_config(str(REPO / "mkdocs.yml"))
    cache_dir = config.plugins["mechanisms"].config["cache_dir"]
    paths = str(cache["with"]["path"]).split()
    assert cache_dir in paths, f"the cache step keeps {paths}, the plugin renders into {cache_dir}"
    key = str(cache["with"]["key"])
    restore = [
        line.strip() for line in str(cache["with"].get("restore-keys", "")).splitlines() if line.strip()
    ]
    assert restore, "no restore-keys: after any edit the exact key misses and the build is cold"
    # The key changes with the site's sources (so the post-job step saves what the edit added) and
    # each fallback is a fixed prefix of it, so the newest earlier cache is restored.
    assert "hashFiles(" in key and all(k in key for k in ("diagrams/", "docs/", "mkdocs.yml"))
    assert all("hashFiles(" not in prefix and key.startswith(prefix) for prefix in restore), (key, restore)


def test_workflow_deploy_job(workflow):
    job = workflow["jobs"]["deploy"]
    needs = job["needs"]
    assert needs == "build" or needs == ["build"]
    assert job["environment"] == {"name": "github-pages", "url": "${{ steps.deployment.outputs.page_url }}"}
    _, deploy = _step_using(job, "actions/deploy-pages@v4")
    assert deploy.get("id") == "deployment"


# ---------------------------------------------------------------------------------------------------------
# A real `mkdocs gh-deploy` into a local bare "origin"
# ---------------------------------------------------------------------------------------------------------


def _git(*args: str, cwd: Path | None = None) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=GIT_ENV, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"git {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.slow
def test_gh_deploy_pushes_the_built_site_to_gh_pages(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    copy_article(work)
    _git("init", "-q", "-b", "main", cwd=work)
    _git("config", "user.name", "Pages Tester", cwd=work)
    _git("config", "user.email", "pages-tester@example.invalid", cwd=work)
    _git("config", "commit.gpgsign", "false", cwd=work)
    (work / ".gitignore").write_text("site/\n.cache/\n", encoding="utf-8")
    _git("add", "-A", cwd=work)
    _git("commit", "-q", "-m", "Article site", cwd=work)
    origin = tmp_path / "origin.git"
    _git("init", "-q", "--bare", str(origin))
    _git("remote", "add", "origin", str(origin), cwd=work)

    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "gh-deploy", "--force", "--no-history", "--strict"],
        cwd=work,
        env=GIT_ENV,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, f"mkdocs gh-deploy failed:\n{done.stdout}\n{done.stderr}"

    files = set(_git("--git-dir", str(origin), "ls-tree", "-r", "--name-only", "gh-pages").split())
    expected = {
        ".nojekyll",
        "index.html",
        "404.html",
        "pathways/ketamine-glutamate-surge/index.html",
        "pathways/ketamine-glutamate-surge.svg",
        "glossary/index.html",
        "references/index.html",
    }
    assert expected <= files, f"missing on gh-pages: {sorted(expected - files)}"
    assert not any(f.startswith((".cache/", "docs/", "diagrams/")) for f in files), (
        "sources leaked onto gh-pages"
    )
    # --no-history: the branch is one commit; the source branch is untouched.
    assert _git("--git-dir", str(origin), "rev-list", "--count", "gh-pages").strip() == "1"
    assert _git("--git-dir", str(origin), "branch", "--list", "main").strip() == ""


# ---------------------------------------------------------------------------------------------------------
# Offline link checker
# ---------------------------------------------------------------------------------------------------------

_SVG_REF = re.compile(r"url\(\s*['\"]?#([^)'\"\s]+)")
_CSS_URL = re.compile(r"url\(\s*['\"]?([^)'\"]+?)['\"]?\s*\)")
_LINK_TAGS = {"a", "area", "link", "script", "img", "source", "iframe", "audio", "video", "track", "embed"}
_SVG_IDREF_ATTRS = ("aria-labelledby", "aria-describedby")


@dataclass
class Link:
    """One reference found in a document."""

    where: str  # what refers: "<a href>", "<svg:a xlink:href>", "url(#…)"
    value: str
    same_document: bool = False  # an id reference, not a URL (url(#x), aria-labelledby)


class _Scan(HTMLParser):
    """Collects ids and every reference a browser would follow, inside inline SVG too."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[Link] = []
        self.svg_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)
        if tag == "svg":
            self.svg_depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._element(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg" and self.svg_depth:
            self.svg_depth -= 1

    def _element(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        in_svg = self.svg_depth > 0 or tag == "svg"
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag in ("a", "map")):
                self.ids.add(value)
            if in_svg:
                if name in ("href", "xlink:href"):
                    self.links.append(Link(f"<svg:{tag} {name}>", value))
                elif name in _SVG_IDREF_ATTRS:
                    self.links.extend(Link(f"<svg:{tag} {name}>", "#" + ref, True) for ref in value.split())
                self.links.extend(
                    Link(f"<svg:{tag} {name}=url(#…)>", "#" + ref, True) for ref in _SVG_REF.findall(value)
                )
            elif tag in _LINK_TAGS and name in ("href", "src"):
                self.links.append(Link(f"<{tag} {name}>", value))


@dataclass
class Resource:
    url: str
    status: int
    content_type: str = ""
    body: bytes = b""
    ids: set[str] = field(default_factory=set)
    links: list[Link] = field(default_factory=list)

    @property
    def is_html(self) -> bool:
        return self.content_type.startswith("text/html")

    @property
    def is_svg(self) -> bool:
        return self.content_type.startswith("image/svg") or urlsplit(self.url).path.endswith(".svg")


@dataclass
class Problem:
    page: str
    link: str
    why: str

    def __str__(self) -> str:
        return f"{self.page}: {self.link} — {self.why}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # a redirect is reported as its status, never followed
        return None


class LinkChecker:
    """Walk a site served at ``base`` (ending in ``/``) from its home page.

    Every internal reference must answer 200 without a redirect, a fragment must name an ``id`` (or
    ``<a name>``) in the target, and no reference may be root-absolute. ``aliases`` are absolute URLs
    that mean the same site (``site_url``): links under them are checked against the local server.
    External links are collected, never fetched.
    """

    def __init__(self, base: str, aliases: Iterable[str] = ()) -> None:
        assert base.endswith("/")
        self.base = base
        self.aliases = [a if a.endswith("/") else a + "/" for a in aliases]
        self.opener = urllib.request.build_opener(_NoRedirect)
        self.cache: dict[str, Resource] = {}
        self.problems: list[Problem] = []
        self.external: set[str] = set()
        self.pages: list[str] = []  # HTML pages walked, in order
        self.linked: set[str] = set()  # what answered 200 to a link (or is the start page)

    # -- fetching ----------------------------------------------------------------------------------------

    def fetch(self, url: str) -> Resource:
        if url in self.cache:
            return self.cache[url]
        try:
            with self.opener.open(url, timeout=10) as response:
                res = Resource(url, response.status, response.headers.get_content_type(), response.read())
        except urllib.error.HTTPError as error:
            res = Resource(url, error.code)
            error.close()
        if res.status == 200 and (res.is_html or res.is_svg):
            scan = _Scan()
            scan.feed(res.body.decode("utf-8", "replace"))
            scan.close()
            res.ids, res.links = scan.ids, scan.links
        elif res.status == 200 and res.content_type == "text/css":
            text = res.body.decode("utf-8", "replace")
            res.links = [
                Link("css url()", u.strip()) for u in _CSS_URL.findall(text) if not u.strip().startswith("#")
            ]
        self.cache[url] = res
        return res

    def rel(self, url: str) -> str:
        """``url`` relative to the site root ("" for home)."""
        return url[len(self.base) :] if url.startswith(self.base) else url

    # -- walking -----------------------------------------------------------------------------------------

    def walk(self, start: str = "", extra: Iterable[str] = ()) -> LinkChecker:
        """Walk every HTML page reachable from ``start``, then check the documents in ``extra`` too.

        ``linked`` holds what the links from ``start`` reach; the extra documents do not count.
        """
        queue = [urljoin(self.base, start)]
        seen = set(queue)
        self._drain(queue, seen)
        reachable = set(self.linked)
        for url in (urljoin(self.base, e) for e in extra):
            if url not in seen:
                seen.add(url)
                res = self.fetch(url)
                if res.status != 200:
                    self.problems.append(Problem(self.rel(url), "(listed document)", f"HTTP {res.status}"))
                else:
                    self.check_links(res, queue, seen)
        self._drain(queue, seen)
        self.linked = reachable
        return self

    def _drain(self, queue: list[str], seen: set[str]) -> None:
        while queue:
            url = queue.pop(0)
            res = self.fetch(url)
            if res.status != 200:
                self.problems.append(Problem(self.rel(url), "(start)", f"HTTP {res.status}"))
                continue
            self.pages.append(self.rel(url))
            self.linked.add(self.rel(url))
            self.check_links(res, queue, seen)

    def check_links(self, res: Resource, queue: list[str], seen: set[str]) -> None:
        page = self.rel(res.url) or "(home)"
        for link in res.links:
            value = link.value.strip()
            shown = f"{link.where} {value!r}"
            if link.same_document:
                if unquote(value[1:]) not in res.ids:
                    self.problems.append(Problem(page, shown, "no element with this id on the page"))
                continue
            if not value or value.startswith(("data:", "javascript:")):
                continue
            if value.startswith("/"):
                self.problems.append(
                    Problem(page, shown, "root-absolute: breaks when the site is served under /<repo>/")
                )
                continue
            parts = urlsplit(value)
            if parts.scheme:
                alias = next((a for a in self.aliases if value.startswith(a)), None)
                if alias is None:
                    self.external.add(value)
                    continue
                target = self.base + value[len(alias) :]
            else:
                target = urljoin(res.url, value)
            target, fragment = urldefrag(target)
            if not target.startswith(self.base):
                self.problems.append(Problem(page, shown, f"leaves the site prefix: resolves to {target}"))
                continue
            dest = self.fetch(target)
            if dest.status != 200:
                self.problems.append(
                    Problem(page, shown, f"HTTP {dest.status} for {self.rel(target) or '(home)'}")
                )
                continue
            self.linked.add(self.rel(target))
            if fragment and unquote(fragment) not in dest.ids:
                why = (
                    f"no id {unquote(fragment)!r} in {self.rel(target) or '(home)'}"
                    if dest.is_html or dest.is_svg
                    else f"fragment into a {dest.content_type} file"
                )
                self.problems.append(Problem(page, shown, why))
            if dest.is_html and target not in seen:
                seen.add(target)
                queue.append(target)
            elif (dest.content_type == "text/css" or dest.is_svg) and target not in seen:
                # stylesheets and standalone SVGs carry links of their own: check them once
                seen.add(target)
                self.check_links(dest, queue, seen)

    @property
    def fetched(self) -> set[str]:
        """Everything that answered 200, relative to the site root."""
        return {self.rel(u) for u, r in self.cache.items() if r.status == 200}

    def report(self) -> str:
        problems = sorted({str(p) for p in self.problems})
        return f"{len(problems)} broken link(s) under {self.base}:\n  " + "\n  ".join(problems)


@dataclass
class Served:
    """A built site, served at ``base`` by a local server."""

    src: Path
    site: Path
    base: str
    directory_urls: bool
    site_url: str
    log: str = ""
    """What the build printed (Zensical)."""

    def page_url(self, name: str) -> str:
        """URL of the page built from ``<name>.md``, relative to the site root."""
        if name == "index" or name.endswith("/index"):
            folder = name.removesuffix("index")  # "" or "glossary/"
            return folder if self.directory_urls else f"{folder}index.html"
        return f"{name}/" if self.directory_urls else f"{name}.html"


def _handler_for(site: Path, prefix: str) -> type[SimpleHTTPRequestHandler]:
    class Handler(SimpleHTTPRequestHandler):
        """Serves ``site`` under ``prefix`` only, like GitHub Pages serves a project site."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, directory=str(site), **kwargs)

        def send_head(self):
            if not urlsplit(self.path).path.startswith(prefix):
                self.send_error(404, "Outside the site prefix")
                return None
            return super().send_head()

        def translate_path(self, path: str) -> str:
            return super().translate_path("/" + urlsplit(path).path[len(prefix) :])

        def list_directory(self, path):  # GitHub Pages has no directory listings
            self.send_error(404, "No index.html in this folder")

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


@pytest.fixture(scope="module")
def served_server() -> Iterator:
    servers: list[tuple[ThreadingHTTPServer, threading.Thread]] = []

    def serve(site: Path) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(site, PREFIX))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        servers.append((server, thread))
        return f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"

    yield serve
    for server, thread in servers:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def article_src(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("article-src")
    copy_article(src)
    return src


def _build(
    src: Path, site: Path, *, directory_urls: bool = True, cache_dir: str | None = None
) -> MkDocsConfig:
    """Build ``src`` strictly into ``site``; ``cache_dir`` (relative to ``src``, as the option
    requires) replaces the plugin's render cache folder."""
    config = load_config(
        str(src / "mkdocs.yml"), site_dir=str(site), use_directory_urls=directory_urls, strict=True
    )
    if cache_dir is not None:
        config.plugins["mechanisms"].config.cache_dir = cache_dir
    build(config)
    return config


def _graphviz_runs(config: MkDocsConfig) -> int | None:
    """Graphs the plugin laid out with Graphviz (not from its cache), when it tells."""
    runner = getattr(config.plugins["mechanisms"], "runner", None)
    return getattr(runner, "rendered", None)


@pytest.fixture(
    scope="module",
    params=[("mkdocs", True), ("mkdocs", False), ("zensical", True)],
    ids=["directory-urls", "flat-urls", "zensical"],
)
def served(request, articles, served_server) -> Served:
    """The article as a host builds it (the session's shared build), served under the Pages sub-path."""
    host, directory_urls = request.param
    built = articles(host, directory_urls=directory_urls)
    site_url = str(
        yaml.safe_load((built.src / "mkdocs.yml").read_text(encoding="utf-8")).get("site_url") or ""
    )
    return Served(built.src, built.site, served_server(built.site), directory_urls, site_url, built.log)


def _pathway_ids(src: Path) -> list[str]:
    ids = []
    for path in sorted((src / "diagrams").glob("*.md")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1]) or {}
        ids.append(str(meta.get("id") or path.stem))
    return ids


@pytest.fixture(scope="module")
def walked(served) -> LinkChecker:
    exports = sorted(p.relative_to(served.site).as_posix() for p in (served.site / "pathways").glob("*.svg"))
    aliases = [served.site_url] if served.site_url else []
    return LinkChecker(served.base, aliases).walk("", extra=exports)


def test_no_broken_links_under_a_sub_path(walked):
    assert not walked.problems, walked.report()


def test_zensical_build_of_the_article_reports_no_issues(served):
    if not served.log:
        pytest.skip("MkDocs builds are strict already")
    assert "does not exist" not in served.log, served.log
    assert "No issues found" in served.log, served.log
    assert "WARNING" not in served.log and "ERROR" not in served.log, served.log


def test_walk_reaches_every_kind_of_page_and_export(served, walked):
    src = served.src
    expected = {served.page_url(p.stem) for p in src.joinpath("docs").glob("*.md")}  # home and the article
    expected |= {served.page_url("references"), served.page_url("glossary/index")}
    expected |= {
        served.page_url(f"glossary/{p.stem}")
        for p in (src / "docs" / "glossary").glob("*.md")
        if p.stem != "index"
    }
    for pathway in _pathway_ids(src):
        expected.add(served.page_url(f"pathways/{pathway}"))
        expected |= {f"pathways/{pathway}.{ext}" for ext in ("svg", "dot", "json")}
    assert "" in walked.pages, "the home page was not walked"
    missing = sorted(expected - walked.linked)
    assert not missing, f"not reachable by links from the home page: {missing}"


def test_every_built_page_is_reachable(served, walked):
    pages = {p.relative_to(served.site).as_posix() for p in served.site.rglob("*.html")} - {"404.html"}
    if served.directory_urls:
        pages = {p.removesuffix("index.html") for p in pages}
    visited = set(walked.pages) | ({"index.html"} if "" in walked.pages else set())
    orphans = sorted(pages - visited)
    assert not orphans, f"built but not linked from anywhere: {orphans}"


def test_404_page_links_point_into_the_project_site(served):
    """404.html is served at any depth, so MkDocs makes its links absolute from site_url's path."""
    assert urlsplit(served.site_url).path == PREFIX, "site_url's path must be the Pages sub-path /<repo>/"
    checker = LinkChecker(served.base)
    page = checker.fetch(served.base + "404.html")
    assert page.status == 200
    broken = []
    for link in page.links:
        value = link.value.strip()
        if value.startswith("/") and not value.startswith("//"):
            if not value.startswith(PREFIX):
                broken.append(f"{value!r} is outside {PREFIX}")
            elif (status := checker.fetch(urldefrag(urljoin(served.base, value))[0]).status) != 200:
                broken.append(f"{value!r} → HTTP {status}")
    assert not broken, "404.html: " + "; ".join(broken)


# ---------------------------------------------------------------------------------------------------------
# Reproducible output
# ---------------------------------------------------------------------------------------------------------


def _normalised(path: Path) -> bytes:
    data = path.read_bytes()
    if path.name == "sitemap.xml.gz":
        data = gzip.decompress(data)
    if path.name.startswith("sitemap.xml"):
        data = re.sub(rb"[ \t]*<lastmod>[^<]*</lastmod>[ \t]*\r?\n?", b"", data)
    return data


def test_cold_and_warm_builds_are_byte_identical(article_src, tmp_path, monkeypatch):
    """A build from an empty render cache and one served from that cache write the same bytes.

    MkDocs keeps one instance of a plugin with ``on_startup`` for the whole process, so the warm
    build reads a copy of the cache under a new path: that forces a fresh runner that can only
    hit the disk cache, never the previous build's memory.
    """
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    cache_name, copied_name = ".cache/byte-identical-cold", ".cache/byte-identical-warm"
    cache, copied = article_src / cache_name, article_src / copied_name
    cold, warm = tmp_path / "cold", tmp_path / "warm"
    cold_runs = _graphviz_runs(_build(article_src, cold, cache_dir=cache_name))
    assert cache.is_dir() and any(p.is_file() for p in cache.rglob("*")), (
        "the cold build left no render cache"
    )
    shutil.copytree(cache, copied)
    warm_runs = _graphviz_runs(_build(article_src, warm, cache_dir=copied_name))
    if cold_runs is not None:
        assert cold_runs > 0, "the cold build did not run Graphviz"
        assert warm_runs == 0, (
            f"the warm build ran Graphviz for {warm_runs} graph(s) instead of reading the cache"
        )

    def listing(root: Path) -> set[str]:
        return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}

    a, b = listing(cold), listing(warm)
    assert a == b, f"only in the cold build: {sorted(a - b)}; only in the warm build: {sorted(b - a)}"
    differ = sorted(name for name in a if _normalised(cold / name) != _normalised(warm / name))
    assert not differ, f"{len(differ)} file(s) differ between a cold and a warm build: {differ}"


def _search_texts(site: Path) -> dict[str, str]:
    """Indexed text by page, from MkDocs' ``search/search_index.json`` or Zensical's ``search.json``."""
    mkdocs_index = site / "search" / "search_index.json"
    if mkdocs_index.exists():
        items = json.loads(mkdocs_index.read_text(encoding="utf-8"))["docs"]
    else:
        items = json.loads((site / "search.json").read_text(encoding="utf-8"))["items"]
    texts: dict[str, str] = {}
    for item in items:
        page = item["location"].split("#")[0]
        texts[page] = texts.get(page, "") + " " + item["text"]
    return texts


def test_search_index_skips_embedded_walkthroughs_and_legends(served):
    texts = _search_texts(served.site)
    article = "ketamine/" if served.directory_urls else "ketamine.html"
    pathway = (
        "pathways/ketamine-glutamate-surge/"
        if served.directory_urls
        else "pathways/ketamine-glutamate-surge.html"
    )
    assert article in texts and pathway in texts, sorted(texts)
    # The figure on an article page is excluded (legend, steps, labels) …
    assert "Step by step" not in texts[article], texts[article]
    assert "Legend: shapes and arrows" not in texts[article], texts[article]
    # … while the pathway's own page keeps its walkthrough searchable, as its text alternative.
    assert "Step by step" in texts[pathway], texts[pathway]
    # Back-links only repeat page titles: kept out, so a large site's references page stays under
    # Zensical's per-page index limit.
    references = "references/" if served.directory_urls else "references.html"
    assert "Cited on" not in texts[references], texts[references][:500]
    assert references in texts and "Vollenweider" in texts[references]


# ---------------------------------------------------------------------------------------------------------
# Nothing private from the bibliography
# ---------------------------------------------------------------------------------------------------------

PRIVATE_BIB = r"""@article{smith2020,
  author = {Smith, Jane},
  title = {A study of receptor {Y}},
  journal = {Journal of Tests},
  year = {2020},
  doi = {10.1000/test.2020},
  abstract = {UNPUBLISHED-ABSTRACT-7731 with {\textmu}g and \undefinedmacro{x}},
  note = {PRIVATE-NOTE-7731: ask the reviewer},
  annote = {PRIVATE-ANNOTE-7731},
  file = {Full Text PDF:/home/alice/Zotero/storage/PRIVATE7731/smith.pdf:application/pdf},
  keywords = {PRIVATE-KEYWORD-7731},
  mendeley-groups = {PRIVATE-GROUP-7731}
}
"""


@pytest.mark.parametrize("host", ["mkdocs", "zensical"])
def test_no_private_field_of_the_bibliography_is_published(tmp_path: Path, host: str) -> None:
    """A reference manager's export holds abstracts, notes and paths on the author's machine."""
    root = tmp_path / "project"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n\nCited [@smith2020].\n", encoding="utf-8")
    (root / "docs" / "references.bib").write_text(PRIVATE_BIB, encoding="utf-8")
    (root / "docs" / "zotero-library.bib").write_text(PRIVATE_BIB, encoding="utf-8")
    cfg = root / "mkdocs.yml"
    cfg.write_text("site_name: Private\nplugins:\n  - mechanisms\n", encoding="utf-8")
    site = root / "site"
    build_with(host, cfg, site)
    assert "A study of receptor Y" in (site / "references" / "index.html").read_text(encoding="utf-8")
    published = [p for p in site.rglob("*") if p.is_file()]
    assert not [p for p in published if p.suffix == ".bib"]
    for path in published:
        data = path.read_bytes()
        if path.suffix == ".gz":
            data = gzip.decompress(data)
        for secret in (b"7731", b"/home/alice", b"Zotero/storage"):
            assert secret not in data, f"{secret!r} published in {path.relative_to(site)}"
