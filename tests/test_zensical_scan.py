"""The Zensical preparation reads plain pages without Python-Markdown, and the record is the same.

Each test prepares a site twice, once converting every page with Python-Markdown (the
scanner switched off) and once as the command does (plain pages read by the scanner), and
compares what the preparation hands on: the record (citation numbers and where each source
is cited, mentions with their sections, titles, figure numbers, reading order), every
page's mentions, the saved state, Zensical's configuration and docs, and the problems.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any, cast

import pytest
from conftest import RENDER_CACHE, Articles, copy_article, minimal_files, write_site
from mkdocs_mechanisms import zensical_scan
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
