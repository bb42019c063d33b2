"""Accounts linked to a candidate: their own sign-in, and their employer's contact.

A candidate who signs in sees only their own record (``permissions.registration_filter``), so an
account can be the sign-in of one candidate only, and never of someone on the centre's staff
(who would see the whole centre as well). The employer contact follows the candidate's
progress and signs the learning contract; they must hold the employer contact role at the
candidate's centre. Centre administrators set both; refusals change nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from assay.centres.duties import refuse_candidate
from assay.centres.models import Role
from assay.centres.permissions import can_administer, roles_at
from assay.errors import InvalidInput, NotAllowed
from assay.registrations.models import Candidate
from assay.users import User


def user_by_id(pk: int, field: str = "user_id") -> Any:
    """The account with id ``pk``, or InvalidInput naming ``field`` (for the API's bodies)."""
    user = get_user_model().objects.filter(pk=pk).first()
    if user is None:
        raise InvalidInput({field: f"there is no user {pk}"})
    return user


def candidate_account_link(*, by: User, candidate: Candidate, user: User) -> Candidate:
    """Make ``user`` the candidate's sign-in (replacing any earlier one)."""
    centre = candidate.centre
    if not can_administer(by, centre):
        raise NotAllowed("only a centre administrator can link a candidate's sign-in")
    name = user.get_username()
    if not user.is_active:
        raise InvalidInput({"user": f"the account {name} is disabled"})
    if Candidate.objects.filter(user_id=user.pk).exclude(pk=candidate.pk).exists():
        raise InvalidInput({"user": f"{name} is already the sign-in of another candidate"})
    refuse_candidate(user, centre)  # separation of duties: no staff role here
    if candidate.user_id != user.pk:
        candidate.user = user
        candidate.save(update_fields=["user"])
    return candidate


def candidate_employer_contact_set(
    *, by: User, candidate: Candidate, user: User | None
) -> Candidate:
    """Name the employer's contact for the candidate (None: no contact)."""
    centre = candidate.centre
    if not can_administer(by, centre):
        raise NotAllowed("only a centre administrator can set a candidate's employer contact")
    if user is not None and Role.EMPLOYER_CONTACT not in roles_at(user, centre):
        raise InvalidInput(
            {"user": f"{user.get_username()} is not an employer contact at {centre.name}"}
        )
    candidate.employer_contact = user
    candidate.save(update_fields=["employer_contact"])
    return candidate
