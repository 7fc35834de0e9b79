"""Citations: finding ``[@key]`` outside code, the BibTeX bibliography, numbering and HTML."""

from __future__ import annotations

import html
import re

import pytest
from mkdocs_mechanisms.cite import (
    Bibliography,
    check_keys,
    citation_html,
    find_citations,
    find_markers,
    page_problems,
    parse_marker,
    placeholder,
    read_bibtex,
    reference_url,
)
from mkdocs_mechanisms.deferred import Slot, arguments
from mkdocs_mechanisms.errors import MechanismsError
from mkdocs_mechanisms.model import Reference
from mkdocs_mechanisms.numbers import Numbering

MARKDOWN = """\
Intro [@a] text.
Two [@a; @b] and [@c;@d].

```
[@code1]
```

Inline `[@code2]` and ``x [@code3] y``.
~~~~python
[@code4]
```
[@code5]
~~~~
    indented [@g] is fine
After [@e:1.x/y-z] and not [this] or [@] or [ @f].
"""


def test_find_citations_keys_and_lines() -> None:
    marks = list(find_citations(MARKDOWN, first_line=10))
    assert [(m.keys, m.line) for m in marks] == [
        (("a",), 10),
        (("a", "b"), 11),
        (("c", "d"), 11),
        (("g",), 23),
        (("e:1.x/y-z",), 24),
        (("f",), 24),  # pandoc allows a space after the bracket: [ @f]
    ]
    for mark in marks:
        assert MARKDOWN[mark.start : mark.end].replace(" ", "").startswith("[@")
        assert MARKDOWN[mark.start : mark.end].endswith("]")


def test_no_citations_inside_code() -> None:
    keys = {k for m in find_citations(MARKDOWN) for k in m.keys}
    assert not {k for k in keys if k.startswith("code")}


def test_unclosed_fence_hides_the_rest() -> None:
    assert [m.keys for m in find_citations("[@a]\n```\n[@b]\n")] == [("a",)]


def test_citation_marks_and_their_placeholder() -> None:
    marks = list(find_citations("See [@a; @b].\n`[@c]`\n", first_line=3))
    assert [(m.keys, m.line, m.start, m.end) for m in marks] == [(("a", "b"), 3, 4, 12)]
    assert arguments(placeholder(["a", "b"]), Slot.CITE) == ['{"i":[{"k":"a"},{"k":"b"}]}']


def test_check_keys_unknown_key_with_did_you_mean() -> None:
    marks = list(find_citations("ok [@kadriu2021]\n\nsee [@vollenweidr2010; @zzz]", first_line=5))
    problems = check_keys(marks, ["vollenweider2010", "kadriu2021"], "docs/index.md")
    assert [str(p) for p in problems] == [
        "docs/index.md:7: unknown citation key '@vollenweidr2010' (did you mean 'vollenweider2010'?)",
        "docs/index.md:7: unknown citation key '@zzz' (expected one of: kadriu2021, vollenweider2010)",
    ]


BIB = r"""% a comment
@article{vollenweider2010,
  author = {Vollenweider, Franz X. and Kometer, Michael},
  title = {The neurobiology of psychedelic drugs},
  journal = {Nat Rev Neurosci},
  year = {2010},
  volume = {11},
  number = {9},
  pages = {642--651},
  doi = {10.1038/nrn2884}
}

@article{muller2020,
  author = {M{\"u}ller, J{\"o}rg and Garc{\'\i}a, Ana and others},
  title = {Caf{\'e} {\"u}ber alles},
  journal = {J Test},
  year = 2020,
  doi = {https://doi.org/10.1000/xyz}
}

@book{web2019,
  author = {Web, Site},
  title = {Online},
  publisher = {Pub},
  year = {2019},
  url = {https://example.org/ref}
}
"""


def test_bibliography_from_bibtex() -> None:
    bib = Bibliography.from_bibtex(BIB, "docs/references.bib")
    assert bib.keys() == ["muller2020", "vollenweider2010", "web2019"]
    assert "muller2020" in bib and "nope" not in bib
    v = bib.references["vollenweider2010"]
    assert (
        v.text
        == "Vollenweider FX, Kometer M. The neurobiology of psychedelic drugs. Nat Rev Neurosci. 2010;11(9):642-651. doi:10.1038/nrn2884"
    )
    assert "<i>Nat Rev Neurosci</i>" in v.html
    assert v.doi == "10.1038/nrn2884"
    assert v.line == 2


def test_bibliography_decodes_latex_and_others() -> None:
    m = Bibliography.from_bibtex(BIB, "docs/references.bib").references["muller2020"]
    assert (
        m.text == "Müller J, García A, et al. Café über alles. J Test. Published online 2020. doi:10.1000/xyz"
    )
    assert "others" not in m.text and "\\" not in m.text and "{" not in m.text
    assert m.doi == "10.1000/xyz"  # the https://doi.org/ prefix is dropped


def test_duplicate_key_raises_with_line() -> None:
    text = BIB + "\n@article{muller2020,\n  title = {Again},\n  year = {2021}\n}\n"
    with pytest.raises(MechanismsError) as info:
        Bibliography.from_bibtex(text, "docs/references.bib")
    (problem,) = info.value.problems
    assert problem.file == "docs/references.bib"
    assert problem.message == "duplicate citation key 'muller2020'"
    assert problem.line == BIB.count("\n") + 2


def test_duplicate_field_raises_with_line() -> None:
    text = "@article{x,\n  title = {A},\n  title = {B}\n}\n"
    with pytest.raises(MechanismsError) as info:
        Bibliography.from_bibtex(text, "refs.bib")
    (problem,) = info.value.problems
    assert (problem.file, problem.line) == ("refs.bib", 1)
    assert "Duplicate field" in problem.message


def test_broken_entry_raises_with_line() -> None:
    text = "@article{ok,\n  title = {fine}\n}\n\n@article{broken,\n  title = {unbalanced,\n  year = 2020\n\n@article{y, title={fine}}\n"
    with pytest.raises(MechanismsError) as info:
        Bibliography.from_bibtex(text, "docs/references.bib")
    (problem,) = info.value.problems
    assert problem.line == 5
    assert problem.message


def test_reference_url() -> None:
    assert reference_url(Reference("a", "A", doi="10.1/x")) == "https://doi.org/10.1/x"
    assert reference_url(Reference("a", "A", url="https://example.org")) == "https://example.org"
    assert reference_url(Reference("a", "A", url="javascript:alert(1)")) == ""


def test_numbering_by_first_use_and_cited_on() -> None:
    n = Numbering()
    assert n.visit(["b", "a"], ("Home", "")) == [1, 2]
    assert n.visit(["a", "c"], ("Ketamine", "ketamine/")) == [2, 3]
    assert n.visit(["b"], ("Home", "")) == [1]
    assert n.visit(["d"]) == [4]
    assert n.numbers == {"b": 1, "a": 2, "c": 3, "d": 4}
    assert n.cited_on == {
        "b": [("Home", "")],
        "a": [("Home", ""), ("Ketamine", "ketamine/")],
        "c": [("Ketamine", "ketamine/")],
    }


def hostile_bib() -> Bibliography:
    """Entries whose text and links must be escaped."""
    return Bibliography(
        {
            "evil": Reference("evil", '<script>alert("x")</script> & Co.', doi="10.1/<b>"),
            "good": Reference("good", "Good A. Title. J. 2020.", doi="10.1000/good"),
            "web": Reference("web", "Web. 2019.", url="https://example.org/?a=1&b=2"),
            "plain": Reference("plain", "Plain. 2018."),
        }
    )


def test_citation_html_escapes_reference_text() -> None:
    numbering = Numbering()
    out = citation_html(
        ["good", "evil", "missing<x>"], numbering, hostile_bib(), lambda k: f"../references/#ref-{k}"
    )
    assert "<script" not in out
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co." in out
    assert out.startswith('<sup class="mechanisms-cite">') and out.endswith("</sup>")
    assert (
        '<a href="../references/#ref-good" data-tip-text="Good A. Title. J. 2020." aria-label="Reference 1">1</a>'
        in out
    )
    assert 'aria-label="Reference 2">2</a>' in out
    assert '<span class="mechanisms-cite-missing" title="unknown key">?missing&lt;x&gt;</span>' in out
    assert "missing<x>" not in numbering.numbers


def test_bibliography_refuses_keys_that_could_not_be_cited_safely() -> None:
    bib = "@article{ok, title={A}}\n@article{k--><script>alert(7)</script>, title = {T}, year = {2020}}\n"
    with pytest.raises(MechanismsError) as error:
        Bibliography.from_bibtex(bib, "docs/references.bib")
    assert [p.message for p in error.value.problems] == [
        "citation key 'k--><script>alert(7)</script>' cannot be cited"
    ]


def test_keys_are_escaped_in_every_marker() -> None:
    from mkdocs_mechanisms.cite import fragment

    assert '"y' not in placeholder(['x"y'])
    assert arguments(placeholder(['x"y']), Slot.CITE) == ['{"i":[{"k":"x\\"y"}]}']
    assert fragment("a#b%c") == "references#ref-a%23b%25c"


def test_control_and_bidi_characters_in_fields_are_refused_with_their_line_and_dropped() -> None:
    text = "@article{ok, title={Fine}, year={2019}}\n@article{a,\n title = {Ti\x07tle\x1b},\n journal={J\u202e},\n year={2020}}\n"
    bib, problems = read_bibtex(text, "r.bib")
    assert [str(p).split(" (")[0] for p in problems] == [
        "r.bib:3: a.title: invisible control character U+0007 in text",
        "r.bib:4: a.journal: invisible control character U+202E in text",
    ]
    assert bib is not None and bib.references["a"].text == "Title. J. Published online 2020."
    with pytest.raises(MechanismsError):
        Bibliography.from_bibtex(text, "r.bib")


def test_a_key_with_an_invisible_character_is_refused_by_name() -> None:
    bib, problems = read_bibtex("@article{k\x1bey, title={A}}\n@article{ok, title={B}}\n", "r.bib")
    assert [p.message for p in problems] == [
        "citation key 'key' holds an invisible control character U+001B, so it cannot be cited"
    ]
    assert bib is not None and bib.keys() == ["ok"]


def test_a_broken_entry_costs_only_itself() -> None:
    text = "@article{ok,\n  title = {fine}\n}\n\n@article{broken,\n  title = {unbalanced,\n  year = 2020\n\n@article{y, title={fine}}\n"
    bib, problems = read_bibtex(text, "docs/references.bib")
    assert [(p.line, p.message.split(":")[0]) for p in problems] == [(5, "could not read this entry")]
    assert bib is not None and "ok" in bib and "broken" not in bib


def test_markers_and_their_parse() -> None:
    text = "A [@a; @b] and [@ c].\n`[@d]`\n```\n[@e]\n```\n[@f](link) [@] <!-- [@g] -->\n"
    assert [(m.text, m.line) for m in find_markers(text, first_line=4)] == [
        ("[@a; @b]", 4),
        ("[@ c]", 4),
        ("@f", 9),  # an in-text candidate (the link pattern takes [@f](link) before citations are read)
        ("[@]", 9),
    ]
    assert parse_marker("[@a; @b]") == ("a", "b")
    assert parse_marker("[@ c]") is None and parse_marker("[@]") is None


def test_unicode_keys_are_citations_as_in_pandoc(tmp_path) -> None:
    from conftest import build_site, minimal_files

    assert parse_marker("[@müller2020]") == ("müller2020",)
    assert parse_marker("[@李2020; @smith2020]") == ("李2020", "smith2020")
    files = minimal_files()
    files["docs/references.bib"] += "@article{müller2020, author={Müller, J}, title={Umlaut}, year={2020}}\n"
    files["docs/index.md"] += "\nCited [@müller2020].\n"
    site = build_site(tmp_path, files)
    assert "[@müller2020]" not in site.page("") and "Umlaut" in site.page("references")


def test_a_figures_sources_join_its_caption_before_the_full_stop_once_each() -> None:
    from mkdocs_mechanisms.cite import with_sources

    assert with_sources("Psilocin may activate it [@a].", ["a", "b"]) == "Psilocin may activate it [@a; @b]."
    assert with_sources("It releases BDNF.", ["a", "b"]) == "It releases BDNF [@a; @b]."
    assert (
        with_sources("After X [@a]. It releases BDNF.", ["a", "b"]) == "After X [@a]. It releases BDNF [@b]."
    )
    assert with_sources("Cited [@a; @b] already!", ["b", "a"]) == "Cited [@a; @b] already!"
    assert with_sources("No stop", ["a"]) == "No stop [@a]"
    assert with_sources("", ["a", "a"]) == "[@a]"


def test_a_pathway_pages_sources_are_listed_by_number() -> None:
    from mkdocs_mechanisms.cite import sources_html

    bib = Bibliography.from_bibtex(BIB, "refs.bib")
    numbering = Numbering()
    numbering.visit(["web2019", "muller2020", "vollenweider2010"])
    listed = sources_html(["vollenweider2010", "web2019", "muller2020"], numbering, bib, lambda k: f"#{k}")
    assert re.findall(r'href="#([^"]+)"', listed)[::1] == ["web2019", "muller2020", "vollenweider2010"]
    assert [int(n) for n in re.findall(r">(\d+)</a>", listed)] == [1, 2, 3]


PANDOC_PAGE = """\
# Pandoc's syntax

Located [@smith2020, p. 233] and grouped [*see* @smith2020, pp. 232-235; also @jones2021, chap. 2].

@smith2020 says so, @jones2021 [fig. 3] agrees, and the year alone [-@jones2021].

Before a colon [@smith2020]:

- in a list item [see @jones2021, sec. 4]

Write to jane@example.org or use the @property decorator.
"""


@pytest.mark.parametrize("host", ["mkdocs", "zensical"])
@pytest.mark.parametrize("style", ["american-medical-association", "apa"])
def test_pandocs_citation_syntax_on_both_hosts(tmp_path, host: str, style: str) -> None:
    from conftest import minimal_files, write_site
    from hosts import build_with

    if host == "zensical":
        pytest.importorskip("zensical")
    files = minimal_files()
    files["docs/pandoc.md"] = PANDOC_PAGE
    config = (
        "site_name: Test\nnav: [index.md, deep/nested/page.md, pandoc.md]\n"
        f"plugins:\n  - mechanisms:\n      csl_style: {style}\n"
    )
    cfg = write_site(tmp_path, files, config)
    build_with(host, cfg, tmp_path / "site")
    page = (tmp_path / "site" / "pandoc" / "index.html").read_text(encoding="utf-8")
    article = page[page.index("<h1") :]
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", "", article.split("</article>")[0])).split())
    assert "[@" not in text and "@smith2020" not in text and "@jones2021" not in text
    assert "jane@example.org" in text and "the @property decorator" in text
    if style == "apa":
        assert "Located (Smith & Doe, 2020, p. 233)" in text
        assert "(see Smith & Doe, 2020, pp. 232–235; also Jones, 2021, Chapter 2)" in text
        assert "Smith & Doe (2020) says so, Jones (2021, Figure 3) agrees, and the year alone (2021)." in text
        assert "Before a colon (Smith & Doe, 2020):" in text
        assert "in a list item (see Jones, 2021, Section 4)" in text  # other locators in full
    else:
        first, second = "1", "2"  # the home page cites smith2020 first; jones2021 comes next
        assert f"Located{first}(p233)" in text
        assert f"grouped see {first}(pp232–235),also {second}(chap2)." in text  # a prefix keeps its space
        assert (
            f"Smith and Doe{first} says so, Jones{second}(fig3) agrees, and the year alone{second}." in text
        )
        assert f"Before a colon{first}:" in text and f"in a list item see {second}(sec4)" in text
    assert 'class="mechanisms-slot"' not in page and "data-affix" not in page


@pytest.mark.parametrize("host", ["mkdocs", "zensical"])
def test_walkthrough_steps_space_an_author_date_citation_and_attach_a_superscript(
    tmp_path, host: str
) -> None:
    """A step ends in a term's link; APA's "(Smith & Doe, 2020)" follows it after a space, AMA's ¹ at once."""
    from conftest import minimal_files, write_site
    from hosts import build_with

    if host == "zensical":
        pytest.importorskip("zensical")
    for style in ("apa", "american-medical-association"):
        files = minimal_files()
        files["diagrams/x-blocks-y.md"] = files["diagrams/x-blocks-y.md"].replace(
            ", note: Drug X is thought to block Y.", ""
        )
        root = tmp_path / style
        cfg = write_site(
            root, files, f"site_name: Test\nplugins:\n  - mechanisms:\n      csl_style: {style}\n"
        )
        build_with(host, cfg, root / "site")
        page = (root / "site" / "pathways" / "x-blocks-y" / "index.html").read_text(encoding="utf-8")
        step = re.search(r"<li\b[^>]*>.*?</li>", page[page.index("mechanisms-walkthrough") :], re.S)
        assert step is not None
        if style == "apa":
            assert re.search(
                r'>receptor Y</a> <span class="mechanisms-cite mechanisms-cite-inline">', step[0]
            )
            words = " ".join(html.unescape(re.sub(r"<[^>]+>", "", step[0])).split())
            assert words.endswith("receptor Y (Smith & Doe, 2020)"), words
        else:
            assert re.search(r'>receptor Y</a><sup class="mechanisms-cite">', step[0])


def test_a_key_cut_short_by_a_backslash_names_the_key_meant() -> None:
    text = "Intro [@smith\\_2020; @jones\\-b2] and [@gone]."
    problems = page_problems(text, 4, {"smith_2020"}, "docs/a.md")
    assert [(p.line, p.message, p.suggestion) for p in problems] == [
        (4, "unknown citation key '@smith'", "a citation key holds no backslash: write '@smith_2020'"),
        (4, "unknown citation key '@jones'", "a citation key holds no backslash: write '@jones-b2'"),
        (4, "unknown citation key '@gone'", "expected one of: smith_2020"),
    ]
