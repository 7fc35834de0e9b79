"""The keys of every source format, described once, and the JSON Schemas made from them.

The loader takes its key lists from the tables below, and the JSON Schemas
that editors and CI use are generated from the same tables and the model's
vocabulary, so a key cannot be added to one and forgotten in the other.
The schemas are shipped in the package (``schemas/*.schema.json``, kept in
step by a test) and published by every site at ``schemas/<name>.schema.json``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from .model import CERTAINTIES, ID_PATTERN, NODE_KINDS, RELATIONS, TERM_KINDS
from .options import SPECS

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


def options_schema() -> dict[str, Any]:
    """JSON Schema of the plugin's options, read from the one table of options (:mod:`.options`)."""
    properties: dict[str, Any] = {}
    for spec in SPECS:
        properties[spec.name] = {
            **spec.check.schema(),
            "default": spec.written,
            "description": " ".join(spec.help.split()).replace("``", "`"),
        }
    return _document(
        "options",
        "mkdocs-mechanisms plugin options",
        "Options under `plugins: - mechanisms:` in mkdocs.yml. Every option has a default.",
        {"type": "object", "properties": properties, "additionalProperties": False},
    )


def url(name: str, site: str = SITE) -> str:
    """The stable URL of one schema under a site: ``<site>schemas/<name>.schema.json``."""
    return f"{site.rstrip('/')}/{SCHEMA_DIR}/{name}.schema.json"


def generate() -> dict[str, str]:
    """Every schema as formatted JSON text, by name."""
    schemas = {
        "pathway": pathway_schema(),
        "glossary": glossary_schema(),
        "options": options_schema(),
    }
    return {name: json.dumps(schema, indent=2, ensure_ascii=False) + "\n" for name, schema in schemas.items()}


def shipped(name: str) -> str:
    """The schema file shipped in the package."""
    return (files("mkdocs_mechanisms") / SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8")
