"""The plugin's options, defined once: every host and tool derives its own form from this table.

Each field of :class:`Options` is one option: its name, Python type and default, and
(through :func:`option`) how a value is checked (:mod:`.option_types`), its help text and
whether the Markdown extension takes it on its own. From this one table come:

* MkDocs' config class for ``plugins: - mechanisms:`` (:mod:`.config`);
* the reading of the same mapping from ``mkdocs.yml`` or ``[project.plugins.mechanisms]`` in
  ``zensical.toml`` by the Zensical host and by ``check`` (:meth:`Options.from_mapping`);
* the Markdown extension's ``config`` (:func:`extension_settings`, used by :mod:`.markdown`);
* ``options.schema.json`` (:mod:`.schema`).

``tests/test_options.py`` checks that all of them agree, name for name and default for default.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields
from typing import Any

from .errors import MechanismsError, Problem, did_you_mean
from .option_types import (
    Check,
    Colour,
    Colours,
    Flag,
    Label,
    OneOf,
    OptionError,
    Patterns,
    RelativePath,
    Seconds,
    Text,
)

__all__ = ["SPECS", "Alone", "Colour", "OptionError", "Options", "Spec", "extension_settings", "option"]

LINK_MODES = ("first", "all", "none")
ENGINES = ("dot", "neato", "fdp", "circo", "twopi", "osage")


@dataclass(frozen=True)
class Alone:
    """How the Markdown extension, used without a host, takes an option.

    Alone there is no docs folder: paths are relative to the extension's ``base_dir``, so
    their defaults differ; with ``empty_is_none`` the value ``''`` turns the feature off.
    """

    default: Any = None
    """The default alone (``None``: the option's own)."""
    help: str = ""
    """The help alone (``''``: the option's own)."""
    empty_is_none: bool = False


def option(default: Any, check: Check, help: str, *, alone: Alone | None = None) -> Any:
    """One field of :class:`Options` with everything every host needs to know of it."""
    metadata = {"check": check, "help": help, "alone": alone}
    if isinstance(default, dict):
        return field(default_factory=lambda: dict(default), metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass(frozen=True)
class Options:
    """Every option under ``plugins: - mechanisms:``, with its default; the engine reads only this."""

    enabled: bool = option(True, Flag(), "Turn the plugin off without removing its configuration.")
    diagrams_dir: str = option(
        "diagrams",
        Text(),
        "Folder of pathway files, relative to ``mkdocs.yml`` (kept outside ``docs/``).",
        alone=Alone(help="Folder of pathway files"),
    )
    glossary_dir: str = option(
        "glossary",
        RelativePath(),
        "Folder of glossary pages inside ``docs_dir``.",
        alone=Alone("docs/glossary", "Folder of glossary pages"),
    )
    bibliography: str = option(
        "references.bib",
        RelativePath(),
        "BibTeX file, relative to ``docs_dir``.",
        alone=Alone("docs/references.bib", "BibTeX file ('' for none)", empty_is_none=True),
    )
    csl_style: str = option(
        "american-medical-association",
        Text(),
        "CSL style for references and citation groups: a bundled style name or a path to a ``.csl`` file.",
    )
    references_page: str = option(
        "references.md",
        RelativePath(".md"),
        "Page that lists the references; generated when the docs do not have it.",
    )
    link: str = option(
        "first",
        OneOf(LINK_MODES),
        "Link the first mention of each term per page, every mention, or none.",
        alone=Alone(help="first | all | none"),
    )
    hyphen_compounds: bool = option(True, Flag(), 'Link "NMDA" inside "NMDA-dependent".')
    tooltips: bool = option(True, Flag(), "Show term summaries and full references on hover and focus.")
    figure_numbering: bool = option(
        True, Flag(), 'Number figures once for the whole site, in reading order ("Figure 1", "Figure 2"…).'
    )
    outside_article: tuple[str, ...] = option(
        (),
        Patterns(),
        "Globs of pages outside the article (``plugin/*``): left out of back-links; they reuse figure numbers.",
    )
    figure_label: str = option(
        "Figure",
        Label(),
        'The word before a figure\'s number, e.g. "Abbildung" or "Fig.".',
        alone=Alone(help="Word before a figure's number ('' for none)", empty_is_none=True),
    )
    walkthrough_open: bool = option(
        False, Flag(), "Show embedded figures' step-by-step list expanded (pathway pages always do)."
    )
    engine: str = option("dot", OneOf(ENGINES), "Graphviz layout engine.", alone=Alone())
    graphviz_timeout: float = option(
        30.0, Seconds(), "Seconds all Graphviz work of one build may take (the version check included)."
    )
    cache_dir: str = option(
        ".cache/mechanisms",
        RelativePath(),
        "Rendered-SVG cache, relative to ``mkdocs.yml``; must be outside docs and diagrams.",
        alone=Alone(help="Rendered-SVG cache ('' for none)", empty_is_none=True),
    )
    colours: Mapping[str, Colour] = option(
        {}, Colours(), 'Per node kind (``drug``, ``receptor``…): ``{light: "#hex", dark: "#hex"}``.'
    )

    @property
    def glossary(self) -> str:
        """The glossary folder inside the docs, without slashes at either end."""
        return self.glossary_dir.strip("/")

    @classmethod
    def from_mapping(
        cls,
        data: Mapping[str, Any] | None,
        source: str = "mkdocs.yml",
        lines: Mapping[str, int] | None = None,
        prefix: str = "plugins.mechanisms",
    ) -> Options:
        """Check a ``plugins: - mechanisms:`` mapping; every mistake is one :class:`Problem`.

        ``source`` is the file that holds the mapping, ``lines`` the line of each option in it
        (where the host's reader knows it), ``prefix`` the mapping's own key path.
        """
        lines = lines or {}
        problems: list[Problem] = []
        values: dict[str, Any] = {}
        for key, value in dict(data or {}).items():
            line = lines.get(str(key), 0)
            spec = BY_NAME.get(str(key))
            if spec is None:
                hint = did_you_mean(str(key), BY_NAME)
                problems.append(Problem(source, line, f"{prefix}.{key}", "unknown option", hint))
                continue
            try:
                values[spec.name] = spec.check.read(value)
            except OptionError as error:
                where = f"{prefix}.{spec.name}" + (f".{error.key}" if error.key else "")
                problems.append(Problem(source, line, where, error.message, error.hint))
        if problems:
            raise MechanismsError(problems)
        return cls(**values)


@dataclass(frozen=True)
class Spec:
    """One option as every host sees it (read from a field of :class:`Options`)."""

    name: str
    default: Any
    check: Check
    help: str
    alone: Alone | None = None

    @property
    def written(self) -> Any:
        """The default as written in ``mkdocs.yml`` (a list, a mapping, a number)."""
        if isinstance(self.default, tuple):
            return list(self.default)
        if isinstance(self.default, Mapping):
            return dict(self.default)
        if isinstance(self.default, float) and self.default.is_integer():
            return int(self.default)
        return self.default


def _spec(item: Any) -> Spec:
    default = item.default if item.default is not MISSING else item.default_factory()
    return Spec(item.name, default, item.metadata["check"], item.metadata["help"], item.metadata["alone"])


SPECS: tuple[Spec, ...] = tuple(_spec(item) for item in fields(Options))
"""Every option, in the order the documentation lists them."""
BY_NAME = {spec.name: spec for spec in SPECS}


def extension_settings() -> dict[str, tuple[Any, str, bool]]:
    """The options the Markdown extension takes alone: name → (default, help, '' means none)."""
    out: dict[str, tuple[Any, str, bool]] = {}
    for spec in SPECS:
        if spec.alone is not None:
            default = spec.default if spec.alone.default is None else spec.alone.default
            out[spec.name] = (default, spec.alone.help or spec.help, spec.alone.empty_is_none)
    return out
