"""The pages, exports and assets the engine adds to a site, listed once for every host.

MkDocs adds them as ``File.generated``; Zensical gets them written into the
docs folder. What a page says is written elsewhere (``pages.py`` for
Markdown, ``sections.py`` for HTML); this module decides which exist.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import pages, schema, scripts, sections
from .diagrams import DiagramKey, DiagramKind, Diagrams
from .errors import Problem
from .links import PATHWAYS_DIR, Links, Target, TargetKind
from .options import Options
from .render.dot import to_dot
from .reporter import Reporter
from .sources import Sources

ASSETS = Path(__file__).parent / "assets"
ASSET_DIR = "assets/mechanisms"
STYLESHEETS = (f"{ASSET_DIR}/mechanisms.css", f"{ASSET_DIR}/colours.css")
SCRIPTS = (f"{ASSET_DIR}/{scripts.SCRIPT}",)  # one file joined from the modules: see scripts.py


@dataclass(frozen=True)
class Generated:
    """A page, export or asset the engine adds to the site."""

    path: str
    text: str | None = None
    file: Path | None = None
    """A file to copy instead of ``text`` (shipped assets)."""
    listed: bool = True
    """False for pages reached from figures and indexes rather than the navigation."""


def _export(path: str, stored: Path | str) -> Generated:
    return Generated(path, file=stored) if isinstance(stored, Path) else Generated(path, stored)


def exports_of(found: dict[str, str]) -> list[Generated]:
    """Exports found while pages were built (comparisons), by path."""
    return [Generated(path, text) for path, text in sorted(found.items())]


def compare_export(comparison_json: object) -> str:
    """A comparison's ``pathways/compare/<a>--<b>.json``."""
    return json.dumps(comparison_json, indent=2, ensure_ascii=False) + "\n"


def generated(
    sources: Sources,
    diagrams: Diagrams,
    links: Links,
    options: Options,
    reporter: Reporter,
    exists: Callable[[str], bool],
    *,
    has_nav: bool,
    heading_ids: bool,
) -> list[Generated]:
    """Pages, exports and assets to add; ``exists(path)`` says whether the author wrote one."""
    out: list[Generated] = []
    pathways = sources.pathways
    clashes = [
        Problem(
            pathway.source,
            1,
            "id",
            f"'{PATHWAYS_DIR}/{pid}.{ext}' is generated from this pathway, but the docs already have one",
            f"rename the pathway or move docs/{PATHWAYS_DIR}/{pid}.{ext}: the folder is the plugin's",
        )
        for pid, pathway in pathways.items()
        for ext in ("md", "svg", "json", "dot", "sbgn")
        if exists(f"{PATHWAYS_DIR}/{pid}.{ext}")
    ]
    reporter.add(clashes)
    clashing = {p.file for p in clashes}
    pathways = {pid: p for pid, p in pathways.items() if p.source not in clashing}
    for pid, pathway in pathways.items():
        base = f"{PATHWAYS_DIR}/{pid}"
        out.append(Generated(f"{base}.md", pages.pathway_page(pathway), listed=False))
        key = DiagramKey(DiagramKind.PATHWAY, pid)
        json_text = pages.pathway_json(pathway, sources.terms)
        out.append(_export(f"{base}.json", diagrams.export(f"{base}.json", json_text)))
        dot = diagrams.dots.get(key) or to_dot(diagrams.graphs[key])
        out.append(_export(f"{base}.dot", diagrams.export(f"{base}.dot", dot)))
    if pathways and not exists(f"{PATHWAYS_DIR}/index.md"):
        index_src = f"{PATHWAYS_DIR}/index.md"
        links.add_pages(f"{PATHWAYS_DIR}/{pid}.md" for pid in pathways)
        index = pages.pathways_index(
            list(pathways.values()), lambda pid: links.resolve(Target(TargetKind.PATHWAY, pid), index_src)
        )
        out.append(Generated(f"{PATHWAYS_DIR}/index.md", index, listed=not has_nav))
    glossary = options.glossary
    terms = sources.terms
    if terms and not exists(f"{glossary}/index.md"):
        index = sources.glossary.index_markdown(
            lambda slug: links.resolve(Target(TargetKind.GLOSSARY, slug), f"{glossary}/index.md"),
            title="Glossary",
            heading_ids=heading_ids,
        )
        out.append(Generated(f"{glossary}/index.md", index))
    if terms:
        urls = sources.glossary.index_json(lambda slug: links.site_url(Target(TargetKind.GLOSSARY, slug)))
        out.append(Generated(f"{glossary}/index.json", urls))
    if sources.bibliography is not None and not exists(options.references_page):
        numeric = sources.bibliography.group.numeric
        out.append(Generated(options.references_page, pages.references_page(numeric)))
    out.append(Generated(f"{ASSET_DIR}/mechanisms.css", file=ASSETS / "mechanisms.css"))
    out.append(Generated(SCRIPTS[0], scripts.bundle()))
    out.append(Generated(f"{ASSET_DIR}/colours.css", sections.colours_css(options.colours)))
    links.add_pages(item.path for item in out)  # the exported SVGs link to these pages
    for pid, pathway in pathways.items():
        if diagrams.has(DiagramKey(DiagramKind.PATHWAY, pid)):
            path = f"{PATHWAYS_DIR}/{pid}.svg"
            out.append(_export(path, diagrams.export_svg(pathway, path, sources.terms)))
            out.append(_export(f"{PATHWAYS_DIR}/{pid}.sbgn", diagrams.export_sbgn(pathway, sources)))
    for name in schema.NAMES:  # published at a stable URL for editors and CI
        path = f"{schema.SCHEMA_DIR}/{name}.schema.json"
        if not exists(path):
            out.append(Generated(path, schema.shipped(name)))
    return out
