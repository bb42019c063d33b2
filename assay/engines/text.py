"""Text checks shared by the engines."""

from __future__ import annotations

import unicodedata

__all__ = ["visible"]

# Categories that print nothing: format (zero-width space, joiners, BOM), control, separators.
_INVISIBLE = frozenset({"Cf", "Cc", "Zs", "Zl", "Zp"})


def visible(text: str) -> bool:
    """True when ``text`` has a character that shows: blanks, zero-width spaces and other
    format characters alone are no reason."""
    return any(unicodedata.category(ch) not in _INVISIBLE for ch in text)
