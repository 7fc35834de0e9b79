"""Option values are checked before the plugin runs: colours, timeouts and paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import build_site, minimal_files, write_site
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs_mechanisms.config import MechanismsConfig
from mkdocs_mechanisms.errors import MechanismsError
from mkdocs_mechanisms.options import Options


def validate(**options: object) -> tuple[list, list]:
    config = MechanismsConfig()
    config.load_dict(options)
    return config.validate()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"graphviz_timeout": True}, "greater than 0, got True"),
        ({"graphviz_timeout": 0}, "greater than 0, got 0"),
        ({"graphviz_timeout": -1}, "greater than 0, got -1"),
        ({"graphviz_timeout": "10"}, "greater than 0, got '10'"),
        ({"colours": {"drugg": {"light": "#fff"}}}, "unknown node kind 'drugg' (did you mean 'drug'?)"),
        ({"colours": {"drug": {"light": "red;}body{display:none"}}}, "is not a CSS colour"),
        ({"colours": {"drug": {"dark": "url(https://evil.example/x)"}}}, "is not a CSS colour"),
        ({"cache_dir": ""}, "expected a relative path, got ''"),
        ({"references_page": ""}, "expected a relative path"),
        ({"references_page": "../../evil.md"}, "without '..'"),
        ({"references_page": "/etc/refs.md"}, "without '..'"),
        ({"references_page": "refs.html"}, "must end in '.md'"),
        ({"glossary_dir": "../outside"}, "without '..'"),
    ],
)
def test_wrong_values_are_refused(options: dict, message: str) -> None:
    errors, _ = validate(**options)
    assert errors and message in str(errors[0][1]), errors


def test_good_values_pass() -> None:
    errors, _ = validate(
        graphviz_timeout=2.5,
        colours={"drug": {"light": "#fde2e4", "dark": "rgb(92 43 51 / 80%)"}, "cell": {"light": "teal"}},
        cache_dir=".cache/x",
        references_page="sources/refs.md",
    )
    assert errors == []


def test_diagrams_dir_inside_docs_is_named(tmp_path: Path, build_error) -> None:
    cfg = write_site(
        tmp_path, minimal_files(), "site_name: T\nplugins:\n  - mechanisms:\n      diagrams_dir: docs\n"
    )
    error = build_error(cfg)
    assert "diagrams_dir: 'docs' overlaps docs_dir" in error and "unknown key" not in error


def test_colours_css_holds_only_colours(tmp_path: Path) -> None:
    site = build_site(
        tmp_path,
        minimal_files(),
        "site_name: T\nplugins:\n  - mechanisms:\n      colours:\n        drug: {light: '#123456', dark: teal}\n",
    )
    css = (site.site / "assets/mechanisms/colours.css").read_text(encoding="utf-8")
    assert "--mechanisms-drug-fill: #123456;" in css and "--mechanisms-drug-fill: teal;" in css
    assert css.index("@media screen") < css.index("teal")  # paper always gets the light colours


@pytest.mark.parametrize(
    "options",
    [
        {"link": "sometimes"},
        {"engine": "dott"},
        {"tooltips": "yes"},
        {"graphviz_timeout": 0},
        {"figure_label": "Fig\x1b"},
        {"outside_article": "plugin/*"},
        {"references_page": "refs.html"},
        {"colours": {"drug": {"dark": "url(x)"}}},
        {"colours": {"drugg": {}}},
    ],
)
def test_mkdocs_says_what_every_other_host_says(options: dict) -> None:
    """One check per option: MkDocs' message is the one `check` and the Zensical host print."""
    errors, _ = validate(**options)
    (name,) = options
    with pytest.raises(MechanismsError) as raised:
        Options.from_mapping(options)
    (problem,) = raised.value.problems
    where = problem.path.removeprefix(f"plugins.mechanisms.{name}").lstrip(".")
    hint = f" ({problem.suggestion})" if problem.suggestion else ""
    assert [(key, str(error)) for key, error in errors] == [
        (name, (f"{where}: " if where else "") + problem.message + hint)
    ]


def test_mkdocs_names_the_file_and_line_of_a_wrong_option(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A user's mistake under MkDocs reads as under `check` and Zensical: file:line, then the message."""
    cfg = write_site(
        tmp_path, minimal_files(), "site_name: T\nplugins:\n  - mechanisms:\n      link: frist\n"
    )
    with pytest.raises(Abort):
        load_config(str(cfg))
    assert (
        "option 'link': mkdocs.yml:4: 'frist' is not one of first, all, none (did you mean 'first'?)"
        in caplog.text
    )


def test_mkdocs_suggests_the_option_a_misspelt_name_meant(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    config = (
        "site_name: T\nplugins:\n  - search\n  - mechanisms:\n      link: all\n      walkthru_open: true\n"
    )
    cfg = write_site(tmp_path, minimal_files(), config)
    load_config(str(cfg))  # MkDocs only warns of an unknown name (--strict stops)
    assert (
        "option 'walkthru_open': mkdocs.yml:6: unknown option (did you mean 'walkthrough_open'?)"
        in caplog.text
    )
    assert "Unrecognised configuration name" not in caplog.text


def test_an_inherited_option_is_named_at_its_own_file(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "base.yml").write_text("plugins:\n  - mechanisms:\n      tooltips: 'yes'\n", encoding="utf-8")
    cfg = write_site(tmp_path, minimal_files(), "INHERIT: base.yml\nsite_name: T\n")
    with pytest.raises(Abort):
        load_config(str(cfg))
    assert "option 'tooltips': base.yml:3: expected true or false, got 'yes'" in caplog.text
