"""The JSON shapes of accounts and invitations, shared by the API and ``assay user --json``."""

from __future__ import annotations

from typing import Any

from assay.accounts.invitations import state_of
from assay.accounts.models import Invitation
from assay.audits.models import BodyMembership
from assay.centres.models import Membership
from assay.users import User


def invitation_dict(invitation: Invitation, link: str | None = None) -> dict[str, Any]:
    data = {
        "id": invitation.pk,
        "centre_id": invitation.centre_id,
        "body_id": invitation.body_id,
        "email": invitation.email,
        "first_name": invitation.first_name,
        "last_name": invitation.last_name,
        "role": invitation.role,
        "registration_id": invitation.registration_id,
        "state": str(state_of(invitation)),
        "sent_at": invitation.sent_at.isoformat(),
        "expires_at": invitation.expires_at.isoformat(),
        "invited_by": invitation.invited_by.get_username(),
    }
    if link is not None:
        data["link"] = link
    return data


def membership_dict(row: Membership | BodyMembership) -> dict[str, Any]:
    """A centre role, or a certifying body's (which has no qualification code)."""
    return {
        "id": row.pk,
        "role": row.role,
        "qualification_code": getattr(row, "qualification_code", ""),
        "active": row.active,
    }


def account_dict(
    user: User, memberships: list[Membership] | list[BodyMembership] | None = None
) -> dict[str, Any]:
    rows: Any = memberships
    if rows is None:  # prefetched by the centre's or the body's accounts selector
        rows = getattr(user, "centre_memberships", None)
    if rows is None:
        rows = getattr(user, "body_roles", [])
    return {
        "id": user.pk,
        "username": user.get_username(),
        "name": user.get_full_name() or user.get_username(),
        "email": user.email,
        "active": user.is_active,
        "roles": [membership_dict(m) for m in rows],
    }
