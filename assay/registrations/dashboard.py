"""Reads for a centre's dashboard: which centres a person sees, and the figures of one.

Everything is narrowed to what the user may see: centres through ``centres_visible_to``
(a centre outside it is NotFound, exactly like a missing one) and candidate counts through
``registrations_visible_to`` (an assessor counts only their own candidates).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet

from assay import clock
from assay.centres.models import (
    Centre,
    Competence,
    CpdEntry,
    Membership,
    QualificationApproval,
    Role,
    Site,
)
from assay.centres.permissions import AnyUser, can_administer, centres_visible_to, roles_at
from assay.centres.services import competence_decisions
from assay.engines.competence.deadlines import Competence as Decision
from assay.engines.competence.deadlines import CompetenceStatus
from assay.engines.entry.rules import approval_problem
from assay.errors import NotFound
from assay.registrations.expiry import due_to_expire_count
from assay.registrations.facts import current_approval
from assay.registrations.models import Registration, Status
from assay.registrations.selectors import refusals_at, registrations_visible_to
from assay.registrations.shapes import iso, person

STAFF_WITH_DEADLINES = (
    Role.ASSESSOR,
    Role.INTERNAL_VERIFIER,
    Role.LEAD_IQA,
    Role.EXTERNAL_VERIFIER,
)


def centre_get(user: AnyUser, pk: int) -> Centre:
    """A centre the user may see, or NotFound for missing and forbidden alike."""
    centre = centres_visible_to(user).filter(pk=pk).first()
    if centre is None:
        raise NotFound(f"no centre {pk}")
    return centre


def centre_find(user: AnyUser, key: str) -> Centre:
    """A visible centre by its awarding-body centre number, or else by its id."""
    visible = centres_visible_to(user)
    centre = visible.filter(number=key).first()
    if centre is None and key.isdigit():
        centre = visible.filter(pk=int(key)).first()
    if centre is None:
        raise NotFound(f"no centre {key!r}")
    return centre


def centre_summary(centre: Centre, user: AnyUser | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": centre.pk,
        "number": centre.number,
        "name": centre.name,
        "address": centre.address,
        "employer_direct_model": centre.employer_direct_model,
        "edm_approved_on": iso(centre.edm_approved_on),
        "roles": sorted(roles_at(user, centre)) if user is not None else [],
    }
    return data


def centre_list(user: AnyUser) -> list[dict[str, Any]]:
    """Every centre the user may open, with the roles they hold there."""
    return [centre_summary(c, user) for c in centres_visible_to(user)]


def centre_dashboard(user: AnyUser, centre: Centre, today: dt.date | None = None) -> dict[str, Any]:
    """Candidates by status, approvals per qualification, sites, staff A/V deadlines, and for
    administrators the refusals logged and the registrations due to expire."""
    on = today or clock.today()
    staff = _staff(centre, on)
    warnings = [
        f"{member['person']['name']}: {state['message']}"
        for member in staff
        for state in member["competence"]
        if state["status"] in (CompetenceStatus.DUE_SOON, CompetenceStatus.OVERDUE)
    ]
    refusals = refusals_at(user, centre)
    admin = can_administer(user, centre)
    return {
        "centre": centre_summary(centre, user),
        "today": on.isoformat(),
        "registrations": _counts(user, centre),
        "approvals": _approvals(centre, on),
        "sites": [site_dict(site) for site in centre.sites.all()],
        "staff": staff,
        "warnings": warnings,
        "refusals": refusals.count(),
        "due_to_expire": due_to_expire_count(centre, on) if admin else 0,
    }


def _counts(user: AnyUser, centre: Centre) -> dict[str, Any]:
    rows = (
        registrations_visible_to(user)
        .filter(centre=centre)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
    )
    by_status = {status: 0 for status in Status.values}
    for row in rows:
        by_status[row["status"]] = row["n"]
    return {"total": sum(by_status.values()), "by_status": by_status}


def _approvals(centre: Centre, on: dt.date) -> list[dict[str, Any]]:
    history: dict[str, list[QualificationApproval]] = defaultdict(list)
    for row in QualificationApproval.objects.filter(centre=centre).select_related("recorded_by"):
        history[row.qualification_code].append(row)
    result = []
    for code in sorted(history):
        rows = history[code]
        started = [r for r in rows if r.since <= on]
        current = max(started, key=lambda r: (r.since, r.recorded_at, r.pk), default=None)
        in_force = approval_problem(current_approval(centre, code, on), code, on) is None
        result.append(
            {
                "qualification": code,
                "status": current.status if current else None,
                "since": iso(current.since) if current else None,
                "until": iso(current.until) if current else None,
                "reason": current.reason if current else "",
                "in_force": in_force,
                "history": [
                    {
                        "status": r.status,
                        "since": iso(r.since),
                        "until": iso(r.until),
                        "reason": r.reason,
                        "recorded_by": r.recorded_by.get_username() if r.recorded_by else None,
                        "recorded_at": r.recorded_at.isoformat(),
                    }
                    for r in rows
                ],
            }
        )
    return result


def _staff(centre: Centre, on: dt.date) -> list[dict[str, Any]]:
    roles: dict[int, set[str]] = defaultdict(set)
    for user_id, role in Membership.objects.filter(
        centre=centre, active=True, role__in=STAFF_WITH_DEADLINES
    ).values_list("user_id", "role"):
        roles[user_id].add(role)
    users = get_user_model().objects.filter(pk__in=roles).order_by("last_name", "username")
    staff = []
    for member in users:
        states = [competence_state(row, d) for row, d in competence_decisions(member, on)]
        staff.append(
            {
                "person": person(member),
                "roles": sorted(roles[member.pk]),
                "competence": states,
                "can_take_new_candidates": all(s["can_take_new_candidates"] for s in states),
            }
        )
    return staff


def competence_state(row: Competence, decision: Decision) -> dict[str, Any]:
    """An A/V unit record with the engine's verdict on its deadline."""
    return {
        "id": row.pk,
        "role": row.role,
        "av_unit": row.av_unit,
        "started_on": iso(row.started_on),
        "achieved_on": iso(row.achieved_on),
        "status": str(decision.status),
        "deadline": iso(decision.deadline),
        "days_left": decision.days_left,
        "can_take_new_candidates": decision.can_take_new_candidates,
        "message": decision.message,
    }


def cpd_dict(entry: CpdEntry) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "person": person(entry.user),
        "on": iso(entry.on),
        "hours": float(entry.hours),
        "activity": entry.activity,
        "recorded_at": entry.recorded_at.isoformat(),
    }


def site_dict(site: Site) -> dict[str, Any]:
    return {"id": site.pk, "name": site.name, "address": site.address}


def centre_candidates(user: AnyUser, centre: Centre) -> QuerySet[Registration]:
    """The registrations at ``centre`` the user may see (list, export), candidates prefetched."""
    return (
        registrations_visible_to(user)
        .filter(centre=centre)
        .prefetch_related("candidate__held")
        .order_by("candidate__last_name", "candidate__first_name", "pk")
    )
