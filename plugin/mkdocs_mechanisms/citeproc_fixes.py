"""Two corrections to citeproc-py 0.11, applied once on import.

* CSL 1.0 §substitute: a variable used as a substitute is suppressed in the
  rest of the entry (citeproc-py records only ``<text variable>`` children).
* Text case across case-protected parts: citeproc-py cases each part of a
  title on its own and joins the parts with spaces, so Chicago printed
  ``Pre-{B}{\\"o}tzinger`` as "Pre- B Ötzinger". Words here run across parts,
  the protected parts are never re-cased, and the title's own spacing is kept.
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
    substitutes a ``<text macro="title">`` (AMA, APA, MLA).
    """
    layout = context.get_layout()
    variables = [child.get("variable")]
    if child.get("macro"):
        macro = child.get_macro(child.get("macro"))
        variables += [el.get("variable") for el in macro.iter() if el.get("variable")]
    for variable in variables:
        for tag in (child.tag, f"{_CSL_NS}text"):
            layout.repressed.setdefault(tag, []).append(variable)


_model.Substitute.add_to_repressed_list = _repress_substituted_macro

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


def _case_word(
    word: list[tuple[bool, str]], case: str, first: bool, prev: str, upper_text: bool
) -> list[Any]:
    plain = "".join(piece for protected, piece in word if not protected)
    whole = "".join(piece for _p, piece in word)
    pieces: list[Any] = [NoCase(p) if protected else String(p) for protected, p in word]
    lead_open = not word[0][0]

    def capitalise() -> None:
        if lead_open and pieces[0]:
            pieces[0] = String(pieces[0][0].upper() + pieces[0][1:])

    if case == "title":
        if plain.islower() and (whole not in _model.TextCased._stop_words or prev in (":", ".") or first):
            capitalise()
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
    if (
        not isinstance(text, MixedString)
        or case not in _CASED
        or not any(isinstance(p, NoCase) for p in text)
    ):
        return _original_case(self, text, language)
    if language != "en" and case == "title":
        return text
    out: list[Any] = []
    prev, first, upper_text = ":", True, str(text).isupper()
    for word in _words(text):
        if isinstance(word, str):
            out.append(String(word))
            continue
        out += _case_word(word, case, first, prev, upper_text)
        prev, first = word[-1][1][-1], False
    return MixedString(out)


_model.TextCased.case = _case
