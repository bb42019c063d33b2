"""The coverage matrix with RAG; agreement rates and standardisation flags."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from assay.engines.competence.deadlines import StaffRole
from assay.engines.verification import (
    Outcome,
    Period,
    Rag,
    Staff,
    Standardisation,
    Verdict,
    agreement,
    coverage,
    rag,
    standardisation_flags,
)

from .world import STRATEGY, TEAM, YEAR, rec, signed_offs


def test_rag() -> None:
    assert [rag(0, 0), rag(2, 0), rag(2, 1), rag(2, 2), rag(1, 3)] == [
        Rag.GREEN,
        Rag.RED,
        Rag.AMBER,
        Rag.GREEN,
        Rag.GREEN,
    ]


def test_the_matrix_requires_the_strategys_rate_per_cell() -> None:
    alice = signed_offs("alice", 25)  # unit 401, observation
    tom = signed_offs("tom", 3, unit="402")
    both = rec("tw", "402", "tom", date(2026, 4, 4), methods=("observation", "product"))
    wip = rec("aw", "403", "alice", updated=date(2026, 4, 4))
    records = [*alice, *tom, both, wip]
    sampled = [alice[0].key, tom[0].key, tom[1].key, tom[2].key, both.key]
    cells = coverage(STRATEGY, records, TEAM, sampled, period=YEAR)
    assert [
        (c.assessor_id, c.unit, c.method, c.population, c.required, c.sampled, c.rag) for c in cells
    ] == [
        ("alice", "401", "observation", 25, 3, 1, Rag.AMBER),  # ⌈25 × 10%⌉
        ("alice", "403", "observation", 1, 0, 0, Rag.GREEN),  # in progress: nothing required
        ("tom", "402", "observation", 4, 4, 4, Rag.GREEN),  # trainee: all
        ("tom", "402", "product", 1, 1, 1, Rag.GREEN),
    ]
    red = coverage(STRATEGY, records, TEAM, [], period=YEAR)
    assert [c.rag for c in red] == [Rag.RED, Rag.GREEN, Rag.RED, Rag.RED]


def test_the_matrix_refuses_an_assessor_without_profile() -> None:
    with pytest.raises(ValueError, match="'zed' has no profile"):
        coverage(STRATEGY, [rec("r", "401", "zed", date(2026, 1, 2))], TEAM, [], period=YEAR)


Q1 = Period(date(2026, 1, 1), date(2026, 3, 31))
Q2 = Period(date(2026, 4, 1), date(2026, 6, 30))


def test_agreement_per_assessor_per_period() -> None:
    verdicts = [
        Verdict("alice", "vera", date(2026, 1, 5), Outcome.AGREE),
        Verdict("alice", "vera", date(2026, 2, 5), Outcome.AGREE),
        Verdict("alice", "vic", date(2026, 3, 31), Outcome.ACTION_REQUIRED),
        Verdict("alice", "vera", date(2026, 4, 1), Outcome.ACTION_REQUIRED),
        Verdict("bob", "vera", date(2026, 5, 1), Outcome.AGREE),
        Verdict("bob", "vera", date(2026, 9, 1), Outcome.ACTION_REQUIRED),  # outside: ignored
    ]
    rows = agreement(verdicts, [Q2, Q1])
    assert [(r.assessor_id, r.period, r.agreed, r.action_required, r.rate) for r in rows] == [
        ("alice", Q1, 2, 1, Fraction(2, 3)),
        ("alice", Q2, 0, 1, Fraction(0)),
        ("bob", Q1, 0, 0, None),
        ("bob", Q2, 1, 0, Fraction(1)),
    ]
    assert agreement(verdicts, list(YEAR.quarters()))[0].period == Q1


def test_overlapping_periods_are_refused() -> None:
    with pytest.raises(ValueError, match="overlap"):
        agreement([], [Q1, Period(date(2026, 3, 31), date(2026, 4, 30))])


def test_standardisation_flags() -> None:
    staff = [
        Staff("alice", "alice", StaffRole.ASSESSOR),
        Staff("bob", "bob", StaffRole.ASSESSOR),
        Staff("vera", "vera", StaffRole.INTERNAL_VERIFIER),
        Staff("tom", "tom", StaffRole.ASSESSOR),
    ]
    activities = [
        Standardisation(date(2025, 12, 31), frozenset({"alice", "vera"}), "unit 401 evidence"),
        Standardisation(date(2025, 12, 30), frozenset({"bob"})),
        Standardisation(date(2027, 1, 1), frozenset({"tom"})),  # after the day: not counted
    ]
    flags = standardisation_flags(staff, activities, on=date(2026, 12, 31))
    assert [f.message for f in flags] == [
        "assessor bob: not standardised in the last 12 months (last 30/12/2025)",
        "assessor tom: never standardised",
    ]
    flags = standardisation_flags(staff, activities, on=date(2026, 12, 31), months=6)
    assert [f.staff_id for f in flags] == ["alice", "bob", "tom", "vera"]
    assert flags[-1].message == (
        "internal verifier vera: not standardised in the last 6 months (last 31/12/2025)"
    )
    with pytest.raises(ValueError, match="whole number"):
        standardisation_flags(staff, activities, on=date(2026, 12, 31), months=0)
