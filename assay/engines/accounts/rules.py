"""Rules for invitations, deactivation and role revocation, with reasons.

Plain Python: the Django side passes plain facts (role names, ids, counts, datetimes) and gets
a ``Decision`` back, so every refusal carries the sentence the person will read.

* A centre administrator invites the people who work with the centre's candidates (tutors,
  assessors, internal verifiers, lead IQAs, employer contacts) and its candidates.
* Centre administrators and external verifiers are appointed by the awarding body (a
  superuser): the EV belongs to the awarding body, and a centre does not appoint its own
  administrators (approval of the centre is the awarding body's act).
* On a certifying body's side, its administrators (and the operator, a superuser) invite
  administrators, auditors and decision makers; nobody else invites to a body.
* An invitation is good for 7 days from when it was last sent, once.
* Nobody deactivates their own account or revokes their own role, and a centre (or a
  certifying body) never loses its last administrator.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

VALID_FOR = dt.timedelta(days=7)

CENTRE_INVITES = frozenset(
    {"tutor", "assessor", "internal_verifier", "lead_iqa", "employer_contact", "candidate"}
)
AWARDING_BODY_INVITES = CENTRE_INVITES | {"centre_admin", "external_verifier"}
BODY_INVITES = frozenset({"administrator", "auditor", "decision_maker"})


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    reason: str = ""


YES = Decision(True)


class InvitationState(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


def may_invite(*, role: str, awarding_body: bool, administers_centre: bool) -> Decision:
    """May someone invite a person into ``role`` at a centre?"""
    if awarding_body:
        if role in AWARDING_BODY_INVITES:
            return YES
        return Decision(False, f"there is no role {role!r} to invite someone to")
    if not administers_centre:
        return Decision(False, "only a centre administrator can invite people to the centre")
    if role in CENTRE_INVITES:
        return YES
    if role in AWARDING_BODY_INVITES:
        return Decision(
            False,
            "centre administrators and external verifiers are appointed by the awarding body",
        )
    return Decision(False, f"there is no role {role!r} to invite someone to")


def may_invite_to_body(*, role: str, operator: bool, administers_body: bool) -> Decision:
    """May someone invite a person into ``role`` at a certifying body?"""
    if not (operator or administers_body):
        return Decision(
            False, "only the certifying body's administrators can invite people to the body"
        )
    if role in BODY_INVITES:
        return YES
    return Decision(False, f"there is no role {role!r} at a certifying body to invite someone to")


def expires_at(sent_at: dt.datetime) -> dt.datetime:
    """When a link sent at ``sent_at`` stops working."""
    return sent_at + VALID_FOR


def invitation_state(
    *,
    expires: dt.datetime,
    accepted: dt.datetime | None,
    cancelled: dt.datetime | None,
    now: dt.datetime,
) -> InvitationState:
    """Accepted and cancelled are final; a pending link lapses at ``expires``."""
    if accepted is not None:
        return InvitationState.ACCEPTED
    if cancelled is not None:
        return InvitationState.CANCELLED
    if now >= expires:
        return InvitationState.EXPIRED
    return InvitationState.PENDING


def may_accept(state: InvitationState) -> Decision:
    """Why a link does not work any more (the same words for a reused or a cancelled link)."""
    if state is InvitationState.PENDING:
        return YES
    if state is InvitationState.EXPIRED:
        return Decision(
            False, "this invitation has expired: ask whoever invited you to send it again"
        )
    return Decision(False, "this invitation has already been used or was cancelled")


def may_resend_or_cancel(state: InvitationState) -> Decision:
    """Only an invitation nobody has used can be sent again or cancelled (expired ones too)."""
    if state in (InvitationState.PENDING, InvitationState.EXPIRED):
        return YES
    return Decision(False, f"the invitation is {state.value}")


def may_remove(
    *,
    actor_id: int,
    target_id: int,
    removes_admin: bool,
    other_admins: int,
    place: str = "centre",
) -> Decision:
    """Deactivating an account or revoking a role: never one's own, never a centre's (or a
    certifying body's, ``place="certifying body"``) last administrator (``other_admins``:
    active administrators there besides the target)."""
    if actor_id == target_id:
        return Decision(False, "you cannot deactivate your own account or revoke your own role")
    if removes_admin and other_admins < 1:
        return Decision(
            False, f"this is the {place}'s last administrator: appoint another one first"
        )
    return YES
