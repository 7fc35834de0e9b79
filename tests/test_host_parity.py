"""A reader cannot tell which host built the article: the same pages, figures, links and citations.

The article is built with MkDocs and with `mkdocs-mechanisms zensical build` under Zensical
0.0.73 and 0.1.x (``hosts.py``) from one copy of its sources (later builds reuse the first
one's diagram cache), and every
page's content is compared by what a reader sees: which pathway each figure shows and
its number, where term links go, the citation numbers and their targets, the
references list. The hosts' own chrome (header, navigation, search, footer) differs
by design and is left out: only the page's ``<article>`` is read.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_article
from hosts import ZENSICAL_HOSTS, build_with
from lxml import html

pytest.importorskip("zensical")
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("parity")]

Facts = dict[str, dict[str, Any]]


def facts(site: Path) -> Facts:
    """What a reader sees of the mechanisms on every page of a built site."""
    out: Facts = {}
    for file in sorted(site.rglob("*.html")):
        rel = file.relative_to(site).as_posix()
        if rel == "404.html":
            continue
        articles = html.fromstring(file.read_bytes()).xpath("//article")
        assert len(articles) == 1, f"{rel}: one <article> expected"
        article = articles[0]
        out[rel] = {
            "h1": " ".join(article.xpath("string(.//h1)").split()),
            "figures": [
                (figure.get("data-pathway"), figure.xpath("string(.//*[@class='mechanisms-figure-label'])"))
                for figure in article.xpath(".//figure[contains(@class, 'mechanisms-figure')]")
            ],
            "terms": sorted(
                {
                    a.get("href")
                    for a in article.xpath(".//a[contains(concat(' ', @class, ' '), ' mechanisms-term ')]")
                }
            ),
            "citations": [
                (sup.text_content().strip(), sup.xpath("string(.//a/@href)"))
                for sup in article.xpath(".//sup[contains(@class, 'mechanisms-cite')]")
            ],
            "references": [
                (li.get("id"), li.get("value"), " ".join(li.text_content().split()))
                for li in article.xpath(".//li[starts-with(@id, 'ref-')]")
            ],
            "typed": _typed_citations(article),
        }
    return out


def _typed_citations(article: Any) -> list[str]:
    """Citation syntax left as typed in the text a reader sees (code shows it on purpose)."""
    for code in article.xpath(".//pre|.//code"):
        code.drop_tree()
    return re.findall(r"\[-?@[^\]]*\]", article.text_content())


URL = "http://127.0.0.1:8000/mkdocs-mechanisms/"


@pytest.fixture(scope="module")
def article(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Facts]:
    """One copy of the article, built with MkDocs (the reference every Zensical build is held to)."""
    root = tmp_path_factory.mktemp("parity")
    cfg = copy_article(root)
    build_with("mkdocs", cfg, root / "site-mkdocs", site_url=URL)
    return cfg, facts(root / "site-mkdocs")


@pytest.fixture(scope="module", params=ZENSICAL_HOSTS)
def both(request: pytest.FixtureRequest, article: tuple[Path, Facts]) -> tuple[Facts, Facts]:
    """The article under one Zensical version, from the same sources (its diagram cache reused)."""
    cfg, mkdocs = article
    site = cfg.parent / f"site-{request.param}"
    build_with(request.param, cfg, site, site_url=URL)
    return mkdocs, facts(site)


def test_both_hosts_build_the_same_pages(both):
    mkdocs, zensical = both
    assert sorted(mkdocs) == sorted(zensical)


def test_no_citation_is_left_as_typed_on_either_host(both):
    """``[@key]:`` and every other form is a citation on every page, under both hosts."""
    for built in both:
        assert not {page: facts["typed"] for page, facts in built.items() if facts["typed"]}


@pytest.mark.parametrize("kind", ["h1", "figures", "terms", "citations", "references"])
def test_every_page_shows_the_same_mechanisms_on_both_hosts(both, kind):
    mkdocs, zensical = both
    assert sum(len(page[kind]) for page in mkdocs.values()) > (0 if kind != "references" else 10)
    differ = {
        page: {"mkdocs": mkdocs[page][kind], "zensical": zensical[page][kind]}
        for page in sorted(set(mkdocs) & set(zensical))
        if mkdocs[page][kind] != zensical[page][kind]
    }
    assert not differ, differ
