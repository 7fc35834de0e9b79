"""One small site built through the engine alone, shared by the engine's test modules.

``build`` makes the calls every driver makes: ``Site.start``, each page through the
engine's Markdown extension, ``Site.number`` in reading order, ``Site.fill_page``
per page and ``Site.finish``. The cold build is made once per test process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from markdown import Markdown
from mkdocs_mechanisms.frontmatter import split_front_matter
from mkdocs_mechanisms.markdown import MechanismsExtension
from mkdocs_mechanisms.options import Options
from mkdocs_mechanisms.render.runner import GraphvizRunner
from mkdocs_mechanisms.site import Site

PATHWAY = """\
---
title: Drug X blocks receptor Y
cite: [smith2020]
regions:
  pfc: {label: Prefrontal cortex}
nodes:
  drug-x: {label: Drug X, kind: drug, term: drug-x}
  receptor-y: {label: Receptor Y, kind: receptor, term: receptor-y, region: pfc}
  calm: {label: Calm, kind: outcome, region: pfc}
edges:
  - {from: drug-x, to: receptor-y, rel: blocks, cite: [smith2020]}
  - {from: receptor-y, to: calm, rel: leads-to}
---
Drug X acts on receptor Y in the cortex.
"""

OTHER = """\
---
title: Drug X calms another way
nodes:
  drug-x: {label: Drug X, kind: drug, term: drug-x}
  receptor-y: {label: Receptor Y, kind: receptor, term: receptor-y}
  sleep: {label: Sleep, kind: outcome}
edges:
  - {from: drug-x, to: receptor-y, rel: activates}
  - {from: receptor-y, to: sleep, rel: leads-to}
---
A second route from drug X.
"""

BIB = """\
@article{smith2020,
  author = {Smith, Jane}, title = {A study of receptor Y}, journal = {J Tests}, year = {2020}
}
@article{jones2021,
  author = {Jones, Ann}, title = {Another study}, journal = {J Tests}, year = {2021}
}
"""

INLINE = """\
```pathway
---
title: A one-off figure
nodes:
  a: {label: Alpha, kind: drug}
  b: {label: Beta, kind: outcome}
edges:
  - {from: a, to: b, rel: activates}
---
Alpha leads to beta.
```
"""


def term(name: str, kind: str, summary: str) -> str:
    return f'---\nterm: {name}\nkind: {kind}\nsummary: "{summary}"\n---\n{name} is defined here.\n'


FILES = {
    "diagrams/x-blocks-y.md": PATHWAY,
    "diagrams/other.md": OTHER,
    "docs/references.bib": BIB,
    "docs/glossary/drug-x.md": term("Drug X", "drug", "A test drug."),
    "docs/glossary/receptor-y.md": term("Receptor Y", "receptor", "A test receptor."),
    "docs/index.md": "# Home\n\nDrug X is known [@jones2021].\n\n```pathway\nx-blocks-y\n```\n",
    "docs/deep/nested/page.md": "# Deep page\n\n## Section one\n\nReceptor Y matters [@smith2020; @jones2021].\n\n"
    "```pathway\nother\n```\n\n```pathway\nx-blocks-y\n```\n",
    "docs/more.md": "# More\n\n```pathway-compare\nx-blocks-y other\n```\n\n"
    "```pathway-neighbourhood\nreceptor-y\n```\n\n" + INLINE,
}

NAV = ["index.md", "deep/nested/page.md", "more.md"]
"""Reading order: the navigation first, then every other page by path (as both adapters do)."""


@dataclass
class Built:
    """One build: the engine, every page's final HTML, and what was logged."""

    site: Site
    html: dict[str, str]
    warnings: list[str] = field(default_factory=list)
    exports: list[str] = field(default_factory=list)


def write(root: Path, files: dict[str, str]) -> None:
    """Write a project's files under ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def build(
    root: Path, runner: GraphvizRunner, *, serving: bool = False, warned: list[str] | None = None
) -> Built:
    """Build every page of the project at ``root`` through the engine alone (``warned``: the log)."""
    warnings: list[str] = [] if warned is None else warned
    docs = root / "docs"
    site = Site(root, docs, Options(), serving=serving, warn=warnings.append, runner=runner)
    authored = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file())
    generated = site.start(authored)
    texts = {src: (docs / src).read_text(encoding="utf-8") for src in authored if src.endswith(".md")}
    texts.update({g.path: g.text or "" for g in generated if g.path.endswith(".md")})
    rendered = {}
    for src, text in texts.items():
        _, body, first_line = split_front_matter(text, src)
        state = site.begin_page(src, source=f"docs/{src}", first_line=first_line)
        md = Markdown(extensions=["fenced_code", "toc", MechanismsExtension(site=site)])
        content = md.convert(body)
        tokens = getattr(md, "toc_tokens", [])
        state.title = next((str(t["name"]) for t in tokens if t["level"] == 1), src)
        rendered[src] = (state, content)
    order = [*NAV, *sorted(set(rendered) - set(NAV))]
    site.number([rendered[src] for src in order])
    html = {src: site.fill_page(rendered[src][1], rendered[src][0]) for src in order}
    exports = site.finish()
    return Built(site, html, warnings, [item.path for item in exports])


_BUILT: dict[str, tuple[Path, Built]] = {}


def cold_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Built]:
    """The project and its first (cold) build, made once per test process and shared by the engine's tests."""
    if "cold" not in _BUILT:
        root = tmp_path_factory.mktemp("site")
        write(root, FILES)
        _BUILT["cold"] = root, build(root, GraphvizRunner(root / ".cache/mechanisms"))
    return _BUILT["cold"]


SHARED = pytest.mark.xdist_group("engine-site")
"""Every module using the shared build runs on one worker, which builds it once."""


def figures(html: str) -> list[str]:
    """The opening tag of each figure on a page."""
    return re.findall(r'<figure class="mechanisms-figure[^"]*"[^>]*>', html)
