"""The plan's gaps in words: quiet assessors, methods, units and sites not sampled."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from assay.engines.verification import Dimension, Verification, draw, gaps

from .world import ALICE, BOB, STRATEGY, TEAM, YEAR, rec

ON = date(2026, 12, 31)
RECORDS = [
    rec("a1", "401", "alice", date(2026, 3, 1), methods=("observation", "witness_testimony")),
    rec("b1", "301", "bob", date(2026, 4, 1), methods=("product",), site="York"),
]


def seen(record, on):  # type: ignore[no-untyped-def]
    return Verification.of(record, on)


def test_gaps_read_as_sentences() -> None:
    history = [
        seen(RECORDS[0], date(2026, 11, 1)),
        replace(
            seen(RECORDS[1], date(2026, 6, 30)), methods=frozenset({"observation"}), site="Leeds"
        ),
        replace(seen(RECORDS[1], date(2025, 3, 1)), site="York"),
    ]
    found = gaps(STRATEGY, RECORDS, (ALICE, BOB), history, on=ON)
    assert [g.message for g in found] == [
        "assessor bob: nothing sampled in 6 months (last 30/06/2026)",
        "method product not sampled this year (last 01/03/2025)",
        "site York not visited this year (last 01/03/2025)",
    ]
    assert found[0].dimension is Dimension.ASSESSOR and found[0].subject == "bob"


def test_never_sampled() -> None:
    strategy = replace(STRATEGY, sites=frozenset({"Leeds", "York", "Hull"}))
    found = gaps(strategy, RECORDS, TEAM, [], on=ON)
    assert [g.message for g in found] == [
        "assessor alice: never sampled",
        "assessor bob: never sampled",
        "assessor nina: never sampled",
        "assessor tom: never sampled",
        "method observation never sampled",
        "method product never sampled",
        "method witness testimony never sampled",
        "unit 301 never sampled",
        "unit 401 never sampled",
        "site Hull never visited",
        "site Leeds never visited",
        "site York never visited",
    ]
    assert {g.last_sampled for g in found} == {None}


def test_a_drawn_sample_closes_the_gaps_it_covers() -> None:
    sample = draw(STRATEGY, RECORDS, (ALICE, BOB), seed=1, period=YEAR)
    assert gaps(STRATEGY, RECORDS, (ALICE, BOB), [], on=ON, sample=sample) == ()


def test_six_months_to_the_day_is_a_gap_and_a_day_later_is_not() -> None:
    found = gaps(STRATEGY, [], (BOB,), [seen(RECORDS[1], date(2026, 6, 30))], on=ON)
    assert [g.subject for g in found] == ["bob"]
    assert gaps(STRATEGY, [], (BOB,), [seen(RECORDS[1], date(2026, 7, 1))], on=ON) == ()


def test_verifications_after_the_day_do_not_count() -> None:
    found = gaps(STRATEGY, [], (BOB,), [seen(RECORDS[1], date(2027, 1, 5))], on=ON)
    assert [g.message for g in found] == ["assessor bob: never sampled"]


def test_candidates_are_gaps_only_when_the_strategy_samples_them() -> None:
    history = [seen(r, date(2026, 11, 1)) for r in RECORDS]
    assert gaps(STRATEGY, RECORDS, (ALICE, BOB), history, on=ON) == ()
    extra = [*RECORDS, rec("c9", "401", "alice", date(2026, 5, 1))]
    strategy = replace(STRATEGY, top_up=STRATEGY.top_up | {Dimension.CANDIDATE})
    assert [g.message for g in gaps(strategy, extra, (ALICE, BOB), history, on=ON)] == [
        "candidate cand-c9 never sampled"
    ]
