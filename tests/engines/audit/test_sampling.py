"""Site sampling: every state's main office plus ⌈√x⌉ (⌈0.8·√x⌉ at re-certification) of
its x other offices, a quarter or more at random, the rest by risk (IAF MD 1)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from assay.engines.audit import Office, draw_sample, sample_size
from assay.engines.audit.sampling import random_share, risk_key

from .standards import TODAY, offices_in

# 8 states and territories with known numbers of other offices
COUNTS = {"NSW": 24, "VIC": 9, "QLD": 10, "WA": 1, "SA": 0, "TAS": 2, "ACT": 3, "NT": 100}
INITIAL = {"NSW": 5, "VIC": 3, "QLD": 4, "WA": 1, "SA": 0, "TAS": 2, "ACT": 2, "NT": 10}
RECERT = {"NSW": 4, "VIC": 3, "QLD": 3, "WA": 1, "SA": 0, "TAS": 2, "ACT": 2, "NT": 8}


@pytest.mark.parametrize("state", sorted(COUNTS))
def test_sample_sizes_for_known_office_counts(state: str) -> None:
    x = COUNTS[state]
    assert sample_size(x, recertification=False) == INITIAL[state]
    assert sample_size(x, recertification=True) == RECERT[state]


def test_exact_arithmetic_on_perfect_squares_and_their_neighbours() -> None:
    assert [sample_size(x, False) for x in (15, 16, 17, 25, 26)] == [4, 4, 5, 5, 6]
    # 0.8·√25 = 4 exactly; 0.8·√26 just above 4
    assert [sample_size(x, True) for x in (24, 25, 26)] == [4, 4, 5]
    assert [random_share(n) for n in (0, 1, 4, 5, 8, 9)] == [0, 1, 1, 2, 2, 3]


@pytest.mark.parametrize("bad", [-1, 2.0, True])
def test_sample_size_refuses_a_nonsense_count(bad: object) -> None:
    with pytest.raises(ValueError, match="whole number"):
        sample_size(bad, False)  # type: ignore[arg-type]


@pytest.mark.parametrize(("recert", "sizes"), [(False, INITIAL), (True, RECERT)])
def test_eight_states_draw_the_main_office_and_the_sized_sample(
    recert: bool, sizes: dict[str, int]
) -> None:
    sample = draw_sample(offices_in(COUNTS), seed=2013, recertification=recert, today=TODAY)
    assert sample.per_state == tuple((s, COUNTS[s], sizes[s]) for s in sorted(COUNTS))
    assert [p.office_id for p in sample.picks if p.how == "main"] == [
        f"{s}-main" for s in sorted(COUNTS)
    ]
    beyond = Counter(p.state for p in sample.picks if p.how != "main")
    assert {s: beyond[s] for s in COUNTS} == sizes
    randoms = Counter(p.state for p in sample.picks if p.how == "random")
    assert {s: randoms[s] for s in COUNTS} == {s: -(-n // 4) for s, n in sizes.items()}
    assert len(sample.office_ids) == len(set(sample.office_ids)) == 8 + sum(sizes.values())
    main = sample.picks[0]
    assert (main.reason, main.how) == ("main office of ACT", "main")


def test_a_state_with_only_its_main_office_samples_nothing_more() -> None:
    sample = draw_sample(offices_in({"SA": 0}), seed=1, recertification=False, today=TODAY)
    assert sample.office_ids == ("SA-main",)
    assert sample.per_state == (("SA", 0, 0),)


def test_risk_picks_follow_complaints_then_low_score_then_oldest_visit() -> None:
    ranked = [
        Office("a", "a", "X", False, complaints=3, last_score=9.0, last_visited=TODAY),
        Office("b", "b", "X", False, complaints=1, last_score=None),
        Office("c", "c", "X", False, complaints=1, last_score=2.0, last_visited=None),
        Office("d", "d", "X", False, complaints=1, last_score=2.0, last_visited=date(2010, 1, 1)),
        Office("e", "e", "X", False, complaints=1, last_score=2.0, last_visited=date(2012, 1, 1)),
        Office("f", "f", "X", False, complaints=0, last_score=0.0),
    ]
    assert sorted(reversed(ranked), key=risk_key) == ranked


def test_risk_picks_are_the_riskiest_offices_not_drawn_at_random() -> None:
    others = [
        Office(f"X-{i:02d}", f"X {i}", "X", False, complaints=i, last_visited=date(2011, 5, 2))
        for i in range(1, 25)
    ]
    offices = [Office("X-main", "X main", "X", True), *others]
    sample = draw_sample(offices, seed=7, recertification=False, today=TODAY)
    randoms = [p.office_id for p in sample.picks if p.how == "random"]
    risks = [p for p in sample.picks if p.how == "risk"]
    assert len(randoms) == 2 and len(risks) == 3
    expected = [o.id for o in sorted(others, key=risk_key) if o.id not in randoms][:3]
    assert [p.office_id for p in risks] == expected
    top = next(o for o in others if o.id == expected[0])
    assert risks[0].reason == (
        f"risk rank 1 of 22 in X: {top.complaints} complaints, never scored, "
        "last visited 2011-05-02 (669 days before 2013-03-01)"
    )
    assert sample.picks[1].reason == "random draw 1 of 2 in X from 24 offices (seed 7)"


def test_same_seed_same_sample_in_any_input_order_other_seed_differs() -> None:
    offices = offices_in(COUNTS)
    first = draw_sample(offices, seed=42, recertification=False, today=TODAY)
    again = draw_sample(list(reversed(offices)), seed=42, recertification=False, today=TODAY)
    assert first == again
    others = {
        draw_sample(offices, seed=s, recertification=False, today=TODAY).office_ids
        for s in range(5)
    }
    assert len(others) > 1


@pytest.mark.parametrize(
    ("offices", "message"),
    [
        ([Office("a", "a", "NSW", False)], "state NSW has no main office"),
        (
            [Office("a", "a", "WA", True), Office("b", "b", "WA", True)],
            "state WA has 2 main offices: a, b",
        ),
        ([Office("a", "a", "WA", True), Office("a", "a2", "WA", False)], "'a' is listed twice"),
        ([Office("a", "a", " ", True)], "'a' has no state"),
        (
            [Office("a", "a", "WA", True, last_visited=date(2013, 3, 2))],
            r"'a' was last visited after today \(2013-03-01\)",
        ),
        ([Office("a", "a", "WA", True, complaints=-1)], "negative number of complaints"),
    ],
)
def test_bad_office_lists_are_refused_naming_the_problem(
    offices: list[Office], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        draw_sample(offices, seed=1, recertification=False, today=TODAY)


def test_two_hundred_offices_in_eight_states() -> None:
    """The bench's shape (no timing assertion): 192 other offices spread over 8 states."""
    counts = dict.fromkeys(sorted(COUNTS), 24)
    offices = offices_in(counts)
    assert len(offices) == 200
    sample = draw_sample(offices, seed=5, recertification=False, today=TODAY)
    assert len(sample.picks) == 8 * (1 + 5)
    recert = draw_sample(offices, seed=5, recertification=True, today=TODAY)
    assert len(recert.picks) == 8 * (1 + 4)
