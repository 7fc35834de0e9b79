"""Each page's mark: a digest of all its rendering inside Zensical reads besides the configuration.

Zensical renders a page again only when its file (or its configuration) changed. The
preparation ends every page with a mark (:func:`.zensical_shadow.mark`) that changes
whenever the page's rendering would: its Markdown, the site-wide inputs and the sources it
used (what :mod:`.reuse` checks before keeping a page), and its slots as filled now
(citation and figure numbers, "cited on" and "Mentioned on" lists), from the collecting
pass's HTML, whose slots are the conversion's. A site-wide edit thus changes exactly the
pages it touches, and Zensical renders those alone, in ``serve`` and in a ``build`` after
an edit alike.

Filling every page costs about what Zensical's own filling does, so a page's mark is kept
(``<cache_dir>/zensical/marks.json``, and in memory through a serve) with what it was made
from: the page's inputs and the parts of the site's record its slots read. It is filled
again only when one of those changed.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .deferred import Slot
from .deps import digest
from .diagrams import DiagramKind
from .record import PageState
from .reuse import Kept
from .site import Site
from .zensical_files import write_if_changed

MARKS = "zensical/marks.json"
FORM = 1

_READS: dict[Slot, tuple[str, ...]] = {
    Slot.CITE: ("numbers", "cited_on", "titles", "order"),
    Slot.SOURCES: ("numbers", "cited_on", "titles", "order"),
    Slot.REFERENCES: ("numbers", "cited_on", "titles", "order"),
    Slot.MENTIONED: ("mentions", "titles", "order"),
    Slot.FIGURE_NUMBER: ("figures",),
}
"""The parts of the record (``Record.to_json``) each kind of slot is filled from; a diagram or
a block set aside may hold any of them."""


def load(path: Path, engine: str) -> dict[str, list[str]]:
    """The marks kept by the last preparation with this engine: per page, (what it read, mark)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("form") != FORM or data.get("engine") != engine:
            return {}
        return {str(k): [str(v[0]), str(v[1])] for k, v in data["marks"].items()}
    except (OSError, ValueError, TypeError, KeyError, AttributeError, IndexError):
        return {}


def save(path: Path, marks: Mapping[str, list[str]], engine: str) -> None:
    text = json.dumps({"form": FORM, "engine": engine, "marks": dict(sorted(marks.items()))}, sort_keys=True)
    write_if_changed(path, text.encode("utf-8"))


def marks(
    site: Site,
    pages: Sequence[tuple[PageState, str]],
    kept: Mapping[str, Kept],
    record: Mapping[str, Any],
    whole: str,
    known: dict[str, list[str]],
) -> dict[str, str]:
    """Per page, its mark; ``""``: the mark of a page the collecting pass could not read.

    ``record``: the site's record as saved in the state; ``whole``: the whole state's
    fingerprint, the mark of a page not kept (it showed a problem: rendered again on every
    change). ``known`` (updated): the marks made before, with what they were made from.
    """
    parts = {name: digest(json.dumps(value, sort_keys=True)) for name, value in record.items()}
    out = {"": digest(whole)}
    for state, html in pages:
        page = kept.get(state.src)
        if page is None:
            out[state.src] = digest(whole, state.src)
            known.pop(state.src, None)
            continue
        used = [f"{s.kind}:{s.name}:{p}" for s, p in sorted(page.prints.items())]
        inputs = digest(page.key, *used, "\0", *(parts[name] for name in _reads(html)))
        before = known.get(state.src)
        if before is not None and before[0] == inputs:
            out[state.src] = before[1]
            continue
        out[state.src] = digest(page.key, *used, "\0", _filled(site, state, html))
        known[state.src] = [inputs, out[state.src]]
    for src in set(known) - set(out):
        del known[src]
    return out


def _reads(html: str) -> list[str]:
    """The parts of the record a page's slots are filled from, by name, in a fixed order."""
    every = any(f'data-slot="{kind.value}"' in html for kind in (Slot.SVG, Slot.HELD))
    return sorted(
        {
            name
            for kind, names in _READS.items()
            if every or f'data-slot="{kind.value}"' in html
            for name in names
        }
    )


def _filled(site: Site, state: PageState, html: str) -> str:
    """The page's slots filled as Zensical's side fills them, but its own diagrams and set-aside blocks.

    Those follow from its Markdown and sources, and are not kept with a kept page.
    """
    own = (DiagramKind.INLINE, DiagramKind.COMPARE)
    shared = {n: v for n, v in state.svgs.items() if v[0].kind not in own}
    return site.fill_page(html, dataclasses.replace(state, svgs=shared, held=[]))
