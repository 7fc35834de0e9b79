"""The payload matrix: every text surface × every hostile payload, in a few site builds.

Surfaces: every free-text field of a pathway (ids and enums are refused by their
patterns, so they are left out), glossary front matter, page titles, bibliography
fields and keys, figure captions and the plugin's text options. Each payload is
either shown as text only, or refused with one clear message naming the file; a
traceback is never an answer. ``tests/browser/test_payload_matrix.py`` loads the
same sites in Chromium.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import MINIMAL_PATHWAY, Site, minimal_files, write_site
from hostile import (
    PAYLOADS,
    REFUSED,
    SHOWN,
    bib_entry,
    live_payloads,
    number,
    pathway_text,
    payload,
    yaml_str,
)
from hosts import serve_build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from test_hostile import _material


@pytest.fixture(scope="module")
def matrix(matrix_built: dict[str, Site]) -> dict[str, Site]:
    """Both matrix sites: the session's one build, which Chromium reads too (``conftest.py``)."""
    return matrix_built


class _Text(HTMLParser):
    """The text a reader sees: text nodes and attribute values, entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts += [value for _, value in attrs if value]

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _text(html_text: str) -> str:
    parser = _Text()
    parser.feed(html_text)
    parser.close()
    return "\n".join(parser.parts)


@pytest.mark.parametrize("group", ["pathways", "pages"])
def test_no_payload_is_live_on_any_built_page(matrix: dict[str, Site], group: str) -> None:
    site = matrix[group].site
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > len(SHOWN)
    live = {
        f"{path.relative_to(site).as_posix()} [{name}]": found
        for path in pages
        for name in PAYLOADS
        if (found := live_payloads(path.read_text(encoding="utf-8"), number(name)))
    }
    assert live == {}


@pytest.mark.parametrize("name", SHOWN)
def test_every_field_shows_its_payload_as_text(matrix: dict[str, Site], name: str) -> None:
    p = payload(name)
    pathways, pages = matrix["pathways"], matrix["pages"]
    seen = {
        "pathway page": (_text(pathways.page(f"pathways/p-{name}/")), "TABRNE"),
        "embedding page": (_text(pathways.page("figures/")), "TSABE"),
        "term page": (_text(pages.page(f"glossary/t-{name}/")), ["Term", "Summary"]),
        "page": (_text(pages.page(f"page-{name}/")), ["Page"]),
    }
    missing = [
        f"{where}: {field}"
        for where, (text, fields) in seen.items()
        for field in fields
        if f"{field} {p}" not in text
    ]
    assert missing == []
    label = " ".join(payload(shown) for shown in SHOWN)
    assert f"{label} 1." in _text(pathways.page("figures/")), "figure_label"


# -- cells that refuse their payload: one clear message naming the file, never a traceback -------------


def _errors(build_error, root: Path, files: dict[str, str], config: str = "") -> str:
    error = build_error(write_site(root, files, config))
    assert "Traceback" not in error
    return error


def test_text_fields_refuse_control_and_bidi_characters_naming_the_file(tmp_path: Path, build_error) -> None:
    files = minimal_files()
    for name in REFUSED:
        files[f"diagrams/r-{name}.md"] = pathway_text(name, payload(name), markdown=True)
        p = yaml_str("X " + payload(name))
        files[f"docs/glossary/r-{name}.md"] = (
            f"---\nterm: {p}\naliases: [{p}]\nkind: drug\nsummary: {p}\n---\nText.\n"
        )
    error = _errors(build_error, tmp_path, files)
    for name in REFUSED:
        char = f"U+{ord(next(c for c in payload(name) if not c.isprintable())):04X}"
        for field in (
            "2: title",
            "3: short",
            "6: regions.pfc.label",
            "8: nodes.a.label",
            "8: nodes.a.note",
            "8: nodes.a.same-as",
            "9: nodes.b.label",
            "11: edges[0].note",
        ):
            assert f"diagrams/r-{name}.md:{field}: invisible control character {char}" in error
        for field in ("2: term", "3: aliases[0]", "5: summary"):
            assert f"docs/glossary/r-{name}.md:{field}: invisible control character {char}" in error


def test_hostile_bibliography_keys_are_refused_naming_the_file(tmp_path: Path, build_error) -> None:
    files = minimal_files()
    keys = {name: "k" + payload(name).replace(" ", "") for name in SHOWN if name not in ("graphviz",)}
    files["docs/references.bib"] += "".join(bib_entry(key, "plain") for key in keys.values())
    files["diagrams/x-blocks-y.md"] = MINIMAL_PATHWAY.replace(
        "cite: [smith2020]", "cite: [smith2020, " + ", ".join(yaml_str(k) for k in keys.values()) + "]", 1
    )
    error = _errors(build_error, tmp_path, files)
    lines = [line for line in error.splitlines() if not line.endswith("the build stopped")]
    assert lines and all(
        "docs/references.bib:" in line or "diagrams/x-blocks-y.md:" in line for line in lines
    )


def test_a_latex_command_in_a_bibliography_field_is_one_message(tmp_path: Path, build_error) -> None:
    files = minimal_files()
    files["docs/references.bib"] += bib_entry("gv", payload("graphviz"))
    files["docs/index.md"] += "\nAlso [@gv].\n"
    error = _errors(build_error, tmp_path, files)
    assert (
        "docs/references.bib:18: gv: cannot decode the LaTeX commands '\\N', '\\G', '\\E', '\\T' in fields "
        in error
    )
    assert error.count("cannot decode") == 1  # one entry, one message (the note field is never read)


@pytest.mark.parametrize(
    "option",
    [
        'figure_label: "Fig\\u202e"',
        "colours: {drug: {light: 'red;}body{display:none'}}",
        "colours: {drug: {dark: '\"><script>alert(1)</script>'}}",
        "graphviz_timeout: '<script>'",
    ],
)
def test_hostile_option_values_are_refused_naming_the_option(
    tmp_path: Path, option: str, caplog: pytest.LogCaptureFixture
) -> None:
    config = _material().replace("  - mechanisms\n", f"  - mechanisms:\n      {option}\n")
    cfg = write_site(tmp_path, minimal_files(), config)
    with pytest.raises(Abort):
        load_config(str(cfg))
    assert "Plugin 'mechanisms' option" in caplog.text and "Traceback" not in caplog.text


def test_the_host_free_options_refuse_an_invisible_character_in_the_figure_label() -> None:
    from mkdocs_mechanisms.errors import MechanismsError
    from mkdocs_mechanisms.options import Options

    with pytest.raises(MechanismsError) as raised:
        Options.from_mapping({"figure_label": "Fig\x07"})
    assert "mkdocs.yml: plugins.mechanisms.figure_label: invisible control character U+0007 in text" in str(
        raised.value
    )


def _bib_with_refused_payloads() -> tuple[dict[str, str], dict[str, int]]:
    """The minimal site with every refused payload in every field of an entry and in a key."""
    files = minimal_files()
    bib, lines = files["docs/references.bib"], {}
    for name in sorted(REFUSED):
        lines[name] = bib.count("\n") + 1
        bib += bib_entry(f"f-{name}", payload(name))
        lines[f"key-{name}"] = bib.count("\n") + 1
        bib += bib_entry(f"k{payload(name)[:4]}x", "plain")
    files["docs/references.bib"] = bib
    cites = ", ".join(f"f-{name}" for name in sorted(REFUSED))
    files["diagrams/x-blocks-y.md"] = MINIMAL_PATHWAY.replace(
        "cite: [smith2020]", f"cite: [smith2020, {cites}]", 1
    )
    files["docs/index.md"] += "\n" + " ".join(f"[@f-{name}]" for name in sorted(REFUSED)) + "\n"
    return files, lines


def test_bibliography_fields_and_keys_refuse_control_and_bidi_characters_by_line(
    tmp_path: Path, build_error
) -> None:
    files, lines = _bib_with_refused_payloads()
    error = _errors(build_error, tmp_path, files)
    for name in REFUSED:
        char = f"U+{ord(next(c for c in payload(name) if not c.isprintable())):04X}"
        first = lines[name]
        for offset, field in ((1, "author"), (2, "title"), (3, "journal"), (5, "note")):
            assert (
                f"docs/references.bib:{first + offset}: f-{name}.{field}: invisible control character {char} in text"
            ) in error, error
        assert f"docs/references.bib:{lines[f'key-{name}']}: citation key '" in error
    assert "holds an invisible control character" in error and "unknown citation key" not in error


def test_exports_stay_well_formed_when_a_bibliography_holds_control_characters(tmp_path: Path) -> None:
    import json
    import xml.dom.minidom

    files, _lines = _bib_with_refused_payloads()
    site = serve_build(write_site(tmp_path, files))
    for export in ("x-blocks-y.svg", "x-blocks-y.sbgn"):
        xml.dom.minidom.parse(str(site / "pathways" / export))  # raises on a control character
    json.loads((site / "pathways/x-blocks-y.json").read_text(encoding="utf-8"))
    for page in ("index.html", "references/index.html", "pathways/x-blocks-y/index.html"):
        text = (site / page).read_text(encoding="utf-8")
        assert not any(ch in text for ch in "\x00\x07\x1b\u202e"), page
    references = (site / "references/index.html").read_text(encoding="utf-8")
    assert "Title a" in references and 'class="mechanisms-error' in references  # kept, and the box says why
