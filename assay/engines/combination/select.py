"""Choose which achieved units count: the exact core of evaluation.

Floors only gain from more units and caps only lose, so counting everything achieved is best
unless a cap is overrun ("binds"). Units outside every binding cap can then always count (they
cannot break a binding cap, and every other cap already holds for all the achieved units), so
only the units under a binding cap are searched: every subset when few (in plain Python up
to ``PLAIN_UP_TO`` of them, so deciding one plan needs no NumPy; with NumPy up to
``ENUMERATE_UP_TO``), else a 0/1 program.

Ranking, identical on both paths: most floors met (all of them = achieved), then most counted
credit, then most counted units, then units earlier in the spec preferred.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .linear import Bools, Ints, Linear, Mask, dot

if TYPE_CHECKING:
    pass

ENUMERATE_UP_TO = 14
"""Subsets of at most this many competing units are enumerated; more go to HiGHS."""
PLAIN_UP_TO = 8
"""Subsets of at most this many competing units are enumerated in plain Python."""


@dataclass(frozen=True, slots=True)
class Selection:
    """The counted units, whether they meet every rule, and which caps forced a choice."""

    counted: Mask
    met: bool
    binding: Mask


def subsets(k: int) -> Ints:
    """All 0/1 rows of width ``k``; row ``i`` is ``i`` in binary, first column most
    significant, so a larger row number means earlier units are included."""
    import numpy as np

    codes = np.arange(1 << k, dtype=np.int64)
    return (codes[:, None] >> np.arange(k - 1, -1, -1, dtype=np.int64)) & 1


def _contested(lin: Linear, achieved: Mask, binding: Mask) -> tuple[list[int], Mask]:
    """The achieved units under a binding cap (spec order), and the other achieved units."""
    under = {
        i for c, b in zip(lin.caps, binding, strict=True) if b for i, v in enumerate(c.coef) if v
    }
    free = [i for i, held in enumerate(achieved) if held and i in under]
    fixed = tuple(held and i not in under for i, held in enumerate(achieved))
    return free, fixed


def _rows(
    lin: Linear, fixed: Mask, free: list[int]
) -> tuple[list[tuple[int, list[int], int]], list[tuple[int, list[int], int]]]:
    """(total over the fixed units, coefficients of the free units, limit or need) per cap and
    per floor."""
    caps = [(dot(c.coef, fixed), [c.coef[u] for u in free], c.limit) for c in lin.caps]
    floors = [(dot(f.coef, fixed), [f.coef[u] for u in free], f.need) for f in lin.floors]
    return caps, floors


def _plain_subsets(
    lin: Linear, fixed: Mask, free: list[int]
) -> list[tuple[int, tuple[int, ...], int]]:
    """Every cap-respecting subset of ``free`` as (row number, its bits, floors met), in the
    row order of ``subsets``."""
    k = len(free)
    caps, floors = _rows(lin, fixed, free)
    out = []
    for row in range(1 << k):
        bits = tuple((row >> (k - 1 - j)) & 1 for j in range(k))
        if any(base + dot(col, bits) > limit for base, col, limit in caps):
            continue
        out.append((row, bits, sum(base + dot(col, bits) >= need for base, col, need in floors)))
    return out


def _counted(fixed: Mask, free: list[int], pick: Sequence[bool]) -> Mask:
    counted = list(fixed)
    for unit, chosen in zip(free, pick, strict=True):
        if chosen:
            counted[unit] = True
    return tuple(counted)


def select(
    lin: Linear, achieved: Sequence[bool], *, enumerate_up_to: int = ENUMERATE_UP_TO
) -> Selection:
    """The best counted selection of ``achieved`` (see the module docstring for "best")."""
    held = tuple(bool(a) for a in achieved)
    binding = lin.binding(held)
    if not any(binding):
        return Selection(held, all(lin.floors_met(held)), binding)
    free, fixed = _contested(lin, held, binding)
    if len(free) > enumerate_up_to:
        pick: Sequence[bool] = _program(lin, fixed, free).tolist()
    elif len(free) <= PLAIN_UP_TO:
        credit = [lin.credits[u] for u in free]
        best = max(
            _plain_subsets(lin, fixed, free),
            key=lambda s: (s[2], dot(credit, s[1]), sum(s[1]), s[0]),
        )  # never empty: the empty subset respects every cap
        pick = [bool(b) for b in best[1]]
    else:
        pick = _enumerate(lin, fixed, free).tolist()
    counted = _counted(fixed, free, pick)
    met = all(lin.floors_met(counted)) and lin.caps_held(counted)
    return Selection(counted, met, binding)


def met(lin: Linear, achieved: Sequence[bool], *, enumerate_up_to: int = ENUMERATE_UP_TO) -> bool:
    """``select(lin, achieved).met`` without ranking the selections (for batch decisions)."""
    held = tuple(bool(a) for a in achieved)
    binding = lin.binding(held)
    if not any(binding):
        return all(lin.floors_met(held))
    free, fixed = _contested(lin, held, binding)
    if len(free) <= min(PLAIN_UP_TO, enumerate_up_to):
        return any(n == len(lin.floors) for _row, _bits, n in _plain_subsets(lin, fixed, free))
    import numpy as np

    fixed_array, columns = np.asarray(fixed), np.asarray(free, dtype=np.intp)
    if len(free) <= enumerate_up_to:
        rows = subsets(len(free))
        caps = lin.cap_matrix @ fixed_array + rows @ lin.cap_matrix[:, columns].T
        floors = lin.floor_matrix @ fixed_array + rows @ lin.floor_matrix[:, columns].T
        return bool(((caps <= lin.limit).all(axis=1) & (floors >= lin.need).all(axis=1)).any())
    from .milp import BinaryProgram  # HiGHS loads only when a solve is needed

    program = BinaryProgram(len(free))
    cap_rows, room = lin.cap_matrix[:, columns], lin.limit - lin.cap_matrix @ fixed_array
    for row, space in zip(cap_rows, room, strict=True):
        program.add(row, hi=float(space))
    floor_rows = lin.floor_matrix[:, columns]
    for row, short in zip(floor_rows, lin.need - lin.floor_matrix @ fixed_array, strict=True):
        program.add(row, lo=float(short))
    return program.solve() is not None


def _enumerate(lin: Linear, fixed_mask: Mask, free_units: list[int]) -> Bools:
    import numpy as np

    fixed, free = np.asarray(fixed_mask), np.asarray(free_units, dtype=np.intp)
    rows = subsets(len(free))
    caps = lin.cap_matrix @ fixed + rows @ lin.cap_matrix[:, free].T
    floors = lin.floor_matrix @ fixed + rows @ lin.floor_matrix[:, free].T
    allowed = np.flatnonzero((caps <= lin.limit).all(axis=1))  # never empty: row 0 is allowed
    met = (floors[allowed] >= lin.need).sum(axis=1)
    credit = rows[allowed] @ lin.credit[free]
    units = rows[allowed].sum(axis=1)
    best = allowed[np.lexsort((allowed, units, credit, met))[-1]]
    return np.asarray(rows[best], dtype=bool)


def _program(lin: Linear, fixed_mask: Mask, free_units: list[int]) -> Bools:
    """Same ranking as ``_enumerate``: variables are the free units then one 0/1 "met" per
    floor still short after the fixed units."""
    import numpy as np

    fixed, free = np.asarray(fixed_mask), np.asarray(free_units, dtype=np.intp)
    k = len(free)
    short = lin.need - lin.floor_matrix @ fixed
    open_floors = np.flatnonzero(short > 0)
    from .milp import BinaryProgram  # HiGHS loads only when a solve is needed

    program = BinaryProgram(k + len(open_floors))
    room = lin.limit - lin.cap_matrix @ fixed
    for row, limit in zip(lin.cap_matrix[:, free], room, strict=True):
        if row.any():
            program.add(np.concatenate([row, np.zeros(len(open_floors))]), hi=float(limit))
    for j, f in enumerate(open_floors):
        z = np.zeros(len(open_floors))
        z[j] = -short[f]
        program.add(np.concatenate([lin.floor_matrix[f, free], z]), lo=0.0)
    pad = np.zeros(len(open_floors))
    objectives = [
        (np.concatenate([np.zeros(k), np.ones(len(open_floors))]), True),
        (np.concatenate([lin.credit[free], pad]), True),
        (np.concatenate([np.ones(k), pad]), True),
    ]
    x = program.solve(objectives, prefer=range(k))
    assert x is not None, "the empty selection always respects the caps"
    return x[:k]
