"""Integration: real MkDocs builds of small sites, inspected as HTML and exports."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from conftest import MINIMAL_PATHWAY, build_site, minimal_files, term_page, write_site
from hosts import serve_build
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from mkdocs_mechanisms.plugin import MechanismsPlugin


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "xlink:href") and (value or "").strip().lower().startswith(
                ("javascript", "data")
            ):
                self.found.append(f"<{tag} {name}={value}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.found.append("<img src=x>")

    def handle_data(self, data: str) -> None:
        if self.in_script and "alert(" in data:
            self.found.append("script: " + data[:40])

    def handle_endtag(self, tag: str) -> None:
        self.in_script = False


def unsafe_markup(text: str) -> list[str]:
    """Elements a hostile label could have smuggled in: event handlers, script URLs, scripts."""
    audit = _Audit()
    audit.feed(text)
    return audit.found


ROOT_ABSOLUTE = re.compile(r'(?:href|src)="/(?!/)')


@pytest.mark.parametrize("directory_urls", [True, False])
def test_figure_embeds_inline_svg_with_page_relative_links(tmp_path, directory_urls):
    site = build_site(tmp_path, use_directory_urls=directory_urls)
    home = site.page("", directory_urls=directory_urls)
    deep = site.page("deep/nested/page", directory_urls=directory_urls)
    assert '<figure class="mechanisms-figure" id="mfig1"' in home
    assert "<svg" in home and 'id="mfig1-n-drug-x"' in home
    if directory_urls:
        assert 'href="glossary/drug-x/"' in home
        assert 'href="../../../glossary/drug-x/"' in deep
    else:
        assert 'href="glossary/drug-x.html"' in home
        assert 'href="../../glossary/drug-x.html"' in deep
    for text in (home, deep):
        assert not ROOT_ABSOLUTE.search(text)
        assert 'id="graph0"' not in text and 'id="node1"' not in text
    assert "Figure 1." in home


def test_figure_caption_title_and_walkthrough(tmp_path):
    home = build_site(tmp_path).page("")
    assert "Drug X acts on receptor Y in the cortex." in home
    assert 'class="mechanisms-walkthrough" id="mfig1-steps"' in home
    assert 'data-edge="mfig1-e1" data-source="mfig1-n-drug-x" data-target="mfig1-n-receptor-y"' in home
    assert 'aria-describedby="mfig1-steps"' in home
    assert 'aria-labelledby="mfig1-caption"' in home
    assert 'href="pathways/x-blocks-y/"' in home


def test_two_figures_on_one_page_have_distinct_ids(tmp_path):
    files = minimal_files()
    files["docs/index.md"] += "\n```pathway\nx-blocks-y\n```\n"
    home = build_site(tmp_path, files).page("")
    assert home.count("Figure 1.") == 2 and "Figure 2." not in home  # one pathway, one number everywhere
    ids = re.findall(r'\sid="([^"]+)"', home)
    assert len(ids) == len(set(ids)), [i for i in ids if ids.count(i) > 1][:5]


def test_pathway_page_and_exports(tmp_path):
    site = build_site(tmp_path)
    page = site.page("pathways/x-blocks-y")
    assert "Drug X blocks receptor Y" in page
    assert "More explanation with a citation" in page
    assert 'class="mechanisms-walkthrough" id="mfig1-steps" open' in page
    for ext in ("svg", "dot", "json"):
        assert f'href="../x-blocks-y.{ext}"' in page
    data = json.loads(site.html("pathways/x-blocks-y.json"))
    assert data == {
        "id": "x-blocks-y",
        "title": "Drug X blocks receptor Y",
        "source": "diagrams/x-blocks-y.md",
        "cite": ["smith2020"],
        "certainty": None,
        "evidence": [],
        "regions": [{"id": "pfc", "label": "Prefrontal cortex", "parent": None}],
        "nodes": [
            {
                "id": "drug-x",
                "label": "Drug X",
                "kind": "drug",
                "term": "drug-x",
                "region": None,
                "on": None,
                "identifiers": [],
            },
            {
                "id": "receptor-y",
                "label": "Receptor Y",
                "kind": "receptor",
                "term": "receptor-y",
                "region": "pfc",
                "on": None,
                "identifiers": [],
            },
            {
                "id": "outcome",
                "label": "Calm",
                "kind": "outcome",
                "term": None,
                "region": "pfc",
                "on": None,
                "identifiers": [],
            },
        ],
        "edges": [
            {
                "source": "drug-x",
                "target": "receptor-y",
                "rel": "blocks",
                "note": "Drug X is thought to block Y.",
                "cite": ["smith2020"],
                "certainty": None,
                "evidence": [],
            },
            {
                "source": "receptor-y",
                "target": "outcome",
                "rel": "leads-to",
                "note": "",
                "cite": ["smith2020"],
                "certainty": None,
                "evidence": [],
            },
        ],
    }
    svg = site.html("pathways/x-blocks-y.svg")
    assert svg.startswith("<?xml") and 'href="../glossary/drug-x/"' in svg
    assert site.html("pathways/x-blocks-y.dot").startswith("digraph")


def test_citations_numbered_by_first_use_with_references_page(tmp_path):
    site = build_site(tmp_path)
    home, deep = site.page(""), site.page("deep/nested/page")
    assert re.search(r'<sup class="mechanisms-cite"><a href="references/#ref-smith2020"[^>]*>1</a>', home)
    # jones2021 is first cited on the deep page (after home in file order): number 2, everywhere
    assert re.search(
        r'href="../../../references/#ref-smith2020"[^>]*>1</a>,<a href="../../../references/#ref-jones2021"[^>]*>2</a>',
        deep,
    )
    refs = site.page("references")
    assert 'id="ref-smith2020" value="1"' in refs and 'id="ref-jones2021" value="2"' in refs
    assert 'href="https://doi.org/10.1000/test.2020"' in refs
    assert "Cited on:" in refs and 'href="../deep/nested/page/"' in refs
    assert "Smith J, Doe J. A study of receptor Y. <i>Journal of Tests</i>. 2020;1(2):3-4." in refs


def test_glossary_index_terms_and_backlinks(tmp_path):
    site = build_site(tmp_path)
    index = site.page("glossary")
    assert "Drug X" in index and "A test drug." in index
    data = json.loads(site.html("glossary/index.json"))
    assert [d["slug"] for d in data] == ["drug-x", "receptor-y"]
    assert data[0] == {
        "slug": "drug-x",
        "term": "Drug X",
        "aliases": ["DX"],
        "kind": "drug",
        "summary": "A test drug.",
        "identifiers": [],
        "url": "glossary/drug-x/",
    }
    term = site.page("glossary/receptor-y")
    assert "Appears in" in term and 'href="../../pathways/x-blocks-y/"' in term
    assert "mechanisms-neighbourhood" in term
    assert "Mentioned on" in term
    assert 'href="../../deep/nested/page/#section-one"' in term
    assert re.search(
        r"<ul class=\"mechanisms-related no-glossary\" data-search-exclude><li><a href=\"../drug-x/\">Drug X</a>",
        term,
    )
    home = site.page("")
    assert (
        'class="mechanisms-term" href="glossary/drug-x/" data-tip-title="Drug X" data-tip-text="A test drug."'
        in home
    )


def test_default_mkdocs_theme_builds_with_diagrams_links_and_tooltips(tmp_path):
    site = build_site(tmp_path, config="site_name: Plain\ntheme: mkdocs\nplugins:\n  - mechanisms\n")
    home = site.page("")
    assert "<svg" in home and "mechanisms-term" in home and "data-tip-text" in home
    assert 'src="assets/mechanisms/mechanisms.js"' in home
    assert 'href="assets/mechanisms/mechanisms.css"' in home


def test_material_theme_builds(tmp_path):
    site = build_site(
        tmp_path, config="site_name: M\ntheme:\n  name: material\n  font: false\nplugins:\n  - mechanisms\n"
    )
    assert "<svg" in site.page("")


def test_comparison_fence_overlay_table_and_json(tmp_path):
    files = minimal_files()
    files["diagrams/z-blocks-y.md"] = (
        MINIMAL_PATHWAY.replace("Drug X blocks", "Drug Z blocks")
        .replace("drug-x", "drug-z")
        .replace("Drug X", "Drug Z")
    )
    files["docs/glossary/drug-z.md"] = term_page("Drug Z", "drug", "Another drug.")
    files["docs/compare.md"] = "# Compare\n\n```pathway-compare\nx-blocks-y z-blocks-y\n```\n"
    site = build_site(tmp_path, files)
    page = site.page("compare")
    assert 'class="mechanisms-figure mechanisms-compare"' in page
    assert page.count('id="mfig1-n-s-receptor-y"') == 1
    assert 'class="node mechanisms-node kind-drug only-a' in page
    assert 'class="node mechanisms-node kind-drug only-b' in page
    assert "Shared steps" in page and "Only in Drug X blocks receptor Y" in page
    data = json.loads(site.html("pathways/compare/x-blocks-y--z-blocks-y.json"))
    assert data["pathways"] == ["x-blocks-y", "z-blocks-y"]
    assert [n["id"] for n in data["shared"]["nodes"]] == ["term:receptor-y", "z-blocks-y/outcome"][:1]
    assert [e["rel"] for e in data["shared"]["edges"]] == []
    assert [n["id"] for n in data["only"]["x-blocks-y"]["nodes"]] == ["term:drug-x", "x-blocks-y/outcome"]


def test_bad_pathway_fails_build_with_file_and_line(tmp_path, build_error):
    files = minimal_files()
    files["diagrams/x-blocks-y.md"] = MINIMAL_PATHWAY.replace(
        "to: receptor-y, rel: blocks", "to: receptor-z, rel: blocks"
    )
    cfg = write_site(tmp_path, files)
    assert (
        "diagrams/x-blocks-y.md:11: edges[0].to: unknown node 'receptor-z' (did you mean 'receptor-y'?)"
        in build_error(cfg)
    )


def test_unknown_citation_key_names_file_line_and_nearest_key(tmp_path, build_error):
    files = minimal_files()
    files["docs/index.md"] = "# Home\n\nText.\n\nMore [@smith2021].\n"
    cfg = write_site(tmp_path, files)
    assert "docs/index.md:5: unknown citation key '@smith2021' (did you mean 'smith2020'?)" in build_error(
        cfg
    )


def test_fence_naming_unknown_pathway(tmp_path, build_error):
    files = minimal_files()
    files["docs/index.md"] = "# Home\n\n```pathway\nx-blocks-z\n```\n"
    cfg = write_site(tmp_path, files)
    assert (
        "docs/index.md:3: unknown pathway 'x-blocks-z' in 'pathway' fence (did you mean 'x-blocks-y'?)"
        in build_error(cfg)
    )


def test_serve_mode_shows_error_box_and_keeps_building(tmp_path, warnings):
    files = minimal_files()
    files["diagrams/x-blocks-y.md"] = MINIMAL_PATHWAY.replace("rel: blocks", "rel: blockz")
    cfg = write_site(tmp_path, files)
    serve_build(cfg, tmp_path / "site")
    home = (tmp_path / "site/index.html").read_text()
    assert 'class="mechanisms-error' in home and 'role="alert"' in home
    assert "diagrams/x-blocks-y.md:11: edges[0].rel: unknown relation &#x27;blockz&#x27;" in home
    assert any("unknown relation 'blockz'" in w for w in warnings())
    assert (tmp_path / "site/deep/nested/page/index.html").exists()


def test_hostile_labels_are_inert_everywhere(tmp_path):
    hostile = '<script>alert(1)</script> " \\N {x} <img src=x onerror=alert(2)> &amp;'
    files = minimal_files()
    files["diagrams/x-blocks-y.md"] = MINIMAL_PATHWAY.replace(
        "{label: Calm, kind: outcome, region: pfc}",
        "{label: " + json.dumps(hostile) + ", kind: outcome, region: pfc}",
    ).replace("title: Drug X blocks receptor Y", "title: " + json.dumps("Title " + hostile))
    files["docs/glossary/drug-x.md"] = term_page(
        "Drug X", "drug", "Sum <script>alert(3)</script> \\\" 'q'", ["DX"]
    )
    site = build_site(tmp_path, files)
    for page in ("", "pathways/x-blocks-y", "glossary/drug-x", "glossary", "deep/nested/page"):
        text = site.page(page)
        assert "<script>alert" not in text
        assert unsafe_markup(text) == []
    svg = site.html("pathways/x-blocks-y.svg")
    assert "<script" not in svg and "&lt;script&gt;alert(1)" in svg
    assert "\\N" in site.page("pathways/x-blocks-y")


def test_strict_build_has_no_warnings(tmp_path, warnings):
    build_site(tmp_path)
    assert warnings() == []


def test_unknown_plugin_option_fails_with_mkdocs_config_error(tmp_path):
    cfg = write_site(
        tmp_path, minimal_files(), "site_name: T\nplugins:\n  - mechanisms:\n      colour_scheme: red\n"
    )
    with pytest.raises(Abort):
        load_config(str(cfg), strict=True)


def _build_counting(cfg) -> int:
    """Graphs Graphviz laid out during one build (the plugin instance persists, like under serve)."""
    config = load_config(str(cfg), site_dir=str(cfg.parent / "site"), strict=True)
    plugin = config.plugins["mechanisms"]
    runner = plugin.runner
    before = runner.rendered if runner else 0
    build(config)
    # on_config keeps the runner unless its settings changed (another test's cache_dir, say)
    return plugin.runner.rendered - (before if plugin.runner is runner else 0)


def test_warm_build_calls_graphviz_zero_times(tmp_path):
    cfg = write_site(tmp_path, minimal_files())
    config = load_config(str(cfg), site_dir=str(tmp_path / "site"), strict=True)
    build(config)
    assert config.plugins["mechanisms"].runner.calls > 0
    assert (tmp_path / ".cache/mechanisms").is_dir()
    # a fresh process: only the disk cache is shared
    code = (
        "import sys; from mkdocs.commands.build import build; from mkdocs.config import load_config\n"
        f"c = load_config({str(cfg)!r}, site_dir={str(tmp_path / 'site2')!r}, strict=True); build(c)\n"
        "print(c.plugins['mechanisms'].runner.calls)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "0"


def test_editing_one_pathway_rerenders_only_what_depends_on_it(tmp_path):
    files = minimal_files()
    files["diagrams/other.md"] = (
        MINIMAL_PATHWAY.replace("term: drug-x", "term: receptor-y")
        .replace("term: receptor-y, region", "region")
        .replace("Drug X blocks receptor Y", "Other")
    )
    files["docs/other.md"] = "# Other\n\n```pathway-compare\nx-blocks-y other\n```\n"
    cfg = write_site(tmp_path, files)
    assert _build_counting(cfg) > 0
    assert _build_counting(cfg) == 0
    path = tmp_path / "diagrams/x-blocks-y.md"
    path.write_text(MINIMAL_PATHWAY.replace("{label: Calm,", "{label: Calmer,"), encoding="utf-8")
    # its own diagram, the comparison that includes it, and the neighbourhood of receptor-y (Calm's neighbour);
    # not the other pathway, its legend, or drug-x's neighbourhood. Each may take a second layout when
    # the legibility rule (render/layout.py) rejects the first, but never the three untouched graphs.
    assert 3 <= _build_counting(cfg) <= 5


def _generated_site(tmp_path):
    """A small synthetic site from the benchmarks' generator (pages, pathways, glossary, citations)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"
    spec = importlib.util.spec_from_file_location("bench_generate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("bench_generate", module)
    spec.loader.exec_module(module)
    return module.generate(tmp_path / "site", pages=4, pathways=6, terms=20)


def _rebuild(config) -> tuple[dict[str, int], dict[str, str]]:
    """One more build with the same plugin instance (as under serve): work done, and each graph's content."""
    runner = config.plugins["mechanisms"].runner
    before = dict(runner.made) if runner else {}
    build(config)
    plugin = config.plugins["mechanisms"]
    made = {
        k: v - (before.get(k, 0) if plugin.runner is runner else 0) for k, v in plugin.runner.made.items()
    }
    graphs = {str(key): repr(graph) for key, graph in plugin.site.diagrams.graphs.items()}
    return {k: v for k, v in made.items() if v}, graphs


def test_a_rebuild_redoes_only_the_work_whose_inputs_changed(tmp_path):
    root = _generated_site(tmp_path)
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "out"), strict=True)
    made, graphs = _rebuild(config)
    assert made["layout"] == len(graphs) and made["export"] and made["embed"]  # the first build does it all
    rebuilt, same = _rebuild(config)
    assert rebuilt == {} and same == graphs  # nothing changed: no layout, export or embedding is redone
    pathway = root / "diagrams" / "pathway-0003.md"
    text = pathway.read_text(encoding="utf-8")
    label = re.search(r'\n    label: "([^"]+)"', text)  # a node's label
    assert label is not None
    pathway.write_text(text.replace(label.group(0), label.group(0)[:-1] + ' edited"', 1), encoding="utf-8")
    after, edited = _rebuild(config)
    changed = [key for key in graphs if edited[key] != graphs[key]]
    assert "pathway:pathway-0003" in changed and len(changed) < len(graphs) / 2
    assert after["layout"] == len(changed)  # only the graphs the edit reached are laid out again
    # the pathway's .svg and .sbgn (its .json and .dot too, when their text changed); no other export
    assert 2 <= after["export"] <= 4
    assert after["embed"] <= 3 * len(changed)  # each changed diagram, where its pages show it
    page = (tmp_path / "out" / "pathways" / "pathway-0003" / "index.html").read_text(encoding="utf-8")
    assert label.group(1) + " edited" in page


def test_inline_pathway_fence_renders_and_reports_errors_at_page_lines(tmp_path, build_error):
    inline = (
        "# Doc\n\nIntro.\n\n```pathway\n---\ntitle: Inline example\nnodes:\n  a: {label: A, kind: drug, term: drug-x}\n"
        "  b: {label: B, kind: receptor}\nedges:\n  - {from: a, to: b, rel: binds}\n---\nA caption.\n```\n"
    )
    files = minimal_files()
    files["docs/doc.md"] = inline
    site = build_site(tmp_path, files)
    page = site.page("doc")
    assert (
        "Inline example" in page and 'class="edge mechanisms-edge rel-binds"' in page and "A caption." in page
    )
    files["docs/doc.md"] = inline.replace("rel: binds", "rel: bindz")
    broken = tmp_path / "broken"
    cfg = write_site(broken, files)
    assert "docs/doc.md:12: edges[0].rel: unknown relation 'bindz' (did you mean 'binds'?)" in build_error(
        cfg
    )


def test_fences_in_code_examples_stay_literal_and_admonition_fences_render(tmp_path):
    files = minimal_files()
    files["docs/doc.md"] = (
        "# Doc\n\n````markdown\n```pathway\nx-blocks-y\n```\n````\n\n"
        "Indented code:\n\n    ```pathway\n    x-blocks-y\n    ```\n\n"
        '!!! note "In a box"\n\n    ```pathway\n    x-blocks-y\n    ```\n'
    )
    config = "site_name: T\nmarkdown_extensions:\n  - admonition\nplugins:\n  - mechanisms\n"
    page = build_site(tmp_path, files, config).page("doc")
    assert page.count('class="mechanisms-figure"') == 1
    assert re.search(r'<div class="admonition note">.*?<figure class="mechanisms-figure"', page, re.S)
    assert page.count("```pathway") == 2 and "mechanisms-cite-ph" not in page


def test_citation_after_a_figure_is_reported_at_its_source_line(tmp_path, build_error):
    files = minimal_files()
    files["docs/index.md"] = "# Home\n\n```pathway\nx-blocks-y\n```\n\nText [@smith2021].\n"
    cfg = write_site(tmp_path, files)
    assert "docs/index.md:7: unknown citation key '@smith2021'" in build_error(cfg)


def test_tooltips_off_removes_every_tip(tmp_path):
    site = build_site(tmp_path, config="site_name: T\nplugins:\n  - mechanisms:\n      tooltips: false\n")
    for page in ("", "deep/nested/page", "pathways/x-blocks-y"):
        assert "data-tip-" not in site.page(page)


def test_walkthrough_reads_relations_as_phrases(tmp_path):
    files = minimal_files()
    files["diagrams/x-blocks-y.md"] = MINIMAL_PATHWAY.replace("rel: leads-to", "rel: requires")
    page = build_site(tmp_path, files).page("pathways/x-blocks-y")
    assert '<em class="mechanisms-rel">is necessary for</em>' in page
    assert "Step by step (2 steps)" in page


def test_configured_colours_reach_the_generated_stylesheet(tmp_path):
    config = (
        "site_name: T\nplugins:\n  - mechanisms:\n      colours:\n"
        "        drug: {light: '#ffeeee', dark: '#552222'}\n"
    )
    css = build_site(tmp_path, config=config).html("assets/mechanisms/colours.css")
    assert "--mechanisms-drug-fill: #ffeeee;" in css and "--mechanisms-drug-fill: #552222;" in css
    assert '[data-md-color-scheme="slate"]' in css and "prefers-color-scheme: dark" in css


def test_references_link_back_to_pathway_steps(tmp_path):
    refs = build_site(tmp_path).page("references")
    assert re.search(
        r'steps <a href="../pathways/x-blocks-y/#mfig1-step-1">1–2</a>', refs
    )  # a run of steps as a range


def test_backlinks_and_appears_in_follow_new_pages_and_pathways(tmp_path):
    files = minimal_files()
    site = build_site(tmp_path, files)
    assert "later-page" not in site.page("glossary/drug-x")
    files["docs/later-page.md"] = "# Later page\n\nDrug X again.\n"
    files["diagrams/second.md"] = MINIMAL_PATHWAY.replace("Drug X blocks receptor Y", "Second pathway")
    site = build_site(tmp_path, files)
    term = site.page("glossary/drug-x")
    assert 'href="../../later-page/"' in term
    assert "Second pathway" in term


def test_auto_nav_lists_indexes_not_every_term_and_pathway(tmp_path):
    site = build_site(tmp_path)
    home = site.page("")
    index = site.page("pathways")
    assert 'href="x-blocks-y/"' in index and "Drug X blocks receptor Y" in index
    nav = re.search(
        r'<ul class="nav navbar-nav">(.*?)</ul>\s*<ul class="nav navbar-nav ms-md-auto">', home, re.S
    )
    assert nav is not None
    assert "pathways/" in nav.group(1) and "glossary/" in nav.group(1)
    assert "glossary/drug-x/" not in nav.group(1) and "pathways/x-blocks-y/" not in nav.group(1)


def test_graphviz_missing_is_one_clear_error(tmp_path, build_error, monkeypatch):
    cfg = write_site(
        tmp_path, minimal_files(), "site_name: T\nplugins:\n  - mechanisms:\n      cache_dir: .cache/no-dot\n"
    )
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    message = build_error(cfg)
    assert "Graphviz's 'dot' program was not found on PATH" in message
    assert "apt install graphviz" in message and "Traceback" not in message


def test_csl_style_option_changes_references_and_groups(tmp_path):
    config = "site_name: Test\nplugins:\n  - mechanisms:\n      csl_style: ieee\n"
    site = build_site(tmp_path, config=config)
    deep = site.page("deep/nested/page")
    assert re.search(r'\[<a href="../../../references/#ref-smith2020"[^>]*>1</a>\], \[<a ', deep)
    assert "J. Smith and J. Doe, “A study of receptor Y,”" in site.page("references")


def test_unknown_csl_style_is_one_clear_error(tmp_path, build_error):
    config = "site_name: Test\nplugins:\n  - mechanisms:\n      csl_style: american-medical-asociation\n"
    cfg = write_site(tmp_path, minimal_files(), config)
    assert (
        "mkdocs.yml:4: plugins.mechanisms.csl_style: unknown CSL style 'american-medical-asociation' "
        "(did you mean 'american-medical-association'?)"
    ) in build_error(cfg)


UNCITED_BIB = (
    "@article{lee2019,\n  author = {Lee, Kim},\n  title = {Only in a comment},\n  year = {2019}\n}\n"
)


def test_citations_in_code_and_comments_are_never_read(tmp_path):
    files = minimal_files()
    files["docs/references.bib"] += UNCITED_BIB
    files["docs/index.md"] = (
        "# Home\n\nCited [@smith2020].\n\n"
        "    [@nokey] and [@smith2020] in an indented code block\n\n"
        "<!-- [@nokey] and [@lee2019] in a comment -->\n\n"
        "Text <!-- [@lee2019] [@nokey] --> and `[@nokey]` inline.\n\n"
        "```\n[@nokey]\n```\n"
    )
    site = build_site(tmp_path, files)  # strict: an unknown key would abort the build
    home = site.page("")
    code = re.search(r"<pre><code>(.*?)</code></pre>", home, re.S).group(1)
    assert "[@nokey] and [@smith2020] in an indented code block" in code
    assert "mechanisms-cite-ph" not in home and home.count('class="mechanisms-cite"') == 1
    references = site.page("references")
    assert 'id="ref-smith2020"' in references and "ref-lee2019" not in references
    assert "ref-lee2019" not in home


def test_superfences_tilde_block_in_an_admonition_is_not_read(tmp_path):
    files = minimal_files()
    files["docs/index.md"] = (
        '# Home\n\nCited [@smith2020].\n\n!!! note "Example"\n\n    ~~~markdown\n    See [@nokey].\n    ~~~\n'
    )
    config = "site_name: T\nmarkdown_extensions:\n  - admonition\n  - pymdownx.superfences\nplugins:\n  - mechanisms\n"
    home = build_site(tmp_path, files, config).page("")
    assert "See [@nokey]." in home and "mechanisms-cite-ph" not in home


@pytest.mark.parametrize("marker", ["[@]", "[@ smith2020]", "[@smith2020; jones2021]"])
def test_malformed_citation_fails_strict_build_with_file_and_line(tmp_path, build_error, marker):
    files = minimal_files()
    files["docs/index.md"] = f"# Home\n\nText.\n\nMore {marker} here.\n"
    cfg = write_site(tmp_path, files)
    assert f"docs/index.md:5: malformed citation '{marker}'" in build_error(cfg)


def test_unclosed_figure_fence_fails_strict_build_with_file_and_line(tmp_path, build_error):
    files = minimal_files()
    files["docs/index.md"] = "# Home\n\nText.\n\n```pathway\nx-blocks-y\n"
    cfg = write_site(tmp_path, files)
    assert "docs/index.md:5: the 'pathway' fence is never closed" in build_error(cfg)


def _titled_page(title: str, meta: dict[str, str], *, homepage: bool = False) -> SimpleNamespace:
    return SimpleNamespace(
        file=SimpleNamespace(src_uri="page.md"), title=title, meta=meta, is_homepage=homepage
    )


@pytest.mark.parametrize(
    ("title", "meta", "homepage", "expected"),
    [
        ("Drug X blocks receptor Y", {}, False, None),  # prints the same raw and through striptags
        ("A &amp; B", {}, False, "A &amp; B"),  # striptags would decode the entity in <title>
        ("&lt;script&gt;x", {}, False, "&lt;script&gt;x"),
        ("Two  spaces", {}, False, "Two spaces"),
        ("Home", {}, True, "Home"),  # Material names a homepage without meta.title by the site only
        ("<b>", {"title": "<b>"}, False, "&lt;b&gt;"),  # front matter is text: escaped once
        ("Plain", {"title": "Plain"}, False, "Plain"),
    ],
)
def test_theme_gets_a_title_only_where_printing_page_title_would_differ(title, meta, homepage, expected):
    """A plain title leaves ``meta`` empty (Material's nav then skips its per-item meta lookups)."""
    page = _titled_page(title, dict(meta), homepage=homepage)
    MechanismsPlugin().on_page_content("<p>x</p>", page=page, config=None, files=None)  # type: ignore[arg-type]
    assert page.meta.get("title") == expected
