"""Certificate numbers with a check character: ISO/IEC 7064 MOD 37,36.

A number reads ``AS-2013-000001-K``: the prefix ``AS`` (Assay), the year of issue, a serial
within the year (six digits) and one check character. The check character is computed over
the characters before it with the hyphens left out (``AS2013000001``), by the ISO/IEC 7064
hybrid system MOD 37,36 for alphanumeric strings: every character is worth 0–9 for the digits
and 10–35 for A–Z, and the check character is itself one of 0–9, A–Z (unlike MOD 37-2, whose
37th value ``*`` would have to be escaped in a link). Like every ISO 7064 hybrid system it
detects **every single-character substitution** and most transpositions of adjacent
characters. Reading a number, case and hyphens do not matter (``as2013000001k`` is the same).
"""

from __future__ import annotations

import string

__all__ = ["certificate_number", "check_character", "normalise", "number_problem", "valid_number"]

ALPHABET = string.digits + string.ascii_uppercase  # value = index, 0..35
M = 36
PREFIX = "AS"


def _values(text: str) -> list[int]:
    out: list[int] = []
    for ch in text:
        value = ALPHABET.find(ch)
        if value < 0:
            raise ValueError(f"{ch!r} is not a digit or a letter A–Z")
        out.append(value)
    return out


def _run(values: list[int]) -> int:
    """The hybrid system's running product after ``values`` (starting from M)."""
    product = M
    for value in values:
        s = (product + value) % M or M
        product = (2 * s) % (M + 1)
    return product


def check_character(body: str) -> str:
    """The MOD 37,36 check character of ``body`` (digits and capital letters)."""
    product = _run(_values(body))
    return ALPHABET[(M + 1 - product) % M]


def normalise(number: str) -> str:
    """Capitals, without hyphens or spaces around."""
    return number.strip().upper().replace("-", "")


def valid_number(number: str) -> bool:
    """Whether the number's last character is the check character of the rest."""
    return number_problem(number) is None


def number_problem(number: str) -> str | None:
    """Why ``number`` is not a well-formed certificate number (None: it is)."""
    text = normalise(number)
    if len(text) != len(PREFIX) + 4 + 6 + 1 or not text.startswith(PREFIX):
        return f"{number!r} is not a certificate number (they read like AS-2013-000001-K)"
    if any(ch not in ALPHABET for ch in text):
        return f"{number!r} holds characters other than digits, letters and hyphens"
    if check_character(text[:-1]) != text[-1]:
        return f"{number!r}: the check character does not match (a character mistyped?)"
    return None


def certificate_number(year: int, serial: int) -> str:
    """The printed number of the ``serial``-th certificate of ``year``."""
    if not 1 <= serial <= 999_999:
        raise ValueError(f"serial {serial} is outside 1..999999")
    if not 1000 <= year <= 9999:
        raise ValueError(f"year {year} is not four digits")
    body = f"{PREFIX}{year:04d}{serial:06d}"
    return f"{PREFIX}-{year:04d}-{serial:06d}-{check_character(body)}"
