"""The configuration Zensical runs on: the author's, complete, plus ours once.

It is written out whole (``INHERIT`` already followed by :mod:`.siteconfig`),
never as ``INHERIT: mkdocs.yml`` plus additions: Zensical 0.0.x appended the
child's lists to the parent's and 0.1.x replaces them, so the author's
Markdown extensions would be lost under one of them. The file holds only the
author's own settings (so it is valid wherever theirs is, ``--strict``
included), relative paths only, and the author's YAML tags as written.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml

from .site import SCRIPTS, STYLESHEETS, Site
from .siteconfig import PLUGIN, SiteConfig, Tagged

CONFIG = ".mechanisms-zensical.yml"
"""The generated Zensical configuration, beside the author's."""
EXTENSION = "mkdocs_mechanisms.zensical_replay"
"""Our extension as Zensical loads it: the Markdown extension, its per-page work replayed (:mod:`.zensical_replay`)."""
AUTHORED = ("mkdocs_mechanisms.markdown", EXTENSION)
"""Names an author may have listed themselves: removed, ours added once."""
MKDOCS_DEFAULT_EXTENSIONS = ("toc", "tables", "fenced_code")
"""What MkDocs uses without ``markdown_extensions`` (Zensical's own defaults differ)."""


class _Dumper(yaml.SafeDumper):
    """Plain YAML, with the author's tags written back as they were."""


def _tagged(dumper: yaml.SafeDumper, value: Tagged) -> yaml.Node:
    if isinstance(value.value, list):
        return dumper.represent_sequence(value.tag, value.value)
    if isinstance(value.value, dict):
        return dumper.represent_mapping(value.tag, value.value)
    return dumper.represent_scalar(value.tag, "" if value.value is None else str(value.value))


_Dumper.add_representer(Tagged, _tagged)


def _python_names(value: Any) -> Any:
    """Zensical's defaults hold functions: name them as ``!!python/name:`` tags."""
    if callable(value):
        return Tagged(f"tag:yaml.org,2002:python/name:{value.__module__}.{value.__qualname__}", "")
    if isinstance(value, Mapping):
        return {k: _python_names(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_python_names(v) for v in value]
    return value


def _default_extensions(cfg: SiteConfig) -> Any:
    """What the host uses when the author lists no extension: MkDocs' for mkdocs.yml, Zensical's for TOML."""
    if cfg.kind == "mkdocs":
        return list(MKDOCS_DEFAULT_EXTENSIONS)
    from zensical.config import DEFAULT_MARKDOWN_EXTENSIONS

    return _python_names(dict(DEFAULT_MARKDOWN_EXTENSIONS))


def _without_plugin(plugins: Any) -> Any:
    """The author's plugins less ours (Zensical does not run it; we do, beforehand)."""
    if isinstance(plugins, Mapping):
        return {k: v for k, v in plugins.items() if k != PLUGIN}
    if isinstance(plugins, list):
        return [p for p in plugins if p != PLUGIN and not (isinstance(p, Mapping) and list(p) == [PLUGIN])]
    return plugins


def _with_extension(extensions: Any, ours: Mapping[str, str] | None) -> Any:
    """The author's extensions (either form) with ours removed, then added once at the end."""
    if isinstance(extensions, Mapping):
        out: Any = {k: v for k, v in extensions.items() if k not in AUTHORED}
        if ours is not None:
            out[EXTENSION] = dict(ours)
        return out
    items = [
        e
        for e in (extensions if isinstance(extensions, list) else [])
        if e not in AUTHORED and not (isinstance(e, Mapping) and any(name in e for name in AUTHORED))
    ]
    return [*items, {EXTENSION: dict(ours)}] if ours is not None else items


def _with_assets(listed: Any, ours: tuple[str, ...]) -> list[Any]:
    """The author's list plus each of our files that it does not name yet."""
    items = list(listed) if isinstance(listed, list) else []
    named = {i.get("path") if isinstance(i, Mapping) else i for i in items}
    return items + [path for path in ours if path not in named]


def _excluded(own: Any) -> str:
    """The author's ``exclude_docs`` plus the bibliography, which is never published (as under MkDocs)."""
    text = own.rstrip("\n") + "\n" if isinstance(own, str) and own.strip() else ""
    return text + Site.PRIVATE_PATTERN + "\n"


EDIT_URIS = {
    "github.com": "edit/master/{}",
    "gitlab.com": "edit/master/{}",
    "bitbucket.org": "src/default/{}",
}
"""Zensical's default ``edit_uri`` per host, from the docs folder (``zensical/config.py``)."""


def _edit_uri(data: dict[str, Any], cfg: SiteConfig) -> None:
    """Keep "edit this page" on the author's docs when Zensical reads another folder."""
    repo = data.get("repo_url")
    if data.get("edit_uri") is not None or data.get("edit_uri_template") or not isinstance(repo, str):
        return
    pattern = EDIT_URIS.get(urlparse(repo).hostname or "")
    if pattern is not None:
        data["edit_uri"] = pattern.format(relative(cfg.docs_dir, cfg.root))


def zensical_settings(
    cfg: SiteConfig, ours: Mapping[str, str] | None, *, docs_dir: str | None = None
) -> dict[str, Any]:
    """The complete settings: the author's, plus our extension (``ours``: its options) and assets.

    ``docs_dir``: the folder Zensical reads instead of the author's (the shadow docs).
    """
    data = copy.deepcopy(cfg.data)
    if docs_dir is not None:
        _edit_uri(data, cfg)
        data["docs_dir"] = docs_dir
    if "plugins" in data:
        data["plugins"] = _without_plugin(data["plugins"])
    extensions = data.get("markdown_extensions")
    if extensions is None:
        extensions = _default_extensions(cfg)
    data["markdown_extensions"] = _with_extension(extensions, ours)
    data["exclude_docs"] = _excluded(data.get("exclude_docs"))
    if ours is not None:
        data["extra_css"] = _with_assets(data.get("extra_css"), STYLESHEETS)
        data["extra_javascript"] = _with_assets(data.get("extra_javascript"), SCRIPTS)
    return data


def render_config(cfg: SiteConfig, settings: Mapping[str, Any]) -> str:
    """The YAML text of the generated file."""
    head = (
        "# Generated by `mkdocs-mechanisms zensical` on every run: do not edit (it is git-ignored).\n"
        f"# {cfg.name}, complete, plus the mechanisms extension and its assets.\n"
    )
    return head + yaml.dump(dict(settings), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000)


def relative(path: Path, root: Path) -> str:
    """``path`` as written into the generated file: relative to the project, POSIX."""
    return path.relative_to(root).as_posix()
