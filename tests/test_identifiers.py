"""Identifiers (CURIEs): checked against the registry, located problems, resolver links, JSON."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from helpers_core import pathway
from mkdocs_mechanisms import identifiers as ids
from mkdocs_mechanisms.errors import MechanismsError
from mkdocs_mechanisms.glossary import Glossary
from mkdocs_mechanisms.pages import pathway_json
from mkdocs_mechanisms.parts import facts_html
from mkdocs_mechanisms.termpage import load_term

REPO = Path(__file__).resolve().parent.parent


def term_text(identifiers: str) -> str:
    return f"---\nterm: Ketamine\nkind: drug\nsummary: A drug.\nidentifiers: {identifiers}\n---\nBody.\n"


@pytest.mark.parametrize(
    ("curie", "prefix", "local"),
    [
        ("CHEBI:6121", "chebi", "6121"),
        ("chebi:6121", "chebi", "6121"),
        ("HGNC:1033", "hgnc", "1033"),
        ("uniprot:P23560", "uniprot", "P23560"),
        ("iuphar.family:75", "iuphar.family", "75"),
        ("iuphar.receptor:6", "iuphar.receptor", "6"),
        ("iuphar.ligand:4233", "iuphar.ligand", "4233"),
        ("mesh:D007649", "mesh", "D007649"),
        ("GO:0017146", "go", "0017146"),
    ],
)
def test_registry_accepts_the_databases_of_the_manual(curie: str, prefix: str, local: str) -> None:
    found = ids.parse(curie)
    assert (found.curie, found.prefix, found.local) == (curie, prefix, local)
    assert found.url.startswith(("http://", "https://")) and local in found.url
    assert found.database


def test_resolver_links_come_from_the_registry() -> None:
    assert ids.parse("CHEBI:6121").url == "http://purl.obolibrary.org/obo/CHEBI_6121"
    assert ids.parse("HGNC:1033").url.startswith("https://www.genenames.org/")
    assert ids.parse("iuphar.family:75").url.endswith("FamilyDisplayForward?familyId=75")
    assert ids.parse("mesh:D007649").url == "https://meshb.nlm.nih.gov/record/ui?ui=D007649"


@pytest.mark.parametrize(
    ("curie", "message", "suggestion"),
    [
        ("CHEBX:6121", "unknown identifier prefix 'CHEBX'", "did you mean 'CHEBI'?"),
        ("uniprt:P23560", "unknown identifier prefix 'uniprt'", "did you mean 'uniprot'?"),
        ("iuphar.receptr:6", "unknown identifier prefix 'iuphar.receptr'", "did you mean 'iuphar.receptor'?"),
        ("CHEBI:ketamine", "'ketamine' is not a valid CHEBI identifier", "expected the pattern ^\\d+$"),
        ("mesh:7649", "'7649' is not a valid mesh identifier", "expected the pattern"),
        ("ketamine", "'ketamine' is not a compact identifier", "write PREFIX:ID, e.g. 'CHEBI:6121'"),
        ("CHEBI:", "'CHEBI:' is not a compact identifier", "write PREFIX:ID"),
    ],
)
def test_bad_curies_say_what_is_wrong(curie: str, message: str, suggestion: str) -> None:
    with pytest.raises(ids.IdentifierError) as caught:
        ids.parse(curie)
    assert caught.value.message == message
    assert caught.value.suggestion.startswith(suggestion)


def test_bad_identifier_on_a_term_is_a_located_problem() -> None:
    text = "---\nterm: Ketamine\nkind: drug\nsummary: A drug.\nidentifiers:\n  - CHEBI:6121\n  - CHEBX:6121\n---\n"
    with pytest.raises(MechanismsError) as caught:
        load_term(text, "docs/glossary/ketamine.md")
    assert [str(p) for p in caught.value.problems] == [
        "docs/glossary/ketamine.md:7: identifiers[1]: unknown identifier prefix 'CHEBX' (did you mean 'CHEBI'?)"
    ]


def test_bad_identifier_on_a_node_is_a_located_problem() -> None:
    with pytest.raises(MechanismsError) as caught:
        pathway("title: T\nnodes:\n  k: {label: K, kind: drug, identifiers: [CHEBI:x1]}\n")
    (problem,) = caught.value.problems
    assert (problem.line, problem.path) == (4, "nodes.k.identifiers[0]")
    assert problem.message == "'x1' is not a valid CHEBI identifier"


def test_wrong_shape_of_identifiers_is_reported() -> None:
    with pytest.raises(MechanismsError) as caught:
        load_term(term_text("{CHEBI: 6121}"), "docs/glossary/ketamine.md")
    assert "identifiers: wrong type: expected a list" in str(caught.value)


def test_one_curie_may_be_written_without_a_list_and_repeats_are_dropped() -> None:
    assert load_term(term_text("CHEBI:6121"), "docs/glossary/k.md").identifiers == ("CHEBI:6121",)
    twice = load_term(term_text("[CHEBI:6121, CHEBI:6121]"), "docs/glossary/k.md")
    assert twice.identifiers == ("CHEBI:6121",)


def test_index_json_and_pathway_json_carry_identifiers() -> None:
    term = load_term(term_text("[CHEBI:6121, 'mesh:D007649']"), "docs/glossary/ketamine.md")
    entry = json.loads(Glossary([term]).index_json(str))[0]
    assert entry["identifiers"] == ["CHEBI:6121", "mesh:D007649"]
    p = pathway(
        "title: T\nnodes:\n  k: {label: K, kind: drug, term: ketamine, identifiers: ['iuphar.ligand:4233']}\n"
        "  r: {label: R, kind: receptor}\n"
    )
    nodes = json.loads(pathway_json(p, {"ketamine": term}))["nodes"]
    assert nodes[0]["identifiers"] == ["CHEBI:6121", "mesh:D007649", "iuphar.ligand:4233"]
    assert nodes[1]["identifiers"] == []


def test_term_page_shows_identifiers_as_links() -> None:
    term = load_term(term_text("[CHEBI:6121]"), "docs/glossary/ketamine.md")
    head = facts_html(term, spaced=False)
    assert (
        '<strong>Identifiers:</strong> <a class="mechanisms-identifier" '
        'href="http://purl.obolibrary.org/obo/CHEBI_6121" '
        'title="Chemical Entities of Biological Interest">CHEBI:6121</a>'
    ) in head


def test_registry_is_imported_only_when_identifiers_are_used() -> None:
    code = (
        "import sys\n"
        "from mkdocs_mechanisms.termpage import load_term\n"
        "load_term('---\\nterm: A\\nkind: drug\\nsummary: s\\n---\\n', 'docs/glossary/a.md')\n"
        "print('bioregistry' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


MOLECULAR_KINDS = {"drug", "receptor", "transporter", "transmitter", "protein"}
CLASS_TERMS = {"serotonergic-psychedelics", "a2a-d2-heteromer"}
"""Terms that name a class of drugs or a receptor heteromer: no single database entry fits."""


@pytest.mark.parametrize(
    "folder", [REPO / "docs" / "glossary", REPO / "examples" / "caffeine" / "docs" / "glossary"]
)
def test_every_molecular_term_of_the_sites_has_valid_identifiers(folder: Path) -> None:
    missing = []
    for path in sorted(folder.glob("*.md")):
        term = load_term(path.read_text(encoding="utf-8"), str(path))
        if term.kind in MOLECULAR_KINDS and term.slug not in CLASS_TERMS and not term.identifiers:
            missing.append(term.slug)
        for curie in term.identifiers:
            assert re.match(r"^https?://", ids.parse(curie).url)
    assert missing == []


def test_built_site_links_identifiers_and_exports_them(tmp_path: Path) -> None:
    from conftest import build_site, minimal_files

    files = minimal_files()
    files["docs/glossary/drug-x.md"] = files["docs/glossary/drug-x.md"].replace(
        "kind: drug\n", "kind: drug\nidentifiers: [CHEBI:6121]\n"
    )
    files["diagrams/x-blocks-y.md"] = files["diagrams/x-blocks-y.md"].replace(
        "term: receptor-y, region: pfc}", "term: receptor-y, region: pfc, identifiers: ['iuphar.family:75']}"
    )
    site = build_site(tmp_path, files)
    page = site.page("glossary/drug-x")
    assert 'href="http://purl.obolibrary.org/obo/CHEBI_6121"' in page and ">CHEBI:6121</a>" in page
    index = json.loads(site.html("glossary/index.json"))
    assert [entry["identifiers"] for entry in index] == [["CHEBI:6121"], []]
    nodes = json.loads(site.html("pathways/x-blocks-y.json"))["nodes"]
    assert [n["identifiers"] for n in nodes] == [["CHEBI:6121"], ["iuphar.family:75"], []]


def test_bad_identifier_fails_the_build_with_its_place(tmp_path: Path, build_error) -> None:
    from conftest import minimal_files, write_site

    files = minimal_files()
    files["docs/glossary/drug-x.md"] = files["docs/glossary/drug-x.md"].replace(
        "kind: drug\n", "kind: drug\nidentifiers: [CHEBX:6121]\n"
    )
    errors = build_error(write_site(tmp_path, files))
    assert (
        "docs/glossary/drug-x.md:5: identifiers[0]: unknown identifier prefix 'CHEBX' (did you mean 'CHEBI'?)"
        in errors
    )


@pytest.mark.parametrize(
    ("curie", "why"),
    [
        ('bel:<img src=x onerror="alert(1)">', "the character '<'"),
        ("bel:a\tb", "a line break, a tab or spaces in a row"),
        ("bel:a  b", "a line break, a tab or spaces in a row"),
        ("bel:{{x}}", "the character '{'"),
        ("bel:a\x07", "the control character U+0007"),
    ],
)
def test_text_that_cannot_be_an_id_is_refused_where_the_registry_has_no_pattern(curie: str, why: str) -> None:
    assert ids._registry().get_resource("bel").get_pattern() is None
    with pytest.raises(ids.IdentifierError) as error:
        ids.parse(curie)
    assert error.value.message.endswith(f"cannot be a bel identifier: it holds {why}")
    assert "gives no pattern" in error.value.suggestion


@pytest.mark.parametrize("curie", ["bel:9-1-1 Complex", "hgvs:NG_012337.3(NM_003002.4):c.274G>T"])
def test_the_registrys_own_examples_without_a_pattern_are_accepted(curie: str) -> None:
    assert ids.parse(curie).curie == curie


def test_pathway_json_carries_certainty_and_evidence() -> None:
    p = pathway(
        "title: T\ncertainty: proposed\nevidence: ECO:0000304\nnodes:\n  k: {label: K, kind: drug}\n"
        "  r: {label: R, kind: receptor}\nedges:\n  - {from: k, to: r, rel: blocks, certainty: established,"
        " evidence: ECO:0000305}\n  - {from: r, to: k, rel: activates}\n"
    )
    data = json.loads(pathway_json(p))
    assert (data["certainty"], data["evidence"]) == ("proposed", ["ECO:0000304"])
    assert [(e["certainty"], e["evidence"]) for e in data["edges"]] == [
        ("established", ["ECO:0000305"]),
        ("proposed", ["ECO:0000304"]),
    ]
    bare = json.loads(pathway_json(pathway("title: T\nnodes:\n  k: {label: K, kind: drug}\n")))
    assert bare["certainty"] is None and bare["evidence"] == []


CACHED = ["CHEBI:6121", "mesh:D007649", "CHEBX:6121", "ECO:0000304", "GO:nope"]
"""Known, unknown prefix, evidence code, bad local id: every kind of result the cache keeps."""

RUN = """
import json, sys
from pathlib import Path
from mkdocs_mechanisms import identifiers as ids
ids.use_cache(Path(sys.argv[1]))
out = []
for c in json.loads(sys.argv[2]):
    try:
        f = ids.parse(c)
        out.append([f.curie, f.prefix, f.local, f.database, f.url, ids.identifiers_org(c)])
    except ids.IdentifierError as e:
        out.append([e.message, e.suggestion])
ids.save_cache()
print(json.dumps({"results": out, "imported": "bioregistry" in sys.modules}))
"""


def run_checks(cache: Path, curies: list[str] = CACHED) -> tuple[list[object], bool]:
    """Check ``curies`` in a fresh process with ``cache``: the results, and whether the registry was imported."""
    out = subprocess.run(
        [sys.executable, "-c", RUN, str(cache), json.dumps(curies)],
        capture_output=True,
        text=True,
        check=True,
    )
    got = json.loads(out.stdout)
    return got["results"], got["imported"]


def test_warm_cache_checks_the_same_curies_without_the_registry(tmp_path: Path, cold_run: ColdRun) -> None:
    cold, imported = cold_run.results, cold_run.imported
    assert imported and cold_run.cache.is_file()
    shutil.copy2(cold_run.cache, tmp_path / ids.CACHE_FILE)  # the cold run's file, its time kept
    written = (tmp_path / ids.CACHE_FILE).stat().st_mtime_ns
    warm, imported = run_checks(tmp_path)
    assert (warm, imported) == (cold, False)
    assert (tmp_path / ids.CACHE_FILE).stat().st_mtime_ns == written  # nothing changed: not written again
    assert cold[0][4] == "http://purl.obolibrary.org/obo/CHEBI_6121"
    assert cold[2] == ["unknown identifier prefix 'CHEBX'", "did you mean 'CHEBI'?"]
    _, imported = run_checks(tmp_path, [*CACHED, "HGNC:1033"])
    assert imported  # a new CURIE is checked by the registry


@dataclass(frozen=True)
class ColdRun:
    """A check of :data:`CACHED` without a cache: its results, whether it imported the registry, the file it wrote."""

    results: list[object]
    imported: bool
    cache: Path


@pytest.fixture(scope="module")
def cold_run(tmp_path_factory: pytest.TempPathFactory) -> ColdRun:
    """One cold check for the module: each registry import costs a test seconds, and every warm
    cache below starts as the file this run wrote (what a cold run in the test's own folder writes)."""
    folder = tmp_path_factory.mktemp("cold")
    results, imported = run_checks(folder)
    return ColdRun(results, imported, folder / ids.CACHE_FILE)


@pytest.fixture(scope="module")
def cold(cold_run: ColdRun) -> list[object]:
    """The results of checking :data:`CACHED` without a cache."""
    return cold_run.results


def cache_with(tmp_path: Path, change: object, warm: Path) -> Path:
    """A warm cache folder (holding a copy of ``warm``) whose file ``change`` (a function of the
    parsed file, or its new bytes) tampered with."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    file = tmp_path / ids.CACHE_FILE
    shutil.copy2(warm, file)
    if isinstance(change, bytes):
        file.write_bytes(change)
    else:
        data = json.loads(file.read_text("utf-8"))
        change(data)  # type: ignore[operator]
        file.write_text(json.dumps(data), "utf-8")
    return tmp_path


def _evil_url(data: dict[str, dict[str, dict[str, str]]]) -> None:
    data["identifiers"]["CHEBI:6121"]["url"] = "javascript:alert(1)"


def _wrong_types(data: dict[str, dict[str, object]]) -> None:
    data["identifiers"]["CHEBI:6121"] = {"prefix": 1, "local": [], "database": None, "url": {}, "org": ""}


def _error_with_a_link(data: dict[str, dict[str, dict[str, str]]]) -> None:
    data["identifiers"]["CHEBX:6121"]["url"] = "https://example.org"


def _other_version(data: dict[str, str]) -> None:
    data["bioregistry"] = "0.0.0-other"


def _not_a_map(data: dict[str, object]) -> None:
    data["identifiers"] = ["CHEBI:6121"]


@pytest.mark.parametrize(
    "change",
    [
        b"{not json",
        b"\xff\xfe\x00",
        b"[]",
        b"null",
        _evil_url,
        _wrong_types,
        _error_with_a_link,
        _not_a_map,
        _other_version,
    ],
)
def test_corrupt_tampered_or_stale_cache_is_checked_again(
    tmp_path: Path, change: object, cold: list[object], cold_run: ColdRun
) -> None:
    tampered = cache_with(tmp_path / "warm", change, cold_run.cache)
    again, imported = run_checks(tampered)
    assert (again, imported) == (cold, True)
    assert run_checks(tampered) == (cold, False)  # and the file is whole again


def test_a_cached_link_must_be_a_web_link_like_a_fresh_one() -> None:
    assert ids._read_entry("X:1", dict.fromkeys(ids._FIELDS, "javascript:x")) is None
    good = {"prefix": "x", "local": "1", "database": "X", "url": "https://x.org/1", "org": ""}
    assert ids._read_entry("X:1", good) == ids.Identifier("X:1", "x", "1", "X", "https://x.org/1")
    assert ids._read_entry("X:1", {**good, "org": "data:text/html,x"}) is None
    assert ids._read_entry("X:1", {**good, "url": "https://x.org/\n1"}) is None
    assert ids._read_entry("X:1", {"error": "", "hint": ""}) is None
