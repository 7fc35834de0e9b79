"""The project's folders as one build sees them: where sources are, and what is never published.

Checked once at the start of a build: pathway files apart from the docs, and the
render cache inside neither (a host serving the site would rebuild forever).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .errors import MechanismsError, Problem
from .options import Options
from .places import OptionPlaces
from .reporter import Reporter
from .sources import (
    DEFAULT_BIBLIOGRAPHY,
    DEFAULT_DIAGRAMS_DIR,
    Sources,
    diagram_files,
    load_sources,
    missing_bibliography,
    missing_diagrams_dir,
    nested_glossary_problems,
)


@dataclass(frozen=True)
class Folders:
    """The resolved folders of one project."""

    root: Path
    docs_dir: Path
    diagrams_dir: Path
    bib_path: Path
    cache_dir: Path
    options: Options
    places: OptionPlaces = field(default_factory=OptionPlaces)
    """Where the options are written: a problem with a folder option is reported there."""

    @classmethod
    def of(cls, root: Path, docs_dir: Path, options: Options, places: OptionPlaces | None = None) -> Folders:
        """The folders ``options`` name, resolved against ``root`` and ``docs_dir``."""
        root, docs = root.resolve(), docs_dir.resolve()
        return cls(
            root,
            docs,
            (root / options.diagrams_dir).resolve(),
            (docs / options.bibliography).resolve(),
            (root / options.cache_dir).resolve(),
            options,
            places or OptionPlaces(),
        )

    def check(self) -> None:
        """Diagrams apart from the docs, and a cache inside neither (serving would rebuild forever)."""
        d, docs = self.diagrams_dir, self.docs_dir
        if d == docs or docs in d.parents or d in docs.parents:
            raise MechanismsError(
                self.places.problem(
                    "diagrams_dir",
                    f"'{self.options.diagrams_dir}' overlaps docs_dir ({docs}): pathway files are not pages",
                    "keep them in a folder of their own beside the docs, e.g. 'diagrams'",
                )
            )
        for watched in (self.docs_dir, self.diagrams_dir):
            if self.cache_dir == watched or watched in self.cache_dir.parents:
                raise MechanismsError(
                    self.places.problem(
                        "cache_dir",
                        f"'{self.options.cache_dir}' is inside a watched folder ({watched}); "
                        "serving would rebuild forever",
                        "use '.cache/mechanisms'",
                    )
                )

    def glossary_pages(self, srcs: Iterable[str]) -> tuple[list[Path], list[Problem]]:
        """The glossary pages among the docs' source paths (not the index), and the nested ones refused."""
        prefix = self.options.glossary + "/"
        found = [
            src
            for src in srcs
            if src.startswith(prefix)
            and src.endswith(".md")
            and PurePosixPath(src).name not in ("index.md", "README.md")
        ]
        nested = [src for src in found if "/" in src[len(prefix) :]]
        problems = nested_glossary_problems(self.docs_dir, self.root, prefix, nested)
        return [self.docs_dir / src for src in found if src not in nested], problems

    def is_private(self, src: str) -> bool:
        """A BibTeX file in the docs folder: the author's library (abstracts, notes, paths to PDFs on
        their machine), never published as it is. Both hosts leave it out of the built site."""
        return PurePosixPath(src).suffix.lower() == ".bib" or (self.docs_dir / src).resolve() == self.bib_path

    def load(self, glossary_files: Sequence[Path], reporter: Reporter) -> Sources:
        """Every source read once; its problems reported."""
        sources = load_sources(
            self.root,
            diagram_files(self.diagrams_dir),
            glossary_files,
            self.bib_path if self.bib_path.is_file() else None,
            csl_style=self.options.csl_style,
            places=self.places,
        )
        for warning in sources.warnings:
            reporter.warn(str(warning))
        if sources.bibliography_problem is not None:
            reporter.cause(sources.bibliography_problem)
        reporter.add(sources.problems)
        return sources

    def missing(self, sources: Sources, reporter: Reporter) -> tuple[Problem | None, Problem | None]:
        """Why no pathway file, and why no citation, can be read (each reported once when it matters).

        A folder or file named in mkdocs.yml is a mistake at once; under its default name it is
        one only when a fence or citation needs it (then named the same way, once).
        """
        options = self.options
        diagrams = missing_diagrams_dir(self.diagrams_dir, options.diagrams_dir, self.places)
        bibliography = (
            missing_bibliography(self.bib_path, options.bibliography, self.places)
            or sources.bibliography_problem
        )
        if diagrams and options.diagrams_dir != DEFAULT_DIAGRAMS_DIR:
            reporter.cause(diagrams)
        if bibliography and (
            options.bibliography != DEFAULT_BIBLIOGRAPHY
            or any(p.cite or any(e.cite for e in p.edges) for p in sources.pathways.values())
        ):
            reporter.cause(bibliography)
        return diagrams, bibliography
