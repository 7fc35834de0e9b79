"""The Zensical preparation reads plain pages without Python-Markdown, and the record is the same.

Each test prepares a site twice, once converting every page with Python-Markdown (the
scanner switched off) and once as the command does (plain pages read by the scanner), and
compares what the preparation hands on: the record (citation numbers and where each source
is cited, mentions with their sections, titles, figure numbers, reading order), every
page's mentions, the saved state, Zensical's configuration and docs, and the problems.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, cast

import pytest
from conftest import RENDER_CACHE, Articles, copy_article, minimal_files, write_site
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown import Markdown
from mkdocs_mechanisms import zensical_scan
from mkdocs_mechanisms.citations import uses
from mkdocs_mechanisms.markdown import MechanismsExtension
from mkdocs_mechanisms.numbers import number_site
from mkdocs_mechanisms.record import PageState
from mkdocs_mechanisms.site import Site
from mkdocs_mechanisms.zensical import STATE, prepare

pytest.importorskip("zensical")


def prepared(cfg: Path, monkeypatch: pytest.MonkeyPatch, *, scan: bool) -> tuple[dict[str, Any], set[str]]:
    """What one cold preparation (of the pages; the drawings are cached) hands on, and the pages read."""
    root = cfg.parent
    (root / ".cache" / "mechanisms" / "zensical" / "pages.json").unlink(missing_ok=True)
    read: set[str] = set()
    collect = zensical_scan.Scanner.collect

    def counted(self: zensical_scan.Scanner, page: Any, body: str) -> tuple[str, str] | None:
        found = collect(self, page, body) if scan else None
        if found is not None:
            read.add(page.src)
        return found

    with monkeypatch.context() as patch:
        patch.setattr(zensical_scan.Scanner, "collect", counted)
        result = prepare(cfg, serving=False)
    site = result.site
    handed = {
        "record": site.record.to_json(),
        "mentioned": {
            src: [(m.slug, m.text, m.anchor, m.heading) for m in page.mentioned]
            for src, page in sorted(site._pages.items())
        },
        "state": json.loads((root / result.site.options.cache_dir / STATE).read_text(encoding="utf-8")),
        "config": result.config_text,
        "docs": result.outputs,
        "problems": [str(p) for p in site.reporter.problems],
    }
    return handed, read


def same(converted: dict[str, Any], read: dict[str, Any]) -> None:
    for key in converted:
        assert converted[key] == read[key], key


def both_readings(cfg: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], set[str]]:
    """Prepare once (drawing the diagrams), then converted and scanned: equal; what was handed on, what was read."""
    prepare(cfg, serving=False)
    converted, _ = prepared(cfg, monkeypatch, scan=False)
    scanned, read = prepared(cfg, monkeypatch, scan=True)
    same(converted, scanned)
    return converted, read


def test_the_article_is_recorded_alike_read_or_converted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, articles: Articles
) -> None:
    cfg = copy_article(tmp_path)
    shutil.copytree(articles("mkdocs").src / RENDER_CACHE, tmp_path / RENDER_CACHE)  # the same diagrams
    prepare(cfg, serving=False)
    converted, none = prepared(cfg, monkeypatch, scan=False)
    scanned, read = prepared(cfg, monkeypatch, scan=True)
    assert not none
    same(converted, scanned)
    assert converted["record"]["numbers"] and converted["record"]["mentions"]
    assert len(read) >= 20, sorted(read)  # the term and pathway pages of plain prose, the references
    assert "index.md" not in read  # emphasis, links, lists: converted


PLAIN = """\
# Plain page

Drug X is discussed first [see @jones2021, p. 3], then [@smith2020; @jones2021].
A second line of the same paragraph names Receptor Y.

## Section one

Receptor Y again [@smith2020].

## Section one

Same heading, another id; DX as an alias.

### Given {#given-id}

```python
## not a heading [@jones2021]
Drug X in code
```

<div class="note">
<p>Drug X in raw HTML, and Receptor Y.</p>
</div>

```pathway
x-blocks-y
```

Last words about Drug X.
"""

EMPHASIS = "# Emphasis\n\nDrug X is *important* [@jones2021].\n"


def test_plain_pages_are_read_and_the_rest_converted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = minimal_files()
    files["docs/plain.md"] = PLAIN
    files["docs/emphasis.md"] = EMPHASIS
    files["docs/empty.md"] = "\n"
    config = (
        "site_name: Test\nnav:\n  - index.md\n  - plain.md\n  - emphasis.md\n  - empty.md\n"
        "  - deep/nested/page.md\nmarkdown_extensions:\n  - attr_list\n  - toc:\n      permalink: true\n"
        "plugins:\n  - mechanisms\n"
    )
    converted, read = both_readings(write_site(tmp_path, files, config), monkeypatch)
    assert {"plain.md", "empty.md", "deep/nested/page.md", "references.md"} <= read
    assert "emphasis.md" not in read
    cited = converted["record"]["cited_on"]["jones2021"]
    assert ("Plain page", "plain.md", "", "") in cited  # before the first section
    sections = {m[2] for m in converted["mentioned"]["plain.md"]}
    assert {"section-one", "section-one_1"} <= sections  # toc's ids, made unique as toc makes them


HOSTILE = {
    # A raw block followed by Markdown without a blank line: Python-Markdown makes it a paragraph.
    "raw-then-text.md": "# Raw\n\n<div>a</div>\nReceptor Y [@smith2020] <div></div>\n",
    "raw-then-text-p.md": "# Raw\n\n<p>a</p>\n*Drug* X [@jones2021] <p></p>\n",
    "raw-one-line.md": "# Raw\n\n<div>a</div> Receptor Y [@smith2020] <div></div>\n",
    # Info strings superfences rejects: the "fence" is a paragraph.
    "fence-bang.md": "# Fence\n\n~~~ x!\nDrug X [@jones2021]\n~~~\n",
    "fence-words.md": "# Fence\n\n~~~ python foo!\nDrug X [@jones2021]\n~~~\n",
    # A fence inside a raw block is a code block (no mention).
    "fence-in-raw.md": "# Fenced\n\n<div>\n```\nDrug X\n```\n</div>\n",
    "tilde-in-raw.md": "# Fenced\n\n<div>\n~~~\nReceptor Y [@smith2020]\n~~~\n</div>\n",
    # md_in_html reads the content of a block with a markdown attribute, however spelled.
    "md-bare.md": "# Md\n\n<div markdown>\nReceptor Y [@smith2020]\n</div>\n",
    "md-upper.md": '# Md\n\n<div MARKDOWN="1">\nReceptor Y [@smith2020]\n</div>\n',
    "md-spaced.md": '# Md\n\n<div markdown = "1">\nReceptor Y [@smith2020]\n</div>\n',
    # The fence closes only at "```" and spaces; Python's rstrip also takes a no-break space (or a
    # form feed): the code would end early, and Receptor Y be a mention the conversion never makes.
    "fence-nbsp.md": "# Fence\n\n```\nA\n```\u00a0\n\nReceptor Y [@smith2020]\n\n```\nDrug X\n```\n",
    # Escapes and automatic links are read before citations: the conversion sees the suffix's
    # escape as a stashed placeholder, not as the "\\_" the scanner would read.
    "cite-escape.md": "# Cite\n\nDrug X [@smith2020\\_a]\n",
    "cite-automail.md": "# Cite\n\nDrug X [@smith<a@b.c>2020]\n",
}


def test_pages_the_scanner_would_misread_are_converted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = minimal_files()
    files.update({f"docs/{name}": text for name, text in HOSTILE.items()})
    files["docs/plain.md"] = PLAIN
    nav = "".join(f"  - {name}\n" for name in ["index.md", "plain.md", *HOSTILE])
    config = (
        f"site_name: Test\nnav:\n{nav}markdown_extensions:\n  - attr_list\n  - toc\n  - tables\n"
        "  - md_in_html\n  - pymdownx.superfences\nplugins:\n  - mechanisms\n"
    )
    converted, read = both_readings(write_site(tmp_path, files, config), monkeypatch)
    assert not read & set(HOSTILE), sorted(read & set(HOSTILE))
    assert "plain.md" in read  # plain pages are still read with these extensions
    cited = {src for _, src, *_ in converted["record"]["cited_on"]["smith2020"]}
    assert {"raw-then-text.md", "raw-one-line.md", "md-bare.md"} <= cited  # what the scanner would have lost


@pytest.mark.parametrize(
    "page",
    ["# T\n\n```" + "a" * 40000 + "`\n", "## A" + " " * 40000 + "B\n", "## A" + " {" * 20000 + "#x}\n"],
    ids=["fence", "heading-spaces", "heading-braces"],
)
def test_long_lines_are_scanned_in_linear_time(page: str) -> None:
    scanner = zensical_scan.Scanner(cast(Any, None), ["attr_list", "toc", "pymdownx.superfences"], {})
    start = time.process_time()
    scanner.blocks(page.split("\n"))
    assert time.process_time() - start < 0.5


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """A prepared site to read single pages with (serving: a page's problems are kept, not raised)."""
    return prepare(write_site(tmp_path_factory.mktemp("engine"), minimal_files()), serving=True).site


Snapshot = dict[str, Any]


def one_page(
    site: Site, extensions: Sequence[str], configs: Mapping[str, Any], body: str
) -> tuple[Snapshot, Snapshot | None]:
    """One page as the collecting pass takes it, converted and read (``None``: the scanner refused it).

    Cheaper than a preparation, so many pages can be compared: what each way leaves of the
    page (its state, mentions and markers included, its title and problems) and what the
    numbering reads of its HTML (citations with their places, figures).
    """
    problems = site.reporter.problems
    before = len(problems)

    def snapshot(state: PageState, html: str, title: str) -> Snapshot:
        found = {
            "state": {k: v for k, v in dataclasses.asdict(state).items() if k != "svgs"},
            "title": title,
            "problems": [str(p) for p in problems[before:]],
            "cited": [(u.keys, u.place) for u in uses(state, html, article=True)],
            "figures": number_site([(state.src, html)], site.options.outside_article, generated=()).numbers,
        }
        del problems[before:]  # the reporter logs a problem once: the other way must meet it afresh
        return found

    state = site.begin_page("probe.md", source="docs/probe.md")
    read = _scanner(site, extensions, configs).collect(state, body)
    scanned = None if read is None else snapshot(state, *read)
    state = site.begin_page("probe.md", source="docs/probe.md")
    md = Markdown(extensions=[*extensions, MechanismsExtension(site=site)], extension_configs=dict(configs))
    html = md.convert(body)
    title = next((str(t["name"]) for t in getattr(md, "toc_tokens", []) if t.get("level") == 1), "")
    return snapshot(state, html, title), scanned


_SCANNERS: dict[str, zensical_scan.Scanner] = {}


def _scanner(site: Site, extensions: Sequence[str], configs: Mapping[str, Any]) -> zensical_scan.Scanner:
    """One scanner per site and setup, as one preparation has (making one costs a Markdown instance)."""
    key = json.dumps([id(site), extensions, configs], sort_keys=True)
    if key not in _SCANNERS:
        _SCANNERS[key] = zensical_scan.Scanner(site, extensions, configs)
    return _SCANNERS[key]


SETTINGS: dict[str, tuple[list[str], dict[str, Any], str]] = {
    # superfences takes fences before the plugin's preprocessor: no figure, and "Drug\tX" stays apart
    "preserve-tabs": (
        ["toc", "pymdownx.superfences"],
        {"pymdownx.superfences": {"preserve_tabs": True}},
        "# T\n\n```pathway\nx-blocks-y\n```\n\nDrug\tX [@smith2020]\n",
    ),
    # the language's name is written above the code, where the linker reads it
    "auto-title": (
        ["toc", "pymdownx.superfences", "pymdownx.highlight"],
        {"pymdownx.highlight": {"auto_title": True, "auto_title_map": {"Python": "Receptor Y"}}},
        "# T\n\n```python\nx = 1\n```\n",
    ),
    # the table of contents goes through the postprocessors (the linker) with its title
    "toc-title": (["toc"], {"toc": {"title": "Drug X"}}, "# T\n\nText.\n"),
    # a paragraph that is toc's marker is replaced by the table of contents (its mention gone)
    "toc-marker": (["toc"], {"toc": {"marker": "Drug X"}}, "# T\n\nDrug X\n\n## Receptor Y\n"),
}


@pytest.mark.parametrize("name", SETTINGS)
def test_settings_that_change_a_plain_page_are_followed(engine: Site, name: str) -> None:
    extensions, configs, body = SETTINGS[name]
    plain, read = one_page(engine, extensions, {}, body)
    assert read == plain  # without the setting, the page is read, and alike
    converted, scanned = one_page(engine, extensions, configs, body)
    assert converted != plain  # the setting changes what the page says
    assert scanned is None or scanned == converted


# -- random pages: plain blocks, and now and then one construct the scanner must refuse or read alike --
WORDS = ["Drug X", "Receptor Y", "DX", "RY", "drug", "receptor", "the", "blocks", "a", "X", "b2"]
CITATIONS = [
    *("[@smith2020]", "[@jones2021; @smith2020]", "[see @jones2021, p. 3]", "[-@smith2020]", "[@nokey]"),
    *("[see Drug X @smith2020]", "[@smith2020, p. 3 and Receptor Y]", "[@smith2020]:", "[@jones2021, p.\n3]"),
]
TAGS = ["<b>Drug X</b>", '<a href="x">Drug X</a>', "<code>Drug X</code>", "<br>", '<span class="x">Y</span>']
ODD = [
    # line endings and whitespace that Markdown and Python's str.splitlines/strip see differently
    *("\r", "\r\n", "\n", "\n\n", " ", "  \n", "\t", "\u00a0", "\u2028", "\u2029", "\x85", "\f", "\v"),
    *("\x1c", "\ufeff", "\u3000", "\x00"),
    # blocks: setext, indented code, quotes and lazy lines, lists, tables, rules
    *("\n---", "\n===", "\n    ", "\n> ", "\n- ", "\n* ", "\n1. ", "\n2) ", "\n***"),
    "\n| a | b |\n|---|---|\n",
    # comments and HTML
    *("<!-- Drug X -->", "\n<!--\n", "\n<div>", "\n</div>", "<div>", "</div> Drug X", "<p>"),
    *("\n<p>Drug X</p>\n", "\n<div markdown>\n", "<span markdown>", "\n<details>\n", "<DIV>", "</DIV >"),
    *("\n<hr>\n", "<script>"),
    # headings and fences
    *("\n#", "\n# ", "\n####### ", " #", " ##", " {#given}", " {: #c}", "{#x}", "\n```\n", "\n~~~\n", "```"),
    *("\n```python\n", "\n``` python\n", "\n```x!\n", "\n````\n", "\n```\u00a0\n", "\n  ```\n"),
    "\n```pathway\n",
    # inline syntax, and the extensions' (footnotes, abbreviations, admonitions, snippets, def_list, toc)
    *("*", "_", "`code`", "\\*", "\\", "&amp;", "&", "<", ">", "|", "{", "~~", "^", "==", "++", "[x](y)"),
    *("[x]", "[x]: y", "[^1]", "\n[^1]: Drug X\n", "\n*[DX]: Drug X\n", "\n!!! note\n", "\n??? note\n"),
    *("\n: Drug X\n", '\n--8<-- "x.md"\n', "[TOC]", "\nContents\n", "http://x.org", "<http://x>", "a@b.c"),
    *("<a@b.c>", "@smith2020", "[@smith\\_2020]", "[@smith2020, p. `3`]", "[@smith2020](x)"),
    *("![@smith2020](y)", "[@smith2020][x]"),
]
atom = st.sampled_from(WORDS * 8 + CITATIONS + TAGS + list(".,!?'();%$/"))
text = st.lists(atom, min_size=1, max_size=7).map(" ".join)
heading = st.tuples(
    st.sampled_from(["# ", "## ", "### ", "#", "###### "]),
    st.sampled_from(WORDS),
    st.sampled_from(["", "", " {#a}"]),
).map("".join)
fence = st.tuples(st.sampled_from(["```", "~~~", "````"]), st.sampled_from(["", "python"]), text).map(
    lambda f: f"{f[0]}{f[1]}\n{f[2]}\n{f[0]}"
)
block = st.one_of(
    *[text] * 4,
    st.tuples(text, text).map("\n".join),
    *[heading] * 3,
    fence,
    text.map(lambda t: f"<div>\n<p>{t}</p>\n</div>"),
    st.just("```pathway\nx-blocks-y\n```"),
)


def _with(page: str, odds: Sequence[tuple[float, str]]) -> str:
    """The page with each odd construct put in at its place (a fraction of the length)."""
    for where, odd in odds:
        at = int(where * len(page))
        page = page[:at] + odd + page[at:]
    return page


SETUPS: dict[str, tuple[list[str], dict[str, Any]]] = {
    "zensical": (  # what Zensical itself lists, of the extensions the scanner knows
        [
            *("toc", "tables", "abbr", "admonition", "attr_list", "def_list", "footnotes", "md_in_html"),
            *("pymdownx.details", "pymdownx.highlight", "pymdownx.inlinehilite", "pymdownx.superfences"),
        ],
        {"toc": {"permalink": True}, "pymdownx.superfences": {"custom_fences": [{"name": "mermaid"}]}},
    ),
    "fenced_code": (["toc", "fenced_code", "attr_list"], {"toc": {"toc_depth": "2-4", "marker": "Contents"}}),
    "bare": (["pymdownx.superfences"], {}),
}


@settings(
    max_examples=200,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    setup=st.sampled_from(sorted(SETUPS)),
    blocks=st.lists(block, min_size=1, max_size=7),
    odds=st.lists(st.tuples(st.floats(0, 1), st.sampled_from(ODD)), max_size=2),
)
def test_random_pages_are_recorded_alike_read_or_converted(
    engine: Site, setup: str, blocks: list[str], odds: list[tuple[float, str]]
) -> None:
    converted, scanned = one_page(engine, *SETUPS[setup], _with("\n\n".join(blocks) + "\n", odds))
    assert scanned is None or scanned == converted
    if not odds and setup != "bare":  # plain blocks only (bare: no attr_list for "{#a}"): read
        assert scanned is not None
