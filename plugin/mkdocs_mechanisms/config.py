"""The plugin's typed configuration: every option has a default, and every value is checked.

Values are written into CSS, file paths and process timeouts, so a wrong one
is refused here, by MkDocs, before the plugin runs.
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.base import BaseConfigOption, ValidationError

from .characters import INVISIBLE, character_message
from .colours import is_css_colour
from .errors import did_you_mean
from .model import NODE_KINDS
from .options import relative_path


class Colour(BaseConfigOption[str]):
    """A CSS colour: hex, named or a colour function of numbers."""

    def run_validation(self, value: object) -> str:
        if not isinstance(value, str) or not is_css_colour(value):
            raise ValidationError(
                f"{value!r} is not a CSS colour (use e.g. '#fde2e4', 'teal' or 'rgb(250 220 228)')"
            )
        return value.strip()


class Label(c.Type[str]):
    """Text printed in every figure: an invisible control or bidi character is refused."""

    def __init__(self, default: str) -> None:
        super().__init__(str, default=default)

    def run_validation(self, value: object) -> str:
        text = super().run_validation(value)
        found = INVISIBLE.search(text)
        if found:
            raise ValidationError(character_message(found.group()))
        return text


class KindColours(base.Config):  # type: ignore[no-untyped-call]
    """Fill colours of one node kind, for the light and the dark palette."""

    light: c.Optional[str] = c.Optional(Colour())
    dark: c.Optional[str] = c.Optional(Colour())


class ColoursByKind(c.DictOfItems[KindColours]):
    """``colours:`` keyed by node kind; a typo (``drugg``) is refused with the nearest kind."""

    def run_validation(self, value: object) -> dict[str, KindColours]:
        if isinstance(value, dict):
            for key in value:
                if key not in NODE_KINDS:
                    hint = did_you_mean(str(key), NODE_KINDS)
                    raise ValidationError(f"unknown node kind {key!r}" + (f" ({hint})" if hint else ""))
        return super().run_validation(value)


class PositiveNumber(BaseConfigOption[float]):
    """A number of seconds greater than zero (``true`` is not a number here)."""

    def __init__(self, default: float) -> None:
        super().__init__()
        self.default = default

    def run_validation(self, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            raise ValidationError(f"expected a number of seconds greater than 0, got {value!r}")
        return float(value)


class RelativePath(BaseConfigOption[str]):
    """A non-empty relative path that stays inside its base folder (no ``..``, not absolute)."""

    def __init__(self, default: str, *, suffix: str = "") -> None:
        super().__init__()
        self.default = default
        self.suffix = suffix

    def run_validation(self, value: object) -> str:
        try:
            return relative_path(value, self.suffix)
        except ValueError as error:
            raise ValidationError(str(error)) from None


class MechanismsConfig(base.Config):  # type: ignore[no-untyped-call]
    """Options under ``plugins: - mechanisms:`` in ``mkdocs.yml``."""

    enabled = c.Type(bool, default=True)
    """Turn the plugin off without removing its configuration."""
    diagrams_dir = c.Type(str, default="diagrams")
    """Folder of pathway files, relative to ``mkdocs.yml`` (kept outside ``docs/``)."""
    glossary_dir = RelativePath("glossary")
    """Folder of glossary pages inside ``docs_dir``."""
    bibliography = RelativePath("references.bib")
    """BibTeX file, relative to ``docs_dir``."""
    csl_style = c.Type(str, default="american-medical-association")
    """CSL style for references and citation groups: a bundled style name or a path to a ``.csl`` file."""
    references_page = RelativePath("references.md", suffix=".md")
    """Page that lists the references; generated when the docs do not have it."""
    link = c.Choice(("first", "all", "none"), default="first")
    """Link the first mention of each term per page, every mention, or none."""
    hyphen_compounds = c.Type(bool, default=True)
    """Link "NMDA" inside "NMDA-dependent"."""
    tooltips = c.Type(bool, default=True)
    """Show term summaries and full references on hover and focus."""
    figure_numbering = c.Type(bool, default=True)
    """Number figures once for the whole site, in reading order ("Figure 1", "Figure 2"…)."""
    outside_article = c.ListOfItems(c.Type(str), default=[])
    """Globs of pages outside the article (``plugin/*``): left out of back-links; they reuse figure numbers."""
    figure_label = Label(default="Figure")
    """The word before a figure's number, e.g. "Abbildung" or "Fig."."""
    walkthrough_open = c.Type(bool, default=False)
    """Show embedded figures' step-by-step list expanded (pathway pages always do)."""
    engine = c.Choice(("dot", "neato", "fdp", "circo", "twopi", "osage"), default="dot")
    """Graphviz layout engine."""
    graphviz_timeout = PositiveNumber(default=30)
    """Seconds all Graphviz work of one build may take (the version check included)."""
    cache_dir = RelativePath(".cache/mechanisms")
    """Rendered-SVG cache, relative to ``mkdocs.yml``; must be outside docs and diagrams."""
    colours = ColoursByKind(c.SubConfig(KindColours), default={})
    """Per node kind (``drug``, ``receptor``…): ``{light: "#hex", dark: "#hex"}``."""
