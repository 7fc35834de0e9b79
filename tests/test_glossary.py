"""The glossary index: unique names, slug checks, generated index pages, pathway look-ups."""

from __future__ import annotations

import json
import re

import markdown
import pytest
from mkdocs_mechanisms.errors import MechanismsError
from mkdocs_mechanisms.glossary import (
    Glossary,
    escape_markdown,
    interacting_terms,
    letter_of,
    pathways_using,
    related_terms,
    sort_key,
    term_edges,
)
from mkdocs_mechanisms.model import Edge, Node, Pathway, Term


def term(slug: str, name: str, kind: str = "concept", summary: str = "", *aliases: str, **kw: object) -> Term:
    return Term(slug, name, kind, summary or f"About {name}.", tuple(aliases), **kw)  # type: ignore[arg-type]


TERMS = [
    term("nmda-receptor", "NMDA receptor", "receptor", "Glutamate-gated channel.", "NMDA", "NMDAR"),
    term("5-ht2a-receptor", "5-HT2A receptor", "receptor", "Serotonin receptor.", "5-HT2A"),
    term("bdnf", "BDNF", "protein", "Growth factor."),
    term("ketamine", "ketamine", "drug", "Anaesthetic."),
    term("ampa-receptor", "AMPA receptor", "receptor", "Fast glutamate channel."),
    term("glutamate", "Glutamate", "transmitter", "Excitatory transmitter."),
]


def test_terms_sorted_by_display_name() -> None:
    assert list(Glossary(TERMS).terms) == [
        "5-ht2a-receptor",
        "ampa-receptor",
        "bdnf",
        "glutamate",
        "ketamine",
        "nmda-receptor",
    ]


def test_get_resolve_and_contains() -> None:
    glossary = Glossary(TERMS)
    assert glossary.get("bdnf") is TERMS[2]
    assert glossary.get("nope") is None
    assert glossary.resolve("nmdar") is TERMS[0]
    assert glossary.resolve("NMDA  receptor") is TERMS[0]
    assert glossary.resolve("ketamine") is TERMS[3]
    assert glossary.resolve("unknown") is None
    assert "bdnf" in glossary and len(glossary) == 6


def test_duplicate_names_across_pages_raise_once_naming_both_files() -> None:
    a = term("nmda-receptor", "NMDA receptor", "receptor", "", "NMDA", source="docs/glossary/a.md", line=2)
    b = term("nmda", "Nmda channel", "receptor", "", "GluN", "nmda", source="docs/glossary/b.md", line=3)
    c = term("bdnf", "nmda receptor", "protein", source="docs/glossary/c.md", line=1)
    with pytest.raises(MechanismsError) as caught:
        Glossary([c, b, a])
    assert [str(p) for p in caught.value.problems] == [
        "docs/glossary/b.md:3: aliases[1]: 'nmda' is already defined by docs/glossary/a.md (line 2)"
        " (a name may belong to one term only; remove it from one of them)",
        "docs/glossary/c.md:1: term: 'nmda receptor' is already defined by docs/glossary/a.md (line 2)"
        " (a name may belong to one term only; remove it from one of them)",
    ]


def test_repeated_name_within_one_term_is_harmless() -> None:
    glossary = Glossary([term("bdnf", "BDNF", "protein", "", "bdnf", "BDNF")])
    assert list(glossary.terms) == ["bdnf"]


def test_duplicate_slug_is_reported() -> None:
    with pytest.raises(MechanismsError, match=r"b\.md:1: slug: 'x' is already defined by a\.md"):
        Glossary([term("x", "X one", source="a.md"), term("x", "X two", source="b.md")])


def test_check_slug() -> None:
    glossary = Glossary(TERMS)
    assert glossary.check_slug("bdnf", "diagrams/k.md", 4, "nodes.bdnf.term") is None
    problem = glossary.check_slug("nmda-receptors", "diagrams/k.md", 7, "nodes.nmda.term")
    assert problem is not None
    assert str(problem) == (
        "diagrams/k.md:7: nodes.nmda.term: unknown glossary term 'nmda-receptors' (did you mean 'nmda-receptor'?)"
    )
    by_alias = glossary.check_slug("NMDAR", "x.md", 1, "term")
    assert by_alias is not None and by_alias.suggestion == "did you mean 'nmda-receptor'?"


def test_index_json() -> None:
    data = json.loads(Glossary(TERMS).index_json(lambda slug: f"glossary/{slug}/"))
    assert [entry["slug"] for entry in data] == list(Glossary(TERMS).terms)
    assert data[-1] == {
        "slug": "nmda-receptor",
        "term": "NMDA receptor",
        "aliases": ["NMDA", "NMDAR"],
        "kind": "receptor",
        "summary": "Glutamate-gated channel.",
        "identifiers": [],
        "url": "glossary/nmda-receptor/",
    }
    assert list(data[0]) == ["slug", "term", "aliases", "kind", "summary", "identifiers", "url"]


def test_index_json_keeps_unicode() -> None:
    text = Glossary([term("gaba", "GABA", summary="γ-aminobutyric acid")]).index_json(str)
    assert "γ-aminobutyric" in text


def test_index_markdown_groups_letters_and_kinds() -> None:
    text = Glossary(TERMS).index_markdown(lambda slug: f"{slug}.md")
    lines = text.splitlines()
    headings = [line for line in lines if line.startswith("#")]
    assert headings == [
        "## 0–9 {#letter-0-9}",
        "## A {#letter-a}",
        "## B {#letter-b}",
        "## G {#letter-g}",
        "## K {#letter-k}",
        "## N {#letter-n}",
        "## By kind {#by-kind}",
        "### Drugs {#kind-drug}",
        "### Receptors {#kind-receptor}",
        "### Transmitters {#kind-transmitter}",
        "### Proteins {#kind-protein}",
    ]
    assert (
        '<li><a href="5-ht2a-receptor.md">5-HT2A receptor</a> — <em>receptor</em> — Serotonin receptor.</li>'
        in text
    )
    assert text.count('<li><a href="nmda-receptor.md">NMDA receptor</a> — Glutamate-gated channel.</li>') == 1
    lists = [line for line in lines if line.startswith("<ul")]
    assert len(lists) == len(headings) - 1  # one list under each heading but "By kind"
    assert all(
        line.startswith('<ul class="mechanisms-glossary-index" data-search-exclude>') for line in lists
    )
    assert "[0–9](#letter-0-9) · [A](#letter-a)" in text
    by_kind = lines[lines.index("### Receptors {#kind-receptor}") :]
    assert re.findall(r"<li>(.*?)</li>", by_kind[2]) == [
        '<a href="5-ht2a-receptor.md">5-HT2A receptor</a> — Serotonin receptor.',
        '<a href="ampa-receptor.md">AMPA receptor</a> — Fast glutamate channel.',
        '<a href="nmda-receptor.md">NMDA receptor</a> — Glutamate-gated channel.',
    ]


def test_index_markdown_without_heading_ids() -> None:
    text = Glossary(TERMS).index_markdown(lambda slug: f"{slug}.md", title="Glossary", heading_ids=False)
    assert text.startswith("# Glossary\n")
    assert "{#" not in text
    assert "Jump to" not in text


def test_index_markdown_empty() -> None:
    assert "No terms" in Glossary([]).index_markdown(str)


def test_index_markdown_escapes_hostile_text() -> None:
    hostile = term(
        "evil",
        "Evil <script>alert(1)</script> [x](javascript:alert(1))",
        "concept",
        "*bold* _it_ `code` <img src=x onerror=alert(1)> {: .cls } \\ back\n\n# heading",
    )
    text = Glossary([hostile]).index_markdown(lambda slug: f"{slug}.md")
    page = markdown.markdown(text, extensions=["attr_list", "toc"])
    html = page[page.index("<ul") :]  # the entries, after the intro and jump line
    assert "<script" not in page and "<img" not in page
    assert "<strong>" not in html and "<code>" not in html
    assert html.count("<em>") == 1  # only the kind
    assert 'href="javascript' not in page
    assert html.count("<a ") == 2  # the term's own link, once A–Z and once by kind
    assert "<h1" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "*bold* _it_ `code`" in html
    assert 'class="cls"' not in html


def test_escape_markdown_and_sorting_helpers() -> None:
    assert escape_markdown("a [b] *c* _d_ `e` \\ <f> & {g}") == (
        "a \\[b\\] \\*c\\* \\_d\\_ \\`e\\` \\\\ &lt;f&gt; &amp; \\{g\\}"
    )
    assert sort_key("(R)-Ketamine")[0] == "r)-ketamine"
    assert sort_key("Éclair") < sort_key("Fig")
    assert letter_of("5-HT2A receptor") == "0–9"
    assert letter_of("éclair") == "E"
    assert letter_of("-- GABA") == "G"


# -- pathway look-ups -------------------------------------------------------


def _node(node_id: str, kind: str, term_slug: str | None) -> Node:
    return Node(node_id, node_id.title(), kind, term=term_slug)


KETAMINE = Pathway(
    id="ketamine",
    title="Ketamine triggers a glutamate surge",
    source="diagrams/ketamine.md",
    nodes={
        "ket": _node("ket", "drug", "ketamine"),
        "nmda": _node("nmda", "receptor", "nmda-receptor"),
        "glu": _node("glu", "transmitter", "glutamate"),
        "ampa": _node("ampa", "receptor", "ampa-receptor"),
        "bdnf": _node("bdnf", "protein", "bdnf"),
        "plain": _node("plain", "process", None),
    },
    edges=[
        Edge("ket", "nmda", "blocks", line=10),
        Edge("nmda", "glu", "leads-to", line=11),
        Edge("glu", "ampa", "activates", line=12),
        Edge("ampa", "bdnf", "releases", line=13),
        Edge("bdnf", "plain", "leads-to", line=14),
    ],
)

PSILOCYBIN = Pathway(
    id="psilocybin",
    title="Psilocybin acts at 5-HT2A receptors",
    source="diagrams/psilocybin.md",
    nodes={
        "ht2a": _node("ht2a", "receptor", "5-ht2a-receptor"),
        "glu": _node("glu", "transmitter", "glutamate"),
        "glu2": _node("glu2", "transmitter", "glutamate"),
        "bdnf": _node("bdnf", "protein", "bdnf"),
    },
    edges=[
        Edge("ht2a", "glu", "increases", line=5),
        Edge("glu", "glu2", "leads-to", line=6),
        Edge("glu2", "bdnf", "increases", line=7),
    ],
)

PATHWAYS = [KETAMINE, PSILOCYBIN]


def test_related_terms() -> None:
    assert related_terms("glutamate", PATHWAYS) == [
        "5-ht2a-receptor",
        "ampa-receptor",
        "bdnf",
        "nmda-receptor",
    ]
    assert related_terms("bdnf", PATHWAYS) == ["ampa-receptor", "glutamate"]
    assert related_terms("unused", PATHWAYS) == []


def test_term_edges() -> None:
    found = term_edges("glutamate", PATHWAYS)
    assert [(p.id, e.line) for p, e in found] == [
        ("ketamine", 11),
        ("ketamine", 12),
        ("psilocybin", 5),
        ("psilocybin", 6),
        ("psilocybin", 7),
    ]
    assert term_edges("unused", PATHWAYS) == []


def test_pathways_using() -> None:
    assert [p.id for p in pathways_using("bdnf", PATHWAYS)] == ["ketamine", "psilocybin"]
    assert [p.id for p in pathways_using("5-ht2a-receptor", PATHWAYS)] == ["psilocybin"]
    assert pathways_using("unused", PATHWAYS) == []


def test_interacting_terms_are_those_with_an_edge() -> None:
    alone = Pathway("alone", "Alone", "alone.md", {"a": Node("a", "A", "drug", term="lonely")}, [])
    found = interacting_terms([*PATHWAYS, alone])
    assert "glutamate" in found and "bdnf" in found
    assert "lonely" not in found
