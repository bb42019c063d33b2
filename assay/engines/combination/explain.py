"""Plain-English rule results and a one-paragraph summary for a chosen counted selection.

Kept apart from the search so the wording can change without touching the logic; every
sentence says what is held and, when short, what is still missing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .linear import Linear, Mask, dot
from .model import (
    AtLeast,
    AtMost,
    Barred,
    EachGroup,
    Equivalent,
    Exactly,
    Mandatory,
    Measure,
    Rule,
    Where,
)
from .select import Selection


@dataclass(frozen=True, slots=True)
class RuleResult:
    """One rule on the counted units. For floors ``have``/``need`` are amounts counted and
    required (groups met/groups for EachGroup, units present/listed for Mandatory); for caps
    ``need`` is the limit. ``rule`` is the rule itself, so readers need not look it up again."""

    rule_id: str
    text: str
    met: bool
    explanation: str
    have: int | None
    need: int | None
    rule: Rule

    @property
    def is_cap(self) -> bool:
        """A maximum: ``have`` counts towards a limit, not progress towards a goal."""
        return isinstance(self.rule, AtMost)


def join(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _levels(where: Where) -> list[str]:
    lo, hi = where.min_level, where.max_level
    if lo is not None and hi is not None:
        return [f"at level {lo}" if lo == hi else f"at levels {lo} to {hi}"]
    if lo is not None:
        return [f"at level {lo} or above"]
    return [] if hi is None else [f"at level {hi} or below"]


def _after(where: Where) -> list[str]:
    words = _levels(where)
    if where.group is not None:
        words.append(f"from group {where.group}")
    if where.units is not None:
        listed = sorted(where.units)
        words.append(f"from unit{'s' * (len(listed) > 1)} {join(listed)}")
    return words


def _kind(where: Where) -> list[str]:
    words = {True: ["mandatory"], False: ["optional"], None: []}[where.mandatory]
    return words + ([] if where.level is None else [f"level {where.level}"])


def phrase(amount: int, measure: Measure, where: Where, more: bool = False) -> str:
    """'30 credits at level 4 or above', '4 level 2 units', '2 more optional units'."""
    noun = {Measure.CREDIT: "credit", Measure.UNITS: "unit"}[measure]
    noun += "" if amount == 1 else "s"
    head = [str(amount)] + (["more"] if more else [])
    return " ".join(head + _kind(where) + [noun] + _after(where))


def _filter(where: Where) -> str:
    """The filter alone, for 'of which at least 5 at level 4 or above'."""
    words = {True: ["mandatory"], False: ["optional"], None: []}[where.mandatory]
    if where.level is not None:
        words.append(f"at level {where.level}")
    return " ".join(words + _after(where))


class _Reader:
    """Sums over the counted and the achieved units for one decision."""

    def __init__(self, lin: Linear, achieved: Mask, selection: Selection) -> None:
        self.lin, self.achieved, self.selection = lin, achieved, selection
        self.counted = selection.counted
        self.clauses: list[tuple[int, str]] = []  # (rule index, summary clause)
        self.shortfalls: list[tuple[int, Measure, Where, int]] = []

    def floors(self, at: int) -> list[tuple[str, int, int, int]]:
        """(key, counted, achieved, need) for each floor of rule ``at``."""
        return [
            (f.key, dot(f.coef, self.counted), dot(f.coef, self.achieved), f.need)
            for f in self.lin.floors
            if f.rule == at
        ]

    def units(self, numbers: Sequence[str], mask: Mask) -> list[str]:
        return [n for n in numbers if mask[self.lin.index[n]]]

    def result(self, at: int) -> RuleResult:
        rule = self.lin.spec.rules[at]
        met, text, have, need = self._describe(at)
        return RuleResult(rule.id, rule.text, met, text, have, need, rule)

    def _describe(self, at: int) -> tuple[bool, str, int | None, int | None]:
        rule = self.lin.spec.rules[at]
        if isinstance(rule, Mandatory):
            return self._mandatory(at, rule)
        if isinstance(rule, EachGroup):
            return self._groups(at, rule)
        if isinstance(rule, AtLeast | Exactly):
            return self._floor(at, rule)
        if isinstance(rule, AtMost):
            return self._at_most(at, rule)
        return self._pick_one(rule)

    def _mandatory(self, at: int, rule: Mandatory) -> tuple[bool, str, int | None, int | None]:
        floors = self.floors(at)
        present = [k for k, c, _, _ in floors if c >= 1]
        absent = [k for k, c, a, _ in floors if c < 1 and a < 1]
        blocked = [k for k, c, a, _ in floors if c < 1 <= a]
        parts, clauses = [], []
        if absent:
            parts.append(f"missing mandatory unit{'s' * (len(absent) > 1)} {join(absent)}")
            clauses.append(f"needs unit{'s' * (len(absent) > 1)} {join(absent)}")
        if blocked:
            many = len(blocked) > 1
            parts.append(
                f"mandatory unit{'s' * many} {join(blocked)} {'are' if many else 'is'} achieved"
                " but cannot count with the rest"
            )
            clauses.append(f"unit{'s' * (len(blocked) > 1)} {join(blocked)} cannot count")
        if parts:
            self.clauses.append((at, "; ".join(clauses)))
            return False, "; ".join(parts), len(present), len(floors)
        if not floors:
            return True, "no units listed", 0, 0
        via = []
        for key in present:
            if not self.counted[self.lin.index[key]]:
                mates = self.lin.equivalents[self.lin.index[key]]
                found = [self.lin.numbers[m] for m in mates if self.counted[m]]
                via.append(f"{key} through equivalent {join(found)}")
        tail = f" ({'; '.join(via)})" if via else ""
        noun = "units" if len(present) > 1 else "unit"
        return True, f"mandatory {noun} {join(present)} counted{tail}", len(present), len(floors)

    def _groups(self, at: int, rule: EachGroup) -> tuple[bool, str, int | None, int | None]:
        floors = self.floors(at)
        one = rule.measure is Measure.UNITS and rule.value == 1
        empty = [k for k, c, a, n in floors if c < n and one and a == 0]
        parts = [f"no unit yet from group{'s' * (len(empty) > 1)} {join(empty)}"] if empty else []
        short = [(k, c, a, n) for k, c, a, n in floors if c < n and k not in empty]
        for k, c, _, n in short:
            parts.append(
                f"has {c} of {phrase(n, rule.measure, Where(group=k))}: needs {n - c} more"
            )
        missing = empty + [k for k, *_ in short]
        if one and missing:
            each = "" if len(missing) == 1 else "each of "
            self.clauses.append((at, f"needs a unit from {each}{join(missing)}"))
        else:
            for k, c, _, n in short:
                words = phrase(n - c, rule.measure, Where(group=k), more=True)
                self.clauses.append((at, f"needs {words}"))
        have = len(floors) - len(missing)
        if parts:
            return False, "; ".join(parts), have, len(floors)
        amount = phrase(rule.value, rule.measure, Where())
        return True, f"at least {amount} from each of the {len(floors)} groups", have, len(floors)

    def _floor(self, at: int, rule: AtLeast | Exactly) -> tuple[bool, str, int | None, int | None]:
        [(_, have, held, need)] = self.floors(at)
        exact = isinstance(rule, Exactly)
        m, w = rule.measure, rule.where
        if (have == need) if exact else (have >= need):
            if exact and held > need:
                return True, f"{phrase(held, m, w)} achieved; exactly {need} count", have, need
            head = "has exactly " if exact else "has "
            return (
                True,
                head + phrase(have, m, w) + ("" if exact else f" ({need} needed)"),
                have,
                need,
            )
        if exact and held >= need:
            self.clauses.append(
                (at, f"needs a choice of units making exactly {phrase(need, m, w)}")
            )
            text = f"no choice of the achieved units makes exactly {phrase(need, m, w)}"
            return False, f"{text} (closest: {have})", have, need
        self.shortfalls.append((at, m, w, need - have))
        text = f"has {have} of {phrase(need, m, w)}: needs {need - have} more"
        if held > have:
            text += f" ({held} achieved, but not all can count)"
        return False, text, have, need

    def _at_most(self, at: int, rule: AtMost) -> tuple[bool, str, int | None, int | None]:
        [cap] = [c for c in self.lin.caps if c.rule == at]
        have, held = dot(cap.coef, self.counted), dot(cap.coef, self.achieved)
        m, w = rule.measure, rule.where
        if held > rule.value:
            text = f"{phrase(held, m, w)} achieved; only {rule.value} can count"
        else:
            text = f"{phrase(have, m, w)} counted; at most {rule.value} can count"
        return have <= rule.value, text, have, rule.value

    def _pick_one(self, rule: Barred | Equivalent) -> tuple[bool, str, int | None, int | None]:
        held = self.units(rule.units, self.achieved)
        counted = self.units(rule.units, self.counted)
        what = "are equivalent" if isinstance(rule, Equivalent) else "are barred together"
        text = f"units {join(list(rule.units))} {what}: only one can count"
        if len(held) > 1:
            text += f" ({join(counted) if counted else 'none'} counted)"
        return len(counted) <= 1, text, len(counted), 1

    def summary(self, results: Sequence[RuleResult]) -> str:
        lin = self.lin
        if self.selection.met:
            counted = lin.names(self.counted)
            text = f"Achieved with units {', '.join(counted)}" if counted else "Achieved"
            pairs = zip(self.achieved, self.counted, strict=True)
            spare = lin.names([held and not counted for held, counted in pairs])
            return text + (f"; not counted: {', '.join(spare)}." if spare else ".")
        clauses = dict.fromkeys(c for _, c in sorted(self.clauses + self._shortfall_clauses()))
        text = f"Not yet achieved: {'; '.join(clauses)}."
        binding = {c.rule for c, b in zip(lin.caps, self.selection.binding, strict=True) if b}
        why = dict.fromkeys(results[at].explanation for at in sorted(binding) if results[at].met)
        if why:
            text += f" Shown for the best choice the caps allow: {'; '.join(why)}."
        return text

    def _shortfall_clauses(self) -> list[tuple[int, str]]:
        """One clause per measure: the overall shortfall 'of which' the filtered ones."""
        out: list[tuple[int, str]] = []
        for measure in Measure:
            rows = [r for r in self.shortfalls if r[1] is measure]
            totals = [r for r in rows if r[2] == Where()]
            total = max(totals, key=lambda r: r[3]) if totals else None
            inner = [r for r in rows if total and r[0] != total[0] and r[3] <= total[3]]
            skip = {r[0] for r in inner} | ({total[0]} if total else set())
            out += [
                (at, f"needs {phrase(g, m, w, more=True)}")
                for at, m, w, g in rows
                if at not in skip
            ]
            if total:
                text = f"needs {phrase(total[3], measure, Where(), more=True)}"
                if inner:
                    text += ", of which " + " and ".join(
                        f"at least {g} {_filter(w)}" for *_, w, g in inner
                    )
                out.append((total[0], text))
        return out


def explain(
    lin: Linear, achieved: Mask, selection: Selection
) -> tuple[tuple[RuleResult, ...], str]:
    """Rule results in spec order and the summary sentence."""
    reader = _Reader(lin, achieved, selection)
    results = tuple(reader.result(at) for at in range(len(lin.spec.rules)))
    return results, reader.summary(results)
