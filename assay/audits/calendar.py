"""The audit programme as people read it (issue 15): each client's certification cycle, the
body's month calendar and each auditor's iCalendar feed, all from the audits' latest plans.

Events are the opening meeting, each fieldwork day at a sampled office and the closing
meeting; their UIDs are stable (``audit-<id>-opening@assay`` and so on), so a calendar
application updates an event when its plan changes instead of adding another.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db.models import Prefetch, QuerySet
from icalendar import Calendar, Event
from pydantic import BaseModel, ConfigDict

from assay import clock
from assay.audits import permissions as perm
from assay.audits.models import (
    Audit,
    AuditorAssignment,
    AuditPlan,
    AuditPlanVisit,
    AuditStatus,
    BodyRole,
    CalendarFeedToken,
    CertifyingBody,
)
from assay.audits.selectors import audits_visible_to, body_get, organisation_get
from assay.engines.programme.calendar import month_grid
from assay.engines.programme.cycle import AuditFacts, programme
from assay.errors import InvalidInput, NotFound
from assay.users import AnyUser, User


class Answer(BaseModel):
    model_config = ConfigDict(frozen=True)


class AuditEventOut(Answer):
    uid: str
    day: dt.date
    kind: str  # opening | fieldwork | closing
    audit: int
    organisation: str
    office: str | None
    summary: str


def _with_plans(audits: QuerySet[Audit]) -> QuerySet[Audit]:
    plans = AuditPlan.objects.order_by("-version").prefetch_related(
        Prefetch("visits", queryset=AuditPlanVisit.objects.select_related("office"))
    )
    return audits.select_related("organisation", "certificate").prefetch_related(
        Prefetch("plans", queryset=plans)
    )


def _latest(audit: Audit) -> AuditPlan | None:
    plans = list(audit.plans.all())  # prefetched, newest first
    return plans[0] if plans else None


def events_of(audit: Audit) -> list[AuditEventOut]:
    plan = _latest(audit)
    if plan is None:
        return []
    org = audit.organisation.name
    out = [
        AuditEventOut(
            uid=f"audit-{audit.pk}-opening@assay",
            day=plan.opening_on,
            kind="opening",
            audit=audit.pk,
            organisation=org,
            office=None,
            summary=f"Opening meeting: audit {audit.pk} of {org}",
        )
    ]
    for v in sorted(plan.visits.all(), key=lambda v: (v.on, v.office.name)):
        out.append(
            AuditEventOut(
                uid=f"audit-{audit.pk}-fieldwork-{v.office_id}-{v.on:%Y%m%d}@assay",
                day=v.on,
                kind="fieldwork",
                audit=audit.pk,
                organisation=org,
                office=v.office.name,
                summary=f"Fieldwork at {v.office.name}: audit {audit.pk} of {org}",
            )
        )
    out.append(
        AuditEventOut(
            uid=f"audit-{audit.pk}-closing@assay",
            day=plan.closing_on,
            kind="closing",
            audit=audit.pk,
            organisation=org,
            office=None,
            summary=f"Closing meeting: audit {audit.pk} of {org}",
        )
    )
    return out


# --- the programme of one client -----------------------------------------------------------


class AuditCycleRowOut(Answer):
    chain: int
    year: int
    kind: str
    audit: int | None
    state: str
    due_by: dt.date | None
    overdue: bool
    opening_on: dt.date | None
    closing_on: dt.date | None
    scope: str
    reason: str


class AuditProgrammeOut(Answer):
    organisation: int
    name: str
    today: dt.date
    rows: list[AuditCycleRowOut]


def programme_answer(user: AnyUser, organisation_id: int) -> AuditProgrammeOut:
    """The client's audits per cycle year (those ``user`` may see), and the next
    re-certification due; NotFound for an organisation ``user`` may not see."""
    org = organisation_get(user, organisation_id)
    audits = list(_with_plans(audits_visible_to(user).filter(organisation=org)))
    facts = []
    for a in audits:
        plan = _latest(a)
        cert = getattr(a, "certificate", None)
        facts.append(
            AuditFacts(
                id=a.pk,
                kind=a.kind,
                previous=a.previous_id,
                decided=a.status == AuditStatus.DECIDED,
                opening_on=plan.opening_on if plan else None,
                closing_on=plan.closing_on if plan else None,
                issued_on=cert.issued_on if cert is not None else None,
                scope=a.scope_text,
            )
        )
    rows = programme(facts, clock.today())
    return AuditProgrammeOut(
        organisation=org.pk,
        name=org.name,
        today=clock.today(),
        rows=[AuditCycleRowOut.model_validate(r, from_attributes=True) for r in rows],
    )


# --- the body's month calendar ---------------------------------------------------------------


class AuditCalendarDayOut(Answer):
    day: dt.date
    in_month: bool
    events: list[AuditEventOut]


class AuditCalendarOut(Answer):
    body: int
    year: int
    month: int
    previous: str  # "2027-02"
    next: str
    weeks: list[list[AuditCalendarDayOut]]


def month_of(text: str | None) -> tuple[int, int]:
    """ "2027-03" -> (2027, 3); None: this month. Refuses a month centuries away."""
    today = clock.today()
    if not text:
        return today.year, today.month
    try:
        year, month = (int(p) for p in text.split("-"))
        dt.date(year, month, 1)
    except ValueError:
        raise InvalidInput({"month": f"{text[:20]!r} is not a month (YYYY-MM)"}) from None
    if abs(year - today.year) > 5:
        raise InvalidInput({"month": "the calendar shows five years either side of today"})
    return year, month


def body_calendar(user: AnyUser, body_id: int, month: str | None = None) -> AuditCalendarOut:
    """The body's audits in a month: its administrators and decision makers see every audit,
    an auditor those assigned to them (others: NotFound, like a missing body)."""
    body: CertifyingBody = body_get(user, body_id)
    if not (
        perm.is_operator(user)
        or perm.body_ids_with_role(
            user, BodyRole.ADMINISTRATOR, BodyRole.DECISION_MAKER, BodyRole.AUDITOR
        )
        & {body.pk}
    ):
        raise NotFound(f"no certifying body {body_id}")
    year, mon = month_of(month)
    first = dt.date(year, mon, 1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    audits = _with_plans(
        audits_visible_to(user).filter(
            body=body,
            plans__opening_on__lte=last + dt.timedelta(days=7),
            plans__closing_on__gte=first - dt.timedelta(days=7),
        )
    ).distinct()
    by_day: dict[dt.date, list[AuditEventOut]] = {}
    for audit in audits:
        for e in events_of(audit):
            by_day.setdefault(e.day, []).append(e)
    grid = month_grid(year, mon, by_day)
    prev_month = first - dt.timedelta(days=1)
    next_month = last + dt.timedelta(days=1)
    return AuditCalendarOut(
        body=body.pk,
        year=year,
        month=mon,
        previous=f"{prev_month:%Y-%m}",
        next=f"{next_month:%Y-%m}",
        weeks=[
            [
                AuditCalendarDayOut(day=d.day, in_month=d.in_month, events=list(d.events))
                for d in week
            ]
            for week in grid
        ],
    )


# --- an auditor's iCalendar feed -------------------------------------------------------------


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_token_make(*, by: User) -> str:
    """A new secret for ``by``'s feed address (the old one stops working); shown once."""
    if not by.is_authenticated:
        raise NotFound("no feed")
    token = secrets.token_urlsafe(24)
    CalendarFeedToken.objects.update_or_create(
        user_id=by.pk, defaults={"digest": _digest(token), "created_at": clock.now()}
    )
    return token


def feed_user(token: str) -> User | None:
    """Whose feed ``token`` opens (None: nobody's)."""
    if not token or len(token) > 100:
        return None
    row = (
        CalendarFeedToken.objects.filter(digest=_digest(token), user__is_active=True)
        .select_related("user")
        .first()
    )
    return row.user if row is not None else None


def feed_events(user: AnyUser) -> list[AuditEventOut]:
    """The events of the audits ``user`` is assigned to as an active auditor of the body."""
    if not user.is_authenticated:
        return []
    bodies = perm.body_ids_with_role(user, BodyRole.AUDITOR)
    assigned = AuditorAssignment.objects.filter(auditor_id=user.pk, audit__body_id__in=bodies)
    audits = _with_plans(Audit.objects.filter(pk__in=assigned.values("audit_id")))
    return [e for a in audits.order_by("pk") for e in events_of(a)]


def feed_ics(user: AnyUser) -> bytes:
    """The iCalendar document of ``user``'s own assignments: all-day events."""
    cal = Calendar()
    cal.add("prodid", "-//Assay//Audit programme//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Assay audits")
    stamp = clock.now()
    for e in feed_events(user):
        ev = Event()
        ev.add("uid", e.uid)
        ev.add("dtstamp", stamp)
        ev.add("dtstart", e.day)
        ev.add("dtend", e.day + dt.timedelta(days=1))
        ev.add("summary", e.summary)
        ev.add("categories", [e.kind])
        cal.add_component(ev)
    return cal.to_ical()
