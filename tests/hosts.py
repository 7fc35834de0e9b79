"""Build a site under either host: MkDocs (the plugin) or Zensical (``mkdocs-mechanisms zensical build``).

Zensical runs in two versions: ``zensical`` is the 0.0.73 the package's extra installs,
``zensical-next`` the newest 0.1.x (see ``zensical_next.py``: with a stand-in for its theme
package, so it checks 0.1.x's configuration handling and build, not its newer theme).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

HOSTS = ["mkdocs", "zensical", "zensical-next"]
ZENSICAL_HOSTS = ["zensical", "zensical-next"]


def zensical_env(host: str) -> dict[str, str] | None:
    """The environment that runs ``host``'s Zensical (None: this one, 0.0.73)."""
    if host == "zensical":
        return None
    import zensical_next

    zensical_next.ensure()
    return zensical_next.environ()


def zensical_build(root: Path, host: str = "zensical", *args: str) -> subprocess.CompletedProcess[str]:
    """``mkdocs-mechanisms zensical build --strict`` run in ``root`` (as a user would) with ``host``."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs_mechanisms.cli", "zensical", "build", *args, "--strict"],
        cwd=root,
        env=zensical_env(host),
        capture_output=True,
        text=True,
        timeout=300,
    )


def serve_build(cfg: Path, site: Path | None = None) -> Path:
    """One MkDocs build as `mkdocs serve` runs it: problems are shown on pages, nothing stops."""
    site = site or cfg.parent / "site"
    config = load_config(str(cfg), site_dir=str(site))
    plugin = config.plugins["mechanisms"]
    plugin.on_startup(command="serve", dirty=False)  # what `mkdocs serve` does first
    try:
        build(config, serve_url="http://127.0.0.1:8000/")
    finally:
        plugin.on_startup(command="build", dirty=False)  # the instance persists across configs
    return site


def _set(config: str, key: str, value: str) -> str:
    """Replace (or add) a top-level ``key: value`` line of a copied mkdocs.yml."""
    line = f"{key}: {value}"
    pattern = re.compile(rf"^{re.escape(key)}:.*$", re.M)
    return (
        pattern.sub(line, config, count=1) if pattern.search(config) else config.rstrip("\n") + f"\n{line}\n"
    )


def build_with(
    host: str, cfg: Path, site: Path, *, site_url: str | None = None, directory_urls: bool = True
) -> str:
    """Build ``cfg`` strictly into ``site``; returns what the build printed (Zensical) or ""."""
    if host == "mkdocs":
        overrides: dict[str, object] = {
            "site_dir": str(site),
            "strict": True,
            "use_directory_urls": directory_urls,
        }
        if site_url is not None:
            overrides["site_url"] = site_url
        build(load_config(str(cfg), **overrides))
        return ""
    # Zensical reads only its config (and wants site_dir inside the project): edit the copy.
    text = cfg.read_text(encoding="utf-8")
    text = _set(
        text, "site_dir", str(site.relative_to(cfg.parent)) if site.is_relative_to(cfg.parent) else "site"
    )
    text = _set(text, "use_directory_urls", "true" if directory_urls else "false")
    if site_url is not None:
        text = _set(text, "site_url", site_url)
    cfg.write_text(text, encoding="utf-8")
    result = zensical_build(cfg.parent, host, "-f", str(cfg))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    produced = cfg.parent / (str(site.relative_to(cfg.parent)) if site.is_relative_to(cfg.parent) else "site")
    if produced != site:
        import shutil

        shutil.copytree(produced, site, dirs_exist_ok=True)
    return output
