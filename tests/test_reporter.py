"""One policy for problems: each logged once, a root cause once per build, a build stopped at checkpoints."""

from __future__ import annotations

import pytest
from mkdocs_mechanisms.errors import MechanismsError, Problem
from mkdocs_mechanisms.reporter import Reporter

A = Problem("docs/a.md", 3, "", "first")
B = Problem("docs/b.md", 4, "", "second")
CAUSE = Problem("mkdocs.yml", 0, "", "no diagrams folder")


def test_each_problem_is_logged_once_and_a_cause_once_per_build() -> None:
    logged: list[str] = []
    reporter = Reporter(serving=False, warn=logged.append)
    reporter.add([A, A])
    assert reporter.cause(CAUSE) is CAUSE
    reporter.cause(CAUSE)
    reporter.add([CAUSE])
    assert logged == [str(A), str(CAUSE)]


def test_a_build_stops_at_a_checkpoint_with_every_problem_not_raised_yet() -> None:
    reporter = Reporter(serving=False, warn=lambda _: None)
    reporter.checkpoint()  # nothing met: goes on
    reporter.add([A])
    with pytest.raises(MechanismsError) as first:
        reporter.checkpoint()
    reporter.add([B])
    with pytest.raises(MechanismsError) as second:
        reporter.checkpoint()
    assert first.value.problems == [A] and second.value.problems == [B] and first.value.reported


def test_while_serving_nothing_stops() -> None:
    reporter = Reporter(serving=True, warn=lambda _: None)
    reporter.add([A, B])
    reporter.checkpoint()
    assert reporter.problems == [A, B]
