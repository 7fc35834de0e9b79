"""Author-facing problems: one type, always with a file and a line.

Every mistake in a source file becomes a :class:`Problem`; code that finds
several raises one :class:`MechanismsError` holding all of them, so an
author sees every mistake of a file at once and never a traceback.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

_INVISIBLE = re.compile(
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]"
)


def _visible(text: str) -> str:
    """Control and bidi characters as ``\\x07``/``\\u202e``: a message never drives the terminal."""
    return _INVISIBLE.sub(lambda m: ascii(m.group())[1:-1], text)


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake at one place in one source file."""

    file: str
    line: int
    path: str
    message: str
    suggestion: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        key = f" {self.path}:" if self.path else ""
        hint = f" ({self.suggestion})" if self.suggestion else ""
        return _visible(f"{where}:{key} {self.message}{hint}")


class MechanismsError(Exception):
    """Raised for author mistakes; carries every :class:`Problem` found."""

    def __init__(self, problems: Iterable[Problem] | Problem, *, reported: bool = False) -> None:
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        self.reported = reported
        """Every problem was already logged one by one: a host then says only that the build stopped."""
        super().__init__("\n".join(str(p) for p in self.problems))

    def stopped(self) -> str:
        """The one line a host ends a failed build with when the problems were logged already."""
        count = len(self.problems)
        files = len({p.file for p in self.problems})
        return (
            f"{count} problem{'s' * (count != 1)} in {files} file{'s' * (files != 1)}, "
            "each reported above: the build stopped"
        )


class RenderError(MechanismsError):
    """Graphviz is missing, failed, or ran past its timeout."""


def closest(value: str, choices: Iterable[str]) -> str | None:
    """The choice ``value`` is most likely a misspelling of, or ``None``."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if not close:
        lowered = {o.lower(): o for o in options}
        close = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.6)
        close = [lowered[c] for c in close]
    return close[0] if close else None


def did_you_mean(value: str, choices: Iterable[str]) -> str:
    """Return ``"did you mean 'x'?"`` for the closest choice, or ``""``."""
    options = sorted(set(choices))
    near = closest(value, options)
    if near is not None:
        return f"did you mean '{near}'?"
    if options and len(options) <= 12:
        return "expected one of: " + ", ".join(options)
    return ""
