"""Figure fences found in page Markdown."""

from __future__ import annotations

from pathlib import Path

from conftest import build_site, minimal_files, term_page
from mkdocs_mechanisms import pages
from mkdocs_mechanisms.model import Edge, Node, Pathway, Term


def test_unclosed_figure_fence_is_found_with_its_line() -> None:
    assert pages.unclosed_fence("# T\n\n```pathway\na\n") == ("pathway", 3)
    assert pages.unclosed_fence("# T\n\n```pathway\na\n```\n") is None
    assert pages.unclosed_fence("```python\nx\n") is None


def _extras(pathway: Pathway) -> str:
    term = Term("lonely", "Lonely", "concept", "Alone.")
    return pages.term_page_extras(term, [pathway], {"lonely": term})


def test_a_term_whose_node_stands_alone_gets_no_neighbourhood_fence() -> None:
    nodes = {"a": Node("a", "A", "drug", term="lonely"), "b": Node("b", "B", "drug")}
    alone = Pathway("p", "P", "p.md", nodes, [])
    text = _extras(alone)
    assert "## Appears in" in text and "pathway-neighbourhood" not in text
    linked = Pathway("p", "P", "p.md", nodes, [Edge("a", "b", "blocks")])
    assert "```pathway-neighbourhood\nlonely\n```" in _extras(linked)


def test_a_site_whose_term_has_no_interactions_builds(tmp_path: Path) -> None:
    files = minimal_files()
    files["diagrams/alone.md"] = (
        "---\ntitle: Alone\nnodes:\n  l: {label: Lonely, kind: process, term: lonely}\n---\nAlone.\n"
    )
    files["docs/glossary/lonely.md"] = term_page("Lonely", "concept", "Stands alone.", body="Alone.")
    site = build_site(tmp_path, files)
    page = site.page("glossary/lonely")
    assert "Appears in" in page and "mechanisms-neighbourhood" not in page


def test_the_references_intro_fits_the_style() -> None:
    from mkdocs_mechanisms.pages import references_page

    assert "numbered by first use" in references_page(numeric=True)
    author_date = references_page(numeric=False)
    assert "numbered" not in author_date and "in the order of the citation style" in author_date


def test_the_pathways_index_is_an_escaped_list_kept_out_of_search_however_many_pathways() -> None:
    from search_limit import indexed_text, limit, positions

    nodes = {"a": Node("a", "A", "drug")}
    hostile = Pathway("evil", '<img src=x onerror="a()"> & co', "evil.md", nodes, [])
    out = pages.pathways_index([hostile, Pathway("p", "Alpha", "p.md", nodes, [])], lambda p: f'{p}/"')
    assert '<li><a href="p/&quot;">Alpha</a></li>' in out and "<img" not in out
    assert "&lt;img src=x onerror=&quot;a()&quot;&gt; &amp; co" in out
    many = [
        Pathway(f"p{n}", f"Synthetic pathway number {n} of drug X", "p.md", nodes, []) for n in range(10000)
    ]
    index = pages.pathways_index(many, lambda p: f"{p}/")
    assert positions(index) > limit(8301)
    assert indexed_text(index.split("\n\n", 1)[1]).strip().startswith("Every mechanism on this site")
    assert "Synthetic" not in indexed_text(index.split("\n\n", 1)[1])


def test_term_lists_are_slots_naming_what_they_list_in_order() -> None:
    nodes = {"a": Node("a", "A", "drug", term="lonely"), "b": Node("b", "B", "drug", term="other")}
    second = Pathway("q", "Alpha", "q.md", nodes, [Edge("a", "b", "blocks")])
    first = Pathway("p", "Beta", "p.md", nodes, [])
    term, other = Term("lonely", "Lonely", "concept", "Alone."), Term("other", "Other", "concept", "O.")
    text = pages.term_page_extras(term, [first, second], {"lonely": term, "other": other})
    assert 'data-arg="appears:q,p"' in text and 'data-arg="related:other"' in text  # by title
    assert "<ul" not in text  # HTML only once the page is linked (parts.py)
