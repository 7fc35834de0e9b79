"""MkDocs' config class for ``plugins: - mechanisms:``, made from the one table in :mod:`.options`.

MkDocs validates a plugin's options through the options of its config class, so
each field of :class:`~.options.Options` becomes one MkDocs option here. A wrong
value is refused by MkDocs, before the plugin runs, with the same message the
other hosts give (MkDocs names the option itself: ``Plugin 'mechanisms' option 'x': …``),
and :func:`locate` adds the file and line that set it, as the other hosts do.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config.base import BaseConfigOption, ConfigErrors, ConfigWarnings, ValidationError

from .errors import MechanismsError, did_you_mean
from .option_types import OptionError
from .options import BY_NAME, SPECS, Options, Spec
from .places import OptionPlaces
from .siteconfig import read_config


class FromSpec(BaseConfigOption[Any]):
    """One option of the table, checked by its own check; MkDocs shows the message as it is."""

    def __init__(self, spec: Spec) -> None:
        super().__init__()
        self.spec = spec
        self.default = spec.default

    def run_validation(self, value: object) -> Any:
        try:
            return self.spec.check.read(value)
        except OptionError as error:
            raise ValidationError(str(error)) from None


def _declared() -> type[base.Config]:
    """A config class with one MkDocs option per option (MkDocs reads them from class attributes)."""
    namespace = {spec.name: FromSpec(spec) for spec in SPECS}
    return type("MechanismsOptions", (base.Config,), namespace)


class MechanismsConfig(_declared()):  # type: ignore[misc]  # its options are made from options.SPECS
    """Options under ``plugins: - mechanisms:`` in ``mkdocs.yml``: one per field of :class:`.Options`."""


def read_options(config: base.Config) -> Options:
    """The engine's options from a validated config (an unknown key, which MkDocs only warns of, left out)."""
    return Options(**{spec.name: config[spec.name] for spec in SPECS})


def locate(
    found: tuple[ConfigErrors, ConfigWarnings], config_file: str | None
) -> tuple[ConfigErrors, ConfigWarnings]:
    """MkDocs' findings on the options, each at the file and line that set the option.

    MkDocs names the option but not where it is written; a misspelt name, which MkDocs words as
    ``Unrecognised configuration name``, reads as under the other hosts, with the name meant.
    """
    errors, warnings = found
    if not (errors or warnings):
        return found
    source, lines = _option_lines(config_file)

    def at(key: str) -> str:
        return f"{source}:{lines[key]}: " if key in lines else ""

    located: ConfigWarnings = []
    for key, message in warnings:
        if key not in BY_NAME:
            hint = did_you_mean(key, BY_NAME)
            message = "unknown option" + (f" ({hint})" if hint else "")
        located.append((key, at(key) + message))
    return [(key, ValidationError(at(key) + str(error))) for key, error in errors], located


def option_places(config_file: str | None) -> OptionPlaces:
    """Where the options of ``config_file`` are written, for the problems the engine finds with them."""
    source, lines = _option_lines(config_file)
    return OptionPlaces(source or Path(config_file or "mkdocs.yml").name, lines)


def _option_lines(config_file: str | None) -> tuple[str, dict[str, int]]:
    """The file that sets the options (through ``INHERIT``, a parent) and each option's line there."""
    if not config_file or not Path(config_file).is_file():
        return "", {}
    try:
        return read_config(Path(config_file)).option_lines()
    except MechanismsError:  # MkDocs read it; a file it reads that we cannot just loses the lines
        return "", {}
