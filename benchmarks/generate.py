"""Synthetic sites in this project's own formats, for the benchmarks.

``generate(root, pages, pathways, terms, flavour)`` writes one complete MkDocs
project under ``root``:

* ``pages`` article pages of about 800 words, each mentioning about 20
  glossary terms, citing the bibliography with ``[@key]`` and embedding two
  figures with ```` ```pathway ```` fences;
* ``pathways`` pathway files (``diagrams/<id>.md``) of 12 nodes and 14 edges,
  with three regions (one nested), glossary terms, ``on:`` cells, notes and
  ``cite:`` keys;
* ``terms`` glossary pages (``docs/glossary/<slug>.md``) with aliases;
* ``docs/references.bib`` with 20 entries.

The same seed gives the same site in every flavour:

``plugin``
    our formats, ``mkdocs.yml`` with ``- mechanisms``.
``plain``
    the same ``docs/`` without the plugin: fences stay code blocks, ``[@key]``
    stays text; a hand-written glossary index and reference list stand in for
    the generated ones so that the navigation is the same.
``peer``
    what a user would write for the stack they could pick today:
    ``markdown-inline-graphviz-extension`` (```` ```graphviz dot x.svg ````
    fences holding the DOT our plugin generates, links rewritten to relative
    glossary URLs) and ``mkdocs-ezglossary`` (definition lists
    ``terms:<slug>`` on each glossary page, ``<terms:<slug>|text>`` for every
    mention, ``<glossary::terms>`` on the index), plus one page per pathway.

CLI: ``python benchmarks/generate.py OUT --pages 10 --pathways 10 --terms 30
--flavour plugin``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

FLAVOURS = ("plugin", "plain", "peer")
SIZES: dict[str, tuple[int, int, int]] = {
    "small": (10, 10, 30),
    "medium": (100, 100, 300),
    "large": (300, 600, 1000),
    "xlarge": (1000, 2000, 3000),
}
"""(pages, pathways, terms) for each named size."""

WORDS_PER_PAGE = 800
MENTIONED_TERMS_PER_PAGE = 20
FIGURES_PER_PAGE = 2
NODES_PER_PATHWAY = 12
EDGES_PER_PATHWAY = 14
BIB_ENTRIES = 20
GRAPHVIZ_TIMEOUT = 900
"""Seconds of Graphviz per build the plugin allows in the synthetic sites (the default is 30)."""

NODE_KINDS = ("drug", "receptor", "transporter", "transmitter", "protein", "cell", "process", "outcome")
TERM_KINDS = (*NODE_KINDS, "region", "condition", "concept")
RELATIONS = (
    "activates", "stimulates", "inhibits", "blocks", "binds", "releases", "produces", "converts",
    "increases", "decreases", "requires", "modulates", "leads-to",
)  # fmt: skip

_SYLLABLES = (
    "ka", "lo", "ran", "ve", "mi", "tor", "sa", "quin", "del", "pha", "ro", "zen", "tu", "bex", "nol",
    "dra", "vi", "cor", "mel", "tas", "gor", "lin", "pex", "bu", "ny", "osh", "fra", "ud", "wix", "ael",
)  # fmt: skip
_SUFFIX = {
    "drug": ("{}amine", "{}olol", "{}azine"),
    "receptor": ("{} receptor",),
    "transporter": ("{} transporter",),
    "transmitter": ("{}ine", "{}ate"),
    "protein": ("{} kinase", "{} factor", "{}ase"),
    "cell": ("{} neuron", "{} cell"),
    "process": ("{} signalling", "{} cascade"),
    "outcome": ("{} growth", "{} remodelling"),
    "region": ("{} nucleus", "{} cortex"),
    "condition": ("{} syndrome", "{} disorder"),
    "concept": ("{} hypothesis", "{} model"),
}
_PLURALS = {"receptor", "transporter", "cell", "protein"}

_VOCAB = (  # noqa: SIM905 - a paragraph of words reads better than a 180-item list
    "the a an of in on to and or but with without from into through across between within during after "
    "before because while although however therefore thus also often rarely sometimes usually may might "
    "can could would should must level levels signal signals activity response responses effect effects "
    "change changes study studies model models evidence finding findings result results patient patients "
    "brain tissue network networks region regions circuit circuits dose doses week weeks hour hours day "
    "days rapid slow strong weak early late short long lasting transient stable increase decrease rise "
    "fall shift balance control drive restrain release uptake binding block activation inhibition "
    "structure function growth loss recovery mood behaviour memory learning stress reward sleep "
    "measurement experiment trial trials sample samples animal animals human humans data analysis "
    "mechanism mechanisms pathway pathways step steps process outcome outcomes factor factors role "
    "roles part parts view views idea ideas question questions answer answers account accounts "
    "observed reported proposed suggested measured compared described tested confirmed questioned "
    "higher lower greater smaller broader narrower clear unclear direct indirect local global"
).split()
_HEADINGS = (
    "Background", "Mechanism", "Evidence", "Open questions", "Time course", "Dose and response",
    "Related findings", "Limitations", "Interpretation", "Summary",
)  # fmt: skip


@dataclass
class SynthTerm:
    slug: str
    name: str
    kind: str
    aliases: list[str]
    summary: str
    body_words: list[str] = field(default_factory=list)

    def mention(self, rng: random.Random) -> str:
        return rng.choice([self.name, self.name, *self.aliases])


@dataclass
class SynthNode:
    id: str
    label: str
    kind: str
    term: str | None
    region: str | None
    on: str | None
    note: str


@dataclass
class SynthEdge:
    source: str
    target: str
    rel: str
    cite: str
    note: str


@dataclass
class SynthPathway:
    id: str
    title: str
    cite: list[str]
    regions: dict[str, tuple[str, str | None]]
    nodes: list[SynthNode]
    edges: list[SynthEdge]
    body: str
    terms: list[str]


@dataclass
class SynthSite:
    terms: list[SynthTerm]
    pathways: list[SynthPathway]
    pages: list[tuple[str, str, list[tuple[str, object]]]]
    """(slug, title, blocks) where a block is ("text", [tokens]), ("h2", text) or ("figure", pathway id)."""
    bib: list[dict[str, str]]


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _pseudo(rng: random.Random, low: int = 2, high: int = 3) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(low, high)))


def _sentence(rng: random.Random, words: int) -> list[str]:
    tokens = [rng.choice(_VOCAB) for _ in range(words)]
    tokens[0] = tokens[0].capitalize()
    tokens[-1] += "."
    return tokens


def _make_terms(rng: random.Random, count: int) -> list[SynthTerm]:
    taken: set[str] = set()
    terms: list[SynthTerm] = []
    while len(terms) < count:
        kind = TERM_KINDS[len(terms) % len(TERM_KINDS)]
        stem = _pseudo(rng)
        name = rng.choice(_SUFFIX[kind]).format(stem).capitalize()
        acronym = (stem[:3] + kind[0]).upper() + str(rng.randint(1, 9))
        names = [name, acronym]
        if kind in _PLURALS:
            names.append(name + "s")
        if {n.casefold() for n in names} & taken or _slugify(name) in {t.slug for t in terms[-50:]}:
            continue
        slug = _slugify(name)
        if any(t.slug == slug for t in terms):
            continue
        taken |= {n.casefold() for n in names}
        summary = f"A synthetic {kind} used by the benchmarks; " + " ".join(_sentence(rng, 10))
        terms.append(SynthTerm(slug, name, kind, names[1:], summary))
    return terms


def _make_bib(rng: random.Random) -> list[dict[str, str]]:
    entries = []
    for i in range(BIB_ENTRIES):
        surname = _pseudo(rng).capitalize()
        year = str(1995 + rng.randint(0, 29))
        entries.append(
            {
                "key": f"{surname.lower()}{year}{chr(97 + i % 26)}",
                "author": f"{surname}, A. and {_pseudo(rng).capitalize()}, B. and others",
                "title": " ".join(_sentence(rng, 8)).rstrip("."),
                "journal": f"Journal of {_pseudo(rng).capitalize()} Studies",
                "year": year,
                "volume": str(rng.randint(1, 80)),
                "pages": f"{rng.randint(1, 500)}--{rng.randint(501, 900)}",
                "doi": f"10.{1000 + i}/bench.{rng.randint(10000, 99999)}",
            }
        )
    return entries


def _make_pathway(rng: random.Random, index: int, terms: list[SynthTerm], bib: list[dict[str, str]]):
    pid = f"pathway-{index:04d}"
    chosen = rng.sample(terms, min(len(terms), NODES_PER_PATHWAY - 1))
    cells = [t for t in terms if t.kind == "cell"]
    regions = {"outer": ("Outer region", None), "inner": ("Inner region", None), "core": ("Core", "inner")}
    nodes: list[SynthNode] = []
    for n in range(NODES_PER_PATHWAY):
        term = chosen[n] if n < len(chosen) else None
        kind = term.kind if term and term.kind in NODE_KINDS else rng.choice(NODE_KINDS)
        label = term.name if term else f"Unnamed {_pseudo(rng)} step"
        on = rng.choice(cells).slug if kind == "receptor" and cells and rng.random() < 0.5 else None
        region = rng.choice([None, "outer", "inner", "core", "core"])
        note = " ".join(_sentence(rng, 9)) if rng.random() < 0.3 else ""
        nodes.append(SynthNode(f"n{n:02d}", label, kind, term.slug if term else None, region, on, note))
    order = list(range(NODES_PER_PATHWAY))
    rng.shuffle(order)
    pairs = [(order[i], order[i + 1]) for i in range(NODES_PER_PATHWAY - 1)]
    while len(pairs) < EDGES_PER_PATHWAY:
        a, b = rng.sample(range(NODES_PER_PATHWAY), 2)
        if (a, b) not in pairs and (b, a) not in pairs:
            pairs.append((a, b))
    edges = [
        SynthEdge(
            nodes[a].id,
            nodes[b].id,
            rng.choice(RELATIONS),
            rng.choice(bib)["key"],
            " ".join(_sentence(rng, 14)),
        )
        for a, b in pairs
    ]
    mentioned = [t.slug for t in chosen[:4]]
    return SynthPathway(
        id=pid,
        title=f"{chosen[0].name} acts on {chosen[1].name} (synthetic pathway {index})",
        cite=[rng.choice(bib)["key"]],
        regions=regions,
        nodes=nodes,
        edges=edges,
        body="",  # filled per flavour: it mentions terms
        terms=mentioned,
    )


def _make_pages(rng: random.Random, count: int, terms: list[SynthTerm], pathways: list[SynthPathway], bib):
    pages = []
    figure = 0
    for p in range(count):
        mentioned = rng.sample(terms, min(len(terms), MENTIONED_TERMS_PER_PAGE))
        extra = [rng.choice(mentioned) for _ in range(8)]
        queue = mentioned + extra
        rng.shuffle(queue)
        words_left = WORDS_PER_PAGE
        blocks: list[tuple[str, object]] = []
        sections = 5
        per_section = WORDS_PER_PAGE // sections
        mentions_per_section = -(-len(queue) // sections)
        for s in range(sections):
            blocks.append(("h2", f"{_HEADINGS[(p + s) % len(_HEADINGS)]} {s + 1}"))
            tokens: list[object] = []
            budget = min(per_section, words_left)
            mine = queue[s * mentions_per_section : (s + 1) * mentions_per_section]
            while budget > 0:
                length = min(budget, rng.randint(10, 22))
                sentence: list[object] = list(_sentence(rng, length))
                if mine:
                    term = mine.pop()
                    position = rng.randint(1, max(1, len(sentence) - 2))
                    sentence[position] = ("term", term, term.mention(rng))
                if rng.random() < 0.12:
                    sentence.append(("cite", rng.choice(bib)["key"]))
                tokens.extend(sentence)
                budget -= length
            words_left -= min(per_section, words_left)
            blocks.append(("text", tokens))
            if s in (1, 3) and pathways and figure < count * FIGURES_PER_PAGE:
                blocks.append(("figure", pathways[figure % len(pathways)].id))
                figure += 1
        pages.append((f"page-{p + 1:04d}", f"Synthetic page {p + 1}", blocks))
    return pages


def build_site(pages: int, pathways: int, terms: int, seed: int = 1) -> SynthSite:
    """The abstract site; the same arguments always give the same site."""
    rng = random.Random(f"mechanisms-bench:{seed}:{pages}:{pathways}:{terms}")
    term_list = _make_terms(rng, terms)
    bib = _make_bib(rng)
    pathway_list = [_make_pathway(rng, i + 1, term_list, bib) for i in range(pathways)]
    for pw in pathway_list:
        pw.body = " ".join(str(x) for x in _sentence(rng, 30))
    page_list = _make_pages(rng, pages, term_list, pathway_list, bib)
    return SynthSite(term_list, pathway_list, page_list, bib)


# -- writing ----------------------------------------------------------------


def _q(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _mention(flavour: str, term: SynthTerm, text: str) -> str:
    if flavour == "peer":
        return f"<terms:{term.slug}|{text}>"
    return text


def _cite(flavour: str, key: str) -> str:
    return f"[@{key}]"


def _render_tokens(tokens: list[object], flavour: str) -> str:
    out: list[str] = []
    for token in tokens:
        if isinstance(token, tuple) and token[0] == "term":
            out.append(_mention(flavour, token[1], token[2]))
        elif isinstance(token, tuple) and token[0] == "cite":
            stop = "." if out[-1].endswith(".") else ""
            out[-1] = out[-1].removesuffix(".") + " " + _cite(flavour, token[1]) + stop
        else:
            out.append(str(token))
    lines, line = [], ""
    for word in out:
        if len(line) + len(word) > 76 and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return "\n".join(lines)


def _pathway_body(pw: SynthPathway, by_slug: dict[str, SynthTerm], flavour: str) -> str:
    caption = (
        f"The synthetic mechanism {pw.id}: {_mention(flavour, by_slug[pw.terms[0]], by_slug[pw.terms[0]].name)} "
        f"acts through {_mention(flavour, by_slug[pw.terms[1]], by_slug[pw.terms[1]].name)} [@{pw.cite[0]}]."
    )
    explanation = (
        f"{pw.body} It involves {_mention(flavour, by_slug[pw.terms[2]], by_slug[pw.terms[2]].name)} and "
        f"{_mention(flavour, by_slug[pw.terms[3]], by_slug[pw.terms[3]].name)} [@{pw.edges[0].cite}]."
    )
    return f"{caption}\n\n{explanation}\n"


def _pathway_file(pw: SynthPathway, by_slug: dict[str, SynthTerm]) -> str:
    lines = ["---", f"id: {pw.id}", f"title: {_q(pw.title)}", f"cite: [{', '.join(pw.cite)}]", "regions:"]
    for rid, (label, parent) in pw.regions.items():
        lines.append(f"  {rid}: {{label: {_q(label)}{', parent: ' + parent if parent else ''}}}")
    lines.append("nodes:")
    for node in pw.nodes:
        lines.append(f"  {node.id}:")
        lines.append(f"    label: {_q(node.label)}")
        lines.append(f"    kind: {node.kind}")
        if node.term:
            lines.append(f"    term: {node.term}")
        if node.region:
            lines.append(f"    region: {node.region}")
        if node.on:
            lines.append(f'    "on": {node.on}')
        if node.note:
            lines.append(f"    note: {_q(node.note)}")
    lines.append("edges:")
    for edge in pw.edges:
        lines.append(f"  - from: {edge.source}")
        lines.append(f"    to: {edge.target}")
        lines.append(f"    rel: {edge.rel}")
        lines.append(f"    cite: [{edge.cite}]")
        lines.append(f"    note: {_q(edge.note)}")
    lines.append("---")
    return "\n".join(lines) + "\n" + _pathway_body(pw, by_slug, "plugin")


def _term_file(term: SynthTerm, flavour: str, bib_key: str, rng: random.Random) -> str:
    body = " ".join(_sentence(rng, 40)) + f" [@{bib_key}]"
    if flavour == "peer":
        return f"# {term.name}\n\nterms:{term.slug}\n:   {term.summary} {body}\n"
    aliases = ", ".join(_q(a) for a in term.aliases)
    return (
        f"---\nterm: {_q(term.name)}\naliases: [{aliases}]\nkind: {term.kind}\n"
        f"summary: {_q(term.summary)}\n---\n{body}\n"
    )


def _bibtex(bib: list[dict[str, str]]) -> str:
    out = ["% Synthetic bibliography for the benchmarks.\n"]
    for entry in bib:
        fields = ",\n".join(f"  {k:<7} = {{{v}}}" for k, v in entry.items() if k != "key")
        out.append(f"@article{{{entry['key']},\n{fields}\n}}\n")
    return "\n".join(out)


def _peer_dot(dot: str, depth: int) -> str:
    """Our DOT with ``mechanisms:glossary/<slug>`` links made relative for the peer site."""
    up = "../" * depth
    return re.sub(r'URL="mechanisms:glossary/([a-z0-9-]+)"', rf'URL="{up}glossary/\1/"', dot)


def _dots_for_peer(plugin_root: Path) -> dict[str, str]:
    """The DOT of every pathway exactly as our plugin makes it."""
    from mkdocs_mechanisms.render.dot import to_dot
    from mkdocs_mechanisms.render.graph import pathway_graph
    from mkdocs_mechanisms.sources import load_sources

    glossary = [p for p in (plugin_root / "docs" / "glossary").glob("*.md") if p.name != "index.md"]
    sources = load_sources(
        plugin_root,
        sorted((plugin_root / "diagrams").glob("*.md")),
        glossary,
        plugin_root / "docs" / "references.bib",
    )
    if sources.problems:
        raise SystemExit("generated site has problems:\n" + "\n".join(map(str, sources.problems[:10])))
    return {pid: to_dot(pathway_graph(pw, sources.terms)) for pid, pw in sources.pathways.items()}


def _mkdocs_yml(site: SynthSite, flavour: str, title: str) -> str:
    page_nav = "\n".join(f"      - {t}: {slug}.md" for slug, t, _ in site.pages)
    extensions = [
        "abbr",
        "admonition",
        "attr_list",
        "md_in_html",
        "tables",
        "pymdownx.details",
        "pymdownx.superfences",
        "toc:\n      permalink: true",
    ]
    plugins = ["search"]
    if flavour == "plugin":
        # All of one build's Graphviz work may take `graphviz_timeout` seconds (30 by default): a
        # cold xlarge build (~7,000 graphs) needs more on 2 busy cores. The benchmark measures the
        # speed, not that safety limit, so it raises it like a user of a site that big would.
        plugins.append(f"mechanisms:\n      graphviz_timeout: {GRAPHVIZ_TIMEOUT}")
    if flavour == "peer":
        extensions += ["def_list", "markdown_inline_graphviz"]
        plugins.append("ezglossary:\n      tooltip: short")
    ext = "\n".join(f"  - {e}" for e in extensions)
    plg = "\n".join(f"  - {p}" for p in plugins)
    return f"""site_name: {_q(title)}
theme:
  name: material
  features:
    - navigation.sections
    - navigation.instant
    - content.tooltips
markdown_extensions:
{ext}
plugins:
{plg}
nav:
  - Home: index.md
  - Pages:
{page_nav}
  - Glossary: glossary/index.md
  - References: references.md
"""


def generate(
    root: str | Path, pages: int, pathways: int, terms: int, flavour: str = "plugin", seed: int = 1
) -> Path:
    """Write a synthetic site of the given size and flavour into ``root`` (replaced if present)."""
    if flavour not in FLAVOURS:
        raise ValueError(f"flavour must be one of {', '.join(FLAVOURS)}, not {flavour!r}")
    if terms < MENTIONED_TERMS_PER_PAGE or terms < NODES_PER_PATHWAY:
        raise ValueError(f"need at least {max(MENTIONED_TERMS_PER_PAGE, NODES_PER_PATHWAY)} terms")
    root = Path(root)
    if root.exists():
        shutil.rmtree(root)
    docs = root / "docs"
    (docs / "glossary").mkdir(parents=True)
    site = build_site(pages, pathways, terms, seed)
    by_slug = {t.slug: t for t in site.terms}
    rng = random.Random(f"term-bodies:{seed}")
    title = f"Synthetic site: {pages} pages, {pathways} pathways, {terms} terms"

    (root / "mkdocs.yml").write_text(_mkdocs_yml(site, flavour, title), encoding="utf-8")
    (docs / "references.bib").write_text(_bibtex(site.bib), encoding="utf-8")
    for term in site.terms:
        text = _term_file(term, flavour, rng.choice(site.bib)["key"], rng)
        (docs / "glossary" / f"{term.slug}.md").write_text(text, encoding="utf-8")

    links = "\n".join(f"- [{t}]({slug}.md)" for slug, t, _ in site.pages)
    (docs / "index.md").write_text(
        f"# {title}\n\nGenerated for the benchmarks.\n\n{links}\n", encoding="utf-8"
    )

    dots: dict[str, str] = {}
    if flavour in ("plugin", "peer"):
        diagrams = root / "diagrams" if flavour == "plugin" else root / ".plugin-diagrams"
        diagrams.mkdir()
        for pw in site.pathways:
            (diagrams / f"{pw.id}.md").write_text(_pathway_file(pw, by_slug), encoding="utf-8")
    if flavour == "peer":
        # The DOT needs the plugin's own loader: lay the plugin formats out in a scratch copy.
        scratch = root / ".plugin-scratch"
        (scratch / "docs").mkdir(parents=True)
        shutil.move(str(root / ".plugin-diagrams"), str(scratch / "diagrams"))
        (scratch / "docs" / "glossary").mkdir()
        for term in site.terms:
            text = _term_file(term, "plugin", site.bib[0]["key"], rng)
            (scratch / "docs" / "glossary" / f"{term.slug}.md").write_text(text, encoding="utf-8")
        (scratch / "docs" / "references.bib").write_text(_bibtex(site.bib), encoding="utf-8")
        dots = _dots_for_peer(scratch)
        shutil.rmtree(scratch)

    titles = {pw.id: pw.title for pw in site.pathways}
    for slug, page_title, blocks in site.pages:
        parts = [f"# {page_title}", ""]
        for kind, value in blocks:
            if kind == "h2":
                parts += [f"## {value}", ""]
            elif kind == "text":
                parts += [_render_tokens(value, flavour), ""]  # type: ignore[arg-type]
            elif kind == "figure":
                if flavour == "peer":
                    parts += [
                        f"```graphviz dot {value}.svg",
                        _peer_dot(dots[str(value)], 1).rstrip(),
                        "```",
                        "",
                    ]
                    parts += [f"*{titles[str(value)]}*", ""]
                else:
                    parts += ["```pathway", str(value), "```", ""]
        (docs / f"{slug}.md").write_text("\n".join(parts), encoding="utf-8")

    if flavour == "plain":
        index = "\n".join(f"- [{t.name}]({t.slug}.md)" for t in sorted(site.terms, key=lambda t: t.name))
        (docs / "glossary" / "index.md").write_text(f"# Glossary\n\n{index}\n", encoding="utf-8")
    if flavour == "peer":
        (docs / "glossary" / "index.md").write_text("# Glossary\n\n<glossary::terms>\n", encoding="utf-8")
        (docs / "pathways").mkdir()
        for pw in site.pathways:
            text = (
                f"# {pw.title}\n\n```graphviz dot {pw.id}.svg\n{_peer_dot(dots[pw.id], 2).rstrip()}\n```\n\n"
                + _pathway_body(pw, by_slug, "peer")
            )
            (docs / "pathways" / f"{pw.id}.md").write_text(text, encoding="utf-8")
    if flavour in ("plain", "peer"):
        refs = "\n".join(
            f"1. {e['author']} ({e['year']}). {e['title']}. *{e['journal']}* {e['volume']}, {e['pages']}. "
            f"<https://doi.org/{e['doi']}>"
            for e in site.bib
        )
        (docs / "references.md").write_text(f"# References\n\n{refs}\n", encoding="utf-8")
    return root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", help="folder to write (replaced if present)")
    parser.add_argument("--size", choices=sorted(SIZES), help="a named size; overrides the three counts")
    parser.add_argument("--pages", type=int, default=10)
    parser.add_argument("--pathways", type=int, default=10)
    parser.add_argument("--terms", type=int, default=30)
    parser.add_argument("--flavour", choices=FLAVOURS, default="plugin")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    pages, pathways, terms = SIZES[args.size] if args.size else (args.pages, args.pathways, args.terms)
    root = generate(args.out, pages, pathways, terms, args.flavour, seed=args.seed)
    print(f"wrote {args.flavour} site ({pages} pages, {pathways} pathways, {terms} terms) to {root}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
