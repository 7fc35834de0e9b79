"""The Python-Markdown extension, with plain Python-Markdown and no MkDocs."""

from __future__ import annotations

import markdown
from conftest import minimal_files, write_site


def convert(tmp_path, text: str, **config) -> str:
    write_site(tmp_path, minimal_files())
    options = {"base_dir": str(tmp_path), "glossary_url": "/g/{slug}/", **config}
    return markdown.markdown(
        text,
        extensions=["fenced_code", "mkdocs_mechanisms.markdown"],
        extension_configs={"mkdocs_mechanisms.markdown": options},
    )


def test_pathway_fence_renders_a_figure(tmp_path):
    out = convert(tmp_path, "Intro.\n\n```pathway\nx-blocks-y\n```\n\nAfter.")
    assert '<figure class="mechanisms-figure" id="mfig1"' in out
    assert "<svg" in out and 'href="/g/drug-x/"' in out
    assert "Figure 1." in out and "Drug X acts on receptor Y" in out
    assert "mechanisms-cite-ph" not in out
    assert "<p>After.</p>" in out


def test_terms_are_linked_first_mention_only(tmp_path):
    out = convert(tmp_path, "Receptor Y and RY, again Receptor Y.\n\n`Receptor Y` in code.")
    assert out.count('class="mechanisms-term"') == 1
    assert 'href="/g/receptor-y/"' in out and "<code>Receptor Y</code>" in out


def test_other_code_fences_untouched_and_unknown_pathway_reported(tmp_path, caplog):
    out = convert(tmp_path, "```python\nx = 1\n```\n\n```pathway\nnope\n```\n")
    assert "<code" in out and "x = 1" in out
    assert "mechanisms-error" in out and "unknown pathway" in out
    assert any("unknown pathway 'nope'" in r.getMessage() for r in caplog.records)


def test_citations_are_read_as_inline_text_only(tmp_path, caplog):
    text = (
        "Cited [@smith2020].\n\n    [@smith2020] in indented code\n\n"
        "<!-- [@nokey] -->\n\nA <!-- [@nokey] --> comment and `[@nokey]` code.\n"
    )
    out = convert(tmp_path, text, bibliography="docs/references.bib")
    assert out.count('class="mechanisms-cite"') == 1
    assert "<pre><code>[@smith2020] in indented code" in out and "mechanisms-cite-ph" not in out
    assert not [r for r in caplog.records if "citation" in r.getMessage()]


def test_malformed_citation_is_reported_with_its_line(tmp_path, caplog):
    out = convert(tmp_path, "Intro.\n\nSee [@] and [@ smith2020].\n", bibliography="docs/references.bib")
    assert "[@] and [@ smith2020]" in out
    messages = [r.getMessage() for r in caplog.records]
    assert any("3: malformed citation '[@]'" in m for m in messages)
    assert any("3: malformed citation '[@ smith2020]'" in m for m in messages)


def test_a_citation_before_a_colon_is_a_citation_even_at_the_start_of_a_line(tmp_path, caplog):
    text = (
        "Each by its own means\n[@smith2020]:\n\nMid-line [@smith2020]: more.\n\n"
        "[@smith2020]: word\n\n"
        "[a@b.org]: https://example.org/mail\n\nA [link][a@b.org] still.\n"
    )
    out = convert(tmp_path, text, bibliography="docs/references.bib")
    assert "[@" not in out and "@smith2020" not in out
    assert out.count('class="mechanisms-cite"') == 3
    assert "</sup>: word" in out and "</sup>: more." in out
    assert '<a href="https://example.org/mail">link</a>' in out  # a real definition still defines
    assert not [r for r in caplog.records if r.levelname == "WARNING"]
