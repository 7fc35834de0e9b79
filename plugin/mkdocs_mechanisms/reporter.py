"""One policy for problems, shared by every collaborator of a build.

A mistake is logged once where it is found (a root cause once per build), shown on
its page while serving, and stops a build at the next checkpoint: the parts of the
engine only ``add`` problems and never decide between warning and stopping.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .errors import MechanismsError, Problem


class Reporter:
    """One policy for problems: always a warning in the host's log; a build stops at checkpoints.

    While serving, nothing stops: pages show the problem in an error box.
    In a build (strict or not), :meth:`checkpoint` raises one
    :class:`MechanismsError` listing every problem not raised yet.
    """

    def __init__(self, *, serving: bool, warn: Callable[[str], None]) -> None:
        self.serving = serving
        self.warn = warn
        self.problems: list[Problem] = []
        self._raised = 0
        self._causes: set[Problem] = set()

    def add(self, problems: Iterable[Problem]) -> None:
        """Log each problem once (a root cause once per build)."""
        for problem in problems:
            if problem in self.problems[self._raised :] or problem in self._causes:
                continue
            self.problems.append(problem)
            self.warn(str(problem))

    def cause(self, problem: Problem) -> Problem:
        """A root cause (a missing folder or bibliography): logged the first time it is met only.

        Every page that meets it again shows it in its own error box while serving, but
        the log and a build's error list name it once, not once per fence or citation.
        """
        self.add([problem])
        self._causes.add(problem)
        return problem

    def checkpoint(self) -> None:
        """Stop a build that met problems since the last checkpoint."""
        pending = self.problems[self._raised :]
        self._raised = len(self.problems)
        if pending and not self.serving:
            raise MechanismsError(pending, reported=True)
