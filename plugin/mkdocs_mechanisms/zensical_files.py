"""The files ``mkdocs-mechanisms zensical`` writes into the author's docs, and nothing else.

Zensical reads pages only from the docs folder, so the generated pages,
exports and assets are written there. An author's file must never be
overwritten or deleted for that, whatever the cache or ``.gitignore`` say:

* every path is confined to what the plugin generates (:func:`owned`), and is
  refused when it leaves the project through a symlink (:func:`inside`);
* every generated file that has a comment syntax carries a *mark*: a last
  line with the SHA-256 of the rest (:func:`mark`). A file is ours when its
  mark verifies, so a lost or changed cache changes nothing. JSON cannot
  carry one: a JSON file is ours when the manifest records its hash (and it is
  one of the few JSON files the plugin writes), or when it holds what we write;
* the manifest (``<cache_dir>/zensical/manifest.json``) only lists and
  speeds up: a tampered entry outside those places is ignored;
* the ``.gitignore`` block is rewritten from scratch; lines an author added
  inside or after it are kept (:func:`update_gitignore`).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from . import __version__
from .schema import SCHEMA_DIR
from .site import ASSET_DIR, PATHWAYS_DIR

MANIFEST = "zensical/manifest.json"
"""Inside the cache folder: every generated file under the docs, with its content hash."""
MARK = "mkdocs-mechanisms: generated, rewritten on every run; edit the sources instead; sha256:"
_COMMENTS = {
    ".md": ("<!-- ", " -->"),
    ".svg": ("<!-- ", " -->"),
    ".sbgn": ("<!-- ", " -->"),
    ".css": ("/* ", " */"),
    ".js": ("/* ", " */"),
    ".dot": ("/* ", " */"),
}
"""How a mark is written in each kind of file (JSON has no comments: it carries none)."""
_MARK_LINE = re.compile(
    rb"\n(?:<!-- |/\* )" + re.escape(MARK.encode()) + rb"([0-9a-f]{64})(?: -->| \*/)\n?\Z"
)
OWNED_FOLDERS = (PATHWAYS_DIR, ASSET_DIR, SCHEMA_DIR)
"""Folders (inside the docs) the plugin fills; .gitignore names them whole when the author has nothing there."""
BLOCK_START = (
    "# >>> mkdocs-mechanisms zensical: generated files, rewritten on every run (do not edit this block)"
)
BLOCK_END = "# <<< mkdocs-mechanisms zensical"
_SUFFIXES = (".md", ".svg", ".json", ".dot", ".sbgn")


def digest(data: bytes) -> str:
    """The content hash the manifest and the marks keep."""
    return hashlib.sha256(data).hexdigest()


def markable(path: str) -> bool:
    """Whether files of this kind carry a mark."""
    return PurePosixPath(path).suffix in _COMMENTS


def mark(path: str, data: bytes) -> bytes:
    """``data`` with its mark appended (unchanged for JSON)."""
    comment = _COMMENTS.get(PurePosixPath(path).suffix)
    if comment is None:
        return data
    body = data if data.endswith(b"\n") else data + b"\n"
    return body + f"{comment[0]}{MARK}{digest(body)}{comment[1]}\n".encode()


def has_mark(data: bytes) -> bool:
    """The file ends with a mark whose hash matches the rest: we wrote it and nobody edited it."""
    found = _MARK_LINE.search(data)
    return found is not None and digest(data[: found.start() + 1]) == found.group(1).decode()


@dataclass(frozen=True)
class Owned:
    """Where the plugin may write in one site's docs folder."""

    root: Path
    docs_dir: Path
    glossary: str
    references_page: str

    def owned(self, rel: str) -> bool:
        """A path the plugin generates (or once did): nothing else is ever written or deleted."""
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
    """Where the list of generated files is kept (outside the docs, in the checked cache folder)."""
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


@dataclass
class Outcome:
    """What one writing pass did."""

    written: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    """Paths we would write, holding a file we cannot prove is ours: left as they are."""
    refused: list[str] = field(default_factory=list)
    """Paths that would leave the project through a symlink: never written."""
    files: dict[str, str] = field(default_factory=dict)


def write_all(owned: Owned, outputs: Mapping[str, bytes], manifest: Mapping[str, str]) -> Outcome:
    """Write each output (marked) where it is new or ours; delete our files no longer generated."""
    out = Outcome()
    for rel, data in outputs.items():
        path = owned.inside(rel) if owned.owned(rel) else None
        if path is None:
            out.refused.append(rel)
            continue
        data = mark(rel, data)
        if path.exists() or path.is_symlink():
            try:
                same = path.read_bytes() == data
            except OSError:
                same = False
            if not same and not owned.proven(rel, manifest):
                out.kept.append(rel)
                continue
        out.files[rel] = digest(data)
        if write_if_changed(path, data):
            out.written.append(rel)
    for old in sorted(set(manifest) - set(outputs)):
        if owned.proven(old, manifest):
            path = owned.docs_dir / old
            path.unlink()
            prune(path.parent, owned.docs_dir)
    return out


def save_manifest(file: Path, files: Mapping[str, str]) -> None:
    """Record what this run wrote."""
    body = {"generator": f"mkdocs-mechanisms {__version__}", "files": dict(sorted(files.items()))}
    write_if_changed(file, (json.dumps(body, indent=1) + "\n").encode("utf-8"))


def prune(folder: Path, stop: Path) -> None:
    """Remove folders our deletions left empty, up to (not including) the docs folder."""
    while folder != stop and folder.is_relative_to(stop) and not folder.is_symlink():
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


# -- .gitignore ---------------------------------------------------------------------


def ignore_entries(owned: Owned, docs: str, generated: Iterable[str], authored: Iterable[str]) -> list[str]:
    """The block's lines: a folder the plugin owns when the author has nothing in it, else each file."""
    used = {PurePosixPath(a).parent.as_posix() for a in authored}
    used |= {parent.as_posix() for a in authored for parent in PurePosixPath(a).parents}
    prefix = f"/{docs}/" if docs else "/"
    entries = set()
    for rel in generated:
        folder = next((f for f in OWNED_FOLDERS if rel.startswith(f + "/")), None)
        if folder is not None and folder not in used:
            entries.add(prefix + folder + "/")
        else:
            entries.add(prefix + rel)
    return sorted(entries)


def update_gitignore(ignore: Path, entries: Sequence[str], ours: Callable[[str], bool]) -> None:
    """Keep exactly one marked block listing ``entries``, whatever was done to the last one by hand.

    Marker lines are taken out wherever they are; right after an opening marker, lines the
    plugin writes (``ours``) go with it; every other line stays where it is, in its order.
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
