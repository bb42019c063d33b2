"""Writes and competence decisions for centres: approvals, roles, sites.

The A/V unit records and CPD of the people who work there are in ``people.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from assay import clock
from assay.centres.duties import refuse_role
from assay.centres.models import (
    ApprovalStatus,
    Centre,
    Competence,
    CompetenceRole,
    Membership,
    QualificationApproval,
    Role,
    Site,
)
from assay.centres.permissions import can_administer
from assay.engines.competence.deadlines import Competence as CompetenceDecision
from assay.engines.competence.deadlines import StaffRole, competence
from assay.errors import InvalidInput, NotAllowed
from assay.users import AnyUser, User

SITE_NAME_MAX = 200  # Site.name's max_length


def competence_decision(row: Competence, today: dt.date) -> CompetenceDecision:
    """The engine's status and deadline for one A/V unit record."""
    return competence(
        role=StaffRole(row.role),
        started_on=row.started_on,
        holds_unit=row.achieved_on is not None and row.achieved_on <= today,
        today=today,
    )


def competence_decisions(
    user: AnyUser, today: dt.date
) -> list[tuple[Competence, CompetenceDecision]]:
    """Each A/V unit record of the person with the engine's status and deadline."""
    if user.pk is None:
        return []
    return [
        (row, competence_decision(row, today)) for row in Competence.objects.filter(user_id=user.pk)
    ]


def can_take_new_candidates(user: AnyUser, today: dt.date) -> bool:
    """False when an assessor's A/V deadline has passed without the unit."""
    decisions = competence_decisions(user, today)
    return all(d.can_take_new_candidates for _, d in decisions)


def refuse_overdue_verifier(user: AnyUser, today: dt.date) -> None:
    """An external verifier past their V-unit deadline (12 months without the unit) is not
    allocated a centre: InvalidInput on ``username`` with the deadline's sentence."""
    for row, decision in competence_decisions(user, today):
        if row.role == CompetenceRole.EXTERNAL_VERIFIER and not decision.can_take_new_candidates:
            raise InvalidInput(
                {
                    "username": f"{user.get_username()} cannot be allocated a centre: "
                    f"{decision.message}"
                }
            )


@dataclass(frozen=True, slots=True)
class ApprovalInput:
    qualification_code: str
    status: str
    since: dt.date
    until: dt.date | None = None
    reason: str = ""


def approval_record(*, by: User, centre: Centre, approval: ApprovalInput) -> QualificationApproval:
    """A new approval decision (history: the previous ones stay)."""
    if not getattr(by, "is_superuser", False):
        raise NotAllowed("only the awarding body records centre approvals")
    if approval.status not in ApprovalStatus.values:
        raise InvalidInput({"status": f"choose one of {', '.join(ApprovalStatus.values)}"})
    if approval.until is not None and approval.until < approval.since:
        raise InvalidInput({"until": "the end date is before the start date"})
    if approval.status != ApprovalStatus.APPROVED and not approval.reason.strip():
        raise InvalidInput({"reason": "give the reason for a suspension or withdrawal"})
    return QualificationApproval.objects.create(
        centre=centre,
        qualification_code=approval.qualification_code,
        status=approval.status,
        since=approval.since,
        until=approval.until,
        reason=approval.reason,
        recorded_by_id=by.pk,
    )


def membership_grant(
    *,
    by: User,
    centre: Centre,
    user: User,
    role: str,
    qualification_code: str = "",
) -> Membership:
    """Grant ``role`` at ``centre``; refused for a candidate there (or a candidate role for
    someone on the staff there): separation of duties, ``assay.engines.accounts.duties``."""
    if not can_administer(by, centre):
        raise NotAllowed("only a centre administrator can grant roles")
    if role not in Role.values:
        raise InvalidInput({"role": f"unknown role {role!r}"})
    refuse_role(user, centre, role, field="username")
    if role == Role.EXTERNAL_VERIFIER:
        refuse_overdue_verifier(user, clock.today())
    membership, _ = Membership.objects.update_or_create(
        user=user,
        centre=centre,
        role=role,
        qualification_code=qualification_code,
        defaults={"active": True, "granted_by": by},
    )
    return membership


def site_add(*, by: User, centre: Centre, name: str, address: str = "") -> Site:
    """A new site where the centre assesses or trains (centre administrators)."""
    if not can_administer(by, centre):
        raise NotAllowed("only a centre administrator can add sites")
    name = name.strip()
    if not name:
        raise InvalidInput({"name": "name the site"})
    if len(name) > SITE_NAME_MAX:
        raise InvalidInput({"name": f"the name is longer than {SITE_NAME_MAX} characters"})
    if Site.objects.filter(centre=centre, name__iexact=name).exists():
        raise InvalidInput({"name": f"{centre.name} already has a site called {name!r}"})
    return Site.objects.create(centre=centre, name=name, address=address.strip())
