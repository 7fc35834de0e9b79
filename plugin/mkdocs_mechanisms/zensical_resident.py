"""``zensical serve``'s preparations, one process for the whole serve, each edit redoing only what it touches.

The watcher (:mod:`.zensical_serve`) starts this process once and asks it for a preparation
after each edit (a line on its input); it answers with one line of JSON. Between
preparations it keeps, in memory, what a preparation in a fresh process would read again
or make again from unchanged inputs:

* the pages of the collecting pass (:class:`~.reuse.PageCache`): a page is converted again
  only when it or a source it used changed (:mod:`.reuse` decides, as for ``mkdocs serve``);
  they are not read from or written to ``pages.json`` on each edit;
* each page's mark (:mod:`.zensical_marks`), filled again only when what it reads changed;
* Zensical's Markdown setup for the author's settings (its extensions, read once per
  configuration text);
* the Graphviz runner, whose memory cache holds every diagram drawn.

The preparation itself is :func:`.zensical.prepare`: its result (state, configuration and
Zensical's docs folder) is the same, to the byte, as a preparation in a fresh process
(``tests/test_zensical_resident.py``), and only files whose content changed are written.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import MechanismsError

if TYPE_CHECKING:
    from .render.runner import GraphvizRunner
    from .reuse import PageCache


@dataclass
class Resident:
    """What one serve's preparations keep between edits."""

    pages: PageCache | None = None
    """The collecting pass's pages (None before the first preparation: read from ``pages.json``)."""
    setups: dict[str, tuple[list[Any], dict[str, Any], Any]] = field(default_factory=dict)
    """Zensical's Markdown extensions, settings and configuration, by the configuration's text."""
    marks: dict[str, list[str]] | None = None
    """Each page's mark and what it was made from (:mod:`.zensical_marks`; None: read from the file)."""
    runner: GraphvizRunner | None = None
    rounds: int = 0
    """Preparations made so far."""

    def runner_for(self, runner: GraphvizRunner) -> GraphvizRunner:
        """The kept runner when ``runner`` is the same kind (its memory cache is warm), else ``runner``."""
        kept = self.runner
        if kept is None or (kept.cache_dir, kept.engine, kept.timeout) != (
            runner.cache_dir,
            runner.engine,
            runner.timeout,
        ):
            self.runner = kept = runner
        return kept


def summary(prepared: Any) -> dict[str, Any]:
    """The line the watcher reads: the files to watch and what changed for Zensical."""
    return {
        "config": str(prepared.config),
        "watched": [str(p) for p in prepared.watched],
        "written": len(prepared.written),
        "reloads": prepared.shadow is not None and prepared.shadow.reloads,
        "converted": len(prepared.converted),
    }


def answer(config_file: Path, resident: Resident) -> dict[str, Any] | None:
    """One preparation; its summary, or None when an author mistake stopped it (printed)."""
    from .zensical import prepare, report

    try:
        prepared = prepare(config_file, serving=True, resident=resident)
    except MechanismsError as error:
        report(error)
        return None
    finally:
        resident.rounds += 1
    return summary(prepared)


def main(config_file: Path) -> int:
    """Prepare once per line read, until the input ends; print each summary as one line of JSON."""
    resident = Resident()
    for _line in sys.stdin:
        print(json.dumps(answer(config_file, resident)), flush=True)
    return 0


if __name__ == "__main__":
    from .logs import show_on_terminal

    show_on_terminal()
    sys.exit(main(Path(sys.argv[1])))
