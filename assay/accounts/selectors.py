"""Reads of a centre's accounts: the people who hold (or held) a role there, and its
invitations. Only centre administrators and the awarding body read them.

A centre the user may not see answers NotFound like a missing one; a centre they see without
administering it answers NotAllowed (ADR 0006). People and invitations are keyset pages
(``assay.keyset``, issue 12): one page costs a fixed number of queries however many people and
invitations there are (memberships prefetched, invitations with their inviter), and the centre
is narrowed before any cursor applies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet

from assay.accounts.invitations import state_of
from assay.accounts.models import Invitation
from assay.centres.models import Centre, Membership
from assay.centres.permissions import can_administer
from assay.engines.accounts.rules import InvitationState
from assay.errors import NotAllowed, NotFound
from assay.keyset import Page, paginate
from assay.registrations.dashboard import centre_get
from assay.users import AnyUser

PEOPLE_ORDER = ("last_name", "first_name", "username", "pk")
INVITATION_ORDER = ("-sent_at", "-pk")  # newest first


@dataclass(frozen=True, slots=True)
class InvitationRow:
    invitation: Invitation
    state: InvitationState


@dataclass(frozen=True, slots=True)
class CentreAccounts:
    centre: Centre
    people: Page[Any]  # users, each with ``centre_memberships`` (their roles here, active or not)
    invitations: Page[InvitationRow]  # not accepted: pending, expired and cancelled


def administered_centre(user: AnyUser, centre_id: int) -> Centre:
    """The centre, if ``user`` administers it (NotFound / NotAllowed otherwise)."""
    centre = centre_get(user, centre_id)
    if not can_administer(user, centre):
        raise NotAllowed("only a centre administrator can manage the centre's accounts")
    return centre


def invitation_rows(
    invitations: QuerySet[Invitation], cursor: str | None, size: int | str | None
) -> Page[InvitationRow]:
    """One page of invitations, newest first, each with its state."""
    found = paginate(invitations, INVITATION_ORDER, cursor, size)
    return found.map(lambda i: InvitationRow(i, state_of(i)))


def centre_accounts(
    user: AnyUser,
    centre_id: int,
    cursor: str | None = None,
    size: int | str | None = None,
    *,
    invitations_cursor: str | None = None,
) -> CentreAccounts:
    """A page of the centre's people (by name; ``cursor``) and a page of its invitations not
    yet accepted (newest first; ``invitations_cursor``), ``size`` rows each."""
    centre = administered_centre(user, centre_id)
    here = Membership.objects.filter(centre=centre).order_by("role", "qualification_code", "pk")
    people = (
        get_user_model()
        .objects.filter(pk__in=Membership.objects.filter(centre=centre).values("user_id"))
        .prefetch_related(Prefetch("memberships", queryset=here, to_attr="centre_memberships"))
    )
    invitations = Invitation.objects.filter(centre=centre, accepted_at__isnull=True).select_related(
        "invited_by", "registration__candidate"
    )
    return CentreAccounts(
        centre=centre,
        people=paginate(people, PEOPLE_ORDER, cursor, size),
        invitations=invitation_rows(invitations, invitations_cursor, size),
    )


def invitation_get(user: AnyUser, centre_id: int, invitation_id: int) -> Invitation:
    centre = administered_centre(user, centre_id)
    invitation = (
        Invitation.objects.select_related("centre", "invited_by")
        .filter(pk=invitation_id, centre=centre)
        .first()
    )
    if invitation is None:
        raise NotFound(f"no invitation {invitation_id} at centre {centre.number}")
    return invitation


def person_get(user: AnyUser, centre_id: int, user_id: int) -> Any:
    """Someone who holds or held a role at a centre ``user`` administers."""
    centre = administered_centre(user, centre_id)
    person = (
        get_user_model().objects.filter(pk=user_id, memberships__centre=centre).distinct().first()
    )
    if person is None:
        raise NotFound(f"no person {user_id} at centre {centre.number}")
    return person


def membership_get(user: AnyUser, centre_id: int, membership_id: int) -> Membership:
    centre = administered_centre(user, centre_id)
    row = (
        Membership.objects.select_related("user", "centre")
        .filter(pk=membership_id, centre=centre)
        .first()
    )
    if row is None:
        raise NotFound(f"no role {membership_id} at centre {centre.number}")
    return row
