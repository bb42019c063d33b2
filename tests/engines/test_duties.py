"""The separation-of-duties rule: nobody judges their own work, a candidate is nobody's staff."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assay.engines.accounts import duties
from assay.engines.accounts.duties import Standing

ROLES = sorted(duties.STAFF | {duties.CANDIDATE})
CANDIDATE = Standing(candidate=True)


@pytest.mark.parametrize("role", sorted(duties.STAFF))
def test_a_candidate_holds_no_staff_role_at_their_centre(role: str) -> None:
    refused = duties.may_hold_role(role=role, standing=CANDIDATE, name="cand1", place="North")
    assert not refused.allowed
    assert refused.reason == (
        "cand1 is a candidate at North: a candidate cannot hold a staff role at their own centre"
    )


@pytest.mark.parametrize("role", ROLES)
def test_anyone_else_may_hold_any_role(role: str) -> None:
    assert duties.may_hold_role(role=role, standing=Standing(), name="x", place="North").allowed


def test_a_candidate_may_be_granted_the_candidate_role_again() -> None:
    assert duties.may_hold_role(
        role="candidate", standing=CANDIDATE, name="cand1", place="North"
    ).allowed


@pytest.mark.parametrize("staff", sorted(duties.STAFF))
def test_staff_is_not_a_candidate_at_their_centre(staff: str) -> None:
    standing = Standing(staff_roles=frozenset({staff}))
    refused = duties.may_be_candidate(standing=standing, name="tutor", place="North")
    assert not refused.allowed
    assert refused.reason == (
        "tutor holds a staff role at North; a candidate needs a sign-in of their own"
    )
    via_grant = duties.may_hold_role(role="candidate", standing=standing, name="tutor", place="N")
    assert not via_grant.allowed


@pytest.mark.parametrize(
    ("duty", "label"), [("assessor", "assessor"), ("internal_verifier", "internal verifier")]
)
def test_nobody_is_assessor_or_verifier_of_their_own_registration(duty: str, label: str) -> None:
    refused = duties.may_take_duty(duty=duty, own_registration=True, name="cand1")
    assert not refused.allowed
    assert refused.reason == (
        f"cand1 is the candidate on this registration and cannot be their own {label}"
    )
    assert duties.may_take_duty(duty=duty, own_registration=False, name="ann").allowed


def test_nobody_acts_on_their_own_registration() -> None:
    refused = duties.may_act_on(own_registration=True)
    assert not refused.allowed and "cannot assess it" in refused.reason
    assert duties.may_act_on(own_registration=False).allowed


@given(st.lists(st.sampled_from(ROLES), max_size=12))
def test_no_sequence_of_allowed_grants_makes_a_candidate_staff(grants: list[str]) -> None:
    """Whatever order roles are asked for at one centre, the account never ends up both a
    candidate and staff there, and every refusal says why."""
    standing = Standing()
    for role in grants:
        decision = duties.may_hold_role(role=role, standing=standing, name="p", place="C")
        if not decision.allowed:
            assert decision.reason
            continue
        standing = Standing(
            candidate=standing.candidate or role == duties.CANDIDATE,
            staff_roles=standing.staff_roles | ({role} & duties.STAFF),
        )
        assert not (standing.candidate and standing.staff_roles)


@given(
    st.sampled_from(ROLES),
    st.booleans(),
    st.frozensets(st.sampled_from(sorted(duties.STAFF))),
)
def test_the_rule_is_exactly_the_reading(role: str, candidate: bool, staff: frozenset[str]) -> None:
    standing = Standing(candidate=candidate, staff_roles=staff)
    allowed = duties.may_hold_role(role=role, standing=standing, name="p", place="C").allowed
    refused = (role in duties.STAFF and candidate) or (role == duties.CANDIDATE and bool(staff))
    assert allowed is not refused
