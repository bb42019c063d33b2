"""The account rules engine: who may invite whom, when a link lapses, who may be removed."""

from __future__ import annotations

import datetime as dt

import pytest

from assay.engines.accounts import rules
from assay.engines.accounts.homes import ROLE_HOME, HomeKind, nav_links

T0 = dt.datetime(2013, 3, 1, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize("role", sorted(rules.CENTRE_INVITES))
def test_a_centre_administrator_invites_centre_roles(role: str) -> None:
    assert rules.may_invite(role=role, awarding_body=False, administers_centre=True).allowed


@pytest.mark.parametrize("role", ["centre_admin", "external_verifier"])
def test_only_the_awarding_body_appoints_administrators_and_evs(role: str) -> None:
    refused = rules.may_invite(role=role, awarding_body=False, administers_centre=True)
    assert not refused.allowed and "awarding body" in refused.reason
    assert rules.may_invite(role=role, awarding_body=True, administers_centre=False).allowed


def test_someone_who_does_not_administer_the_centre_invites_nobody() -> None:
    refused = rules.may_invite(role="assessor", awarding_body=False, administers_centre=False)
    assert not refused.allowed and "centre administrator" in refused.reason


def test_unknown_roles_are_refused() -> None:
    assert not rules.may_invite(role="wizard", awarding_body=True, administers_centre=True).allowed


def test_a_link_lasts_seven_days_then_expires() -> None:
    expires = rules.expires_at(T0)
    assert expires == T0 + dt.timedelta(days=7)
    state = rules.invitation_state(expires=expires, accepted=None, cancelled=None, now=T0)
    assert state is rules.InvitationState.PENDING
    later = rules.invitation_state(expires=expires, accepted=None, cancelled=None, now=expires)
    assert later is rules.InvitationState.EXPIRED
    assert "expired" in rules.may_accept(later).reason


def test_accepted_and_cancelled_are_final() -> None:
    expires = rules.expires_at(T0)
    used = rules.invitation_state(expires=expires, accepted=T0, cancelled=None, now=T0)
    gone = rules.invitation_state(expires=expires, accepted=None, cancelled=T0, now=T0)
    assert used is rules.InvitationState.ACCEPTED and gone is rules.InvitationState.CANCELLED
    assert not rules.may_accept(used).allowed and not rules.may_accept(gone).allowed
    assert not rules.may_resend_or_cancel(used).allowed
    assert rules.may_resend_or_cancel(rules.InvitationState.EXPIRED).allowed


def test_never_yourself_never_the_last_administrator() -> None:
    assert not rules.may_remove(
        actor_id=1, target_id=1, removes_admin=False, other_admins=3
    ).allowed
    last = rules.may_remove(actor_id=1, target_id=2, removes_admin=True, other_admins=0)
    assert not last.allowed and "last administrator" in last.reason
    assert rules.may_remove(actor_id=1, target_id=2, removes_admin=True, other_admins=1).allowed


def test_every_centre_role_has_a_home_and_nav_follows_roles() -> None:
    assert ROLE_HOME["centre_admin"] is HomeKind.CENTRE
    assert ROLE_HOME["assessor"] is HomeKind.CASELOAD
    assert ROLE_HOME["candidate"] is HomeKind.PORTFOLIO
    assert ROLE_HOME["employer_contact"] is HomeKind.SIGNATURES
    assert nav_links(frozenset({"candidate"}), superuser=False, audit_roles=False) == {"portfolio"}
    assert nav_links(frozenset({"employer_contact"}), superuser=False, audit_roles=False) == {
        "signatures"
    }
    assert {"centres", "caseload"} <= nav_links(
        frozenset({"assessor"}), superuser=False, audit_roles=False
    )


def test_a_certifying_bodys_administrators_and_the_operator_invite_its_roles() -> None:
    for role in ["administrator", "auditor", "decision_maker"]:
        assert rules.may_invite_to_body(role=role, operator=False, administers_body=True).allowed
        assert rules.may_invite_to_body(role=role, operator=True, administers_body=False).allowed
    refused = rules.may_invite_to_body(role="auditor", operator=False, administers_body=False)
    assert refused == rules.Decision(
        False, "only the certifying body's administrators can invite people to the body"
    )
    unknown = rules.may_invite_to_body(role="assessor", operator=True, administers_body=True)
    assert not unknown.allowed and "no role 'assessor' at a certifying body" in unknown.reason


def test_a_certifying_body_never_loses_its_last_administrator() -> None:
    last = rules.may_remove(
        actor_id=1, target_id=2, removes_admin=True, other_admins=0, place="certifying body"
    )
    assert last.reason == (
        "this is the certifying body's last administrator: appoint another one first"
    )
