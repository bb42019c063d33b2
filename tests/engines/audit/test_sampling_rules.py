"""The sampling rule as a certifying body's documented, versioned choice: per state (Assay's
reading) or across the whole organisation (IAF MD 1), with the share drawn at random; never
below the seed's floor (the main office in each State or Territory)."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.engines.audit import SamplingRule, draw_sample, sample_size
from assay.engines.audit.sampling import DEFAULT_RULE, PER_STATE, WHOLE_ORGANISATION

from ..strategies import FAST
from .standards import TODAY, office_lists, offices_in

# 8 states, 149 other offices in all (as in test_sampling)
COUNTS = {"NSW": 24, "VIC": 9, "QLD": 10, "WA": 1, "SA": 0, "TAS": 2, "ACT": 3, "NT": 100}
WHOLE = SamplingRule(WHOLE_ORGANISATION)


def test_rules_are_named_with_their_source_and_the_per_state_rule_is_not_iaf_md_1() -> None:
    assert DEFAULT_RULE.key == PER_STATE and DEFAULT_RULE.random_percent == 25
    assert "IAF MD 1" not in DEFAULT_RULE.name
    assert "Assay's reading" in DEFAULT_RULE.name
    assert "IAF MD 1 does not itself say" in DEFAULT_RULE.source
    assert WHOLE.name.endswith("(IAF MD 1)")
    assert "IAF MD 1" in WHOLE.source
    assert "at least 25 %" in WHOLE.summary


@pytest.mark.parametrize(
    ("rule", "error"),
    [
        (dict(key="half-of-them"), "unknown sampling rule"),
        (dict(version=2), "unknown sampling rule"),
        (dict(random_percent=24), "25 to 100"),
        (dict(random_percent=101), "25 to 100"),
        (dict(random_percent=True), "25 to 100"),
    ],
)
def test_nonsense_rules_are_refused(rule: dict, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        SamplingRule(**rule)


def test_whole_organisation_hand_worked() -> None:
    # x = 149 other offices: ⌈√149⌉ = 13 (12² = 144 < 149 ≤ 169 = 13²); 0.8·√149 ≈ 9.77 → 10.
    first = draw_sample(
        offices_in(COUNTS), seed=2013, recertification=False, today=TODAY, rule=WHOLE
    )
    assert len(first.picks) == 8 + 13
    assert [p.how for p in first.picks[:8]] == ["main"] * 8
    how = Counter(p.how for p in first.picks)
    assert how == {"main": 8, "random": 4, "risk": 9}  # ⌈13 / 4⌉ = 4 at random
    assert sum(n for _, _, n in first.per_state) == 13
    assert [(s, x) for s, x, _ in first.per_state] == sorted(COUNTS.items())
    assert first.rule == WHOLE
    again = draw_sample(
        offices_in(COUNTS), seed=2013, recertification=True, today=TODAY, rule=WHOLE
    )
    assert len(again.picks) == 8 + 10
    risk = next(p for p in first.picks if p.how == "risk")
    assert "of the organisation" not in risk.reason and "in the organisation" in risk.reason


def test_half_at_random() -> None:
    rule = SamplingRule(PER_STATE, random_percent=50)
    sample = draw_sample(offices_in(COUNTS), seed=1, recertification=False, today=TODAY, rule=rule)
    randoms = Counter(p.state for p in sample.picks if p.how == "random")
    # NSW: n = 5 → ⌈2.5⌉ = 3; NT: n = 10 → 5; WA: n = 1 → 1
    assert (randoms["NSW"], randoms["NT"], randoms["WA"]) == (3, 5, 1)
    every = SamplingRule(WHOLE_ORGANISATION, random_percent=100)
    sample = draw_sample(offices_in(COUNTS), seed=1, recertification=False, today=TODAY, rule=every)
    assert Counter(p.how for p in sample.picks) == {"main": 8, "random": 13}


def test_default_rule_draws_what_was_drawn_before_rules_were_stored() -> None:
    offices = offices_in(COUNTS)
    assert draw_sample(offices, seed=9, recertification=False, today=TODAY) == draw_sample(
        offices, seed=9, recertification=False, today=TODAY, rule=SamplingRule()
    )


def test_only_main_offices_means_the_floor_alone() -> None:
    sample = draw_sample(
        offices_in({"SA": 0, "WA": 0}), seed=3, recertification=False, today=TODAY, rule=WHOLE
    )
    assert [(p.office_id, p.how) for p in sample.picks] == [
        ("SA-main", "main"),
        ("WA-main", "main"),
    ]
    assert sample.per_state == (("SA", 0, 0), ("WA", 0, 0))


RULES = st.builds(
    SamplingRule,
    key=st.sampled_from([PER_STATE, WHOLE_ORGANISATION]),
    random_percent=st.integers(25, 100),
)


@FAST
@given(office_lists(), st.integers(0, 2**32), st.booleans(), RULES)
def test_never_below_the_floor_and_sizes_exact(
    offices: list, seed: int, recert: bool, rule: SamplingRule
) -> None:
    sample = draw_sample(offices, seed=seed, recertification=recert, today=TODAY, rule=rule)
    ids = sample.office_ids
    assert len(ids) == len(set(ids))
    mains = {o.id for o in offices if o.is_main}
    assert mains <= set(ids)  # the seed's floor: the main office in every state
    assert sorted(p.office_id for p in sample.picks if p.how == "main") == sorted(mains)
    others = [o for o in offices if not o.is_main]
    beyond = [p for p in sample.picks if p.how != "main"]
    randoms = sum(1 for p in beyond if p.how == "random")
    if rule.key == WHOLE_ORGANISATION:
        n = sample_size(len(others), recert)
        assert len(beyond) == n  # exactly ⌈√x⌉ (⌈0.8·√x⌉) of all other offices
        assert randoms == -(-n * rule.random_percent // 100)
    else:
        for _state, x, n in sample.per_state:
            assert n == sample_size(x, recert)
    assert 100 * randoms >= rule.random_percent * len(beyond)
    state_of = {o.id: o.state for o in offices}
    assert all(state_of[p.office_id] == p.state for p in sample.picks)
    per_state = Counter(p.state for p in beyond)
    assert all(per_state[s] == n for s, _, n in sample.per_state)
