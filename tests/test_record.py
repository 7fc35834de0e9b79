"""The record: what pages say about each other, kept as plain data for Zensical's page process."""

from __future__ import annotations

import re

import pytest
from engine_site import SHARED, Built, cold_build
from mkdocs_mechanisms.record import Record

pytestmark = SHARED


@pytest.fixture(scope="module")
def cold(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return cold_build(tmp_path_factory)[1]


def test_the_record_survives_its_plain_data_copy(cold: Built) -> None:
    record = cold.site.record
    again = Record.from_json(record.to_json())
    assert again.to_json() == record.to_json() and again.mentions["drug-x"] == record.mentions["drug-x"]
    listed = record.mentioned("drug-x", "glossary/drug-x.md", lambda src: src == "more.md")
    assert [src for src, _title, _sections in listed][:2] == ["index.md", "deep/nested/page.md"]
    assert "more.md" not in [src for src, _t, _s in listed]  # outside the article: not listed


def test_mentioned_on_and_cited_on_follow_reading_order_with_sections(cold: Built) -> None:
    mentioned = re.search(
        r'<ul class="mechanisms-mentioned-on"[^>]*>.*?</ul>', cold.html["glossary/drug-x.md"]
    )
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
