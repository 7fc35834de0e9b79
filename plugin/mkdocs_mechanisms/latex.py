"""LaTeX in BibTeX field values, decoded to Unicode by pylatexenc.

Reference managers write LaTeX as a matter of course (``{\\textmu}``,
``\\"{u}``, ``{$\\mu$}``, ``\\emph{…}``, ``---``), and a brace group that does
not start with a command protects its letters from a style's case changes
(``Pre-{B}{\\"o}tzinger``). The decoded text marks those groups the way
CSL-JSON does, ``<span class="nocase">…</span>``, which citeproc-py's
CSL-JSON reader turns into text no case change touches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from pylatexenc import latexwalker, macrospec
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

NOCASE_START = '<span class="nocase">'
NOCASE_END = "</span>"

_SUPERSCRIPT = dict(zip("0123456789+-=()in", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁱⁿ", strict=True))
_SUBSCRIPT = dict(zip("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎", strict=True))


def scripted(text: str, superscript: bool) -> str:
    """``2+`` as ``²⁺`` when every character has a Unicode super/subscript form, else unchanged."""
    table = _SUPERSCRIPT if superscript else _SUBSCRIPT
    stripped = text.strip()
    if stripped and all(c in table for c in stripped):
        return "".join(table[c] for c in stripped)
    return text


def _arg_text(node: Any, l2tobj: Any) -> str:
    args = node.nodeargd.argnlist if node.nodeargd is not None else []
    return "".join(l2tobj.nodelist_to_text([a]) for a in args if a is not None)


def _superscript(node: Any, l2tobj: Any) -> str:
    return scripted(_arg_text(node, l2tobj), True)


def _subscript(node: Any, l2tobj: Any) -> str:
    return scripted(_arg_text(node, l2tobj), False)


def _quoted(node: Any, l2tobj: Any) -> str:
    return f"\u201c{_arg_text(node, l2tobj)}\u201d"


def _kept(node: Any, l2tobj: Any) -> str:
    return _arg_text(node, l2tobj)


def _symbol(node: Any, l2tobj: Any) -> str:
    r"""``\symbol{"FFFF}``, ``\symbol{'777}``, ``\symbol{65}``: the character with that code."""
    number = _arg_text(node, l2tobj).strip()
    base = {'"': 16, "'": 8}.get(number[:1], 10)
    try:
        code = int(number[1:] if base != 10 else number, base)
        return chr(code)
    except (ValueError, OverflowError):
        return number


_ONE_ARG = {
    "symbol": _symbol,
    "textsuperscript": _superscript,
    "textsubscript": _subscript,
    "enquote": _quoted,
    "mkbibquote": _quoted,
    "mkbibemph": _kept,
    "mkbibitalic": _kept,
    "mkbibbold": _kept,
    "NoCaseChange": _kept,
    "textnormal": _kept,
    "textup": _kept,
    "textmd": _kept,
    "textsl": _kept,
    "textsf": _kept,
    "texttt": _kept,
    "mbox": _kept,
    "hbox": _kept,
    "url": _kept,
    "href": None,  # \href{url}{text}: the text
}
_SYMBOLS = {
    "textless": "<",
    "textgreater": ">",
    "textbar": "|",
    "textquotedbl": '"',
    "textquotesingle": "'",
    "textasciigrave": "`",
    "textunderscore": "_",
    "textbraceleft": "{",
    "textbraceright": "}",
    "textdollar": "$",
    "textperthousand": "\u2030",
    "textonehalf": "\u00bd",
    "textmu": "\u00b5",
    "textohm": "\u2126",
    "textcelsius": "\u2103",
    "textminus": "\u2212",
    "textdiv": "\u00f7",
    "textrightarrow": "\u2192",
    "textleftarrow": "\u2190",
    "textasciicircum": "^",
    "newblock": " ",
    "relax": "",
    "protect": "",
    "ensuremath": "",
    "noopsort": "",
}


def _walker_context() -> Any:
    context = latexwalker.get_default_latex_context_db()
    context.add_context_category(
        "mechanisms-bibtex",
        prepend=True,
        macros=[
            *(macrospec.MacroSpec(name, "{") for name in _ONE_ARG if name != "href"),
            macrospec.MacroSpec("href", "{{"),
            macrospec.MacroSpec("noopsort", "{"),
        ],
    )
    return context


def _text_context() -> Any:
    context = get_default_latex_context_db()
    specs = [MacroTextSpec(name, simplify_repl=fn) for name, fn in _ONE_ARG.items() if fn is not None]
    specs.append(MacroTextSpec("href", simplify_repl="%(2)s"))
    specs += [MacroTextSpec(name, simplify_repl=repl) for name, repl in _SYMBOLS.items()]
    specs.append(MacroTextSpec("noopsort", simplify_repl=""))
    context.add_context_category("mechanisms-bibtex", prepend=True, macros=specs)
    return context


_WALKER_CONTEXT = _walker_context()
_TEXT_CONTEXT = _text_context()
_DECODER = LatexNodes2Text(latex_context=_TEXT_CONTEXT, math_mode="text", strict_latex_spaces=True)
_BARE_SPECIAL = re.compile(r"(?<!\\)([%&#])")
"""A bare ``%``, ``&`` or ``#`` in a field is the character itself (to LaTeX a comment or a
table cell, which would silently eat or space out the rest of the title)."""
_SPACES = re.compile(r"[ \t\r\n]+")
_CHAR_CODE = re.compile(r"\\char\s*([\"'][0-9A-Fa-f]+|\d+)|\^\^\^\^([0-9a-f]{4})|\^\^([0-9a-f]{2})")
r"""TeX's other ways of writing a character by its code: ``\char"FFFF``, ``^^^^ffff``, ``^^e9``."""


def _char_code(match: re.Match[str]) -> str:
    if match.group(1):
        return "\\symbol{" + match.group(1) + "}"
    return '\\symbol{"' + (match.group(2) or match.group(3)) + "}"


@dataclass(frozen=True)
class Decoded:
    """A field value as CSL-JSON text, and the commands that could not be decoded."""

    text: str
    unknown: tuple[str, ...] = ()

    @property
    def plain(self) -> str:
        """The text without its case-protection marks."""
        return self.text.replace(NOCASE_START, "").replace(NOCASE_END, "")


def _unknown(nodes: list[Any], found: list[str]) -> None:
    for node in nodes:
        if node is None:
            continue
        if node.isNodeType(latexwalker.LatexMacroNode):
            name = node.macroname
            if name and (name[0].isalpha() or name == "@") and _TEXT_CONTEXT.get_macro_spec(name) is None:
                found.append("\\" + name)
            if node.nodeargd is not None:
                _unknown([a for a in node.nodeargd.argnlist if a is not None], found)
        elif node.isNodeType(latexwalker.LatexEnvironmentNode):
            found.append(f"\\begin{{{node.environmentname}}}")
        elif hasattr(node, "nodelist") and node.nodelist:
            _unknown(list(node.nodelist), found)


def _math(node: Any) -> str:
    """Inline math as text, with ``^{…}`` and ``_{…}`` as Unicode scripts where they exist.

    A script with no Unicode form (``$_{1A}$``) is written inline, as ``\\textsubscript`` is: a
    ``_`` or ``^`` left in a published title is LaTeX, not text.
    """
    out: list[str] = []
    nodes = list(node.nodelist)
    i = 0
    while i < len(nodes):
        child = nodes[i]
        if child.isNodeType(latexwalker.LatexCharsNode) and child.chars[-1:] in "^_" and i + 1 < len(nodes):
            out.append(str(_DECODER.nodelist_to_text([type(child)(chars=child.chars[:-1], pos=0, len=0)])))
            inner = str(_DECODER.nodelist_to_text([nodes[i + 1]]))
            out.append(scripted(inner, child.chars[-1] == "^"))  # 5-HT$_{1A}$: 5-HT1A, as \textsubscript
            i += 2
            continue
        if child.isNodeType(latexwalker.LatexCharsNode) and child.chars[:1] in "^_" and len(child.chars) > 1:
            out.append(scripted(child.chars[1], child.chars[0] == "^") + child.chars[2:])
            i += 1
            continue
        out.append(str(_DECODER.nodelist_to_text([child])))
        i += 1
    return "".join(out)


def _node_text(node: Any) -> str:
    if node.isNodeType(latexwalker.LatexMathNode):
        return _math(node)
    if node.isNodeType(latexwalker.LatexGroupNode):
        return "".join(_node_text(child) for child in node.nodelist)
    return str(_DECODER.nodelist_to_text([node]))


def _protects_case(node: Any) -> bool:
    """A top-level ``{…}`` that does not start with a command (BibTeX's "special character")."""
    if not node.isNodeType(latexwalker.LatexGroupNode) or node.delimiters != ("{", "}"):
        return False
    first = next(
        (c for c in node.nodelist if not (c.isNodeType(latexwalker.LatexCharsNode) and not c.chars.strip())),
        None,
    )
    return first is not None and not first.isNodeType(latexwalker.LatexMacroNode)


_PLAIN = re.compile(r"[\\{}$~^%&#`]|--|''")
"""A value without any of these is its own text: most fields (years, pages, plain names)."""


@lru_cache(maxsize=4096)
def decode(value: str) -> Decoded:
    """``value`` (LaTeX, as BibTeX holds it) as Unicode text with its case-protected parts marked.

    Raises ``ValueError`` when the LaTeX cannot be parsed at all (an unclosed ``$``).
    """
    if not _PLAIN.search(value):
        return Decoded(_SPACES.sub(" ", value).strip())
    source = _CHAR_CODE.sub(_char_code, _BARE_SPECIAL.sub(r"\\\1", value))
    try:
        nodes, _pos, _len = latexwalker.LatexWalker(
            source, latex_context=_WALKER_CONTEXT, tolerant_parsing=False
        ).get_latex_nodes()
    except latexwalker.LatexWalkerError as error:
        raise ValueError(" ".join(str(error).split()).split(" @ ")[0]) from None
    unknown: list[str] = []
    _unknown(nodes, unknown)
    parts: list[tuple[bool, str]] = []
    for node in nodes:
        protected = _protects_case(node)
        text = _node_text(node)
        if parts and parts[-1][0] == protected:
            parts[-1] = (protected, parts[-1][1] + text)
        else:
            parts.append((protected, text))
    out = "".join(
        f"{NOCASE_START}{_SPACES.sub(' ', text)}{NOCASE_END}" if protected and text.strip() else text
        for protected, text in parts
    )
    return Decoded(_SPACES.sub(" ", out).strip(), tuple(dict.fromkeys(unknown)))


_VERBATIM_ESCAPE = re.compile(r"\\([%&#_~$])")


def verbatim(value: str) -> str:
    r"""A URL, DOI or identifier field: ``\url{…}`` unwrapped, braces and ``\_``-style escapes removed."""
    value = value.strip()
    match = re.fullmatch(r"\\(?:url|path|nolinkurl)\s*\{(.*)\}", value, re.S)
    if match:
        value = match.group(1)
    value = value.replace("{", "").replace("}", "")
    return _VERBATIM_ESCAPE.sub(r"\1", value).strip()
