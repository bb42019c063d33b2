"""Properties of the IQA engine on random centres: trainees in full, rates met, order and
seed reproducibility, and no allocation to anyone who acted in the unit or assessed it."""

from __future__ import annotations

import random
from datetime import date, timedelta
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assay.engines.verification import (
    AssessorProfile,
    Rag,
    Stage,
    UnitRecord,
    Verifier,
    allocate,
    assess,
    coverage,
    draw,
    may_verify,
)
from assay.engines.verification.sample import population_of, required

from .world import QUAL, STRATEGY, YEAR

SOME = settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PEOPLE = ("ann", "ben", "cat", "dan", "eve", "fay")
METHODS = ("observation", "product", "witness_testimony", "professional_discussion")
DAY0 = date(2024, 1, 1)
Centre = tuple[list[AssessorProfile], list[UnitRecord]]


def days(lo: int = 0, hi: int = 1460) -> st.SearchStrategy[date]:
    return st.integers(lo, hi).map(lambda n: DAY0 + timedelta(days=n))


@st.composite
def profiles(draw_: st.DrawFn, person: str) -> AssessorProfile:
    started = draw_(days(0, 1000))
    a_unit = draw_(st.none() | st.integers(0, 800).map(lambda n: started + timedelta(days=n)))
    before = draw_(st.sampled_from([frozenset({QUAL}), frozenset()]))
    return AssessorProfile(person, person, started, a_unit, before, draw_(st.integers(0, 2)))


@st.composite
def centres(draw_: st.DrawFn) -> tuple[list[AssessorProfile], list[UnitRecord]]:
    assessors = draw_(st.lists(st.sampled_from(PEOPLE[:4]), min_size=1, max_size=4, unique=True))
    team = [draw_(profiles(p)) for p in sorted(assessors)]
    records: list[UnitRecord] = []
    for i in range(draw_(st.integers(0, 40))):
        assessor = draw_(st.sampled_from(assessors))
        updated = draw_(days(700, 1200))
        after = draw_(st.none() | st.integers(0, 90))
        signed = None if after is None else updated + timedelta(days=after)
        records.append(
            UnitRecord(
                registration_id=f"r{i // 3}",
                candidate_id=f"c{i // 3}",
                unit=f"40{i % 3 + 1}",
                assessor_id=assessor,
                methods=frozenset(draw_(st.sets(st.sampled_from(METHODS), min_size=1))),
                site=draw_(st.sampled_from(["Leeds", "York", "Hull"])),
                updated_on=updated,
                signed_off_on=signed,
                # the unit's assessor may not have acted yet (a reassigned unit)
                actors=frozenset(
                    draw_(st.sets(st.sampled_from(PEOPLE), max_size=2))
                    | ({assessor} if draw_(st.booleans()) else set())
                ),
            )
        )
    return team, records


@st.composite
def verifiers(draw_: st.DrawFn) -> list[Verifier]:
    names = draw_(st.lists(st.sampled_from(PEOPLE), min_size=1, max_size=4, unique=True))
    return [Verifier(n, n, draw_(days(0, 1000)), draw_(st.none() | days(0, 1460))) for n in names]


def signed_in_period(records: list[UnitRecord]) -> list[UnitRecord]:
    return [r for r in records if r.signed_off_on is not None and r.signed_off_on in YEAR]


@SOME
@given(centres(), st.integers(0, 2**32))
def test_every_trainee_sign_off_is_sampled(centre: Centre, seed: int) -> None:
    team, records = centre
    profiles_ = {a.id: a for a in team}
    sample = draw(STRATEGY, records, team, seed=seed, period=YEAR)
    picked = set(sample.keys)
    for record in signed_in_period(records):
        assert record.signed_off_on is not None
        risk = assess(STRATEGY, profiles_[record.assessor_id], record.signed_off_on)
        if "trainee" in risk.risks:
            assert record.key in picked, record


@SOME
@given(centres(), st.integers(0, 2**32))
def test_each_assessor_gets_at_least_the_rates_requirement(centre: Centre, seed: int) -> None:
    team, records = centre
    profiles_ = {a.id: a for a in team}
    sample = draw(STRATEGY, records, team, seed=seed, period=YEAR)
    for assessor in profiles_:
        mine = [r for r in signed_in_period(records) if r.assessor_id == assessor]
        owed = sum(
            (assess(STRATEGY, profiles_[assessor], r.signed_off_on or YEAR.end).rate for r in mine),
            start=Fraction(0),
        )
        got = [
            p
            for p in sample.picks
            if p.record.assessor_id == assessor and p.stage is Stage.SUMMATIVE
        ]
        assert len(got) >= required(owed, 1)
        assert len(got) >= required(STRATEGY.base_rate, len(mine))


@SOME
@given(centres(), st.integers(0, 2**32), st.randoms(use_true_random=False))
def test_same_seed_same_sample_in_any_order(centre: Centre, seed: int, rnd: random.Random) -> None:
    team, records = centre
    first = draw(STRATEGY, records, team, seed=seed, period=YEAR)
    shuffled, crew = records[:], team[:]
    rnd.shuffle(shuffled)
    rnd.shuffle(crew)
    assert draw(STRATEGY, shuffled, crew, seed=seed, period=YEAR) == first


@SOME
@given(centres(), st.integers(0, 2**32))
def test_picks_are_distinct_reasoned_and_from_the_period(centre: Centre, seed: int) -> None:
    team, records = centre
    sample = draw(STRATEGY, records, team, seed=seed, period=YEAR)
    assert len(set(sample.keys)) == len(sample.keys)
    population = {r.key for r in population_of(records, YEAR)}
    assert set(sample.keys) <= population
    assert all(p.reasons and all(p.reasons) for p in sample.picks)
    # the drawn sample meets what it requires of every cell it was built from
    cells = coverage(STRATEGY, records, team, sample.keys, period=YEAR)
    everything = coverage(STRATEGY, records, team, population, period=YEAR)
    assert all(c.rag is Rag.GREEN for c in everything)
    assert sum(c.population for c in cells) == sum(
        len(r.methods) for r in population_of(records, YEAR)
    )


@SOME
@given(centres(), verifiers(), st.integers(0, 2**32), days(900, 1300))
def test_no_allocation_to_anyone_who_acted_or_assessed(
    centre, team_iv: list[Verifier], seed: int, on: date
) -> None:
    team, records = centre
    sample = draw(STRATEGY, records, team, seed=seed, period=YEAR)
    allocation = allocate(sample, team_iv, on=on)
    by_id = {v.id: v for v in team_iv}
    assert len(allocation.assignments) + len(allocation.refused) == len(sample.picks)
    for assignment in allocation.assignments:
        record = assignment.pick.record
        assert assignment.verifier_id not in record.actors
        assert assignment.verifier_id != record.assessor_id
        assert may_verify(by_id[assignment.verifier_id], record, on=on) == []
    for refused in allocation.refused:
        assert all(reasons for _, reasons in refused.reasons)
    loads = [n for _, n in allocation.load]
    assert sum(loads) == len(allocation.assignments)
    assert allocate(sample, list(reversed(team_iv)), on=on) == allocation
