"""JSON Schemas: made from the loader's own key tables, shipped in the package, published by the site."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from mkdocs_mechanisms import schema
from mkdocs_mechanisms.config import MechanismsConfig
from mkdocs_mechanisms.errors import MechanismsError
from mkdocs_mechanisms.frontmatter import parse_yaml, read_front_matter
from mkdocs_mechanisms.load import load_pathway
from mkdocs_mechanisms.termpage import load_term

REPO = Path(__file__).resolve().parent.parent
SITES = [REPO, REPO / "examples" / "caffeine", REPO / "plugin" / "mkdocs_mechanisms" / "scaffold"]


def validator(name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(json.loads(schema.shipped(name)))


def front_matter(path: Path) -> object:
    text = path.read_text(encoding="utf-8")
    if path.suffix in (".yml", ".yaml"):
        return parse_yaml(text, str(path), first_line=1).value
    return read_front_matter(text, str(path))[0].value


def test_shipped_schemas_are_the_generated_ones() -> None:
    generated = schema.generate()
    assert set(generated) == set(schema.NAMES)
    for name, text in generated.items():
        assert schema.shipped(name) == text, f"regenerate with: mkdocs-mechanisms schemas --write ({name})"
        jsonschema.Draft202012Validator.check_schema(json.loads(text))
        assert json.loads(text)["$id"] == f"{schema.SITE}schemas/{name}.schema.json"


@pytest.mark.parametrize("site", SITES, ids=["article", "caffeine", "starter"])
def test_every_pathway_and_glossary_file_of_the_repository_validates(site: Path) -> None:
    pathways = sorted((site / "diagrams").glob("*.md")) + sorted((site / "diagrams").glob("*.yml"))
    terms = sorted((site / "docs" / "glossary").glob("*.md"))
    assert pathways and terms
    for path in pathways:
        errors = [e.message for e in validator("pathway").iter_errors(front_matter(path))]
        assert errors == [], path
    for path in terms:
        errors = [e.message for e in validator("glossary").iter_errors(front_matter(path))]
        assert errors == [], path


GOOD = {
    "title": "T",
    "regions": {"pfc": {"label": "Prefrontal cortex"}, "sub": None},
    "nodes": {
        "a": {"label": "A", "kind": "drug", "identifiers": ["CHEBI:6121"]},
        "b": {"label": 5, "kind": "outcome"},
    },
    "certainty": "proposed",
    "evidence": "ECO:0000304",
    "edges": [
        {
            "from": "a",
            "to": "b",
            "rel": "leads-to",
            "cite": "key",
            "certainty": "hypothesis",
            "evidence": ["ECO:0000305"],
        }
    ],
}


@pytest.mark.parametrize(
    "change",
    [
        {"titel": "T"},
        {"title": None},
        {"nodes": {}},
        {"nodes": {"a": {"label": "A"}}},
        {"nodes": {"a": {"label": "A", "kind": "drugg"}}},
        {"nodes": {"A_1": {"label": "A", "kind": "drug"}}},
        {"nodes": {"a": {"label": "A", "kind": "drug", "colour": "red"}}},
        {"nodes": {"a": {"label": "A", "kind": "drug", "identifiers": ["ketamine"]}}},
        {"edges": [{"from": "a", "to": "b", "rel": "block"}]},
        {"edges": [{"from": "a", "rel": "blocks"}]},
        {"edges": {"from": "a"}},
        {"certainty": "certain"},
        {"edges": [{"from": "a", "to": "b", "rel": "blocks", "certainty": "likely"}]},
        {"edges": [{"from": "a", "to": "b", "rel": "blocks", "evidence": ["CHEBI:6121"]}]},
        {"evidence": "ECO:12"},
    ],
)
def test_schema_and_loader_reject_the_same_mistakes(change: dict) -> None:
    data = {**GOOD, **change}
    if data.get("title") is None:
        data.pop("title")
    assert list(validator("pathway").iter_errors(data)), change
    with pytest.raises(MechanismsError):
        load_pathway("---\n" + json.dumps(data) + "\n---\n", "diagrams/t.md")


def test_schema_and_loader_accept_the_same_file() -> None:
    assert list(validator("pathway").iter_errors(GOOD)) == []
    load_pathway("---\n" + json.dumps(GOOD) + "\n---\nCaption.\n", "diagrams/t.md")


def test_glossary_schema_matches_the_loader() -> None:
    good = {
        "term": "Ketamine",
        "kind": "drug",
        "summary": "A drug.",
        "identifiers": "CHEBI:6121",
        "link": False,
    }
    assert list(validator("glossary").iter_errors(good)) == []
    load_term("---\n" + json.dumps(good) + "\n---\n", "docs/glossary/ketamine.md")
    for bad in (
        {**good, "kind": "drugs"},
        {**good, "link": "no"},
        {"term": "K", "kind": "drug"},
        {**good, "alias": []},
    ):
        assert list(validator("glossary").iter_errors(bad)), bad
        with pytest.raises(MechanismsError):
            load_term("---\n" + json.dumps(bad) + "\n---\n", "docs/glossary/ketamine.md")


def test_options_schema_describes_every_option_with_its_default() -> None:
    options = json.loads(schema.shipped("options"))["properties"]
    assert set(options) == {name for name, _ in MechanismsConfig._schema}
    assert options["link"] == {
        "enum": ["first", "all", "none"],
        "default": "first",
        "description": "Link the first mention of each term per page, every mention, or none.",
    }
    assert options["graphviz_timeout"]["type"] == "number"
    assert options["colours"]["additionalProperties"]["properties"]["light"] == {
        "anyOf": [{"type": "string"}, {"type": "null"}]
    }
    check = validator("options")
    assert list(check.iter_errors({"link": "all", "colours": {"drug": {"light": "#fff"}}})) == []
    assert list(check.iter_errors({"link": "sometimes"}))
    assert list(check.iter_errors({"lnk": "all"}))


def test_site_publishes_the_schemas_at_stable_urls(tmp_path: Path) -> None:
    from conftest import build_site

    site = build_site(tmp_path)
    for name in schema.NAMES:
        assert site.html(f"schemas/{name}.schema.json") == schema.shipped(name)


YML = """\
# yaml-language-server: $schema=https://mkdocs-mechanisms.github.io/mkdocs-mechanisms/schemas/pathway.schema.json
title: Plain YAML
nodes:
  a: {label: A, kind: drug}
  b: {label: B, kind: outcome}
edges:
  - {from: a, to: b, rel: leads-to}
caption: The caption [@key].
explanation: |
  First paragraph of the explanation.

  Second paragraph.
"""


def test_plain_yaml_pathway_takes_caption_and_explanation_from_keys() -> None:
    p = load_pathway(YML, "diagrams/plain.yml")
    assert p.id == "plain"
    assert p.caption == "The caption [@key]."
    assert p.explanation == "First paragraph of the explanation.\n\nSecond paragraph."
    assert p.body_line == 8
    assert list(validator("pathway").iter_errors(parse_yaml(YML, "plain.yml", first_line=1).value)) == []


@pytest.mark.parametrize(
    ("text", "source", "expected"),
    [
        (
            YML.replace("  a: {label: A, kind: drug}", "  a: {label: A, kind: drog}"),
            "diagrams/p.yml",
            "diagrams/p.yml:4: nodes.a.kind: unknown node kind 'drog' (did you mean 'drug'?)",
        ),
        (
            "- a\n- b\n",
            "diagrams/p.yml",
            "diagrams/p.yml:1: a pathway file must be a mapping of keys to values",
        ),
        ("title: [unclosed\n", "diagrams/p.yml", "diagrams/p.yml:2: YAML syntax error"),
        (
            "---\ntitle: T\ncaption: C\nnodes:\n  a: {label: A, kind: drug}\n---\nA body too.\n",
            "diagrams/p.md",
            "diagrams/p.md:3: caption: 'caption:' is given and the file also has a body after its front matter",
        ),
        (
            "title: T\nexplanation: E\nnodes:\n  a: {label: A, kind: drug}\n",
            "diagrams/p.yml",
            "diagrams/p.yml:2: explanation: an explanation needs a caption",
        ),
    ],
)
def test_plain_yaml_pathway_mistakes_are_located(text: str, source: str, expected: str) -> None:
    with pytest.raises(MechanismsError) as caught:
        load_pathway(text, source)
    assert any(str(p).startswith(expected) for p in caught.value.problems), [
        str(p) for p in caught.value.problems
    ]
