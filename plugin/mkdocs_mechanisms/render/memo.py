"""Derived work kept by content key: layouts, embedded SVGs and exports.

A cold build makes these once; a warm build (or a later ``serve`` rebuild)
finds them under a key made of every input and this package's code, on disk
in the cache folder and, where asked, in memory.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from functools import cache
from pathlib import Path

from .. import __version__


class Memo:
    """Text made from known inputs, stored by a key of those inputs."""

    def __init__(self, cache_dir: Path | None) -> None:
        self.cache_dir = cache_dir
        self.made: Counter[str] = Counter()
        """Work done per kind because its inputs were new (tests count re-renders)."""
        self._lock = threading.Lock()
        self._memory: dict[str, str] = {}

    @property
    def held(self) -> int:
        """Characters of derived text held in memory."""
        return sum(len(text) for text in self._memory.values())

    def key(self, kind: str, parts: Iterable[str]) -> str:
        """Content key of derived work: its kind, every input, and this package's code."""
        digest = hashlib.sha256()
        for part in (kind, __version__, code_digest(), *parts):
            digest.update(part.encode("utf-8"))
            digest.update(b"\0")
        return digest.hexdigest()

    def _memo_path(self, kind: str, key: str) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / kind / key[:2] / key

    def recall(self, kind: str, key: str, *, keep: bool = True) -> str | None:
        """Text stored under ``key`` by :meth:`remember` (this process or an earlier build), or ``None``."""
        found = self._memory.get(key)
        if found is not None:
            return found
        path = self._memo_path(kind, key)
        if path is None:
            return None
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        if keep:
            self._memory[key] = text
        return text

    def remember(self, kind: str, key: str, text: str, *, keep: bool = True) -> Path | None:
        """Store derived text (atomically on disk); the file, when there is a cache folder."""
        with self._lock:
            self.made[kind] += 1
        path = self._memo_path(kind, key)
        if keep or path is None:
            self._memory[key] = text
        if path is None:
            return None
        return path if write_atomic(path, text.encode("utf-8")) else None

    def memo(self, kind: str, parts: Iterable[str], make: Callable[[], str], *, keep: bool = True) -> str:
        """``make()``, unless the same inputs made it before (then the stored text)."""
        key = self.key(kind, parts)
        found = self.recall(kind, key, keep=keep)
        if found is None:
            found = make()
            self.remember(kind, key, found, keep=keep)
        return found

    def memo_file(self, kind: str, parts: Iterable[str], make: Callable[[], str]) -> Path | str:
        """Like :meth:`memo`, but hands back the stored file (its text stays out of memory).

        Without a cache folder (or when it cannot be written) the text itself.
        """
        key = self.key(kind, parts)
        path = self._memo_path(kind, key)
        if path is not None and path.is_file():
            return path
        text = make()
        return self.remember(kind, key, text, keep=False) or text


_MADE: set[Path] = set()
"""Folders this process made or found: a cold build writes thousands of files into a few hundred."""


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``path`` so that readers see the old file or the whole new one; False when it failed."""
    try:
        try:
            if path.parent not in _MADE:
                path.parent.mkdir(parents=True, exist_ok=True)
                _MADE.add(path.parent)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
        except FileNotFoundError:  # the cache was deleted since (a serve rebuild, a test)
            _MADE.discard(path.parent)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        Path(tmp).replace(path)
    except OSError:
        return False  # a read-only or full disk only costs speed
    return True


@cache
def code_digest() -> str:
    """A digest of this package's Python code: derived work made by other code is never reused."""
    digest = hashlib.sha256()
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()
