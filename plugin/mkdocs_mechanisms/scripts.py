"""The browser scripts: written as modules by role, shipped as one classic script.

The sources are small modules in ``assets/js/``, one job each, sharing what they export
through one object (``M``) in the order of ``MODULES``. The engine publishes them joined
into one file, ``mechanisms.js``, rather than as ES modules: browsers load no module
script from a ``file://`` URL, so a site opened from disk would lose every enhancement;
one classic script is also one request and one cache entry, runs in the order MkDocs,
Material and Zensical write ``extra_javascript``, and keeps the name readers' error
reports and the browser tests know. Material's instant navigation does not run it
again: ``boot.js`` subscribes to each new page.
"""

from __future__ import annotations

from pathlib import Path

SOURCES = Path(__file__).parent / "assets" / "js"
"""Where the modules live inside the package."""
SCRIPT = "mechanisms.js"
"""The one file the site loads."""
MODULES = (
    "core.js",
    "tooltips.js",
    "highlight.js",
    "steps.js",
    "touch.js",
    "zoom.js",
    "figure.js",
    "boot.js",
    "span.js",
    "keys.js",
)
"""Every module, each after the modules it takes names from (``boot.js`` starts the figures)."""
MAX_LINES = 400
"""No module grows past this: a role that needs more is two roles."""

_HEAD = """/*
 * mkdocs-mechanisms — browser enhancements for mechanism diagrams.
 *
 * Progressive enhancement only: without this script every node link is a
 * real link, the walkthrough is an ordered list and citations are links.
 * Plain ES2019, no dependencies. Joined by the plugin from its modules
 * (mkdocs_mechanisms/assets/js/: {names}); edit those, not this file.
 */
(function () {{
  "use strict";
  const M = {{}}; // what each module exports, by role
"""
_TAIL = "})();\n"


def bundle() -> str:
    """The published script: every module, in order, inside one strict function scope."""
    parts = [_HEAD.format(names=", ".join(MODULES))]
    for name in MODULES:
        text = (SOURCES / name).read_text(encoding="utf-8")
        parts.append(f"\n/* ---- {name} ---- */\n{text.rstrip()}\n")
    parts.append(_TAIL)
    return "".join(parts)
