"""Loading sources: a configured folder or bibliography that is missing or not BibTeX is one message."""

from __future__ import annotations

import html
import logging
from pathlib import Path

import pytest
from conftest import MINIMAL_BIB, MINIMAL_PATHWAY, build_site, minimal_files, term_page, write_site
from hosts import serve_build
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs_mechanisms.check import check_project, read_project
from mkdocs_mechanisms.errors import MechanismsError, Problem
from mkdocs_mechanisms.places import OptionPlaces
from mkdocs_mechanisms.sources import missing_bibliography, missing_diagrams_dir
from mkdocs_mechanisms.zensical import prepare


def _config(option: str) -> str:
    return f"site_name: T\nplugins:\n  - mechanisms:\n      {option}\n"


def test_a_missing_diagrams_dir_is_named_once(tmp_path: Path, build_error) -> None:
    error = build_error(write_site(tmp_path, minimal_files(), _config("diagrams_dir: pathway-files")))
    assert error.count("diagrams folder 'pathway-files' does not exist") == 1, error
    assert "mkdocs.yml:4: plugins.mechanisms.diagrams_dir:" in error
    assert "unknown pathway" not in error


def test_a_missing_bibliography_is_named_once(tmp_path: Path, build_error) -> None:
    error = build_error(write_site(tmp_path, minimal_files(), _config("bibliography: refs.bib")))
    assert error.count("the bibliography 'refs.bib' does not exist") == 1, error
    assert "unknown citation key" not in error


def test_a_bibliography_that_is_not_bibtex_is_named_once(tmp_path: Path, build_error) -> None:
    files = minimal_files()
    files["docs/references.bib"] = "Smith J. A study of receptor Y. J Tests. 2020;1:3-4.\nJones A. Another.\n"
    error = build_error(write_site(tmp_path, files))
    assert error.count("docs/references.bib:1: the bibliography has no BibTeX entries") == 1, error
    assert "unknown citation key" not in error


def test_a_glossary_page_in_a_subfolder_is_named(tmp_path: Path, build_error) -> None:
    files = minimal_files()
    files["docs/glossary/drugs/zeta.md"] = term_page("Zeta", "drug", "A z.")
    error = build_error(write_site(tmp_path, files))
    assert (
        "docs/glossary/drugs/zeta.md: glossary pages sit directly in 'glossary/'; "
        "this one is in a subfolder, so it is not a term (move it to glossary/zeta.md)"
    ) in error
    assert "zeta.md', but the target" not in error


def _twenty_citing_pages(files: dict[str, str]) -> dict[str, str]:
    for i in range(20):
        files[f"docs/p{i}.md"] = (
            f"# P{i}\n\nA [@smith2020].\n\nB [@jones2021; @smith2020].\n\n```pathway\nx-blocks-y\n```\n"
        )
    return files


def _serve_once(cfg: Path) -> tuple[list[str], Path]:
    """One build as `mkdocs serve` runs it (nothing stops); the warnings it logged, and the site."""
    records: list[str] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        site = serve_build(cfg)
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    return records, site


@pytest.mark.parametrize(
    ("case", "cause"),
    [
        ("bibliography: refs.bib", "the bibliography 'refs.bib' does not exist"),
        ("default bibliography", "the bibliography 'references.bib' does not exist"),
        ("not bibtex", "docs/references.bib:1: the bibliography has no BibTeX entries"),
        ("diagrams_dir: pathway-files", "the diagrams folder 'pathway-files' does not exist"),
        ("default diagrams", "the diagrams folder 'diagrams' does not exist"),
    ],
)
def test_serving_names_a_missing_source_once_not_at_every_citation(
    tmp_path: Path, case: str, cause: str
) -> None:
    files = _twenty_citing_pages(minimal_files())
    if "bib" in case:
        del files["docs/references.bib"]
    if case == "not bibtex":
        files["docs/references.bib"] = "Smith J. A study of receptor Y. J Tests. 2020.\n"
    if "diagrams" in case:
        del files["diagrams/x-blocks-y.md"]
    logged, site = _serve_once(write_site(tmp_path, files, _config(case) if ":" in case else ""))
    assert [line for line in logged if "mechanisms" in line or "docs/" in line] == [
        line for line in logged if cause in line
    ], logged
    assert len([line for line in logged if cause in line]) == 1, logged
    page = (site / "p7/index.html").read_text(encoding="utf-8")
    assert 'class="mechanisms-error' in page and html.escape(cause, quote=True) in page  # shown where met


@pytest.mark.parametrize(
    ("gone", "cause"),
    [
        (
            "docs/references.bib",
            "mkdocs.yml: plugins.mechanisms.bibliography: the bibliography 'references.bib' ",
        ),
        (
            "diagrams/x-blocks-y.md",
            "mkdocs.yml: plugins.mechanisms.diagrams_dir: the diagrams folder 'diagrams' ",
        ),
    ],
)
def test_a_missing_default_source_in_use_is_named_as_a_configured_one(
    tmp_path: Path, build_error, gone: str, cause: str
) -> None:
    files = _twenty_citing_pages(minimal_files())
    del files[gone]
    error = build_error(write_site(tmp_path, files))
    assert error.count(cause) == 1, error
    assert "unknown citation key" not in error and "unknown pathway" not in error, error


def test_a_missing_default_bibliography_is_no_mistake_when_nothing_cites(tmp_path: Path) -> None:
    files = minimal_files()
    del files["docs/references.bib"]
    files["docs/index.md"] = "# Home\n\n```pathway\nx-blocks-y\n```\n"
    files["docs/deep/nested/page.md"] = "# Deep\n"
    files["docs/glossary/drug-x.md"] = term_page("Drug X", "drug", "A test drug.", body="Plain.")
    files["docs/glossary/receptor-y.md"] = term_page(
        "Receptor Y", "receptor", "A test receptor.", body="Plain."
    )
    files["diagrams/x-blocks-y.md"] = (
        MINIMAL_PATHWAY.replace("cite: [smith2020]\n", "")
        .replace(", cite: [smith2020]", "")
        .replace(" [@smith2020]", "")
    )
    build_site(tmp_path, files)


# -- one mistake, one message, at its cause (issue 22) ------------------------------------------------


def _problems(root: Path, files: dict[str, str]) -> tuple[list[str], object]:
    from mkdocs_mechanisms.check import check_project, read_project

    problems, sources = check_project(read_project(write_site(root, files)))
    return [str(p) for p in problems], sources


def test_a_bad_identifier_costs_only_the_identifier(tmp_path: Path) -> None:
    files = minimal_files()
    files["docs/glossary/drug-x.md"] = files["docs/glossary/drug-x.md"].replace(
        "kind: drug\n", "kind: drug\nidentifiers: [CHEBX:6121, 'CHEBI:6121']\n"
    )
    found, sources = _problems(tmp_path, files)
    assert found == [
        "docs/glossary/drug-x.md:5: identifiers[0]: unknown identifier prefix 'CHEBX' (did you mean 'CHEBI'?)"
    ]
    term = sources.terms["drug-x"]  # type: ignore[attr-defined]
    assert term.identifiers == ("CHEBI:6121",) and sources.pathways  # type: ignore[attr-defined]


def test_a_broken_entry_is_one_message_and_its_citations_are_not_unknown(tmp_path: Path) -> None:
    files = minimal_files()
    broken = "@article{broken2019, author={Broken, A}, title={Broken}, journal={J}, year={2019}\n"
    files["docs/references.bib"] = broken + files["docs/references.bib"]
    files["diagrams/x-blocks-y.md"] = files["diagrams/x-blocks-y.md"].replace(
        "cite: [smith2020]\nregions", "cite: [smith2020, broken2019]\nregions"
    )
    files["docs/index.md"] += "\nA broken source [@broken2019].\n"
    found, sources = _problems(tmp_path, files)
    assert len(found) == 1 and found[0].startswith("docs/references.bib:1: "), found
    assert list(sources.pathways) == ["x-blocks-y"]  # type: ignore[attr-defined]


def test_every_problem_of_a_pathway_file_is_reported_in_one_run(tmp_path: Path) -> None:
    files = minimal_files()
    files["diagrams/x-blocks-y.md"] = (
        MINIMAL_PATHWAY.replace("kind: receptor", "kind: recepter")
        .replace("term: drug-x}", "term: drug-z}")
        .replace("rel: leads-to, cite: [smith2020]", "rel: leads-to, cite: [smith2021]")
    )
    found, _ = _problems(tmp_path, files)
    assert found == [
        "diagrams/x-blocks-y.md:7: nodes.drug-x.term: unknown glossary term 'drug-z' (did you mean 'drug-x'?)",
        "diagrams/x-blocks-y.md:8: nodes.receptor-y.kind: unknown node kind 'recepter' (did you mean 'receptor'?)",
        "diagrams/x-blocks-y.md:12: edges[1].cite: unknown citation key 'smith2021' (did you mean 'smith2020'?)",
    ]  # and no fence naming it is an unknown pathway


def test_an_unknown_term_or_key_leaves_the_pathway_drawn(tmp_path: Path, warnings) -> None:
    files = minimal_files()
    files["diagrams/x-blocks-y.md"] = MINIMAL_PATHWAY.replace("term: drug-x}", "term: drug-z}")
    cfg = write_site(tmp_path, files)
    site = serve_build(cfg)
    found = [w for w in warnings() if "mechanisms:" in w or "drug-z" in w]
    assert len(found) == 1 and "unknown glossary term 'drug-z'" in found[0], found
    for page in ("pathways/x-blocks-y/index.html", "index.html", "deep/nested/page/index.html"):
        text = html.unescape((site / page).read_text(encoding="utf-8"))
        assert "<svg" in text, page
        box = text[text.index("mechanisms-error admonition") :]  # the pathway's own page and every embedder
        assert "unknown glossary term 'drug-z'" in box[: box.index("</div>")], page


def test_a_failed_build_prints_each_problem_once(tmp_path: Path, build_error) -> None:
    files = minimal_files()
    files["diagrams/x-blocks-y.md"] = MINIMAL_PATHWAY.replace("rel: blocks", "rel: block")
    files["docs/index.md"] += "\nUnknown [@nobody2000].\n"
    error = build_error(write_site(tmp_path, files))
    assert error.count("unknown relation 'block'") == 1, error
    assert error.count("unknown citation key '@nobody2000'") == 1, error  # a page's problem, same run
    assert "unknown pathway" not in error
    assert "2 problems in 2 files, each reported above: the build stopped" in error


def test_while_serving_every_unaffected_page_and_the_references_are_built(tmp_path: Path) -> None:
    files = minimal_files()
    files["docs/references.bib"] = "@article{broken, title={B}, year={2019}\n" + files["docs/references.bib"]
    files["diagrams/second.md"] = MINIMAL_PATHWAY.replace("rel: blocks", "rel: block")
    files["docs/second.md"] = "# Second\n\n```pathway\nsecond\n```\n\nBroken [@broken].\n"
    files["docs/glossary/drug-x.md"] = files["docs/glossary/drug-x.md"].replace(
        "kind: drug\n", "kind: drug\nidentifiers: [CHEBX:1]\n"
    )
    site = serve_build(write_site(tmp_path, files))
    references = (site / "references/index.html").read_text(encoding="utf-8")
    assert "A study of receptor Y" in references and "Another study" in references
    deep = (site / "deep/nested/page/index.html").read_text(encoding="utf-8")
    assert "<svg" in deep and "mechanisms-error" not in deep  # unaffected: drawn, no error box
    assert (site / "glossary/drug-x/index.html").is_file()  # the term with a bad identifier is still a page
    second = (site / "second/index.html").read_text(encoding="utf-8")
    assert "unknown relation &#x27;block&#x27;" in second or "unknown relation 'block'" in second


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("rel: leads-to, cite", "rel: lead-to, cite", "unknown relation 'lead-to'"),
        ("kind: outcome", "kind: outcom", "unknown node kind 'outcom'"),
        ("region: pfc}", "region: pcf}", "unknown region 'pcf'"),
    ],
)
def test_a_bad_edge_or_node_costs_only_itself_on_the_site(
    tmp_path: Path, warnings, old, new, message
) -> None:
    files = minimal_files()
    files["diagrams/x-blocks-y.md"] = MINIMAL_PATHWAY.replace(old, new, 1)
    site = serve_build(write_site(tmp_path, files))
    found = [w for w in warnings() if "mechanisms:" in w]
    assert len(found) == 1 and message in found[0], found  # once, at its cause
    for page in ("pathways/x-blocks-y/index.html", "index.html"):
        text = html.unescape((site / page).read_text(encoding="utf-8"))
        assert "<svg" in text and "Drug X" in text, page  # the rest of the pathway is drawn
        assert message in text and "mechanisms-error" in text, page


def test_a_page_citing_a_broken_entry_shows_the_entry_problem_while_serving(tmp_path: Path) -> None:
    files = minimal_files()
    files["docs/references.bib"] = "@article{broken, title={B}, year={2019}\n" + MINIMAL_BIB
    files["docs/cites.md"] = "# Cites\n\nBroken [@broken].\n"
    site = serve_build(write_site(tmp_path, files))
    cites = html.unescape((site / "cites/index.html").read_text(encoding="utf-8"))
    assert "mechanisms-error" in cites and "docs/references.bib:1: could not read this entry" in cites
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "mechanisms-error" not in home  # cites only sound entries: no box


OPTION_MISTAKES = [
    ("csl_style", "vancuver", "unknown CSL style 'vancuver'"),
    ("diagrams_dir", "pathway-files", "the diagrams folder 'pathway-files' does not exist"),
    ("bibliography", "refs.bib", "the bibliography 'refs.bib' does not exist"),
    ("diagrams_dir", "docs/diagrams", "overlaps docs_dir"),
    ("cache_dir", "docs/.cache", "is inside a watched folder"),
]


def _reported(host: str, root: Path, key: str, value: str) -> tuple[str, str]:
    """What ``host`` reports for the site under ``root`` with ``key: value``, and where it should."""
    files = minimal_files()
    if host == "zensical":
        files["zensical.toml"] = (
            f'[project]\nsite_name = "T"\n\n[project.plugins.mechanisms]\n{key} = "{value}"\n'
        )
        write_site(root, files).unlink()  # the mkdocs.yml it writes: Zensical's file only
        cfg, where = root / "zensical.toml", "zensical.toml:5"
    elif host == "inherit":
        files["conf/base.yml"] = f"plugins:\n  - mechanisms:\n      {key}: {value}\n"
        cfg, where = write_site(root, files, "INHERIT: conf/base.yml\nsite_name: T\n"), "conf/base.yml:3"
    else:
        cfg, where = write_site(root, files, _config(f"{key}: {value}")), "mkdocs.yml:4"
    if host == "check":
        problems, _ = check_project(read_project(cfg))
        return "\n".join(map(str, problems)), where
    if host == "zensical":
        said: list[str] = []
        with pytest.raises(MechanismsError) as error:
            prepare(cfg, serving=False, warn=said.append)
        return "\n".join([*said, str(error.value)]), where
    caplog_text: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: caplog_text.append(record.getMessage())  # type: ignore[method-assign]
    logging.getLogger("mkdocs").addHandler(handler)
    try:
        with pytest.raises(Abort):
            build(load_config(str(cfg), site_dir=str(root / "site"), strict=True))
    finally:
        logging.getLogger("mkdocs").removeHandler(handler)
    return "\n".join(caplog_text), where


@pytest.mark.parametrize("host", ["mkdocs", "inherit", "zensical", "check"])
@pytest.mark.parametrize(("key", "value", "message"), OPTION_MISTAKES)
def test_a_mistaken_option_the_engine_finds_is_reported_at_its_file_and_line(
    tmp_path: Path, host: str, key: str, value: str, message: str
) -> None:
    """Every host says where the option is written: its own file, the option's line, the key path."""
    reported, where = _reported(host, tmp_path, key, value)
    assert f"{where}: plugins.mechanisms.{key}: " in reported and message in reported, reported
    assert "mkdocs.yml:" not in reported or where.startswith("mkdocs.yml"), reported


def test_a_missing_folder_or_bibliography_is_reported_where_its_option_is_written(tmp_path: Path) -> None:
    places = OptionPlaces("mkdocs.yml", {"diagrams_dir": 6, "bibliography": 8})
    diagrams = missing_diagrams_dir(tmp_path / "nowhere", "nowhere", places)
    bibliography = missing_bibliography(tmp_path / "refs.bib", "refs.bib", places)
    assert diagrams is not None and (diagrams.file, diagrams.line) == ("mkdocs.yml", 6)
    assert bibliography is not None and (bibliography.file, bibliography.line) == ("mkdocs.yml", 8)
    assert missing_diagrams_dir(tmp_path, "x", places) is None


def test_a_source_read_again_unchanged_is_not_parsed_again_and_an_edit_is(
    tmp_path: Path, monkeypatch
) -> None:
    """``serve`` loads every source on each rebuild; a file whose text is unchanged costs no new parse."""
    from mkdocs_mechanisms import sources as sources_module

    files = minimal_files()
    root = write_site(tmp_path, files).parent
    pathway = root / "diagrams" / "x-blocks-y.md"
    calls: list[str] = []
    real = sources_module.read_pathway_parts

    def counting(text: str, name: str):  # type: ignore[no-untyped-def]
        calls.append(name)
        return real(text, name)

    monkeypatch.setattr(sources_module, "read_pathway_parts", counting)
    monkeypatch.setattr(sources_module, "_PATHWAYS", sources_module._Reads(10))  # earlier tests' reads

    def load() -> sources_module.Sources:
        return sources_module.load_sources(root, [pathway], [], None)

    first, second = load(), load()
    assert calls == ["diagrams/x-blocks-y.md"]
    assert second.pathways == first.pathways
    second.problems.append(Problem("x", 1, "", "added by a caller"))  # a caller's list is its own
    assert load().problems == first.problems
    pathway.write_text(MINIMAL_PATHWAY.replace("Drug X blocks", "Drug X still blocks"), encoding="utf-8")
    edited = load()
    assert calls == ["diagrams/x-blocks-y.md"] * 2
    assert edited.pathways["x-blocks-y"].title == "Drug X still blocks receptor Y"


def test_serve_builds_leave_the_sources_they_share_as_a_fresh_parse_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``serve`` hands every rebuild the pathways, terms and bibliography parsed before (``_Reads``).

    A build that changed one (a node, an edge, a reference) would change every later build
    without any file changing. Pathways and terms are frozen; their dicts and lists are not:
    after two ``mkdocs serve`` builds and a Zensical preparation in one process, every kept
    result is what parsing its text afresh gives.
    """
    from engine_site import FILES
    from mkdocs_mechanisms import sources as sources_module
    from mkdocs_mechanisms.cite import read_bibtex
    from mkdocs_mechanisms.load import read_pathway_parts
    from mkdocs_mechanisms.termpage import read_term

    kept = {name: sources_module._Reads(100) for name in ("_PATHWAYS", "_TERMS", "_BIBLIOGRAPHIES")}
    for name, reads in kept.items():
        monkeypatch.setattr(sources_module, name, reads)  # only this test's reads
    cfg = write_site(tmp_path, FILES)  # a comparison, a neighbourhood and a one-off figure too
    serve_build(cfg)
    serve_build(cfg)
    prepare(cfg, serving=True)
    pathways, terms, bibliographies = (kept[name]._kept for name in kept)
    assert len(pathways) == 2 and len(terms) == 2 and len(bibliographies) == 1  # each read once, shared
    for (text, name, _), result in pathways.items():
        assert result == read_pathway_parts(text, name), name
    for (text, name, _), result in terms.items():
        assert result == read_term(text, name), name
    for (text, name, style), (bib, problems) in bibliographies.items():
        fresh, fresh_problems = read_bibtex(text, name, style)
        assert bib is not None and fresh is not None and problems == fresh_problems
        assert (bib.references, bib.source, bib.group) == (fresh.references, fresh.source, fresh.group)
