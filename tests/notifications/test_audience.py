"""The audience engine: hand-worked cases, and properties over random plans."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from assay.engines.notifications import Event, Plan, Recipient, audience

PLAN = Plan(candidate=1, assessors=(("401", 10), ("403", 11), ("405", None), ("412", 10)))


def users(recipients: tuple[Recipient, ...]) -> list[int]:
    return [r.user for r in recipients]


def test_new_evidence_goes_to_the_units_assessor_else_every_assessor() -> None:
    assert audience(Event.EVIDENCE_SUBMITTED, PLAN, ["403"], actor=1) == (
        Recipient(11, "you assess unit 403 for this candidate"),
    )
    assert audience(Event.EVIDENCE_SUBMITTED, PLAN, ["401", "412"], actor=1) == (
        Recipient(10, "you assess units 401, 412 for this candidate"),
    )
    everyone = audience(Event.EVIDENCE_SUBMITTED, PLAN, [], actor=1)
    assert users(everyone) == [10, 11]
    # A unit nobody assesses yet: every assessor on the plan rather than nobody.
    assert users(audience(Event.EVIDENCE_SUBMITTED, PLAN, ["405"], actor=1)) == [10, 11]


def test_judgements_go_to_the_candidate_reopening_also_to_the_units_assessor() -> None:
    assert audience(Event.EVIDENCE_JUDGED, PLAN, ["403"], actor=11) == (
        Recipient(1, "it is your portfolio"),
    )
    assert users(audience(Event.UNIT_REOPENED, PLAN, ["403"], actor=99)) == [1, 11]
    assert users(audience(Event.UNIT_REOPENED, PLAN, ["405"], actor=99)) == [1]
    assert users(audience(Event.WITNESS_CONFIRMED, PLAN, [])) == [1, 10, 11]


def test_a_candidate_without_a_sign_in_is_not_told() -> None:
    plan = Plan(candidate=None, assessors=(("403", 11),))
    assert audience(Event.EVIDENCE_JUDGED, plan, ["403"], actor=11) == ()


plans = st.builds(
    Plan,
    candidate=st.none() | st.integers(1, 6),
    assessors=st.lists(
        st.tuples(st.sampled_from(["401", "403", "405", "412"]), st.none() | st.integers(1, 6)),
        unique_by=lambda pair: pair[0],
    ).map(tuple),
)


@given(
    st.sampled_from(list(Event)),
    plans,
    st.sets(st.sampled_from(["401", "403", "405", "412"])),
    st.none() | st.integers(1, 6),
)
def test_only_people_of_the_plan_once_each_never_the_actor(
    event: Event, plan: Plan, units: set[str], actor: int | None
) -> None:
    got = audience(event, plan, units, actor)
    people = {plan.candidate} | {who for _, who in plan.assessors}
    assert actor not in users(got)
    assert len(set(users(got))) == len(got)
    assert set(users(got)) <= people - {None}
    assert all(r.reason for r in got)
    if event == Event.EVIDENCE_JUDGED:
        assert set(users(got)) <= {plan.candidate}
    if event == Event.EVIDENCE_SUBMITTED:
        assert plan.candidate not in users(got) or any(
            who == plan.candidate for _, who in plan.assessors
        )
    concerned = {who for number, who in plan.assessors if number in units and who is not None}
    if event in (Event.EVIDENCE_SUBMITTED, Event.UNIT_REOPENED, Event.WITNESS_CONFIRMED):
        assert concerned - {actor} <= set(users(got))
