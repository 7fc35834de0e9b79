"""The plugin's options as one host-free value, checked the same way for every host.

MkDocs validates ``plugins: - mechanisms:`` with its own config classes
(``config.py``); Zensical never imports plugins, so ``mkdocs-mechanisms
zensical`` reads the same mapping from ``mkdocs.yml`` and checks it here.
Either way the engine sees one :class:`Options`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import PurePosixPath
from typing import Any

from .characters import INVISIBLE, character_message
from .colours import is_css_colour
from .errors import MechanismsError, Problem, did_you_mean
from .model import NODE_KINDS

LINK_MODES = ("first", "all", "none")
ENGINES = ("dot", "neato", "fdp", "circo", "twopi", "osage")
RELATIVE_PATHS = {"glossary_dir": "", "bibliography": "", "references_page": ".md", "cache_dir": ""}
"""Options naming a file or folder inside their base folder (the docs, or the project for the cache),
with the suffix required: the same as ``config.RelativePath`` checks under MkDocs."""


def relative_path(value: object, suffix: str = "") -> str:
    """A non-empty relative path that stays inside its base folder, as POSIX text; else ``ValueError``."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"expected a relative path, got {value!r}")
    path = PurePosixPath(value.strip().replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or value[1:3] == ":/":
        raise ValueError(f"{value!r} must be a relative path inside its folder, without '..'")
    if suffix and path.suffix != suffix:
        raise ValueError(f"{value!r} must end in '{suffix}'")
    return path.as_posix()


@dataclass(frozen=True)
class Colour:
    """Fill colours of one node kind, for the light and the dark palette."""

    light: str | None = None
    dark: str | None = None


@dataclass(frozen=True)
class Options:
    """Every option under ``plugins: - mechanisms:``, with its default."""

    enabled: bool = True
    diagrams_dir: str = "diagrams"
    glossary_dir: str = "glossary"
    bibliography: str = "references.bib"
    csl_style: str = "american-medical-association"
    references_page: str = "references.md"
    link: str = "first"
    hyphen_compounds: bool = True
    tooltips: bool = True
    figure_numbering: bool = True
    figure_label: str = "Figure"
    outside_article: tuple[str, ...] = ()
    walkthrough_open: bool = False
    engine: str = "dot"
    graphviz_timeout: float = 30.0
    cache_dir: str = ".cache/mechanisms"
    colours: Mapping[str, Colour] = field(default_factory=dict)

    @property
    def glossary(self) -> str:
        """The glossary folder inside the docs, without slashes at either end."""
        return self.glossary_dir.strip("/")

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None, source: str = "mkdocs.yml") -> Options:
        """Check a ``plugins: - mechanisms:`` mapping; every mistake is one :class:`Problem`."""
        data = dict(data or {})
        known = {f.name: f for f in fields(cls)}
        problems: list[Problem] = []
        values: dict[str, Any] = {}
        for key, value in data.items():
            where = f"plugins.mechanisms.{key}"
            if key not in known:
                problems.append(Problem(source, 0, where, "unknown option", did_you_mean(str(key), known)))
                continue
            default = getattr(cls(), key)
            if key == "outside_article":
                if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
                    values[key] = tuple(value)
                else:
                    problems.append(
                        Problem(source, 0, where, f"expected a list of glob patterns, got {value!r}")
                    )
                continue
            if key == "colours":
                try:
                    values[key] = _colours(value)
                except ValueError as error:
                    problems.append(Problem(source, 0, where, str(error)))
                continue
            if isinstance(default, bool):
                ok = isinstance(value, bool)
            elif isinstance(default, float):
                ok = isinstance(value, int | float) and not isinstance(value, bool) and value > 0
            else:
                ok = isinstance(value, str)
            if not ok:
                kind = type(default).__name__.replace("float", "number").replace("str", "text")
                problems.append(Problem(source, 0, where, f"expected {kind}, got {value!r}"))
                continue
            if key in RELATIVE_PATHS:
                try:
                    value = relative_path(value, RELATIVE_PATHS[key])
                except ValueError as error:
                    problems.append(Problem(source, 0, where, str(error)))
                    continue
            if key == "figure_label" and (found := INVISIBLE.search(value)):
                problems.append(Problem(source, 0, where, character_message(found.group())))
                continue
            choices = {"link": LINK_MODES, "engine": ENGINES}.get(key)
            if choices and value not in choices:
                problems.append(
                    Problem(
                        source,
                        0,
                        where,
                        f"'{value}' is not one of {', '.join(choices)}",
                        did_you_mean(value, choices),
                    )
                )
                continue
            values[key] = float(value) if isinstance(default, float) else value
        if problems:
            raise MechanismsError(problems)
        return cls(**values)


def _colours(value: Any) -> dict[str, Colour]:
    if not isinstance(value, Mapping):
        raise ValueError("expected a mapping of node kind to {light: …, dark: …}")
    out: dict[str, Colour] = {}
    for kind, pair in value.items():
        if isinstance(pair, Colour):
            out[str(kind)] = pair
            continue
        if not isinstance(pair, Mapping) or set(pair) - {"light", "dark"}:
            raise ValueError(f"colours.{kind}: expected {{light: '#hex', dark: '#hex'}}")
        light, dark = pair.get("light"), pair.get("dark")
        if kind not in NODE_KINDS:
            hint = did_you_mean(str(kind), NODE_KINDS)
            raise ValueError(f"colours: unknown node kind {kind!r}" + (f" ({hint})" if hint else ""))
        if not all(v is None or (isinstance(v, str) and is_css_colour(v)) for v in (light, dark)):
            raise ValueError(f"colours.{kind}: colours must be CSS colours such as '#ffcc00' or 'teal'")
        out[str(kind)] = Colour(light, dark)
    return out
