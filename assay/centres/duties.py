"""The facts the separation-of-duties rule needs, read from the database.

Centres stand below registrations, so the candidate link is read through the user model's
reverse relations (``candidate``, ``candidate__registrations``) rather than by importing the
registrations app. The rule itself is ``assay.engines.accounts.duties``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Q

from assay.centres.models import Centre, Membership, Role
from assay.engines.accounts import duties
from assay.errors import InvalidInput
from assay.users import AnyUser


def standing_at(user: AnyUser, centre: Centre) -> duties.Standing:
    """Whether ``user`` is a candidate at ``centre`` and which staff roles it holds there."""
    if user.pk is None:
        return duties.Standing()
    roles = set(
        Membership.objects.filter(user_id=user.pk, centre=centre, active=True).values_list(
            "role", flat=True
        )
    )
    candidate = Role.CANDIDATE in roles or (
        get_user_model()
        .objects.filter(pk=user.pk)
        .filter(Q(candidate__centre=centre) | Q(candidate__registrations__centre=centre))
        .exists()
    )
    return duties.Standing(candidate=candidate, staff_roles=frozenset(roles & duties.STAFF))


def refuse_role(user: AnyUser, centre: Centre, role: str, field: str = "user") -> None:
    """InvalidInput on ``field`` if ``user`` may not hold ``role`` at ``centre``."""
    decision = duties.may_hold_role(
        role=role,
        standing=standing_at(user, centre),
        name=user.get_username(),
        place=centre.name,
    )
    if not decision.allowed:
        raise InvalidInput({field: decision.reason})


def refuse_candidate(user: AnyUser, centre: Centre, field: str = "user") -> None:
    """InvalidInput on ``field`` if ``user`` may not be a candidate's sign-in at ``centre``."""
    decision = duties.may_be_candidate(
        standing=standing_at(user, centre), name=user.get_username(), place=centre.name
    )
    if not decision.allowed:
        raise InvalidInput({field: decision.reason})
