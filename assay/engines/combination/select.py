"""Choose which achieved units count: the exact core of evaluation.

Floors only gain from more units and caps only lose, so counting everything achieved is best
unless a cap is overrun ("binds"). Units outside every binding cap can then always count (they
cannot break a binding cap, and every other cap already holds for all the achieved units), so
only the units under a binding cap are searched: every subset when few, else a 0/1 program.

Ranking, identical on both paths: most floors met (all of them = achieved), then most counted
credit, then most counted units, then units earlier in the spec preferred.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .linear import Bools, Ints, Linear

ENUMERATE_UP_TO = 14
"""Subsets of at most this many competing units are enumerated; more go to HiGHS."""


@dataclass(frozen=True, slots=True)
class Selection:
    """The counted units, whether they meet every rule, and which caps forced a choice."""

    counted: Bools
    met: bool
    binding: Bools


def subsets(k: int) -> Ints:
    """All 0/1 rows of width ``k``; row ``i`` is ``i`` in binary, first column most
    significant, so a larger row number means earlier units are included."""
    codes = np.arange(1 << k, dtype=np.int64)
    return (codes[:, None] >> np.arange(k - 1, -1, -1, dtype=np.int64)) & 1


def select(lin: Linear, achieved: Bools, *, enumerate_up_to: int = ENUMERATE_UP_TO) -> Selection:
    """The best counted selection of ``achieved`` (see the module docstring for "best")."""
    binding = lin.binding(achieved)
    if not binding.any():
        return Selection(achieved.copy(), bool(lin.floors_met(achieved).all()), binding)
    contested = achieved & (lin.cap_matrix[binding] > 0).any(axis=0)
    free = np.flatnonzero(contested)
    fixed = achieved & ~contested
    pick = (_enumerate if len(free) <= enumerate_up_to else _program)(lin, fixed, free)
    counted = fixed.copy()
    counted[free[pick]] = True
    met = bool(lin.floors_met(counted).all() and (lin.cap_matrix @ counted <= lin.limit).all())
    return Selection(counted, met, binding)


def met(lin: Linear, achieved: Bools, *, enumerate_up_to: int = ENUMERATE_UP_TO) -> bool:
    """``select(lin, achieved).met`` without ranking the selections (for batch decisions)."""
    binding = lin.binding(achieved)
    if not binding.any():
        return bool(lin.floors_met(achieved).all())
    contested = achieved & (lin.cap_matrix[binding] > 0).any(axis=0)
    free = np.flatnonzero(contested)
    fixed = achieved & ~contested
    if len(free) <= enumerate_up_to:
        rows = subsets(len(free))
        caps = lin.cap_matrix @ fixed + rows @ lin.cap_matrix[:, free].T
        floors = lin.floor_matrix @ fixed + rows @ lin.floor_matrix[:, free].T
        return bool(((caps <= lin.limit).all(axis=1) & (floors >= lin.need).all(axis=1)).any())
    from .milp import BinaryProgram  # HiGHS loads only when a solve is needed

    program = BinaryProgram(len(free))
    for row, room in zip(lin.cap_matrix[:, free], lin.limit - lin.cap_matrix @ fixed, strict=True):
        program.add(row, hi=float(room))
    for row, short in zip(
        lin.floor_matrix[:, free], lin.need - lin.floor_matrix @ fixed, strict=True
    ):
        program.add(row, lo=float(short))
    return program.solve() is not None


def _enumerate(lin: Linear, fixed: Bools, free: npt.NDArray[np.intp]) -> Bools:
    rows = subsets(len(free))
    caps = lin.cap_matrix @ fixed + rows @ lin.cap_matrix[:, free].T
    floors = lin.floor_matrix @ fixed + rows @ lin.floor_matrix[:, free].T
    allowed = np.flatnonzero((caps <= lin.limit).all(axis=1))  # never empty: row 0 is allowed
    met = (floors[allowed] >= lin.need).sum(axis=1)
    credit = rows[allowed] @ lin.credit[free]
    units = rows[allowed].sum(axis=1)
    best = allowed[np.lexsort((allowed, units, credit, met))[-1]]
    return np.asarray(rows[best], dtype=bool)


def _program(lin: Linear, fixed: Bools, free: npt.NDArray[np.intp]) -> Bools:
    """Same ranking as ``_enumerate``: variables are the free units then one 0/1 "met" per
    floor still short after the fixed units."""
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
