"""Separation of duties: nobody verifies their own assessments (4430-04, section 2.1)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from assay.engines.verification import Verifier, allocate, draw, may_verify

from .world import STRATEGY, TEAM, YEAR, rec, signed_offs

ON = date(2026, 12, 31)
VERA = Verifier("vera", "vera", date(2015, 1, 1), date(2015, 6, 1))
VIC = Verifier("vic", "vic", date(2016, 1, 1), date(2016, 6, 1))
# started verifying 01/01/2025 without a V unit: deadline 01/07/2026, past on ON
LATE = Verifier("lee", "lee", date(2025, 1, 1), None)


def test_a_verifier_with_nothing_to_do_with_the_unit_may_verify() -> None:
    assert may_verify(VERA, rec("r1", "401", "alice", date(2026, 3, 1)), on=ON) == []


def test_who_acted_in_the_unit_may_not_verify_it() -> None:
    record = rec("r1", "401", "alice", date(2026, 3, 1), actors=("vera",))
    assert may_verify(VERA, record, on=ON) == [
        "vera judged, confirmed or signed off in unit 401 of registration r1: "
        "nobody verifies their own assessments"
    ]


def test_the_candidates_assessor_for_the_unit_may_not_verify_it() -> None:
    record = replace(rec("r1", "401", "vera", date(2026, 3, 1)), actors=frozenset())
    assert may_verify(VERA, record, on=ON) == [
        "vera is the candidate's assessor for unit 401 of registration r1"
    ]


def test_a_verifier_past_the_v_unit_deadline_gets_no_new_samples() -> None:
    record = rec("r1", "401", "alice", date(2026, 3, 1))
    assert may_verify(LATE, record, on=ON) == [
        "lee is past the V-unit deadline (01/07/2026): no new samples until it is achieved"
    ]
    assert may_verify(LATE, record, on=date(2026, 7, 1)) == []  # the deadline day is in time
    assert may_verify(replace(LATE, v_unit_on=date(2026, 12, 1)), record, on=ON) == []


def test_allocation_balances_and_skips_refused_verifiers() -> None:
    records = signed_offs("tom", 6)
    records[0] = replace(records[0], actors=records[0].actors | {"vera"})
    sample = draw(STRATEGY, records, TEAM, seed=1, period=YEAR)
    allocation = allocate(sample, [VIC, VERA, LATE], on=ON)
    assert allocation.refused == ()
    assert allocation.verifier_of(records[0].key) == "vic"
    assert dict(allocation.load) == {"lee": 0, "vera": 3, "vic": 3}
    assert allocate(sample, [VERA, LATE, VIC], on=ON) == allocation


def test_a_pick_nobody_may_verify_is_reported_with_every_reason() -> None:
    record = rec("r1", "401", "tom", date(2026, 3, 1), actors=("vera",))
    sample = draw(STRATEGY, [record], TEAM, seed=1, period=YEAR)
    allocation = allocate(sample, [VERA, LATE], on=ON)
    assert allocation.assignments == ()
    (refused,) = allocation.refused
    assert refused.pick.key == ("r1", "401")
    assert refused.reasons == (
        (
            "lee",
            ("lee is past the V-unit deadline (01/07/2026): no new samples until it is achieved",),
        ),
        (
            "vera",
            (
                "vera judged, confirmed or signed off in unit 401 of registration r1: "
                "nobody verifies their own assessments",
            ),
        ),
    )


def test_a_verifier_listed_twice_is_refused() -> None:
    sample = draw(STRATEGY, [], TEAM, seed=1, period=YEAR)
    with pytest.raises(ValueError, match="listed twice"):
        allocate(sample, [VERA, VERA], on=ON)
