"""The project's configuration, read once the same way for every command.

A site is configured by ``mkdocs.yml`` (``INHERIT`` chains followed with
MkDocs' rule: mappings merged, lists replaced — the rule Zensical 0.1 adopted;
0.0.x appended lists) or by ``zensical.toml`` (its ``[project]`` table), and
Zensical looks for ``zensical.toml`` first. ``mkdocs-mechanisms zensical``
and ``check`` read it here, so they never disagree on where the sources are.

YAML tags are kept, not run: ``!ENV`` and ``!!python/name:…`` become
:class:`Tagged` values, written back unchanged into the configuration
generated for Zensical (which resolves them itself); ``!ENV`` is resolved
here only where the plugin needs a value.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

from .errors import MechanismsError, Problem
from .options import Options
from .places import OptionPlaces

CONFIG_NAMES = ("zensical.toml", "mkdocs.yml", "mkdocs.yaml")
"""The files a site is configured by, in the order Zensical looks for them."""
PLUGIN = "mechanisms"
MAX_INHERIT = 32


@dataclass(frozen=True)
class Tagged:
    """A tagged YAML value kept as written (``!ENV [VAR, default]``, ``!!python/name:x.y``)."""

    tag: str
    value: Any


class _Loader(yaml.SafeLoader):
    """Safe YAML that keeps every tag it does not know as :class:`Tagged` (never runs code)."""


def _tagged(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Tagged:
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    elif isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
    else:  # pragma: no cover - PyYAML has no other node kind
        value = None
    return Tagged(node.tag, value)


_Loader.add_multi_constructor("!", _tagged)
_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _tagged)


def resolve_env(value: Any) -> Any:
    """``!ENV`` values as MkDocs reads them (first set variable, else the last item); tags inside too."""
    if isinstance(value, Tagged):
        if value.tag != "!ENV":
            return None
        names = value.value if isinstance(value.value, list) else [value.value]
        for name in names[:-1] if len(names) > 1 else names:
            if isinstance(name, str) and name in os.environ:
                return yaml.load(os.environ[name], Loader=yaml.SafeLoader) if os.environ[name] else None
        return names[-1] if len(names) > 1 else None
    if isinstance(value, Mapping):
        return {k: resolve_env(v) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve_env(v) for v in value]
    return value


def find_config(folder: Path) -> Path | None:
    """The configuration Zensical would use in ``folder``: ``zensical.toml`` before ``mkdocs.yml``."""
    for name in CONFIG_NAMES:
        if (folder / name).is_file():
            return folder / name
    return None


@dataclass(frozen=True)
class SiteConfig:
    """One site's configuration, complete: ``INHERIT`` followed, TOML's ``[project]`` unwrapped."""

    file: Path
    """The file read (absolute, as given: a symlink is not followed)."""
    kind: Literal["mkdocs", "zensical"]
    data: dict[str, Any]
    """Every setting as merged, tags kept (:class:`Tagged`); ``INHERIT`` removed."""
    inherited: tuple[Path, ...] = ()
    """The files the ``INHERIT`` chain read, nearest first (watched and fingerprinted too)."""

    @property
    def root(self) -> Path:
        """The project folder: the configuration's folder (paths in it are relative to this)."""
        return self.file.parent

    @property
    def name(self) -> str:
        """The file as problems name it."""
        return self.file.name

    @property
    def docs_dir(self) -> Path:
        """``docs_dir`` resolved against the project folder (default ``docs``)."""
        docs = resolve_env(self.data.get("docs_dir"))
        return self.root / (docs if isinstance(docs, str) and docs else "docs")

    @property
    def use_directory_urls(self) -> bool:
        """Zensical and MkDocs both default to true."""
        value = resolve_env(self.data.get("use_directory_urls", True))
        return value if isinstance(value, bool) else True

    def plugin_entry(self) -> tuple[bool, Mapping[str, Any]]:
        """(listed, raw options) of the mechanisms plugin in ``plugins`` (list or mapping form)."""
        for name, value in plugin_entries(self.data.get("plugins")):
            if name == PLUGIN:
                return True, value if isinstance(value, Mapping) else {}
        return False, {}

    def options(self, *, required: bool = True) -> Options:
        """The plugin's options, checked as MkDocs checks them; raises :class:`MechanismsError`."""
        listed, raw = self.plugin_entry()
        if not listed and required:
            where = (
                "[project.plugins.mechanisms]" if self.kind == "zensical" else "'- mechanisms' under plugins"
            )
            raise MechanismsError(
                Problem(
                    self.name, 0, "plugins", "the site does not use the mechanisms plugin", f"add {where}"
                )
            )
        source, lines = self.option_lines()
        return Options.from_mapping(resolve_env(dict(raw)), source, lines)

    def option_places(self) -> OptionPlaces:
        """Where the options are written, for the problems the engine finds with them later."""
        return OptionPlaces(*self.option_lines())

    def option_lines(self) -> tuple[str, dict[str, int]]:
        """The file that sets the plugin's options (a parent, through ``INHERIT``) and each option's line.

        With ``INHERIT``, the nearest file that names an option wins, as when merging; problems are
        then reported at that file and line.
        """
        if self.kind == "zensical":
            return self.name, _toml_option_lines(_read_text(self.file))
        found: dict[str, tuple[str, int]] = {}
        for file in (self.file, *self.inherited):
            for key, line in _yaml_option_lines(_read_text(file)).items():
                found.setdefault(key, (_display(file, self.root), line))
        files = {name for name, _ in found.values()}
        source = files.pop() if len(files) == 1 else self.name
        return source, {key: line for key, (name, line) in found.items() if name == source}


def plugin_entries(plugins: Any) -> list[tuple[str, Any]]:
    """(name, options) of every plugin, from MkDocs' list form or Zensical's mapping form."""
    entries: list[tuple[str, Any]] = []
    if isinstance(plugins, Mapping):
        entries = [(str(k), v) for k, v in plugins.items()]
    elif isinstance(plugins, list):
        for item in plugins:
            if isinstance(item, str):
                entries.append((item, None))
            elif isinstance(item, Mapping):
                entries.extend((str(k), v) for k, v in item.items())
    return entries


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def _yaml_option_lines(text: str) -> dict[str, int]:
    """The line of each key under ``plugins: - mechanisms:`` (list or mapping form) in YAML text."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        return {}
    plugins = _child(root, "plugins")
    entries = plugins.value if isinstance(plugins, yaml.SequenceNode) else [plugins]
    for entry in entries:
        options = _child(entry, PLUGIN)
        if isinstance(options, yaml.MappingNode):
            return {
                str(k.value): k.start_mark.line + 1
                for k, _ in options.value
                if isinstance(k, yaml.ScalarNode)
            }
    return {}


def _child(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for name, value in node.value:
            if isinstance(name, yaml.ScalarNode) and name.value == key:
                return value  # type: ignore[no-any-return]  # PyYAML's nodes are untyped
    return None


_TOML_TABLE = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_TOML_KEY = re.compile(r"^\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_-]+)\s*=")


def _toml_option_lines(text: str) -> dict[str, int]:
    """The line of each key of ``[project.plugins.mechanisms]`` in TOML text."""
    tables = {f"project.plugins.{PLUGIN}", f"plugins.{PLUGIN}"}
    table, lines = "", dict[str, int]()
    for number, line in enumerate(text.splitlines(), 1):
        if header := _TOML_TABLE.match(line):
            table = re.sub(r"[\s\"']", "", header.group(1))
        elif table in tables and (key := _TOML_KEY.match(line)):
            lines.setdefault(key.group(1).strip("\"'"), number)
    return lines


def read_config(path: Path) -> SiteConfig:
    """Read ``mkdocs.yml`` (any name ending ``.yml``/``.yaml``) or ``zensical.toml`` (``.toml``).

    Raises :class:`MechanismsError` with the file and line of the cause: unreadable file,
    syntax error, not a mapping, a missing ``INHERIT`` parent, or an ``INHERIT`` cycle.
    """
    path = Path(os.path.normpath(path.absolute()))
    if path.suffix.lower() == ".toml":
        return SiteConfig(path, "zensical", _read_toml(path))
    chain: list[Path] = []
    data = _read_yaml(path, (), path.parent, chain)
    return SiteConfig(path, "mkdocs", data, tuple(chain))


def _display(path: Path, root: Path) -> str:
    try:
        return Path(os.path.relpath(path, root)).as_posix()
    except ValueError:
        return path.as_posix()


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise MechanismsError(Problem(path.name, 0, "", f"cannot read the configuration: {error}")) from None
    except tomllib.TOMLDecodeError as error:
        line = int(match.group(1)) if (match := re.search(r"line (\d+)", str(error))) else 0
        raise MechanismsError(Problem(path.name, line, "", f"TOML syntax error: {error}")) from None
    project = data.get("project", data)
    if not isinstance(project, dict):
        raise MechanismsError(Problem(path.name, 1, "project", "[project] is not a table"))
    return dict(project)


def _read_yaml(path: Path, chain: tuple[Path, ...], root: Path, read: list[Path]) -> dict[str, Any]:
    name = _display(path, root)
    try:
        text = path.read_text(encoding="utf-8")
        data = yaml.load(text, Loader=_Loader)
    except (OSError, UnicodeDecodeError) as error:
        raise MechanismsError(Problem(name, 0, "", f"cannot read the configuration: {error}")) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        raise MechanismsError(Problem(name, line, "", f"YAML syntax error: {error}")) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise MechanismsError(Problem(name, 1, "", "the configuration is not a mapping"))
    config: dict[str, Any] = {str(k): v for k, v in data.items()}
    parent = config.pop("INHERIT", None)
    if parent is None:
        return config
    line = _key_line(text, "INHERIT")
    if not isinstance(parent, str) or not parent.strip():
        raise MechanismsError(Problem(name, line, "INHERIT", f"expected a file name, got {parent!r}"))
    target = Path(os.path.normpath(path.parent / parent))
    seen = (*chain, path)
    if target in seen or len(seen) > MAX_INHERIT:
        cycle = " → ".join(_display(p, root) for p in (*seen, target))
        raise MechanismsError(
            Problem(
                name,
                line,
                "INHERIT",
                f"INHERIT forms a cycle: {cycle}",
                "a file must not inherit itself, directly or through others",
            )
        )
    if not target.is_file():
        raise MechanismsError(
            Problem(
                name,
                line,
                "INHERIT",
                f"the inherited file '{parent}' does not exist ({_display(target, root)})",
            )
        )
    read.append(target)
    return merge(_read_yaml(target, seen, root, read), config)


def _key_line(text: str, key: str) -> int:
    match = re.search(rf"^{re.escape(key)}\s*:", text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else 0


def merge(parent: dict[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    """MkDocs' ``INHERIT`` rule: mappings merged key by key, lists and scalars replaced."""
    out = dict(parent)
    for key, value in child.items():
        if isinstance(out.get(key), dict) and isinstance(value, dict):
            out[key] = merge(out[key], value)
        else:
            out[key] = value
    return out
