"""Deferred slots: one placeholder form, filled per kind, with untrusted arguments kept as data."""

from __future__ import annotations

import pytest
from mkdocs_mechanisms.deferred import BLOCKS, Slot, arguments, fill, slot

HOSTILE = "\"><script>alert(1)</script>&amp;'</span>"


def test_one_slot_form_filled_per_kind() -> None:
    text = f"<p>{slot(Slot.MENTIONED, 'a&b')}</p><p>x {slot(Slot.SVG, 'f1')}</p>"
    out = fill(text, {Slot.MENTIONED: lambda arg: f"<ul>{arg}</ul>"})
    assert out.startswith("<ul>a&b</ul>")  # a block replaces its paragraph
    assert slot(Slot.SVG, "f1") in out  # no filler yet: left for a later pass
    assert fill(out, {Slot.SVG: lambda arg: "<svg/>"}).endswith("<p>x <svg/></p>")


def test_an_argument_cannot_break_out_of_its_placeholder_and_comes_back_as_written() -> None:
    placeholder = slot(Slot.REFERENCE_TEXT, HOSTILE)
    assert "<script" not in placeholder and placeholder.count('"') == 6  # only its own quotes
    assert arguments(f"<p>{placeholder}</p>", Slot.REFERENCE_TEXT) == [HOSTILE]
    seen: list[str] = []
    out = fill(placeholder, {Slot.REFERENCE_TEXT: lambda arg: seen.append(arg) or "[ref]"})
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
    assert fill(text, {Slot.SVG: lambda fid: f"<svg id='{fid}'/>"}) == "<p><svg id='mfig1'/></p>"


def test_every_slot_of_a_kind_is_filled_in_order_and_others_stay() -> None:
    text = "".join(slot(Slot.SVG, f"f{i}") for i in range(3)) + slot(Slot.REFERENCES)
    out = fill(text, {Slot.SVG: lambda fid: f"[{fid}]"})
    assert out == "[f0][f1][f2]" + slot(Slot.REFERENCES)
    assert arguments(text, Slot.SVG) == ["f0", "f1", "f2"] and arguments(text, Slot.REFERENCES) == [""]


def test_an_unknown_kind_is_left_as_it_is() -> None:
    text = '<span class="mechanisms-slot" data-slot="future-kind" data-arg="x"></span>'
    assert fill(text, {kind: lambda _: "!" for kind in Slot}) == text


def test_a_filler_output_is_not_filled_again_in_the_same_pass() -> None:
    nested = slot(Slot.SVG, "inner")
    out = fill(slot(Slot.SVG, "outer"), {Slot.SVG: lambda fid: nested if fid == "outer" else "X"})
    assert out == nested


def test_text_without_slots_is_returned_untouched() -> None:
    text = '<p>No slots here, only data-slot="svg" as text.</p>'
    assert fill(text, {Slot.SVG: lambda _: "X"}) is text
