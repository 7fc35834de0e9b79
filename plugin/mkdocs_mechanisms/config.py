"""The plugin's typed configuration: every option has a default."""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c


class KindColours(base.Config):
    """Fill colours of one node kind, for the light and the dark palette."""

    light = c.Optional(c.Type(str))
    dark = c.Optional(c.Type(str))


class MechanismsConfig(base.Config):
    """Options under ``plugins: - mechanisms:`` in ``mkdocs.yml``."""

    enabled = c.Type(bool, default=True)
    """Turn the plugin off without removing its configuration."""
    diagrams_dir = c.Type(str, default="diagrams")
    """Folder of pathway files, relative to ``mkdocs.yml`` (kept outside ``docs/``)."""
    glossary_dir = c.Type(str, default="glossary")
    """Folder of glossary pages inside ``docs_dir``."""
    bibliography = c.Type(str, default="references.bib")
    """BibTeX file, relative to ``docs_dir``."""
    csl_style = c.Type(str, default="american-medical-association")
    """CSL style for references and citation groups: a bundled style name or a path to a ``.csl`` file."""
    references_page = c.Type(str, default="references.md")
    """Page that lists the references; generated when the docs do not have it."""
    link = c.Choice(("first", "all", "none"), default="first")
    """Link the first mention of each term per page, every mention, or none."""
    hyphen_compounds = c.Type(bool, default=True)
    """Link "NMDA" inside "NMDA-dependent"."""
    tooltips = c.Type(bool, default=True)
    """Show term summaries and full references on hover and focus."""
    figure_numbering = c.Type(bool, default=True)
    """Number figures per page ("Figure 1", "Figure 2"…)."""
    figure_label = c.Type(str, default="Figure")
    """The word before a figure's number, e.g. "Abbildung" or "Fig."."""
    walkthrough_open = c.Type(bool, default=False)
    """Show embedded figures' step-by-step list expanded (pathway pages always do)."""
    engine = c.Choice(("dot", "neato", "fdp", "circo", "twopi", "osage"), default="dot")
    """Graphviz layout engine."""
    graphviz_timeout = c.Type((int, float), default=30)
    """Seconds one Graphviz run may take before it is stopped and reported."""
    cache_dir = c.Type(str, default=".cache/mechanisms")
    """Rendered-SVG cache, relative to ``mkdocs.yml``; must be outside docs and diagrams."""
    colours = c.DictOfItems(c.SubConfig(KindColours), default={})
    """Per node kind (``drug``, ``receptor``…): ``{light: "#hex", dark: "#hex"}``."""
