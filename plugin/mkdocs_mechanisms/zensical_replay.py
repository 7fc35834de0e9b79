"""Zensical: the extension's share of each page kept on disk, replayed while its inputs are the same.

Zensical converts every page it renders with Python-Markdown and our extension
(:mod:`.markdown`). What the extension does to a page (figures and a term's sections before
the conversion, citations during it, captions, term links and slots after) follows from
the page's Markdown, its mark (a digest of all of the site the page reads,
:mod:`.zensical_marks`), the extension's settings (their fingerprint changes with what
every page reads) and the text each step is handed. A conversion that logged nothing
records each step's result in ``<cache_dir>/zensical/replay/`` (one file per page). The
next conversion of the same page, whose steps are handed the same texts in the same order,
takes the results back without loading the prepared site. A step handed anything else
loads it, brings the page to where the conversion stands (its preparation, then the
citations and finished texts so far, again) and goes on as usual; the stale record goes.

Python-Markdown and the other extensions still convert every page: only our share is
reused, as Zensical reuses a whole page whose file is unchanged. A missing, cleared or
unreadable record costs that work, never a build.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from markdown import Markdown

from .logs import log, show_on_terminal
from .markdown import MechanismsExtension, _Cite, _Finish, _Prepare, _project_path, _Unmark

FOLDER = "replay"
"""Beside the prepared state: ``<cache_dir>/zensical/replay/``."""
FORM = 1

Tree = list[Any]
"""An element as plain data: tag, attributes, text, children, tail."""


def _hash(*parts: str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass"))
        hasher.update(b"\0")
    return hasher.hexdigest()[:32]


def dump(element: ElementTree.Element | None) -> Tree | None:
    """An element returned by the citation pattern, as JSON can hold it."""
    if element is None:
        return None
    return [element.tag, dict(element.attrib), element.text, [dump(c) for c in element], element.tail]


def build(tree: Tree | None) -> ElementTree.Element | None:
    """The element :func:`dump` made ``tree`` from."""
    if tree is None:
        return None
    tag, attrib, text, children, tail = tree
    element = ElementTree.Element(tag, attrib)
    element.text, element.tail = text, tail
    element.extend(e for e in map(build, children) if e is not None)
    return element


class Conversion:
    """One page's conversion: what it recorded, or the record it replays."""

    def __init__(self, file: Path, key: str, record: dict[str, Any] | None) -> None:
        self.file = file
        self.key = key
        self.record = record
        """The last conversion's steps, while this one replays them; ``None``: working."""
        self.lines: list[str] = []
        """What the preparation step was handed (to bring the page up on a miss)."""
        self.events: list[tuple[str, Any]] = []
        """Steps replayed so far, in order: ("cite", match) or ("finish", text)."""
        self.cites: list[Any] = []
        self.finished: list[list[str]] = []
        self.pre: list[str] | None = None
        self.recording = record is None
        self.replayed = {"cite": 0, "finish": 0}

    def save(self) -> None:
        """Keep what this conversion did (atomically: a serve's next round may read it)."""
        if not self.recording or self.pre is None:
            return
        data = {"form": FORM, "key": self.key, "pre": self.pre, "cites": self.cites, "finish": self.finished}
        tmp: str | None = None
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.file.parent, prefix=".tmp-")
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(data, out, separators=(",", ":"))
            Path(tmp).replace(self.file)
        except OSError:  # costs the work next time
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)

    def drop(self) -> None:
        self.file.unlink(missing_ok=True)


class _Warned(logging.Handler):
    """Whether the engine logged a warning or worse while a page was converted."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        self.seen = True


class ReplayExtension(MechanismsExtension):
    """The extension as ``mkdocs-mechanisms zensical`` names it: :class:`.MechanismsExtension`, replayed."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.conversion: Conversion | None = None
        self.mark: list[str] = []
        self._settings: str | None = None

    def extendMarkdown(self, md: Markdown) -> None:
        super().extendMarkdown(md)
        if not self.getConfig("state"):
            return
        md.preprocessors.register(_ReplayUnmark(md, self), "mechanisms_unmark", 40)
        md.preprocessors.register(_ReplayPrepare(md, self), "mechanisms_prepare", 28)
        md.inlinePatterns.register(_ReplayCite(md, self), "mechanisms_cite", 85)
        md.postprocessors.register(_ReplayFinish(md, self), "mechanisms_finish", 5)
        convert = md.convert

        def converted(source: str) -> str:
            """One page: record it when the engine logged nothing, whatever happened."""
            show_on_terminal()
            self.conversion, self.mark = None, []
            warned = _Warned()
            log.logger.addHandler(warned)
            try:
                out = convert(source)
            finally:
                log.logger.removeHandler(warned)
            found, self.conversion = self.conversion, None
            page = self.page
            if found is not None and not warned.seen and not (page is not None and page.notices):
                found.save()
            return out

        md.convert = converted  # type: ignore[method-assign]  # per instance: Zensical makes one per page

    def start(self, md: Markdown, lines: list[str]) -> Conversion | None:
        """The page's conversion, replaying its record when the page and its inputs are the same."""
        try:
            from zensical.extensions.context import ContextPreprocessor
        except ImportError:
            return None
        context = ContextPreprocessor.from_markdown(md)
        if context is None or not self.mark:  # a page without its mark: its inputs are unknown
            return None
        if self._settings is None:
            self._settings = json.dumps(self.getConfigs(), sort_keys=True, default=str)
        path, url = str(context.page.path), str(context.page.url)
        state = Path(_project_path(str(self.getConfig("state"))))
        if not state.is_file():  # lost: the conversion reports it
            return None
        file = state.parent / FOLDER / f"{_hash(path)}.json"
        key = _hash(str(FORM), self._settings, path, url, *self.mark, "\0", *lines)
        record = None
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
            if data.get("form") == FORM and data.get("key") == key:
                record = data
        except (OSError, ValueError, AttributeError):
            record = None
        conversion = Conversion(file, key, record)
        conversion.lines = list(lines)
        return conversion

    def bring_up(self, md: Markdown, conversion: Conversion) -> bool:
        """A step differs from the record: the page as a conversion would have it by now."""
        conversion.drop()
        conversion.record, conversion.recording = None, False  # the next conversion records anew
        site, page = self.begin(md)
        if site is None or page is None:
            return False
        site.prepare_markdown("\n".join(conversion.lines), page)
        for kind, value in conversion.events:
            if kind == "cite":
                site.citation(page, value)
            else:
                _Finish(md, self).run(value)
        return True


class _ReplayUnmark(_Unmark):
    def __init__(self, md: Markdown, extension: ReplayExtension) -> None:
        super().__init__(md)
        self.extension = extension

    def run(self, lines: list[str]) -> list[str]:
        out = super().run(lines)
        self.extension.mark = lines[len(out) :]
        return out


class _ReplayPrepare(_Prepare):
    extension: ReplayExtension

    def run(self, lines: list[str]) -> list[str]:
        extension = self.extension
        conversion = extension.conversion = extension.start(self.md, lines)
        if conversion is not None and conversion.record is not None:
            extension.site, extension.page = None, None
            return list(conversion.record["pre"])
        out = super().run(lines)
        if conversion is not None:
            if extension.site is None or extension.page is None:
                extension.conversion = None  # nothing done: nothing to keep
            else:
                conversion.pre = out
        return out


class _ReplayCite(_Cite):
    extension: ReplayExtension

    def handleMatch(self, m: re.Match[str], data: str) -> tuple[Any, int | None, int | None]:  # type: ignore[override]  # as the base class
        conversion = self.extension.conversion
        if conversion is not None and conversion.record is not None:
            done, cites = conversion.replayed["cite"], conversion.record["cites"]
            if done < len(cites):
                text, start, hashed, tree, begin, end = cites[done]
                if text == m.group(0) and start == m.start() and hashed == _hash(data):
                    conversion.events.append(("cite", m))
                    conversion.replayed["cite"] += 1
                    return build(tree), begin, end
            if not self.extension.bring_up(self.md, conversion):
                return None, None, None
        element, begin, end = super().handleMatch(m, data)
        if conversion is not None and conversion.recording:
            conversion.cites.append([m.group(0), m.start(), _hash(data), dump(element), begin, end])
        return element, begin, end


class _ReplayFinish(_Finish):
    extension: ReplayExtension

    def run(self, text: str) -> str:
        conversion = self.extension.conversion
        if conversion is not None and conversion.record is not None:
            done, finished = conversion.replayed["finish"], conversion.record["finish"]
            if done < len(finished) and finished[done][0] == _hash(text):
                conversion.events.append(("finish", text))
                conversion.replayed["finish"] += 1
                return str(finished[done][1])
            if not self.extension.bring_up(self.md, conversion):
                return text
        out = super().run(text)
        if conversion is not None and conversion.recording:
            conversion.finished.append([_hash(text), out])
        return out


def makeExtension(**kwargs: Any) -> ReplayExtension:
    """Entry point Python-Markdown looks for."""
    return ReplayExtension(**kwargs)
