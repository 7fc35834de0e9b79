"""Characters no published text may hold, and how a problem names one.

Pathway files, glossary pages, the bibliography and the options all refuse the same characters
with the same words, so the rule is written once here (this module imports nothing of the
package, so the citation code can use it too).
"""

from __future__ import annotations

import re

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(
    chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(17)
)
NONCHARACTER = re.compile(f"[{_NONCHARACTERS}\ud800-\udfff]")
"""Unicode noncharacters and lone surrogates: YAML escapes (``"\\uFFFF"``) can write them, but no
XML document (an SVG, an SBGN map) may hold them."""
INVISIBLE = re.compile(
    f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069{_NONCHARACTERS}\ud800-\udfff]"
)
"""Control characters (not valid in XML, so in no SVG), bidirectional overrides, which make
text read differently from how it is stored, and the noncharacters above."""


def character_message(char: str) -> str:
    """What is wrong with one character :data:`INVISIBLE` found."""
    if NONCHARACTER.fullmatch(char):
        return f"Unicode noncharacter U+{ord(char):04X} in text"
    return f"invisible control character U+{ord(char):04X} in text"
