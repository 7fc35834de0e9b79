"""One cited item in the forms a CSL style gives it, and whole clusters as pandoc's citeproc prints them.

The bibliography and the expected texts follow pandoc's ``pandoc-citeproc-chicago-author-date``
and ``pandoc-citeproc-ieee`` tests (a book, an article, a chapter by two authors), plus one
work by three authors; the AMA style is the article's.
"""

from __future__ import annotations

import html
import re

import pytest
from mkdocs_mechanisms import citeforms, csl
from mkdocs_mechanisms.cite import Bibliography, citation_html
from mkdocs_mechanisms.citesyntax import Cluster, Item, candidates, parse_bracketed, parse_in_text
from mkdocs_mechanisms.numbers import Numbering

BIB = """\
@book{item1, author = {Doe, John}, title = {First Book}, publisher = {Cambridge University Press},
  address = {Cambridge}, year = {2005}}
@article{item2, author = {Doe, John}, title = {Article}, journal = {Journal of Generic Studies},
  volume = {6}, pages = {33--34}, year = {2006}}
@incollection{item3, author = {Doe, John and Roe, Jenny}, title = {Why Water Is Wet},
  booktitle = {Third Book}, editor = {Smith, Sam}, publisher = {Oxford University Press}, year = {2007}}
@article{item4, author = {Roe, Jenny and Doe, John and Poe, Edgar}, title = {Three}, journal = {J}, year = {2008}}
"""


def bibliography(style: str) -> tuple[Bibliography, Numbering]:
    bib = Bibliography.from_bibtex(BIB, "refs.bib", csl.load_style(style))
    numbering = Numbering()
    numbering.visit(["item1", "item2", "item3", "item4"])
    return bib, numbering


def shown(written: str, bib: Bibliography, numbering: Numbering) -> str:
    """What a reader sees of one written citation: text, with ^…^ around superscript."""
    if written.startswith("["):
        cluster = parse_bracketed(written)
    else:
        cluster = parse_in_text(next(candidates(written)))
    assert cluster is not None, written
    out = citation_html(cluster, numbering, bib, lambda key: f"#ref-{key}")
    out = re.sub(r"</?sup[^>]*>", "^", out)
    return html.unescape(re.sub(r"<[^>]+>", "", out))


CASES = [
    # written, AMA (numeric, superscript), Chicago author-date, APA
    ("[@item1]", "^1^", "(Doe 2005)", "(Doe, 2005)"),
    ("[@item1, p. 30]", "^1(p30)^", "(Doe 2005, 30)", "(Doe, 2005, p. 30)"),
    (
        "[@item1 pp. 33, 35-37, and nowhere else]",
        "^1(pp33, 35–37), and nowhere else^",
        "(Doe 2005, 33, 35–37, and nowhere else)",
        "(Doe, 2005, pp. 33, 35–37, and nowhere else)",
    ),
    (
        "[@item1 and nowhere else]",
        "^1 and nowhere else^",
        "(Doe 2005 and nowhere else)",
        "(Doe, 2005 and nowhere else)",
    ),
    (
        "[see @item1, p. 34-35; also @item3, chap. 3]",
        "^see 1(pp34–35),also 3(chap3)^",
        "(see Doe 2005, 34–35; also Doe and Roe 2007, chap. 3)",
        "(see Doe, 2005, pp. 34–35; also Doe & Roe, 2007, Chapter 3)",
    ),
    ("[@item1, chap. 2]", "^1(chap2)^", "(Doe 2005, chap. 2)", "(Doe, 2005, Chapter 2)"),
    ("[@item1, chaps. 2-3]", "^1(chaps2–3)^", "(Doe 2005, chaps. 2–3)", "(Doe, 2005, Chapters 2–3)"),
    ("[@item1, sec. 4]", "^1(sec4)^", "(Doe 2005, sec. 4)", "(Doe, 2005, Section 4)"),
    ("[@item1, chap. iv]", "^1(chapiv)^", "(Doe 2005, iv)", "(Doe, 2005, iv)"),  # no number: no label
    ("[-@item1]", "^1^", "(2005)", "(2005)"),
    ("[-@item2, p. 44]", "^2(p44)^", "(2006, 44)", "(2006, p. 44)"),
    ("@item1 says", "Doe^1^", "Doe (2005)", "Doe (2005)"),
    ("@item1 [p. 30] says", "Doe^1(p30)^", "Doe (2005, 30)", "Doe (2005, p. 30)"),
    (
        "@item1 [p. 30, with suffix] says",
        "Doe^1(p30), with suffix^",
        "Doe (2005, 30, with suffix)",
        "Doe (2005, p. 30, with suffix)",
    ),
    (
        "@item1 [-@item2 p. 30; see also @item3] says",
        "Doe^1,2(p30),see also 3^",
        "Doe (2005; 2006, 30; see also Doe and Roe 2007)",
        "Doe (2005; 2006, p. 30; see also Doe & Roe, 2007)",
    ),
    ("@item3 wrote", "Doe and Roe^3^", "Doe and Roe (2007)", "Doe & Roe (2007)"),
    ("@item4 wrote", "Roe et al.^4^", "Roe et al. (2008)", "Roe et al. (2008)"),
    (
        "[@item2; @item1, p. 3; @item3; @item4]",
        "^1(p3),2–4^",
        "(Doe 2006; Doe 2005, 3; Doe and Roe 2007; Roe et al. 2008)",
        "(Doe, 2006; Doe, 2005, p. 3; Doe & Roe, 2007; Roe et al., 2008)",
    ),
    ("[@item1; @nokey]", "^1,?nokey^", "(Doe 2005; ?nokey)", "(Doe, 2005; ?nokey)"),
]


@pytest.mark.parametrize(
    ("style", "column"), [("american-medical-association", 1), ("chicago-author-date", 2), ("apa", 3)]
)
def test_every_form_of_pandocs_syntax_as_the_style_prints_it(style: str, column: int) -> None:
    bib, numbering = bibliography(style)
    for case in CASES:
        assert shown(case[0], bib, numbering) == case[column], (style, case[0])


def test_numbers_stay_the_sites_whatever_order_citeproc_saw() -> None:
    bib, _ = bibliography("american-medical-association")
    numbering = Numbering()
    numbering.visit(["item4", "item3", "item2", "item1"])
    assert shown("[@item1, p. 9]", bib, numbering) == "^4(p9)^"
    assert shown("@item2 [p. 2]", bib, numbering) == "Doe^3(p2)^"


def test_the_forms_of_one_item() -> None:
    bib, _numbering = bibliography("chicago-author-date")
    forms = bib.forms
    assert forms is not None
    order = ["item1", "item2", "item3", "item4"]
    assert forms.render("item3", citeforms.NORMAL, order) == "Doe and Roe 2007"
    assert forms.render("item3", citeforms.SUPPRESS_AUTHOR, order, "page", "4") == "2007, 4"
    assert forms.render("item3", citeforms.AUTHOR_ONLY, order) == "Doe and Roe"


def test_a_citation_links_each_item_and_escapes_every_text() -> None:
    bib, numbering = bibliography("apa")
    cluster = Cluster(
        (Item("item1", prefix="<em>see</em>", label="page", locator="<b>3</b>"),), in_text=False
    )
    out = citation_html(cluster, numbering, bib, lambda key: f"#ref-{key}")
    assert '<em>see</em> <a href="#ref-item1"' in out  # the prefix is the author's rendered Markdown
    assert "<b>" not in out and "&lt;b&gt;3&lt;/b&gt;" in out  # a locator is text
    named = citation_html(Cluster((Item("item1"),), in_text=True), numbering, bib, lambda key: f"#ref-{key}")
    assert named.startswith('<span class="mechanisms-cite-author">Doe</span> <span class="mechanisms-cite')
