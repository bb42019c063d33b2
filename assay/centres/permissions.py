"""Who may see and do what: named predicates and querysets narrowed to what a user may see.

Objects outside these querysets answer 404 exactly like missing ones (ADR 0006).
Role summary:
* centre administrator — everything at their centre (register, plan, change status);
* lead IQA — reads the centre, reopens/changes status; internal verifier — the candidates
  they verify and those with a unit allocated to them in an IQA sample; assessor —
  candidates with a plan unit assigned to them; tutor — reads the centre's candidates;
  employer contact — their own employees; candidate — only themselves;
* external verifier — read-only, the centres assigned to them; nobody sees another centre.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from assay.centres.models import Centre, Membership, Role
from assay.users import AnyUser

CENTRE_WIDE = (Role.CENTRE_ADMIN, Role.LEAD_IQA, Role.TUTOR, Role.EXTERNAL_VERIFIER)
STAFF_ROLES = (
    Role.CENTRE_ADMIN,
    Role.TUTOR,
    Role.ASSESSOR,
    Role.INTERNAL_VERIFIER,
    Role.LEAD_IQA,
    Role.EXTERNAL_VERIFIER,
)


def _memberships(user: AnyUser) -> QuerySet[Membership]:
    """Active roles, less any staff role at a centre where the account is a candidate: the
    grant paths refuse that pairing (``centres/duties.py``); this keeps a pairing made before
    the rule, or by hand, from reading other candidates' records."""
    if not user.is_authenticated:
        return Membership.objects.none()
    own = _candidate_centres(user.pk)
    return Membership.objects.filter(user_id=user.pk, active=True).exclude(
        Q(role__in=(*STAFF_ROLES, Role.EMPLOYER_CONTACT)) & Q(centre_id__in=own)
    )


def _candidate_centres(user_id: int) -> QuerySet[Any, Any]:
    """Centres where ``user_id`` is a candidate (linked to a candidate there, registered
    there, or holding the candidate role), as a subquery without NULLs."""
    users = get_user_model().objects.filter(pk=user_id)
    linked = users.filter(candidate__centre__isnull=False).values("candidate__centre")
    registered = users.filter(candidate__registrations__centre__isnull=False).values(
        "candidate__registrations__centre"
    )
    role = Membership.objects.filter(user_id=user_id, role=Role.CANDIDATE, active=True).values(
        "centre_id"
    )
    return Centre.objects.filter(Q(pk__in=linked) | Q(pk__in=registered) | Q(pk__in=role)).values(
        "pk"
    )


def centre_ids_with_role(user: AnyUser, *roles: str) -> set[int]:
    return set(_memberships(user).filter(role__in=roles).values_list("centre_id", flat=True))


def roles_at(user: AnyUser, centre: Centre) -> set[str]:
    return set(_memberships(user).filter(centre=centre).values_list("role", flat=True))


def roles_at_each(user: AnyUser, centre_ids: Iterable[int]) -> dict[int, set[str]]:
    """``roles_at`` for several centres in one query (a page of centres)."""
    roles: dict[int, set[str]] = {pk: set() for pk in centre_ids}
    for centre_id, role in (
        _memberships(user).filter(centre_id__in=list(roles)).values_list("centre_id", "role")
    ):
        roles[centre_id].add(role)
    return roles


def centres_visible_to(user: AnyUser) -> QuerySet[Centre]:
    """Centres whose dashboard the user may open (staff roles only; never another centre)."""
    if user.is_authenticated and getattr(user, "is_superuser", False):
        return Centre.objects.all()
    return Centre.objects.filter(pk__in=centre_ids_with_role(user, *STAFF_ROLES))


def can_administer(user: AnyUser, centre: Centre) -> bool:
    """Register candidates, grant roles, record approvals and competence at this centre."""
    if user.is_authenticated and getattr(user, "is_superuser", False):
        return True
    return Role.CENTRE_ADMIN in roles_at(user, centre)


def can_change_status(user: AnyUser, centre: Centre) -> bool:
    """Change a registration's status or reopen a unit: a centre administrator or lead IQA
    (one read of the user's roles, not one per role)."""
    if user.is_authenticated and getattr(user, "is_superuser", False):
        return True
    return bool({Role.CENTRE_ADMIN, Role.LEAD_IQA} & roles_at(user, centre))


def registration_filter(user: AnyUser, *, employer: bool = True) -> Q:
    """A filter on Registration for everything ``user`` may read. ``employer=False`` leaves out
    what an employer contact reads only as the candidate's employer (an appeal, say, is between
    the candidate and the centre)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if getattr(user, "is_superuser", False):
        return Q()
    wide = centre_ids_with_role(user, *CENTRE_WIDE)
    verifying = centre_ids_with_role(user, Role.INTERNAL_VERIFIER, Role.LEAD_IQA)
    return (
        Q(centre_id__in=wide)
        | Q(
            plan_units__assessor_id=user.pk, centre_id__in=centre_ids_with_role(user, Role.ASSESSOR)
        )
        | Q(internal_verifier_id=user.pk, centre_id__in=verifying)
        # An IV allocated a unit in an IQA sample reads that registration (issue 13); the
        # relation is the verification app's ``SamplePick.registration`` (no import: centres
        # stand below both).
        | Q(iqa_picks__verifier_id=user.pk, centre_id__in=verifying)
        | Q(candidate__user_id=user.pk)
        | (
            Q(
                candidate__employer_contact_id=user.pk,
                centre_id__in=centre_ids_with_role(user, Role.EMPLOYER_CONTACT),
            )
            if employer
            else Q(pk__in=[])
        )
    )


def sees_all_registrations_at(user: AnyUser, centre: Centre) -> bool:
    """Whether ``registration_filter`` lets the user read every registration at ``centre``
    (the awarding body; a centre-wide role there): a list of that centre's registrations then
    needs no per-row visibility test."""
    if user.is_authenticated and getattr(user, "is_superuser", False):
        return True
    return bool(roles_at(user, centre) & set(CENTRE_WIDE))


def sees_personal_details(user: AnyUser, centre: Centre, candidate_user_id: int | None) -> bool:
    """Date of birth and phone: the candidate, the centre's staff and the awarding body. An
    employer contact sees only what they need to follow and sign (not these)."""
    if not user.is_authenticated:
        return False
    if getattr(user, "is_superuser", False) or candidate_user_id == user.pk:
        return True
    return bool(roles_at(user, centre) & set(STAFF_ROLES))
