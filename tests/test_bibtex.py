"""BibTeX and biblatex as reference managers write them, mapped to CSL data (LaTeX decoded once)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from mkdocs_mechanisms import bibtex, csl
from mkdocs_mechanisms.cite import read_bibtex
from mkdocs_mechanisms.latex import decode


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        (r"{$\mu$}-opioid", '<span class="nocase">μ</span>-opioid'),
        (r"0.5 {\textmu}g", "0.5 µg"),
        (r"2008{\textendash}2010", "2008–2010"),
        (r"Parkinson{\textquoteright}s", "Parkinson’s"),
        (r"and so on\ldots", "and so on…"),
        (r"{\o}stergaard and Gau{\ss}", "østergaard and Gauß"),
        (r"M\"{u}ller and M{\"u}ller", "Müller and Müller"),
        (r"\emph{in vivo} and \textit{in vitro}", "in vivo and in vitro"),
        (r"5\textsuperscript{th} and Ca$^{2+}$ and CO$_2$", "5th and Ca²⁺ and CO₂"),
        (r"5-HT$_{1A}$ and K$^{ATP}$, as \textsubscript{1A}", "5-HT1A and KATP, as 1A"),
        (r"37{\textdegree}C {\textpm} 2", "37°C ± 2"),
        (r"{\textless}50 and {\textgreater}3", "<50 and >3"),
        (r"a{\textbackslash}b", "a\\b"),
        ("dose---response and 10--20", "dose—response and 10–20"),
        (r"\textsuperscript{2}H", "²H"),
        (r"Reduced by 50% in mice & rats", "Reduced by 50% in mice & rats"),
        (r"\enquote{Ketamine}", "“Ketamine”"),
        (r"\v{S}ubi{\'c}", "Šubić"),
    ],
)
def test_latex_that_reference_managers_write_is_decoded(latex: str, text: str) -> None:
    decoded = decode(latex)
    assert decoded.unknown == ()
    assert decoded.text == text


def test_case_protecting_braces_become_nocase_but_accents_in_braces_do_not() -> None:
    assert decode(r"Pre-{B}{\"o}tzinger").text == 'Pre-<span class="nocase">B</span>ötzinger'
    assert decode(r"{BDNF} and {{NMDA}}").text == (
        '<span class="nocase">BDNF</span> and <span class="nocase">NMDA</span>'
    )


def test_an_unknown_command_is_named() -> None:
    assert decode(r"\mycommand{x} y").unknown == ("\\mycommand",)


def test_entry_types_follow_the_fields() -> None:
    assert bibtex.csl_type("misc", {"url": "https://x.org"}) == "webpage"
    assert bibtex.csl_type("online", {"url": "https://x.org"}) == "webpage"
    assert bibtex.csl_type("misc", {}) == "document"
    assert bibtex.csl_type("article", {"journal": "bioRxiv"}) == "article"
    assert bibtex.csl_type("article", {"journaltitle": "Neuron"}) == "article-journal"
    assert bibtex.csl_type("phdthesis", {}) == "thesis"
    assert bibtex.csl_type("incollection", {}) == "chapter"
    assert bibtex.csl_type("inproceedings", {}) == "paper-conference"


def test_biblatex_fields_are_mapped() -> None:
    data = bibtex.to_csl(
        "k",
        "article",
        {
            "author": r"M{\"u}ller, Hans and {World Health Organization} and others",
            "title": "T",
            "journaltitle": "Neuron",
            "date": "2021-08-16",
            "urldate": "2022-01-02",
            "langid": "english",
            "eprint": "34567890",
            "eprinttype": "pubmed",
            "doi": "https://doi.org/10.1/X_Y",
            "abstract": r"\undefinedcommand{ never read }",
        },
    )
    assert data.problems == []
    assert data.truncated == {"author"}
    assert data.data == {
        "id": "k",
        "type": "article-journal",
        "title": "T",
        "container-title": "Neuron",
        "issued": {"date-parts": [[2021, 8, 16]]},
        "accessed": {"date-parts": [[2022, 1, 2]]},
        "language": "en",
        "PMID": "34567890",
        "DOI": "10.1/X_Y",
        "author": [{"given": "Hans", "family": "Müller"}, {"literal": "World Health Organization"}],
    }


def test_an_undecodable_command_costs_a_message_with_field_and_line_not_the_entry() -> None:
    text = "@article{a,\n  author = {Doe, J.},\n  title = {A \\weird{b} title},\n  journal = {J},\n  year = {2000}\n}\n"
    bibliography, problems = read_bibtex(text, "docs/references.bib", csl.load_style("apa"))
    assert [str(p) for p in problems] == [
        "docs/references.bib:3: a.title: cannot decode the LaTeX command '\\weird' in field 'title'; it was left out"
    ]
    assert bibliography is not None
    assert bibliography.references["a"].text == "Doe, J. (2000). A b title. J."


def test_noncharacters_are_refused_with_file_and_line_also_as_escapes() -> None:
    text = (
        "@article{a,\n  author = {Doe, J.},\n  title = {A\ufffeB},\n"
        '  journal = {J\\symbol{"FFFF}},\n  publisher = {P^^^^fffe},\n  year = {2000}\n}\n'
    )
    bibliography, problems = read_bibtex(text, "docs/references.bib", csl.load_style("apa"))
    assert [str(p) for p in problems] == [
        "docs/references.bib:3: a.title: Unicode noncharacter U+FFFE in text (delete it: it cannot appear "
        "in a web page or an SVG and may hide what the text says)",
        "docs/references.bib:4: a.journal: the LaTeX of field 'journal' writes the Unicode noncharacter "
        "U+FFFF; it was left out",
        "docs/references.bib:5: a.publisher: the LaTeX of field 'publisher' writes the Unicode noncharacter "
        "U+FFFE; it was left out",
    ]
    assert bibliography is not None
    assert (
        "\ufffe" not in bibliography.references["a"].html
        and "\uffff" not in bibliography.references["a"].html
    )


def test_mixed_case_keys_are_formatted() -> None:
    text = (
        "@article{Smith2020, author={Smith, A}, title={T}, journal={J}, year=2020}\n"
        "@article{smith2020, author={Jones, A}, title={U}, journal={J}, year=2021}\n"
    )
    bibliography, problems = read_bibtex(text, "x.bib", csl.load_style("apa"))
    assert problems == [] and bibliography is not None
    assert bibliography.references["Smith2020"].text == "Smith, A. (2020). T. J."
    assert bibliography.references["smith2020"].text == "Jones, A. (2021). U. J."


# -- exports of real tools, in five styles -------------------------------------------------------------

CORPUS = Path(__file__).parent / "fixtures" / "bibliographies"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
STYLES = ["american-medical-association", "apa", "vancouver-nlm", "nature", "chicago-author-date"]


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("export", sorted(EXPECTED))
def test_each_tools_export_reads_as_the_style_prints_it(export: str, style: str) -> None:
    text = (CORPUS / export).read_text(encoding="utf-8")
    bibliography, problems = read_bibtex(text, f"docs/{export}", csl.load_style(style))
    assert problems == []
    assert bibliography is not None
    rendered = {key: ref.text for key, ref in bibliography.references.items()}
    assert rendered == EXPECTED[export][style]


@pytest.mark.parametrize("export", sorted(EXPECTED))
def test_exports_leave_no_latex_and_nothing_private_in_the_html(export: str) -> None:
    bibliography, _problems = read_bibtex((CORPUS / export).read_text(encoding="utf-8"), export)
    assert bibliography is not None and bibliography.styled is not None
    for _key, formatted in bibliography.styled.entries(list(bibliography.references)):
        assert not re.search(r"[\\{}$~]|textmu|/home/|Zotero/storage|Mendeley|abstract", formatted.html), (
            formatted.html
        )
        assert "?." not in formatted.text


def test_the_corpus_covers_every_tool_and_the_types_that_matter() -> None:
    assert sorted(EXPECTED) == [
        "jabref.bib",
        "mendeley.bib",
        "pubmed.bib",
        "zotero-better-biblatex.bib",
        "zotero-better-bibtex.bib",
        "zotero.bib",
    ]
    ama = EXPECTED["zotero-better-biblatex.bib"]["american-medical-association"]
    assert "Preprint posted online" not in ama["worldhealthorganizationDepressiveDisorderDepression2023"]
    assert "bioRxiv. Preprint posted online May 3, 2022." in ama["tanakaPsilocybinPersistentlyIncreases2022"]
    apa = EXPECTED["jabref.bib"]["apa"]
    assert (
        "(Publication)" not in apa["Lindqvist2021"]
        and "[PhD thesis]. Karolinska Institutet." in apa["Lindqvist2021"]
    )


LATEXISH = st.lists(
    st.sampled_from(
        [*"aZ9 \\{}$^_~%&#-'`\"=,.@\u00e9\u03bc\ufffe", "\\textmu", "\\emph", "\\char", "^^", "--"]
    ),
    max_size=25,
).map("".join)
"""Field text built from the characters and commands that matter to a LaTeX reader."""


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(LATEXISH)
def test_decoding_any_field_text_never_raises_anything_but_a_reported_error(value: str) -> None:
    try:
        decoded = decode(value)
    except ValueError:
        return
    assert isinstance(decoded.text, str)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(LATEXISH, LATEXISH, LATEXISH)
def test_any_entry_is_read_or_reported_never_a_traceback(title: str, author: str, year: str) -> None:
    fields = {"title": title, "author": author, "year": year, "journal": "J", "pages": year, "date": year}
    mapped = bibtex.to_csl("k", "article", fields)
    assert all(isinstance(message, str) for _field, message in mapped.problems)


@settings(max_examples=25, deadline=None, derandomize=True, database=None)
@given(
    st.lists(
        st.sampled_from(
            ["title", "author", "year", "pages", "date", "month", "volume", "editor", "url", "doi"]
        ),
        min_size=1,
        max_size=4,
        unique=True,
    ),
    LATEXISH,
)
def test_a_bibliography_of_odd_values_formats_or_reports_each_entry(names: list[str], value: str) -> None:
    body = ",\n".join(f"  {name} = {{{value.replace('{', '').replace('}', '')}}}" for name in names)
    bibliography, problems = read_bibtex(f"@misc{{k,\n{body}\n}}\n", "x.bib", csl.load_style("apa"))
    assert bibliography is not None
    assert "k" in bibliography.references or problems
