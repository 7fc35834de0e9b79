"""Front matter read with its YAML positions kept.

PyYAML's safe loader composes a node tree whose every node knows its line;
we keep that line next to each value so that validation can point authors at
the exact place of a mistake. Only the safe constructors run, so no YAML tag
can build Python objects.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from .errors import MechanismsError, Problem

MAX_VALUES = 20_000
"""More values repeated through aliases than any pathway needs; stops YAML alias bombs."""

_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


@dataclass
class Located:
    """A plain value plus the line of every key path inside it (1-based)."""

    value: Any
    lines: dict[tuple[str | int, ...], int] = field(default_factory=dict)
    size: int = 0
    """Values read again through aliases; bounded so that nested aliases cannot expand without end
    (a large front matter written out is fine: only repetition is counted)."""
    seen: set[int] = field(default_factory=set)
    in_alias: int = 0

    def line(self, *path: str | int) -> int:
        """Line of ``path``, or of its nearest recorded ancestor."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)


def format_path(path: tuple[str | int, ...]) -> str:
    """``("edges", 2, "to")`` → ``edges[2].to``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def split_front_matter(text: str, source: str) -> tuple[str | None, str, int]:
    """Return ``(yaml_text, body, body_first_line)``; ``yaml_text`` is None without front matter."""
    text = text.lstrip("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].rstrip() != "---":
        return None, text, 1
    for number, line in enumerate(lines[1:], start=1):
        if _FENCE.match(line.rstrip("\r\n")):
            return "".join(lines[1:number]), "".join(lines[number + 1 :]), number + 2
    raise MechanismsError(
        Problem(source, 1, "", "front matter starts with '---' but has no closing '---' line")
    )


_Base: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):  # type: ignore[misc]
    """Safe loader (libyaml's parser when available); only the safe constructors ever run."""


def _yaml_problem(error: yaml.YAMLError, source: str, first_line: int) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = first_line + mark.line if mark is not None else first_line
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    context = getattr(error, "context", None)
    message = f"YAML syntax error: {problem}" + (f" ({context})" if context else "")
    return Problem(source, line, "", message, "check indentation, colons and quotes on this line")


def parse_yaml(text: str, source: str, first_line: int = 2) -> Located:
    """Parse ``text`` (front matter starting at ``first_line`` of ``source``)."""
    loader: _Loader | None = None
    try:
        loader = _Loader(text)
        root = loader.get_single_node()
        if root is None:
            return Located({}, {(): first_line})
        located = Located(None)
        walk = _Walk(loader, located, first_line, source)
        located.value = walk.convert(root, (), frozenset())
    except yaml.YAMLError as error:
        raise MechanismsError(_yaml_problem(error, source, first_line)) from None
    except RecursionError:
        raise MechanismsError(
            Problem(
                source,
                first_line,
                "",
                "front matter is nested too deeply",
                "flatten the structure; pathways need only a few levels",
            )
        ) from None
    finally:
        if loader is not None:
            loader.dispose()
    if walk.problems:
        raise MechanismsError(walk.problems)
    return located


_STANDARD_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "seq", "map", "timestamp", "merge", "value")
)


@dataclass
class _Walk:
    """One conversion of a composed node tree: the state every node's conversion shares."""

    loader: _Loader
    located: Located
    first_line: int
    source: str
    problems: list[Problem] = field(default_factory=list)
    merged: dict[int, int] = field(default_factory=dict)
    """How many leading pairs of each flattened mapping came from merge keys (``<<: *base``)."""

    def problem(self, node: yaml.Node, path: tuple[str | int, ...], message: str, hint: str = "") -> None:
        line = self.first_line + node.start_mark.line
        self.problems.append(Problem(self.source, line, format_path(path), message, hint))

    def convert(self, node: yaml.Node, path: tuple[str | int, ...], ancestors: frozenset[int]) -> Any:
        self.located.lines[path] = self.first_line + node.start_mark.line
        if node.tag not in _STANDARD_TAGS:
            self.problem(
                node,
                path,
                f"YAML tag '{node.tag}' is not allowed",
                "remove the tag: only plain values, lists and mappings are read",
            )
            return None
        if id(node) in ancestors:
            self.problem(
                node, path, "a YAML alias refers to itself", "replace the '*alias' with a plain value"
            )
            return None
        ancestors = ancestors | {id(node)}
        located = self.located
        reused = id(node) in located.seen
        located.seen.add(id(node))
        if not reused:
            return self._value(node, path, ancestors)
        located.in_alias += 1
        try:
            return self._value(node, path, ancestors)
        finally:
            located.in_alias -= 1

    def _value(self, node: yaml.Node, path: tuple[str | int, ...], ancestors: frozenset[int]) -> Any:
        located = self.located
        if located.in_alias:
            located.size += 1
        if located.size > MAX_VALUES:
            if located.size == MAX_VALUES + 1:
                self.problem(
                    node,
                    path,
                    f"front matter expands to more than {MAX_VALUES} values",
                    "YAML aliases (*name) may be repeating large blocks; write values out",
                )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, ancestors)
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, (*path, index), ancestors) for index, item in enumerate(node.value)]
        return self.loader.construct_object(node, deep=True)

    def _mapping(
        self, node: yaml.MappingNode, path: tuple[str | int, ...], ancestors: frozenset[int]
    ) -> dict[str, Any]:
        merged = self.merged.get(id(node))
        if merged is None:  # flattening rewrites the node, so a node read again through an alias
            explicit = sum(1 for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge")
            self.loader.flatten_mapping(node)
            merged = self.merged[id(node)] = len(node.value) - explicit
        result: dict[str, Any] = {}
        # As YAML defines merge keys: a key written in the mapping overrides merged ones, and among
        # merged ones the nearest wins (flattening lists them farthest first).
        written = {str(k.value) for k, _ in node.value[merged:] if isinstance(k, yaml.ScalarNode)}
        nearest = {
            str(k.value): i for i, (k, _) in enumerate(node.value[:merged]) if isinstance(k, yaml.ScalarNode)
        }
        for index, (key_node, value_node) in enumerate(node.value):
            # Keys are read as written: YAML 1.1 would turn `on:` into True.
            if not isinstance(key_node, yaml.ScalarNode):
                self.problem(key_node, path, "mapping keys must be plain text")
                continue
            key = str(key_node.value)
            if index < merged and (key in written or nearest[key] != index):
                continue
            if key in result:
                self.problem(
                    key_node,
                    (*path, key),
                    f"duplicate key '{key}'",
                    "each key may appear once; remove or rename one of them",
                )
                continue
            result[key] = self.convert(value_node, (*path, key), ancestors)
        return result


def read_front_matter(text: str, source: str) -> tuple[Located, str, int]:
    """Split and parse a Markdown file: ``(front matter, body, body_first_line)``."""
    yaml_text, body, body_line = split_front_matter(text, source)
    if yaml_text is None:
        return Located({}, {(): 1}), body, body_line
    located = parse_yaml(yaml_text, source, first_line=2)
    if not isinstance(located.value, dict):
        raise MechanismsError(Problem(source, 2, "", "front matter must be a mapping of keys to values"))
    return located, body, body_line
