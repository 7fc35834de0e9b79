"""Check a site's sources without building it: ``mkdocs-mechanisms check``.

``check`` is the build without the HTML: it reads the configuration with the one
reader both hosts use, loads every source through the same :class:`~.site.Site`
engine a build uses, and converts every page with the same Python-Markdown
extension (citations, figure fences, a term page's sections), with the site's
own Markdown extensions, so code blocks are left alone as in a build. Only
Graphviz is not run (``Site.drawing`` is off): a layout failure still shows only
in a build. Problems are collected as a served build collects them, nothing stops.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import MechanismsError, Problem
from .frontmatter import split_front_matter
from .options import Options
from .siteconfig import SiteConfig, read_config, resolve_env
from .sources import Sources

MKDOCS_EXTENSIONS = ("toc", "tables", "fenced_code")
"""The Markdown extensions MkDocs always adds to a site's own."""


@dataclass(frozen=True)
class Project:
    """One site as its configuration describes it, with the plugin's options checked."""

    config: SiteConfig
    options: Options
    problems: tuple[Problem, ...] = ()
    """Mistakes in the plugin's options (the check goes on with the defaults)."""
    extensions: list[Any] = field(default_factory=list)

    @property
    def root(self) -> Path:
        """The project folder (resolved: problems name files relative to it)."""
        return self.config.root.resolve()

    @property
    def docs_dir(self) -> Path:
        """The documentation folder."""
        return self.root / self.config.docs_dir.relative_to(self.config.root)

    @property
    def diagrams_dir(self) -> Path:
        """The folder of pathway files."""
        return self.root / self.options.diagrams_dir

    @property
    def glossary_dir(self) -> Path:
        """The folder of glossary pages."""
        return self.docs_dir / self.options.glossary

    @property
    def bibliography(self) -> Path:
        """The BibTeX file."""
        return self.docs_dir / self.options.bibliography


def read_project(config_file: Path) -> Project:
    """The site configured by ``config_file`` (``mkdocs.yml``, ``INHERIT`` followed, or ``zensical.toml``),
    read by :mod:`.siteconfig` as the Zensical host reads it; raises :class:`MechanismsError`."""
    config = read_config(config_file)
    problems: tuple[Problem, ...] = ()
    try:
        options = config.options(required=False)
    except MechanismsError as error:
        options, problems = Options(), tuple(error.problems)
    return Project(config, options, problems)


def _markdown_extensions(config: SiteConfig) -> tuple[list[Any], dict[str, Any]]:
    """The site's Markdown extensions as MkDocs reads them (names, and each one's settings)."""
    names: list[Any] = list(MKDOCS_EXTENSIONS)
    settings: dict[str, Any] = {}
    for item in resolve_env(config.data.get("markdown_extensions")) or []:
        if isinstance(item, str):
            names.append(item)
        elif isinstance(item, dict):
            for name, value in item.items():
                names.append(str(name))
                if isinstance(value, dict):
                    settings[str(name)] = value
    return list(dict.fromkeys(names)), settings


def _usable(names: list[Any], settings: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """The extensions this machine can load with their settings (a setting only MkDocs can build,
    such as a ``!!python/name`` tag, is dropped; an extension that is not installed is left out)."""
    from markdown import Markdown

    kept: list[Any] = []
    kept_settings: dict[str, Any] = {}
    for name in names:
        for config in ({name: settings[name]} if name in settings else None, {}):
            if config is None:
                continue
            try:
                Markdown(extensions=[name], extension_configs=config).convert("# Title\n\nText.\n")
            except Exception:  # any failure of a third-party extension: leave it out
                continue
            kept.append(name)
            kept_settings.update(config)
            break
    return kept, kept_settings


def _pages(project: Project) -> list[str]:
    """Every Markdown page of the docs, as MkDocs finds them (no dotfiles or dot folders)."""
    docs = project.docs_dir
    if not docs.is_dir():
        return []
    return sorted(
        p.relative_to(docs).as_posix()
        for p in docs.rglob("*.md")
        if not any(part.startswith(".") for part in p.relative_to(docs).parts)
    )


def check_project(project: Project, paths: Sequence[Path] = ()) -> tuple[list[Problem], Sources]:
    """Every problem of the site's sources and pages (only those in ``paths``, when given), sorted."""
    from .leftovers import drop_prepared
    from .links import Links
    from .markdown import MechanismsExtension
    from .site import Site

    found: list[Problem] = list(project.problems)
    site = Site(
        project.root,
        project.docs_dir,
        project.options,
        serving=True,  # collect every problem; nothing stops
        warn=lambda message: None,
        links=Links(project.options, directory_urls=project.config.use_directory_urls),
        drawing=False,
        places=project.config.option_places(),
    )
    pages = _pages(project)
    generated_before = set(drop_prepared(site, pages))  # a Zensical build's own pages: proven, not authored
    authored = [src for src in pages if src not in generated_before]
    try:
        site.start(authored)
    except MechanismsError as error:
        return sorted(set(found + error.problems)), site.sources  # as the build, nothing else is read
    found += site.sources.warnings
    names, settings = _usable(*_markdown_extensions(project.config))
    for src in authored:
        _check_page(site, project, src, names, settings, MechanismsExtension(site=site))
    found += site.reporter.problems
    problems = sorted(set(found), key=lambda p: (p.file, p.line, p.path, p.message))
    if paths:
        wanted = [_relative(p, project.root) for p in paths]
        problems = [p for p in problems if any(_inside(p.file, w) for w in wanted)]
    return problems, site.sources


def _check_page(
    site: Any, project: Project, src: str, names: list[Any], settings: dict[str, Any], ours: Any
) -> None:
    """Convert one page as the build does; its problems go to the site's reporter."""
    from markdown import Markdown

    name = _relative(project.docs_dir / src, project.root)
    try:
        text = (project.docs_dir / src).read_text(encoding="utf-8")
        _, body, first_line = split_front_matter(text, name)
    except (OSError, UnicodeDecodeError) as error:
        site.report([Problem(name, 0, "", f"cannot read file: {error}")])
        return
    except MechanismsError as error:
        site.report(error.problems)
        return
    site.begin_page(src, source=name, first_line=first_line)
    Markdown(extensions=[*names, ours], extension_configs=settings).convert(body)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _inside(file: str, wanted: str) -> bool:
    return wanted in (".", "") or file == wanted or file.startswith(wanted.rstrip("/") + "/")


def github_annotation(problem: Problem) -> str:
    """One problem as a GitHub Actions workflow command (an annotation on the file and line)."""

    def data(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    def prop(text: str) -> str:
        return data(text).replace(":", "%3A").replace(",", "%2C")

    where = f"file={prop(problem.file)}"
    if problem.line:
        where += f",line={problem.line}"
    message = (f"{problem.path}: " if problem.path else "") + problem.message
    if problem.suggestion:
        message += f" ({problem.suggestion})"
    return f"::error {where},title=mkdocs-mechanisms::{data(message)}"


def summary(problems: Sequence[Problem], sources: Sources) -> str:
    """One line for the end of a run."""
    checked = f"{_count(len(sources.pathways), 'pathway')}, {_count(len(sources.terms), 'glossary term')}"
    if not problems:
        return f"checked {checked}: no problems"
    files = _count(len({p.file for p in problems}), "file")
    return f"{_count(len(problems), 'problem')} in {files} ({checked} loaded)"


def _count(n: int, noun: str) -> str:
    """``n`` and the noun, plural unless ``n`` is 1 ("1 pathway", "0 glossary terms")."""
    return f"{n} {noun}{'s' * (n != 1)}"


def posix(path: str) -> str:
    """A path as shown in messages."""
    return PurePosixPath(path).as_posix()
