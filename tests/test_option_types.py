"""Each kind of option value: what it accepts, what it returns, its one message, its schema."""

from __future__ import annotations

import jsonschema
import pytest
from mkdocs_mechanisms.option_types import (
    Check,
    Colour,
    Colours,
    Flag,
    Label,
    OneOf,
    OptionError,
    Patterns,
    RelativePath,
    Seconds,
    Text,
)


def refused(check: Check, value: object) -> str:
    with pytest.raises(OptionError) as raised:
        check.read(value)
    return str(raised.value)


@pytest.mark.parametrize(
    ("check", "value", "read"),
    [
        (Flag(), False, False),
        (Text(), "x", "x"),
        (Label(), "Abbildung", "Abbildung"),
        (Seconds(), 5, 5.0),
        (OneOf(("a", "b")), "b", "b"),
        (RelativePath(".md"), " refs\\page.md ", "refs/page.md"),
        (Patterns(), ["a/*"], ("a/*",)),
        (Colours(), {"drug": {"light": " teal "}}, {"drug": Colour("teal", None)}),
    ],
)
def test_a_good_value_is_read_as_the_engine_uses_it_and_matches_its_schema(
    check: Check, value: object, read: object
) -> None:
    assert check.read(value) == read
    assert check.read(read) == read  # reading is idempotent: hosts may read twice
    if not isinstance(check, RelativePath):  # the schema sees the value as written, before normalising
        jsonschema.validate(value, check.schema())


@pytest.mark.parametrize(
    ("check", "value", "message"),
    [
        (Flag(), 1, "expected true or false, got 1"),
        (Text(), ["x"], "expected text, got ['x']"),
        (Seconds(), True, "expected a number of seconds greater than 0, got True"),
        (OneOf(("first", "all")), "frist", "'frist' is not one of first, all (did you mean 'first'?)"),
        (OneOf(("first", "all")), "zzz", "'zzz' is not one of first, all"),
        (OneOf(("first", "all")), 3, "3 is not one of first, all"),
        (Patterns(), "a/*", "expected a list of glob patterns, got 'a/*'"),
        (Colours(), {"cell": None}, "cell: expected {light: '#hex', dark: '#hex'}"),
        (Colours(), {"cell": {"dark": "x;y"}}, "cell.dark: 'x;y' is not a CSS colour (use e.g. '#fde2e4'"),
        (Colours(), {"cel": {}}, "unknown node kind 'cel' (did you mean 'cell'?)"),
    ],
)
def test_a_wrong_value_has_one_message(check: Check, value: object, message: str) -> None:
    assert refused(check, value).startswith(message)


def test_a_wrong_value_is_also_refused_by_the_schema() -> None:
    """What an editor flags while typing is what the build refuses."""
    for check, value in [
        (Flag(), "yes"),
        (Seconds(), 0),
        (OneOf(("a",)), "b"),
        (RelativePath(".md"), "x.txt"),
        (Colours(), {"cel": {}}),
    ]:
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(value, check.schema())
