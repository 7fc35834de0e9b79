"""The files ``mkdocs-mechanisms zensical`` writes, and the only ones it ever deletes.

Zensical reads its pages from a *shadow* docs folder in the plugin's cache
(:mod:`.zensical_shadow`): nothing is written into the author's docs any
more. Releases before this one wrote the generated pages, exports and assets
there, so a first run after an upgrade takes them out again, and an author's
file must never go with them, whatever the cache or ``.gitignore`` say:

* only paths the plugin generated are considered (:meth:`Owned.owned`), and
  never through a symlink that leaves the project (:meth:`Owned.inside`);
* a generated file that has a comment syntax carries a *mark*: a last line
  with the SHA-256 of the rest (:func:`has_mark`). A file is ours when its mark
  verifies, so a lost or changed cache changes nothing. JSON cannot carry one:
  a JSON file is ours only when the old manifest records its hash;
* the old manifest (``<cache_dir>/zensical/manifest.json``) only lists: a
  tampered entry outside those places is ignored;
* the ``.gitignore`` block is rewritten from scratch; lines an author added
  inside or after it are kept (:func:`update_gitignore`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .schema import SCHEMA_DIR
from .site import ASSET_DIR, PATHWAYS_DIR

MANIFEST = "zensical/manifest.json"
"""Inside the cache folder: what an earlier release generated under the docs, with content hashes."""
MARK = "mkdocs-mechanisms: generated, rewritten on every run; edit the sources instead; sha256:"
_MARKABLE = (".md", ".svg", ".sbgn", ".css", ".js", ".dot")
"""Kinds of file that carried a mark (JSON has no comments: it carried none)."""
_MARK_LINE = re.compile(
    rb"\n(?:<!-- |/\* )" + re.escape(MARK.encode()) + rb"([0-9a-f]{64})(?: -->| \*/)\n?\Z"
)
OWNED_FOLDERS = (PATHWAYS_DIR, ASSET_DIR, SCHEMA_DIR)
"""Folders (inside the docs) the plugin filled."""
BLOCK_START = (
    "# >>> mkdocs-mechanisms zensical: generated files, rewritten on every run (do not edit this block)"
)
BLOCK_END = "# <<< mkdocs-mechanisms zensical"
_SUFFIXES = (".md", ".svg", ".json", ".dot", ".sbgn")


def digest(data: bytes) -> str:
    """The content hash the manifest and the marks keep."""
    return hashlib.sha256(data).hexdigest()


def markable(path: str) -> bool:
    """Whether files of this kind carried a mark."""
    return PurePosixPath(path).suffix in _MARKABLE


def has_mark(data: bytes) -> bool:
    """The file ends with a mark whose hash matches the rest: we wrote it and nobody edited it."""
    found = _MARK_LINE.search(data)
    return found is not None and digest(data[: found.start() + 1]) == found.group(1).decode()


@dataclass(frozen=True)
class Owned:
    """Where the plugin wrote in one site's docs folder (before the shadow folder)."""

    root: Path
    docs_dir: Path
    glossary: str
    references_page: str

    def owned(self, rel: str) -> bool:
        """A path the plugin generated: nothing else is ever deleted."""
        path = PurePosixPath(rel)
        if path.is_absolute() or ".." in path.parts or not path.parts or rel != path.as_posix():
            return False
        top = path.parts[0]
        if top == PATHWAYS_DIR:
            return path.suffix in _SUFFIXES and (len(path.parts) == 2 or path.parts[1] == "compare")
        if rel.startswith(ASSET_DIR + "/"):
            return len(path.parts) == 3 and path.suffix in (".css", ".js")
        if top == SCHEMA_DIR:
            return len(path.parts) == 2 and rel.endswith(".schema.json")
        return rel in (f"{self.glossary}/index.md", f"{self.glossary}/index.json", self.references_page)

    def inside(self, rel: str) -> Path | None:
        """The file's path when it stays in the project without a symlink leading out; else None."""
        path = self.docs_dir / rel
        try:
            real = Path(os.path.realpath(path))
        except OSError:
            return None
        if path.is_symlink() or not real.is_relative_to(Path(os.path.realpath(self.root))):
            return None
        return path

    def proven(self, rel: str, manifest: Mapping[str, str]) -> bool:
        """The file at ``rel`` is one we wrote and nobody changed since (mark, or manifest in our folders)."""
        path = self.inside(rel) if self.owned(rel) else None
        if path is None:
            return False
        try:
            data = path.read_bytes()
        except OSError:
            return False
        if markable(rel):
            # Unmarked files from releases before marks are proven by the manifest, but only in
            # the folders the plugin fills (never an index page, the references page or elsewhere).
            return has_mark(data) or (self.in_own_folder(rel) and manifest.get(rel) == digest(data))
        return manifest.get(rel) == digest(data)

    @staticmethod
    def in_own_folder(rel: str) -> bool:
        """In a folder only the plugin fills (``pathways/index.md`` may be the author's)."""
        return rel != f"{PATHWAYS_DIR}/index.md" and any(rel.startswith(f + "/") for f in OWNED_FOLDERS)


def manifest_file(root: Path, cache_dir: str) -> Path:
    """Where an earlier release listed the files it generated in the docs."""
    return root / cache_dir / MANIFEST


def read_manifest(file: Path, owned: Owned) -> dict[str, str]:
    """Recorded files by path inside the docs, with their SHA-256; anything malformed is dropped."""
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {
        k: v
        for k, v in files.items()
        if isinstance(k, str) and isinstance(v, str) and re.fullmatch(r"[0-9a-f]{64}", v) and owned.owned(k)
    }


def remove_proven(owned: Owned, candidates: Iterable[str], manifest: Mapping[str, str]) -> list[str]:
    """Delete the files among ``candidates`` that we can prove we wrote; the paths deleted."""
    removed = []
    for rel in candidates:
        if owned.proven(rel, manifest):
            path = owned.docs_dir / rel
            path.unlink()
            prune(path.parent, owned.docs_dir)
            removed.append(rel)
    return removed


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` unless the file already holds it (an unchanged file keeps its time)."""
    try:
        if path.read_bytes() == data:
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True


def prune(folder: Path, stop: Path) -> None:
    """Remove folders our deletions left empty, up to (not including) ``stop``."""
    while folder != stop and folder.is_relative_to(stop) and not folder.is_symlink():
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


# -- .gitignore ---------------------------------------------------------------------


def update_gitignore(ignore: Path, entries: Sequence[str], ours: Callable[[str], bool]) -> None:
    """Keep exactly one marked block listing ``entries``, whatever was done to the last one by hand.

    Marker lines are taken out wherever they are; right after an opening marker, lines the
    plugin writes or once wrote (``ours``) go with it; every other line stays where it is, in its order.
    """
    try:
        lines = ignore.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    out: list[str] = []
    at: int | None = None
    inside = False
    for line in lines:
        text = line.strip()
        if text in (BLOCK_START, BLOCK_END):
            inside = text == BLOCK_START
            at = len(out) if at is None else at
            continue
        if inside and (text in entries or ours(text)):
            continue
        inside = False
        out.append(line)
    if at is None:
        while out and not out[-1].strip():
            out.pop()
        at = len(out)
    out[at:at] = [BLOCK_START, *entries, BLOCK_END]
    write_if_changed(ignore, ("\n".join(out) + "\n").encode("utf-8"))
