"""Does the candidate already hold this qualification (or one that bars entry to it)?

Centres type held qualifications by hand, so "4430-04", " 4430 04 ", "4430-04 " and the
catalogue id "cg-4430-04" are the same qualification. A declared equivalent (same type, content
and level) and a declared predecessor (4543-04, the Level 4 NVQ in Customer Service that
4430-04 replaced) bar entry too: see docs/source-readings.md for why a predecessor refuses
rather than warns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

__all__ = ["HeldMatch", "Match", "held_match", "normalise"]

_SEPARATORS = re.compile(r"[\s\-_./\u2010-\u2015]+")


class Match(StrEnum):
    SAME = "same"
    EQUIVALENT = "equivalent"
    PREDECESSOR = "predecessor"


@dataclass(frozen=True, slots=True)
class HeldMatch:
    """A held qualification as the candidate's record spells it, and how it matched."""

    held: str
    match: Match


def normalise(code: str) -> str:
    """Case and the spelling of separators do not distinguish qualification codes: "4430 04",
    "4430-04", " 4430 - 04 " and "4430–04" are one code (but "443004" and "44300-4" are not)."""
    return _SEPARATORS.sub("-", code.strip()).strip("-").casefold()


def held_match(
    held: Iterable[str],
    *,
    code: str,
    qualification_id: str = "",
    equivalents: Iterable[str] = (),
    predecessors: Iterable[str] = (),
) -> tuple[HeldMatch, ...]:
    """Every held qualification that bars entry, strongest match first (same, equivalent,
    predecessor), each once."""
    same = {normalise(code)} | ({normalise(qualification_id)} if qualification_id else set())
    # A catalogue id is the code with the awarding body's prefix ("cg-4430-04").
    kinds = [
        (Match.SAME, same),
        (Match.EQUIVALENT, {normalise(e) for e in equivalents if e.strip()}),
        (Match.PREDECESSOR, {normalise(p) for p in predecessors if p.strip()}),
    ]
    found: list[HeldMatch] = []
    for kind, keys in kinds:
        found.extend(
            HeldMatch(h.strip(), kind)
            for h in dict.fromkeys(held)
            if h.strip() and normalise(h) in keys
        )
    seen: set[str] = set()
    unique = []
    for item in found:
        if normalise(item.held) not in seen:
            seen.add(normalise(item.held))
            unique.append(item)
    return tuple(unique)
