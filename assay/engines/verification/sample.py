"""Draw the IQA sample: which units the internal verifiers look at, and why each one.

Like the audit's site sample (engines/audit/sampling.py) the draw is reproducible and
defensible: the same records, assessors, period and seed give the same picks whatever order
the records come in, and every pick carries its reason and the CAMERA dimension it serves.

Three passes, in this order:

1. **Summative** — each assessor's sign-offs in the period, grouped by the rate the strategy
   gives them on the day of each sign-off (``strategy.assess``): ⌈rate × n⌉ of each group, so
   a trainee's sign-offs are all taken and an experienced assessor's at least one in ten.
2. **Interim** — per quarter of the period, each assessor's units in progress (last act in the
   quarter): ``interim_per_quarter`` of them, ``interim_per_quarter_at_risk`` for an assessor
   at risk at the quarter's end.
3. **Top-ups** — a method, unit, site (or candidate, if the strategy adds that dimension)
   that neither the history of the last ``year_months`` nor the picks so far cover gets one
   pick from the period's records that use it.

Each group draws from its own ``random.Random`` seeded with the seed and the group's name
(string seeds are hashed with SHA-512, not Python's per-process hash), so adding a sign-off of
one assessor never changes the picks of another.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from fractions import Fraction

from ..dates import add_months
from .model import AssessorProfile, Dimension, Period, Stage, UnitRecord, Verification, label
from .strategy import RiskAssessment, Strategy, assess, percent, validate_strategy

__all__ = [
    "Pick",
    "Requirement",
    "Sample",
    "draw",
    "population_of",
    "required",
    "values_of",
    "wanted",
    "year_phrase",
]


@dataclass(frozen=True, slots=True)
class Pick:
    """One sampled unit of one registration, the reason(s) and the dimension it serves."""

    record: UnitRecord
    stage: Stage
    dimension: Dimension
    reasons: tuple[str, ...]

    @property
    def key(self) -> tuple[str, str]:
        return self.record.key


@dataclass(frozen=True, slots=True)
class Requirement:
    """What one rule asked of one assessor: ``required`` of ``population`` units (the rate for
    summative groups, None for an interim quarter) and how many were ``drawn``."""

    assessor_id: str
    stage: Stage
    rule: str
    rate: Fraction | None
    population: int
    required: int
    drawn: int


@dataclass(frozen=True, slots=True)
class Sample:
    """The drawn plan for ``period`` with its ``seed``: picks in drawing order."""

    centre: str
    qualification: str
    seed: int
    period: Period
    picks: tuple[Pick, ...]
    requirements: tuple[Requirement, ...]

    @property
    def keys(self) -> tuple[tuple[str, str], ...]:
        return tuple(p.key for p in self.picks)

    def verifications(self) -> tuple[Verification, ...]:
        """The picks as history, dated at the period's end (what the plan will have covered)."""
        return tuple(Verification.of(p.record, self.period.end) for p in self.picks)


def required(rate: Fraction, population: int) -> int:
    """⌈rate × population⌉, exactly."""
    return -(-(rate.numerator * population) // rate.denominator)


def year_phrase(strategy: Strategy) -> str:
    """ "this year" for the default 12 months, else "in the last N months"."""
    n = strategy.year_months
    return "this year" if n == 12 else f"in the last {n} months"


def _check(
    strategy: Strategy, records: Iterable[UnitRecord], assessors: Iterable[AssessorProfile]
) -> tuple[list[UnitRecord], dict[str, AssessorProfile]]:
    if problems := validate_strategy(strategy):
        raise ValueError("the strategy cannot be used: " + "; ".join(problems))
    profiles: dict[str, AssessorProfile] = {}
    for profile in assessors:
        if profile.id in profiles:
            raise ValueError(f"assessor {profile.id!r} is listed twice")
        profiles[profile.id] = profile
    seen: set[tuple[str, str]] = set()
    out: list[UnitRecord] = []
    for record in records:
        if record.key in seen:
            raise ValueError(
                f"unit {record.unit} of registration {record.registration_id} is listed twice"
            )
        seen.add(record.key)
        if record.assessor_id not in profiles:
            raise ValueError(
                f"unit {record.unit} of registration {record.registration_id}: assessor "
                f"{record.assessor_id!r} has no profile"
            )
        if record.signed_off_on is not None and record.signed_off_on < record.updated_on:
            raise ValueError(
                f"unit {record.unit} of registration {record.registration_id} was changed "
                "after its sign-off"
            )
        out.append(record)
    out.sort(key=lambda r: r.key)
    return out, profiles


def _rng(seed: int, *scope: object) -> random.Random:
    return random.Random("/".join(str(s) for s in (seed, *scope)))


def _summative(
    strategy: Strategy,
    records: Sequence[UnitRecord],
    profiles: dict[str, AssessorProfile],
    seed: int,
    period: Period,
) -> tuple[list[Pick], list[Requirement]]:
    # a group: one assessor's sign-offs with the same rate, risks and reasons for them (a
    # trainee's sign-offs before and after the A-unit deadline are two groups, both at 100%)
    Group = tuple[str, Fraction, tuple[str, ...], tuple[str, ...]]
    groups: dict[Group, list[UnitRecord]] = {}
    kinds: dict[Group, RiskAssessment] = {}
    for record in records:
        if record.signed_off_on is None or record.signed_off_on not in period:
            continue
        risk = assess(strategy, profiles[record.assessor_id], record.signed_off_on)
        key = (record.assessor_id, risk.rate, tuple(r.value for r in risk.risks), risk.details)
        groups.setdefault(key, []).append(record)
        kinds.setdefault(key, risk)
    picks: list[Pick] = []
    needs: list[Requirement] = []
    for key in sorted(groups, key=lambda k: (k[0], -k[1], k[2], k[3])):
        assessor_id, rate, _, _ = key
        members, risk = groups[key], kinds[key]
        name = profiles[assessor_id].name
        n, k = len(members), required(rate, len(members))
        why = f" ({'; '.join(risk.details)})" if risk.details else ""
        if rate == 1:
            chosen = members
            reason = f"{risk.label}: 100% of sign-offs{why}"
        elif k >= n:
            chosen = members
            reason = f"{percent(rate)} of {risk.label} {name}'s sign-offs{why}, rounded up: all {n}"
        else:
            chosen = sorted(
                _rng(seed, "summative", assessor_id, rate, *key[2], *key[3]).sample(members, k),
                key=lambda r: r.key,
            )
            reason = (
                f"random {percent(rate)} of {risk.label} {name}'s sign-offs{why}: "
                f"{k} of {n} (seed {seed})"
            )
        picks.extend(Pick(r, Stage.SUMMATIVE, Dimension.ASSESSOR, (reason,)) for r in chosen)
        needs.append(Requirement(assessor_id, Stage.SUMMATIVE, risk.label, rate, n, k, len(chosen)))
    return picks, needs


def _interim(
    strategy: Strategy,
    records: Sequence[UnitRecord],
    profiles: dict[str, AssessorProfile],
    seed: int,
    period: Period,
) -> tuple[list[Pick], list[Requirement]]:
    picks: list[Pick] = []
    needs: list[Requirement] = []
    for quarter in period.quarters():
        by_assessor: dict[str, list[UnitRecord]] = {}
        for record in records:
            if record.signed_off_on is None and record.updated_on in quarter:
                by_assessor.setdefault(record.assessor_id, []).append(record)
        for assessor_id in sorted(by_assessor):
            members = by_assessor[assessor_id]
            risk = assess(strategy, profiles[assessor_id], quarter.end)
            if risk.at_risk:
                want = strategy.interim_per_quarter_at_risk
                rule = f"{want} per quarter for a {risk.label}"
            else:
                want = strategy.interim_per_quarter
                rule = f"{want} per assessor per quarter"
            k = min(want, len(members))
            chosen = sorted(
                _rng(seed, "interim", assessor_id, quarter.start).sample(members, k),
                key=lambda r: r.key,
            )
            name = profiles[assessor_id].name
            reason = (
                f"interim ({rule}): {k} of {name}'s {len(members)} unit"
                f"{'s' * (len(members) != 1)} in progress, {quarter}"
            )
            picks.extend(Pick(r, Stage.INTERIM, Dimension.ASSESSOR, (reason,)) for r in chosen)
            needs.append(Requirement(assessor_id, Stage.INTERIM, rule, None, len(members), want, k))
    return picks, needs


def values_of(record: UnitRecord | Verification, dimension: Dimension) -> frozenset[str]:
    """What a record or past verification covers on ``dimension``."""
    if dimension is Dimension.METHOD:
        return record.methods
    if dimension is Dimension.UNIT:
        return frozenset({record.unit})
    if dimension is Dimension.SITE:
        return frozenset({record.site})
    if dimension is Dimension.CANDIDATE:
        return frozenset({record.candidate_id})
    return frozenset({record.assessor_id})


TOP_UP_ORDER = (Dimension.METHOD, Dimension.UNIT, Dimension.SITE, Dimension.CANDIDATE)


def wanted(strategy: Strategy, dimension: Dimension, records: Iterable[UnitRecord]) -> set[str]:
    """The values of ``dimension`` the plan must cover: the strategy's list, else every value
    the records use."""
    given = {
        Dimension.METHOD: strategy.methods,
        Dimension.UNIT: strategy.units,
        Dimension.SITE: strategy.sites,
    }.get(dimension, frozenset())
    if given:
        return set(given)
    out: set[str] = set()
    for record in records:
        out |= values_of(record, dimension)
    return out


def _top_up_reason(dimension: Dimension, value: str, strategy: Strategy) -> str:
    when = year_phrase(strategy)
    if dimension is Dimension.METHOD:
        return f"method {label(value)} not sampled {when}"
    if dimension is Dimension.SITE:
        return f"site {value} not visited {when}"
    return f"{dimension.value} {value} not sampled {when}"


def _top_ups(
    strategy: Strategy,
    population: Sequence[UnitRecord],
    history: Sequence[Verification],
    picks: list[Pick],
    seed: int,
    period: Period,
) -> list[Pick]:
    since = add_months(period.end, -strategy.year_months) + timedelta(days=1)
    covered: dict[Dimension, set[str]] = {d: set() for d in TOP_UP_ORDER}
    for past in history:
        if since <= past.on <= period.end:
            for d in TOP_UP_ORDER:
                covered[d] |= values_of(past, d)
    taken = {p.key for p in picks}
    for pick in picks:
        for d in TOP_UP_ORDER:
            covered[d] |= values_of(pick.record, d)
    out: list[Pick] = []
    for dimension in TOP_UP_ORDER:
        if dimension not in strategy.top_up:
            continue
        index: dict[str, list[UnitRecord]] = {}
        for r in population:
            for value in values_of(r, dimension):
                index.setdefault(value, []).append(r)
        for value in sorted(wanted(strategy, dimension, population) - covered[dimension]):
            if value in covered[dimension]:  # covered by a top-up of this pass
                continue
            options = [r for r in index.get(value, ()) if r.key not in taken]
            if not options:
                continue
            record = _rng(seed, "top-up", dimension.value, value).choice(options)
            reason = _top_up_reason(dimension, value, strategy)
            out.append(Pick(record, record.stage, dimension, (reason,)))
            taken.add(record.key)
            for d in TOP_UP_ORDER:
                covered[d] |= values_of(record, d)
    return out


def draw(
    strategy: Strategy,
    records: Iterable[UnitRecord],
    assessors: Iterable[AssessorProfile],
    *,
    seed: int,
    period: Period,
    history: Iterable[Verification] = (),
) -> Sample:
    """Draw the sample of ``period`` from the centre's unit ``records`` for the strategy's
    qualification. ``history``: units verified before (for the top-ups). ValueError when the
    strategy is invalid, a unit of a registration is listed twice, a record's assessor has no
    profile, or a record was changed after its sign-off."""
    ordered, profiles = _check(strategy, records, assessors)
    past = sorted(history, key=lambda v: (v.on, v.registration_id, v.unit, v.assessor_id, v.site))
    summative, needs = _summative(strategy, ordered, profiles, seed, period)
    interim, interim_needs = _interim(strategy, ordered, profiles, seed, period)
    picks = summative + interim
    population = population_of(ordered, period)
    picks += _top_ups(strategy, population, past, picks, seed, period)
    return Sample(
        strategy.centre,
        strategy.qualification,
        seed,
        period,
        tuple(picks),
        tuple(needs + interim_needs),
    )


def population_of(records: Iterable[UnitRecord], period: Period) -> list[UnitRecord]:
    """The records a plan for ``period`` draws from: signed off in it, or in progress with a
    last act in it; ordered by (registration, unit)."""
    return sorted(
        (
            r
            for r in records
            if (r.signed_off_on in period) or (r.signed_off_on is None and r.updated_on in period)
        ),
        key=lambda r: r.key,
    )
