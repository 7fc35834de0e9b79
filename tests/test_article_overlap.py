"""Site prose is our own words: no run of 8+ words from the seed article outside quotation marks.

Facts carry over from the article; sentences do not. Where the exact words
matter, the site quotes them ("…") and says whose they are. This test reads
every Markdown page under docs/ (the glossary included) and every pathway
file under diagrams/ (front-matter strings and body) and fails on any run of
eight consecutive words that the article also has, naming the file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from helpers_core import seed_article

ROOT = Path(__file__).resolve().parent.parent
RUN = 8
ARTICLE = seed_article()

_WORD = re.compile(r"[a-z0-9α-ω]+(?:['-][a-z0-9α-ω]+)*")
"""A word; a hyphenated compound ("5-HT2A", "alpha-amino-3-hydroxy-…") is one word."""
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
_MARKUP = re.compile(
    r"\[@[^\]]*\]"  # citations
    r"|\]\([^)]*\)"  # link targets
    r"|<[^>\n]*>"  # HTML tags and comments
    r"|`[^`\n]*`"  # inline code
    r"|^\s*(?:!!!|\?\?\?)\+?\s*\w+"  # admonition markers (the title is quoted, so dropped)
    r"|\{[:.#][^}\n]*\}",  # attribute lists
    re.M,
)


_CITATION_NUMERALS = re.compile(r"(?<=[^\W\d_]|[).,;:’”])\d+(?:[–,-]\d+)*(?=[\s.,;:]|$)", re.M)
"""The article's superscript citations as plain text: "hippocampus10", "(BDNF).2", "trials,4–8"."""


def strip_citation_numerals(text: str) -> str:
    """The article as a reader sees it: citation numbers glued to words or punctuation removed.

    Read as text, "hippocampus10" is one word and the "2" of "(BDNF).2" another,
    so a copied run that spans a citation would go unseen. Numbers that are
    part of a name ("5-HT2A", "GluN2") are followed by a letter and stay.
    """
    return _CITATION_NUMERALS.sub("", text)


def article_words() -> list[str]:
    """The article's words, citation numerals removed."""
    assert ARTICLE is not None
    return words(strip_citation_numerals(ARTICLE.read_text(encoding="utf-8")))


def words(text: str) -> list[str]:
    """Lower-case words, typographic apostrophes and hyphens normalised."""
    text = text.replace("’", "'").replace("‘", "'").replace("\u2011", "-").replace("\u2010", "-").lower()
    return _WORD.findall(text)


def unquoted_segments(text: str, first_line: int = 1) -> list[tuple[int, str]]:
    """(line, text) of every paragraph, with quotations and markup removed."""
    out = []
    line = first_line
    for block in re.split(r"(\n\s*\n)", text):
        if block.strip():
            clean = _MARKUP.sub(" ", block)
            out.append((line, _QUOTED.sub(" … ", clean)))
        line += block.count("\n")
    return out


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def file_segments(path: Path) -> list[tuple[int, str]]:
    """Front-matter strings (each its own segment, at line 1) and the body's paragraphs."""
    text = path.read_text(encoding="utf-8")
    segments: list[tuple[int, str]] = []
    body, body_line = text, 1
    match = re.match(r"---\n(.*?\n)---\n", text, re.S)
    if match:
        data = yaml.safe_load(match.group(1)) or {}
        segments += [(1, _QUOTED.sub(" … ", s)) for s in _strings(data)]
        body, body_line = text[match.end() :], match.group(0).count("\n") + 1
    body = re.sub(r"^```.*?^```", lambda m: "\n" * m.group(0).count("\n"), body, flags=re.S | re.M)
    return segments + unquoted_segments(body, body_line)


def shared_runs(segment: str, article_ngrams: set[tuple[str, ...]]) -> list[str]:
    """Maximal runs of ``RUN``+ words of ``segment`` that also occur in the article."""
    tokens = words(segment)
    hits = [i for i in range(len(tokens) - RUN + 1) if tuple(tokens[i : i + RUN]) in article_ngrams]
    runs: list[list[int]] = []
    for i in hits:
        if runs and i <= runs[-1][1]:
            runs[-1][1] = i + RUN
        else:
            runs.append([i, i + RUN])
    return [" ".join(tokens[a:b]) for a, b in runs]


def site_files() -> list[Path]:
    return sorted((ROOT / "docs").rglob("*.md")) + sorted((ROOT / "diagrams").glob("*.md"))


def test_words_ignore_quotes_markup_and_case() -> None:
    segs = unquoted_segments("As the article puts it, “Ketamine blocks NDMA receptors” [@k], see [x](y.md).")
    assert words(segs[0][1]) == ["as", "the", "article", "puts", "it", "see", "x"]
    assert words("Ketamine’s BDNF, 5-HT2A") == ["ketamine's", "bdnf", "5-ht2a"]


def test_citation_numerals_glued_to_words_are_not_words() -> None:
    text = (
        "produced in the hippocampus10 and the frontal cortex,11 two areas; factor (BDNF).2 Since BDNF "
        "levels; in clinical trials,4–8 as well; 5-HT2A and 5-HT1B receptors.14 Psilocin; 322 million; "
        "Kadriu et al. 2021.3 Both"
    )
    assert words(strip_citation_numerals(text)) == words(
        "produced in the hippocampus and the frontal cortex, two areas; factor (BDNF). Since BDNF "
        "levels; in clinical trials, as well; 5-HT2A and 5-HT1B receptors. Psilocin; 322 million; "
        "Kadriu et al. 2021. Both"
    )


def test_shared_runs_finds_maximal_runs_only() -> None:
    article = words("one two three four five six seven eight nine ten")
    grams = {tuple(article[i : i + RUN]) for i in range(len(article) - RUN + 1)}
    assert shared_runs("Zero one two three four five six seven eight nine, end.", grams) == [
        "one two three four five six seven eight nine"
    ]
    assert shared_runs("one two three four five six seven, eight", grams) == [
        "one two three four five six seven eight"
    ]
    assert shared_runs("one two three four five six seven nine", grams) == []
    assert shared_runs("“one two three four five six seven eight”", grams) == [
        "one two three four five six seven eight"
    ]  # shared_runs itself does not drop quotes: file_segments does
    quoted = unquoted_segments("“one two three four five six seven eight”")[0][1]
    assert shared_runs(quoted, grams) == []


@pytest.mark.skipif(ARTICLE is None, reason="the seed article is not beside the repository")
def test_no_run_of_eight_words_from_the_article() -> None:
    article = article_words()
    grams = {tuple(article[i : i + RUN]) for i in range(len(article) - RUN + 1)}
    found = []
    for path in site_files():
        for line, segment in file_segments(path):
            found += [f"{path.relative_to(ROOT)}:{line}: {run}" for run in shared_runs(segment, grams)]
    assert not found, "the article's own words, unquoted:\n" + "\n".join(found)
