"""The keys of every source format, described once, and the JSON Schemas made from them.

The loader takes its key lists from the tables below, and the JSON Schemas
that editors and CI use are generated from the same tables and the model's
vocabulary, so a key cannot be added to one and forgotten in the other.
The schemas are shipped in the package (``schemas/*.schema.json``, kept in
step by a test) and published by every site at ``schemas/<name>.schema.json``.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from .model import CERTAINTIES, ID_PATTERN, NODE_KINDS, RELATIONS, TERM_KINDS

SITE = "https://mkdocs-mechanisms.github.io/mkdocs-mechanisms/"
"""Where this project's own site, and so the canonical copy of each schema, lives."""
SCHEMA_DIR = "schemas"
"""Folder of the schemas in the package and in every built site."""
NAMES = ("pathway", "glossary", "options")
DIALECT = "https://json-schema.org/draft/2020-12/schema"


@dataclass(frozen=True)
class Key:
    """One key of a source format: its JSON Schema, whether it is required, and what it means."""

    schema: Mapping[str, Any]
    description: str
    required: bool = False


_TEXT: dict[str, Any] = {"type": ["string", "number"]}
_ID: dict[str, Any] = {"type": "string", "pattern": ID_PATTERN.pattern}
_KEYS: dict[str, Any] = {
    "anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}],
}
_CURIES: dict[str, Any] = {
    "anyOf": [
        {"$ref": "#/$defs/curie"},
        {"type": "array", "items": {"$ref": "#/$defs/curie"}, "uniqueItems": True},
    ]
}
_CERTAINTY: dict[str, Any] = {"enum": list(CERTAINTIES)}
_EVIDENCE: dict[str, Any] = {
    "anyOf": [
        {"$ref": "#/$defs/eco"},
        {"type": "array", "items": {"$ref": "#/$defs/eco"}, "uniqueItems": True},
    ]
}

PATHWAY_KEYS: dict[str, Key] = {
    "id": Key(_ID, "Pathway id, unique on the site; defaults to the file name."),
    "title": Key({"type": "string", "minLength": 1}, "The figure's title.", required=True),
    "short": Key({"type": "string"}, "A short name for comparison keys and headings."),
    "cite": Key(_KEYS, "Citation keys of the sources of the figure as a whole."),
    "certainty": Key(
        _CERTAINTY,
        "How established the mechanism as a whole is, as its sources state it; the default of every edge.",
    ),
    "evidence": Key(_EVIDENCE, "Evidence and Conclusion Ontology codes for the figure as a whole."),
    "regions": Key(
        {
            "type": "object",
            "propertyNames": _ID,
            "additionalProperties": {
                "anyOf": [{"type": "string"}, {"type": "null"}, {"$ref": "#/$defs/region"}]
            },
        },
        "Brain regions or compartments, drawn as (nested) boxes: id → {label, parent}.",
    ),
    "nodes": Key(
        {
            "type": "object",
            "minProperties": 1,
            "propertyNames": _ID,
            "additionalProperties": {"$ref": "#/$defs/node"},
        },
        "The entities of the pathway: id → {label, kind, …}.",
        required=True,
    ),
    "edges": Key(
        {"type": "array", "items": {"$ref": "#/$defs/edge"}},
        "The typed interactions, numbered in this order in the walkthrough.",
    ),
    "caption": Key(
        {"type": "string"},
        "The figure's caption (Markdown). In a .md file it may be the body's first paragraph instead.",
    ),
    "explanation": Key(
        {"type": "string"},
        "The explanation on the pathway's page (Markdown). In a .md file it may be the rest of the body instead.",
    ),
}

REGION_KEYS: dict[str, Key] = {
    "label": Key(_TEXT, "The region's name, drawn at the top of its box."),
    "parent": Key(_ID, "The id of the region this one sits inside."),
}

NODE_KEYS: dict[str, Key] = {
    "label": Key(_TEXT, "The text in the node.", required=True),
    "kind": Key({"enum": list(NODE_KINDS)}, "What the node is; sets its shape.", required=True),
    "term": Key(_ID, "Slug of the glossary page the node links to."),
    "region": Key(_ID, "Id of the region the node is drawn in."),
    "on": Key(_ID, "Glossary slug of the cell the entity sits on."),
    "same-as": Key(_TEXT, "Identity key for comparisons between pathways."),
    "note": Key(_TEXT, "Extra text for the node's tooltip."),
    "identifiers": Key(_CURIES, "Database identifiers (CURIEs) added to those of the node's term."),
}

EDGE_KEYS: dict[str, Key] = {
    "from": Key(_ID, "Id of the node the interaction starts at.", required=True),
    "to": Key(_ID, "Id of the node the interaction acts on.", required=True),
    "rel": Key({"enum": list(RELATIONS)}, "The relation; sets line and arrowhead.", required=True),
    "cite": Key(_KEYS, "Citation keys of the sources of this step."),
    "note": Key(_TEXT, "What the step means, shown in the walkthrough and tooltip."),
    "certainty": Key(
        _CERTAINTY,
        "How established this step is, as its sources state it: drawn, said and exported with it.",
    ),
    "evidence": Key(_EVIDENCE, "Evidence and Conclusion Ontology codes for this step, e.g. ECO:0000304."),
}

TERM_KEYS: dict[str, Key] = {
    "term": Key({"type": "string", "minLength": 1}, "The term as displayed.", required=True),
    "aliases": Key(_KEYS, "Other names that link to this page."),
    "kind": Key({"enum": list(TERM_KINDS)}, "What the term names.", required=True),
    "summary": Key({"type": "string", "minLength": 1}, "One sentence, the term's tooltip.", required=True),
    "link": Key({"type": "boolean"}, "false keeps the term out of automatic linking."),
    "identifiers": Key(_CURIES, "Database identifiers of the entity as CURIEs, e.g. CHEBI:6121."),
}

_CURIE_DEF: dict[str, Any] = {
    "type": "string",
    "pattern": r"^[A-Za-z][A-Za-z0-9._-]*:\S+$",
    "description": "A compact identifier PREFIX:ID; the prefix must be known to the Bioregistry.",
    "examples": ["CHEBI:6121", "HGNC:1033", "uniprot:P23560", "iuphar.receptor:6", "mesh:D007649"],
}


_ECO_DEF: dict[str, Any] = {
    "type": "string",
    "pattern": r"^ECO:[0-9]{7}$",
    "description": "A term of the Evidence and Conclusion Ontology as a CURIE.",
    "examples": ["ECO:0000304", "ECO:0000305", "ECO:0000303"],
}


def _object(keys: Mapping[str, Key], title: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object"}
    if title:
        out["title"] = title
    out["properties"] = {name: {**key.schema, "description": key.description} for name, key in keys.items()}
    required = [name for name, key in keys.items() if key.required]
    if required:
        out["required"] = required
    out["additionalProperties"] = False
    return out


def _document(name: str, title: str, description: str, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": DIALECT,
        "$id": url(name),
        "title": title,
        "description": description,
        **body,
    }


def pathway_schema() -> dict[str, Any]:
    """JSON Schema of a pathway: the front matter of ``diagrams/<id>.md``, or all of ``<id>.yml``."""
    return _document(
        "pathway",
        "mkdocs-mechanisms pathway",
        "A pathway file: the YAML front matter of diagrams/<id>.md, or a whole diagrams/<id>.yml file.",
        {
            **_object(PATHWAY_KEYS),
            "$defs": {
                "region": _object(REGION_KEYS, "Region"),
                "node": _object(NODE_KEYS, "Node"),
                "edge": _object(EDGE_KEYS, "Edge"),
                "curie": _CURIE_DEF,
                "eco": _ECO_DEF,
            },
        },
    )


def glossary_schema() -> dict[str, Any]:
    """JSON Schema of the front matter of a glossary page ``docs/glossary/<slug>.md``."""
    return _document(
        "glossary",
        "mkdocs-mechanisms glossary page",
        "The YAML front matter of a glossary page, docs/glossary/<slug>.md.",
        {**_object(TERM_KEYS), "$defs": {"curie": _CURIE_DEF}},
    )


def options_schema(config_class: type) -> dict[str, Any]:
    """JSON Schema of the plugin's options, read from the typed MkDocs config class.

    ``config_class`` is ``config.MechanismsConfig``: the options' types,
    choices and defaults are read from its option objects and the
    descriptions from the docstrings under them, so the class stays the one
    place where an option is declared.
    """
    docs = _attribute_docs(config_class)
    properties: dict[str, Any] = {}
    for name, option in getattr(config_class, "_schema", ()):
        entry = _option_schema(option)
        if name in docs:
            entry["description"] = docs[name]
        properties[name] = entry
    return _document(
        "options",
        "mkdocs-mechanisms plugin options",
        "Options under `plugins: - mechanisms:` in mkdocs.yml. Every option has a default.",
        {"type": "object", "properties": properties, "additionalProperties": False},
    )


_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number", dict: "object", list: "array"}


def _option_schema(option: Any) -> dict[str, Any]:
    """Duck-typed reading of MkDocs' config options (no MkDocs import in this module)."""
    kind = type(option).__name__
    out: dict[str, Any] = {}
    if kind == "Optional":
        inner = _option_schema(option.option)
        return {"anyOf": [inner, {"type": "null"}]} if "type" in inner or "enum" in inner else inner
    if kind == "Choice":
        out["enum"] = list(option.choices)
    elif kind in ("Type", "Label"):
        types = option._type if isinstance(option._type, tuple) else (option._type,)
        names = list(dict.fromkeys(_JSON_TYPES[t] for t in types if t in _JSON_TYPES))
        if names == ["integer", "number"]:
            names = ["number"]
        out["type"] = names[0] if len(names) == 1 else names
    elif kind == "ListOfItems":
        out["type"] = "array"
        out["items"] = _option_schema(option.option_type)
    elif kind in ("DictOfItems", "ColoursByKind"):
        out["type"] = "object"
        out["additionalProperties"] = _option_schema(option.option_type)
        if kind == "ColoursByKind":
            out["propertyNames"] = {"enum": list(NODE_KINDS)}
    elif kind == "RelativePath":
        out["type"] = "string"
        out["minLength"] = 1
        if option.suffix:
            out["pattern"] = re.escape(option.suffix) + "$"
    elif kind == "PositiveNumber":
        out["type"] = "number"
        out["exclusiveMinimum"] = 0
    elif kind == "Colour":
        out["type"] = "string"
    elif kind == "SubConfig":
        sub = option.config_class
        out = {
            "type": "object",
            "properties": {n: _option_schema(o) for n, o in getattr(sub, "_schema", ())},
            "additionalProperties": False,
        }
    default = getattr(option, "default", None)
    if default is not None and kind != "SubConfig":
        out["default"] = default
    return out


def _attribute_docs(cls: type) -> dict[str, str]:
    """The string literal under each ``name = …`` line of a class body (attribute docstrings)."""
    try:
        tree = ast.parse(inspect.getsource(inspect.getmodule(cls)))  # type: ignore[arg-type]
    except (OSError, TypeError):
        return {}
    docs: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef) and node.name == cls.__name__:
            body = node.body
            for first, second in itertools.pairwise(body):
                if (
                    isinstance(first, ast.Assign)
                    and isinstance(first.targets[0], ast.Name)
                    and isinstance(second, ast.Expr)
                    and isinstance(second.value, ast.Constant)
                    and isinstance(second.value.value, str)
                ):
                    docs[first.targets[0].id] = " ".join(second.value.value.split()).replace("``", "`")
    return docs


def url(name: str, site: str = SITE) -> str:
    """The stable URL of one schema under a site: ``<site>schemas/<name>.schema.json``."""
    return f"{site.rstrip('/')}/{SCHEMA_DIR}/{name}.schema.json"


def generate(config_class: type) -> dict[str, str]:
    """Every schema as formatted JSON text, by name."""
    schemas = {
        "pathway": pathway_schema(),
        "glossary": glossary_schema(),
        "options": options_schema(config_class),
    }
    return {name: json.dumps(schema, indent=2, ensure_ascii=False) + "\n" for name, schema in schemas.items()}


def shipped(name: str) -> str:
    """The schema file shipped in the package."""
    return (files("mkdocs_mechanisms") / SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8")
