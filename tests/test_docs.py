"""The user documentation stays true to the code.

README.md and the manual under docs/plugin/ show pathway files, options and
error messages; these tests load every example with the real loader and
compare every table with the package, so the documentation cannot drift.
"""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import pytest
import yaml
from mkdocs_mechanisms import pages, schema
from mkdocs_mechanisms.cite import Bibliography
from mkdocs_mechanisms.config import MechanismsConfig
from mkdocs_mechanisms.load import check_pathway_refs, load_pathway
from mkdocs_mechanisms.markdown import MechanismsExtension
from mkdocs_mechanisms.model import NODE_KINDS, RELATIONS, TERM_KINDS
from mkdocs_mechanisms.options import SPECS
from mkdocs_mechanisms.termpage import load_term

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
MANUAL = REPO / "docs" / "plugin"
PACKAGE = REPO / "plugin" / "mkdocs_mechanisms"
MANUAL_PAGES = sorted(MANUAL.glob("*.md"))

_CODE_BLOCK = re.compile(
    r"^(?P<fence>`{3,}|~{3,})(?P<lang>[^\n`]*)\n(?P<body>.*?)^(?P=fence)[ \t]*$", re.M | re.S
)
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")


# -- helpers ------------------------------------------------------------------------------------------


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _section(text: str, heading: str) -> str:
    """The text under a Markdown heading, up to the next heading of the same or a higher level."""
    match = re.search(rf"^(#+) {re.escape(heading)}[ \t]*(?:\{{[^}}]*\}})?[ \t]*$", text, re.M)
    assert match, f"heading {heading!r} not found"
    level = len(match.group(1))
    rest = text[match.end() :]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.M)
    return rest[: end.start()] if end else rest


def _code_blocks(text: str) -> list[tuple[str, str]]:
    """Fenced code blocks at the top level: ``(language, body)``."""
    return [(m.group("lang").strip(), m.group("body")) for m in _CODE_BLOCK.finditer(text)]


def _indented_blocks(text: str) -> list[str]:
    """Indented (four-space) code blocks, dedented: the manual shows literal fences this way."""
    blocks, current = [], []
    previous_blank = True
    for line in [*text.splitlines(), ""]:
        if line.startswith("    ") and (current or previous_blank):
            current.append(line)
        elif not line.strip() and current:
            current.append("")
        else:
            if current:
                blocks.append(textwrap.dedent("\n".join(current)).strip("\n") + "\n")
                current = []
        previous_blank = not line.strip()
    return blocks


def _split_row(line: str) -> list[str]:
    """Cells of a Markdown table row; a ``|`` inside a code span does not split."""
    cells, cell, pos = [], "", 0
    body = line.strip().strip("|")
    while pos < len(body):
        span = _CODE_SPAN.match(body, pos)
        if span:
            cell += span.group(0)
            pos = span.end()
        elif body[pos] == "|":
            cells.append(cell.strip())
            cell, pos = "", pos + 1
        else:
            cell += body[pos]
            pos += 1
    cells.append(cell.strip())
    return cells


def _table(text: str) -> list[list[str]]:
    """Body rows of the first table in ``text`` (header and rule left out)."""
    rows: list[str] = []
    for line in text.splitlines():
        if line.lstrip().startswith("|"):
            rows.append(line)
        elif rows:
            break
    assert len(rows) > 2, "no table found"
    return [_split_row(row) for row in rows[2:]]


def _spans(cell: str) -> list[str]:
    return [m.group(2).strip() for m in _CODE_SPAN.finditer(cell)]


def _inline_pathways(text: str) -> list[tuple[int, str]]:
    """``(line, body)`` of every pathway fence whose body is a whole pathway."""
    found = []
    for fence in pages.find_fences(text):
        if fence.kind == "pathway" and fence.body.lstrip().startswith("---"):
            found.append((fence.line, textwrap.dedent(fence.body)))
    return found


@pytest.fixture(scope="module")
def site_terms() -> set[str]:
    return {p.stem for p in (REPO / "docs" / "glossary").glob("*.md") if p.name != "index.md"}


@pytest.fixture(scope="module")
def site_keys() -> set[str]:
    bib = REPO / "docs" / "references.bib"
    return set(Bibliography.from_bibtex(_text(bib), "docs/references.bib").references)


@pytest.fixture(scope="module")
def package_source() -> str:
    return "\n".join(_text(p) for p in sorted(PACKAGE.rglob("*.py")))


def _check_refs(pathway, terms: set[str], keys: set[str]) -> None:
    problems = check_pathway_refs(pathway, terms=terms, citations=keys)
    assert not problems, "\n".join(map(str, problems))


# -- pathway examples ---------------------------------------------------------------------------------


def test_manual_pages_exist_and_are_in_the_nav() -> None:
    names = {p.name for p in MANUAL_PAGES}
    expected = {
        "index.md",
        "configuration.md",
        "pathways.md",
        "glossary-and-citations.md",
        "embedding.md",
        "troubleshooting.md",
        "zensical.md",
        "identifiers.md",
    }
    assert expected <= names
    nav = _text(REPO / "mkdocs.yml")
    assert "Using the plugin" in nav
    for name in expected:
        assert f"plugin/{name}" in nav, f"plugin/{name} is missing from nav"


def test_readme_example_pathway_loads(site_terms: set[str], site_keys: set[str]) -> None:
    section = _section(_text(README), "Pathway file format")
    blocks = [body for lang, body in _code_blocks(section) if lang in ("yaml", "markdown", "md")]
    assert blocks, "no example under 'Pathway file format'"
    example = blocks[0]
    if not example.lstrip().startswith("---"):
        example = f"---\n{example}---\n"
    pathway = load_pathway(example, "readme.md")
    assert pathway.nodes and pathway.edges and pathway.caption
    _check_refs(pathway, site_terms, site_keys)


def test_readme_example_is_a_shortened_article_pathway() -> None:
    section = _section(_text(README), "Pathway file format")
    example = next(body for lang, body in _code_blocks(section) if lang in ("yaml", "markdown", "md"))
    readme = load_pathway(example, "readme.md")
    original = REPO / "diagrams" / f"{readme.id}.md"
    assert original.is_file(), f"the README example should be a real pathway, not {readme.id!r}"
    full = load_pathway(_text(original), f"diagrams/{original.name}")
    assert set(readme.nodes) <= set(full.nodes)
    assert {(e.source, e.target, e.rel) for e in readme.edges} <= {
        (e.source, e.target, e.rel) for e in full.edges
    }


@pytest.mark.parametrize("page", MANUAL_PAGES, ids=lambda p: p.name)
def test_inline_pathways_in_the_manual_load(page: Path, site_terms: set[str], site_keys: set[str]) -> None:
    text = _text(page)
    for line, body in _inline_pathways(text):
        pathway = load_pathway(body.strip() + "\n", f"{page.name}:{line}")
        assert pathway.caption, f"{page.name}:{line}: an inline figure needs a caption"
        _check_refs(pathway, site_terms, site_keys)


@pytest.mark.parametrize("page", [*MANUAL_PAGES, README], ids=lambda p: p.name)
def test_literal_examples_in_the_manual_load(page: Path) -> None:
    """Fences shown as code (indented, or nested in a longer fence) are valid too."""
    text = _text(page)
    sources = _indented_blocks(text) + [body for _, body in _code_blocks(text)]
    for source in sources:
        for fence in pages.find_fences(source):
            body = textwrap.dedent(fence.body)
            if fence.kind == "pathway" and body.lstrip().startswith("---"):
                load_pathway(body.strip() + "\n", page.name.lower())


@pytest.mark.parametrize("page", [*MANUAL_PAGES, README], ids=lambda p: p.name)
def test_example_files_in_the_manual_load(page: Path) -> None:
    """Whole pathway files and glossary pages shown in ```markdown blocks are valid."""
    for lang, body in _code_blocks(_text(page)):
        if lang not in ("markdown", "md") or not body.startswith("---\n"):
            continue
        if re.search(r"^nodes:", body, re.M):
            load_pathway(body, f"{page.name.lower()}")
        elif re.search(r"^term:", body, re.M):
            load_term(body, "docs/glossary/example.md")


def test_pathways_page_illustrates_every_kind_and_relation() -> None:
    page = MANUAL / "pathways.md"
    kinds: set[str] = set()
    rels: set[str] = set()
    for line, body in _inline_pathways(_text(page)):
        pathway = load_pathway(body.strip() + "\n", f"pathways.md:{line}")
        kinds |= {n.kind for n in pathway.nodes.values()}
        rels |= {e.rel for e in pathway.edges}
    assert kinds == set(NODE_KINDS)
    assert rels == set(RELATIONS)
    for rel in RELATIONS:
        assert re.search(rf"^### {re.escape(rel)}$", _text(page), re.M), f"no section for {rel}"


@pytest.mark.parametrize("doc", [README, MANUAL / "pathways.md"], ids=lambda p: p.name)
def test_vocabulary_tables_match_the_model(doc: Path) -> None:
    text = _text(doc)
    rel_rows = {_spans(row[0])[0]: row for row in _table(_section(text, "Relations")) if _spans(row[0])}
    assert set(rel_rows) == set(RELATIONS)
    for name, row in rel_rows.items():
        relation = RELATIONS[name]
        assert row[1].startswith(relation.meaning), f"{name}: meaning {row[1]!r}"
        assert row[2] == (relation.sbgn if relation.sbgn != "none" else "none"), (
            f"{name}: SBGN arc {row[2]!r}"
        )
        assert row[3] == relation.drawn_as, f"{name}: drawn as {row[3]!r}"
    kind_rows = {_spans(row[0])[0] for row in _table(_section(text, "Node kinds")) if _spans(row[0])}
    assert kind_rows == set(NODE_KINDS)


def test_every_node_key_is_in_the_readme_and_the_manual() -> None:
    readme_row = next(row for row in _table(_text(README)) if _spans(row[0]) == ["nodes"])
    assert set(re.findall(r"[a-z-]+", readme_row[2].split("`")[1].split(":", 1)[1])) == set(schema.NODE_KEYS)
    manual = _table(_section(_text(MANUAL / "pathways.md"), "Nodes"))
    assert {_spans(row[0])[0] for row in manual if _spans(row[0])} == set(schema.NODE_KEYS)


def test_the_readme_names_every_glossary_kind() -> None:
    text = _section(_text(README), "Node kinds")
    named = set(re.findall(r"`([a-z]+)`", text))
    assert set(TERM_KINDS) <= named, set(TERM_KINDS) - named


# -- error messages -------------------------------------------------------------------------------------


def _fragment_pattern(fragment: str) -> re.Pattern[str]:
    """``…`` in a documented message stands for any text on the same line."""
    return re.compile(r"[^\n]*?".join(re.escape(part) for part in fragment.split("…")))


def _message_fragments(table_text: str) -> list[str]:
    fragments = []
    for row in _table(table_text):
        spans = _spans(row[0])
        assert spans, f"row without a message in code: {row[0]!r}"
        fragments.extend(spans)
    return fragments


@pytest.mark.parametrize(
    ("doc", "heading"),
    [(MANUAL / "troubleshooting.md", "Error messages"), (README, "Troubleshooting")],
    ids=["manual", "readme"],
)
def test_documented_error_messages_exist_in_the_package(doc: Path, heading: str, package_source: str) -> None:
    fragments = _message_fragments(_section(_text(doc), heading))
    assert len(fragments) >= 25
    missing = [f for f in fragments if not _fragment_pattern(f).search(package_source)]
    assert not missing, f"documented but not in the package source: {missing}"


def test_troubleshooting_examples_follow_the_message_format() -> None:
    rows = _table(_section(_text(MANUAL / "troubleshooting.md"), "Error messages"))
    for row in rows:
        assert len(row) == 4, row
        fragment, example = _spans(row[0])[0], _spans(row[1])
        assert example, f"{fragment}: no example"
        for part in fragment.split("…"):
            assert part.strip(" '") in example[0], (
                f"example of {fragment!r} does not contain it: {example[0]!r}"
            )


# -- options ---------------------------------------------------------------------------------------------


def _option_rows(text: str) -> dict[str, str]:
    return {_spans(row[0])[0]: row[1] for row in _table(text) if _spans(row[0])}


def _documented_default(cell: str) -> object:
    spans = _spans(cell)
    return yaml.safe_load(spans[0] if spans else cell)


@pytest.mark.parametrize(
    ("doc", "heading"),
    [(MANUAL / "configuration.md", "Options"), (README, "Configuration")],
    ids=["manual", "readme"],
)
def test_every_option_is_documented_with_its_default(doc: Path, heading: str) -> None:
    rows = _option_rows(_section(_text(doc), heading))
    schema = {spec.name: spec.written for spec in SPECS}
    assert set(rows) == set(schema), (
        f"undocumented: {set(schema) - set(rows)}, unknown: {set(rows) - set(schema)}"
    )
    for name, default in schema.items():
        assert _documented_default(rows[name]) == default, f"{name}: default {rows[name]!r}"


def test_full_configuration_example_is_valid_and_complete() -> None:
    section = _section(_text(MANUAL / "configuration.md"), "A full example")
    block = next(body for lang, body in _code_blocks(section) if lang == "yaml")
    config = yaml.safe_load(block)
    entry = next(p for p in config["plugins"] if isinstance(p, dict) and "mechanisms" in p)
    options = entry["mechanisms"]
    assert set(options) == set(dict(MechanismsConfig._schema))
    checked = MechanismsConfig()
    checked.load_dict(options)
    failed, warnings = checked.validate()
    assert not failed and not warnings, (failed, warnings)


def test_every_yaml_snippet_of_the_manual_parses() -> None:
    for page in MANUAL_PAGES:
        for lang, body in _code_blocks(_text(page)):
            if lang == "yaml":
                yaml.safe_load(body)


def test_markdown_extension_options_are_documented() -> None:
    rows = _option_rows(_section(_text(MANUAL / "zensical.md"), "Options"))
    config = MechanismsExtension().getConfigs()
    assert set(rows) == set(config)
    for name, default in config.items():
        documented = _documented_default(rows[name])
        assert documented == default or (default == "" and documented is None), f"{name}: {rows[name]!r}"


_MESSAGE_CALLS = {
    "Problem": 3,
    "problem": 1,  # OptionPlaces.problem(option, message, hint)
    "add": 1,
    "ValidationError": 0,
    "OptionError": 0,
    "IdentifierError": 0,
    "_error": 0,
    "_warn": 0,
}
"""Calls whose argument at that index is a message a user reads: problems, option errors (an
``OptionError`` per kind of value, every host; MkDocs' ``ValidationError``), identifier errors), the command line's and the Zensical command's own lines."""
_PREFIXES = ("mkdocs-mechanisms: ", "ERROR   -  mechanisms: ", "WARNING -  mechanisms: ")


def _message_templates() -> list[tuple[str, str]]:
    """Every message the package shows a user, with ``…`` for the parts it fills in.

    Found by reading the source: ``Problem(…)`` and the checkers' ``add(…)``, MkDocs option
    errors, identifier errors, ``OptionError`` of the options (they become problems everywhere),
    and what the commands print to standard error.
    """

    def template(node: ast.expr) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.JoinedStr):
            return "".join(v.value if isinstance(v, ast.Constant) else "…" for v in node.values)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return (template(node.left) or "…") + (template(node.right) or "…")
        return None

    def to_stderr(node: ast.Call) -> bool:
        return any(k.arg == "file" and ast.unparse(k.value) == "sys.stderr" for k in node.keywords)

    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            index = _MESSAGE_CALLS.get(name)
            if name == "print" and to_stderr(node):
                index = 0
            if index is None or len(node.args) <= index:
                continue
            arg = node.args[index]
            for part in [arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else [arg]:
                text = template(part)
                for prefix in _PREFIXES:
                    text = text.removeprefix(prefix) if text else text
                if text and text.strip("…: ") and not text.startswith("…: error: "):
                    found.append((f"{path.name}:{node.lineno}", text))
    return found


def test_every_message_is_on_the_troubleshooting_page() -> None:
    """The other direction: every message the package can show a user must be documented."""
    fragments = _message_fragments(_section(_text(MANUAL / "troubleshooting.md"), "Error messages"))
    patterns = [_fragment_pattern(f) for f in fragments]
    templates = _message_templates()
    assert len(templates) >= 80
    for module in ("styles.py", "options.py", "option_types.py", "identifiers.py", "zensical.py", "cli.py"):
        assert any(where.startswith(module + ":") for where, _t in templates), module
    missing = [(where, t) for where, t in templates if not any(p.search(t) for p in patterns)]
    assert not missing, f"messages missing from docs/plugin/troubleshooting.md: {missing}"


def test_the_manual_says_fences_in_admonitions_tabs_and_lists_are_figures() -> None:
    """They render as figures (tests/test_plugin.py, tests/test_host_parity.py); the manual once said code."""
    surprises = _section(_text(MANUAL / "troubleshooting.md"), "Surprises that are not errors")
    paragraph = surprises[surprises.index("**A fence shows as a code block") :].split("\n\n")[0]
    works = paragraph[: paragraph.index("stays code")]
    for place in ("admonitions", "content tabs", "list items"):
        assert place in works, paragraph
