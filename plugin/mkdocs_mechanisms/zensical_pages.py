"""The Zensical preparation's collecting pass, kept on disk between runs.

The preparation converts each page once with Python-Markdown to number citations and
record mentions; Zensical then converts it again. A page whose Markdown, whose
site-wide inputs and whose used sources are unchanged need not be converted in the
preparation again: :mod:`.reuse` decides that, as it does for ``mkdocs serve``, and this
module keeps its :class:`~.reuse.PageCache` in the cache folder between preparations
(each is a process of its own), as JSON, with the exports of its comparisons. The
diagrams a page draws itself (inline pathways, comparisons) are not kept: nothing the
preparation writes needs them (Zensical's side draws them as it converts the page). A
missing, old or unreadable file costs one full pass, never a build.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .deps import Kind, Source
from .diagrams import DiagramKey, DiagramKind
from .linker import Mention
from .render.svg import EmbedInfo
from .reuse import Kept, PageCache
from .zensical_files import write_if_changed

PAGES = "zensical/pages.json"
FORM = 2
"""Raised whenever what is kept changes shape: an older file is then ignored."""


def load(path: Path, engine: str) -> PageCache:
    """The pages kept by the last preparation with this engine (``engine``: its fingerprint)."""
    cache = PageCache()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("form") != FORM or data.get("engine") != engine:
            return cache
        cache.kept = {str(src): _kept(page) for src, page in data["pages"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        cache.kept = {}
    return cache


def save(path: Path, cache: PageCache, engine: str) -> None:
    """Keep the pages for the next preparation."""
    pages = {src: _plain(k) for src, k in sorted(cache.kept.items())}
    text = json.dumps({"form": FORM, "engine": engine, "pages": pages}, sort_keys=True)
    write_if_changed(path, text.encode("utf-8"))


def _plain(kept: Kept) -> dict[str, Any]:
    return {
        "key": kept.key,
        "prints": [[s.kind.value, s.name, p] for s, p in sorted(kept.prints.items())],
        "html": kept.html,
        "title": kept.title,
        "svgs": {
            slot: [key.kind.value, key.name, key.narrow, _info(info)]
            for slot, (key, info) in kept.svgs.items()
        },
        "mentions": [[m.slug, m.text, m.anchor, m.heading] for m in kept.mentions],
        "exports": kept.exports,
    }


def _info(info: EmbedInfo) -> dict[str, Any]:
    return {
        "title": info.title,
        "description": info.description,
        "tips": dict(info.tips),
        "node_labels": dict(info.node_labels),
        "node_tips": dict(info.node_tips),
        "edge_ends": dict(info.edge_ends),
        "edge_tips": dict(info.edge_tips),
    }


def _kept(page: dict[str, Any]) -> Kept:
    def pairs(value: dict[str, Any]) -> dict[str, tuple[str, str]]:
        return {str(k): (str(v[0]), str(v[1])) for k, v in value.items()}

    def texts(value: dict[str, Any]) -> dict[str, str]:
        return {str(k): str(v) for k, v in value.items()}

    svgs = {}
    for slot, (kind, name, narrow, info) in page["svgs"].items():
        embed = EmbedInfo(
            str(info["title"]),
            str(info["description"]),
            pairs(info["tips"]),
            texts(info["node_labels"]),
            texts(info["node_tips"]),
            pairs(info["edge_ends"]),
            pairs(info["edge_tips"]),
        )
        svgs[str(slot)] = (DiagramKey(DiagramKind(kind), str(name), bool(narrow)), embed)
    return Kept(
        str(page["key"]),
        {Source(Kind(kind), str(name)): str(p) for kind, name, p in page["prints"]},
        str(page["html"]),
        str(page["title"]),
        svgs,
        [Mention(str(s), str(t), _optional(a), _optional(h)) for s, t, a, h in page["mentions"]],
        {},
        {str(path): str(text) for path, text in page["exports"].items()},
    )


def _optional(value: Any) -> str | None:
    return None if value is None else str(value)
