"""The page set and the URL policy: one class per way of writing links, each relative to its page."""

from __future__ import annotations

import pytest
from engine_site import SHARED, Built, cold_build
from mkdocs_mechanisms.links import (
    Links,
    PatternLinks,
    SourceLinks,
    Target,
    TargetKind,
    page_url,
    relative_url,
    root_prefix,
)
from mkdocs_mechanisms.options import Options

pytestmark = SHARED


@pytest.fixture(scope="module")
def cold(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return cold_build(tmp_path_factory)[1]


@pytest.mark.parametrize(
    ("src", "directory", "flat"),
    [
        ("index.md", "./", "index.html"),
        ("a/b.md", "a/b/", "a/b.html"),
        ("a/README.md", "a/", "a/index.html"),
        ("pathways/x.svg", "pathways/x.svg", "pathways/x.svg"),
    ],
)
def test_a_page_url_is_what_both_hosts_build(src: str, directory: str, flat: str) -> None:
    assert page_url(src) == directory and page_url(src, directory_urls=False) == flat


def test_relative_urls_and_the_way_up_to_the_root() -> None:
    assert relative_url("glossary/x/", "a/b/") == "../../glossary/x/"
    assert relative_url("./", "a/b.html") == "../"
    assert [root_prefix(u) for u in ("./", "a/", "a/b.html", "a/b/c/")] == ["", "../", "../", "../../../"]


def test_a_target_reads_the_builders_forms() -> None:
    assert Target.parse("glossary/bdnf") == Target(TargetKind.GLOSSARY, "bdnf")
    assert Target.parse("references#ref-a") == Target(TargetKind.REFERENCES, "", "ref-a")
    assert Target.parse("notes/page.md#x") == Target(TargetKind.PAGE, "notes/page.md", "x")


def test_each_policy_writes_links_its_own_way_and_none_to_a_missing_page() -> None:
    pages = ["index.md", "deep/page.md", "glossary/x.md", "references.md"]
    built, sources = Links(Options()), SourceLinks(Options(), directory_urls=False)
    for links in (built, sources):
        links.set_pages(pages)
    term = Target(TargetKind.GLOSSARY, "x")
    assert built.resolve(term, "deep/page.md") == "../../glossary/x/"
    assert sources.resolve(term, "deep/page.md") == "../glossary/x.md"  # Zensical rewrites it
    assert built.resolve("references#ref-a", "index.md") == "references/#ref-a"
    assert (
        built.resolve("glossary/missing", "index.md") == sources.resolve("glossary/missing", "index.md") == ""
    )
    # inside an SVG no host rewrites links: up to the root, then down, for every policy but the pattern
    assert built.in_svg("glossary/x", "deep/page.md") == "../../glossary/x/"
    assert sources.in_svg("glossary/x", "deep/page.md") == "../glossary/x.html"
    assert built.from_file("glossary/x", "pathways/p.svg") == "../glossary/x/"
    alone = PatternLinks(Options(), "/terms/{slug}/")
    assert alone.resolve(term, "anything.md") == alone.in_svg("glossary/x", "a.md") == "/terms/x/"
    assert alone.resolve("pathways/p", "a.md") == "" and not alone.always_cites and built.always_cites


def test_term_links_are_relative_to_the_page_that_shows_them(cold: Built) -> None:
    home, deep = cold.html["index.md"], cold.html["deep/nested/page.md"]
    assert '<a class="mechanisms-term" href="glossary/drug-x/"' in home
    assert '<a class="mechanisms-term" href="../../../glossary/receptor-y/"' in deep
    # inside the diagram too, from the same root
    assert 'href="../../../glossary/drug-x/"' in deep.split("<svg", 1)[1]
    term_page = cold.html["glossary/drug-x.md"]
    assert '<a href="../receptor-y/">Receptor Y</a>' in term_page
    assert 'class="mechanisms-term" href="../drug-x/"' not in term_page  # a term page never links itself
