"""Which offices an audit visits: every state's main office plus a sample of the others.

The seed: "Organizations with offices in more than one State or Territory would be required to
gain certification for the main office in each State or Territory. Organizations with multiple
offices in one State will be covered by a single assessment. Where an organization has multiple
offices, a random sample of individual offices may be sufficient to assess the entire
organization." The seed gives no sample size, so Assay follows the accreditation world's
multi-site practice (IAF MD 1): per state, ⌈√x⌉ of the x other offices at first certification
and ⌈0.8·√x⌉ at re-certification, at least a quarter of them drawn at random and the rest chosen
by risk. The seed, the draw and each pick's reason are returned so the sample can be stored,
reproduced and defended.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

__all__ = ["Office", "Pick", "Sample", "draw_sample", "random_share", "risk_key", "sample_size"]


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
    main office), states in alphabetical order like the picks."""

    seed: int
    recertification: bool
    picks: tuple[Pick, ...]
    per_state: tuple[tuple[str, int, int], ...]

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
    """How many of ``picked`` non-main offices are drawn at random: at least a quarter,
    rounded up (IAF MD 1), the rest by risk."""
    return -(-picked // 4)


def risk_key(office: Office) -> tuple[int, float, int, str]:
    """Sort key, riskiest first: most complaints, then the lowest previous score (never scored
    counts as lowest: no assurance at all), then the longest since the last visit (never
    visited first), then the office id so ties are broken the same way every time."""
    score = -math.inf if office.last_score is None else office.last_score
    visited = 0 if office.last_visited is None else office.last_visited.toordinal()
    return (-office.complaints, score, visited, office.id)


def _risk_reason(office: Office, rank: int, of: int, today: date) -> str:
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
    return f"risk rank {rank} of {of} in {office.state}: {complaints}, {score}, {visited}"


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
    offices: Sequence[Office], *, seed: int, recertification: bool, today: date
) -> Sample:
    """Draw the sample: per state its main office, then ``sample_size(x)`` of the x others —
    ``random_share`` of them with ``random.Random(seed)``, the rest by ``risk_key``.

    Deterministic and independent of the order ``offices`` come in: states are taken in
    alphabetical order and each state's other offices sorted by id before the draw, so the same
    offices and seed always give the same sample. The random picks are drawn first, from all of a
    state's other offices, so the random part is a true random sample; the risk picks then come
    from the offices not drawn. ValueError when a state has no main office or several, an office
    id repeats, or a visit lies after ``today``.
    """
    by_state = _check(offices, today)
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
        k = random_share(n)
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
        seed=seed, recertification=recertification, picks=tuple(picks), per_state=tuple(per_state)
    )
