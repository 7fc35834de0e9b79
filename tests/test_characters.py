"""Characters no published text may hold: which ones, and the words a problem uses for each."""

from __future__ import annotations

import pytest
from mkdocs_mechanisms.characters import INVISIBLE, NONCHARACTER, character_message


@pytest.mark.parametrize(
    ("char", "message"),
    [
        ("\x1b", "invisible control character U+001B in text"),
        ("\x85", "invisible control character U+0085 in text"),
        ("\u202e", "invisible control character U+202E in text"),
        ("\u2066", "invisible control character U+2066 in text"),
        ("\ufdd0", "Unicode noncharacter U+FDD0 in text"),
        ("\uffff", "Unicode noncharacter U+FFFF in text"),
        ("\U0010fffe", "Unicode noncharacter U+10FFFE in text"),
    ],
)
def test_each_refused_character_is_found_and_named(char: str, message: str) -> None:
    found = INVISIBLE.search(f"a{char}b")
    assert found is not None and found.group() == char
    assert character_message(char) == message


@pytest.mark.parametrize("char", ["\t", "\n", "\r", " ", "é", "→", "\u00a0", "\U0001f600", "\ufffd"])
def test_ordinary_text_and_white_space_are_kept(char: str) -> None:
    assert INVISIBLE.search(char) is None and NONCHARACTER.search(char) is None
