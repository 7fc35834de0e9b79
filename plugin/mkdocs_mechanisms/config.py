"""MkDocs' config class for ``plugins: - mechanisms:``, made from the one table in :mod:`.options`.

MkDocs validates a plugin's options through the options of its config class, so
each field of :class:`~.options.Options` becomes one MkDocs option here. A wrong
value is refused by MkDocs, before the plugin runs, with the same message the
other hosts give (MkDocs names the option itself: ``Plugin 'mechanisms' option 'x': …``).
"""

from __future__ import annotations

from typing import Any

from mkdocs.config import base
from mkdocs.config.base import BaseConfigOption, ValidationError

from .option_types import OptionError
from .options import SPECS, Options, Spec


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
