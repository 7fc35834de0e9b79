"""Shared fixtures: build real sites into temporary folders and read their output."""

from __future__ import annotations

import logging
import shutil
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
