"""An audit's planned dates and its audit time per site (issue 15).

``plan_set`` stores a new version of the plan (opening and closing meetings, fieldwork days
per sampled office) after the engine's checks (``assay.engines.programme.plan``), records it
in the audit's chain and never edits an earlier version; ``plan_answer`` is the one read model
the audit page, the API and ``assay audits plan --json`` show: the dates and, for each sampled
office, its headcount and man-days with the engine's reasons (``assay.engines.programme.mandays``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence

from django.db import transaction
from pydantic import BaseModel, ConfigDict

from assay import clock
from assay.audits import permissions as perm
from assay.audits.models import (
    Audit,
    AuditKind,
    AuditPlan,
    AuditPlanVisit,
    AuditStatus,
    Office,
    SamplePick,
)
from assay.audits.records import PLANNED, audit_lock, audit_record, plan_fields, visit_fields
from assay.audits.selectors import audit_get
from assay.engines.dates import ddmmyyyy
from assay.engines.plausible import text_problem
from assay.engines.programme.mandays import audit_time, days_text
from assay.engines.programme.plan import PlanDates, plan_problems
from assay.errors import InvalidInput, NotAllowed
from assay.users import AnyUser, User

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_day(text: str) -> dt.date:
    """YYYY-MM-DD or DD/MM/YYYY; ValueError with a sentence otherwise."""
    value = text.strip()
    try:
        if _ISO.match(value):
            return dt.date.fromisoformat(value)
        if m := _UK.match(value):
            return dt.date(int(m[3]), int(m[2]), int(m[1]))
    except ValueError:
        pass
    raise ValueError(f"{text.strip()[:20]!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")


def parse_days(text: str) -> list[dt.date]:
    """Dates separated by commas or spaces ("2027-03-02, 2027-03-03")."""
    return [parse_day(part) for part in re.split(r"[,\s;]+", text.strip()) if part]


def may_plan(user: AnyUser, audit: Audit) -> bool:
    """The body's administrators and the audit's lead auditor plan its dates."""
    return perm.can_administer(user, audit.body_id) or perm.is_lead_auditor(user, audit)


def sampled_offices(audit: Audit) -> list[Office]:
    """The offices sampled for the audit, in the sample's order (none before it is drawn)."""
    picks = SamplePick.objects.filter(sample__audit_id=audit.pk).select_related("office")
    return [p.office for p in picks.order_by("position")]


def current_plan(audit: Audit) -> AuditPlan | None:
    return audit.plans.order_by("-version").first()


def plan_set(
    *,
    by: User,
    audit: Audit,
    opening_on: dt.date,
    closing_on: dt.date,
    fieldwork: Mapping[int, Sequence[dt.date]] | None = None,
    note: str = "",
) -> AuditPlan:
    """A new version of the audit's planned dates; refuses (nothing stored) a plan the engine
    finds wrong, fieldwork at an office not sampled, or a decided audit."""
    if not may_plan(by, audit):
        raise NotAllowed("only the body's administrators or the lead auditor plan the audit")
    if audit.status == AuditStatus.DECIDED:
        raise InvalidInput({"audit": "the audit is decided; its dates are history"})
    fieldwork = {k: list(v) for k, v in (fieldwork or {}).items() if v}
    if problem := text_problem(note, multiline=True):
        raise InvalidInput({"note": f"the note {problem}"})
    offices = {o.pk: o for o in sampled_offices(audit)}
    errors: dict[str, str] = {}
    strays = sorted(set(fieldwork) - set(offices))
    if strays:
        errors["fieldwork"] = (
            "draw the sample first: fieldwork is planned at sampled offices"
            if not offices
            else f"office(s) {', '.join(map(str, strays))} are not sampled for this audit"
        )
        raise InvalidInput(errors)
    dates = PlanDates(
        opening_on, closing_on, {offices[k].name: days for k, days in fieldwork.items()}
    )
    for p in plan_problems(dates, clock.today()):
        key = {"opening": "opening_on", "closing": "closing_on"}.get(p.field, "fieldwork")
        errors[key] = f"{errors[key]}; {p.text}" if key in errors else p.text
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        audit_lock(audit)
        last = current_plan(audit)
        plan = AuditPlan.objects.create(
            audit=audit,
            version=(last.version + 1) if last else 1,
            opening_on=opening_on,
            closing_on=closing_on,
            note=note.strip(),
            set_by_id=by.pk,
        )
        AuditPlanVisit.objects.bulk_create(
            AuditPlanVisit(plan=plan, office_id=office, on=day)
            for office, days in sorted(fieldwork.items())
            for day in sorted(set(days))
        )
        visits = list(plan.visits.order_by("pk"))
        audit_record(
            audit.pk,
            PLANNED,
            {"plan": plan_fields(plan), "visits": [visit_fields(v) for v in visits]},
            by,
        )
    return plan


# --- the read model ------------------------------------------------------------------------


class Answer(BaseModel):
    model_config = ConfigDict(frozen=True)


class AuditTimeReasonOut(Answer):
    code: str
    text: str


class AuditSiteTimeOut(Answer):
    office: int
    name: str
    state: str
    headcount: int | None
    fieldwork: list[dt.date]
    man_days: str  # "1.5", or "unknown"
    band: str | None
    reasons: list[AuditTimeReasonOut]


class AuditPlanOut(Answer):
    """An audit's plan: the dates (None before any plan) and the time at each sampled site."""

    audit: int
    version: int
    opening_on: dt.date | None
    closing_on: dt.date | None
    note: str
    set_by: str | None
    set_at: dt.datetime | None
    recertification: bool
    sites: list[AuditSiteTimeOut]
    total_man_days: str
    unknown_headcount: list[str]
    """Sampled offices whose headcount is unknown (the total leaves them out)."""


def plan_answer(audit: Audit) -> AuditPlanOut:
    plan = (
        AuditPlan.objects.filter(audit=audit)
        .select_related("set_by")
        .prefetch_related("visits")
        .order_by("-version")
        .first()
    )
    days: dict[int, list[dt.date]] = {}
    if plan is not None:
        for v in sorted(plan.visits.all(), key=lambda v: v.on):
            days.setdefault(v.office_id, []).append(v.on)
    recert = audit.kind == AuditKind.RECERTIFICATION
    sites, total, unknown = [], 0, []
    for office in sampled_offices(audit):
        t = audit_time(office.headcount, recertification=recert)
        if t.half_days is None:
            unknown.append(office.name)
        else:
            total += t.half_days
        sites.append(
            AuditSiteTimeOut(
                office=office.pk,
                name=office.name,
                state=office.state,
                headcount=office.headcount,
                fieldwork=days.get(office.pk, []),
                man_days=t.text,
                band=t.band.label if t.band else None,
                reasons=[AuditTimeReasonOut(code=r.code, text=r.text) for r in t.reasons],
            )
        )
    return AuditPlanOut(
        audit=audit.pk,
        version=plan.version if plan else 0,
        opening_on=plan.opening_on if plan else None,
        closing_on=plan.closing_on if plan else None,
        note=plan.note if plan else "",
        set_by=plan.set_by.get_username() if plan else None,
        set_at=plan.set_at if plan else None,
        recertification=recert,
        sites=sites,
        total_man_days=days_text(total),
        unknown_headcount=unknown,
    )


def audit_plan(user: AnyUser, pk: int) -> AuditPlanOut:
    """The plan of an audit ``user`` may see (NotFound otherwise)."""
    return plan_answer(audit_get(user, pk))


def plan_text(plan: AuditPlanOut) -> list[str]:
    """The plan as lines, for the CLI."""
    if plan.opening_on is None or plan.closing_on is None:
        lines = [f"audit {plan.audit}: no dates planned yet"]
    else:
        lines = [
            f"audit {plan.audit} plan v{plan.version}: opening {ddmmyyyy(plan.opening_on)}, "
            f"closing {ddmmyyyy(plan.closing_on)}"
        ]
    for s in plan.sites:
        when = ", ".join(ddmmyyyy(d) for d in s.fieldwork) or "no fieldwork day"
        lines.append(f"  {s.name} ({s.state}): {when}; {s.man_days} man-days")
        lines.extend(f"    {r.text}" for r in s.reasons)
    lines.append(f"total: {plan.total_man_days} man-days")
    if plan.unknown_headcount:
        lines.append(f"unknown headcount (not in the total): {', '.join(plan.unknown_headcount)}")
    return lines


def office_headcount_set(*, by: User, office: Office, headcount: int | None) -> Office:
    """Record an office's staff number (None: unknown); the body's administrators do."""
    if not perm.can_administer(by, office.organisation.body_id):
        raise NotAllowed("only the certifying body's administrators edit offices")
    if headcount is not None and not 0 <= headcount <= 1_000_000:
        raise InvalidInput({"headcount": "the headcount is a number of staff from 0 to 1000000"})
    office.headcount = headcount
    office.save(update_fields=["headcount"])
    return office
