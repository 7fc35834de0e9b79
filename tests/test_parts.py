"""Generated pages' lists and lines as HTML: what the host wrote from the same Markdown, byte for byte."""

from __future__ import annotations

import markdown as python_markdown
from mkdocs_mechanisms import parts
from mkdocs_mechanisms.deferred import Found, Slot
from mkdocs_mechanisms.glossary import escape_markdown
from mkdocs_mechanisms.links import Links
from mkdocs_mechanisms.model import Edge, Node, Pathway, Term
from mkdocs_mechanisms.options import Options

EXTENSIONS = ["abbr", "admonition", "attr_list", "md_in_html", "tables", "pymdownx.superfences", "toc"]


def _host(text: str) -> str:
    return python_markdown.markdown(text, extensions=EXTENSIONS)


def _pathway(pid: str, title: str, source: str = "diagrams/p.md") -> Pathway:
    nodes = {"a": Node("a", "A", "drug", term="t"), "b": Node("b", "B", "receptor", term="u")}
    return Pathway(pid, title, source, nodes, [Edge("a", "b", "blocks")])


def test_a_link_list_is_what_python_markdown_writes() -> None:
    title = 'A & <b> *"q"* [x](y) _z_'
    written = f"- [{escape_markdown(title)}](a.svg)\n- [B](b.sbgn): opens in Newt, & more\n"
    built = parts.link_list(
        [("a.svg", parts.text(title), ""), ("b.sbgn", "B", ": opens in Newt, &amp; more")]
    )
    assert built == _host(written)


def test_downloads_are_what_the_host_wrote_and_keep_the_source_path_as_text() -> None:
    pathway = _pathway("p", "P", "diagrams/a_b & <c>.md")
    built = parts.downloads_html(pathway, lambda path: "../" + path.rsplit("/", 1)[1])
    assert built.endswith("<p><small>Source file: <code>diagrams/a_b &amp; &lt;c&gt;.md</code></small></p>")
    assert built.startswith('<ul>\n<li><a href="../p.svg">Diagram as SVG</a></li>\n')
    assert "<script" not in built and "<c>" not in built


def test_term_facts_are_written_as_the_host_writes_two_raw_blocks() -> None:
    term = Term("t", "T", "drug", "A <b>bold</b> summary.", aliases=("T1",))
    for gap in ("", "\n"):
        old = (
            f'<p class="mechanisms-term-summary no-glossary"><em>A &lt;b&gt;bold&lt;/b&gt; summary.</em></p>\n\n'
            f'<p class="mechanisms-term-facts no-glossary"><strong>Kind:</strong> drug · '
            f"<strong>Also called:</strong> T1</p>\n{gap}Body."
        )
        assert parts.facts_html(term, spaced=bool(gap)) + "\n<p>Body.</p>" == _host(old)


def _parts() -> parts.Parts:
    terms = {"t": Term("t", "T", "drug", "Tee.")}
    links = Links(Options())
    links.set_pages(["index.md", "pathways/p.md", "pathways/p.svg", "glossary/t.md"])
    return parts.Parts({"p": _pathway("p", "Zeta")}, terms, links)


def test_links_are_the_hosts_and_a_missing_file_keeps_its_written_link() -> None:
    downloads = _parts().html(Found(Slot.PART, "downloads:p"), "pathways/p.md")
    assert '<a href="../p.svg">Diagram as SVG</a>' in downloads  # a built URL, as MkDocs rewrites it
    assert '<a href="p.dot">' in downloads  # not in the site: left as written, as MkDocs leaves it
    facts = _parts().html(Found(Slot.PART, "facts:t:spaced"), "glossary/t.md")
    assert facts.endswith("<strong>Kind:</strong> drug</p>\n")


def test_an_argument_that_names_nothing_gives_nothing() -> None:
    for arg in ("nonsense:p", "downloads:missing", "facts:missing", "facts:", "downloads:", ""):
        assert _parts().html(Found(Slot.PART, arg), "index.md") == ""


def test_a_page_without_parts_is_returned_as_it_is() -> None:
    text = '<p><span class="mechanisms-slot" data-arg="1" data-slot="figure"></span></p>'
    assert _parts().fill(text, "index.md") is text
    slot = parts.part(parts.Part.DOWNLOADS, "p")
    filled = _parts().fill(f"<h2>D</h2>\n<p>{slot}</p>\n<p>x</p>", "pathways/p.md")
    assert filled.startswith("<h2>D</h2>\n<ul>\n<li>") and filled.endswith("</code></small></p>\n<p>x</p>")


def test_term_lists_are_what_the_host_wrote_from_the_raw_blocks_and_stay_escaped() -> None:
    hostile = _pathway("p", '<img src=x onerror="a()"> & co')
    term = Term("u", "U <i>", "drug", 'Sum "mary" & <b>.')
    appears = parts.appears_html([hostile], lambda pid: f'../{pid}/"')
    related = parts.related_html([term], lambda slug: f"../{slug}/")
    old_appears = (
        '<ul class="mechanisms-appears-in no-glossary" data-search-exclude><li><a href="../p/&quot;">'
        "&lt;img src=x onerror=&quot;a()&quot;&gt; &amp; co</a></li></ul>"
    )
    old_related = (
        '<ul class="mechanisms-related no-glossary" data-search-exclude><li><a href="../u/">U &lt;i&gt;</a>'
        " — Sum &quot;mary&quot; &amp; &lt;b&gt;.</li></ul>"
    )
    markdown = f"## A\n\n{old_appears}\n\n## R\n\n{old_related}\n\n## M\n"
    built = _host(markdown)
    assert built == f'<h2 id="a">A</h2>\n{appears}\n<h2 id="r">R</h2>\n{related}\n<h2 id="m">M</h2>'
    assert "<img" not in appears and "<b>" not in related


def test_sections_the_linker_leaves_alone_are_filled_after_it() -> None:
    page = "\n".join(
        f"<p>{parts.part(kind, arg)}</p>"
        for kind, arg in (
            (parts.Part.DOWNLOADS, "p"),
            (parts.Part.APPEARS, "p,gone"),
            (parts.Part.RELATED, "t"),
        )
    )
    before = _parts().fill(page, "glossary/u.md", linked=False)
    assert before.startswith("<ul>\n<li>") and before.count('data-slot="part"') == 2  # downloads only
    after = _parts().fill(before, "glossary/u.md", linked=True)
    assert 'data-slot="part"' not in after and after == _parts().fill(page, "glossary/u.md")
    assert '<li><a href="../../pathways/p/">Zeta</a></li></ul>' in after  # an unknown id is left out
    assert '<li><a href="../t/">T</a> — Tee.</li></ul>' in after
