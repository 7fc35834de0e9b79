"""Check a site's sources without building it: ``mkdocs-mechanisms check``.

The same loaders and cross-checks that a build runs are applied to every
pathway file, glossary page and the bibliography, and every page's
citations and figure fences are checked against them, so an editor hook or
CI job finds a build's problems in a fraction of its time. Graphviz is not
run: a layout failure still shows only in a build.

The configuration (``zensical.toml`` or ``mkdocs.yml`` with its ``INHERIT``
chain) is read by :mod:`.siteconfig`, the reader the Zensical host uses; YAML
tags are kept, not run, and only three of the plugin's options and
``docs_dir`` matter here.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from . import cite
from .errors import MechanismsError, Problem
from .fences import fence_problems
from .frontmatter import split_front_matter
from .load import read_checked_pathway
from .pages import find_fences
from .siteconfig import read_config, resolve_env
from .sources import Sources, diagram_files, load_sources


@dataclass(frozen=True)
class Project:
    """Where one site keeps its sources, as ``mkdocs.yml`` and the plugin's options say."""

    root: Path
    docs_dir: Path
    diagrams_dir: Path
    glossary_dir: Path
    bibliography: Path


def read_project(config_file: Path) -> Project:
    """The folders of the site configured by ``config_file`` (``mkdocs.yml``, ``INHERIT`` followed, or
    ``zensical.toml``), read by :mod:`.siteconfig` as the Zensical host reads it; raises
    :class:`MechanismsError`."""
    config = read_config(config_file)
    options = resolve_env(dict(config.plugin_entry()[1]))
    root = config.root.resolve()
    docs = root / config.docs_dir.relative_to(config.root)
    return Project(
        root=root,
        docs_dir=docs,
        diagrams_dir=root / str(options.get("diagrams_dir") or "diagrams"),
        glossary_dir=docs / str(options.get("glossary_dir") or "glossary").strip("/"),
        bibliography=docs / str(options.get("bibliography") or "references.bib"),
    )


def glossary_files(project: Project) -> list[Path]:
    """Glossary pages: every Markdown file under the glossary folder except its index."""
    if not project.glossary_dir.is_dir():
        return []
    return sorted(
        p
        for p in project.glossary_dir.rglob("*.md")
        if p.name not in ("index.md", "README.md") and not p.name.startswith(".")
    )


def _pages(project: Project) -> list[Path]:
    if not project.docs_dir.is_dir():
        return []
    return sorted(
        p
        for p in project.docs_dir.rglob("*.md")
        if not any(part.startswith(".") for part in p.relative_to(project.docs_dir).parts)
    )


def check_project(project: Project, paths: Sequence[Path] = ()) -> tuple[list[Problem], Sources]:
    """Every problem of the site's sources (only those in ``paths``, when given), sorted."""
    bib = project.bibliography if project.bibliography.is_file() else None
    sources = load_sources(project.root, diagram_files(project.diagrams_dir), glossary_files(project), bib)
    problems = list(sources.problems)
    for page in _pages(project):
        problems += check_page(page, project.root, sources)
    problems = sorted(set(problems), key=lambda p: (p.file, p.line, p.path, p.message))
    if paths:
        wanted = [_relative(p, project.root) for p in paths]
        problems = [p for p in problems if any(_inside(p.file, w) for w in wanted)]
    return problems, sources


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _inside(file: str, wanted: str) -> bool:
    return wanted in (".", "") or file == wanted or file.startswith(wanted.rstrip("/") + "/")


def check_page(path: Path, root: Path, sources: Sources) -> list[Problem]:
    """Citation keys and figure fences of one documentation page, as the build checks them."""
    name = _relative(path, root)
    try:
        text = path.read_text(encoding="utf-8")
        _, body, first_line = split_front_matter(text, name)
    except (OSError, UnicodeDecodeError) as error:
        return [Problem(name, 0, "", f"cannot read file: {error}")]
    except MechanismsError as error:
        return error.problems
    problems: list[Problem] = []
    known = sources.citable or set()
    fences = find_fences(body)
    outside = _blank_fences(body, fences)
    problems += cite.page_problems(outside, first_line, known, name)  # the build's own reading
    for fence in fences:
        line = first_line + fence.line - 1
        problems += _check_fence(fence.kind, textwrap.dedent(fence.body), name, line, sources)
    return problems


def _blank_fences(body: str, fences: Iterable[Any]) -> str:
    """The page with figure fences blanked (same line count): their text is not prose."""
    out, pos = [], 0
    for fence in fences:
        out.append(body[pos : fence.start])
        out.append("\n" * body.count("\n", fence.start, fence.end))
        pos = fence.end
    out.append(body[pos:])
    return "".join(out)


def _check_fence(kind: str, body: str, source: str, line: int, sources: Sources) -> list[Problem]:
    known = sources.citable
    if kind == "pathway" and body.lstrip().startswith("---"):
        _, problems = read_checked_pathway(
            body.strip() + "\n",
            f"{source}:{line + 1}",
            default_id="inline",
            terms=set(sources.terms) or None,
            citations=known,
        )
        return [Problem(source, line + p.line, p.path, p.message, p.suggestion) for p in problems]
    found = fence_problems(
        kind, body.split(), sources.pathways, sources.terms, sources.interacting, sources.broken_pathways
    )
    return [Problem(source, line, p.path, p.message, p.suggestion) for p in found]


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
    files = len({p.file for p in problems})
    checked = f"{len(sources.pathways)} pathways, {len(sources.terms)} glossary terms"
    if not problems:
        return f"checked {checked}: no problems"
    return f"{len(problems)} problem{'s' * (len(problems) != 1)} in {files} file{'s' * (files != 1)} ({checked} loaded)"


def posix(path: str) -> str:
    """A path as shown in messages."""
    return PurePosixPath(path).as_posix()
