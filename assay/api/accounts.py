"""Accounts endpoints: a centre's people and invitations; invite, resend, cancel; deactivate,
reactivate; revoke a role. Centre administrators (and the awarding body) only. A certifying
body's people and invitations, inviting and revoking a body role: the body's administrators
(and the operator) only.

A centre the caller may not see answers 404 exactly like a missing one; seeing it without
administering it answers 403 (ADR 0006). Every change needs a reason except cancelling an
invitation, and is appended to the account's history.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from assay.accounts import bodies, selectors
from assay.accounts.invitations import (
    InviteInput,
    body_invitation_send,
    invitation_cancel,
    invitation_resend,
    invitation_send,
)
from assay.accounts.shapes import account_dict, invitation_dict, membership_dict
from assay.accounts.standing import account_deactivate, account_reactivate, role_revoke
from assay.api import account_schemas as a
from assay.api import schemas as s
from assay.api.auth import AUTH, who

router = Router(tags=["accounts"], auth=AUTH)
ERRORS: dict[int, type[s.Error]] = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}
LIST_ERRORS: dict[int, type[s.Error]] = {400: s.Error, **ERRORS}
CENTRE = "centres/{centre_id}"


def _pages(found: selectors.CentreAccounts | bodies.BodyAccounts) -> dict[str, Any]:
    return {
        "people": found.people.map(account_dict),
        "invitations": found.invitations.map(lambda r: invitation_dict(r.invitation)),
    }


@router.get(f"{CENTRE}/accounts", response={200: a.CentreAccountsOut, **LIST_ERRORS})
def accounts(request: HttpRequest, centre_id: int, page: Query[a.AccountsQuery]) -> dict[str, Any]:
    """A page of the people who hold or held a role at the centre (by name) and a page of
    the invitations not yet accepted (newest first): ``cursor`` pages the people,
    ``invitations_cursor`` the invitations, ``size`` (1–200, default 50) both."""
    found = selectors.centre_accounts(
        who(request),
        centre_id,
        page.cursor,
        page.size,
        invitations_cursor=page.invitations_cursor,
    )
    return _pages(found)


@router.post(f"{CENTRE}/invitations", response={201: a.InvitationOut, **ERRORS})
def invite(request: HttpRequest, centre_id: int, body: a.InviteIn) -> Status[Any]:
    """Email a single-use link, good for 7 days, where the person chooses their password."""
    user = who(request)
    sent = invitation_send(
        by=user,
        centre=selectors.administered_centre(user, centre_id),
        data=InviteInput(
            email=body.email,
            role=body.role,
            first_name=body.first_name,
            last_name=body.last_name,
            registration_id=body.registration_id,
        ),
    )
    return Status(201, invitation_dict(sent.invitation, sent.link))


@router.post(
    f"{CENTRE}/invitations/{{invitation_id}}/resend", response={200: a.InvitationOut, **ERRORS}
)
def resend(request: HttpRequest, centre_id: int, invitation_id: int) -> dict[str, Any]:
    """A new link (the old one stops working), good for 7 days from now."""
    user = who(request)
    sent = invitation_resend(
        by=user, invitation=selectors.invitation_get(user, centre_id, invitation_id)
    )
    return invitation_dict(sent.invitation, sent.link)


@router.post(
    f"{CENTRE}/invitations/{{invitation_id}}/cancel", response={200: a.InvitationOut, **ERRORS}
)
def cancel(
    request: HttpRequest, centre_id: int, invitation_id: int, body: a.OptionalReasonIn
) -> dict[str, Any]:
    """The link stops working for good."""
    user = who(request)
    row = invitation_cancel(
        by=user,
        invitation=selectors.invitation_get(user, centre_id, invitation_id),
        reason=body.reason,
    )
    return invitation_dict(row)


@router.post(f"{CENTRE}/accounts/{{user_id}}/deactivate", response={200: a.AccountOut, **ERRORS})
def deactivate(
    request: HttpRequest, centre_id: int, user_id: int, body: a.ReasonIn
) -> dict[str, Any]:
    """The person can no longer sign in or use their tokens; never oneself, never a centre's
    last administrator."""
    user = who(request)
    person = account_deactivate(
        by=user, user=selectors.person_get(user, centre_id, user_id), reason=body.reason
    )
    return account_dict(person, [])


@router.post(f"{CENTRE}/accounts/{{user_id}}/reactivate", response={200: a.AccountOut, **ERRORS})
def reactivate(
    request: HttpRequest, centre_id: int, user_id: int, body: a.ReasonIn
) -> dict[str, Any]:
    """The person can sign in again with the roles they still hold."""
    user = who(request)
    person = account_reactivate(
        by=user, user=selectors.person_get(user, centre_id, user_id), reason=body.reason
    )
    return account_dict(person, [])


@router.post(f"{CENTRE}/roles/{{membership_id}}/revoke", response={200: a.RoleOut, **ERRORS})
def revoke(
    request: HttpRequest, centre_id: int, membership_id: int, body: a.ReasonIn
) -> dict[str, Any]:
    """Revoke one role at the centre (the row stays, inactive)."""
    user = who(request)
    row = role_revoke(
        by=user,
        membership=selectors.membership_get(user, centre_id, membership_id),
        reason=body.reason,
    )
    return membership_dict(row)


BODY = "bodies/{body_id}"


@router.get(f"{BODY}/accounts", response={200: a.BodyAccountsOut, **LIST_ERRORS})
def body_accounts(
    request: HttpRequest, body_id: int, page: Query[a.AccountsQuery]
) -> dict[str, Any]:
    """A page of the people who hold or held a role at the certifying body (by name) and a
    page of the invitations not yet accepted (newest first), paged as the centre's."""
    found = bodies.body_accounts(
        who(request), body_id, page.cursor, page.size, invitations_cursor=page.invitations_cursor
    )
    return _pages(found)


@router.post(f"{BODY}/invitations", response={201: a.InvitationOut, **ERRORS})
def body_invite(request: HttpRequest, body_id: int, body: a.BodyInviteIn) -> Status[Any]:
    """Email a single-use link, good for 7 days: the person joins the body as administrator,
    auditor or decision maker."""
    user = who(request)
    sent = body_invitation_send(
        by=user,
        body=bodies.administered_body(user, body_id),
        data=InviteInput(
            email=body.email,
            role=body.role,
            first_name=body.first_name,
            last_name=body.last_name,
        ),
    )
    return Status(201, invitation_dict(sent.invitation, sent.link))


@router.post(f"{BODY}/roles/{{membership_id}}/revoke", response={200: a.RoleOut, **ERRORS})
def body_revoke(
    request: HttpRequest, body_id: int, membership_id: int, body: a.ReasonIn
) -> dict[str, Any]:
    """Revoke one role at the body (the row stays, inactive); never one's own, never the
    body's last administrator."""
    user = who(request)
    row = bodies.body_role_revoke(
        by=user,
        membership=bodies.body_membership_get(user, body_id, membership_id),
        reason=body.reason,
    )
    return membership_dict(row)
