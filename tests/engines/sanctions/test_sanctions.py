"""Sanctions and centre risk: hand-worked cases and properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.engines.sanctions.levels import ALL_ACTS, LEVELS, Act, Level
from assay.engines.sanctions.risk import Risk, RiskInputs, centre_risk, direct_claims
from assay.engines.sanctions.rules import Sanction, blocks, in_force

from ..strategies import FAST

FEB = date(2013, 2, 1)
MAY = date(2013, 5, 1)


def suspended(**kw: object) -> Sanction:
    data: dict[str, object] = {
        "level": Level.REGISTRATIONS_SUSPENDED,
        "applied_on": FEB,
        "reason": "Assessment records missing for 12 candidates",
    }
    return Sanction(**{**data, **kw})  # type: ignore[arg-type]


def test_each_level_blocks_what_it_says() -> None:
    assert LEVELS[Level.ACTION_PLAN].blocks == frozenset()
    assert LEVELS[Level.CLAIMS_SUSPENDED].blocks == {Act.CLAIM}
    assert LEVELS[Level.REGISTRATIONS_SUSPENDED].blocks == {Act.REGISTRATION, Act.CLAIM}
    assert LEVELS[Level.APPROVAL_WITHDRAWN].blocks == ALL_ACTS


def test_registration_refused_with_the_reason_from_its_date() -> None:
    s = suspended()
    assert blocks([s], "registration", date(2013, 1, 31)) == []
    assert blocks([s], "registration", FEB) == [
        "registrations and claims suspended at this centre since 01/02/2013 by the external "
        "verifier: Assessment records missing for 12 candidates"
    ]
    assert len(blocks([s], Act.CLAIM, date(2014, 1, 1))) == 1


def test_lifting_restores_from_the_lift_date() -> None:
    s = suspended(lifted_on=MAY)
    assert blocks([s], Act.REGISTRATION, date(2013, 4, 30))
    assert blocks([s], Act.REGISTRATION, MAY) == []
    assert in_force([s], MAY) == []


def test_claims_suspension_leaves_registrations_alone() -> None:
    s = suspended(level=Level.CLAIMS_SUSPENDED)
    assert blocks([s], Act.REGISTRATION, MAY) == []
    assert blocks([s], Act.CLAIM, MAY) == [
        "certification claims suspended at this centre since 01/02/2013 by the external "
        "verifier: Assessment records missing for 12 candidates"
    ]


def test_action_plan_blocks_nothing_but_is_in_force() -> None:
    s = suspended(level=Level.ACTION_PLAN)
    assert blocks([s], Act.REGISTRATION, MAY) == blocks([s], Act.CLAIM, MAY) == []
    assert in_force([s], MAY) == [s]


def test_a_qualification_sanction_reaches_only_that_qualification() -> None:
    s = suspended(qualification="4430-04")
    assert blocks([s], Act.REGISTRATION, MAY, "4430-04") == [
        "registrations and claims suspended for 4430-04 at this centre since 01/02/2013 by "
        "the external verifier: Assessment records missing for 12 candidates"
    ]
    assert blocks([s], Act.REGISTRATION, MAY, "EDEXCEL-L3-NVQ-CS") == []
    assert blocks([suspended()], Act.REGISTRATION, MAY, "EDEXCEL-L3-NVQ-CS")


def test_most_severe_first() -> None:
    plan = suspended(level=Level.ACTION_PLAN, applied_on=date(2012, 1, 1))
    gone = suspended(level=Level.APPROVAL_WITHDRAWN, applied_on=MAY)
    assert in_force([plan, gone], MAY) == [gone, plan]


def test_lift_before_apply_is_refused() -> None:
    with pytest.raises(ValueError, match="before"):
        suspended(lifted_on=date(2013, 1, 1))


def test_risk_low_without_concerns_and_direct_claims_granted() -> None:
    rating = centre_risk(RiskInputs(open_points=2), MAY)
    assert rating.level is Risk.LOW
    granted = direct_claims(RiskInputs(open_points=2), MAY)
    assert granted.granted and granted.reasons == ("low risk and no sanction in force",)


def test_risk_medium_from_one_overdue_point_removes_direct_claims() -> None:
    inputs = RiskInputs(open_points=1, overdue_points=1)
    assert centre_risk(inputs, MAY).level is Risk.MEDIUM
    assert centre_risk(inputs, MAY).reasons == ("1 action point overdue",)
    status = direct_claims(inputs, MAY)
    assert not status.granted
    assert status.reasons == ("the centre is medium risk: 1 action point overdue",)


def test_risk_high_from_suspension_overdue_points_or_the_evs_rating() -> None:
    assert centre_risk(RiskInputs(sanctions=[suspended()]), MAY).level is Risk.HIGH
    assert centre_risk(RiskInputs(sanctions=[suspended()]), date(2013, 1, 1)).level is Risk.LOW
    assert centre_risk(RiskInputs(3, 3), MAY).level is Risk.HIGH
    high = centre_risk(RiskInputs(ev_rating=Risk.HIGH, ev_rated_on=FEB), MAY)
    assert high.reasons == ("the external verifier rated the centre high on 01/02/2013",)
    plan = centre_risk(RiskInputs(sanctions=[suspended(level=Level.ACTION_PLAN)]), MAY)
    assert plan.level is Risk.MEDIUM
    assert plan.reasons == (
        "Action plan in force since 01/02/2013: Assessment records missing for 12 candidates",
    )
    many = centre_risk(RiskInputs(open_points=5, overdue_points=1, ev_rating=Risk.MEDIUM), MAY)
    assert many.level is Risk.MEDIUM and len(many.reasons) == 3


def test_overdue_cannot_exceed_open() -> None:
    with pytest.raises(ValueError):
        RiskInputs(open_points=1, overdue_points=2)


# --- properties ---------------------------------------------------------------------------

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))
levels = st.sampled_from(list(Level))
quals = st.sampled_from(["", "4430-04", "EDEXCEL-L3-NVQ-CS"])


@st.composite
def sanctions(draw: st.DrawFn) -> Sanction:
    applied = draw(days)
    lifted = draw(st.none() | st.integers(0, 3000).map(lambda n: applied + timedelta(days=n)))
    return Sanction(draw(levels), applied, draw(st.text(min_size=1)), lifted, draw(quals))


@FAST
@given(applied=days, on=days, act=st.sampled_from(list(Act)), qual=quals)
def test_a_withdrawal_blocks_everything_from_its_date(
    applied: date, on: date, act: Act, qual: str
) -> None:
    s = Sanction(Level.APPROVAL_WITHDRAWN, applied, "Serious malpractice")
    assert bool(blocks([s], act, on, qual or None)) == (on >= applied)


@FAST
@given(st.lists(sanctions(), max_size=6), days, st.sampled_from(list(Act)))
def test_nothing_blocks_an_act_dated_before_every_sanction(
    found: list[Sanction], on: date, act: Act
) -> None:
    before = [s for s in found if on < s.applied_on]
    assert blocks(before, act, on) == []


@FAST
@given(st.lists(sanctions(), max_size=6), days, st.sampled_from(list(Act)))
def test_lifting_everything_on_a_day_restores_from_it(
    found: list[Sanction], on: date, act: Act
) -> None:
    lifted = [
        Sanction(s.level, s.applied_on, s.reason, min(s.lifted_on or on, on), s.qualification)
        for s in found
        if s.applied_on <= on
    ]
    assert blocks(lifted, act, on) == []


@FAST
@given(st.lists(sanctions(), max_size=6), days, st.sampled_from(list(Act)), quals)
def test_blocks_are_the_in_force_sanctions_whose_level_blocks_the_act(
    found: list[Sanction], on: date, act: Act, qual: str
) -> None:
    reasons = blocks(found, act, on, qual or None)
    expected = [s for s in in_force(found, on, qual or None) if act in LEVELS[s.level].blocks]
    assert len(reasons) == len(expected)
    assert all(s.reason.strip() in r for s, r in zip(expected, reasons, strict=True))


@FAST
@given(
    st.lists(sanctions(), max_size=4),
    st.integers(0, 8),
    st.integers(0, 8),
    st.none() | st.sampled_from(list(Risk)),
    days,
)
def test_direct_claims_only_low_risk_without_sanctions(
    found: list[Sanction], open_: int, overdue: int, ev: Risk | None, on: date
) -> None:
    inputs = RiskInputs(max(open_, overdue), overdue, found, ev)
    status = direct_claims(inputs, on)
    rating = centre_risk(inputs, on)
    assert status.granted == (rating.level is Risk.LOW and not in_force(found, on))
    assert rating.reasons  # every rating says why
    # Risk never falls when a sanction is added.
    worse = RiskInputs(
        inputs.open_points, overdue, [*found, Sanction(Level.CLAIMS_SUSPENDED, on, "x")], ev
    )
    assert centre_risk(worse, on).level is Risk.HIGH
    assert not direct_claims(worse, on).granted
