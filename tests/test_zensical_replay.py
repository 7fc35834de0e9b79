"""The extension's share of a page, replayed inside Zensical while the page and its inputs are the same."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from conftest import minimal_files, write_site
from markdown import Markdown
from mkdocs_mechanisms import markdown as extension_module
from mkdocs_mechanisms.zensical import prepare
from mkdocs_mechanisms.zensical_config import EXTENSION
from mkdocs_mechanisms.zensical_replay import FOLDER, ReplayExtension, build, dump
from zensical.extensions.context import ContextExtension
from zensical.extensions.context import Page as ZensicalPage

SHADOW = Path(".cache/mechanisms/zensical/docs")
PAGE = "deep/nested/page.md"


def _convert(root: Path, settings: dict[str, Any]) -> str:
    """The page as Zensical converts it: a new ``Markdown`` with the page's context and ours."""
    ours = dict(settings, state=str(root / settings["state"]))
    context = ContextExtension(page=ZensicalPage(url="deep/nested/page/", path=PAGE, meta={}), config={})
    md = Markdown(extensions=[context, "toc", "attr_list", ReplayExtension(**ours)])
    return md.convert((root / SHADOW / PAGE).read_text(encoding="utf-8"))


def test_a_page_is_replayed_without_the_site_and_a_changed_step_brings_it_up(tmp_path: Path) -> None:
    cfg = write_site(tmp_path, minimal_files())
    prepared = prepare(cfg, serving=False)
    settings = yaml.safe_load(prepared.config_text)["markdown_extensions"][-1][EXTENSION]
    extension_module._PREPARED.clear()
    first = _convert(tmp_path, settings)
    records = list((tmp_path / ".cache/mechanisms/zensical" / FOLDER).glob("*.json"))
    assert len(records) == 1 and "mechanisms-cite" in first and 'href="../../../glossary/' in first
    extension_module._PREPARED.clear()
    assert _convert(tmp_path, settings) == first
    assert not extension_module._PREPARED  # replayed: the prepared site was never loaded
    record = json.loads(records[0].read_text(encoding="utf-8"))
    record["finish"][-1][0] = "0" * 32  # a step handed another text than the record's
    records[0].write_text(json.dumps(record), encoding="utf-8")
    assert _convert(tmp_path, settings) == first  # brought up and worked as usual
    assert extension_module._PREPARED and not records[0].exists()  # the stale record went
    page = tmp_path / SHADOW / PAGE
    page.write_text(page.read_text(encoding="utf-8").replace("matters", "matters greatly"), encoding="utf-8")
    assert "matters greatly" in _convert(tmp_path, settings)  # another page text: worked, not replayed


def test_a_citation_element_survives_its_record() -> None:
    from xml.etree import ElementTree

    element = ElementTree.Element("span", {"data-slot": "cite"})
    element.text = "arg"
    child = ElementTree.SubElement(element, "span", {"data-a": "p0"})
    child.text, child.tail = "see", " tail"
    again = build(json.loads(json.dumps(dump(element))))
    assert again is not None and ElementTree.tostring(again) == ElementTree.tostring(element)
    assert build(dump(None)) is None
