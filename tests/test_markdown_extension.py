"""The Python-Markdown extension, with plain Python-Markdown and no MkDocs."""

from __future__ import annotations

import markdown
import pytest
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


def test_pandocs_citation_syntax_in_a_paragraph(tmp_path, caplog):
    text = (
        "Plain [@smith2020], located [@smith2020, p. 233], grouped "
        "[*see* @smith2020, pp. 232-235 and **passim**; also @jones2021, chap. 2].\n\n"
        "@smith2020 says so and @jones2021 [fig. 3] agrees; the year alone [-@jones2021].\n\n"
        "[see @smith2020]: at the start of a line.\n"
    )
    out = convert(tmp_path, text, bibliography="docs/references.bib")
    assert "@smith2020" not in out and "@jones2021" not in out and "mechanisms-cite-ph" not in out
    assert "Plain<sup" in out and ">1(p233)</a>" in out
    # prefixes and suffixes are Markdown, rendered with the paragraph; each item keeps its locator
    assert "<em>see</em> <a " in out and ">1(pp232–235)</a> and <strong>passim</strong>" in out
    assert "also <a " in out and ">2(chap2)</a>" in out
    # in-text: the authors, then the number (AMA)
    assert '<span class="mechanisms-cite-author">Smith and Doe</span><sup' in out
    assert '<span class="mechanisms-cite-author">Jones</span><sup' in out and ">2(fig3)</a>" in out
    assert "</sup>: at the start of a line." in out
    assert not [r for r in caplog.records if r.levelname == "WARNING"]


def test_an_at_sign_in_prose_is_a_citation_only_for_a_known_key(tmp_path, caplog):
    text = (
        "Write to jane@example.org, or use the @property decorator; @smith2020 agrees.\n\n"
        "`@smith2020` in code, and an unknown key @nobody [see @smith2020] before a citation.\n"
    )
    out = convert(tmp_path, text, bibliography="docs/references.bib")
    assert "jane@example.org" in out and "the @property decorator" in out
    assert "<code>@smith2020</code>" in out and "@nobody" in out
    assert out.count("mechanisms-cite-author") == 1 and out.count('class="mechanisms-cite"') == 2
    assert not [r for r in caplog.records if r.levelname == "WARNING"]


def test_a_prefixed_citation_with_an_unknown_key_is_reported(tmp_path, caplog):
    out = convert(
        tmp_path,
        "Intro.\n\nSee [see @smth2020, p. 3] and [@ smith2020].\n",
        bibliography="docs/references.bib",
    )
    messages = [r.getMessage() for r in caplog.records]
    assert any("3: unknown citation key '@smth2020' (did you mean 'smith2020'?)" in m for m in messages)
    assert any("3: malformed citation '[@ smith2020]'" in m for m in messages)
    assert "?smth2020" in out


def test_raw_html_in_a_prefix_is_text_and_cannot_run_past_the_citation(tmp_path):
    text = 'Before [<span class="x"> see @smith2020, p. 3] and after [@jones2021].\n\nNext paragraph.\n'
    out = convert(tmp_path, text, bibliography="docs/references.bib")
    assert "&lt;span class=&quot;x&quot;&gt; see <a " in out and '<span class="x">' not in out
    assert out.count('class="mechanisms-cite"') == 2 and "and after<sup" in out
    assert "<p>Next paragraph.</p>" in out and "mechanisms-cite-ph" not in out


@pytest.mark.parametrize("after", [":", ".", ")", ";", ",", "!", "?", "", "—and more"])
def test_a_bracketed_citation_is_one_before_any_punctuation(tmp_path, after):
    for text in (
        f"Claim [@smith2020]{after}\n",
        f"[@smith2020]{after}\n",
        f"(as shown [see @smith2020, p. 3]{after}\n",
    ):
        out = convert(tmp_path, text, bibliography="docs/references.bib")
        assert "[@" not in out and "@smith2020" not in out, text
        assert f"</sup>{after}" in out, text


def test_a_key_cut_short_by_an_escaped_underscore_is_reported_with_the_key_meant(tmp_path, caplog):
    out = convert(tmp_path, "Intro.\n\nSee [@smith\\_2020] here.\n", bibliography="docs/references.bib")
    messages = [r.getMessage() for r in caplog.records]
    assert any(
        "3: unknown citation key '@smith' (a citation key holds no backslash: write '@smith_2020')" in m
        for m in messages
    ), messages
    assert "\x02" not in out
