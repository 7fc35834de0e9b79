"""The host-free options: every host checks ``plugins: - mechanisms:`` the same way."""

from __future__ import annotations

from dataclasses import fields

import pytest
from mkdocs_mechanisms.errors import MechanismsError
from mkdocs_mechanisms.options import Colour, Options


def problems(data: dict[str, object], source: str = "mkdocs.yml") -> list[str]:
    with pytest.raises(MechanismsError) as raised:
        Options.from_mapping(data, source)
    return [str(p) for p in raised.value.problems]


def test_no_mapping_gives_every_default() -> None:
    assert Options.from_mapping(None) == Options.from_mapping({}) == Options()
    assert Options().glossary == "glossary" and Options().figure_label == "Figure"


def test_options_are_checked_like_mkdocs_does() -> None:
    assert Options.from_mapping({"link": "all", "graphviz_timeout": 5}).graphviz_timeout == 5.0
    text = "\n".join(problems({"lnk": "all", "link": "some"}))
    assert "plugins.mechanisms.lnk: unknown option (did you mean 'link'?)" in text
    assert "'some' is not one of first, all, none" in text


def test_every_mistake_is_reported_at_once_naming_the_file_and_option() -> None:
    found = problems(
        {"tooltips": "yes", "graphviz_timeout": True, "engine": "dott", "figure_label": 3},
        "site/mkdocs.yml",
    )
    assert found == [
        "site/mkdocs.yml: plugins.mechanisms.tooltips: expected bool, got 'yes'",
        "site/mkdocs.yml: plugins.mechanisms.graphviz_timeout: expected number, got True",
        "site/mkdocs.yml: plugins.mechanisms.engine: 'dott' is not one of dot, neato, fdp, circo, twopi, osage"
        " (did you mean 'dot'?)",
        "site/mkdocs.yml: plugins.mechanisms.figure_label: expected text, got 3",
    ]


@pytest.mark.parametrize("value", [0, -1, "10", None])
def test_a_timeout_is_a_positive_number(value: object) -> None:
    assert problems({"graphviz_timeout": value}) == [
        f"mkdocs.yml: plugins.mechanisms.graphviz_timeout: expected number, got {value!r}"
    ]


def test_a_bool_option_is_not_a_number_and_a_number_is_not_a_bool() -> None:
    assert problems({"walkthrough_open": 1})[0].endswith("expected bool, got 1")
    assert Options.from_mapping({"walkthrough_open": True}).walkthrough_open is True


def test_outside_article_is_a_list_of_patterns() -> None:
    assert Options.from_mapping({"outside_article": ["plugin/*", "about.md"]}).outside_article == (
        "plugin/*",
        "about.md",
    )
    assert problems({"outside_article": "plugin/*"}) == [
        "mkdocs.yml: plugins.mechanisms.outside_article: expected a list of glob patterns, got 'plugin/*'"
    ]
    assert "got ['a', 1]" in problems({"outside_article": ["a", 1]})[0]


def test_colours_are_read_per_node_kind() -> None:
    options = Options.from_mapping({"colours": {"drug": {"light": "#fde2e4", "dark": "teal"}, "cell": {}}})
    assert options.colours == {"drug": Colour("#fde2e4", "teal"), "cell": Colour()}


@pytest.mark.parametrize(
    ("colours", "message"),
    [
        ({"drugg": {"light": "#fff"}}, "colours: unknown node kind 'drugg' (did you mean 'drug'?)"),
        ({"drug": {"light": "red;}body{display:none"}}, "colours.drug: colours must be CSS colours"),
        ({"drug": {"dark": "url(https://evil.example/x)"}}, "colours.drug: colours must be CSS colours"),
        ({"drug": {"dark": 3}}, "colours.drug: colours must be CSS colours"),
        ({"drug": {"ligth": "#fff"}}, "colours.drug: expected {light: '#hex', dark: '#hex'}"),
        ({"drug": "#fff"}, "colours.drug: expected {light: '#hex', dark: '#hex'}"),
        (["drug"], "expected a mapping of node kind to {light: …, dark: …}"),
    ],
)
def test_a_colour_that_is_not_a_colour_is_refused(colours: object, message: str) -> None:
    found = problems({"colours": colours})
    assert len(found) == 1 and found[0].startswith("mkdocs.yml: plugins.mechanisms.colours: ")
    assert message in found[0]


@pytest.mark.parametrize("label", ["Fig\x07", "Fig\u202e", "\x1b[2J"])
def test_the_figure_label_refuses_invisible_characters(label: str) -> None:
    code = f"U+{ord(next(ch for ch in label if not ch.isalnum())):04X}"
    assert problems({"figure_label": label}) == [
        f"mkdocs.yml: plugins.mechanisms.figure_label: invisible control character {code} in text"
    ]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("references_page", "../../evil.md", "must be a relative path inside its folder, without '..'"),
        ("references_page", "/etc/refs.md", "without '..'"),
        ("references_page", "refs.html", "'refs.html' must end in '.md'"),
        ("glossary_dir", "../outside", "without '..'"),
        ("bibliography", "C:/refs.bib", "without '..'"),
        ("bibliography", "", "expected a relative path, got ''"),
        ("glossary_dir", "terms/../../b", "without '..'"),
    ],
)
def test_paths_stay_inside_their_folder_as_under_mkdocs(key: str, value: str, message: str) -> None:
    """Zensical's preparation writes the references page where this says: never outside the docs."""
    found = problems({key: value})
    assert len(found) == 1 and f"plugins.mechanisms.{key}: " in found[0] and message in found[0]


def test_paths_are_kept_in_posix_form() -> None:
    options = Options.from_mapping({"references_page": " sources\\refs.md ", "glossary_dir": "terms/"})
    assert options.references_page == "sources/refs.md"
    assert options.glossary_dir == "terms" and options.glossary == "terms"


def test_every_option_has_the_same_default_under_mkdocs() -> None:
    """A new option must reach both hosts: MkDocs' config class and this one agree on names and defaults."""
    from mkdocs_mechanisms.config import MechanismsConfig

    config = MechanismsConfig()
    config.load_dict({})
    errors, _ = config.validate()
    assert errors == []
    ours = {f.name: getattr(Options(), f.name) for f in fields(Options)}
    theirs = Options.from_mapping(dict(config))
    assert set(dict(config)) == set(ours)
    assert theirs == Options()


def test_the_figure_label_refuses_noncharacters() -> None:
    assert problems({"figure_label": "Fig\uffff"}) == [
        "mkdocs.yml: plugins.mechanisms.figure_label: Unicode noncharacter U+FFFF in text"
    ]
