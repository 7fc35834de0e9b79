"""Shared fixtures: build real sites into temporary folders and read their output."""

from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

REPO = Path(__file__).resolve().parent.parent

MINIMAL_PATHWAY = """\
---
title: Drug X blocks receptor Y
cite: [smith2020]
regions:
  pfc: {label: Prefrontal cortex}
nodes:
  drug-x: {label: Drug X, kind: drug, term: drug-x}
  receptor-y: {label: Receptor Y, kind: receptor, term: receptor-y, region: pfc}
  outcome: {label: Calm, kind: outcome, region: pfc}
edges:
  - {from: drug-x, to: receptor-y, rel: blocks, cite: [smith2020], note: Drug X is thought to block Y.}
  - {from: receptor-y, to: outcome, rel: leads-to, cite: [smith2020]}
---
Drug X acts on receptor Y in the cortex.

More explanation with a citation [@smith2020].
"""

MINIMAL_BIB = """\
@article{smith2020,
  author = {Smith, Jane and Doe, John},
  title = {A study of receptor Y},
  journal = {Journal of Tests},
  year = {2020},
  volume = {1},
  number = {2},
  pages = {3--4},
  doi = {10.1000/test.2020}
}
@article{jones2021,
  author = {Jones, Ann},
  title = {Another study},
  journal = {Journal of Tests},
  year = {2021},
  doi = {10.1000/test.2021}
}
"""


def term_page(term: str, kind: str, summary: str, aliases: list[str] | None = None, body: str = "") -> str:
    """Text of a glossary page."""
    alias_text = ", ".join(f'"{a}"' for a in aliases or [])
    return (
        f'---\nterm: {term}\naliases: [{alias_text}]\nkind: {kind}\nsummary: "{summary}"\n---\n'
        f"{body or term + ' is defined here [@jones2021].'}\n"
    )


def minimal_files() -> dict[str, str]:
    """A small but complete site in this project's formats."""
    return {
        "diagrams/x-blocks-y.md": MINIMAL_PATHWAY,
        "docs/index.md": "# Home\n\nDrug X is interesting [@smith2020].\n\n```pathway\nx-blocks-y\n```\n",
        "docs/deep/nested/page.md": "# Deep page\n\n## Section one\n\nReceptor Y matters [@jones2021; @smith2020].\n\n"
        "```pathway\nx-blocks-y\n```\n",
        "docs/references.bib": MINIMAL_BIB,
        "docs/glossary/drug-x.md": term_page("Drug X", "drug", "A test drug.", ["DX"]),
        "docs/glossary/receptor-y.md": term_page("Receptor Y", "receptor", "A test receptor.", ["RY"]),
    }


@dataclass
class Site:
    """A built site: its source root and output folder."""

    root: Path
    site: Path

    def html(self, path: str) -> str:
        """Text of an output file, e.g. ``pathways/x/index.html``."""
        return (self.site / path).read_text(encoding="utf-8")

    def page(self, url: str, *, directory_urls: bool = True) -> str:
        """Text of the page at ``url`` ("" for home, "glossary/bdnf/")."""
        url = url.strip("/")
        if directory_urls:
            return self.html(f"{url}/index.html" if url else "index.html")
        return self.html(f"{url}.html" if url else "index.html")


def write_site(root: Path, files: dict[str, str], config: str = "") -> Path:
    """Write ``files`` and a mkdocs.yml under ``root``; return the config path."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    cfg = root / "mkdocs.yml"
    if not cfg.exists():
        cfg.write_text(
            textwrap.dedent(config) or "site_name: Test\nplugins:\n  - mechanisms\n", encoding="utf-8"
        )
    return cfg


def build_site(
    root: Path, files: dict[str, str] | None = None, config: str = "", **overrides: object
) -> Site:
    """Build a site strictly and return where it went."""
    cfg = write_site(root, files if files is not None else minimal_files(), config)
    site_dir = root / "site"
    overrides.setdefault("strict", True)
    build(load_config(str(cfg), site_dir=str(site_dir), **overrides))
    return Site(root, site_dir)


def copy_article(dest: Path) -> Path:
    """Copy the article site's sources (not its output or cache) to ``dest``."""
    for name in ("docs", "diagrams", "overrides"):
        if (REPO / name).exists():
            shutil.copytree(REPO / name, dest / name)
    shutil.copy(REPO / "mkdocs.yml", dest / "mkdocs.yml")
    return dest / "mkdocs.yml"


RENDER_CACHE = Path(".cache/mechanisms")
"""The plugin's render cache, relative to a project (diagrams laid out, keyed by their content)."""


@dataclass
class Article:
    """The article built by one host: its sources (a copy of its own), its output, the build's log."""

    src: Path
    site: Path
    log: str


class Articles:
    """The article built once per host and URL style for the whole session (of one worker), so
    that every test reading a built article reads the same build instead of making its own.

    Each host gets its own copy of the sources (a Zensical build writes generated pages into
    the docs); a copy starts with the render cache of the builds before it, which holds the
    same diagrams (the cold build is tested on its own, in ``test_publish``)."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self._factory = tmp_path_factory
        self._sources: dict[str, Path] = {}
        self._built: dict[tuple[str, bool], Article] = {}

    def sources(self, host: str) -> Path:
        """``host``'s copy of the article's sources (its ``mkdocs.yml`` is ``sources / "mkdocs.yml"``)."""
        if host not in self._sources:
            root = self._factory.mktemp(f"article-{host}")
            copy_article(root)
            warm = next(
                (s / RENDER_CACHE for s in self._sources.values() if (s / RENDER_CACHE).is_dir()), None
            )
            if warm is not None:
                shutil.copytree(warm, root / RENDER_CACHE)
            self._sources[host] = root
        return self._sources[host]

    def __call__(self, host: str = "mkdocs", *, directory_urls: bool = True) -> Article:
        """The article built by ``host`` with its own ``site_url``."""
        from hosts import build_with

        key = (host, directory_urls)
        if key not in self._built:
            src = self.sources(host)
            name = "site" if directory_urls else "site-flat"
            log = build_with(host, src / "mkdocs.yml", src / name, directory_urls=directory_urls)
            self._built[key] = Article(src, src / name, log)
        return self._built[key]


@pytest.fixture(scope="session")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Articles:
    """The article as each host builds it, built on first use (see :class:`Articles`)."""
    return Articles(tmp_path_factory)


class Starters:
    """The starter site ``mkdocs-mechanisms new`` writes, built once per host and configuration
    form for the session (of one worker): the CLI's and the look tests read the same builds.

    Its title holds a quote and a ``#``, which both configuration forms must keep as written."""

    TITLE = 'Quotes " and # too'

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self._factory = tmp_path_factory
        self._built: dict[tuple[str, bool], Path] = {}

    def __call__(self, host: str, *, toml: bool) -> Path:
        """The project (its output in ``site/``), from ``zensical.toml`` if ``toml`` else ``mkdocs.yml``."""
        from hosts import build_with, zensical_build
        from mkdocs_mechanisms.cli import main

        key = (host, toml)
        if key not in self._built:
            root = self._factory.mktemp(f"starter-{host}-{'toml' if toml else 'yml'}") / "s"
            assert main(["new", str(root), "--title", self.TITLE, *(["--zensical"] if toml else [])]) == 0
            if toml:
                result = zensical_build(root, host)
                assert result.returncode == 0, result.stdout + result.stderr
            else:
                build_with(host, root / "mkdocs.yml", root / "site")
            self._built[key] = root
        return self._built[key]


@pytest.fixture(scope="session")
def starters(tmp_path_factory: pytest.TempPathFactory) -> Starters:
    """The starter site as each host builds it, built on first use (see :class:`Starters`)."""
    return Starters(tmp_path_factory)


@pytest.fixture(scope="session")
def matrix_built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Site]:
    """Both payload-matrix sites (``hostile.matrix_sites``), built strictly once for the session
    (of one worker): the static checks and Chromium read the same build, and change nothing in it."""
    from hostile import matrix_sites
    from test_hostile import _material

    root = tmp_path_factory.mktemp("matrix")
    return {
        group: build_site(root / group, files, config)
        for group, (files, config) in matrix_sites(minimal_files(), _material()).items()
    }


@pytest.fixture
def warnings(caplog: pytest.LogCaptureFixture):
    """A function returning the warning messages logged so far."""
    caplog.set_level(logging.INFO)
    return lambda: [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.fixture
def build_error(caplog: pytest.LogCaptureFixture):
    """Build a config file, expect MkDocs to abort, return what it logged (each problem is a warning,
    then one error line says the build stopped)."""

    def run(cfg: Path) -> str:
        caplog.clear()
        with pytest.raises(Abort):
            build(load_config(str(cfg), site_dir=str(cfg.parent / "site"), strict=True))
        return "\n".join(r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)

    return run


# --------------------------------------------------------------------------- #
# The packaging tests' fresh environment, prepared in the background          #
# --------------------------------------------------------------------------- #

PACKAGING_TESTS = "tests/test_packaging.py::"
_FRESH_ENV: dict[str, object] = {}
"""On the xdist controller: the folder every worker is told (``dir``), and the background job."""


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node) -> None:
    """Tell each worker where the fresh environment is prepared (see ``fresh_env.py``)."""
    if "dir" not in _FRESH_ENV:  # in the run's temporary folder, which pytest's retention clears
        factory = getattr(node.config, "_tmp_path_factory", None)
        base = factory.mktemp("fresh-env") if factory else Path(tempfile.mkdtemp(prefix="fresh-env-"))
        _FRESH_ENV["dir"] = base / "prepared"
    node.workerinput["fresh_env"] = str(_FRESH_ENV["dir"])


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_node_collection_finished(node, ids: list[str]) -> None:
    """Start the fresh environment's two minutes of install as soon as a worker collected its tests."""
    if "job" in _FRESH_ENV or "dir" not in _FRESH_ENV:
        return
    if not any(i.startswith(PACKAGING_TESTS) for i in ids):
        return
    out = _FRESH_ENV["dir"]
    assert isinstance(out, Path)
    out.mkdir()
    _FRESH_ENV["job"] = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("fresh_env.py")), str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, so that it can be ended with its children
    )


def pytest_unconfigure(config: pytest.Config) -> None:
    """End the background preparation if it still runs (what it made stays with pytest's other
    temporary folders: removing 30,000 files here would cost the run more than the install)."""
    job = _FRESH_ENV.pop("job", None)
    if isinstance(job, subprocess.Popen) and job.poll() is None:
        os.killpg(job.pid, signal.SIGTERM)
        job.wait(30)


# --------------------------------------------------------------------------- #
# Which worker runs what                                                      #
# --------------------------------------------------------------------------- #

CHEAP_SHARED = frozenset({"browser", "devices"})
"""Shared fixtures every worker may make for itself: one Chromium (and its contexts) costs a second or two."""


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under ``--dist loadgroup``, tests that share a built site run on one worker, so it is built once.

    A module- or session-scoped fixture of this suite (with the values of the parameters it
    depends on) is one shared thing; tests sharing one, directly or through another test,
    become one ``xdist_group`` named after it. Each host's build of the article for the
    browser is its own group, so the two workers each take one. Tests that already name a
    group keep it (runs before xdist reads the marks).
    """
    if not getattr(config.option, "loadgroup", False):  # set on xdist workers only
        return
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            key = parent[key]
        return key

    shared: dict[pytest.Item, list[str]] = {}
    for item in items:
        if any(item.iter_markers("xdist_group")):
            continue
        keys = _shared_fixtures(item)
        if keys:
            shared[item] = keys
            for key in keys[1:]:
                parent[root(key)] = root(keys[0])
    for item, keys in shared.items():
        item.add_marker(pytest.mark.xdist_group(root(keys[0])))


def _shared_fixtures(item: pytest.Item) -> list[str]:
    """Names of the module- and session-scoped fixtures of this suite that ``item`` uses, each with
    the parameter values it depends on (``browser.server:mkdocs``); no ``@``, ``[`` or ``]`` in them,
    which xdist reads as the end of a test's id."""
    info = getattr(item, "_fixtureinfo", None)
    callspec = getattr(item, "callspec", None)
    if info is None:
        return []
    params = callspec.params if callspec is not None else {}

    def depends_on(name: str, seen: set[str]) -> set[str]:
        if name in seen or name not in info.name2fixturedefs:
            return set()
        seen.add(name)
        found = {name} if name in params else set()
        for arg in info.name2fixturedefs[name][-1].argnames:
            found |= depends_on(arg, seen)
        return found

    keys = []
    for name in info.names_closure:
        defs = info.name2fixturedefs.get(name)
        if not defs or name in CHEAP_SHARED:
            continue
        fixturedef = defs[-1]
        if fixturedef.scope == "function" or not fixturedef.baseid.startswith("tests"):
            continue  # per test, or pytest's own (tmp_path_factory)
        where = fixturedef.baseid.removeprefix("tests/").removesuffix(".py") or "tests"
        values = ",".join(f"{params[p]}" for p in sorted(depends_on(name, set())))
        key = f"{where}.{name}" + (f":{values}" if values else "")
        keys.append(re.sub(r"[^\w.:,/-]", "", key))
    return keys
