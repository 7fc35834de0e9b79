"""Zensical host: prepare the site-wide parts, then run Zensical's own build or serve.

Zensical never imports MkDocs plugins (a ``- mechanisms`` entry is silently
ignored), and has no module API yet. ``mkdocs-mechanisms zensical build``
therefore does beforehand what the plugin does inside MkDocs, from the same
``mkdocs.yml``, ``diagrams/``, ``docs/`` and bibliography:

1. load and render every source with the engine (:class:`.site.Site`);
2. write the generated pages, exports and assets into the docs folder, each
   only when its content changed, list them in a manifest in the cache folder
   and in a marked block of the project's ``.gitignore``; MkDocs drops them
   from its sources (:func:`drop_prepared`), so the two hosts never mix;
3. render every page once with Zensical's own Markdown extensions plus ours, to
   number citations in navigation order and record mentions, and save that
   record as the prepared *state*;
4. write ``.mechanisms-zensical.yml``: ``INHERIT: mkdocs.yml`` plus our
   extension (pointing at the state, with a fingerprint that changes whenever
   the site does, so Zensical re-renders its cached pages) and our assets;
5. run ``zensical build`` or ``zensical serve`` on it. Under ``serve`` a
   watcher repeats steps 1–4 when a pathway, glossary page, page, the
   bibliography or ``mkdocs.yml`` changes; Zensical reloads what changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import yaml

from . import __version__
from .errors import MechanismsError, Problem
from .frontmatter import split_front_matter
from .options import Options
from .site import SCRIPTS, STYLESHEETS, Generated, PageState, Site

MANIFEST = "zensical/manifest.json"
"""Inside the cache folder: every generated file under the docs, with its content hash."""
STATE = "zensical/state.json"
CONFIG = ".mechanisms-zensical.yml"
"""The generated Zensical configuration, beside ``mkdocs.yml``."""
BLOCK_START = (
    "# >>> mkdocs-mechanisms zensical: generated files, rewritten on every run (do not edit this block)"
)
BLOCK_END = "# <<< mkdocs-mechanisms zensical"
MKDOCS_DEFAULT_EXTENSIONS = ("toc", "tables", "fenced_code")
"""What MkDocs uses without ``markdown_extensions`` (Zensical's own defaults differ)."""
PLAIN_ZENSICAL_HINT = (
    "Zensical does not run MkDocs plugins, so `zensical build` ignores `- mechanisms`: no figures, "
    "term links, citations or generated pages. Run `mkdocs-mechanisms zensical build` "
    "(or `... zensical serve`) beside mkdocs.yml instead."
)


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


# -- mkdocs.yml ------------------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """Safe YAML; tags we do not know (``!ENV``, ``!!python/name:``) read as null, never run."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def read_mkdocs_yml(path: Path) -> dict[str, Any]:
    """``mkdocs.yml`` as plain data (following ``INHERIT``), or one clear error."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise MechanismsError(Problem(path.name, 0, "", f"cannot read the configuration: {error}")) from None
    if not isinstance(data, dict):
        raise MechanismsError(Problem(path.name, 1, "", "the configuration is not a mapping"))
    config: dict[str, Any] = {str(k): v for k, v in data.items()}
    parent = config.pop("INHERIT", None)
    if isinstance(parent, str):
        base = read_mkdocs_yml((path.parent / parent).resolve())
        base.update(config)
        config = base
    return config


def plugin_options(data: Mapping[str, Any], source: str) -> Options:
    """The ``- mechanisms`` entry's options; an error when the site does not list the plugin."""
    plugins = data.get("plugins") or []
    entries: list[tuple[str, Any]] = []
    if isinstance(plugins, Mapping):
        entries = [(str(k), v) for k, v in plugins.items()]
    elif isinstance(plugins, list):
        for item in plugins:
            if isinstance(item, str):
                entries.append((item, None))
            elif isinstance(item, Mapping):
                entries.extend((str(k), v) for k, v in item.items())
    for name, value in entries:
        if name == "mechanisms":
            return Options.from_mapping(value if isinstance(value, Mapping) else {}, source)
    raise MechanismsError(
        Problem(
            source,
            0,
            "plugins",
            "the site does not use the mechanisms plugin",
            "add '- mechanisms' under plugins",
        )
    )


def nav_titles(nav: Any) -> list[tuple[str, str]]:
    """(source path, title) of every page in ``nav``, in reading order."""
    out: list[tuple[str, str]] = []

    def walk(item: Any, title: str = "") -> None:
        if isinstance(item, str):
            if item.endswith(".md") and "://" not in item:
                out.append((item, title))
        elif isinstance(item, list):
            for child in item:
                walk(child)
        elif isinstance(item, Mapping):
            for key, value in item.items():
                walk(value, str(key))

    walk(nav or [])
    return out


def extension_names(data: Mapping[str, Any]) -> list[str]:
    """Names of the configured Markdown extensions."""
    names: list[str] = []
    for item in data.get("markdown_extensions") or []:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, Mapping):
            names.extend(str(k) for k in item)
    return names


# -- preparing ---------------------------------------------------------------------


@dataclass
class Prepared:
    """What one preparation produced."""

    config: Path
    """The generated Zensical configuration to run."""
    site: Site
    written: list[str]
    watched: list[Path]


def authored_files(docs_dir: Path, generated: Mapping[str, str]) -> list[str]:
    """The author's files under the docs (dot-files and our own unchanged output left out)."""
    out = []
    for path in sorted(docs_dir.rglob("*")):
        rel = path.relative_to(docs_dir)
        if any(part.startswith(".") for part in rel.parts) or not path.is_file():
            continue
        src = rel.as_posix()
        if src in generated:
            try:
                if digest(path.read_bytes()) == generated[src]:
                    continue
            except OSError:
                continue
        out.append(src)
    return out


def prepare(config_file: Path, *, serving: bool, warn: Any = None) -> Prepared:
    """Steps 1–4 of the module docstring; raises :class:`MechanismsError` for author mistakes (build)."""
    config_file = config_file.resolve()
    root = config_file.parent
    data = read_mkdocs_yml(config_file)
    options = plugin_options(data, config_file.name)
    docs_dir = (root / str(data.get("docs_dir") or "docs")).resolve()
    site = Site(
        root,
        docs_dir,
        options,
        serving=serving,
        warn=warn or _warn,
        directory_urls=bool(data.get("use_directory_urls", True)),
        source_links=True,
    )
    site.check_folders()
    previous = read_manifest(site)
    authored = authored_files(docs_dir, previous)
    site.set_pages(authored)
    site.load(site.glossary_sources(authored))  # its problems stop the build with the pages' own
    names = extension_names(data)
    exists = set(authored).__contains__
    generated = site.generated(exists, has_nav=bool(data.get("nav")), heading_ids="attr_list" in names)
    generated = [g for g in generated if not exists(g.path)]
    site.set_pages([*authored, *(g.path for g in generated)])
    pages = _render_all(site, config_file, data, authored, generated)
    site.number_citations(pages)
    generated += [Generated(path, text) for path, text in sorted(site.exports.items())]
    site.reporter.checkpoint()
    written = _write_generated(site, generated, previous, authored)
    state = _state(site, data, [*authored, *(g.path for g in generated)])
    fingerprint = _fingerprint(state, site, config_file)
    state_file = (root / options.cache_dir / STATE).resolve()
    _write_if_changed(state_file, json.dumps(state, indent=1, sort_keys=True).encode("utf-8"))
    generated_config = root / CONFIG
    _write_if_changed(
        generated_config, _zensical_config(config_file.name, data, state_file, fingerprint).encode("utf-8")
    )
    _ignore(root, docs_dir, [g.path for g in generated], authored)
    watched = [config_file, site.diagrams_dir, docs_dir, site.bib_path]
    return Prepared(generated_config, site, written, watched)


def _warn(message: str) -> None:
    print(f"WARNING -  mechanisms: {message}", file=sys.stderr)


def _markdown_setup(config_file: Path) -> tuple[list[Any], dict[str, Any], Any]:
    """Zensical's own Markdown extensions and settings for this config (so both passes agree)."""
    from zensical.config import parse_config

    config = parse_config(str(config_file))
    return list(config["markdown_extensions"]), dict(config["mdx_configs"]), config


def _render_all(
    site: Site,
    config_file: Path,
    data: Mapping[str, Any],
    authored: Sequence[str],
    generated: Sequence[Generated],
) -> list[tuple[PageState, str]]:
    """Render every page once (the collecting pass); returns (page, HTML) in reading order."""
    from markdown import Markdown
    from zensical.extensions.context import ContextExtension
    from zensical.extensions.context import Page as ZensicalPage

    from .markdown import MechanismsExtension

    extensions, configs, zconfig = _markdown_setup(config_file)
    ours = MechanismsExtension(site=site)
    texts: dict[str, str] = {
        g.path: g.text or "" for g in generated if g.path.endswith(".md") and g.text is not None
    }
    for src in authored:
        if src.endswith(".md"):
            try:
                texts[src] = (site.docs_dir / src).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                site.reporter.add([Problem(_display(site, src), 0, "", f"cannot read file: {error}")])
    titles = dict(nav_titles(data.get("nav")))
    docs = site.docs_dir.relative_to(site.root).as_posix() if site.docs_dir.is_relative_to(site.root) else ""
    rendered: dict[str, tuple[PageState, str]] = {}
    for src, text in texts.items():
        try:
            meta_text, body, first_line = split_front_matter(text, src)
        except MechanismsError as error:
            site.reporter.add(error.problems)
            continue
        try:
            meta = yaml.safe_load(meta_text) if meta_text else None
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 2 if mark is not None else 1
            site.reporter.add(
                [Problem(_display(site, src), line, "", f"front matter is not valid YAML: {error}")]
            )
            continue
        meta = meta if isinstance(meta, dict) else {}
        state = site.begin_page(src, source=f"{docs}/{src}" if docs else src, first_line=first_line)
        context = ContextExtension(
            page=ZensicalPage(url=state.url.removeprefix("./"), path=src, meta=meta), config=zconfig
        )
        md = Markdown(extensions=[context, *extensions, ours], extension_configs=configs)
        html = md.convert(body)
        heading = next((str(t["name"]) for t in getattr(md, "toc_tokens", []) if t.get("level") == 1), "")
        state.title = titles.get(src) or str(meta.get("title") or "") or heading or _title_from(src)
        rendered[src] = (state, html)
    order = [src for src, _ in nav_titles(data.get("nav")) if src in rendered]
    order += sorted(src for src in rendered if src not in set(order))
    return [rendered[src] for src in order]


def _title_from(src: str) -> str:
    path = PurePosixPath(src)
    stem = path.parent.name if path.stem in ("index", "README") else path.stem
    return (stem or "Home").replace("-", " ").replace("_", " ").capitalize()


def _display(site: Site, src: str) -> str:
    path = site.docs_dir / src
    return path.relative_to(site.root).as_posix() if path.is_relative_to(site.root) else src


def _write_if_changed(path: Path, data: bytes) -> bool:
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


def _write_generated(
    site: Site, generated: Sequence[Generated], previous: Mapping[str, str], authored: Sequence[str]
) -> list[str]:
    """Write what changed, delete what is no longer generated, keep the manifest."""
    written: list[str] = []
    files: dict[str, str] = {}
    taken = set(authored)
    for item in generated:
        if item.path in taken:
            continue
        data = item.file.read_bytes() if item.file is not None else (item.text or "").encode("utf-8")
        files[item.path] = digest(data)
        if _write_if_changed(site.docs_dir / item.path, data):
            written.append(item.path)
    for old in sorted(set(previous) - set(files)):
        path = site.docs_dir / old
        try:
            if digest(path.read_bytes()) == previous[old]:
                path.unlink()
                _prune(path.parent, site.docs_dir)
        except OSError:
            continue
    body = {"generator": f"mkdocs-mechanisms {__version__}", "files": dict(sorted(files.items()))}
    _write_if_changed(manifest_path(site), (json.dumps(body, indent=1) + "\n").encode("utf-8"))
    return written


def _prune(folder: Path, stop: Path) -> None:
    """Remove folders our deletions left empty, up to the docs folder."""
    while folder != stop and stop in folder.parents:
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


def _state(site: Site, data: Mapping[str, Any], pages: Sequence[str]) -> dict[str, Any]:
    options = dataclasses.asdict(site.options)
    return {
        "root": str(site.root),
        "docs_dir": str(site.docs_dir),
        "options": options,
        "serving": site.reporter.serving,
        "directory_urls": site.directory_urls,
        "glossary_files": [str(p) for p in site.glossary_sources(pages)],
        "pages": sorted(pages),
        "record": site.record.to_json(),
    }


def _fingerprint(state: Mapping[str, Any], site: Site, config_file: Path) -> str:
    """Changes whenever any input of any page does (Zensical caches pages by content and config)."""
    hasher = hashlib.sha256(json.dumps(state, sort_keys=True).encode("utf-8"))
    hasher.update(__version__.encode())
    for code in sorted(Path(__file__).parent.rglob("*")):  # the engine itself (an upgrade, an edit)
        if code.suffix in (".py", ".css", ".js") and code.is_file():
            hasher.update(code.read_bytes())
    sources = [
        config_file,
        site.bib_path,
        *sorted(site.diagrams_dir.glob("*.md")),
        *map(Path, state["glossary_files"]),
    ]
    for path in sources:
        try:
            hasher.update(path.read_bytes())
        except OSError:
            hasher.update(b"-")
    return hasher.hexdigest()[:16]


def _zensical_config(parent: str, data: Mapping[str, Any], state_file: Path, fingerprint: str) -> str:
    """``INHERIT`` the author's file; add our extension and assets (lists are appended to the parent's)."""
    lines = [
        "# Generated by `mkdocs-mechanisms zensical` on every run: do not edit (it is git-ignored).",
        f"# Zensical reads {parent} through INHERIT, plus the mechanisms extension and assets below.",
        f"INHERIT: {json.dumps(parent)}",
        f"exclude_docs: {json.dumps(_excluded(data))}",
        "markdown_extensions:",
    ]
    if not data.get("markdown_extensions"):
        lines += [f"  - {name}" for name in MKDOCS_DEFAULT_EXTENSIONS]
    lines += [
        "  - mkdocs_mechanisms.markdown:",
        f"      state: {json.dumps(str(state_file))}",
        f"      fingerprint: {json.dumps(fingerprint)}",
        "extra_css:",
        *(f"  - {json.dumps(path)}" for path in STYLESHEETS),
        "extra_javascript:",
        *(f"  - {json.dumps(path)}" for path in SCRIPTS),
    ]
    return "\n".join(lines) + "\n"


def _excluded(data: Mapping[str, Any]) -> str:
    """The author's ``exclude_docs`` plus the bibliography, which is never published (as under MkDocs)."""
    own = data.get("exclude_docs")
    own = own.rstrip("\n") + "\n" if isinstance(own, str) and own.strip() else ""
    return own + Site.PRIVATE_PATTERN + "\n"


def _ignore(root: Path, docs_dir: Path, generated: Sequence[str], authored: Sequence[str]) -> None:
    """Keep the marked block of the project's ``.gitignore`` listing exactly what we generate."""
    docs = docs_dir.relative_to(root).as_posix() if docs_dir.is_relative_to(root) else ""
    used = {PurePosixPath(a).parent.as_posix() for a in authored}
    used |= {parent.as_posix() for a in authored for parent in PurePosixPath(a).parents}
    entries = {f"/{CONFIG}"}
    for path in generated:
        parts = PurePosixPath(path).parts
        entry = path
        for depth in range(1, len(parts)):
            folder = "/".join(parts[:depth])
            if folder not in used:
                entry = folder + "/"
                break
        entries.add(f"/{docs}/{entry}" if docs else f"/{entry}")
    block = "\n".join([BLOCK_START, *sorted(entries), BLOCK_END]) + "\n"
    ignore = root / ".gitignore"
    try:
        text = ignore.read_text(encoding="utf-8")
    except OSError:
        text = ""
    start, end = text.find(BLOCK_START), text.find(BLOCK_END)
    if start >= 0 and end > start:
        text = text[:start] + block + text[end + len(BLOCK_END) :].lstrip("\n")
    else:
        text = text + ("\n" if text and not text.endswith("\n") else "") + block
    _write_if_changed(ignore, text.encode("utf-8"))


# -- running -------------------------------------------------------------------------


def _zensical_command(command: str, config: Path, extra: Sequence[str]) -> list[str]:
    return [sys.executable, "-m", "zensical", command, "-f", str(config), *extra]


def run(command: str, config_file: Path, extra: Sequence[str]) -> int:
    """``build`` or ``serve``; returns the exit code."""
    try:
        import zensical  # noqa: F401
    except ImportError:
        print(
            "mkdocs-mechanisms: Zensical is not installed: pip install 'mkdocs-mechanisms[zensical]'",
            file=sys.stderr,
        )
        return 1
    if not config_file.is_file():
        print(
            f"mkdocs-mechanisms: no {config_file.name} here; run beside mkdocs.yml or pass -f FILE",
            file=sys.stderr,
        )
        return 2
    serving = command == "serve"
    try:
        prepared = prepare(config_file, serving=serving)
    except MechanismsError as error:
        if error.reported:  # each was printed as a warning already
            print(f"ERROR   -  mechanisms: {error.stopped()}", file=sys.stderr)
        for problem in [] if error.reported else error.problems:
            print(f"ERROR   -  mechanisms: {problem}", file=sys.stderr)
        return 1
    if not serving:
        return subprocess.run(
            _zensical_command("build", prepared.config, extra), cwd=prepared.site.root
        ).returncode
    return _serve(config_file, prepared, extra)


def _snapshot(paths: Sequence[Path], skip: Mapping[str, str], docs_dir: Path) -> dict[str, tuple[int, int]]:
    seen: dict[str, tuple[int, int]] = {}
    for path in paths:
        for file in _walk(path):
            try:
                rel = file.relative_to(docs_dir).as_posix() if file.is_relative_to(docs_dir) else ""
                if rel and rel in skip:
                    continue
                stat = file.stat()
            except OSError:
                continue
            seen[str(file)] = (stat.st_mtime_ns, stat.st_size)
    return seen


def _walk(path: Path) -> Iterator[Path]:
    if path.is_file():
        yield path
    elif path.is_dir():
        for dirpath, dirnames, filenames in os.walk(path):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for name in filenames:
                if not name.startswith("."):
                    yield Path(dirpath) / name


class _Stopped(Exception):
    """SIGTERM or SIGHUP reached the watcher: stop Zensical's server too."""


def _stop(signum: int, frame: object) -> None:
    raise _Stopped(signum)


def _serve(config_file: Path, prepared: Prepared, extra: Sequence[str], interval: float = 0.3) -> int:
    """Run Zensical's server; prepare again whenever a source changes (our own output excluded).

    Zensical runs as a child process: a terminated watcher must take it along, or an orphaned
    server keeps the port (and whatever pipe the caller reads) open.
    """
    process = subprocess.Popen(_zensical_command("serve", prepared.config, extra), cwd=prepared.site.root)
    site = prepared.site
    before = _snapshot(prepared.watched, read_manifest(site), site.docs_dir)
    handled = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    previous = {signum: signal.signal(signum, _stop) for signum in handled}
    stopped = False
    try:
        while process.poll() is None:
            time.sleep(interval)
            now = _snapshot(prepared.watched, read_manifest(site), site.docs_dir)
            if now == before:
                continue
            before = now  # taken before preparing: an edit made meanwhile is seen next time
            try:
                prepared = prepare(config_file, serving=True)
                site = prepared.site
            except MechanismsError as error:
                for problem in error.problems:
                    print(f"ERROR   -  mechanisms: {problem}", file=sys.stderr)
    except (KeyboardInterrupt, _Stopped):
        stopped = True
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    return 0 if stopped else process.returncode or 0
