"""Generated sections: "Mentioned on" lists and the configured colours stylesheet."""

from __future__ import annotations

from mkdocs_mechanisms.options import Colour
from mkdocs_mechanisms.sections import MentionedPage, colours_css, mentioned_on_html
from search_limit import indexed_text, limit, positions


def test_no_mentions_says_so() -> None:
    assert mentioned_on_html([]) == "<p><em>No page mentions this term yet.</em></p>"


def test_each_page_is_one_item_with_its_sections_in_order() -> None:
    out = mentioned_on_html(
        [
            MentionedPage("Ketamine", "../../ketamine/", (("how", "How it works"), ("dose", "Dose"))),
            MentionedPage("Home", "../../"),
        ]
    )
    assert out == (
        '<ul class="mechanisms-mentioned-on" data-search-exclude>'
        '<li><a href="../../ketamine/">Ketamine</a>: <a href="../../ketamine/#how">How it works</a>'
        ' · <a href="../../ketamine/#dose">Dose</a></li>'
        '<li><a href="../../">Home</a></li></ul>'
    )


def test_the_list_is_kept_out_of_the_search_index_however_long_it_grows() -> None:
    """A term mentioned on every page of a large site would outgrow Zensical's index limit otherwise."""
    pages = [
        MentionedPage(f"Page number {n}", f"../p{n}/", ((f"s{n}", f"Section heading {n}"), ("t", "Dose")))
        for n in range(9000)
    ]
    out = mentioned_on_html(pages)
    assert positions(out) > limit(8301)
    assert positions(indexed_text(out)) == 0


def test_titles_headings_urls_and_anchors_are_escaped_for_their_context() -> None:
    out = mentioned_on_html(
        [MentionedPage('<img src=x onerror="a()">', 'x" onclick="b()', (('" onfocus="c()', "<b>&</b>"),))]
    )
    assert "<img" not in out and "<b>" not in out
    assert 'href="x&quot; onclick=&quot;b()"' in out
    assert 'href="x&quot; onclick=&quot;b()#&quot; onfocus=&quot;c()"' in out
    assert "&lt;img src=x onerror=&quot;a()&quot;&gt;" in out and "&lt;b&gt;&amp;&lt;/b&gt;" in out


def test_no_colours_is_only_the_heading_comment() -> None:
    assert colours_css({}) == "/* Node colours configured in mkdocs.yml (plugins: mechanisms: colours). */\n"


def test_light_colours_alone_set_no_dark_palette() -> None:
    css = colours_css({"drug": Colour(light="#123456")})
    assert "--mechanisms-drug-fill: #123456;" in css
    assert css.count("{") == 1 and '[data-bs-theme="light"]' in css
    assert "prefers-color-scheme" not in css and '[data-bs-theme="dark"]' not in css


def test_both_palettes_cover_material_bootstrap_themes_and_the_system_setting() -> None:
    css = colours_css({"receptor": Colour("#dbeafe", "#1e3a5f"), "drug": Colour(dark="teal")})
    light, rest = css.split('[data-md-color-scheme="slate"], [data-bs-theme="dark"] {', 1)
    assert "--mechanisms-receptor-fill: #dbeafe;" in light and "drug" not in light
    assert '[data-bs-theme="light"]' in light
    assert light.rstrip().endswith("@media screen {")  # paper always gets the light colours
    dark, system = rest.split("@media screen and (prefers-color-scheme: dark) {", 1)
    assert dark.index("--mechanisms-drug-fill: teal;") < dark.index("--mechanisms-receptor-fill: #1e3a5f;")
    # a page with no palette switch follows the system; Material's explicit light scheme still wins,
    # and MkDocs' theme says its own mode on <html>
    assert (
        ":root:not([data-md-color-scheme]):not([data-bs-theme]) {\n  --mechanisms-drug-fill: teal;" in system
    )
    assert (
        'body[data-md-color-scheme]:not([data-md-color-scheme="slate"]) {\n  --mechanisms-receptor-fill: #dbeafe;'
        in system
    )
    assert css.count("{") == css.count("}")
