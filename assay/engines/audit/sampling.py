"""Which offices an audit visits: every state's main office plus a sample of the others.

The seed: "Organizations with offices in more than one State or Territory would be required to
gain certification for the main office in each State or Territory. Organizations with multiple
offices in one State will be covered by a single assessment. Where an organization has multiple
offices, a random sample of individual offices may be sufficient to assess the entire
organization." The seed gives no sample size, so the size is a certifying body's documented
choice (``SamplingRule``), never below the seed's floor (the main office in each State or
Territory is always visited):

* ``per-state-sqrt`` (Assay's reading, the default): in each state, ⌈√x⌉ of its x other offices
  at first certification, ⌈0.8·√x⌉ at re-certification. IAF MD 1's square root applied state by
  state; IAF MD 1 itself does not say this.
* ``whole-organisation-sqrt`` (IAF MD 1): ⌈√x⌉ (⌈0.8·√x⌉) of all x offices of the organisation
  other than the state main offices, drawn across states; the main offices play the part of
  IAF MD 1's central function, visited besides the sample.

Either way a share of the sample (``random_percent``, at least 25 %: IAF MD 1's "at least 25 %
of the sample should be selected at random") is drawn at random and the rest chosen by risk.
The seed, the rule, the draw and each pick's reason are returned so the sample can be stored,
reproduced and defended.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

__all__ = [
    "DEFAULT_RULE",
    "PER_STATE",
    "RULES",
    "WHOLE_ORGANISATION",
    "Office",
    "Pick",
    "Sample",
    "SamplingRule",
    "draw_sample",
    "random_share",
    "risk_key",
    "sample_size",
]

PER_STATE = "per-state-sqrt"
WHOLE_ORGANISATION = "whole-organisation-sqrt"


@dataclass(frozen=True, slots=True)
class RuleText:
    """How a rule is named and where it comes from, for the sample page and the report."""

    name: str
    size: str
    source: str


RULES: dict[tuple[str, int], RuleText] = {
    (PER_STATE, 1): RuleText(
        name="Per state: square root of each state's other offices (Assay's reading)",
        size="in each State or Territory its main office, plus ⌈√x⌉ of its x other offices "
        "(⌈0.8·√x⌉ at re-certification)",
        source="Seed 002 requires the main office in each State or Territory and allows a "
        "random sample of the other offices without giving its size; Assay applies the square "
        "root of IAF MD 1 to each state's offices, which IAF MD 1 does not itself say",
    ),
    (WHOLE_ORGANISATION, 1): RuleText(
        name="Whole organisation: square root of all other offices (IAF MD 1)",
        size="the main office of every State or Territory, plus ⌈√x⌉ of the organisation's x "
        "other offices across all states (⌈0.8·√x⌉ at re-certification)",
        source="IAF MD 1 (audit and certification of a multi-site organisation): a sample of "
        "y = ⌈√x⌉ sites at initial certification and ⌈0.8·√x⌉ at re-certification, at least "
        "25 % at random; the state main offices the seed requires are visited besides it, as "
        "IAF MD 1's central function is",
    ),
}
"""Every rule Assay knows, by (key, version): a change to a rule's arithmetic is a new version,
so a stored sample always names the arithmetic it was drawn with."""


@dataclass(frozen=True, slots=True)
class SamplingRule:
    """A certifying body's sampling choice: which rule (``key``, ``version``) and the share of
    the sample drawn at random (``random_percent``, 25–100, rounded up to whole offices)."""

    key: str = PER_STATE
    version: int = 1
    random_percent: int = 25

    def __post_init__(self) -> None:
        if (self.key, self.version) not in RULES:
            known = ", ".join(f"{k} v{v}" for k, v in sorted(RULES))
            raise ValueError(f"unknown sampling rule {self.key} v{self.version}; known: {known}")
        p = self.random_percent
        if isinstance(p, bool) or not isinstance(p, int) or not 25 <= p <= 100:
            raise ValueError(
                f"the share drawn at random is a whole percentage from 25 to 100, not {p!r}"
            )

    @property
    def text(self) -> RuleText:
        return RULES[(self.key, self.version)]

    @property
    def name(self) -> str:
        return self.text.name

    @property
    def source(self) -> str:
        return self.text.source

    @property
    def summary(self) -> str:
        """One sentence: the size and the random share."""
        return (
            f"{self.text.size}; at least {self.random_percent} % of the sample drawn at random "
            "(rounded up), the rest chosen by risk"
        )

    def random_count(self, picked: int) -> int:
        """How many of ``picked`` offices are drawn at random: ⌈picked · percent / 100⌉."""
        return -(-picked * self.random_percent // 100)


DEFAULT_RULE = SamplingRule()
"""The rule used when a body has chosen none (and for samples drawn before rules were stored)."""


@dataclass(frozen=True, slots=True)
class Office:
    """An office of the organisation (or division) in scope, with what the risk ranking uses:
    complaints since the last audit, the last audit's score there, the last visit."""

    id: str
    name: str
    state: str
    is_main: bool
    complaints: int = 0
    last_score: float | None = None
    last_visited: date | None = None


@dataclass(frozen=True, slots=True)
class Pick:
    """One office in the sample and why: ``how`` is "main", "random" or "risk"."""

    office_id: str
    state: str
    reason: str
    how: str


@dataclass(frozen=True, slots=True)
class Sample:
    """The drawn sample. ``per_state`` holds (state, other offices x, number sampled beyond the
    main office), states in alphabetical order. Picks: per state (main, random, risk) under the
    per-state rule; every main office, then the random and the risk picks under the
    whole-organisation rule."""

    seed: int
    recertification: bool
    picks: tuple[Pick, ...]
    per_state: tuple[tuple[str, int, int], ...]
    rule: SamplingRule = DEFAULT_RULE

    @property
    def office_ids(self) -> tuple[str, ...]:
        """The sampled offices (the audit's required sites), in pick order."""
        return tuple(p.office_id for p in self.picks)


def sample_size(others: int, recertification: bool) -> int:
    """How many of a state's ``others`` non-main offices to visit: ⌈√x⌉ at first certification,
    ⌈0.8·√x⌉ at re-certification (IAF MD 1), never more than x. Exact integer arithmetic, so a
    perfect square never rounds up by a floating-point error."""
    if isinstance(others, bool) or not isinstance(others, int) or others < 0:
        raise ValueError(f"the number of other offices must be a whole number ≥ 0, not {others!r}")
    if recertification:
        # smallest n with n ≥ 0.8·√x  ⇔  25·n² ≥ 16·x
        n = math.isqrt(16 * others) // 5
        while 25 * n * n < 16 * others:
            n += 1
    else:
        n = math.isqrt(others)
        if n * n < others:
            n += 1
    return min(n, others)


def random_share(picked: int) -> int:
    """How many of ``picked`` non-main offices the default rule draws at random: a quarter,
    rounded up (IAF MD 1's minimum), the rest by risk."""
    return DEFAULT_RULE.random_count(picked)


def risk_key(office: Office) -> tuple[int, float, int, str]:
    """Sort key, riskiest first: most complaints, then the lowest previous score (never scored
    counts as lowest: no assurance at all), then the longest since the last visit (never
    visited first), then the office id so ties are broken the same way every time."""
    score = -math.inf if office.last_score is None else office.last_score
    visited = 0 if office.last_visited is None else office.last_visited.toordinal()
    return (-office.complaints, score, visited, office.id)


def _risk_reason(office: Office, rank: int, of: int, today: date, where: str | None = None) -> str:
    complaints = f"{office.complaints} complaint{'' if office.complaints == 1 else 's'}"
    score = "never scored" if office.last_score is None else f"last score {office.last_score:g}"
    if office.last_visited is None:
        visited = "never visited"
    else:
        days = (today - office.last_visited).days
        visited = (
            f"last visited {office.last_visited.isoformat()} "
            f"({days} days before {today.isoformat()})"
        )
    where = office.state if where is None else where
    return f"risk rank {rank} of {of} in {where}: {complaints}, {score}, {visited}"


def _check(offices: Sequence[Office], today: date) -> dict[str, list[Office]]:
    by_state: dict[str, list[Office]] = {}
    seen: set[str] = set()
    for office in offices:
        if office.id in seen:
            raise ValueError(f"office {office.id!r} is listed twice")
        seen.add(office.id)
        if not office.state.strip():
            raise ValueError(f"office {office.id!r} has no state or territory")
        if office.complaints < 0:
            raise ValueError(f"office {office.id!r} has a negative number of complaints")
        if office.last_visited is not None and office.last_visited > today:
            raise ValueError(f"office {office.id!r} was last visited after today ({today})")
        by_state.setdefault(office.state, []).append(office)
    for state, members in by_state.items():
        mains = sorted(o.id for o in members if o.is_main)
        if not mains:
            raise ValueError(f"state {state} has no main office")
        if len(mains) > 1:
            raise ValueError(f"state {state} has {len(mains)} main offices: {', '.join(mains)}")
    return by_state


def draw_sample(
    offices: Sequence[Office],
    *,
    seed: int,
    recertification: bool,
    today: date,
    rule: SamplingRule = DEFAULT_RULE,
) -> Sample:
    """Draw the sample under ``rule``: every state's main office, then ``sample_size(x)`` of the
    x others (per state, or across the organisation) — ``rule.random_count`` of them with
    ``random.Random(seed)``, the rest by ``risk_key``.

    Deterministic and independent of the order ``offices`` come in: states are taken in
    alphabetical order and other offices sorted by id before the draw, so the same offices,
    seed and rule always give the same sample. The random picks are drawn first, from all the
    other offices in reach, so the random part is a true random sample; the risk picks then
    come from the offices not drawn. ValueError when a state has no main office or several, an
    office id repeats, or a visit lies after ``today``.
    """
    by_state = _check(offices, today)
    if rule.key == WHOLE_ORGANISATION:
        return _whole_organisation(by_state, seed, recertification, today, rule)
    rng = random.Random(seed)
    picks: list[Pick] = []
    per_state: list[tuple[str, int, int]] = []
    for state in sorted(by_state):
        members = by_state[state]
        main = next(o for o in members if o.is_main)
        others = sorted((o for o in members if not o.is_main), key=lambda o: o.id)
        n = sample_size(len(others), recertification)
        per_state.append((state, len(others), n))
        picks.append(Pick(main.id, state, f"main office of {state}", "main"))
        if n == 0:
            continue
        k = rule.random_count(n)
        drawn = rng.sample(others, k)
        for i, office in enumerate(drawn, start=1):
            reason = f"random draw {i} of {k} in {state} from {len(others)} offices (seed {seed})"
            picks.append(Pick(office.id, state, reason, "random"))
        taken = {o.id for o in drawn}
        remaining = sorted((o for o in others if o.id not in taken), key=risk_key)
        for rank, office in enumerate(remaining[: n - k], start=1):
            reason = _risk_reason(office, rank, len(remaining), today)
            picks.append(Pick(office.id, state, reason, "risk"))
    return Sample(
        seed=seed,
        recertification=recertification,
        picks=tuple(picks),
        per_state=tuple(per_state),
        rule=rule,
    )


def _whole_organisation(
    by_state: dict[str, list[Office]],
    seed: int,
    recertification: bool,
    today: date,
    rule: SamplingRule,
) -> Sample:
    """IAF MD 1 across the organisation: every main office, then ⌈√x⌉ of all x others."""
    rng = random.Random(seed)
    picks = [
        Pick(
            next(o for o in by_state[state] if o.is_main).id,
            state,
            f"main office of {state}",
            "main",
        )
        for state in sorted(by_state)
    ]
    others = sorted(
        (o for members in by_state.values() for o in members if not o.is_main),
        key=lambda o: o.id,
    )
    n = sample_size(len(others), recertification)
    k = rule.random_count(n)
    drawn = rng.sample(others, k)
    for i, office in enumerate(drawn, start=1):
        reason = (
            f"random draw {i} of {k} from the organisation's {len(others)} other offices "
            f"(seed {seed})"
        )
        picks.append(Pick(office.id, office.state, reason, "random"))
    taken = {o.id for o in drawn}
    remaining = sorted((o for o in others if o.id not in taken), key=risk_key)
    for rank, office in enumerate(remaining[: n - k], start=1):
        reason = _risk_reason(office, rank, len(remaining), today, "the organisation")
        picks.append(Pick(office.id, office.state, reason, "risk"))
    beyond: dict[str, int] = {}
    for p in picks:
        if p.how != "main":
            beyond[p.state] = beyond.get(p.state, 0) + 1
    per_state = tuple(
        (state, sum(1 for o in by_state[state] if not o.is_main), beyond.get(state, 0))
        for state in sorted(by_state)
    )
    return Sample(
        seed=seed,
        recertification=recertification,
        picks=tuple(picks),
        per_state=per_state,
        rule=rule,
    )
