"""The host-free engine, driven directly: the calls MkDocs' and Zensical's adapters make, and no host.

``build`` below makes the adapters' sequence of calls: check the folders, load the
sources, list the generated pages, render every page's Markdown through the
engine's extension, number citations and figures in reading order, fill each
page's slots, then put the diagrams in place.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from markdown import Markdown
from mkdocs_mechanisms.errors import MechanismsError
from mkdocs_mechanisms.frontmatter import split_front_matter
from mkdocs_mechanisms.markdown import MechanismsExtension
from mkdocs_mechanisms.options import Options
from mkdocs_mechanisms.render.runner import GraphvizRunner
from mkdocs_mechanisms.site import Site

PATHWAY = """\
---
title: Drug X blocks receptor Y
cite: [smith2020]
regions:
  pfc: {label: Prefrontal cortex}
nodes:
  drug-x: {label: Drug X, kind: drug, term: drug-x}
  receptor-y: {label: Receptor Y, kind: receptor, term: receptor-y, region: pfc}
  calm: {label: Calm, kind: outcome, region: pfc}
edges:
  - {from: drug-x, to: receptor-y, rel: blocks, cite: [smith2020]}
  - {from: receptor-y, to: calm, rel: leads-to}
---
Drug X acts on receptor Y in the cortex.
"""

OTHER = """\
---
title: Drug X calms another way
nodes:
  drug-x: {label: Drug X, kind: drug, term: drug-x}
  receptor-y: {label: Receptor Y, kind: receptor, term: receptor-y}
  sleep: {label: Sleep, kind: outcome}
edges:
  - {from: drug-x, to: receptor-y, rel: activates}
  - {from: receptor-y, to: sleep, rel: leads-to}
---
A second route from drug X.
"""

BIB = """\
@article{smith2020,
  author = {Smith, Jane}, title = {A study of receptor Y}, journal = {J Tests}, year = {2020}
}
@article{jones2021,
  author = {Jones, Ann}, title = {Another study}, journal = {J Tests}, year = {2021}
}
"""

INLINE = """\
```pathway
---
title: A one-off figure
nodes:
  a: {label: Alpha, kind: drug}
  b: {label: Beta, kind: outcome}
edges:
  - {from: a, to: b, rel: activates}
---
Alpha leads to beta.
```
"""


def term(name: str, kind: str, summary: str) -> str:
    return f'---\nterm: {name}\nkind: {kind}\nsummary: "{summary}"\n---\n{name} is defined here.\n'


FILES = {
    "diagrams/x-blocks-y.md": PATHWAY,
    "diagrams/other.md": OTHER,
    "docs/references.bib": BIB,
    "docs/glossary/drug-x.md": term("Drug X", "drug", "A test drug."),
    "docs/glossary/receptor-y.md": term("Receptor Y", "receptor", "A test receptor."),
    "docs/index.md": "# Home\n\nDrug X is known [@jones2021].\n\n```pathway\nx-blocks-y\n```\n",
    "docs/deep/nested/page.md": "# Deep page\n\n## Section one\n\nReceptor Y matters [@smith2020; @jones2021].\n\n"
    "```pathway\nother\n```\n\n```pathway\nx-blocks-y\n```\n",
    "docs/more.md": "# More\n\n```pathway-compare\nx-blocks-y other\n```\n\n"
    "```pathway-neighbourhood\nreceptor-y\n```\n\n" + INLINE,
}
pytestmark = pytest.mark.xdist_group("site")  # one worker builds the module's site once

NAV = ["index.md", "deep/nested/page.md", "more.md"]
"""Reading order: the navigation first, then every other page by path (as both adapters do)."""


@dataclass
class Built:
    """One build: the engine, every page's final HTML, and what was logged."""

    site: Site
    html: dict[str, str]
    warnings: list[str] = field(default_factory=list)
    exports: list[str] = field(default_factory=list)


def write(root: Path, files: dict[str, str]) -> None:
    """Write a project's files under ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def build(
    root: Path, runner: GraphvizRunner, *, serving: bool = False, warned: list[str] | None = None
) -> Built:
    """Build every page of the project at ``root`` through the engine alone (``warned``: the log)."""
    warnings: list[str] = [] if warned is None else warned
    docs = root / "docs"
    site = Site(root, docs, Options(), serving=serving, warn=warnings.append, runner=runner)
    authored = sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*") if p.is_file())
    generated = site.start(authored)
    texts = {src: (docs / src).read_text(encoding="utf-8") for src in authored if src.endswith(".md")}
    texts.update({g.path: g.text or "" for g in generated if g.path.endswith(".md")})
    rendered = {}
    for src, text in texts.items():
        _, body, first_line = split_front_matter(text, src)
        state = site.begin_page(src, source=f"docs/{src}", first_line=first_line)
        md = Markdown(extensions=["fenced_code", "toc", MechanismsExtension(site=site)])
        content = md.convert(body)
        tokens = getattr(md, "toc_tokens", [])
        state.title = next((str(t["name"]) for t in tokens if t["level"] == 1), src)
        rendered[src] = (state, content)
    order = [*NAV, *sorted(set(rendered) - set(NAV))]
    site.number([rendered[src] for src in order])
    html = {src: site.fill_page(rendered[src][1], rendered[src][0]) for src in order}
    exports = site.finish()
    return Built(site, html, warnings, [item.path for item in exports])


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    write(root, FILES)
    return root


@pytest.fixture(scope="module")
def cold(project: Path) -> Built:
    return build(project, GraphvizRunner(project / ".cache/mechanisms"))


def figures(html: str) -> list[str]:
    """The opening tag of each figure on a page."""
    return re.findall(r'<figure class="mechanisms-figure[^"]*"[^>]*>', html)


def test_the_generated_pages_join_the_authored_ones(cold: Built) -> None:
    assert sorted(cold.html) == [
        "deep/nested/page.md",
        "glossary/drug-x.md",
        "glossary/index.md",
        "glossary/receptor-y.md",
        "index.md",
        "more.md",
        "pathways/index.md",
        "pathways/other.md",
        "pathways/x-blocks-y.md",
        "references.md",
    ]
    assert cold.warnings == [] and cold.site.reporter.problems == []


def test_each_fence_kind_becomes_its_figure_with_its_diagram_in_place(cold: Built) -> None:
    more = cold.html["more.md"]
    assert figures(more) == [
        '<figure class="mechanisms-figure mechanisms-compare" id="mfig1" data-pathway="x-blocks-y other">',
        '<figure class="mechanisms-figure mechanisms-neighbourhood" id="mfig2" data-pathway="">',
        '<figure class="mechanisms-figure" id="mfig3" data-pathway="inline-mfig3">',
    ]
    assert "<strong>Where Receptor Y acts.</strong>" in more
    assert "<strong>A one-off figure.</strong> Alpha leads to beta." in more
    assert "Drug X calms another way" in more and "Comparison:" not in more, re.findall(
        r"<figcaption.{0,200}", more
    )
    home = cold.html["index.md"]
    assert figures(home) == ['<figure class="mechanisms-figure" id="mfig1" data-pathway="x-blocks-y">']
    # the figure's own source is cited before the caption's full stop, as the style places citations
    assert "<strong>Drug X blocks receptor Y.</strong> Drug X acts on receptor Y in the cortex" in home
    assert re.search(r"in the cortex<sup class=\"mechanisms-cite\">.*?</sup>\.", home)
    assert '<ol class="mechanisms-steps">' in home and 'id="mfig1-step-2"' in home
    # every figure's diagram (and the pathway's legend) is an inline SVG, its ids scoped to the figure
    for page, count in (("index.md", 2), ("more.md", 3)):
        html = cold.html[page]
        assert html.count("<svg") >= count and html.count("<svg") == html.count("</svg>")
    assert 'id="mfig1-n-drug-x"' in home
    assert cold.exports == ["pathways/compare/x-blocks-y--other.json"]


def test_figures_are_numbered_site_wide_in_reading_order(cold: Built) -> None:
    """The home page only reuses numbers: the article's first figure is the deep page's first."""
    labels = {
        src: re.findall(r'<span class="mechanisms-figure-label">([^<]*)</span>', cold.html[src])
        for src in NAV
    }
    assert labels == {
        "index.md": ["Figure 2."],
        "deep/nested/page.md": ["Figure 1.", "Figure 2."],
        "more.md": ["Figures 2 and 1 compared.", "Figure 3."],
    }
    numbers = dict(cold.site.record.figures)
    inline = [key for key in numbers if key.startswith("inline-")]
    assert len(inline) == 1 and numbers == {"other": 1, "x-blocks-y": 2, inline[0]: 3}


def test_citations_are_numbered_by_first_use_in_reading_order(cold: Built) -> None:
    assert cold.site.record.numbering.numbers == {"jones2021": 1, "smith2020": 2}  # not the file's order
    deep = cold.html["deep/nested/page.md"]
    assert re.findall(r'aria-label="Reference (\d)">\1</a>', deep.split("<figure", 1)[0]) == ["1", "2"]
    assert '<a href="../../../references/#ref-jones2021"' in deep
    refs = cold.html["references.md"]
    assert re.findall(r'<li id="ref-([a-z0-9]+)" value="(\d)">', refs) == [
        ("jones2021", "1"),
        ("smith2020", "2"),
    ]


def test_term_links_are_relative_to_the_page_that_shows_them(cold: Built) -> None:
    home, deep = cold.html["index.md"], cold.html["deep/nested/page.md"]
    assert '<a class="mechanisms-term" href="glossary/drug-x/"' in home
    assert '<a class="mechanisms-term" href="../../../glossary/receptor-y/"' in deep
    # inside the diagram too, from the same root
    assert 'href="../../../glossary/drug-x/"' in deep.split("<svg", 1)[1]
    term_page = cold.html["glossary/drug-x.md"]
    assert '<a href="../receptor-y/">Receptor Y</a>' in term_page
    assert 'class="mechanisms-term" href="../drug-x/"' not in term_page  # a term page never links itself


def test_mentioned_on_and_cited_on_follow_reading_order_with_sections(cold: Built) -> None:
    mentioned = re.search(r'<ul class="mechanisms-mentioned-on">.*?</ul>', cold.html["glossary/drug-x.md"])
    assert mentioned is not None
    assert re.findall(r"<li><a href=\"([^\"]+)\">([^<]+)</a>", mentioned.group(0)) == [
        ("../../", "Home"),
        ("../../deep/nested/page/", "Deep page"),
        ("../../more/", "More"),
        ("../../pathways/other/", "Drug X calms another way"),
        ("../../pathways/x-blocks-y/", "Drug X blocks receptor Y"),
    ]
    assert '<a href="../../deep/nested/page/#section-one">Section one</a>' in mentioned.group(0)
    assert "<p><ul" not in cold.html["glossary/drug-x.md"]  # the list replaces its paragraph
    refs = cold.html["references.md"]
    jones = re.search(r'<li id="ref-jones2021".*?</li></ul></li>', refs, re.S)
    assert jones is not None
    cited = re.findall(r"<li><a href=\"([^\"]+)\">([^<]+)</a>", jones.group(0))
    assert cited == [("../", "Home"), ("../deep/nested/page/", "Deep page")]
    smith = re.search(r'<li id="ref-smith2020".*?</li></ul></li>', refs, re.S)
    assert smith is not None and 'step <a href="../#mfig1-step-1">1</a>' in smith.group(0)
    places = {(src, m.anchor) for src, m in cold.site.record.mentions["receptor-y"]}
    assert ("deep/nested/page.md", "section-one") in places and ("more.md", "more") in places
    assert not any(src == "glossary/receptor-y.md" for src, _ in places)  # its own page is no mention


def test_every_deferred_slot_is_filled(cold: Built) -> None:
    for src, html in cold.html.items():
        for left in ("mechanisms-slot", "<!--mechanisms-", "mechanisms:"):
            assert left not in html, (src, left)
        assert "[@" not in html, src


BAD_PAGE = "# Bad\n\nText.\n\n```pathway\nnope\n```\n\nCited [@nokey] and [@].\n"


@pytest.fixture
def with_bad_page(project: Path, tmp_path: Path) -> Path:
    """A copy of the project with one page of author mistakes (the cache shared: no renders)."""
    root = tmp_path / "bad"
    write(root, {**FILES, "docs/bad.md": "---\ntitle: Bad\n---\n" + BAD_PAGE})
    (root / ".cache").symlink_to(project / ".cache", target_is_directory=True)
    return root


def test_problems_stop_a_build_as_one_error_each_with_file_and_line(cold: Built, with_bad_page: Path) -> None:
    warnings: list[str] = []
    with pytest.raises(MechanismsError) as raised:
        build(with_bad_page, GraphvizRunner(with_bad_page / ".cache/mechanisms"), warned=warnings)
    found = [str(p) for p in raised.value.problems]
    assert found == warnings  # the one reporter: each logged once, all raised together
    assert found == [
        "docs/bad.md:8: unknown pathway 'nope' in 'pathway' fence (expected one of: other, x-blocks-y)",
        "docs/bad.md:12: unknown citation key '@nokey' (expected one of: jones2021, smith2020)",
        "docs/bad.md:12: malformed citation '[@]' (write [@key], [@a; @b] or [see @a, p. 3] with no space after '@';"
        " escape the bracket as \\[@ for literal text)",
    ]  # lines of the file, front matter counted


def test_while_serving_the_page_shows_its_problems_and_the_build_goes_on(
    cold: Built, with_bad_page: Path
) -> None:
    built = build(with_bad_page, GraphvizRunner(with_bad_page / ".cache/mechanisms"), serving=True)
    page = built.html["bad.md"]
    boxes = re.findall(r'<div class="mechanisms-error[ "].*?</div>', page, re.S)
    assert boxes and "unknown pathway &#x27;nope&#x27;" in "".join(boxes)
    assert '<span class="mechanisms-cite-missing" title="unknown key">?nokey</span>' in page
    assert "docs/bad.md:8:" in page and "docs/bad.md:12: unknown citation key" in page
    assert len(built.warnings) == 3 and built.html["index.md"] == cold.html["index.md"]


def test_a_warm_build_starts_no_graphviz_and_builds_the_same_pages(cold: Built, project: Path) -> None:
    assert cold.site.runner.rendered > 0
    runner = GraphvizRunner(project / ".cache/mechanisms")  # a new process's runner: only the disk cache
    warm = build(project, runner)
    assert (runner.calls, runner.rendered) == (0, 0)
    assert warm.html == cold.html and warm.warnings == []


def test_the_engine_imports_no_host() -> None:
    code = (
        "import sys, mkdocs_mechanisms.site, mkdocs_mechanisms.markdown\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'mkdocs', 'zensical', 'jinja2'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"
