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

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from conftest import Articles, copy_article
from hosts import ZENSICAL_HOSTS, zensical_build
from lxml import html
from mkdocs_mechanisms.siteconfig import read_config

pytest.importorskip("zensical")
pytestmark = pytest.mark.slow

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


@pytest.fixture(scope="module")
def article(articles: Articles) -> tuple[Articles, Facts]:
    """The article built with MkDocs (the reference every Zensical build is held to): the session's
    shared builds, and the MkDocs build's facts."""
    return articles, facts(articles("mkdocs").site)


FACTS: dict[str, Facts] = {}
"""The article's facts under each Zensical version, read once for the module."""


def zensical_facts(host: str, article: tuple[Articles, Facts]) -> Facts:
    if host not in FACTS:
        FACTS[host] = facts(article[0](host).site)
    return FACTS[host]


@pytest.fixture(scope="module", params=ZENSICAL_HOSTS)
def both(request: pytest.FixtureRequest, article: tuple[Articles, Facts]) -> tuple[Facts, Facts]:
    """The article under one Zensical version, from the same sources (its diagram cache reused)."""
    return article[1], zensical_facts(request.param, article)


def toml_value(value: Any) -> str:
    """A value in TOML's inline notation (strings as JSON strings, which TOML reads alike)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(map(toml_value, value)) + "]"
    assert isinstance(value, dict), value
    return "{ " + ", ".join(f"{json.dumps(str(k))} = {toml_value(v)}" for k, v in value.items()) + " }"


def as_zensical_toml(data: dict[str, Any]) -> str:
    """mkdocs.yml's settings written as a zensical.toml user would: [project], then one table per
    Markdown extension and per plugin (the TOML spelling of ``- name: {options}``)."""
    tables = {"markdown_extensions": data.pop("markdown_extensions", []), "plugins": data.pop("plugins", [])}
    lines = ["[project]", *(f"{key} = {toml_value(value)}" for key, value in data.items())]
    for section, items in tables.items():
        for item in items:
            name, options = (item, {}) if isinstance(item, str) else next(iter(item.items()))
            lines.append(f"\n[project.{section}.{json.dumps(name)}]")
            lines += [f"{key} = {toml_value(value)}" for key, value in (options or {}).items()]
    return "\n".join(lines) + "\n"


def test_the_article_from_zensical_toml_is_the_article_from_mkdocs_yml(article, tmp_path_factory):
    """The same article, configured by an equivalent zensical.toml, under Zensical 0.0.73."""
    from_yml = zensical_facts("zensical", article)
    root = tmp_path_factory.mktemp("parity-toml")
    copy_article(root)
    shutil.copytree(article[0].sources("zensical") / ".cache", root / ".cache")  # the diagrams are drawn
    data = read_config(root / "mkdocs.yml").data
    data.update(site_dir="site")
    (root / "mkdocs.yml").unlink()
    (root / "zensical.toml").write_text(as_zensical_toml(data), encoding="utf-8")
    result = zensical_build(root)
    assert result.returncode == 0, result.stdout + result.stderr
    from_toml = facts(root / "site")
    assert sorted(from_toml) == sorted(from_yml)
    differ = [page for page in from_yml if from_yml[page] != from_toml[page]]
    assert not differ, {page: (from_yml[page], from_toml[page]) for page in differ[:3]}


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
