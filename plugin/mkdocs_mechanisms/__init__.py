"""mkdocs-mechanisms: annotated mechanism diagrams, glossary and citations for MkDocs."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
