"""Site-wide figure numbers and back-links in reading order."""

from __future__ import annotations

from mkdocs_mechanisms.numbers import Place, group_places, number_site, placeholder, places_html


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
    filled = {uri: numbers.fill(html, "Figure") for uri, html in pages}
    assert filled["index.md"] == "Figure 3."
    assert filled["psilocybin.md"] == "Figure 2.Figure 1."
    assert filled["common.md"] == "Figures 1 and 2 compared.Figure 3."


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
