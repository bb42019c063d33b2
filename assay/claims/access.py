"""Who sees and who acts on claims and certificates.

* the **centre administrator** of the registration's centre creates claims, submits batches
  and answers queries (lead IQAs and other staff do not claim);
* the **awarding body** (an active ``AwardingBodyStaff`` row) sees every claim once
  submitted, queries, requests an EV sample, approves, rejects, revokes and replaces;
* the centre's **allocated external verifier** sees its claims and records an EV sample's
  outcome;
* a certificate's PDF: the candidate, the staff of their centre who see the registration,
  and the awarding body.

Anyone else gets NotFound exactly as for a missing claim (ADR 0006); someone who sees a claim
but may not do the act gets NotAllowed.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from assay.centres.models import Centre, Role
from assay.centres.permissions import centre_ids_with_role, roles_at
from assay.errors import NotAllowed
from assay.users import AnyUser

from .models import AwardingBodyStaff, Claim, ClaimStatus

ADMIN_ONLY = "only the centre's administrator can claim certificates"
AB_ONLY = "only the awarding body can do this"
EV_ONLY = "only the external verifier allocated to this centre can record an EV sample"


def is_awarding_body(user: AnyUser) -> bool:
    if not user.is_authenticated:
        return False
    return AwardingBodyStaff.objects.filter(user_id=user.pk, active=True).exists()


def is_centre_admin(user: AnyUser, centre: Centre) -> bool:
    return user.is_authenticated and Role.CENTRE_ADMIN in roles_at(user, centre)


def is_centre_ev(user: AnyUser, centre: Centre) -> bool:
    return user.is_authenticated and Role.EXTERNAL_VERIFIER in roles_at(user, centre)


def claims_visible_to(user: AnyUser) -> QuerySet[Claim]:
    """The claims ``user`` may read: their centres' (administrator, lead IQA, allocated EV),
    and every claim past draft for the awarding body."""
    if not user.is_authenticated:
        return Claim.objects.none()
    centres = centre_ids_with_role(user, Role.CENTRE_ADMIN, Role.LEAD_IQA, Role.EXTERNAL_VERIFIER)
    visible = Q(centre_id__in=centres)
    if is_awarding_body(user):
        visible |= ~Q(status=ClaimStatus.DRAFT)
    return Claim.objects.filter(visible)


def require_admin(user: AnyUser, centre: Centre) -> None:
    if not is_centre_admin(user, centre):
        raise NotAllowed(ADMIN_ONLY)


def require_ab(user: AnyUser) -> None:
    if not is_awarding_body(user):
        raise NotAllowed(AB_ONLY)


def require_ev(user: AnyUser, centre: Centre) -> None:
    if not is_centre_ev(user, centre):
        raise NotAllowed(EV_ONLY)
