"""Small helpers shared by the core-module tests (not fixtures: plain functions)."""

from __future__ import annotations

import html
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

from mkdocs_mechanisms.errors import MechanismsError
from mkdocs_mechanisms.load import load_pathway
from mkdocs_mechanisms.model import Pathway

ARTICLE_REFERENCES = [
    "friedrich2017",
    "vollenweider2010",
    "kadriu2021",
    "shiroma2020",
    "davis2021",
    "carhartharris2018",
    "carhartharris2021",
    "ross2016",
    "miller2015",
    "morenojimenez2019",
    "ohira2018",
    "dinan1994",
    "shishkina2017",
    "reiff2020",
    "matveychuk2020",
]
"""The seed article's reference keys, in its order (its numbers 1-15)."""

_TEXT = re.compile(r"<text\b[^>]*>(.*?)</text>", re.S)
_TAG = re.compile(r"<[^!?][^>]*>", re.S)
_QUOTED = re.compile(r'"[^"]*"|\'[^\']*\'')
_EVENT_ATTR = re.compile(r"\son\w+\s*=", re.I)


def pathway(front_matter: str, source: str = "diagrams/p.md", body: str = "Caption.\n") -> Pathway:
    """Load a pathway from front-matter text (without the fences)."""
    return load_pathway(f"---\n{front_matter.strip()}\n---\n{body}", source)


def problems_of(text: str, source: str = "diagrams/k.md") -> list[str]:
    """The problem lines ``load_pathway`` reports for ``text`` (fails if it loads)."""
    try:
        load_pathway(text, source)
    except MechanismsError as error:
        return [str(p) for p in error.problems]
    raise AssertionError("expected a MechanismsError")


def run_dot(dot: str) -> subprocess.CompletedProcess[bytes]:
    """Run Graphviz directly: ``dot -Tsvg``."""
    return subprocess.run(
        ["dot", "-Tsvg"], input=dot.encode("utf-8"), capture_output=True, timeout=60, check=False
    )


def svg_text(svg: str) -> str:
    """All ``<text>`` contents of an SVG, entity-decoded, joined by newlines."""
    return "\n".join(html.unescape(t) for t in _TEXT.findall(svg))


def squash(text: str) -> str:
    """``text`` without any whitespace (labels are wrapped into lines)."""
    return "".join(text.split())


def svg_is_inert(svg: str) -> list[str]:
    """Reasons the SVG could run script; empty when it is inert.

    Checks the parsed XML (element and attribute names) and, independently,
    the raw markup with quoted attribute values blanked out.
    """
    reasons: list[str] = []
    if re.search(r"<script", svg, re.I):
        reasons.append("raw '<script' in markup")
    for tag in _TAG.findall(svg):
        if _EVENT_ATTR.search(_QUOTED.sub('""', tag)):
            reasons.append(f"event-handler attribute in {tag[:80]!r}")
    try:
        root = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", svg).encode("utf-8"))
    except ET.ParseError as error:
        return [*reasons, f"not well-formed XML: {error}"]
    for element in root.iter():
        name = element.tag.rsplit("}", 1)[-1].lower()
        if name in ("script", "foreignobject", "iframe"):
            reasons.append(f"<{name}> element")
        for attr, value in element.attrib.items():
            local = attr.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                reasons.append(f"attribute {local}")
            if local == "href" and value.strip().lower().startswith(("javascript:", "data:", "vbscript:")):
                reasons.append(f"unsafe link {value[:40]!r}")
    return reasons


def ids_of(svg: str) -> list[str]:
    """Every ``id="…"`` value in the markup."""
    return re.findall(r'\bid="([^"]*)"', svg)


def seed_article() -> Path | None:
    """The seed article: ``shared/`` beside the repository (CI) or beside its worktree folder.

    In CI (``CI`` set) a missing article is an error, not a skip.
    """
    repo = Path(__file__).resolve().parent.parent
    for base in (repo.parent, repo.parent.parent):
        path = base / "shared" / "seed" / "article.txt"
        if path.is_file():
            return path
    if os.environ.get("CI"):
        raise FileNotFoundError("shared/seed/article.txt is not beside the repository")
    return None
