"""Text checks shared by the engines."""

from __future__ import annotations

import unicodedata

__all__ = ["fold", "visible"]

# Categories that print nothing: format (zero-width space, joiners, BOM), control, separators.
_INVISIBLE = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp"})


def visible(text: str) -> bool:
    """True when ``text`` has a character that shows: blanks, zero-width spaces and other
    format characters alone are no reason."""
    return any(unicodedata.category(ch) not in _INVISIBLE for ch in text)


def fold(text: str) -> str:
    """``text`` for case- and accent-insensitive matching: NFKD, combining marks dropped,
    casefolded, letters without a decomposition spelled plainly (ł→l, ø→o, æ→ae), runs of
    spaces made one ("Café  ZOË" → "cafe zoe", "Łódź" → "lodz"); "ß" folds to "ss"."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().translate(_PLAIN).split())


_PLAIN = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ħ": "h", "þ": "th", "æ": "ae", "œ": "oe"}
)
