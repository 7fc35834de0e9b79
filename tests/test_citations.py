"""Citations across the site: their slots, the text they join, numbering and the references list."""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.etree import ElementTree

import pytest
from engine_site import SHARED, Built, cold_build
from mkdocs_mechanisms.citations import cite_element, cluster_of, joined, references_html
from mkdocs_mechanisms.cite import placeholder
from mkdocs_mechanisms.citesyntax import Cluster, Item
from mkdocs_mechanisms.deferred import Found, Slot, fill
from mkdocs_mechanisms.numbers import Numbering
from search_limit import indexed_text, limit, positions
from test_cite import hostile_bib


def substitute(text: str, render: Callable[[Cluster], str]) -> str:
    """Every citation slot of ``text`` written by ``render``, joined to its text as the fill pass joins it."""

    def one(found: Found) -> str:
        cluster = cluster_of(found.arg, found.inner)
        assert cluster is not None
        return joined(found, render(cluster), cluster)

    return fill(text, {Slot.CITE: one})


def test_a_written_citation_keeps_its_cluster_through_its_slot() -> None:
    """Affixes are children the host renders; everything else travels in the argument, as data."""
    cluster = Cluster(
        (Item("a", prefix="see", label="page", locator="3"), Item("b", suppress_author=True)), in_text=True
    )
    element = ElementTree.tostring(cite_element(cluster), encoding="unicode")
    assert element.startswith('<span class="mechanisms-slot" data-arg="') and 'data-slot="cite"' in element
    found: list[Cluster | None] = []
    fill(element, {Slot.CITE: lambda f: found.append(cluster_of(f.arg, f.inner)) or ""})
    assert found == [cluster]
    assert cluster_of("not json") is None and cluster_of('{"i": []}') is None


def test_placeholders_substitute_in_document_order() -> None:
    html_text = f"<p>x {placeholder(['b', 'a'])} y {placeholder(['c'])}</p>"
    assert substitute(html_text, lambda cluster: "[" + "+".join(cluster.keys) + "]") == "<p>x [b+a] y [c]</p>"


def test_references_html_in_number_order_with_doi_links() -> None:
    numbering = Numbering()
    numbering.visit(["web", "good"], ("Home <1>", "index.html"))
    numbering.visit(["evil", "plain", "unknown"], ("Deep", "a/b/"))
    out = references_html(hostile_bib(), numbering, lambda u: "../" + u)
    items = re.findall(r'<li id="ref-([^"]+)" value="(\d+)">', out)
    assert items == [("web", "1"), ("good", "2"), ("evil", "3"), ("plain", "4")]
    assert '<a class="mechanisms-doi" href="https://doi.org/10.1000/good">doi:10.1000/good</a>' in out
    assert 'href="https://doi.org/10.1/&lt;b&gt;"' in out
    assert 'href="https://example.org/?a=1&amp;b=2">https://example.org/?a=1&amp;b=2</a>' in out
    assert "<script" not in out
    assert (
        'Cited on:</span><ul class="mechanisms-cited-on-pages" data-search-exclude><li><a href="../index.html">Home &lt;1&gt;</a>'
        in out
    )
    assert (
        'Cited on:</span><ul class="mechanisms-cited-on-pages" data-search-exclude><li><a href="../a/b/">Deep</a>'
        in out
    )
    plain = re.search(r'<li id="ref-plain".*?</li>', out)
    assert plain is not None and "mechanisms-doi" not in plain.group(0)
    assert out.startswith('<ol class="mechanisms-references">') and out.endswith("</ol>")


def test_back_links_add_nothing_to_the_indexed_text_however_many_places_cite() -> None:
    """Only the entries are searched: Zensical stops a build when one section outgrows its index limit.

    At 300 pages the back-links made the references section 135,219 token positions, twice the
    65,536 a site of that size may index (``search_limit``); the entries alone stay the same size.
    """

    def references(pages: int) -> str:
        numbering = Numbering()
        for n in range(pages):
            where = (f"Page number {n}", f"p{n}/", f"Section heading {n}", f"p{n}/#s{n}")
            numbering.visit(["web", "good", "plain"], where)
            numbering.visit(["good"], (f"Bare page {n}", f"bare/p{n}/"))
        return references_html(hostile_bib(), numbering, lambda u: "../" + u)

    few, many = references(1), references(3000)
    assert positions(many) > limit(8301), "the scaled back-links would outgrow the index if indexed"
    assert positions(indexed_text(many)) == positions(indexed_text(few))
    assert "Page number" not in indexed_text(many) and "Cited on" not in indexed_text(many)
    assert "doi" in indexed_text(many)  # the entries themselves stay searchable


def test_cited_on_lists_pages_in_reading_order_not_by_path() -> None:
    numbering = Numbering()
    numbering.visit(["good"], ("Home", "index.md"))
    numbering.visit(["good"], ("Deep", "a/b.md", "Intro", "a/b.md#intro"))
    out = references_html(hostile_bib(), numbering, lambda u: u, ["index.md", "a/b.md"])
    assert (
        '<li><a href="index.md">Home</a></li><li><a href="a/b.md">Deep</a>: <a href="a/b.md#intro">Intro</a>'
        in out
    )
    reverse = references_html(hostile_bib(), numbering, lambda u: u, ["a/b.md", "index.md"])
    assert reverse.index('href="a/b.md">Deep') < reverse.index('href="index.md">Home')


def test_superscript_groups_attach_to_the_word_before_them() -> None:
    """As the article prints them ("hippocampus¹⁰"): the space an author types before [@key] goes."""
    text = f"<p>the hippocampus {placeholder(['a'])} and\n{placeholder(['b'])} {placeholder(['c'])}.</p>"
    sup = substitute(text, lambda cluster: f"<sup>{','.join(cluster.keys)}</sup>")
    assert sup == "<p>the hippocampus<sup>a</sup> and<sup>b</sup> <sup>c</sup>.</p>"
    inline = substitute(text, lambda cluster: f"<span>({','.join(cluster.keys)})</span>")
    assert inline == "<p>the hippocampus <span>(a)</span> and\n<span>(b)</span> <span>(c)</span>.</p>"


def test_an_inline_citation_stands_apart_from_the_word_before_it() -> None:
    """Author-date text after a word, a link or another citation gets its space; a superscript does not."""
    text = (
        f'<li>on the <a href="#t">A1 receptor</a>{placeholder(["a"])}{placeholder(["b"])}</li>'
        f"<li>{placeholder(['c'])} (e.g.{placeholder(['d'])}; ({placeholder(['e'])})</li>"
    )
    inline = substitute(text, lambda cluster: f"<span>({','.join(cluster.keys)})</span>")
    assert inline == (
        '<li>on the <a href="#t">A1 receptor</a> <span>(a)</span> <span>(b)</span></li>'
        "<li><span>(c)</span> (e.g. <span>(d)</span>; (<span>(e)</span>)</li>"
    )
    sup = substitute(text, lambda cluster: f"<sup>{','.join(cluster.keys)}</sup>")
    assert sup.startswith('<li>on the <a href="#t">A1 receptor</a><sup>a</sup><sup>b</sup></li>')


@pytest.fixture(scope="module")
def cold(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return cold_build(tmp_path_factory)[1]


@SHARED
def test_citations_are_numbered_by_first_use_in_reading_order(cold: Built) -> None:
    assert cold.site.record.numbering.numbers == {"jones2021": 1, "smith2020": 2}  # not the file's order
    deep = cold.html["deep/nested/page.md"]
    assert re.findall(r'aria-label="Reference (\d)">\1</a>', deep.split("<figure", 1)[0]) == ["1", "2"]
    assert '<a href="../../../references/#ref-jones2021"' in deep
    refs = cold.html["references.md"]
    assert re.findall(r'<li id="ref-([a-z0-9]+)" value="(\d)">', refs) == [
        ("jones2021", "1"),
        ("smith2020", "2"),
    ]
