"""The options, defined once: every host checks ``plugins: - mechanisms:`` the same way, from one table."""

from __future__ import annotations

import json
from dataclasses import fields
from pathlib import Path
from typing import get_origin, get_type_hints

import pytest
import yaml
from mkdocs_mechanisms.errors import MechanismsError
from mkdocs_mechanisms.options import SPECS, Colour, Options, extension_settings


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
        "site/mkdocs.yml: plugins.mechanisms.tooltips: expected true or false, got 'yes'",
        "site/mkdocs.yml: plugins.mechanisms.graphviz_timeout: expected a number of seconds greater than 0, got True",
        "site/mkdocs.yml: plugins.mechanisms.engine: 'dott' is not one of dot, neato, fdp, circo, twopi, osage"
        " (did you mean 'dot'?)",
        "site/mkdocs.yml: plugins.mechanisms.figure_label: expected text, got 3",
    ]


@pytest.mark.parametrize("value", [0, -1, "10", None])
def test_a_timeout_is_a_positive_number(value: object) -> None:
    assert problems({"graphviz_timeout": value}) == [
        f"mkdocs.yml: plugins.mechanisms.graphviz_timeout: expected a number of seconds greater than 0, got {value!r}"
    ]


def test_a_bool_option_is_not_a_number_and_a_number_is_not_a_bool() -> None:
    assert problems({"walkthrough_open": 1})[0].endswith("expected true or false, got 1")
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
        (
            {"drug": {"light": "red;}body{display:none"}},
            "colours.drug.light: 'red;}body{display:none' is not",
        ),
        (
            {"drug": {"dark": "url(https://evil.example/x)"}},
            "colours.drug.dark: 'url(https://evil.example/x)' is",
        ),
        ({"drug": {"dark": 3}}, "colours.drug.dark: 3 is not a CSS colour (use e.g. '#fde2e4', 'teal'"),
        ({"drug": {"ligth": "#fff"}}, "colours.drug: expected {light: '#hex', dark: '#hex'}"),
        ({"drug": "#fff"}, "colours.drug: expected {light: '#hex', dark: '#hex'}"),
        (["drug"], "colours: expected a mapping of node kind to {light: …, dark: …}"),
    ],
)
def test_a_colour_that_is_not_a_colour_is_refused(colours: object, message: str) -> None:
    found = problems({"colours": colours})
    assert len(found) == 1 and found[0].startswith("mkdocs.yml: plugins.mechanisms.colours")
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


def test_the_figure_label_refuses_noncharacters() -> None:
    assert problems({"figure_label": "Fig\uffff"}) == [
        "mkdocs.yml: plugins.mechanisms.figure_label: Unicode noncharacter U+FFFF in text"
    ]


# -- one definition: every host's form of the options derives from options.SPECS ------------------


def disagreements(
    config_class: type, extension: dict[str, list[object]], schema: dict[str, object]
) -> list[str]:
    """Where MkDocs' config class, the extension's config or the JSON Schema differ from the table."""
    from mkdocs_mechanisms.config import FromSpec
    from mkdocs_mechanisms.markdown import EXTENSION_ONLY

    found: list[str] = []
    table = {spec.name: spec for spec in SPECS}
    mkdocs = dict(config_class._schema)
    if list(mkdocs) != list(table):
        found.append(f"MkDocs options {list(mkdocs)} != {list(table)}")
    for name, item in mkdocs.items():
        if not isinstance(item, FromSpec) or item.spec is not table.get(name):
            found.append(f"MkDocs option {name} is not made from the table")
        elif item.default != table[name].default:
            found.append(f"MkDocs default of {name}: {item.default!r}")
    alone = extension_settings()
    expected = ["base_dir", *alone, *EXTENSION_ONLY]
    if list(extension) != expected:
        found.append(f"extension settings {list(extension)} != {expected}")
    for name, (default, _help, _none) in alone.items():
        if extension.get(name, [None])[0] != default:
            found.append(f"extension default of {name}: {extension.get(name)!r}")
    if set(EXTENSION_ONLY) & set(table) or "base_dir" in table:
        found.append(f"extension-only settings shadow options: {set(EXTENSION_ONLY) & set(table)}")
    properties = schema["properties"]
    assert isinstance(properties, dict)
    if list(properties) != list(table):
        found.append(f"schema properties {list(properties)} != {list(table)}")
    for name, spec in table.items():
        if name in properties and properties[name].get("default") != spec.written:
            found.append(f"schema default of {name}: {properties[name].get('default')!r}")
    return found


def test_mkdocs_the_extension_and_the_schema_derive_from_one_table() -> None:
    from mkdocs_mechanisms.config import MechanismsConfig
    from mkdocs_mechanisms.markdown import MechanismsExtension
    from mkdocs_mechanisms.schema import options_schema

    assert disagreements(MechanismsConfig, MechanismsExtension().config, options_schema()) == []


def test_an_option_added_in_one_place_only_is_caught() -> None:
    """The agreement check is not vacuous: a hand-written option in any one form fails it."""
    from mkdocs.config import config_options as c
    from mkdocs_mechanisms.config import MechanismsConfig
    from mkdocs_mechanisms.markdown import MechanismsExtension
    from mkdocs_mechanisms.schema import options_schema

    class Extra(MechanismsConfig):
        dark_mode = c.Type(bool, default=False)

    extension, schema = MechanismsExtension().config, options_schema()
    assert disagreements(Extra, extension, schema)
    assert disagreements(MechanismsConfig, {**extension, "dark_mode": [False, "x"]}, schema)
    assert disagreements(MechanismsConfig, {**extension, "engine": ["neato", "x"]}, schema)
    properties = {**schema["properties"], "dark_mode": {"type": "boolean"}}
    assert disagreements(MechanismsConfig, extension, {**schema, "properties": properties})


def test_every_option_reads_its_own_default_to_its_python_type() -> None:
    """Each check returns what its field holds (a tuple for a list, a float for seconds, ...)."""
    hints = get_type_hints(Options)
    for spec in SPECS:
        value = spec.check.read(spec.written)
        assert value == spec.default, spec.name
        kind = get_origin(hints[spec.name]) or hints[spec.name]
        assert isinstance(value, kind), (spec.name, value, kind)


def test_every_host_reads_the_defaults_to_the_same_options(tmp_path: Path) -> None:
    """MkDocs' validation, mkdocs.yml and zensical.toml read by the Zensical host and check, alone."""
    from mkdocs_mechanisms.config import MechanismsConfig, read_options
    from mkdocs_mechanisms.markdown import MechanismsExtension, standalone_options
    from mkdocs_mechanisms.siteconfig import read_config

    written = {spec.name: spec.written for spec in SPECS}
    config = MechanismsConfig()
    config.load_dict(written)
    assert config.validate() == ([], [])
    assert read_options(config) == Options()
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump({"plugins": [{"mechanisms": written}]}))
    assert read_config(tmp_path / "mkdocs.yml").options() == Options()
    toml = "[project.plugins.mechanisms]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in written.items())
    (tmp_path / "zensical.toml").write_text(toml)
    assert read_config(tmp_path / "zensical.toml").options() == Options()
    alone = standalone_options(MechanismsExtension().getConfigs())
    differs = {f.name for f in fields(Options) if getattr(alone, f.name) != getattr(Options(), f.name)}
    assert differs == {"glossary_dir", "bibliography"}  # relative to base_dir, not to a docs folder


def test_a_mistake_names_the_file_and_line_that_sets_the_option(tmp_path: Path) -> None:
    """With INHERIT the nearest file naming the option is named; in zensical.toml its own line."""
    from mkdocs_mechanisms.siteconfig import read_config

    (tmp_path / "base.yml").write_text(
        "site_name: S\nplugins:\n  - search\n  - mechanisms:\n      lnk: all\n"
    )
    (tmp_path / "mkdocs.yml").write_text("INHERIT: base.yml\nsite_name: T\n")
    with pytest.raises(MechanismsError) as raised:
        read_config(tmp_path / "mkdocs.yml").options()
    assert [str(p) for p in raised.value.problems] == [
        "base.yml:5: plugins.mechanisms.lnk: unknown option (did you mean 'link'?)"
    ]
    (tmp_path / "zensical.toml").write_text(
        '[project]\nsite_name = "T"\n\n[project.plugins.mechanisms]\nlink = "all"\nengine = "dott"\n'
    )
    with pytest.raises(MechanismsError) as raised:
        read_config(tmp_path / "zensical.toml").options()
    assert [str(p) for p in raised.value.problems] == [
        "zensical.toml:6: plugins.mechanisms.engine: 'dott' is not one of dot, neato, fdp, circo, twopi, osage"
        " (did you mean 'dot'?)"
    ]


def test_the_extension_alone_checks_its_settings_as_the_hosts_do() -> None:
    from mkdocs_mechanisms.markdown import MechanismsExtension, standalone_options

    settings = {**MechanismsExtension().getConfigs(), "engine": "dott", "glossary_dir": "../x"}
    with pytest.raises(MechanismsError) as raised:
        standalone_options(settings)
    assert [str(p) for p in raised.value.problems] == [
        "extension_configs: mkdocs_mechanisms.markdown.glossary_dir: '../x' must be a relative path inside its"
        " folder, without '..'",
        "extension_configs: mkdocs_mechanisms.markdown.engine: 'dott' is not one of dot, neato, fdp, circo,"
        " twopi, osage (did you mean 'dot'?)",
    ]
    off = standalone_options({**MechanismsExtension().getConfigs(), "figure_label": "", "bibliography": ""})
    assert off.figure_numbering is False and off.bibliography == "-"


def test_an_extensions_settings_are_its_own() -> None:
    """Python-Markdown writes a setting into its list: one instance's must not become the next one's default."""
    from mkdocs_mechanisms.markdown import MechanismsExtension

    MechanismsExtension(glossary_url="/g/{slug}/", engine="neato", state="x.json")
    assert MechanismsExtension().getConfigs() == {
        "base_dir": ".",
        **{name: default for name, (default, _help, _none) in extension_settings().items()},
        "glossary_url": "glossary/{slug}/",
        "state": "",
        "fingerprint": "",
    }
