"""``mkdocs-mechanisms zensical build`` after no change: Zensical runs on the last preparation.

A preparation is a function of what it reads: the configuration (``INHERIT`` and ``!ENV``
resolved), the docs, the pathway files, the bibliography and a CSL file, the engine's own
code and the versions of Zensical and Python-Markdown (the block it keeps in the project's
``.gitignore`` is checked to be there). ``build`` fingerprints all of that *before* preparing (an edit made
while it runs changes the next fingerprint) and, once the preparation succeeded without a
warning, keeps the fingerprint with what the preparation handed Zensical (its configuration
and docs folder, by size) and the messages it printed. The next ``build`` whose fingerprint
is the same, and whose handed-over files are all still there, runs Zensical at once, showing
those messages again: nothing is loaded or converted. Anything missing or different (a
cleared cache, ``--clean``, a file edited or added) prepares as before; a cleared or
unreadable record costs a preparation, never a build.

This module imports no engine module: the check costs reading the sources, not loading them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Any

from .errors import MechanismsError
from .logs import log
from .siteconfig import read_config, resolve_env
from .zensical_shadow import FOLDER

INPUTS = "zensical/inputs.json"
FORM = 1
CONFIG = ".mechanisms-zensical.yml"
STATE = "zensical/state.json"
BLOCK_START = "# >>> mkdocs-mechanisms zensical:"
"""How the ``.gitignore`` block of :mod:`.zensical_files` starts (these three equal theirs: a test)."""
PACKAGES = ("zensical", "markdown", "pymdown-extensions")


def engine() -> str:
    """The engine itself, fingerprinted (an upgrade, an edit of its code)."""
    from . import __version__

    hasher = hashlib.sha256(__version__.encode())
    for code in sorted(Path(__file__).parent.rglob("*")):
        if code.suffix in (".py", ".css", ".js") and code.is_file():
            hasher.update(code.read_bytes())
    return hasher.hexdigest()[:16]


def fingerprint(config_file: Path) -> tuple[str, Path] | None:
    """What a preparation of ``config_file`` reads, as one digest, and the cache folder; ``None``: unreadable."""
    try:
        cfg = read_config(config_file)
        options = cfg.options()
    except (MechanismsError, OSError, ValueError):
        return None
    root, docs = cfg.root, cfg.docs_dir
    hasher = hashlib.sha256()
    versions = []
    for package in PACKAGES:
        try:
            versions.append(metadata.version(package))
        except metadata.PackageNotFoundError:
            versions.append("-")
    settings = [str(config_file.resolve()), resolve_env(cfg.data), versions, sys.version, engine()]
    hasher.update(json.dumps(settings, sort_keys=True, default=repr).encode("utf-8"))
    paths = [cfg.file, *cfg.inherited, docs, root / options.diagrams_dir, docs / options.bibliography]
    if options.csl_style.endswith(".csl"):
        paths.append(root / options.csl_style)
    for path in paths:
        _digest_path(hasher, path)
    return hasher.hexdigest(), root / options.cache_dir


def _digest_path(hasher: Any, path: Path) -> None:
    """A file's bytes, or every file under a folder (names and bytes, in order); ``-`` for nothing."""
    hasher.update(f"\0{path}\0".encode())
    if path.is_file():
        hasher.update(path.read_bytes())
        return
    if not path.is_dir():
        hasher.update(b"-")
        return
    for folder, dirs, files in os.walk(path):
        dirs.sort()
        for name in sorted(files):
            file = Path(folder) / name
            hasher.update(f"\0{file.relative_to(path).as_posix()}\0".encode())
            try:
                hasher.update(file.read_bytes())
            except OSError:
                hasher.update(b"-")


def forget(cache: Path) -> None:
    """Drop the record before preparing: a preparation that fails leaves none."""
    (cache / INPUTS).unlink(missing_ok=True)


def remember(cache: Path, digest: str, config: Path, outputs: Mapping[str, bytes], said: list[Any]) -> None:
    """Keep what a successful preparation handed Zensical, under the fingerprint taken before it ran."""
    if any(level >= logging.WARNING for level, _ in said):
        return  # warnings are shown by a preparation, every build
    record = {
        "form": FORM,
        "digest": digest,
        "config": hashlib.sha256(config.read_bytes()).hexdigest(),
        "docs": {rel: len(data) for rel, data in outputs.items()},
        "said": said,
    }
    path = cache / INPUTS
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, sort_keys=True), encoding="utf-8")


def unchanged(config_file: Path, found: tuple[str, Path] | None) -> Path | None:
    """Zensical's configuration of the last preparation, when nothing it read has changed since.

    ``found``: the :func:`fingerprint` of ``config_file`` now.
    """
    if found is None:
        return None
    digest, cache = found
    config = config_file.resolve().parent / CONFIG
    try:
        if BLOCK_START not in (config_file.parent / ".gitignore").read_text(encoding="utf-8"):
            return None
        record = json.loads((cache / INPUTS).read_text(encoding="utf-8"))
        if record.get("form") != FORM or record.get("digest") != digest:
            return None
        if (
            hashlib.sha256(config.read_bytes()).hexdigest() != record["config"]
            or not (cache / STATE).is_file()
        ):
            return None
        docs: dict[str, int] = record["docs"]
        if _listing(cache / FOLDER) != docs:
            return None
        said = [(int(level), str(text)) for level, text in record["said"]]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    logger = log.logger  # the one logger; its messages were prefixed when first said
    for level, text in said:
        logger.log(level, "%s", text)
    return config


def _listing(folder: Path) -> dict[str, int]:
    """Every file of Zensical's docs folder, by size."""
    out: dict[str, int] = {}
    for place, _dirs, files in os.walk(folder):
        for name in files:
            file = Path(place) / name
            out[file.relative_to(folder).as_posix()] = file.stat().st_size
    return out


@contextmanager
def said() -> Iterator[list[Any]]:
    """The messages the engine logs meanwhile, as (level, text)."""
    found: list[Any] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            found.append((record.levelno, record.getMessage()))

    logger = log.logger  # the one logger; its messages were prefixed when first said
    keep = Keep(logging.INFO)
    logger.addHandler(keep)
    try:
        yield found
    finally:
        logger.removeHandler(keep)
