"""The sample, worked by hand on a four-assessor centre (tests/engines/verification/world.py)."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest

from assay.engines.verification import (
    Dimension,
    Period,
    Stage,
    Verification,
    draw,
)

from .world import ALICE, NINA, STRATEGY, TEAM, TOM, YEAR, rec, signed_offs

QUIET = replace(STRATEGY, base_rate=Fraction(0), interim_per_quarter=0, top_up=frozenset())


def picks_of(sample, assessor):  # type: ignore[no-untyped-def]
    return [p for p in sample.picks if p.record.assessor_id == assessor]


def test_a_trainees_sign_offs_are_all_sampled_with_the_reason() -> None:
    records = signed_offs("tom", 3)
    sample = draw(STRATEGY, records, TEAM, seed=7, period=YEAR)
    tom = picks_of(sample, "tom")
    assert [p.key for p in tom] == [r.key for r in records]
    assert {p.stage for p in tom} == {Stage.SUMMATIVE}
    assert {p.dimension for p in tom} == {Dimension.ASSESSOR}
    assert tom[0].reasons == (
        "trainee assessor: 100% of sign-offs (no A unit yet, due by 01/12/2026)",
    )


def test_a_trainee_past_the_deadline_is_still_sampled_in_full() -> None:
    late = rec("t1", "401", "tom", date(2026, 12, 10))
    sample = draw(STRATEGY, [late], TEAM, seed=7, period=YEAR)
    assert sample.picks[0].reasons == (
        "trainee assessor: 100% of sign-offs (no A unit, overdue since 01/12/2026)",
    )


def test_a_trainees_sign_offs_either_side_of_the_deadline_carry_their_own_reason() -> None:
    records = [
        rec("t1", "401", "tom", date(2026, 11, 30)),
        rec("t2", "401", "tom", date(2026, 12, 2)),
    ]
    sample = draw(STRATEGY, records, TEAM, seed=7, period=YEAR)
    assert [(p.key[0], p.reasons) for p in sample.picks] == [
        ("t1", ("trainee assessor: 100% of sign-offs (no A unit yet, due by 01/12/2026)",)),
        ("t2", ("trainee assessor: 100% of sign-offs (no A unit, overdue since 01/12/2026)",)),
    ]


def test_ten_percent_of_an_experienced_assessor_rounded_up() -> None:
    for n, expected in ((20, 2), (21, 3), (30, 3), (1, 1)):
        sample = draw(STRATEGY, signed_offs("alice", n), TEAM, seed=7, period=YEAR)
        alice = picks_of(sample, "alice")
        assert len(alice) == expected, n
        assert alice[0].reasons == (
            f"random 10% of experienced assessor alice's sign-offs: {expected} of {n} (seed 7)"
            if n > 1
            else "10% of experienced assessor alice's sign-offs, rounded up: all 1",
        )
        (need,) = sample.requirements
        assert (need.assessor_id, need.rate, need.population, need.required, need.drawn) == (
            "alice",
            Fraction(1, 10),
            n,
            expected,
            expected,
        )


def test_new_to_the_qualification_half_of_the_sign_offs() -> None:
    sample = draw(STRATEGY, signed_offs("nina", 5), TEAM, seed=3, period=YEAR)
    nina = picks_of(sample, "nina")
    assert len(nina) == 3
    assert nina[0].reasons == (
        "random 50% of assessor new to the qualification nina's sign-offs (new to 4430-04): "
        "3 of 5 (seed 3)",
    )


def test_several_risks_take_the_highest_rate_and_name_them_all() -> None:
    risky = replace(NINA, started_on=date(2026, 1, 1), open_action_points=2)
    sample = draw(STRATEGY, signed_offs("nina", 4), (ALICE, risky), seed=3, period=YEAR)
    assert len(sample.picks) == 2
    reason = sample.picks[0].reasons[0]
    assert reason.startswith(
        "random 50% of new assessor and assessor new to the qualification and assessor with "
        "open action points nina's sign-offs (started at the centre 01/01/2026, under 6 months; "
        "new to 4430-04; 2 open action points): "
    )


def test_a_trainee_who_qualifies_mid_year_keeps_100_percent_before_the_a_unit() -> None:
    qualified = replace(TOM, a_unit_on=date(2026, 7, 1))
    records = signed_offs("tom", 12)  # one on the 10th of each month
    sample = draw(STRATEGY, records, (qualified,), seed=11, period=YEAR)
    before = [p for p in sample.picks if p.record.signed_off_on < date(2026, 7, 1)]
    after = [p for p in sample.picks if p.record.signed_off_on >= date(2026, 7, 1)]
    assert len(before) == 6  # January to June: all
    assert len(after) == 1  # July to December: ⌈10% of 6⌉
    assert after[0].reasons[0].startswith("random 10% of experienced assessor tom's")


def test_sign_offs_outside_the_period_are_not_drawn() -> None:
    records = [
        rec("a1", "401", "alice", date(2025, 12, 31)),
        rec("a2", "401", "alice", date(2027, 1, 1)),
    ]
    assert draw(STRATEGY, records, TEAM, seed=1, period=YEAR).picks == ()


def test_interim_one_per_assessor_per_quarter_two_for_a_trainee() -> None:
    wip = [rec(f"a{i}", "402", "alice", updated=date(2026, 2, i + 1)) for i in range(3)] + [
        rec(f"t{i}", "402", "tom", updated=date(2026, 5, i + 1)) for i in range(3)
    ]
    sample = draw(replace(STRATEGY, top_up=frozenset()), wip, TEAM, seed=5, period=YEAR)
    alice, tom = picks_of(sample, "alice"), picks_of(sample, "tom")
    assert len(alice) == 1 and len(tom) == 2
    assert {p.stage for p in sample.picks} == {Stage.INTERIM}
    assert alice[0].reasons == (
        "interim (1 per assessor per quarter): 1 of alice's 3 units in progress, "
        "01/01/2026–31/03/2026",
    )
    assert tom[0].reasons == (
        "interim (2 per quarter for a trainee assessor): 2 of tom's 3 units in progress, "
        "01/04/2026–30/06/2026",
    )


def test_a_method_unit_and_site_not_sampled_this_year_are_topped_up() -> None:
    records = [
        *signed_offs("alice", 5),
        rec("w1", "403", "alice", date(2026, 3, 3), methods=("witness_testimony",), site="York"),
    ]
    sample = draw(replace(QUIET, top_up=STRATEGY.top_up), records, TEAM, seed=2, period=YEAR)
    reasons = {p.key: (p.dimension, p.reasons) for p in sample.picks}
    # the witness testimony record is the only one with that method: it also covers unit 403
    # and York, so neither needs a pick of its own
    assert reasons[("w1", "403")] == (
        Dimension.METHOD,
        ("method witness testimony not sampled this year",),
    )
    # observation, unit 401 and Leeds: one pick covers all three
    rest = [p for p in sample.picks if p.key != ("w1", "403")]
    assert len(rest) == 1
    assert rest[0].reasons == ("method observation not sampled this year",)


def test_history_within_the_year_covers_a_dimension_and_older_history_does_not() -> None:
    records = [rec("w1", "403", "alice", date(2026, 3, 3), methods=("witness_testimony",))]
    strategy = replace(QUIET, top_up=STRATEGY.top_up)

    def past(on: date) -> Verification:
        return Verification("old", "c", "403", "bob", frozenset({"witness_testimony"}), "Leeds", on)

    kept = draw(strategy, records, TEAM, seed=2, period=YEAR, history=[past(date(2026, 1, 1))])
    assert kept.picks == ()
    late = draw(strategy, records, TEAM, seed=2, period=YEAR, history=[past(date(2025, 12, 31))])
    assert [p.reasons for p in late.picks] == [("method witness testimony not sampled this year",)]


def test_sites_and_units_named_by_the_strategy_are_topped_up_with_their_words() -> None:
    records = [
        rec("l1", "401", "alice", date(2026, 3, 3), site="Leeds"),
        rec("y1", "402", "alice", date(2026, 3, 3), site="York"),
    ]
    history = [Verification.of(records[0], date(2026, 2, 1))]
    strategy = replace(QUIET, top_up=frozenset({Dimension.SITE, Dimension.UNIT}))
    sample = draw(strategy, records, TEAM, seed=2, period=YEAR, history=history)
    assert [(p.key, p.reasons) for p in sample.picks] == [
        (("y1", "402"), ("unit 402 not sampled this year",))
    ]
    only_sites = replace(strategy, top_up=frozenset({Dimension.SITE}))
    sample = draw(only_sites, records, TEAM, seed=2, period=YEAR, history=history)
    assert sample.picks[0].reasons == ("site York not visited this year",)


def test_candidates_are_topped_up_only_when_the_strategy_says_so() -> None:
    records = signed_offs("alice", 3)
    assert draw(QUIET, records, TEAM, seed=2, period=YEAR).picks == ()
    strategy = replace(QUIET, top_up=frozenset({Dimension.CANDIDATE}), year_months=6)
    sample = draw(strategy, records, TEAM, seed=2, period=YEAR)
    assert [p.reasons[0] for p in sample.picks] == [
        f"candidate cand-alice-r0{i} not sampled in the last 6 months" for i in range(3)
    ]


def test_same_seed_same_sample_whatever_the_order_other_seed_differs() -> None:
    records = signed_offs("alice", 40) + signed_offs("nina", 9) + signed_offs("tom", 4)
    first = draw(STRATEGY, records, TEAM, seed=99, period=YEAR)
    shuffled = records[:]
    random.Random(1).shuffle(shuffled)
    assert draw(STRATEGY, shuffled, tuple(reversed(TEAM)), seed=99, period=YEAR) == first
    others = {draw(STRATEGY, records, TEAM, seed=s, period=YEAR).keys for s in range(5)}
    assert len(others) > 1


def test_one_assessors_new_sign_off_leaves_the_others_picks_alone() -> None:
    records = signed_offs("alice", 40) + signed_offs("nina", 9)
    before = draw(STRATEGY, records, TEAM, seed=4, period=YEAR)
    after = draw(STRATEGY, [*records, *signed_offs("nina", 1, start=50)], TEAM, seed=4, period=YEAR)
    assert [p.key for p in picks_of(before, "alice")] == [p.key for p in picks_of(after, "alice")]


def test_sample_as_history_is_dated_at_the_period_end() -> None:
    sample = draw(STRATEGY, signed_offs("tom", 2), TEAM, seed=1, period=YEAR)
    assert {v.on for v in sample.verifications()} == {YEAR.end}
    assert [(v.registration_id, v.unit) for v in sample.verifications()] == list(sample.keys)


@pytest.mark.parametrize(
    ("records", "team", "message"),
    [
        ([rec("a", "401", "alice", date(2026, 1, 1))] * 2, TEAM, "listed twice"),
        ([rec("a", "401", "zed", date(2026, 1, 1))], TEAM, "'zed' has no profile"),
        ([], (ALICE, ALICE), "assessor 'alice' is listed twice"),
        (
            [rec("a", "401", "alice", date(2026, 1, 1), updated=date(2026, 2, 1))],
            TEAM,
            "changed after its sign-off",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(records, team, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValueError, match=message):
        draw(STRATEGY, records, team, seed=1, period=YEAR)


def test_an_invalid_strategy_is_refused() -> None:
    with pytest.raises(ValueError, match="the base rate must lie between 0% and 100%, not 150%"):
        draw(replace(STRATEGY, base_rate=Fraction(3, 2)), [], TEAM, seed=1, period=YEAR)


def test_quarters_cover_the_period_without_overlap() -> None:
    quarters = list(Period(date(2026, 2, 15), date(2026, 9, 1)).quarters())
    assert [(str(q)) for q in quarters] == [
        "15/02/2026–14/05/2026",
        "15/05/2026–14/08/2026",
        "15/08/2026–01/09/2026",
    ]
    with pytest.raises(ValueError, match="ends"):
        Period(date(2026, 2, 1), date(2026, 1, 1))
