"""The plugin's own files in the docs folder, which no host may take for the author's.

``mkdocs-mechanisms zensical`` writes (or, before the shadow docs folder, wrote)
generated pages, exports and assets into the docs; each is proven ours by its mark
or by the manifest (:mod:`.zensical_files`). Every driver needs that answer:
MkDocs drops those files from its sources, ``check`` does not read them as
authored pages, the Zensical host rewrites or removes them. It lives here, in the
engine, so that no host adapter imports another.
"""

from __future__ import annotations

from collections.abc import Iterable

from .site import Site
from .zensical_files import Owned, manifest_file
from .zensical_files import read_manifest as _read_manifest


def owned_by(site: Site) -> Owned:
    """Where this site's plugin may write in its docs."""
    return Owned(site.root, site.docs_dir, site.options.glossary, site.options.references_page)


def read_manifest(site: Site) -> dict[str, str]:
    """Generated files by path inside the docs, with their SHA-256 (tampered entries dropped)."""
    return _read_manifest(manifest_file(site.root, site.options.cache_dir), owned_by(site))


def drop_prepared(site: Site, srcs: Iterable[str]) -> list[str]:
    """The docs' files a Zensical run generated and nobody edited since: never MkDocs sources."""
    owned, manifest = owned_by(site), read_manifest(site)
    return [src for src in srcs if owned.proven(src, manifest)]
