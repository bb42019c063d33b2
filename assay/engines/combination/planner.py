"""The cheapest set of units to add so that a qualification is achieved, proven optimal.

A 0/1 program: ``add_u`` for each unit neither held nor excluded, ``count_u <= held_u + add_u``
for what counts, every rule as a linear constraint on ``count``, the objective on ``add``.
Ties: fewest units, then units earlier in the spec. When no plan exists the reason names the
rules at fault, found by testing them alone and then with the caps.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from .evaluate import Decision, evaluate
from .explain import join, phrase
from .linear import Bools, Linear, linearise
from .model import (
    AtLeast,
    AtMost,
    Barred,
    EachGroup,
    Equivalent,
    Exactly,
    Mandatory,
    Measure,
    Spec,
    UnknownUnit,
    Where,
)

if TYPE_CHECKING:
    import numpy as np

    from .milp import BinaryProgram


class Objective(StrEnum):
    """What "cheapest" means."""

    FEWEST_GLH = "fewest_glh"  # fewest guided learning hours; fewest units when a glh is unknown
    FEWEST_UNITS = "fewest_units"
    MOST_REUSE = "most_reuse"  # least un-evidenced work: minimise sum of (1 - reuse) over added


@dataclass(frozen=True, slots=True)
class Plan:
    """``objective`` is the one actually used (FEWEST_GLH falls back to FEWEST_UNITS)."""

    feasible: bool
    add: tuple[str, ...]
    added_glh: int | None
    objective: str
    decision: Decision | None
    reason: str | None


def complete(
    spec: Spec,
    have: Iterable[str],
    exclude: Iterable[str] = (),
    objective: Objective = Objective.FEWEST_GLH,
    reuse: Mapping[str, float] | None = None,
) -> Plan:
    """Units to add to ``have`` (never from ``exclude``) to achieve ``spec`` at least cost.

    ``reuse`` scores (0..1, e.g. the share of a unit's criteria already evidenced; missing
    units score 0) are used by MOST_REUSE. Maximising their plain sum would add every partly
    evidenced unit, so the program minimises the work left, ``sum(1 - reuse)``, instead.
    """
    import numpy as np  # loaded when a plan is completed, not with the module

    lin = linearise(spec)
    held = np.asarray(lin.mask(have), dtype=bool)
    excluded = np.asarray(lin.mask(exclude), dtype=bool) & ~held
    scores = _scores(lin, reuse or {})
    addable = np.flatnonzero(~held & ~excluded)
    objective = Objective(objective)
    glh = [lin.spec.units[i].glh for i in addable]
    if objective is Objective.FEWEST_GLH and any(g is None for g in glh):
        objective = Objective.FEWEST_UNITS
    now = evaluate(spec, lin.names(held))
    if now.met:
        return Plan(True, (), 0, objective.value, now, None)
    picked = _optimise(lin, held, addable, objective, glh, scores[addable])
    if picked is None:
        return Plan(False, (), None, objective.value, None, _why(lin, held, excluded))
    add = np.zeros(lin.size, dtype=bool)
    add[picked] = True
    hours = [lin.spec.units[i].glh for i in picked]
    added_glh = None if any(h is None for h in hours) else sum(h or 0 for h in hours)
    decision = evaluate(spec, lin.names(held | add))
    return Plan(True, lin.names(add), added_glh, objective.value, decision, None)


def _scores(lin: Linear, reuse: Mapping[str, float]) -> np.ndarray:
    import numpy as np  # loaded when a plan is completed, not with the module

    out = np.zeros(lin.size)
    for number, score in reuse.items():
        if number not in lin.index:
            raise UnknownUnit(number)
        if not 0.0 <= score <= 1.0:
            raise ValueError(f"reuse score for {number} must be between 0 and 1, got {score}")
        out[lin.index[number]] = score
    return out


def _program(lin: Linear, held: Bools, addable: np.ndarray, floors: Iterable[int]) -> BinaryProgram:
    """Variables: add (one per addable unit) then count (one per unit held or addable)."""
    import numpy as np  # loaded when a plan is completed, not with the module

    usable = np.flatnonzero(held | np.isin(np.arange(lin.size), addable))
    p, v = len(addable), len(usable)
    from .milp import BinaryProgram  # HiGHS loads only when a solve is needed

    program = BinaryProgram(p + v)
    where = {int(u): j for j, u in enumerate(usable)}
    for j, u in enumerate(addable):
        row = np.zeros(p + v)
        row[j], row[p + where[int(u)]] = -1.0, 1.0
        program.add(row, hi=0.0)
    for f in floors:
        program.add(
            np.concatenate([np.zeros(p), lin.floor_matrix[f, usable]]), lo=float(lin.need[f])
        )
    for c in range(len(lin.caps)):
        program.add(
            np.concatenate([np.zeros(p), lin.cap_matrix[c, usable]]), hi=float(lin.limit[c])
        )
    return program


def _optimise(
    lin: Linear,
    held: Bools,
    addable: np.ndarray,
    objective: Objective,
    glh: list[int | None],
    scores: np.ndarray,
) -> list[int] | None:
    import numpy as np  # loaded when a plan is completed, not with the module

    program = _program(lin, held, addable, range(len(lin.floors)))
    pad = np.zeros(program.n - len(addable))
    ones = np.concatenate([np.ones(len(addable)), pad])
    first = {
        Objective.FEWEST_GLH: np.array([g or 0 for g in glh], dtype=float),
        Objective.FEWEST_UNITS: np.ones(len(addable)),
        Objective.MOST_REUSE: 1.0 - scores,
    }[objective]
    objectives = [(np.concatenate([first, pad]), False)]
    if objective is not Objective.FEWEST_UNITS:
        objectives.append((ones, False))
    x = program.solve(
        objectives, prefer=range(len(addable)), integral=objective is not Objective.MOST_REUSE
    )
    return None if x is None else [int(u) for u, on in zip(addable, x, strict=False) if on]


def _why(lin: Linear, held: Bools, excluded: Bools) -> str:
    """Name the rules at fault: floors that the available units cannot meet even alone, else
    floors the caps keep short, else a minimal set of floors that conflict under the caps."""
    import numpy as np  # loaded when a plan is completed, not with the module

    available = ~excluded
    after = " after exclusions" if excluded.any() else ""
    most = lin.floor_matrix @ available
    alone = [f for f in range(len(lin.floors)) if most[f] < lin.need[f]]
    if alone:
        return "; ".join(_short(lin, f, int(most[f]), after) for f in alone)
    overrun = [c for c in range(len(lin.caps)) if lin.cap_matrix[c] @ available > lin.limit[c]]
    capped = [
        (f, best)
        for f in range(len(lin.floors))
        if (best := _most(lin, available, f)) < lin.need[f]
    ]
    if capped:
        caps = "; ".join(_cap_words(lin, c) for c in overrun)
        return "; ".join(_short(lin, f, best, after, caps) for f, best in capped)
    addable = np.flatnonzero(available & ~held)
    keep = list(range(len(lin.floors)))
    for f in list(keep):
        trial = [g for g in keep if g != f]
        if _program(lin, held, addable, trial).solve() is None:
            keep = trial
    labels = [lin.spec.rules[lin.floors[f].rule] for f in keep]
    rules = join(list(dict.fromkeys(r.text or r.id for r in labels)))
    return f"these rules cannot all be met together{after}: {rules}"


def _most(lin: Linear, available: Bools, f: int) -> int:
    """The largest total floor ``f`` can reach from the available units within every cap."""
    import numpy as np  # loaded when a plan is completed, not with the module

    from .milp import BinaryProgram  # HiGHS loads only when a solve is needed

    program = BinaryProgram(lin.size)
    for j in np.flatnonzero(~available):
        program.forbid(int(j))
    for row, limit in zip(lin.cap_matrix, lin.limit, strict=True):
        program.add(row, hi=float(limit))
    x = program.solve([(lin.floor_matrix[f], True)])
    assert x is not None, "counting nothing respects every cap"
    return int(lin.floor_matrix[f] @ x)


def _cap_words(lin: Linear, c: int) -> str:
    rule = lin.spec.rules[lin.caps[c].rule]
    if isinstance(rule, AtMost | Exactly):
        how = "at most" if isinstance(rule, AtMost) else "exactly"
        return f"{how} {phrase(rule.value, rule.measure, rule.where)} can count"
    assert isinstance(rule, Barred | Equivalent)
    return f"only one of units {join(list(rule.units))} can count"


def _short(lin: Linear, f: int, most: int, after: str, caps: str | None = None) -> str:
    """Why floor ``f`` falls short: ``most`` is the best reachable (``caps`` says what limits
    it when the caps are to blame)."""
    floor = lin.floors[f]
    rule = lin.spec.rules[floor.rule]
    need = int(lin.need[f])
    why = f"{after} ({caps})" if caps else after
    if isinstance(rule, Mandatory):
        return f"mandatory unit {floor.key} " + (
            f"cannot count{why}" if caps else f"is not available{why}"
        )
    if isinstance(rule, EachGroup):
        if rule.measure is Measure.UNITS and need == 1:
            return (
                f"no unit from group {floor.key} can count{why}"
                if caps
                else f"no unit left in group {floor.key}{why}"
            )
        where = Where(group=floor.key)
    else:
        assert isinstance(rule, AtLeast | Exactly)
        where = rule.where
    verb = "can count" if caps else ("is available" if most == 1 else "are available")
    return f"at most {phrase(most, rule.measure, where)} {verb}{why}; {need} needed"
