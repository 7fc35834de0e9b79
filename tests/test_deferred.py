"""Deferred slots: one slot form, filled per kind in one pass, with untrusted arguments kept as data."""

from __future__ import annotations

import pytest
from mkdocs_mechanisms.deferred import BLOCKS, CLASS, Found, Slot, arguments, fill, hold, positions, slot

HOSTILE = "\"><script>alert(1)</script>&amp;'</span>"


def test_one_slot_form_filled_per_kind() -> None:
    text = f"<p>{slot(Slot.MENTIONED, 'a&b')}</p><p>x {slot(Slot.SVG, 'f1')}</p>"
    out = fill(text, {Slot.MENTIONED: lambda found: f"<ul>{found.arg}</ul>"})
    assert out.startswith("<ul>a&b</ul>")  # a block replaces its paragraph
    assert slot(Slot.SVG, "f1") in out  # no filler yet: left for a later stage
    assert fill(out, {Slot.SVG: lambda _: "<svg/>"}).endswith("<p>x <svg/></p>")


def test_an_argument_cannot_break_out_of_its_slot_and_comes_back_as_written() -> None:
    placeholder = slot(Slot.SOURCES, HOSTILE)
    assert "<script" not in placeholder and placeholder.count('"') == 6  # only its own quotes
    assert arguments(f"<p>{placeholder}</p>", Slot.SOURCES) == [HOSTILE]
    seen: list[str] = []
    out = fill(placeholder, {Slot.SOURCES: lambda found: seen.append(found.arg) or "[ref]"})
    assert seen == [HOSTILE] and out == "[ref]"


@pytest.mark.parametrize("kind", sorted(BLOCKS))
def test_a_block_keeps_its_paragraph_when_it_shares_it(kind: Slot) -> None:
    text = f"<p>Before {slot(kind, 'k')}</p>"
    assert fill(text, {kind: lambda _: "<ul></ul>"}) == "<p>Before <ul></ul></p>"
    alone = f"<p>{slot(kind, 'k')}</p>"
    assert fill(alone, {kind: lambda _: "<ul></ul>"}) == "<ul></ul>"


def test_a_block_on_the_last_line_of_a_page_still_replaces_its_paragraph() -> None:
    """Python-Markdown keeps the final line break inside the paragraph: ``<ul>`` must not land in a ``<p>``."""
    text = f"<h2>Mentioned on</h2>\n<p>{slot(Slot.MENTIONED, 'x')}\n</p>"
    assert fill(text, {Slot.MENTIONED: lambda _: "<ul></ul>"}) == "<h2>Mentioned on</h2>\n<ul></ul>"
    inline = f"<p>{slot(Slot.SVG, 'f')}\n</p>"
    assert fill(inline, {Slot.SVG: lambda _: "<svg/>"}) == "<p><svg/>\n</p>"


def test_an_inline_slot_alone_in_a_paragraph_keeps_the_paragraph() -> None:
    text = f"<p>{slot(Slot.SVG, 'mfig1')}</p>"
    assert fill(text, {Slot.SVG: lambda found: f"<svg id='{found.arg}'/>"}) == "<p><svg id='mfig1'/></p>"


def test_every_slot_of_every_kind_is_filled_in_order_in_one_pass_and_others_stay() -> None:
    text = (
        "".join(slot(Slot.SVG, f"f{i}") for i in range(3))
        + slot(Slot.FIGURE_NUMBER, "a")
        + slot(Slot.REFERENCES)
    )
    seen: list[str] = []

    def record(found: Found) -> str:
        seen.append(found.arg)
        return f"[{found.arg}]"

    out = fill(text, {Slot.SVG: record, Slot.FIGURE_NUMBER: record})
    assert out == "[f0][f1][f2][a]" + slot(Slot.REFERENCES) and seen == ["f0", "f1", "f2", "a"]
    assert arguments(text, Slot.SVG) == ["f0", "f1", "f2"] and arguments(text, Slot.REFERENCES) == [""]
    assert [(kind, arg) for _, kind, arg in positions(text, {Slot.SVG, Slot.REFERENCES})][-2:] == [
        (Slot.SVG, "f2"),
        (Slot.REFERENCES, ""),
    ]


def test_a_slot_holds_what_the_host_rendered_inside_it_nested_spans_included() -> None:
    """A figure's caption, a citation's affixes: the filler gets them as ``inner``."""
    inner = 'A <em>caption</em> citing <span class="x"><span>a</span></span> and ' + slot(Slot.CITE, "{}")
    text = f"<p>{slot(Slot.FIGURE, '1', inner)}</p>\n<p>after</p>"
    out = fill(text, {Slot.FIGURE: lambda found: f"<figure>{found.inner}</figure>"})
    assert out == f"<figure>{inner}</figure>\n<p>after</p>"  # the nested slot waits for its own stage
    assert arguments(out, Slot.CITE) == ["{}"]


def test_a_joined_kind_writes_the_text_before_it_too() -> None:
    """A citation attaches to the word before it: its filler gets that text and what the last slot became."""
    text = f"<p>word {slot(Slot.CITE, 'a')} {slot(Slot.CITE, 'b')}</p>"
    calls: list[tuple[str, str]] = []

    def attach(found: Found) -> str:
        calls.append((found.before, found.previous))
        return found.before.rstrip() + f"<sup>{found.arg}</sup>"

    assert fill(text, {Slot.CITE: attach}) == "<p>word<sup>a</sup><sup>b</sup></p>"
    assert calls == [("<p>word ", ""), (" ", "<p>word<sup>a</sup>")]


def test_an_unknown_kind_is_left_as_it_is() -> None:
    text = f'<span class="{CLASS}" data-arg="x" data-slot="future-kind"></span>'
    assert fill(text, {kind: lambda _: "!" for kind in Slot}) == text


def test_a_filler_output_is_not_filled_again_in_the_same_pass() -> None:
    nested = slot(Slot.SVG, "inner")
    out = fill(slot(Slot.SVG, "outer"), {Slot.SVG: lambda found: nested if found.arg == "outer" else "X"})
    assert out == nested


def test_text_without_slots_is_returned_untouched() -> None:
    text = '<p>No slots here, only data-slot="svg" as text.</p>'
    assert fill(text, {Slot.SVG: lambda _: "X"}) is text


def test_blocks_search_skips_are_held_as_slots_and_come_back_unchanged() -> None:
    page = (
        '<p>a</p><details class="mechanisms-steps" data-search-exclude><summary>s</summary></details>'
        '<details class="mechanisms-legend"><summary>kept</summary></details>'
    )
    held: list[str] = []
    out = hold(page, held)
    assert "data-search-exclude" not in out and "kept" in out and len(held) == 1
    assert fill(out, {Slot.HELD: lambda found: held[int(found.arg)]}) == page


def test_every_list_search_skips_is_held_and_comes_back_unchanged() -> None:
    page = (
        '<li id="r1">Ref.<br><span class="mechanisms-cited-on" data-search-exclude>Cited on:</span>'
        '<ul class="mechanisms-cited-on-pages" data-search-exclude><li><a href="../a/">A</a></li>'
        "<li><details><summary>2 more</summary><div>B</div></details></li></ul></li>\n"
        '<div class="mechanisms-legend mechanisms-key" role="group" data-search-exclude><ul><li>'
        '<svg class="g"><path d="M0"/></svg> binds</li></ul></div>'
    )
    held: list[str] = []
    out = hold(page, held)
    assert "data-search-exclude" not in out and "Cited on" not in out and len(held) == 3
    assert out.startswith('<li id="r1">Ref.<br><span class="mechanisms-slot"')
    assert fill(out, {Slot.HELD: lambda found: held[int(found.arg)]}) == page


@pytest.mark.parametrize(
    "page",
    [
        '<ul class="mechanisms-x" data-search-exclude><li><ul><li>a</li></ul> b</li></ul>',  # search stops early
        '<div class="mechanisms-x" data-search-exclude><h2 id="a">A</h2></div>',  # search opens a section
        '<ul class="mechanisms-x" data-search-exclude><li data-search-boost="2">a</li></ul>',
        '<ul class="mechanisms-x" data-search-exclude="yes"><li>a</li></ul>',  # search strips that attribute
        '<ul class="other" data-search-exclude><li>a</li></ul>',  # not ours
        '<ul class="mechanisms-x" data-search-excluded><li>a</li></ul>',
        '<ul class="mechanisms-x" data-search-exclude><li>never closed</li>',
        "<p>&lt;ul class=&quot;mechanisms-x&quot; data-search-exclude&gt;</p><code>x data-search-exclude</code>",
    ],
)
def test_blocks_search_would_not_skip_whole_are_not_held(page: str) -> None:
    held: list[str] = []
    assert hold(page, held) == page and held == []


def test_a_figures_caption_runs_to_its_end_slot_whatever_html_the_author_wrote() -> None:
    caption = 'Text with <span class="x">a stray </span></span> close and an open <b>tag.'
    text = f"<p>{slot(Slot.FIGURE, '2', caption)}</p>\n<p>after</p>"
    out = fill(text, {Slot.FIGURE: lambda found: f"<figure>{found.inner}</figure>"})
    assert out == f"<figure>{caption}</figure>\n<p>after</p>"
    unended = slot(Slot.FIGURE, "3", "x").replace(slot(Slot.FIGURE_END, "3"), slot(Slot.FIGURE_END, "4"))
    assert fill(unended, {Slot.FIGURE: lambda _: "!"}) == unended  # no end of its own: left as it is


def test_a_filler_that_returns_none_leaves_its_slot_and_paragraph_for_a_later_stage() -> None:
    text = f"<p>{slot(Slot.PART, 'a')}</p>\n<p>{slot(Slot.PART, 'b')}</p>"
    first = fill(text, {Slot.PART: lambda found: "<ul>A</ul>" if found.arg == "a" else None})
    assert first == f"<ul>A</ul>\n<p>{slot(Slot.PART, 'b')}</p>"
    assert fill(first, {Slot.PART: lambda found: "<ul>B</ul>"}) == "<ul>A</ul>\n<ul>B</ul>"
