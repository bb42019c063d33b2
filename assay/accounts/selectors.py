"""Reads of a centre's accounts: the people who hold (or held) a role there, and its
invitations. Only centre administrators and the awarding body read them.

A centre the user may not see answers NotFound like a missing one; a centre they see without
administering it answers NotAllowed (ADR 0006). One page costs a fixed number of queries
however many people it lists (memberships prefetched, invitations with their inviter).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch

from assay.accounts.invitations import state_of
from assay.accounts.models import Invitation
from assay.centres.models import Centre, Membership
from assay.centres.permissions import can_administer
from assay.engines.accounts.rules import InvitationState
from assay.errors import NotAllowed, NotFound
from assay.registrations.dashboard import centre_get
from assay.users import AnyUser

PER_PAGE = 25


@dataclass(frozen=True, slots=True)
class InvitationRow:
    invitation: Invitation
    state: InvitationState


@dataclass(frozen=True, slots=True)
class CentreAccounts:
    centre: Centre
    people: Page  # users, each with ``centre_memberships`` (their roles here, active or not)
    invitations: list[InvitationRow]  # not accepted: pending, expired and cancelled


def administered_centre(user: AnyUser, centre_id: int) -> Centre:
    """The centre, if ``user`` administers it (NotFound / NotAllowed otherwise)."""
    centre = centre_get(user, centre_id)
    if not can_administer(user, centre):
        raise NotAllowed("only a centre administrator can manage the centre's accounts")
    return centre


def centre_accounts(user: AnyUser, centre_id: int, page: int | str | None = 1) -> CentreAccounts:
    centre = administered_centre(user, centre_id)
    here = Membership.objects.filter(centre=centre).order_by("role", "qualification_code")
    people = (
        get_user_model()
        .objects.filter(memberships__centre=centre)
        .distinct()
        .order_by("last_name", "first_name", "username")
        .prefetch_related(Prefetch("memberships", queryset=here, to_attr="centre_memberships"))
    )
    invitations = (
        Invitation.objects.filter(centre=centre, accepted_at__isnull=True)
        .select_related("invited_by", "registration__candidate")
        .order_by("-sent_at", "-pk")[:100]
    )
    return CentreAccounts(
        centre=centre,
        people=Paginator(people, PER_PAGE).get_page(page),
        invitations=[InvitationRow(i, state_of(i)) for i in invitations],
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
