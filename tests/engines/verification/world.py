"""A small hand-worked centre: four assessors, a year's plan and helpers to write records."""

from __future__ import annotations

from datetime import date

from assay.engines.verification import AssessorProfile, Period, Strategy, UnitRecord

QUAL = "4430-04"
YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
STRATEGY = Strategy(centre="C1", qualification=QUAL)

ALICE = AssessorProfile("alice", "alice", date(2018, 1, 1), date(2018, 9, 1), frozenset({QUAL}))
BOB = AssessorProfile("bob", "bob", date(2019, 1, 1), date(2019, 6, 1), frozenset({QUAL}))
# a trainee: no A unit, started 01/06/2025 (deadline 01/12/2026), no longer new by 2026-12
TOM = AssessorProfile("tom", "tom", date(2025, 6, 1), None, frozenset({QUAL}))
# experienced, but new to this qualification
NINA = AssessorProfile("nina", "nina", date(2015, 1, 1), date(2015, 6, 1), frozenset({"4420"}))
TEAM = (ALICE, BOB, TOM, NINA)


def rec(
    reg: str,
    unit: str,
    assessor: str,
    signed: date | None = None,
    *,
    updated: date | None = None,
    methods: tuple[str, ...] = ("observation",),
    site: str = "Leeds",
    candidate: str | None = None,
    actors: tuple[str, ...] = (),
) -> UnitRecord:
    """A unit record: ``signed`` None for work in progress (``updated`` then required)."""
    last = updated or signed
    assert last is not None
    return UnitRecord(
        registration_id=reg,
        candidate_id=candidate or f"cand-{reg}",
        unit=unit,
        assessor_id=assessor,
        methods=frozenset(methods),
        site=site,
        updated_on=last,
        signed_off_on=signed,
        actors=frozenset({assessor, *actors}),
    )


def signed_offs(assessor: str, n: int, *, start: int = 0, unit: str = "401") -> list[UnitRecord]:
    """``n`` sign-offs of ``assessor`` in unit ``unit`` spread over 2026 (day 10 of months)."""
    return [
        rec(f"{assessor}-r{start + i:02d}", unit, assessor, date(2026, 1 + (i % 12), 10))
        for i in range(n)
    ]
