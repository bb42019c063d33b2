"""A certifying body's accounts: the people who hold (or held) a role there, its invitations,
and revoking a body role. The body's administrators and the operator only.

As for centres (ADR 0006): a body the user holds no role at answers NotFound like a missing one;
one where they hold a role without administering it answers NotAllowed. Revoking keeps the
``BodyMembership`` row (inactive), needs a reason, is appended to the account's history
(``AccountEvent``), and follows the engine's ``may_remove``: never one's own role, never the
body's last administrator. People and invitations are keyset pages: one page costs a fixed
number of queries however many people and invitations there are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Prefetch

from assay.accounts.models import AccountEvent, AccountEventKind, Invitation
from assay.accounts.selectors import PEOPLE_ORDER, InvitationRow, invitation_rows
from assay.accounts.standing import reason_text
from assay.audits import permissions as perm
from assay.audits.models import BodyMembership, BodyRole, CertifyingBody
from assay.engines.accounts import rules
from assay.errors import InvalidInput, NotAllowed, NotFound
from assay.keyset import Page, paginate
from assay.users import AnyUser, User


@dataclass(frozen=True, slots=True)
class BodyAccounts:
    body: CertifyingBody
    people: Page[Any]  # users, each with ``body_roles`` (their roles here, active or not)
    invitations: Page[InvitationRow]  # not accepted: pending, expired and cancelled


def administered_body(user: AnyUser, body_id: int) -> CertifyingBody:
    """The body, if ``user`` administers it (NotFound / NotAllowed otherwise)."""
    body = CertifyingBody.objects.filter(pk=body_id).first()
    visible = body is not None and (
        perm.is_operator(user) or body_id in perm.body_ids_with_role(user, *BodyRole.values)
    )
    if body is None or not visible:
        raise NotFound(f"no certifying body {body_id}")
    if not perm.can_administer(user, body.pk):
        raise NotAllowed("only the certifying body's administrators can manage its accounts")
    return body


def body_accounts(
    user: AnyUser,
    body_id: int,
    cursor: str | None = None,
    size: int | str | None = None,
    *,
    invitations_cursor: str | None = None,
) -> BodyAccounts:
    """A page of the body's people (by name; ``cursor``) and a page of its invitations not
    yet accepted (newest first; ``invitations_cursor``), ``size`` rows each."""
    body = administered_body(user, body_id)
    here = BodyMembership.objects.filter(body=body).order_by("role", "pk")
    people = (
        get_user_model()
        .objects.filter(pk__in=BodyMembership.objects.filter(body=body).values("user_id"))
        .prefetch_related(Prefetch("body_memberships", queryset=here, to_attr="body_roles"))
    )
    invitations = Invitation.objects.filter(body=body, accepted_at__isnull=True).select_related(
        "invited_by"
    )
    return BodyAccounts(
        body=body,
        people=paginate(people, PEOPLE_ORDER, cursor, size),
        invitations=invitation_rows(invitations, invitations_cursor, size),
    )


def body_invitation_get(user: AnyUser, body_id: int, invitation_id: int) -> Invitation:
    body = administered_body(user, body_id)
    invitation = (
        Invitation.objects.select_related("body", "invited_by")
        .filter(pk=invitation_id, body=body)
        .first()
    )
    if invitation is None:
        raise NotFound(f"no invitation {invitation_id} at {body.name}")
    return invitation


def body_membership_get(user: AnyUser, body_id: int, membership_id: int) -> BodyMembership:
    body = administered_body(user, body_id)
    row = (
        BodyMembership.objects.select_related("user", "body")
        .filter(pk=membership_id, body=body)
        .first()
    )
    if row is None:
        raise NotFound(f"no role {membership_id} at {body.name}")
    return row


def body_role_revoke(*, by: User, membership: BodyMembership, reason: str) -> BodyMembership:
    """Take one role at one certifying body away (the row stays, inactive)."""
    if not perm.can_administer(by, membership.body_id):
        raise NotAllowed("only the certifying body's administrators can revoke its roles")
    text = reason_text(reason)
    if not membership.active:
        raise InvalidInput({"membership": "that role is already revoked"})
    removes_admin = membership.role == BodyRole.ADMINISTRATOR
    others = (
        BodyMembership.objects.filter(
            body_id=membership.body_id,
            role=BodyRole.ADMINISTRATOR,
            active=True,
            user__is_active=True,
        )
        .exclude(user_id=membership.user_id)
        .count()
        if removes_admin
        else 0
    )
    decision = rules.may_remove(
        actor_id=by.pk,
        target_id=membership.user_id,
        removes_admin=removes_admin,
        other_admins=others,
        place="certifying body",
    )
    if not decision.allowed:
        raise NotAllowed(decision.reason)
    with transaction.atomic():
        membership.active = False
        membership.save(update_fields=["active"])
        AccountEvent.objects.create(
            kind=AccountEventKind.ROLE_REVOKED,
            user_id=membership.user_id,
            body_id=membership.body_id,
            role=membership.role,
            by_id=by.pk,
            reason=text,
        )
    return membership
