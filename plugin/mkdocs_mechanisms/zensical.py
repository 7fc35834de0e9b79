"""Zensical host: prepare the site-wide parts, then run Zensical's own build or serve.

Zensical never imports MkDocs plugins, so ``mkdocs-mechanisms zensical``
does before Zensical runs what the plugin does inside MkDocs.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from .site import Site

MANIFEST = "zensical/manifest.json"
"""Inside the cache folder: every generated file under the docs, with its content hash."""


def manifest_path(site: Site) -> Path:
    """Where the list of generated files is kept (outside the docs, beside the SVG cache)."""
    return (site.root / site.options.cache_dir / MANIFEST).resolve()


def read_manifest(site: Site) -> dict[str, str]:
    """Generated files by path inside the docs, with their SHA-256."""
    try:
        data = json.loads(manifest_path(site).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files", {}) if isinstance(data, dict) else {}
    return {str(k): str(v) for k, v in files.items()} if isinstance(files, dict) else {}


def digest(data: bytes) -> str:
    """The content hash the manifest keeps."""
    return hashlib.sha256(data).hexdigest()


def drop_prepared(site: Site, srcs: Iterable[str]) -> list[str]:
    """The docs' files a Zensical run generated and nobody edited since: never MkDocs sources."""
    manifest = read_manifest(site)
    stale = []
    for src in srcs:
        if src not in manifest:
            continue
        try:
            if digest((site.docs_dir / src).read_bytes()) == manifest[src]:
                stale.append(src)
        except OSError:
            continue
    return stale
