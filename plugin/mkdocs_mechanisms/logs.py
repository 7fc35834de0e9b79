"""One logger for every message the plugin emits, shown by every host.

MkDocs shows the records of the loggers under ``mkdocs`` (its handler sits on that
logger; ``-v`` and ``-q`` set its level) and, with ``--strict``, counts their
warnings there: ``mkdocs.plugins.<package>`` is where ``get_plugin_logger`` puts a
plugin's. The engine logs there without importing MkDocs, each message prefixed
``mechanisms:`` as the plugin's errors are.

Zensical's native command line configures no Python logging, and neither does
``mkdocs-mechanisms``: a record would reach only Python's last-resort handler (bare
warnings, no ``INFO``). Those hosts call :func:`show_on_terminal`, which prints the
records on standard error as MkDocs does (``WARNING -  mechanisms: …``), unless
something (MkDocs, an application, pytest) already shows them.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from typing import Any

NAME = "mkdocs.plugins.mkdocs_mechanisms"
PREFIX = "mechanisms"
FORMAT = "%(levelname)-7s -  %(message)s"
"""MkDocs' own line format (``WARNING -  …``, ``INFO    -  …``)."""


class _Prefixed(logging.LoggerAdapter):  # type: ignore[type-arg]  # generic only in typeshed
    """Every message as ``mechanisms: …`` (what ``mkdocs.plugins.PrefixedLogger`` does)."""

    def process(self, msg: Any, kwargs: MutableMapping[str, Any]) -> tuple[Any, MutableMapping[str, Any]]:
        return f"{PREFIX}: {msg}", kwargs


log = _Prefixed(logging.getLogger(NAME), {})
"""The plugin's one logger: the engine, the Markdown extension and both hosts log here."""


def show_on_terminal() -> None:
    """Print the plugin's records on standard error, where no handler would show them otherwise."""
    logger = logging.getLogger(NAME)
    if logger.hasHandlers():  # MkDocs, an application's own set-up, a test's capture
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
