"""Only real CSS colours reach the generated stylesheet: anything else would be CSS of its own."""

from __future__ import annotations

import pytest
from mkdocs_mechanisms.colours import NAMED, is_css_colour


@pytest.mark.parametrize(
    "value",
    [
        "#abc",
        "#abcd",
        "#aabbcc",
        "#aabbccdd",
        "RebeccaPurple",
        "transparent",
        "currentColor",
        " teal ",
        "rgb(250, 220, 228)",
        "rgba(0 0 0 / 50%)",
        "hsl(120deg 50% 50%)",
        "hwb(0.5turn 10% 0%)",
        "oklch(0.7 0.1 200 / 0.5)",
        "lab(50% -20 1e1)",
        "lch(none 10 20)",
    ],
)
def test_css_colours(value: str) -> None:
    assert is_css_colour(value)


@pytest.mark.parametrize(
    "value",
    [
        "#abcde",
        "#ggg",
        "rde",
        "red;",
        "red;}body{display:none",
        "rgb(1,2,3);x",
        "rgb(1 2 3) }",
        "rgb(calc(1))",
        "rgb(1 2 3",
        "rgb(attr(x))",
        "rgb(red 0 0)",
        "color(srgb 1 0 0)",
        "var(--x)",
        "url(https://evil.example/x)",
        "expression(alert(1))",
        "teal /* */",
        "</style><script>",
        "",
        "   ",
    ],
)
def test_not_css_colours(value: str) -> None:
    assert not is_css_colour(value)


def test_the_named_colours_are_css_level_4_lower_case() -> None:
    assert len(NAMED) == 148 + 2  # CSS Color 4's named colours, transparent and currentcolor
    assert all(name == name.lower() and name.isalpha() for name in NAMED)
