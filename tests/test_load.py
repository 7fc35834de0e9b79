"""Pathway files → model: every mistake named with file, line, key and a suggestion."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from helpers_core import pathway, problems_of
from mkdocs_mechanisms.errors import MechanismsError
from mkdocs_mechanisms.load import (
    check_pathway_refs,
    load_pathway,
    pathway_id_from_path,
    read_pathway_parts,
)
from mkdocs_mechanisms.model import Edge, Node, Region

REPO = Path(__file__).resolve().parent.parent

GOOD = """\
---
title: Ketamine triggers a glutamate surge
cite: vollenweider2010
regions:
  pfc: {label: Prefrontal cortex}
  layer-v: {label: Layer V, parent: pfc}
  subcortex:
nodes:
  ketamine: Ketamine
  nmda-receptor:
    label: NMDA receptor
    term: nmda-receptor
    on: gabaergic-interneuron
    kind: receptor
    region: layer-v
  glutamate: {label: Glutamate, kind: transmitter, term: glutamate, region: pfc, same-as: glu, note: A note}
edges:
  - {from: nmda-receptor, to: glutamate, rel: leads-to, cite: ['@kadriu2021', vollenweider2010], note: Surge}
---
The caption.

The explanation.
"""


def test_good_pathway_loads_completely() -> None:
    text = GOOD.replace("  ketamine: Ketamine\n", "  ketamine: {label: Ketamine, kind: drug}\n")
    p = load_pathway(text, "diagrams/ketamine-surge.md")
    assert p.id == "ketamine-surge"  # defaults to the file name
    assert p.title == "Ketamine triggers a glutamate surge"
    assert p.cite == ("vollenweider2010",)  # a bare key reads as a one-item list
    assert p.regions == {
        "pfc": Region("pfc", "Prefrontal cortex", None, 5),
        "layer-v": Region("layer-v", "Layer V", "pfc", 6),
        "subcortex": Region("subcortex", "Subcortex", None, 7),
    }
    assert p.nodes["nmda-receptor"] == Node(
        "nmda-receptor",
        "NMDA receptor",
        "receptor",
        "nmda-receptor",
        "layer-v",
        "gabaergic-interneuron",
        None,
        "",
        11,
    )
    assert p.nodes["glutamate"].same_as == "glu"
    assert p.nodes["glutamate"].note == "A note"
    assert p.edges == [
        Edge("nmda-receptor", "glutamate", "leads-to", "Surge", ("kadriu2021", "vollenweider2010"), 18)
    ]
    assert p.caption == "The caption."
    assert p.explanation == "The explanation."
    assert p.body_line == 20
    assert p.all_citations() == ["vollenweider2010", "kadriu2021"]
    assert p.terms() == {"nmda-receptor", "glutamate"}


def test_explicit_id_wins_over_file_name() -> None:
    assert (
        pathway("id: my-id\ntitle: T\nnodes: {a: {label: A, kind: drug}}", "diagrams/other.md").id == "my-id"
    )
    assert pathway_id_from_path("diagrams/sub/x-y.md") == "x-y"


def test_the_article_pathways_load() -> None:
    files = sorted((REPO / "diagrams").glob("*.md"))
    assert files
    for path in files:
        p = load_pathway(path.read_text(encoding="utf-8"), f"diagrams/{path.name}")
        assert p.nodes and p.edges


# -- exact messages --------------------------------------------------------

UNKNOWN_NODE = """\
---
id: k
title: Ketamine
nodes:
  glutamate: {label: Glutamate, kind: transmitter, term: glutamate}
  ampa-receptor: {label: AMPA receptor, kind: receptor, term: ampa-receptor}
  bdnf: {label: BDNF, kind: protein, term: bdnf}
edges:
  - {from: glutamate, to: ampa-receptor, rel: activates}
  - {from: ampa-receptor, to: bdnf, rel: increases}
  - from: glutamate
    rel: activates
    note: the typo is on the next line
    to: ampa-receptr
---
"""


def test_unknown_node_exact_message() -> None:
    assert problems_of(UNKNOWN_NODE) == [
        "diagrams/k.md:14: edges[2].to: unknown node 'ampa-receptr' (did you mean 'ampa-receptor'?)"
    ]


def test_unknown_from_node_names_from() -> None:
    text = "---\ntitle: T\nnodes:\n  bdnf: {label: BDNF, kind: protein}\nedges:\n  - {from: bdfn, to: bdnf, rel: activates}\n---\n"
    assert problems_of(text) == ["diagrams/k.md:6: edges[0].from: unknown node 'bdfn' (did you mean 'bdnf'?)"]


def test_yaml_syntax_error_exact_message() -> None:
    text = "---\ntitle: T\nnodes:\n  a: {label: A, kind: drug}\n b: x\n---\n"
    # libyaml (used when PyYAML has it) and pure-Python PyYAML word the problem differently
    assert problems_of(text) in (
        [
            "diagrams/k.md:5: YAML syntax error: expected <block end>, but found '<block mapping start>' "
            "(while parsing a block mapping) (check indentation, colons and quotes on this line)"
        ],
        [
            "diagrams/k.md:5: YAML syntax error: did not find expected key "
            "(while parsing a block mapping) (check indentation, colons and quotes on this line)"
        ],
    )


def test_yaml_syntax_error_unclosed_quote_line() -> None:
    text = "---\ntitle: T\nnodes:\n  a: {label: 'A, kind: drug}\n---\n"
    (problem,) = problems_of(text)
    assert problem.startswith("diagrams/k.md:5: YAML syntax error: found unexpected end of stream")


def test_wrong_type_exact_messages() -> None:
    text = "---\ntitle: [T]\nnodes:\n  a: {label: A, kind: drug}\nedges: {a: 1}\nregions: 5\n---\n"
    assert problems_of(text) == [
        "diagrams/k.md:2: title: wrong type: expected text, got list ['T']",
        "diagrams/k.md:6: regions: wrong type: expected a mapping, got int 5",
        "diagrams/k.md:5: edges: wrong type: expected a list, got dict {'a': 1}",
    ]


def test_wrong_type_of_node_and_edge_entries() -> None:
    text = "---\ntitle: T\nnodes:\n  a: [A]\n  b: {label: B, kind: drug}\nedges:\n  - [b]\n  - {from: b, to: b, rel: activates, cite: [null]}\n---\n"
    assert problems_of(text) == [
        "diagrams/k.md:4: nodes.a: wrong type: expected a mapping, got list ['A']",
        "diagrams/k.md:7: edges[0]: wrong type: expected a mapping, got list ['b']",
        "diagrams/k.md:8: edges[1].cite[0]: wrong type: expected text, got nothing",
    ]


def test_missing_required_keys_exact_messages() -> None:
    text = "---\nnodes:\n  a: {kind: drug}\n  b: {label: B}\nedges:\n  - {from: a, rel: activates}\n  - {from: a, to: b}\n---\n"
    assert problems_of(text) == [
        "diagrams/k.md:2: missing required key 'title' (add 'title: …')",
        "diagrams/k.md:3: nodes.a: missing required key 'label' (add 'label: …')",
        "diagrams/k.md:4: nodes.b: missing required key 'kind' (add 'kind: …')",
        "diagrams/k.md:6: edges[0]: missing required key 'to' (add 'to: …')",
        "diagrams/k.md:7: edges[1]: missing required key 'rel' (add 'rel: …')",
    ]


def test_unknown_relation_kind_and_region_with_suggestions() -> None:
    text = """\
---
title: T
regions:
  pfc: {label: Prefrontal cortex}
  hippocampus: {label: Hippocampus}
nodes:
  a: {label: A, kind: drg, region: hippocampu}
  b: {label: B, kind: receptor, region: pcf}
edges:
  - {from: a, to: b, rel: activats}
  - {from: a, to: b, rel: bloks}
---
"""
    assert problems_of(text) == [
        "diagrams/k.md:7: nodes.a.kind: unknown node kind 'drg' (did you mean 'drug'?)",
        "diagrams/k.md:7: nodes.a.region: unknown region 'hippocampu' (did you mean 'hippocampus'?)",
        "diagrams/k.md:8: nodes.b.region: unknown region 'pcf' (did you mean 'pfc'?)",
        "diagrams/k.md:10: edges[0].rel: unknown relation 'activats' (did you mean 'activates'?)",
        "diagrams/k.md:11: edges[1].rel: unknown relation 'bloks' (did you mean 'blocks'?)",
    ]


def test_unknown_region_without_regions_says_declare_it() -> None:
    text = "---\ntitle: T\nnodes:\n  a: {label: A, kind: drug, region: pfc}\n---\n"
    assert problems_of(text) == [
        "diagrams/k.md:4: nodes.a.region: unknown region 'pfc' (declare it under 'regions:')"
    ]


def test_unknown_parent_region() -> None:
    text = "---\ntitle: T\nregions:\n  pfc: {label: P}\n  layer-v: {parent: pfx}\nnodes:\n  a: {label: A, kind: drug}\n---\n"
    assert problems_of(text) == [
        "diagrams/k.md:5: regions.layer-v.parent: unknown region 'pfx' (did you mean 'pfc'?)"
    ]


def test_unknown_keys_exact_messages() -> None:
    text = "---\ntitel: T\nnodes:\n  a: {label: A, kind: drug, colour: red, regoin: x}\nedges:\n  - {from: a, to: a, rel: activates, colour: red}\n---\n"
    assert problems_of(text) == [
        "diagrams/k.md:2: titel: unknown key 'titel' (did you mean 'title'?)",  # one mistake, once
        "diagrams/k.md:4: nodes.a.colour: unknown key 'colour' (expected one of: identifiers, kind, label, note, on, region, same-as, term)",
        "diagrams/k.md:4: nodes.a.regoin: unknown key 'regoin' (did you mean 'region'?)",
        "diagrams/k.md:6: edges[0].colour: unknown key 'colour' (expected one of: certainty, cite, evidence, from, note, rel, to)",
    ]


def test_duplicate_node_is_a_duplicate_mapping_key() -> None:
    text = "---\ntitle: T\nnodes:\n  glutamate: {label: A, kind: transmitter}\n  bdnf: {label: B, kind: protein}\n  glutamate: {label: C, kind: transmitter}\n---\n"
    assert problems_of(text) == [
        "diagrams/k.md:6: nodes.glutamate: duplicate key 'glutamate' (each key may appear once; remove or rename one of them)"
    ]


def test_region_nesting_cycle() -> None:
    text = "---\ntitle: T\nregions:\n  r1: {label: R1, parent: r2}\n  r2: {label: R2, parent: r3}\n  r3: {label: R3, parent: r1}\n  r4: {label: R4, parent: r4}\nnodes:\n  a: {label: A, kind: drug, region: r1}\n---\n"
    assert problems_of(text) == [
        "diagrams/k.md:4: regions.r1.parent: regions nest in a cycle: r1 → r2 → r3 → r1 "
        "(remove one 'parent:' so that the nesting ends at a top-level region)",
        "diagrams/k.md:7: regions.r4.parent: regions nest in a cycle: r4 → r4 "
        "(remove one 'parent:' so that the nesting ends at a top-level region)",
    ]


ID_HINT = "(use lower-case letters, digits and single hyphens, e.g. 'nmda-receptor')"


@pytest.mark.parametrize("bad", ["../../etc/passwd", "Ketamine", "a_b", "-a", "a-", "a b", "ä"])
def test_invalid_node_ids(bad: str) -> None:
    text = f'---\ntitle: T\nnodes:\n  "{bad}": {{label: A, kind: drug}}\n---\n'
    assert problems_of(text) == [f"diagrams/k.md:4: nodes.{bad}: invalid node id '{bad}' {ID_HINT}"]


def test_an_id_ending_in_a_line_break_is_refused() -> None:
    """``$`` also matches before a final line break: an id must match the rule as a whole."""
    text = '---\ntitle: T\nregions:\n  "r\\n": {label: R}\nnodes:\n  "a\\n": {label: A, kind: drug}\n---\n'
    found = problems_of(text)
    assert len(found) == 2 and "invalid region id 'r\n'" in found[0] and "invalid node id 'a\n'" in found[1]


def test_invalid_pathway_region_and_term_ids() -> None:
    text = (
        "---\nid: ../../etc/passwd\ntitle: T\nregions:\n  Cortex: {label: C}\n"
        "nodes:\n  a: {label: A, kind: drug, term: NMDA_receptor}\n---\n"
    )
    assert problems_of(text) == [
        f"diagrams/k.md:2: id: invalid pathway id '../../etc/passwd' {ID_HINT}",
        f"diagrams/k.md:5: regions.Cortex: invalid region id 'Cortex' {ID_HINT}",
        f"diagrams/k.md:7: nodes.a.term: invalid glossary term id 'NMDA_receptor' {ID_HINT}",
    ]


def test_invalid_pathway_id_from_file_name() -> None:
    text = "---\ntitle: T\nnodes:\n  a: {label: A, kind: drug}\n---\n"
    assert problems_of(text, "diagrams/Ketamine.md") == [
        f"diagrams/Ketamine.md:2: invalid pathway id 'Ketamine' {ID_HINT}"
    ]


EMPTY = (
    "empty pathway: no front matter with nodes and edges "
    "(start the file with '---', then 'title:', 'nodes:' and 'edges:')"
)


@pytest.mark.parametrize("text", ["", "Just a body.\n", "---\n---\nBody.\n", "---\n# only a comment\n---\n"])
def test_empty_pathway_without_front_matter(text: str) -> None:
    assert problems_of(text) == [f"diagrams/k.md:1: {EMPTY}"]


@pytest.mark.parametrize(
    ("nodes", "expected"),
    [
        ("", "diagrams/k.md:2: empty pathway: no nodes (add a 'nodes:' mapping with at least one node)"),
        (
            "nodes:\n",
            "diagrams/k.md:2: empty pathway: no nodes (add a 'nodes:' mapping with at least one node)",
        ),
        (
            "nodes: {}\n",
            "diagrams/k.md:3: nodes: empty pathway: no nodes (add a 'nodes:' mapping with at least one node)",
        ),
    ],
)
def test_empty_pathway_without_nodes(nodes: str, expected: str) -> None:
    assert problems_of(f"---\ntitle: T\n{nodes}---\n") == [expected]


def test_all_problems_of_a_file_are_reported_at_once() -> None:
    text = """\
---
title: T
colour: red
regions:
  pfc: {label: P, parent: pcf}
nodes:
  Bad_Id: {label: A, kind: drug}
  a: {label: A, kind: drg, region: hippocampus}
  b: {kind: receptor}
edges:
  - {from: a, to: c, rel: activats}
  - {from: b, to: a}
---
"""
    with pytest.raises(MechanismsError) as info:
        load_pathway(text, "diagrams/k.md")
    problems = info.value.problems
    assert len(problems) == 9
    assert {p.path for p in problems} == {
        "colour",
        "regions.pfc.parent",
        "nodes.Bad_Id",
        "nodes.a.kind",
        "nodes.a.region",
        "nodes.b",
        "edges[0].to",
        "edges[0].rel",
        "edges[1]",
    }
    assert all(p.file == "diagrams/k.md" and p.line > 1 for p in problems)
    assert str(info.value).count("\n") == 8  # one line per problem


def test_on_key_is_read_as_text() -> None:
    p = pathway(
        "title: T\nnodes:\n  a: {label: A, kind: receptor, term: x, on: pyramidal-neuron}\n"
        "  on: {label: Cell, kind: cell}"
    )
    assert p.nodes["a"].on == "pyramidal-neuron"
    assert p.nodes["on"].label == "Cell"


def test_on_with_a_yes_value_is_a_wrong_type() -> None:
    text = "---\ntitle: T\nnodes:\n  a: {label: A, kind: receptor, on: yes}\n---\n"
    assert problems_of(text) == ["diagrams/k.md:4: nodes.a.on: wrong type: expected text, got bool True"]


def test_numbers_are_fine_as_text() -> None:
    p = pathway("title: 2020\nnodes:\n  a: {label: 5, kind: drug}")
    assert (p.title, p.nodes["a"].label) == ("2020", "5")


# -- YAML tags: safe loading only ----------------------------------------------


@pytest.fixture
def no_system(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    calls: list[object] = []
    monkeypatch.setattr(os, "system", lambda *a: calls.append(a) or 0)
    return calls


@pytest.mark.parametrize(
    "title",
    ['!!python/object/apply:os.system ["x"]', "!!python/object/apply:os.system x", "!!python/name:os.system"],
)
def test_python_tags_give_a_problem_and_are_not_constructed(title: str, no_system: list[object]) -> None:
    text = f"---\ntitle: {title}\nnodes:\n  a: {{label: A, kind: drug}}\n---\n"
    problems = problems_of(text)
    assert len(problems) == 1
    assert problems[0].startswith("diagrams/k.md:2: ")
    assert no_system == []


@pytest.mark.parametrize(
    "line",
    ['cite: !!python/object/apply:os.system ["x"]', "regions: !!python/object/new:dict {pfc: {label: P}}"],
)
def test_python_tags_on_collections_are_rejected(line: str, no_system: list[object]) -> None:
    text = f"---\ntitle: T\n{line}\nnodes:\n  a: {{label: A, kind: drug}}\n---\n"
    problems = problems_of(text)
    assert len(problems) == 1 and problems[0].startswith("diagrams/k.md:3: ")
    assert no_system == []


def test_unprintable_character_is_a_problem() -> None:
    assert problems_of("---\ntitle: T\x00\nnodes:\n  a: {label: A, kind: drug}\n---\n")


def test_recursive_alias_is_a_problem() -> None:
    assert problems_of("---\ntitle: T\nnodes: &n\n  a: {label: A, kind: drug, note: *n}\n---\n")


def test_deeply_nested_yaml_is_a_problem() -> None:
    assert problems_of("---\ntitle: " + "[" * 3000 + "\n---\n")


def test_alias_bomb_is_rejected_quickly() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 6)]
    text = "---\n" + "\n".join(lines) + "\ntitle: T\nnodes: {a: {label: A, kind: drug}}\n---\n"
    start = time.perf_counter()
    with pytest.raises(MechanismsError):
        load_pathway(text, "diagrams/k.md")
    assert time.perf_counter() - start < 2.0


# -- cross-file references -------------------------------------------------------


def refs_pathway() -> object:
    return load_pathway(
        "---\ntitle: T\ncite: [vollenweider2010, vollenweidr2010]\nnodes:\n"
        "  a: {label: A, kind: drug, term: ketamin, on: gabaergic-neuron}\n"
        "  b: {label: B, kind: drug, term: ketamine}\n"
        "edges:\n  - {from: a, to: b, rel: blocks, cite: [kadriu2012]}\n---\n",
        "diagrams/k.md",
    )


def test_check_pathway_refs_unknown_terms_and_citations() -> None:
    problems = check_pathway_refs(
        refs_pathway(),
        terms={"ketamine", "gabaergic-interneuron"},
        citations={"vollenweider2010", "kadriu2021"},
    )
    assert [str(p) for p in problems if p.path != "cite"] == [
        "diagrams/k.md:5: nodes.a.term: unknown glossary term 'ketamin' (did you mean 'ketamine'?)",
        "diagrams/k.md:5: nodes.a.on: unknown glossary term 'gabaergic-neuron' (did you mean 'gabaergic-interneuron'?)",
        "diagrams/k.md:8: edges[0].cite: unknown citation key 'kadriu2012' (did you mean 'kadriu2021'?)",
    ]
    (figure_cite,) = [p for p in problems if p.path == "cite"]
    assert figure_cite.message == "unknown citation key 'vollenweidr2010'"
    assert figure_cite.suggestion == "did you mean 'vollenweider2010'?"


def test_check_pathway_refs_figure_cite_line() -> None:
    problems = check_pathway_refs(refs_pathway(), terms=None, citations={"vollenweider2010"})
    assert [str(p) for p in problems if p.path == "cite"] == [
        "diagrams/k.md:3: cite: unknown citation key 'vollenweidr2010' (did you mean 'vollenweider2010'?)"
    ]


def test_check_pathway_refs_unknown_term_without_close_match() -> None:
    problems = check_pathway_refs(refs_pathway(), terms=set(), citations=None)
    assert [p.suggestion for p in problems] == [
        "add docs/glossary/ketamin.md",
        "add docs/glossary/gabaergic-neuron.md",
        "add docs/glossary/ketamine.md",
    ]


def test_check_pathway_refs_none_skips_and_known_passes() -> None:
    p = refs_pathway()
    assert check_pathway_refs(p, terms=None, citations=None) == []
    assert (
        check_pathway_refs(
            p,
            terms={"ketamin", "gabaergic-neuron", "ketamine"},
            citations={"vollenweider2010", "vollenweidr2010", "kadriu2012"},
        )
        == []
    )


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("title: '   '\nnodes:\n  a: {label: A, kind: drug}", "diagrams/k.md:2: title: 'title' is blank"),
        (
            "title: T\nnodes:\n  a: {label: ' ', kind: drug}",
            "diagrams/k.md:4: nodes.a.label: 'label' is blank",
        ),
        (
            'title: "T\\x1b[2J"\nnodes:\n  a: {label: A, kind: drug}',
            "diagrams/k.md:2: title: invisible control character U+001B in text",
        ),
        (
            'title: "abc\\u202edcba"\nnodes:\n  a: {label: A, kind: drug}',
            "diagrams/k.md:2: title: invisible control character U+202E in text",
        ),
        (
            "title: T\ncite: ['a\"><b>']\nnodes:\n  a: {label: A, kind: drug}",
            "diagrams/k.md:3: cite[0]: invalid citation key 'a\"><b>'",
        ),
        (
            'title: T\nnodes:\n  a: {label: A, kind: drug, note: "n\\uFFFF"}',
            "diagrams/k.md:4: nodes.a.note: Unicode noncharacter U+FFFF in text",
        ),
        (
            'title: T\nnodes:\n  a: {label: "A\\uFFFEB", kind: drug}',
            "diagrams/k.md:4: nodes.a.label: Unicode noncharacter U+FFFE in text",
        ),
        (
            'title: "T\\uFDD0"\nnodes:\n  a: {label: A, kind: drug}',
            "diagrams/k.md:2: title: Unicode noncharacter U+FDD0 in text",
        ),
        (
            'title: "T\\U0010FFFF"\nnodes:\n  a: {label: A, kind: drug}',
            "diagrams/k.md:2: title: Unicode noncharacter U+10FFFF in text",
        ),
    ],
    ids=["blank-title", "blank-label", "escape", "bidi", "cite-key", "uffff", "ufffe", "ufdd0", "plane16"],
)
def test_blank_invisible_and_unsafe_text_is_refused(front: str, expected: str) -> None:
    problems = problems_of(f"---\n{front}\n---\nCaption.\n")
    assert any(p.startswith(expected) for p in problems), problems


def test_unicode_citation_keys_are_accepted() -> None:
    loaded = pathway("title: T\ncite: [müller2020, 'k:1.x/y-z']\nnodes:\n  a: {label: A, kind: drug}")
    assert loaded.cite == ("müller2020", "k:1.x/y-z")


def test_certainty_and_evidence_of_pathway_and_edges() -> None:
    p = pathway(
        "title: T\ncertainty: proposed\nevidence: ECO:0000304\n"
        "nodes:\n  a: {label: A, kind: drug}\n  b: {label: B, kind: receptor}\n"
        "edges:\n  - {from: a, to: b, rel: blocks, certainty: established, evidence: [ECO:0000305, ECO:0000305]}\n"
        "  - {from: b, to: a, rel: activates}\n"
    )
    assert (p.certainty, p.evidence) == ("proposed", ("ECO:0000304",))
    first, second = p.edges
    assert (first.certainty, first.evidence) == ("established", ("ECO:0000305",))
    assert (second.certainty, second.evidence) == ("", ())
    assert [p.certainty_of(e) for e in p.edges] == ["established", "proposed"]


def test_unknown_certainty_and_bad_evidence_are_located() -> None:
    text = (
        "---\ntitle: T\ncertainty: hypothesys\nnodes:\n  a: {label: A, kind: drug}\n"
        "edges:\n  - {from: a, to: a, rel: blocks, certainty: sure, evidence: [CHEBI:6121, ECO:12, 'ECO']}\n---\n"
    )
    assert problems_of(text) == [
        "diagrams/k.md:3: certainty: unknown certainty 'hypothesys' (did you mean 'hypothesis'?)",
        "diagrams/k.md:7: edges[0].certainty: unknown certainty 'sure' (expected one of: established, hypothesis, proposed)",
        "diagrams/k.md:7: edges[0].evidence[0]: 'CHEBI:6121' is not an Evidence and Conclusion Ontology code"
        " (write ECO:nnnnnnn, e.g. 'ECO:0000304'; database identifiers go under 'identifiers:')",
        "diagrams/k.md:7: edges[0].evidence[1]: '12' is not a valid ECO identifier"
        " (expected the pattern ^\\d{7}$, e.g. 'ECO:0007807')",
        "diagrams/k.md:7: edges[0].evidence[2]: 'ECO' is not a compact identifier (write PREFIX:ID, e.g. 'CHEBI:6121')",
    ]


def test_every_edge_of_the_article_figures_states_its_certainty() -> None:
    for path in sorted((REPO / "diagrams").glob("*.md")):
        p = load_pathway(path.read_text(encoding="utf-8"), f"diagrams/{path.name}")
        assert all(p.certainty_of(e) for e in p.edges), path.name


# -- one mistake, one message, costing only what it must ------------------------------------------


def test_a_misspelt_required_node_key_is_one_message_and_its_value_stands_in() -> None:
    text = "---\ntitle: T\nnodes:\n  a: {lable: A, kind: drug}\n  b: {label: B, kind: drug}\n---\n"
    _, problems, drawn = read_pathway_parts(text, "diagrams/k.md")
    assert [str(p) for p in problems] == [
        "diagrams/k.md:4: nodes.a.lable: unknown key 'lable' (did you mean 'label'?)"
    ]
    assert drawn is not None and drawn.nodes["a"].label == "A"


PARTS = """\
---
title: T
regions:
  pfc: {label: P}
nodes:
  a: {label: A, kind: drug}
  b: {label: B, kind: receptor, region: pfc}
  c: {label: C, kind: outcome}
edges:
  - {from: a, to: b, rel: blocks}
  - {from: b, to: c, rel: leads-to, cite: [bad key]}
  - {from: a, to: c, rel: activates}
---
"""


@pytest.mark.parametrize(
    ("old", "new", "message", "nodes", "edges"),
    [
        (
            "rel: activates",
            "rel: activate",
            "diagrams/k.md:12: edges[2].rel: unknown relation 'activate' (did you mean 'activates'?)",
            ["a", "b", "c"],
            [("a", "b"), ("b", "c")],
        ),
        (
            "kind: receptor",
            "kind: recepter",
            "diagrams/k.md:7: nodes.b.kind: unknown node kind 'recepter' (did you mean 'receptor'?)",
            ["a", "c"],
            [("a", "c")],
        ),
        (
            "region: pfc}",
            "region: pcf}",
            "diagrams/k.md:7: nodes.b.region: unknown region 'pcf' (did you mean 'pfc'?)",
            ["a", "c"],
            [("a", "c")],
        ),
    ],
)
def test_a_bad_edge_or_node_costs_only_itself(old: str, new: str, message: str, nodes, edges) -> None:
    text = PARTS.replace("cite: [bad key]", "cite: [smith2020]").replace(old, new)
    _, problems, drawn = read_pathway_parts(text, "diagrams/k.md")
    assert [str(p) for p in problems] == [message]  # once, at its cause
    assert drawn is not None, "the rest of the pathway is still drawn"
    assert list(drawn.nodes) == nodes
    assert [(e.source, e.target) for e in drawn.edges] == edges


def test_a_left_out_node_still_has_its_other_mistakes_reported() -> None:
    text = PARTS.replace("kind: receptor", "kind: recepter")
    _, problems, drawn = read_pathway_parts(text, "diagrams/k.md")
    assert [p.path for p in problems] == ["nodes.b.kind", "edges[1].cite[0]"]  # all of the file, one run
    assert drawn is not None and [(e.source, e.target) for e in drawn.edges] == [("a", "c")]


def test_a_mistake_in_the_pathway_as_a_whole_keeps_it_from_being_drawn() -> None:
    _, problems, drawn = read_pathway_parts(PARTS.replace("title: T\n", ""), "diagrams/k.md")
    assert str(problems[0]) == "diagrams/k.md:2: missing required key 'title' (add 'title: …')"
    assert drawn is None


def test_a_misspelt_blank_title_is_one_message_and_the_id_stands_in() -> None:
    _, problems, drawn = read_pathway_parts(
        "---\ntitel:\nnodes:\n  a: {label: A, kind: drug}\n---\n", "diagrams/k.md"
    )
    assert [str(p) for p in problems] == [
        "diagrams/k.md:2: titel: unknown key 'titel' (did you mean 'title'?)"
    ]
    assert drawn is not None and drawn.title == "k"
