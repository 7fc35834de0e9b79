"""Reading one file's located mapping value by value, collecting every problem on the way.

:class:`Checker` knows the types, ids, citation keys, identifiers and vocabularies a pathway
file or glossary page may hold; the readers (:mod:`.load`, :mod:`.termpage`) say which key is
which and decide what a problem costs.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from . import identifiers as ids
from .characters import INVISIBLE, character_message
from .cite import valid_key
from .errors import Problem, closest, did_you_mean
from .frontmatter import Located, format_path
from .model import CERTAINTIES, ID_PATTERN, MAX_ID_LENGTH, Edge

_TYPE_NAMES = {str: "text", list: "a list", dict: "a mapping", bool: "true or false"}


class Checker:
    """Collects problems for one file while reading its front matter."""

    def __init__(self, data: Located, source: str) -> None:
        self.data = data
        self.source = source
        self.problems: list[Problem] = []
        self.misspelt: dict[tuple[tuple[str | int, ...], str], str] = {}
        """Unknown keys that are near misses of a missing key: ``(path, key) → misspelt key``."""
        self.contained: set[Problem] = set()
        """Problems that cost only their own node, edge or value: the pathway is still drawn."""
        self.dropped: set[str] = set()
        """Nodes left out of the drawing for a mistake of their own (an edge touching one too)."""
        self.left_out: list[Edge] = []
        """Edges left out of the drawing for a mistake of their own or of a node they touch."""

    def contain(self, since: int) -> None:
        """Mark every problem found since ``since`` as costing only the thing it was found in."""
        self.contained.update(self.problems[since:])

    def add(self, path: tuple[str | int, ...], message: str, suggestion: str = "") -> None:
        self.problems.append(
            Problem(self.source, self.data.line(*path), format_path(path), message, suggestion)
        )

    def typed(self, value: Any, kind: type, path: tuple[str | int, ...]) -> bool:
        if isinstance(value, kind) and not (kind is str and value == ""):
            return True
        if kind is str and isinstance(value, int | float) and not isinstance(value, bool):
            return True  # a bare number is fine as text (e.g. a label "5")
        shown = "nothing" if value is None else f"{type(value).__name__} {value!r}"[:60]
        self.add(path, f"wrong type: expected {_TYPE_NAMES[kind]}, got {shown}")
        return False

    def text(self, mapping: dict[str, Any], key: str, path: tuple[str | int, ...], *, required: bool) -> str:
        if key not in mapping or mapping[key] is None:
            wrong = self.misspelt.get((path, key)) if required else None
            if wrong is not None:  # reported once, as the unknown key; its value stands in
                return self._quiet_text(mapping[wrong])
            if required:
                self.add(path, f"missing required key '{key}'", f"add '{key}: …'")
            return ""
        value = mapping[key]
        if not self.typed(value, str, (*path, key)):
            return ""
        text = self.clean(str(value), (*path, key))
        if required and not text:
            self.add((*path, key), f"'{key}' is blank", f"write the {key} as text")
        return text

    @staticmethod
    def _quiet_text(value: Any) -> str:
        """A misspelt key's value as text, or ``""``: its one problem is already reported."""
        if isinstance(value, str | int | float) and not isinstance(value, bool):
            return INVISIBLE.sub("", str(value)).strip()
        return ""

    def clean(self, text: str, path: tuple[str | int, ...]) -> str:
        """``text`` stripped; an invisible control or bidi character is reported, then dropped."""
        found = INVISIBLE.search(text)
        if found:
            self.add(
                path,
                character_message(found.group()),
                "delete it: it cannot appear in a diagram and may hide what the text says",
            )
            text = INVISIBLE.sub("", text)
        return text.strip()

    def ident(self, value: str, path: tuple[str | int, ...], what: str) -> bool:
        if len(value) > MAX_ID_LENGTH:
            self.add(
                path,
                f"{what} id is {len(value)} characters long; at most {MAX_ID_LENGTH} are allowed",
                "use a shorter id: it becomes part of file names and URLs",
            )
            return False
        if ID_PATTERN.fullmatch(value):
            return True
        self.add(
            path,
            f"invalid {what} id '{value}'",
            "use lower-case letters, digits and single hyphens, e.g. 'nmda-receptor'",
        )
        return False

    def keys(self, mapping: dict[str, Any], allowed: Iterable[str], path: tuple[str | int, ...]) -> None:
        allowed = tuple(allowed)
        for key in mapping:
            if key not in allowed:
                self.add((*path, key), f"unknown key '{key}'", did_you_mean(key, allowed))
                near = closest(str(key), allowed)
                if near is not None and mapping.get(near) is None:
                    self.misspelt.setdefault((path, near), key)

    def keylist(
        self, mapping: dict[str, Any], key: str, path: tuple[str | int, ...], *, citations: bool = True
    ) -> tuple[str, ...]:
        value = mapping.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]  # `cite: key` is read as `cite: [key]`
        elif not self.typed(value, list, (*path, key)):
            return ()
        out = []
        for index, item in enumerate(value):
            where = (*path, key, index)
            if not self.typed(item, str, where):
                continue
            text = self.clean(str(item), where)
            if citations:
                text = text.lstrip("@")
                if not valid_key(text):
                    self.add(
                        where,
                        f"invalid citation key '{text}'",
                        "a key is letters, digits and '_', with ':', '.', '-' or '/' only between them",
                    )
                    continue
            if text:
                out.append(text)
        return tuple(out)

    def identifiers(self, mapping: dict[str, Any], path: tuple[str | int, ...]) -> tuple[str, ...]:
        """CURIEs under ``identifiers:``, each checked against the registry; bad ones become problems."""
        good: list[str] = []
        values = self.keylist(mapping, "identifiers", path, citations=False)
        for index, checked in enumerate(ids.parse_many(values)):
            if isinstance(checked, ids.IdentifierError):
                self.add((*path, "identifiers", index), checked.message, checked.suggestion)
            elif checked.curie not in good:
                good.append(checked.curie)
        return tuple(good)

    def certainty(self, mapping: dict[str, Any], path: tuple[str | int, ...]) -> str:
        """``certainty:`` checked against the fixed vocabulary; ``""`` when absent."""
        value = self.text(mapping, "certainty", path, required=False)
        if value and value not in CERTAINTIES:
            self.add(
                (*path, "certainty"),
                f"unknown certainty '{value}'",
                did_you_mean(value, CERTAINTIES),
            )
            return ""
        return value

    def evidence(self, mapping: dict[str, Any], path: tuple[str | int, ...]) -> tuple[str, ...]:
        """ECO codes under ``evidence:``, each checked against the registry and for its ontology."""
        good: list[str] = []
        values = self.keylist(mapping, "evidence", path, citations=False)
        for index, checked in enumerate(ids.parse_many(values)):
            where = (*path, "evidence", index)
            if isinstance(checked, ids.IdentifierError):
                self.add(where, checked.message, checked.suggestion)
            elif checked.prefix != ids.ECO_PREFIX:
                self.add(
                    where,
                    f"'{checked.curie}' is not an Evidence and Conclusion Ontology code",
                    f"write ECO:nnnnnnn, e.g. '{ids.ECO_EXAMPLE}'; database identifiers go under 'identifiers:'",
                )
            elif checked.curie not in good:
                good.append(checked.curie)
        return tuple(good)
