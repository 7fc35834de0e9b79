"""Each page's mark for Zensical: it changes with what the page's rendering reads, and only then is filled again."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs_mechanisms import zensical_marks
from mkdocs_mechanisms.deferred import Slot, slot
from mkdocs_mechanisms.deps import pathway
from mkdocs_mechanisms.record import PageState
from mkdocs_mechanisms.reuse import Kept

RECORD = {"numbers": {"a": 1}, "cited_on": {}, "mentions": {}, "titles": {}, "figures": {"p": 1}, "order": []}


class FillingSite:
    """Stands in for the site: fills a page as the numbers say, and counts the fillings."""

    def __init__(self) -> None:
        self.filled: list[str] = []
        self.numbers: dict[str, int] = {"a": 1}

    def fill_page(self, text: str, page: PageState) -> str:
        self.filled.append(page.src)
        return text + repr(sorted(self.numbers.items()))


def _kept(key: str = "k") -> Kept:
    return Kept(key, {pathway("p"): "print"}, "", "", {}, [], {}, {})


def _marks(site: Any, pages: list[tuple[PageState, str]], record: dict[str, Any], known: dict) -> dict:
    kept = {state.src: _kept() for state, _ in pages if state.src != "troubled.md"}
    return zensical_marks.marks(site, pages, kept, record, "whole", known)


def test_a_page_is_filled_again_only_when_a_part_of_the_record_it_reads_changed() -> None:
    site, known = FillingSite(), {}
    cited = (PageState("cited.md", "", ""), "<p>x " + slot(Slot.CITE, '{"i":[{"k":"a"}]}') + "</p>")
    plain = (PageState("plain.md", "", ""), "<p>words</p>")
    first = _marks(site, [cited, plain], RECORD, known)
    assert sorted(site.filled) == ["cited.md", "plain.md"] and set(known) == {"cited.md", "plain.md"}
    site.filled.clear()
    assert _marks(site, [cited, plain], RECORD, known) == first and site.filled == []
    figures = {**RECORD, "figures": {"p": 2}}  # no page here shows a figure number
    assert _marks(site, [cited, plain], figures, known) == first and site.filled == []
    site.numbers = {"a": 2}
    renumbered = _marks(site, [cited, plain], {**figures, "numbers": {"a": 2}}, known)
    assert site.filled == ["cited.md"]
    assert renumbered["cited.md"] != first["cited.md"] and renumbered["plain.md"] == first["plain.md"]


def test_a_page_not_kept_takes_the_whole_states_mark_and_a_gone_page_is_forgotten() -> None:
    site, known = FillingSite(), {}
    troubled = (PageState("troubled.md", "", ""), "<p>x</p>")
    plain = (PageState("plain.md", "", ""), "<p>words</p>")
    marks = _marks(site, [troubled, plain], RECORD, known)
    assert marks["troubled.md"] != marks["plain.md"] and "troubled.md" not in known
    assert marks[""] not in (marks["troubled.md"], marks["plain.md"])
    _marks(site, [troubled], RECORD, known)
    assert known == {}


def test_a_diagram_or_a_block_set_aside_reads_the_whole_record() -> None:
    every = sorted({name for names in zensical_marks._READS.values() for name in names})
    assert zensical_marks._reads("<p>" + slot(Slot.SVG, "mfig1") + "</p>") == every
    assert zensical_marks._reads(slot(Slot.HELD, "0")) == every
    assert zensical_marks._reads(slot(Slot.FIGURE_NUMBER, "p")) == ["figures"]
    assert zensical_marks._reads("<p>plain</p>") == []


def test_kept_marks_are_read_back_only_by_the_same_engine(tmp_path: Path) -> None:
    path = tmp_path / zensical_marks.MARKS
    zensical_marks.save(path, {"a.md": ["inputs", "mark"]}, "engine-1")
    assert zensical_marks.load(path, "engine-1") == {"a.md": ["inputs", "mark"]}
    assert zensical_marks.load(path, "engine-2") == {}
    path.write_text("{not json", encoding="utf-8")
    assert zensical_marks.load(path, "engine-1") == {}
