"""Reading a BibTeX text into a :class:`.cite.Bibliography`, each bad entry a problem of its own.

Apart from :mod:`.cite` so that a build whose bibliography is kept (:mod:`.bibstore`)
never imports the BibTeX parser.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from bibtexparser.entrypoint import parse_string
from citeproc import CitationStylesStyle

from . import bibtex, csl
from .cite import Bibliography, valid_key
from .errors import Problem
from .model import Reference

_UNSAFE_TEXT = bibtex.UNSAFE_TEXT
_PARSER_LOG = logging.getLogger("bibtexparser")


def _invisible(source: str, line: int, where: str, text: str) -> Problem | None:
    """The refusal of a control or bidi character, worded as pathway text fields word it."""
    found = _UNSAFE_TEXT.search(text)
    if found is None:
        return None
    return Problem(
        source,
        line,
        where,
        bibtex.character_message(found.group()),
        "delete it: it cannot appear in a web page or an SVG and may hide what the text says",
    )


def read(
    text: str, source: str, style: CitationStylesStyle | None = None
) -> tuple[Bibliography | None, list[Problem]]:
    """:func:`.cite.read_bibtex`."""
    quiet = _PARSER_LOG.level
    _PARSER_LOG.setLevel(logging.ERROR)  # its "aborted" warnings repeat what is reported below
    try:
        library = parse_string(text)
    except Exception as error:  # the parser's own failure modes are not part of its API
        return None, [
            Problem(
                source,
                0,
                "",
                f"could not read the bibliography: {error}",
                "check that every entry's braces are balanced",
            )
        ]
    finally:
        _PARSER_LOG.setLevel(quiet)
    problems = []
    for block in library.failed_blocks:
        failure = getattr(block, "error", "")
        reason = " ".join(str(getattr(failure, "abort_reason", "") or failure).split())
        message = f"could not read this entry: {reason}" if reason else "could not read this entry"
        if type(block).__name__ == "DuplicateBlockKeyBlock":
            message = f"duplicate citation key '{getattr(block, 'key', '?')}'"
        # (both messages are on the troubleshooting page, which tests/test_docs.py keeps in step)
        problems.append(
            Problem(
                source,
                (block.start_line or 0) + 1,
                "",
                message,
                "each @type{key, …} entry needs a unique key and balanced braces",
            )
        )
    entries = []
    for entry in library.entries:
        line = (entry.start_line or 0) + 1
        found = _UNSAFE_TEXT.search(entry.key)
        if found is not None:
            shown, code = _UNSAFE_TEXT.sub("", entry.key), f"{ord(found.group()):04X}"
            problems.append(
                Problem(
                    source,
                    line,
                    "",
                    f"citation key '{shown}' holds an invisible control character U+{code}, so it cannot be cited",
                    "delete it from the key",
                )
            )
            continue
        if not valid_key(entry.key):
            problems.append(
                Problem(
                    source,
                    line,
                    "",
                    f"citation key '{entry.key}' cannot be cited",
                    "use letters, digits and '_', with ':', '.', '-' or '/' only between them",
                )
            )
            continue
        fields, lines = {}, {}
        for item in entry.fields:
            value = str(item.value)
            name = item.key.lower()
            lines[name] = (item.start_line or entry.start_line or 0) + 1
            refused = _invisible(source, lines[name], entry.key, value)
            if refused is not None:
                problems.append(replace(refused, path=f"{entry.key}.{name}"))
                value = _UNSAFE_TEXT.sub("", value)
            fields[name] = value
        entries.append(csl.RawEntry(entry.key, entry.entry_type, fields, line, lines))
    style = style if style is not None else csl.load_style(csl.DEFAULT_STYLE)
    styled = csl.Styled(style, entries)
    problems += [
        Problem(
            source,
            entry.field_lines.get(name, entry.line),
            f"{entry.key}.{name}" if name else entry.key,
            message,
        )
        for entry, name, message in styled.field_problems
    ]
    if styled.problems:
        problems += [
            Problem(source, entry.line, entry.key, f"cannot format this entry: {message}")
            for entry, message in styled.problems
        ]
        failed = {entry.key for entry, _message in styled.problems}
        entries = [e for e in entries if e.key not in failed]
        styled = csl.Styled(style, entries)
    formatted = dict(styled.entries([e.key for e in entries]))
    references = {}
    for raw in entries:
        doi = csl.normalize_doi(raw.fields.get("doi", ""))
        entry_text = formatted.get(raw.key, csl.Formatted("", raw.key))
        references[raw.key] = Reference(
            key=raw.key,
            text=entry_text.text,
            html=entry_text.html,
            doi=doi,
            url=raw.fields.get("url", "").strip(),
            line=raw.line,
        )
    return Bibliography(references, source, styled), sorted(problems, key=lambda p: p.line)
