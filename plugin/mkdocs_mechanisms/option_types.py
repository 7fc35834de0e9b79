"""How each kind of option value is read: one check and one JSON Schema per kind, for every host.

A check takes the value as written (YAML, TOML or Python) and returns it as
:class:`~.options.Options` holds it, or raises :class:`OptionError` with the one
message the author reads, under MkDocs (wrapped by MkDocs' own config
validation) as under Zensical and ``check`` (as a :class:`~.errors.Problem`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from .characters import INVISIBLE, character_message
from .colours import is_css_colour
from .errors import did_you_mean
from .model import NODE_KINDS


class OptionError(ValueError):
    """A value an option refuses: what is wrong, where inside the value (``drug.light``), a hint."""

    def __init__(self, message: str, key: str = "", hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.key = key
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.key}: {self.message}" if self.key else self.message
        return f"{text} ({self.hint})" if self.hint else text


@dataclass(frozen=True)
class Colour:
    """Fill colours of one node kind, for the light and the dark palette."""

    light: str | None = None
    dark: str | None = None


class Check(ABC):
    """One kind of value: :meth:`read` returns it as the engine uses it; :meth:`schema` describes it."""

    @abstractmethod
    def read(self, value: object) -> Any:
        """The value as :class:`~.options.Options` holds it; else :class:`OptionError`."""

    @abstractmethod
    def schema(self) -> dict[str, Any]:
        """The JSON Schema of a value written in ``mkdocs.yml`` or ``zensical.toml``."""


class Flag(Check):
    """``true`` or ``false`` (a number is not a switch)."""

    def read(self, value: object) -> bool:
        if not isinstance(value, bool):
            raise OptionError(f"expected true or false, got {value!r}")
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "boolean"}


class Text(Check):
    """Text, such as a folder or a style's name."""

    def read(self, value: object) -> str:
        if not isinstance(value, str):
            raise OptionError(f"expected text, got {value!r}")
        return value

    def schema(self) -> dict[str, Any]:
        return {"type": "string"}


class Label(Text):
    """Text printed in every figure: an invisible control or bidi character is refused."""

    def read(self, value: object) -> str:
        text = super().read(value)
        if found := INVISIBLE.search(text):
            raise OptionError(character_message(found.group()))
        return text


class Seconds(Check):
    """A number of seconds greater than zero (``true`` is not a number here)."""

    def read(self, value: object) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
            raise OptionError(f"expected a number of seconds greater than 0, got {value!r}")
        return float(value)

    def schema(self) -> dict[str, Any]:
        return {"type": "number", "exclusiveMinimum": 0}


@dataclass(frozen=True)
class OneOf(Check):
    """One word of a fixed list; a near miss is named."""

    choices: tuple[str, ...]

    def read(self, value: object) -> str:
        if value not in self.choices:
            hint = did_you_mean(value, self.choices) if isinstance(value, str) else ""
            hint = hint if hint.startswith("did you mean") else ""  # the choices are in the message
            raise OptionError(f"{value!r} is not one of {', '.join(self.choices)}", hint=hint)
        return str(value)

    def schema(self) -> dict[str, Any]:
        return {"enum": list(self.choices)}


def relative_path(value: object, suffix: str = "") -> str:
    """A non-empty relative path that stays inside its base folder, as POSIX text; else :class:`OptionError`."""
    if not isinstance(value, str) or not value.strip():
        raise OptionError(f"expected a relative path, got {value!r}")
    path = PurePosixPath(value.strip().replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or value[1:3] == ":/":
        raise OptionError(f"{value!r} must be a relative path inside its folder, without '..'")
    if suffix and path.suffix != suffix:
        raise OptionError(f"{value!r} must end in '{suffix}'")
    return path.as_posix()


@dataclass(frozen=True)
class RelativePath(Check):
    """A file or folder inside its base folder (the docs, or the project), with the suffix required.

    Zensical's preparation writes the references page where this says: it never leaves its folder.
    """

    suffix: str = ""

    def read(self, value: object) -> str:
        return relative_path(value, self.suffix)

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "string", "minLength": 1}
        if self.suffix:
            out["pattern"] = self.suffix.replace(".", "\\.") + "$"
        return out


class Patterns(Check):
    """A list of glob patterns of pages."""

    def read(self, value: object) -> tuple[str, ...]:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise OptionError(f"expected a list of glob patterns, got {value!r}")
        return tuple(value)

    def schema(self) -> dict[str, Any]:
        return {"type": "array", "items": {"type": "string"}}


class Colours(Check):
    """``{kind: {light: colour, dark: colour}}``: written into CSS, so only CSS colours pass."""

    def read(self, value: object) -> dict[str, Colour]:
        if not isinstance(value, Mapping):
            raise OptionError("expected a mapping of node kind to {light: …, dark: …}")
        out: dict[str, Colour] = {}
        for kind, pair in value.items():
            if kind not in NODE_KINDS:
                raise OptionError(f"unknown node kind {kind!r}", hint=did_you_mean(str(kind), NODE_KINDS))
            if isinstance(pair, Colour):
                pair = {"light": pair.light, "dark": pair.dark}
            if not isinstance(pair, Mapping) or set(pair) - {"light", "dark"}:
                raise OptionError("expected {light: '#hex', dark: '#hex'}", key=str(kind))
            out[str(kind)] = Colour(
                *(_colour(pair.get(shade), f"{kind}.{shade}") for shade in ("light", "dark"))
            )
        return out

    def schema(self) -> dict[str, Any]:
        shade: dict[str, Any] = {"anyOf": [{"type": "string"}, {"type": "null"}]}
        return {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {"light": shade, "dark": shade},
                "additionalProperties": False,
            },
            "propertyNames": {"enum": list(NODE_KINDS)},
        }


def _colour(value: object, key: str) -> str | None:
    """One CSS colour, or None when not given."""
    if value is None:
        return None
    if not isinstance(value, str) or not is_css_colour(value):
        raise OptionError(
            f"{value!r} is not a CSS colour (use e.g. '#fde2e4', 'teal' or 'rgb(250 220 228)')", key=key
        )
    return value.strip()
