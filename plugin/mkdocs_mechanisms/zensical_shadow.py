"""The docs folder Zensical reads: the author's docs and the generated files, changed in one burst.

Zensical watches its docs folder and rebuilds once its watcher has seen 20 ms without a
change. When it read the author's own docs, a saved glossary page cost two builds: Zensical's
own, of the saved file, at once, then another one when the preparation had rewritten what
depends on it. Here Zensical reads a folder inside the plugin's cache
(``<cache_dir>/zensical/docs``) that only this command writes, and only once a preparation
is complete: every changed file is first written aside (``<cache_dir>/zensical/staging``, on
the same file system), then all are renamed into place, and stale ones removed, in one quick
loop. When the site-wide state changed, the configuration Zensical reads changes too (its
``fingerprint``) and is renamed into place first in the same loop: Zensical then reloads and
reads every page anew, once. Otherwise one page changed (a sentence of it), and Zensical
rebuilds that page alone. Either way it builds once per edit. (Measured: Zensical 0.0.73 and
0.1.4 report many pages changed at once without the configuration in one, two or three rounds,
as their page renders interleave; with the configuration first, in one.)

The folder is the plugin's own, like the render cache beside it: every file in it is a copy
this command made. It must stay inside the project without a symlink on the way and must not
lie in the author's docs (:meth:`Shadow.check`, and the options' own check of ``cache_dir``),
so nothing outside it is ever written or deleted.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path

from .errors import MechanismsError, Problem

FOLDER = "zensical/docs"
"""Inside the cache folder: the docs Zensical reads (the extension strips it from page paths too)."""

STAGING = "zensical/staging"
"""Inside the cache folder: changed files, written in full before any is moved into place."""

_MARK = "<!-- mechanisms-zensical-page {} -->"
_MARK_LINE = re.compile(r"<!-- mechanisms-zensical-page [0-9a-f]{32} -->")


def mark(page: bytes, inputs: str) -> bytes:
    """A page as Zensical reads it: its Markdown, then a last line naming what its rendering reads.

    Zensical renders a page again only when its file (or the configuration) changed; ``inputs``
    (a digest) changes whenever the page's rendering would, so a site-wide edit changes exactly
    the pages it touches. The extension drops the line before anything reads the page
    (:func:`unmark`), so the HTML is the same as without it.
    """
    return page + b"\n" + _MARK.format(inputs).encode("ascii") + b"\n"


def unmark(lines: list[str]) -> list[str]:
    """A page's lines as Python-Markdown splits them, without the line :func:`mark` added."""
    end = len(lines) - 1 if lines and lines[-1] == "" else len(lines)  # a host may strip the last newline
    if end >= 1 and _MARK_LINE.fullmatch(lines[end - 1]):
        return lines[: end - 1]
    return lines


class Shadow:
    """One site's shadow docs folder."""

    def __init__(self, root: Path, cache_dir: str) -> None:
        self.root = root
        self.folder = root / cache_dir / FOLDER
        self.staging = root / cache_dir / STAGING
        self.reloads = False
        """Whether the last :meth:`sync` changed the configuration (Zensical reloads)."""

    @property
    def relative(self) -> str:
        """The folder as the generated configuration names it (``docs_dir``)."""
        return self.folder.relative_to(self.root).as_posix()

    def check(self, config_name: str) -> None:
        """Refuse a folder reached through a symlink (the options' check keeps the cache out of the docs)."""
        real_root = Path(os.path.realpath(self.root))
        for place in (self.folder, self.staging):
            if Path(os.path.realpath(place)) != real_root / place.relative_to(self.root):
                raise MechanismsError(
                    Problem(
                        config_name,
                        0,
                        "cache_dir",
                        f"{place.relative_to(self.root).as_posix()}: the path leads out of the project through a symlink",
                    )
                )

    def sync(self, outputs: Mapping[str, bytes], config: tuple[Path, bytes] | None = None) -> list[str]:
        """Make the folder hold exactly ``outputs`` (path → content); the paths changed, sorted.

        ``config``: Zensical's configuration file and its text, renamed into place first in the
        same burst when it changed (Zensical then reloads, and reads every page anew).
        """
        present = dict(_files(self.folder))
        changed = sorted(rel for rel, data in outputs.items() if not _holds(present.get(rel), data))
        stale = sorted(set(present) - set(outputs))
        staged: list[tuple[Path, Path]] = []
        self.staging.mkdir(parents=True, exist_ok=True)
        self.reloads = config is not None and not _holds(config[0], config[1])
        if config is not None and self.reloads:
            aside = self.staging / "config"
            aside.write_bytes(config[1])
            staged.append((aside, config[0]))
        for number, rel in enumerate(changed):
            aside = self.staging / str(number)
            aside.write_bytes(outputs[rel])
            target = self.folder / rel
            _make_room(target, self.folder)
            staged.append((aside, target))
        # The burst: nothing but renames and unlinks, so Zensical's watcher sees them together.
        for aside, target in staged:
            aside.replace(target)
        for rel in stale:
            if present[rel].is_symlink() or present[rel].is_file():  # not where a folder took its place
                present[rel].unlink()
        for rel in stale:
            _prune(present[rel].parent, self.folder)
        return sorted([*changed, *stale])


def _holds(path: Path | None, data: bytes) -> bool:
    if path is None or path.is_symlink():
        return False
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _files(folder: Path) -> Iterator[tuple[str, Path]]:
    """Every file (and symlink) in the folder, symlinks never followed."""
    if not folder.is_dir() or folder.is_symlink():
        return
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath)
        links = [d for d in dirnames if (here / d).is_symlink()]
        dirnames[:] = [d for d in dirnames if d not in links]
        for name in [*filenames, *links]:
            path = here / name
            yield path.relative_to(folder).as_posix(), path


def _make_room(target: Path, folder: Path) -> None:
    """Folders up to ``target``, where a file of ours may stand (a page became a folder, or back)."""
    for parent in reversed(target.relative_to(folder).parents):
        place = folder / parent
        if place.is_symlink() or (place.exists() and not place.is_dir()):
            place.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)


def _prune(folder: Path, stop: Path) -> None:
    while folder != stop and folder.is_relative_to(stop):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def docs_sources(docs_dir: Path) -> Iterator[tuple[str, Path]]:
    """The author's docs as a host reads them: dot-files left out, symlinked folders followed once."""
    seen: set[str] = set()
    for dirpath, dirnames, filenames in os.walk(docs_dir, followlinks=True):
        real = os.path.realpath(dirpath)
        if real in seen:  # a symlink loop, or a folder linked twice
            dirnames[:] = []
            continue
        seen.add(real)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(dirpath)
        for name in sorted(filenames):
            path = here / name
            if not name.startswith(".") and path.is_file():
                yield path.relative_to(docs_dir).as_posix(), path
