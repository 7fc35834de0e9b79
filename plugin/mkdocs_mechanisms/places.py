"""Where a site's options are written, so a problem the engine finds with one names its file and line.

Each host knows the file that sets the options (``mkdocs.yml``, a parent through ``INHERIT``,
``zensical.toml``) and reads each option's line there; the engine only reports at that place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .errors import Problem


@dataclass(frozen=True)
class OptionPlaces:
    """The file that sets the plugin's options, each option's line in it, and their key path."""

    source: str = "mkdocs.yml"
    """The file as problems name it (relative to the project folder)."""
    lines: Mapping[str, int] = field(default_factory=dict)
    """The line of each option written there (an option left at its default has none)."""
    prefix: str = "plugins.mechanisms"
    """The options' key path, as every other problem with an option names it."""

    def problem(self, option: str, message: str, hint: str = "") -> Problem:
        """A problem with ``option``, at the file and line that set it."""
        return Problem(self.source, self.lines.get(option, 0), f"{self.prefix}.{option}", message, hint)
