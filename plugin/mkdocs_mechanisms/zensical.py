"""Zensical host: prepare the site-wide parts, then run Zensical's own build or serve.

Zensical never imports MkDocs plugins (a ``- mechanisms`` entry is silently
ignored), and has no module API yet. ``mkdocs-mechanisms zensical build``
therefore does beforehand what the plugin does inside MkDocs, from the same
configuration (``zensical.toml`` or ``mkdocs.yml``, read by
:mod:`.siteconfig`), ``diagrams/``, ``docs/`` and bibliography:

1. load and render every source with the engine (:class:`.site.Site`); files
   an earlier release generated into the author's docs are removed, when
   provably its own (:mod:`.zensical_files`);
2. read every page once to number citations and figures in navigation order and
   record mentions: a plain page without Python-Markdown (:mod:`.zensical_scan`),
   any other rendered with Zensical's own Markdown extensions plus ours; save that
   record as the prepared *state*;
3. write ``.mechanisms-zensical.yml``: the author's configuration, complete,
   with ``docs_dir`` pointing at the shadow docs folder, plus our extension
   (pointing at the state) and assets (:mod:`.zensical_config`);
4. bring the shadow docs folder in the cache up to date in one burst
   (:mod:`.zensical_shadow`): the author's files and the generated pages,
   exports and assets, every page ending with a digest of what its rendering
   reads (:func:`_marks`), so Zensical renders again exactly the pages an edit
   touches; nothing is written into the author's docs;
5. run ``zensical build`` or ``zensical serve`` on it (:mod:`.zensical_serve`); a
   ``build`` after no change skips steps 1–4 (:mod:`.zensical_inputs`); ``serve`` keeps one
   process preparing, which keeps what an edit leaves unchanged (:mod:`.zensical_resident`).
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

import yaml

from . import zensical_marks as page_marks
from . import zensical_pages as kept_pages
from .deps import digest
from .errors import MechanismsError, Problem
from .frontmatter import split_front_matter
from .leftovers import drop_prepared, owned_by, read_manifest
from .links import SourceLinks
from .logs import log
from .reuse import PageCache, Reuse
from .site import PATHWAYS_DIR, Generated, PageState, Site
from .siteconfig import SiteConfig, read_config, resolve_env
from .sources import diagram_files
from .zensical_config import CONFIG, relative, render_config, zensical_settings
from .zensical_files import (
    BLOCK_START,
    Owned,
    has_mark,
    manifest_file,
    remove_proven,
    update_gitignore,
    write_if_changed,
)
from .zensical_inputs import engine
from .zensical_scan import Scanner
from .zensical_shadow import Shadow, docs_sources, mark

if TYPE_CHECKING:
    from .zensical_resident import Resident

__all__ = ["BLOCK_START", "CONFIG", "Prepared", "drop_prepared", "prepare", "read_manifest"]

STATE = "zensical/state.json"
PAGES = kept_pages.PAGES
BASE = ".mechanisms-zensical.base.yml"
"""Written for a moment, to learn Zensical's own Markdown setup for the author's settings."""
PLAIN_ZENSICAL_HINT = (
    "Zensical does not run MkDocs plugins, so `zensical build` ignores `- mechanisms`: no figures, "
    "term links, citations or generated pages. Run `mkdocs-mechanisms zensical build` "
    "(or `... zensical serve`) beside mkdocs.yml or zensical.toml instead."
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


def extension_names(extensions: Any) -> list[str]:
    """Names of the configured Markdown extensions (list or mapping form)."""
    if isinstance(extensions, Mapping):
        return [str(k) for k in extensions]
    names: list[str] = []
    for item in extensions or []:
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
    """Files of Zensical's docs folder this preparation changed (or removed), once committed."""
    watched: list[Path]
    config_text: bytes = b""
    shadow: Shadow | None = None
    outputs: dict[str, bytes] = dataclasses.field(default_factory=dict)
    """What Zensical's docs folder is to hold."""
    converted: list[str] = dataclasses.field(default_factory=list)
    """Pages the collecting pass converted (the others were kept from the last preparation)."""

    def commit(self) -> list[str]:
        """The configuration, then Zensical's docs, changed in one burst; the docs' files changed."""
        if self.shadow is not None:
            self.written = self.shadow.sync(self.outputs, (self.config, self.config_text))
        return self.written


def authored_files(owned: Owned, manifest: Mapping[str, str]) -> list[str]:
    """The author's files in the docs (dot-files left out), after removing what an earlier release wrote."""
    files = [rel for rel, _ in docs_sources(owned.docs_dir)]
    removed = set(remove_proven(owned, files, manifest))
    return [rel for rel in files if rel not in removed]


def load_config(config_file: Path) -> tuple[SiteConfig, Path]:
    """The author's configuration and the docs folder, checked as Zensical checks them."""
    cfg = read_config(config_file)
    docs = resolve_env(cfg.data.get("docs_dir", "docs"))
    if not isinstance(docs, str) or Path(docs).is_absolute() or ".." in PurePosixPath(docs).parts:
        raise MechanismsError(
            Problem(cfg.name, 0, "docs_dir", f"{docs!r} must be a relative path inside the project")
        )
    return cfg, cfg.docs_dir


def prepare(
    config_file: Path, *, serving: bool, warn: Any = None, resident: Resident | None = None
) -> Prepared:
    """Steps 1–4 of the module docstring; raises :class:`MechanismsError` for author mistakes (build).

    ``resident``: what the earlier preparations of one serve kept (:mod:`.zensical_resident`).
    """
    cfg, docs_dir = load_config(config_file)
    options = cfg.options()
    root = cfg.root
    say = warn or _warn
    runner = Site.make_runner(root, options)
    site = Site(
        root,
        docs_dir,
        options,
        serving=serving,
        warn=say,
        runner=resident.runner_for(runner) if resident is not None else runner,
        links=SourceLinks(options, directory_urls=cfg.use_directory_urls),
        places=cfg.option_places(),
    )
    shadow = Shadow(root, options.cache_dir)
    shadow.check(cfg.name)
    owned = owned_by(site)
    authored = authored_files(owned, read_manifest(site))
    manifest_file(root, options.cache_dir).unlink(missing_ok=True)  # what it listed is gone, or not ours
    settings = zensical_settings(cfg, None)
    names = extension_names(settings["markdown_extensions"])
    own, clashes = set(authored), set()

    def exists(path: str) -> bool:
        if path in own:
            clashes.add(path)
        return path in own

    # its problems stop the build with the pages' own, in finish()
    has_nav, heading_ids = bool(cfg.data.get("nav")), "attr_list" in names
    generated = site.start(authored, exists, has_nav=has_nav, heading_ids=heading_ids)
    pages, cache = _render_all(site, cfg, settings, authored, generated, resident)
    site.number(pages)
    exported = site.finish()
    generated += [g for g in exported if g.path not in own]
    kept = sorted(p for p in clashes if not p.endswith(".md") and not p.startswith(f"{PATHWAYS_DIR}/"))
    kept += sorted(g.path for g in exported if g.path in own)
    if kept:
        say(
            f"kept {len(kept)} file(s) where generated ones go, as nothing shows the plugin wrote them: "
            f"{', '.join(_display(site, k) for k in kept)} (delete them if they are old generated files; "
            "the next run writes them anew)"
        )
    state = _state(site, [*authored, *(g.path for g in generated)])
    state_file = root / options.cache_dir / STATE
    whole = state["inputs"] = _fingerprint(state, site, cfg)  # the extension reloads when it changes
    write_if_changed(state_file, json.dumps(state, indent=1, sort_keys=True).encode("utf-8"))
    ours = {"state": relative(state_file, root), "fingerprint": _fingerprint_all_pages(state)}
    config_text = render_config(cfg, zensical_settings(cfg, ours, docs_dir=shadow.relative)).encode("utf-8")
    _ignore(cfg, owned, shadow)
    watched = [cfg.file, *_inherited(cfg), site.diagrams_dir, docs_dir, site.bib_path]
    outputs = _outputs(site, authored, generated, _marks(site, pages, cache, state, whole, resident))
    prepared = Prepared(root / CONFIG, site, [], watched, config_text, shadow, outputs, list(cache.rendered))
    prepared.commit()  # last: Zensical sees this preparation as one batch
    return prepared


def _outputs(
    site: Site, authored: Sequence[str], generated: Sequence[Generated], marks: Mapping[str, str]
) -> dict[str, bytes]:
    """What Zensical's docs folder holds: the author's files (the bibliography left out) and ours.

    Every page ends with its mark (:func:`.zensical_shadow.mark`): ``marks`` per page, the
    whole state's fingerprint for a page the collecting pass could not read.
    """
    out: dict[str, bytes] = {}
    for src in authored:
        if site.is_private_source(src):
            continue
        try:
            out[src] = (site.docs_dir / src).read_bytes()
        except OSError:  # gone since the docs were listed: the next round of the watcher sees it
            continue
    for g in generated:
        out[g.path] = g.file.read_bytes() if g.file is not None else (g.text or "").encode("utf-8")
    for path, data in out.items():
        if path.endswith(".md"):
            out[path] = mark(data, marks.get(path) or marks[""])
    return out


def _marks(
    site: Site,
    pages: Sequence[tuple[PageState, str]],
    cache: PageCache,
    state: Mapping[str, Any],
    whole: str,
    resident: Resident | None,
) -> dict[str, str]:
    """Every page's mark (:mod:`.zensical_marks`), those of unchanged pages kept from the last preparation."""
    path, engine = site.root / site.options.cache_dir / page_marks.MARKS, _engine()
    known = (
        resident.marks
        if resident is not None and resident.marks is not None
        else page_marks.load(path, engine)
    )
    kept_before = resident is not None and resident.marks is not None
    out = page_marks.marks(site, pages, cache.kept, state["record"], whole, known)
    if resident is not None:
        resident.marks = known
    if not kept_before:
        page_marks.save(path, known, engine)
    return out


def _inherited(cfg: SiteConfig) -> list[Path]:
    """The files an ``INHERIT`` chain reads (edits there change the site too)."""
    return list(cfg.inherited)


def _warn(message: str) -> None:
    log.warning(message)  # shown as "WARNING -  mechanisms: …" (the command line calls logs.show_on_terminal)


def _markdown_setup(
    cfg: SiteConfig, settings: Mapping[str, Any], resident: Resident | None
) -> tuple[list[Any], dict[str, Any], Any]:
    """Zensical's own Markdown extensions and settings for the author's configuration.

    Read through Zensical's own parser from a short-lived file of the complete settings
    (without ours), so both passes render with exactly what Zensical will use; once per
    configuration text in a serve.
    """
    from zensical.config import parse_config

    text = render_config(cfg, settings)
    if resident is not None and text in resident.setups:
        return resident.setups[text]
    base = cfg.root / BASE
    write_if_changed(base, text.encode("utf-8"))
    try:
        config = parse_config(str(base))
    finally:
        base.unlink(missing_ok=True)
    setup = list(config["markdown_extensions"]), dict(config["mdx_configs"]), config
    if resident is not None:
        resident.setups = {text: setup}
    return setup


def _render_all(
    site: Site,
    cfg: SiteConfig,
    settings: Mapping[str, Any],
    authored: Sequence[str],
    generated: Sequence[Generated],
    resident: Resident | None = None,
) -> tuple[list[tuple[PageState, str]], PageCache]:
    """Read every page once (the collecting pass): (page, HTML) in reading order, and the pages kept.

    A plain page is read without Python-Markdown (:mod:`.zensical_scan`), any other converted;
    a page kept from the last preparation (:mod:`.zensical_pages`) is not read again.
    """
    from markdown import Markdown
    from zensical.extensions.context import ContextExtension
    from zensical.extensions.context import Page as ZensicalPage

    from .markdown import MechanismsExtension

    extensions, configs, zconfig = _markdown_setup(cfg, settings, resident)
    scanner = Scanner(site, extensions, configs)
    data = cfg.data
    ours = MechanismsExtension(site=site)
    texts: dict[str, str] = {
        g.path: g.text or "" for g in generated if g.path.endswith(".md") and g.text is not None
    }
    for src in authored:
        if src.endswith(".md"):
            try:
                texts[src] = (site.docs_dir / src).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                site.report([Problem(_display(site, src), 0, "", f"cannot read file: {error}")])
    titles = dict(nav_titles(data.get("nav")))
    docs = site.docs_dir.relative_to(site.root).as_posix() if site.docs_dir.is_relative_to(site.root) else ""
    rendered: dict[str, tuple[PageState, str]] = {}
    kept_file, engine = site.root / site.options.cache_dir / PAGES, _engine()
    kept_before = resident is not None and resident.pages is not None
    cache = (
        resident.pages
        if resident is not None and resident.pages is not None
        else kept_pages.load(kept_file, engine)
    )
    host = json.dumps([settings, cfg.use_directory_urls], sort_keys=True, default=str)
    reuse = Reuse(site, cache, digest(host, *(_read(p) for p in [cfg.file, *_inherited(cfg)])))
    for src, text in texts.items():
        try:
            meta_text, body, first_line = split_front_matter(text, src)
        except MechanismsError as error:
            site.report(error.problems)
            continue
        try:
            meta = yaml.safe_load(meta_text) if meta_text else None
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 2 if mark is not None else 1
            site.report([Problem(_display(site, src), line, "", f"front matter is not valid YAML: {error}")])
            continue
        meta = meta if isinstance(meta, dict) else {}
        source = f"{docs}/{src}" if docs else src
        kept = reuse.take(src, f"{text}\0{source}\0{first_line}", source=source, first_line=first_line)
        if kept is not None:  # unchanged, and so is everything it used: not converted again
            rendered[src] = (site.page(src) or site.begin_page(src), kept.html)
            continue
        state = site.begin_page(src, source=source, first_line=first_line)
        scanned = scanner.collect(state, body)  # a plain page: read, not converted
        if scanned is not None:
            html, heading = scanned
        else:  # converted, the page begun afresh: the conversion makes every call again
            state = site.begin_page(src, source=source, first_line=first_line)
            context = ContextExtension(
                page=ZensicalPage(url=state.url.removeprefix("./"), path=src, meta=meta), config=zconfig
            )
            md = Markdown(extensions=[context, *extensions, ours], extension_configs=configs)
            html = md.convert(body)
            heading = next((str(t["name"]) for t in getattr(md, "toc_tokens", []) if t.get("level") == 1), "")
        state.title = titles.get(src) or str(meta.get("title") or "") or heading or _title_from(src)
        rendered[src] = (state, html)
        reuse.keep(state, html, {})
    if resident is not None:
        resident.pages = cache
    if not kept_before:  # a serve keeps its pages in memory: the file is read and written once
        kept_pages.save(kept_file, cache, engine)
    order = [src for src, _ in nav_titles(data.get("nav")) if src in rendered]
    order += sorted(src for src in rendered if src not in set(order))
    return [rendered[src] for src in order], cache


def _title_from(src: str) -> str:
    path = PurePosixPath(src)
    stem = path.parent.name if path.stem in ("index", "README") else path.stem
    return (stem or "Home").replace("-", " ").replace("_", " ").capitalize()


def _display(site: Site, src: str) -> str:
    path = site.docs_dir / src
    return path.relative_to(site.root).as_posix() if path.is_relative_to(site.root) else src


def _state(site: Site, pages: Sequence[str]) -> dict[str, Any]:
    options = dataclasses.asdict(site.options)
    return {
        "root": str(site.root),
        "docs_dir": str(site.docs_dir),
        "options": options,
        "places": dataclasses.asdict(site.folders.places),
        "serving": site.serving,
        "directory_urls": site.links.directory_urls,
        "glossary_files": [str(p) for p in site.glossary_sources(pages)],
        "pages": sorted(pages),
        "record": site.record.to_json(),
    }


def _fingerprint(state: Mapping[str, Any], site: Site, cfg: SiteConfig) -> str:
    """Changes whenever any input of any page does (Zensical caches pages by content and config)."""
    hasher = hashlib.sha256(json.dumps(state, sort_keys=True).encode("utf-8"))
    hasher.update(_engine().encode())
    sources = [
        cfg.file,
        *_inherited(cfg),
        site.bib_path,
        *diagram_files(site.diagrams_dir),  # .md, .yml and .yaml pathways alike
        *map(Path, state["glossary_files"]),
    ]
    for path in sources:
        hasher.update(str(path).encode())
        try:
            hasher.update(path.read_bytes())
        except OSError:
            hasher.update(b"-")
    return hasher.hexdigest()[:16]


def _fingerprint_all_pages(state: Mapping[str, Any]) -> str:
    """What every page's rendering reads, and no page's mark shows: Zensical reloads when it changes."""
    every = {k: state[k] for k in ("root", "docs_dir", "options", "places", "serving", "directory_urls")}
    return digest(_engine(), json.dumps(every, sort_keys=True))


@functools.cache
def _engine() -> str:
    """The engine itself, fingerprinted (an upgrade, an edit of its code), once per process."""
    return engine()


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b"-"


def _ignore(cfg: SiteConfig, owned: Owned, shadow: Shadow) -> None:
    """Keep the marked block of the project's ``.gitignore`` naming what this command writes.

    Earlier releases listed their generated files in the docs there: those lines go.
    """
    root = cfg.root
    docs = owned.docs_dir.relative_to(root).as_posix() if owned.docs_dir.is_relative_to(root) else ""
    docs = "" if docs == "." else docs
    prefix = f"/{docs}/" if docs else "/"
    entries = [f"/{CONFIG}", f"/{shadow.folder.parent.relative_to(root).as_posix()}/"]

    def ours(line: str) -> bool:
        if line == f"/{CONFIG}" or line.endswith("/zensical/"):
            return True
        if not line.startswith(prefix):
            return False
        rel = line[len(prefix) :]
        return owned.owned(rel) or rel.rstrip("/") in ("pathways", "assets/mechanisms", "schemas")

    update_gitignore(root / ".gitignore", entries, ours)


# -- running -------------------------------------------------------------------------


def report(error: MechanismsError) -> None:
    """Print an author mistake as Zensical prints its errors (once: warned problems are not repeated)."""
    if error.reported:  # each was printed as a warning already
        print(f"ERROR   -  mechanisms: {error.stopped()}", file=sys.stderr)
    for problem in [] if error.reported else error.problems:
        print(f"ERROR   -  mechanisms: {problem}", file=sys.stderr)


def generated_mark(path: Path) -> bool:
    """Whether a file carries a valid mark (used by tests and by ``check``)."""
    try:
        return has_mark(path.read_bytes())
    except OSError:
        return False
