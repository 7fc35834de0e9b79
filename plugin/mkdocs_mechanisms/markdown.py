"""The page-level half of the plugin as a Python-Markdown extension.

For sites that run Markdown extensions but not MkDocs plugins (Zensical,
plain Python-Markdown): the ```` ```pathway ```` fence renders a figure and
glossary terms from a given folder are linked. What needs the whole site —
generated pathway and glossary pages, numbered citations, back-links,
comparisons' exports — is the MkDocs plugin's job and is absent here.

Usage::

    markdown.markdown(text, extensions=["mkdocs_mechanisms.markdown"],
                      extension_configs={"mkdocs_mechanisms.markdown": {
                          "diagrams_dir": "diagrams", "glossary_dir": "docs/glossary",
                          "glossary_url": "/glossary/{slug}/"}})
"""

from __future__ import annotations

import html
import logging
import textwrap
from pathlib import Path
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from . import cite, pages
from .errors import MechanismsError, Problem
from .figure import error_html, pathway_figure
from .linker import Linker, LinkRules
from .load import load_pathway
from .render.dot import legend_dot, to_dot
from .render.graph import pathway_graph
from .render.runner import GraphvizRunner
from .render.svg import EmbedInfo, embed_info, embed_svg
from .sources import Sources, diagram_files, load_sources

log = logging.getLogger("mkdocs_mechanisms.markdown")


class _State:
    """Sources, renderer and linker, loaded once per extension instance."""

    def __init__(self, config: dict[str, Any]) -> None:
        root = Path(config["base_dir"]).resolve()
        diagrams = (root / config["diagrams_dir"]).resolve()
        glossary = (root / config["glossary_dir"]).resolve()
        self.sources: Sources = load_sources(
            root,
            diagram_files(diagrams),
            [p for p in diagram_files(glossary) if p.name != "index.md"],
            None,
        )
        for problem in [*self.sources.warnings, *self.sources.problems]:
            log.warning(str(problem))
        cache = config["cache_dir"]
        self.runner = GraphvizRunner((root / cache).resolve() if cache else None, engine=config["engine"])
        self.linker = Linker(self.sources.terms.values(), LinkRules(mode=config["link"]))
        self.url_pattern: str = config["glossary_url"]
        self.label: str = config["figure_label"]

    def url(self, target: str) -> str:
        kind, _, name = target.partition("/")
        return self.url_pattern.format(slug=name) if kind == "glossary" else ""


class _Fences(Preprocessor):
    """Replace pathway fences with stashed figure HTML before code fences are read."""

    def __init__(self, md: Markdown, extension: MechanismsExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        state = self.extension.state()
        text = "\n".join(lines)
        counter = 0

        def replace(found: pages.Fence) -> str:
            nonlocal counter
            counter += 1
            figure = self._figure(state, found.kind, textwrap.dedent(found.body), counter)
            return "\n\n" + found.indent + self.md.htmlStash.store(figure) + "\n\n"

        return pages.replace_fences(text, replace).split("\n")

    def _figure(self, state: _State, kind: str, body: str, number: int) -> str:
        fid = f"mfig{number}"
        ids = body.split()
        if kind == "pathway" and body.lstrip().startswith("---"):
            try:
                pathway = load_pathway(body.strip() + "\n", "inline pathway", default_id=f"inline-{fid}")
            except MechanismsError as error:
                for problem in error.problems:
                    log.warning(str(problem))
                return error_html([str(p) for p in error.problems])
        elif kind != "pathway" or len(ids) != 1 or ids[0] not in state.sources.pathways:
            what = (
                f"unknown pathway '{' '.join(ids)}'"
                if kind == "pathway"
                else f"'{kind}' needs the MkDocs plugin (it compares or indexes the whole site)"
            )
            log.warning("mkdocs-mechanisms: %s", what)
            return error_html([str(Problem("markdown", 0, "", what))])
        else:
            pathway = state.sources.pathways[ids[0]]
        graph = pathway_graph(pathway, state.sources.terms)
        result = state.runner.render_many(
            {
                "pathway": to_dot(graph),
                "legend": legend_dot(
                    {n.kind for n in pathway.nodes.values()}, {e.rel for e in pathway.edges}
                ),
            }
        )
        for problem in result.problems:
            log.warning(str(problem))
        if "pathway" not in result.svgs:
            return error_html([str(p) for p in result.problems])
        info = embed_info(graph, state.sources.terms)
        info.description = cite.CITATION.sub("", info.description)
        svg = embed_svg(result.svgs["pathway"], fid, state.url, info)
        legend = (
            embed_svg(result.svgs["legend"], f"{fid}-legend", state.url, EmbedInfo("Legend"))
            if "legend" in result.svgs
            else None
        )
        figure = pathway_figure(
            pathway,
            fid=fid,
            svg=svg,
            legend_svg=legend,
            terms=state.sources.terms,
            resolve=state.url,
            label=f"{state.label} {number}." if state.label else "",
            link=None,
            open_steps=False,
            caption_html=html.escape(cite.CITATION.sub("", pathway.caption)),
        )
        return cite.PLACEHOLDER.sub("", figure)


class _Terms(Postprocessor):
    """Link glossary mentions in the finished HTML."""

    def __init__(self, md: Markdown, extension: MechanismsExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, text: str) -> str:
        state = self.extension.state()
        return state.linker.link(text, lambda slug: state.url(f"glossary/{slug}")).html


class MechanismsExtension(Extension):
    """Pathway figures and glossary links for plain Python-Markdown."""

    def __init__(self, **kwargs: Any) -> None:
        self.config = {
            "base_dir": [".", "Folder the other paths are relative to"],
            "diagrams_dir": ["diagrams", "Folder of pathway files"],
            "glossary_dir": ["docs/glossary", "Folder of glossary pages"],
            "glossary_url": ["glossary/{slug}/", "URL of a term page; {slug} is replaced"],
            "cache_dir": [".cache/mechanisms", "Rendered-SVG cache ('' for none)"],
            "engine": ["dot", "Graphviz layout engine"],
            "link": ["first", "first | all | none"],
            "figure_label": ["Figure", "Word before a figure's number ('' for none)"],
        }
        super().__init__(**kwargs)
        self._state: _State | None = None

    def state(self) -> _State:
        """Load sources on first use, then reuse them for every page."""
        if self._state is None:
            self._state = _State(self.getConfigs())
        return self._state

    def extendMarkdown(self, md: Markdown) -> None:
        md.registerExtension(self)
        md.preprocessors.register(
            _Fences(md, self), "mechanisms_fences", 28
        )  # after whitespace normalising, before fenced_code
        md.postprocessors.register(_Terms(md, self), "mechanisms_terms", 5)


def makeExtension(**kwargs: Any) -> MechanismsExtension:
    """Entry point Python-Markdown looks for."""
    return MechanismsExtension(**kwargs)
