"""``zensical serve``'s one preparing process: each edit redoes only what it touches, with the same result.

A :class:`Resident` is kept across the preparations of one site, as the serve's preparing
process keeps it; after each kind of edit the test counts the pages the collecting pass
converted again and the pages written for Zensical (which renders exactly those again), and
after a sequence of edits compares the state, Zensical's configuration and its whole docs
folder with a full preparation in a fresh process (nothing kept, ``pages.json`` removed).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import write_site
from mkdocs_mechanisms.zensical import CONFIG, PAGES, STATE, Prepared, prepare
from mkdocs_mechanisms.zensical_resident import Resident
from test_deps import files

pytest.importorskip("zensical")

FIGURE_X = {"index.md", "deep/nested/page.md", "pathways/x-blocks-y.md"}
"""The pages drawing pathway x-blocks-y."""


class Serve:
    """One site's preparations as one serve makes them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cfg = write_site(root, files())
        self.resident = Resident()
        self.first = self.prepare()

    def prepare(self) -> Prepared:
        return prepare(self.cfg, serving=True, resident=self.resident)

    def edit(self, name: str, old: str, new: str) -> tuple[set[str], set[str]]:
        """Edit, prepare again: the pages converted again, and the pages written for Zensical."""
        path = self.root / name
        text = path.read_text(encoding="utf-8")
        assert old in text
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        prepared = self.prepare()
        assert prepared.shadow is not None and not prepared.shadow.reloads  # no page but these is read
        return set(prepared.converted), {p for p in prepared.written if p.endswith(".md")}

    def outputs(self) -> tuple[bytes, bytes, dict[str, bytes]]:
        cache = self.root / ".cache/mechanisms"
        docs = cache / "zensical/docs"
        found = {p.relative_to(docs).as_posix(): p.read_bytes() for p in docs.rglob("*") if p.is_file()}
        return (cache / STATE).read_bytes(), (self.root / CONFIG).read_bytes(), found


@pytest.fixture
def serve(tmp_path: Path) -> Serve:
    return Serve(tmp_path)


def test_each_kind_of_edit_converts_and_writes_only_the_pages_it_touches(serve: Serve) -> None:
    every = set(serve.first.converted)
    assert FIGURE_X | {"plain.md", "lone.md", "references.md"} <= every
    assert serve.resident.pages is not None and serve.resident.runner is not None
    # nothing changed: nothing converted, nothing written
    assert serve.edit("docs/plain.md", "words", "words") == (set(), set())
    # a page's text: that page
    assert serve.edit("docs/plain.md", "Nothing here but words.", "Only words.") == (
        {"plain.md"},
        {"plain.md"},
    )
    # a pathway: the pages drawing or listing it (its figure, its page, the pathways' index)
    lone = {"lone.md", "pathways/z-to-w.md", "pathways/index.md"}
    assert serve.edit("diagrams/z-to-w.md", "label: Double-u", "label: Double-you") == (lone, lone)
    # a glossary page: its page, the glossary, and the pages whose figures name the term
    shown = FIGURE_X | {"glossary/drug-x.md", "glossary/receptor-y.md", "glossary/index.md"}
    assert serve.edit("docs/glossary/drug-x.md", "A test drug.", "An edited drug.") == (shown, shown)
    # a citation more: that page converted; written too, the references ("cited on" it)
    assert serve.edit(
        "docs/index.md", "Drug X is interesting [@smith2020].", "First [@jones2021]. Drug X [@smith2020]."
    ) == ({"index.md"}, {"index.md", "references.md"})
    # numbers change (the first page in reading order now cites smith2020 second): written, not converted
    converted, written = serve.edit("docs/deep/nested/page.md", "[@jones2021; @smith2020]", "[@smith2020]")
    assert converted == {"deep/nested/page.md"}
    assert {"deep/nested/page.md", "index.md", "references.md"} <= written < every


def test_after_a_sequence_of_edits_the_result_is_a_full_preparations(serve: Serve) -> None:
    serve.edit("docs/plain.md", "Nothing here but words.", "Words [@smith2020].")
    serve.edit("diagrams/x-blocks-y.md", "{label: Receptor Y,", "{label: Receptor Yprime,")
    serve.edit("docs/glossary/receptor-y.md", "A test receptor.", "A receptor, edited.")
    serve.edit("docs/index.md", "Drug X is interesting [@smith2020].", "First [@jones2021].")
    serve.edit("docs/references.bib", "A study of receptor Y", "A revised study of receptor Y")
    incremental = serve.outputs()
    (serve.root / ".cache/mechanisms" / PAGES).unlink()
    script = "import sys; from pathlib import Path; from mkdocs_mechanisms.zensical import prepare; "
    script += "print(len(prepare(Path(sys.argv[1]), serving=True).converted))"
    done = subprocess.run([sys.executable, "-c", script, str(serve.cfg)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert int(done.stdout.split()[-1]) == len(serve.first.converted)  # a full preparation
    full = serve.outputs()
    assert json.loads(full[0]) == json.loads(incremental[0])
    assert full == incremental


def test_the_preparing_process_answers_each_request_with_one_line(tmp_path: Path) -> None:
    """What the watcher reads (:class:`.zensical_serve.Preparer`): one JSON line per request."""
    from mkdocs_mechanisms.zensical_serve import Preparer

    cfg = write_site(tmp_path, files())
    preparer = Preparer(cfg)
    try:
        first = preparer.prepare()
        assert first is not None and first["converted"] > 0 and first["written"] > 0
        child = preparer.child
        page = tmp_path / "docs/plain.md"
        page.write_text(page.read_text(encoding="utf-8") + "\nOne more.\n", encoding="utf-8")
        again = preparer.prepare()
        assert again is not None and (again["converted"], again["written"], again["reloads"]) == (1, 1, False)
        assert preparer.child is child  # the same process, its pages kept
    finally:
        preparer.stop()
    assert child is not None and child.poll() is not None
