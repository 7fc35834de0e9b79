"""Front matter: splitting, positions kept for every key path, safe YAML only."""

from __future__ import annotations

import datetime

import pytest
import yaml
from mkdocs_mechanisms.errors import MechanismsError
from mkdocs_mechanisms.frontmatter import (
    Located,
    format_path,
    parse_yaml,
    read_front_matter,
    split_front_matter,
)


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ((), ""),
        (("title",), "title"),
        (("edges", 2, "to"), "edges[2].to"),
        (("nodes", "ampa-receptor", "kind"), "nodes.ampa-receptor.kind"),
        (("edges", 0, "cite", 1), "edges[0].cite[1]"),
    ],
)
def test_format_path(path: tuple[str | int, ...], expected: str) -> None:
    assert format_path(path) == expected


def test_split_front_matter_returns_yaml_body_and_body_line() -> None:
    text = "---\ntitle: T\nid: x\n---\nCaption.\n\nMore.\n"
    assert split_front_matter(text, "d.md") == ("title: T\nid: x\n", "Caption.\n\nMore.\n", 5)


def test_split_front_matter_accepts_bom_dots_and_crlf() -> None:
    assert split_front_matter("\ufeff---\na: 1\n...\nbody", "d.md") == ("a: 1\n", "body", 4)
    assert split_front_matter("---\r\na: 1\r\n---\r\nbody", "d.md") == ("a: 1\r\n", "body", 4)


def test_split_front_matter_without_front_matter() -> None:
    assert split_front_matter("# Heading\n---\n", "d.md") == (None, "# Heading\n---\n", 1)
    assert split_front_matter("", "d.md") == (None, "", 1)


def test_unclosed_front_matter_is_a_problem_at_line_one() -> None:
    with pytest.raises(MechanismsError) as info:
        split_front_matter("---\ntitle: T\nbody\n", "diagrams/k.md")
    assert str(info.value) == "diagrams/k.md:1: front matter starts with '---' but has no closing '---' line"


def test_every_key_path_keeps_its_line() -> None:
    text = "title: T\nnodes:\n  a: {label: A, kind: drug}\n  b:\n    label: B\n    kind: cell\nedges:\n  - {from: a, to: b}\n  - from: b\n    to: a\n"
    located = parse_yaml(text, "d.md", first_line=2)
    assert located.value["nodes"]["b"] == {"label": "B", "kind": "cell"}
    assert located.line("title") == 2
    assert located.line("nodes", "a") == 4
    assert located.line("nodes", "a", "kind") == 4
    assert located.line("nodes", "b", "kind") == 7
    assert located.line("edges", 0, "to") == 9
    assert located.line("edges", 1) == 10
    assert located.line("edges", 1, "to") == 11


def test_line_of_unknown_path_falls_back_to_nearest_ancestor() -> None:
    located = parse_yaml("title: T\nnodes:\n  a: {label: A}\n", "d.md", first_line=2)
    assert located.line("nodes", "a", "kind", "deeper") == located.line("nodes", "a") == 4
    assert located.line("missing") == 2
    assert Located({}, {}).line("x") == 1


def test_on_key_is_text_not_true() -> None:
    located = parse_yaml("on: gabaergic-interneuron\nnodes:\n  on: {on: x}\n", "d.md")
    assert located.value == {"on": "gabaergic-interneuron", "nodes": {"on": {"on": "x"}}}
    assert True not in located.value


def test_values_keep_yaml_types() -> None:
    value = parse_yaml("a: yes\nb: 5\nc: 2020-01-01\nd: ~\n", "d.md").value
    assert value == {"a": True, "b": 5, "c": datetime.date(2020, 1, 1), "d": None}


def test_duplicate_key_is_a_problem_with_its_line() -> None:
    with pytest.raises(MechanismsError) as info:
        parse_yaml("nodes:\n  a: {label: A}\n  a: {label: B}\n", "diagrams/k.md", first_line=2)
    assert str(info.value) == (
        "diagrams/k.md:4: nodes.a: duplicate key 'a' (each key may appear once; remove or rename one of them)"
    )


def test_complex_key_is_a_problem() -> None:
    with pytest.raises(MechanismsError) as info:
        parse_yaml("? [a, b]\n: 1\n", "d.md", first_line=2)
    assert str(info.value) == "d.md:2: mapping keys must be plain text"


def test_yaml_syntax_error_names_the_line() -> None:
    with pytest.raises(MechanismsError) as info:
        parse_yaml("title: T\nnodes:\n  a: {label: A}\n b: x\n", "diagrams/k.md", first_line=2)
    (problem,) = info.value.problems
    assert problem.line == 5
    assert problem.message.startswith("YAML syntax error: ")
    assert problem.suggestion == "check indentation, colons and quotes on this line"


def test_python_tags_are_not_constructed(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    called: list[object] = []
    monkeypatch.setattr(os, "system", lambda *a: called.append(a) or 0)
    for text in ('a: !!python/object/apply:os.system "echo x"\n', "a: !!python/name:os.system\n"):
        with pytest.raises(MechanismsError) as info:
            parse_yaml(text, "d.md")
        assert "tag:yaml.org,2002:python/" in str(info.value)
    assert called == []


def test_read_front_matter_requires_a_mapping() -> None:
    with pytest.raises(MechanismsError) as info:
        read_front_matter("---\n- a\n- b\n---\n", "d.md")
    assert str(info.value) == "d.md:2: front matter must be a mapping of keys to values"


def test_read_front_matter_empty_and_missing() -> None:
    located, body, line = read_front_matter("---\n---\nbody\n", "d.md")
    assert (located.value, body, line) == ({}, "body\n", 3)
    located, body, line = read_front_matter("just text\n", "d.md")
    assert (located.value, body, line) == ({}, "just text\n", 1)


def test_a_large_front_matter_without_aliases_is_read() -> None:
    nodes = "".join(f"  n{i}: {{label: N{i}, kind: drug}}\n" for i in range(5000))
    edges = "".join(f"  - {{from: n{i}, to: n{i + 1}, rel: activates}}\n" for i in range(4999))
    located = parse_yaml(f"nodes:\n{nodes}edges:\n{edges}", "diagrams/big.md")
    assert len(located.value["nodes"]) == 5000 and len(located.value["edges"]) == 4999


def test_merge_key_values_are_overridden_by_written_keys() -> None:
    located = parse_yaml("base: &b {label: A, kind: drug}\nn: {<<: *b, label: B}\n", "d.md")
    assert located.value["n"] == {"label": "B", "kind": "drug"}
    with pytest.raises(MechanismsError, match="duplicate key 'label'"):
        parse_yaml("n: {<<: {kind: drug}, label: A, label: B}\n", "d.md")


@pytest.mark.parametrize(
    "text",
    [
        "b: &b {kind: drug, label: B}\nc: &m {<<: *b, label: C}\nd: *m\n",
        "b: &b {kind: drug, label: B}\nc: &m {<<: *b, label: C}\ne: {<<: [*m, *b], note: x}\n",
        "b: &b {kind: drug, label: B}\nc: &m {<<: *b, label: C}\nf: &f {<<: *m}\ng: *f\n",
        "a: &a {x: 1}\nb: &b {x: 2, y: 2}\nc: {<<: [*a, *b], z: 3}\nd: {<<: [*b, *a]}\n",
        "a: &a {x: 1}\nb: &b {<<: *a, y: 2}\nc: &c {<<: *b, z: 3}\nd: [*c, *b, *a]\n",
    ],
    ids=["alias-of-merged", "list-order", "merged-twice", "nearest-wins", "chain"],
)
def test_anchors_aliases_and_merge_keys_read_as_yaml_defines_them(text: str) -> None:
    assert parse_yaml(text, "d.md").value == yaml.safe_load(text)
