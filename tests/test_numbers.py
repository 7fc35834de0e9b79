"""Site-wide figure numbers and back-links in reading order."""

from __future__ import annotations

import pytest
from conftest import MINIMAL_PATHWAY, minimal_files, write_site
from hosts import build_with
from mkdocs_mechanisms.deferred import Slot, fill
from mkdocs_mechanisms.numbers import (
    FigureNumbers,
    Place,
    group_places,
    label,
    number_site,
    placeholder,
    places_html,
)


def labelled(numbers: FigureNumbers, text: str) -> str:
    """``text`` with its figure-number slots filled, as a page's fill pass fills them."""
    return fill(text, {Slot.FIGURE_NUMBER: lambda found: label(numbers.numbers, found.arg.split(), "Figure")})


def test_a_pathway_keeps_its_number_and_the_home_page_and_manual_only_reuse_numbers() -> None:
    pages = [
        ("index.md", placeholder(["cascade"])),  # the home page shows Figure 3 first
        ("ketamine.md", placeholder(["ketamine"])),
        ("psilocybin.md", placeholder(["psilocybin"]) + placeholder(["ketamine"])),
        ("plugin/embedding.md", placeholder(["inline-abc"]) + placeholder(["ketamine"])),
        ("common.md", placeholder(["ketamine", "psilocybin"]) + placeholder(["cascade"])),
    ]
    numbers = number_site(pages, ["plugin/*"])
    assert numbers.numbers == {"ketamine": 1, "psilocybin": 2, "cascade": 3, "inline-abc": 4}
    filled = {uri: labelled(numbers, html) for uri, html in pages}
    assert filled["index.md"] == "Figure 3."
    assert filled["psilocybin.md"] == "Figure 2.Figure 1."
    assert filled["common.md"] == "Figures 1 and 2 compared.Figure 3."


def test_in_a_one_page_article_the_home_pages_first_figure_is_figure_1() -> None:
    pages = [  # the generated pathway pages come first in reading order, but only reuse numbers
        ("pathways/a.md", placeholder(["a"])),
        ("pathways/b.md", placeholder(["b"])),
        ("index.md", placeholder(["b"])),
        ("glossary/x.md", placeholder(["inline-x"])),
    ]
    numbers = number_site(pages, [], generated=["pathways/*", "glossary/*"])
    assert numbers.numbers == {"b": 1, "a": 2, "inline-x": 3}
    assert labelled(numbers, pages[2][1]) == "Figure 1."


def test_back_links_one_line_per_page_in_reading_order_with_sections() -> None:
    places = [
        Place("Psilocybin", "psilocybin/", "step 2", "psilocybin/#s2"),
        Place("Ketamine", "ketamine/", "The pathway", "ketamine/#p"),
        Place("Ketamine", "ketamine/", "step 1", "ketamine/#s1"),
        Place("Ketamine", "ketamine/", "step 1", "ketamine/#s1"),
        Place("Home", ""),
    ]
    groups = group_places(places, ["", "ketamine/", "psilocybin/"])
    assert [g[0] for g in groups] == ["Home", "Ketamine", "Psilocybin"]
    out = places_html(groups, lambda u: "../" + u, "x")
    assert out.count("<li>") == 3
    assert '<a href="../ketamine/">Ketamine</a>: <a href="../ketamine/#p">The pathway</a> · ' in out


@pytest.mark.parametrize("host", ["mkdocs", "zensical"])
def test_a_one_page_articles_figure_is_figure_1_on_its_home_page(host: str, tmp_path) -> None:
    if host == "zensical":
        pytest.importorskip("zensical")
    files = minimal_files()
    del files["docs/deep/nested/page.md"]
    files["diagrams/a-first.md"] = MINIMAL_PATHWAY.replace("title: Drug X", "title: Another drug X")
    cfg = write_site(tmp_path, files)
    build_with(host, cfg, tmp_path / "site")  # the pathway pages are generated: they only reuse numbers
    home = (tmp_path / "site/index.html").read_text(encoding="utf-8")
    assert "Figure 1." in home and "Figure 2." not in home
    other = (tmp_path / "site/pathways/a-first/index.html").read_text(encoding="utf-8")
    assert "Figure 2." in other


def test_back_links_say_a_run_of_steps_as_a_range_and_bare_pages_of_a_folder_on_one_line() -> None:
    places = [Place("Ketamine", "ketamine/", "Releasing the brakes", "ketamine/#r")]
    places += [Place("Ketamine", "ketamine/", f"step {n}", f"ketamine/#s{n}") for n in (3, 1, 2, 4, 7, 9, 10)]
    places += [Place(name, f"glossary/{name.lower()}/") for name in ("AMPA", "BDNF", "GABA")]
    places += [Place("Home", "")]
    groups = group_places(places, ["", "ketamine/", "glossary/ampa/", "glossary/bdnf/", "glossary/gaba/"])
    out = places_html(groups, lambda u: u, "x")
    assert out.count("<li>") == 3  # Home; Ketamine; the three glossary pages
    assert (
        '<a href="ketamine/#r">Releasing the brakes</a> · steps <a href="ketamine/#s1">1–4</a>, '
        '<a href="ketamine/#s7">7</a>, <a href="ketamine/#s9">9–10</a>'
    ) in out
    assert '<li><a href="glossary/ampa/">AMPA</a> · <a href="glossary/bdnf/">BDNF</a> · ' in out
    one = places_html(group_places([Place("K", "k/", "step 5", "k/#5")], []), lambda u: u, "x")
    assert 'step <a href="k/#5">5</a>' in one


def test_a_long_run_of_bare_pages_folds_behind_its_first() -> None:
    places = [Place(f"Term {i}", f"glossary/t{i}/") for i in range(8)]
    out = places_html(group_places(places, []), lambda u: u, "x")
    assert (
        out.count("<li>") == 1
        and '<a href="glossary/t0/">Term 0</a> <details class="mechanisms-more"><summary>and 7 more</summary>'
        in out
    )
    assert "<summary><a" not in out, "a link inside a summary is a nested control"


def test_a_source_cited_on_many_pages_shows_the_first_few_and_folds_the_rest() -> None:
    places = [Place(f"Page {i}", f"p{i}/", "Section", f"p{i}/#s") for i in range(9)]
    out = places_html(group_places(places, []), lambda u: u, "x")
    assert out.count('<a href="p') == 18  # every page still linked
    assert "<details><summary>5 more pages</summary>" in out


def test_steps_of_two_figures_on_one_page_are_said_per_figure() -> None:
    """Each figure numbers its steps from 1: "steps 1, 1, 1" would say nothing."""
    places = [Place("Compare", "c/", "step 1", f"c/#mfig{k}-step-1") for k in (3, 1, 2)]
    places += [
        Place("Compare", "c/", "step 2", "c/#mfig1-step-2"),
        Place("Compare", "c/", "step 1", "c/#mfig1-step-1"),
    ]
    out = places_html(group_places(places, []), lambda u: u, "x")
    assert (
        'the first figure’s steps <a href="c/#mfig1-step-1">1–2</a> · '
        'the second figure’s step <a href="c/#mfig2-step-1">1</a> · '
        'the third figure’s step <a href="c/#mfig3-step-1">1</a>'
    ) in out
    one = places_html(group_places(places[:1], []), lambda u: u, "x")
    assert 'step <a href="c/#mfig3-step-1">1</a>' in one and "figure’s" not in one
