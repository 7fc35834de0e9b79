"""Corrections to citeproc-py 0.11, applied once on import.

* CSL 1.0 §substitute: a variable used as a substitute is suppressed in the
  rest of the entry (citeproc-py records only ``<text variable>`` children and
  never suppresses a name variable, so an edited book printed its editor twice).
* Text case across case-protected parts: citeproc-py cases each part of a
  title on its own and joins the parts with spaces, so Chicago printed
  ``Pre-{B}{\\"o}tzinger`` as "Pre- B Ötzinger". Words here run across parts,
  the protected parts are never re-cased, and the title's own spacing is kept.
  Title case capitalises the first letter after an opening bracket and each
  part of a hyphenated word ("(Depression)", "Rapid-Acting"), and never a
  Greek letter or the micro sign, which are symbols in English titles
  ("µg/kg", "κ-opioid").
* A localised date ("2019 Jan", "2024 Feb 10" in Vancouver) joins its parts
  with the locale's delimiter, not the calling element's (which has none).
* ``is-numeric="locator"`` tests the cited item's locator: citeproc-py looked for a
  ``locator`` in the reference, never found one, so APA and Chicago printed
  ``chap. 2`` as a bare "2" where they print "Chapter 2" and "chap. 2".
"""

from __future__ import annotations

import re
from typing import Any

from citeproc import model as _model
from citeproc.string import MixedString, NoCase, String

_CSL_NS = "{http://purl.org/net/xbiblio/csl}"


def _repress_substituted_macro(self: Any, child: Any, context: Any) -> None:
    """Record every variable a substituted macro renders, not only ``<text variable>`` children.

    Without it an entry without authors printed its title twice when the style
    substitutes a ``<text macro="title">`` (AMA, APA, MLA). A ``cs:names`` may
    name several variables ("editor translator"): each is recorded on its own.
    A ``cs:choose`` (CSL 1.0.2, Chicago) records the branch it took.
    """
    layout = context.get_layout()
    taken = _Branch.taken if isinstance(child, _model.Choose) else child
    for variable in _variables(taken, set()) if taken is not None else []:
        for tag in (child.tag, f"{_CSL_NS}text", _NAMES):
            layout.repressed.setdefault(tag, []).append(variable)


def _variables(element: Any, macros: set[str]) -> list[str]:
    """Every variable the element and the macros it calls (once each) can render."""
    variables: list[str] = []
    for el in element.iter():
        variables += (el.get("variable") or "").split()
        name = el.get("macro")
        if name and name not in macros:
            macros.add(name)
            variables += _variables(el.get_macro(name), macros)
    return variables


_NAMES = f"{_CSL_NS}names"
_original_names_process = _model.Names.process


def _names_process(
    self: Any, item: Any, names_context: Any = None, context: Any = None, **kwargs: Any
) -> Any:
    """Leave out the name variables a substitute already printed (CSL 1.0 §substitute).

    citeproc-py never consults the suppressed list for names, so an edited book
    without authors printed "Nehlig A, ed. … (Nehlig A, ed.)" in AMA and APA.
    """
    layout = (context if context is not None else self).get_layout()
    repressed = layout.repressed.get(_NAMES, [])
    variable = self.get("variable")
    roles = variable.split()
    kept = [role for role in roles if role not in repressed]
    if kept == roles:
        return _original_names_process(self, item, names_context, context, **kwargs)
    if not kept:
        raise _model.VariableError
    self.set("variable", " ".join(kept))
    try:
        return _original_names_process(self, item, names_context, context, **kwargs)
    finally:
        self.set("variable", variable)


_model.Substitute.add_to_repressed_list = _repress_substituted_macro
_model.Names.process = _names_process

_original_case = _model.TextCased.case
_SPACE = re.compile(r"(\s+)")
_CASED = ("title", "sentence", "capitalize-all", "capitalize-first")


def _words(text: MixedString) -> list[list[tuple[bool, str]] | str]:
    """The text as words (lists of (protected, piece)) and the whitespace between them."""
    out: list[list[tuple[bool, str]] | str] = []
    current: list[tuple[bool, str]] = []
    for part in text:
        protected = isinstance(part, NoCase)
        for piece in _SPACE.split(str(part)):
            if not piece:
                continue
            if piece.isspace():
                if current:
                    out.append(current)
                    current = []
                out.append(piece)
            else:
                current.append((protected, piece))
    if current:
        out.append(current)
    return out


def _capitalised(piece: str) -> str:
    """The first Latin letter of each hyphen-separated part in capitals (a bracket may come first)."""

    def one(part: str) -> str:
        for i, char in enumerate(part):
            if char.isalpha():
                if not part[i:].islower() or not _LATIN.match(char):
                    return part
                return part[:i] + char.upper() + part[i + 1 :]
            if char.isdigit():
                return part
        return part

    return "-".join(one(part) for part in piece.split("-"))


_LATIN = re.compile(r"[a-zß-öø-ÿ\u0100-\u024f]")


def _case_word(
    word: list[tuple[bool, str]], case: str, first: bool, prev: str, upper_text: bool
) -> list[Any]:
    plain = "".join(piece for protected, piece in word if not protected)
    whole = "".join(piece for _p, piece in word)
    pieces: list[Any] = [NoCase(p) if protected else String(p) for protected, p in word]
    lead_open = not word[0][0]

    def capitalise(hyphens: bool = False) -> None:
        if lead_open and pieces[0]:
            head = str(pieces[0])
            if hyphens:
                head = _capitalised(head)
            else:  # only the first part of a hyphenated word
                first_part, dash, rest = head.partition("-")
                head = _capitalised(first_part) + dash + rest
            pieces[0] = String(head)

    if case == "title":
        stop = whole.lower() in _model.TextCased._stop_words and prev not in (":", ".") and not first
        if not stop and (plain.islower() or "-" in plain):
            capitalise(hyphens=True)
    elif case == "capitalize-all" or (case == "capitalize-first" and first):
        capitalise()
    elif case == "sentence":
        if not upper_text and not whole.isupper():
            pieces = [p if isinstance(p, NoCase) else String(p.lower()) for p in pieces]
        if first:
            capitalise()
    return pieces


def _case(self: Any, text: Any, language: Any = None) -> Any:
    case = self.get("text-case")
    if case not in _CASED or not isinstance(text, str | MixedString):
        return _original_case(self, text, language)
    if language not in ("en", None) and case == "title":  # None: a label or term, in the style's language
        return text
    if not isinstance(text, MixedString):
        text = MixedString([text if isinstance(text, String) else String(text)])
    out: list[Any] = []
    prev, first, upper_text = ":", True, str(text).isupper()
    for word in _words(text):
        if isinstance(word, str):
            out.append(String(word))
            continue
        out += _case_word(word, case, first, prev, upper_text)
        prev, first = word[-1][1][-1], False
    return MixedString(out)


def _render_single_date(self: Any, date: Any, show_parts: Any = None, context: Any = None) -> Any:
    parts = self.parts(date, show_parts, context) if context is not self else self.parts(date, show_parts)
    return self.join(parts) if parts else None


_model.Date.render_single_date = _render_single_date
_model.TextCased.case = _case


class _Branch:
    """The branch a ``cs:choose`` took and whether it calls a variable (read by the group or substitute)."""

    calls_variable = False
    taken: Any = None


def _choose_render(self: Any, item: Any, context: Any = None, delimiter: str = "", **kwargs: Any) -> Any:
    for child in self.getchildren():
        try:
            text = child.render(item, context=context, delimiter=delimiter, **kwargs)
        except _model.ConditionFailed:
            continue
        _Branch.calls_variable = child.calls_variable()
        _Branch.taken = child
        return text
    _Branch.calls_variable = False
    _Branch.taken = None
    return None


def _group_process(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """CSL 1.0 §group: suppressed when it calls variables and all of them are empty.

    citeproc-py counted every branch of a ``cs:choose`` as calling variables, so a group
    whose taken branch prints only a fixed text printed it alone: APA's "(Publication)"
    for a thesis without a number.
    """
    output = []
    variable_called = variable_rendered = False
    delimiter = self.get("delimiter", "")
    for child in self.iterchildren():
        choose = isinstance(child, _model.Choose)
        try:
            if choose:
                text = child.render(item, context=context, delimiter=delimiter, **kwargs)
                calls = _Branch.calls_variable
            else:
                calls = child.calls_variable()
                text = child.render(item, context=context, **kwargs)
        except _model.VariableError:
            variable_called = variable_called or (calls if not choose else True)
            continue
        variable_called = variable_called or calls
        if text is not None:
            output.append(text)
            variable_rendered = variable_rendered or calls
    if output and (not variable_called or variable_rendered):
        return self.join(output)
    raise _model.VariableError


_model.Choose.render = _choose_render
_model.Group.process = _group_process


_NUMBER = r"[A-Z]*\d+[A-Z]*"
_NUMERIC = re.compile(rf"^{_NUMBER}(?:\s*[-\u2013,&]\s*{_NUMBER})*$", re.I)
"""CSL 1.0 §is-numeric: numbers with affixes ("D2", "2b"), joined by ``,``, ``-`` or ``&`` ("2-4", "2, 3")."""


def _is_numeric(self: Any, item: Any) -> list[bool]:
    """citeproc-py's test for a reference's variables, and the CSL one for the cited item's locator."""
    results = []
    for name in self.get("is-numeric").split():
        if name == "locator":
            value = str(item.locator.identifier) if item.has_locator else ""
            results.append(bool(_NUMERIC.match(value.strip())))
        else:
            variable = name.replace("-", "_")
            value = str(item.reference[variable]) if variable in item.reference else ""
            results.append(bool(value and self.re_numeric.match(value)))
    return results


_model.If._is_numeric = _is_numeric
