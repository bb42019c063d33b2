"""External verification's writes: visits with findings, risk and action points; action
points done; sanctions applied and lifted.

Every write checks the actor first (``access.py``), then every field, and changes nothing
when any is wrong (InvalidInput lists them all). Each write locks the centre, appends its record
to the centre's EQA chain (``records.py``) in the same transaction and tells the people it
concerns (``signals.py``; ``notifications/eqa.py`` listens). Applying and lifting a sanction ends or
blocks what a centre does, so each needs a visible reason and an explicit confirmation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction

from assay import clock
from assay.centres.models import Centre, Membership, QualificationApproval, Role
from assay.engines.dates import ddmmyyyy
from assay.engines.plausible import business_date_problem, reason_problem, text_problem
from assay.engines.text import visible
from assay.eqa import signals
from assay.eqa.access import require_centre, require_ev, require_ev_for
from assay.eqa.models import (
    ActionPoint,
    Mode,
    RiskLevel,
    Sanction,
    SanctionLevel,
    Visit,
    VisitStatus,
)
from assay.eqa.records import (
    POINT_FIELDS,
    SANCTION_FIELDS,
    VISIT_FIELDS,
    eqa_chain,
    point_entry,
    row_of,
)
from assay.errors import InvalidInput
from assay.records.services import record_append
from assay.users import User

TEXT_MAX = 20000
OWNER_ROLES = (Role.CENTRE_ADMIN, Role.LEAD_IQA, Role.INTERNAL_VERIFIER, Role.ASSESSOR, Role.TUTOR)
CONFIRM = "confirm: tick the box (or answer yes) once you have checked what it blocks"


@dataclass(frozen=True, slots=True)
class ActionPointInput:
    text: str
    owner: str  # the username of someone on the centre's staff
    due_on: dt.date


@dataclass(frozen=True, slots=True)
class VisitInput:
    on: dt.date
    mode: str
    status: str = VisitStatus.PLANNED
    sample_request: str = ""
    findings: str = ""
    risk: str = ""
    risk_reasons: str = ""
    action_points: Sequence[ActionPointInput] = field(default_factory=tuple)


def _date_error(errors: dict[str, str], name: str, day: dt.date, what: str) -> None:
    problem = business_date_problem(day, clock.today())
    if problem:
        errors[name] = f"the {what} {problem}"


def _text_error(errors: dict[str, str], name: str, text: str) -> None:
    if len(text) > TEXT_MAX:
        errors[name] = f"at most {TEXT_MAX} characters"
    elif problem := text_problem(text, multiline=True):
        errors[name] = problem


def _owners(centre: Centre, usernames: set[str]) -> dict[str, User]:
    """The staff of ``centre`` among ``usernames`` (one query)."""
    staff = Membership.objects.filter(centre=centre, active=True, role__in=OWNER_ROLES).values(
        "user_id"
    )
    users = get_user_model().objects.filter(username__in=usernames, pk__in=staff, is_active=True)
    return {u.get_username(): u for u in users}


def _visit_errors(centre: Centre, data: VisitInput) -> tuple[dict[str, str], dict[str, User]]:
    errors: dict[str, str] = {}
    _date_error(errors, "on", data.on, "visit date")
    if data.mode not in Mode.values:
        errors["mode"] = f"choose one of {', '.join(Mode.values)}"
    if data.status not in VisitStatus.values:
        errors["status"] = f"choose one of {', '.join(VisitStatus.values)}"
    for name in ("sample_request", "findings", "risk_reasons"):
        _text_error(errors, name, getattr(data, name))
    if data.risk and data.risk not in RiskLevel.values:
        errors["risk"] = f"choose one of {', '.join(RiskLevel.values)}"
    elif data.risk and "risk_reasons" not in errors:
        if problem := reason_problem(data.risk_reasons, "the reasons for the risk rating"):
            errors["risk_reasons"] = problem
    elif visible(data.risk_reasons):
        errors["risk"] = "choose the risk rating the reasons are for"
    if data.status == VisitStatus.DONE:
        if not visible(data.findings) and "findings" not in errors:
            errors["findings"] = "record the findings of a visit that took place"
        if not data.risk and "risk" not in errors:
            errors["risk"] = "rate the centre's risk after a visit"
        if "on" not in errors and data.on > clock.today():
            errors["on"] = f"a visit that took place is not dated after today ({data.on})"
    elif visible(data.findings) or data.risk or data.action_points:
        errors["status"] = "findings, a risk rating and action points come from a visit done"
    owners = _owners(centre, {p.owner.strip() for p in data.action_points})
    for n, point in enumerate(data.action_points, start=1):
        key = f"action_points.{n}"
        if not visible(point.text):
            errors[f"{key}.text"] = "say what must be done"
        else:
            _text_error(errors, f"{key}.text", point.text)
        if point.owner.strip() not in owners:
            errors[f"{key}.owner"] = (
                f"{point.owner.strip() or 'nobody'} is not on the staff of {centre.name}"
            )
        if problem := business_date_problem(point.due_on, clock.today()):
            errors[f"{key}.due_on"] = f"the due date {problem}"
        elif point.due_on < data.on:
            errors[f"{key}.due_on"] = (
                f"the due date {ddmmyyyy(point.due_on)} is before the visit ({ddmmyyyy(data.on)})"
            )
    return errors, owners


def visit_record(*, by: User, centre: Centre, data: VisitInput) -> Visit:
    """A visit planned (with its sample request) or done (with findings, a risk rating with
    reasons and any action points), by the centre's allocated external verifier."""
    require_ev(by, centre)
    errors, owners = _visit_errors(centre, data)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        _lock(centre)
        visit = Visit.objects.create(
            centre=centre,
            verifier=by,
            on=data.on,
            mode=data.mode,
            status=data.status,
            sample_request=data.sample_request.strip(),
            findings=data.findings.strip(),
            risk=data.risk,
            risk_reasons=data.risk_reasons.strip(),
        )
        points = _points(visit, data.action_points, owners)
        _chain_visit(by, visit, points, "visit_recorded")
        signals.visit_recorded.send(Visit, visit=visit, points=points, by=by)
    return visit


def visit_complete(
    *,
    by: User,
    visit: Visit,
    findings: str,
    risk: str,
    risk_reasons: str,
    action_points: Sequence[ActionPointInput] = (),
) -> Visit:
    """Record the findings, risk rating and action points of a planned visit once it has
    taken place (once: a visit done is not rewritten)."""
    require_ev(by, visit.centre)
    if visit.status != VisitStatus.PLANNED:
        raise InvalidInput({"visit": "this visit is already recorded as done"})
    data = VisitInput(
        on=visit.on,
        mode=visit.mode,
        status=VisitStatus.DONE,
        sample_request=visit.sample_request,
        findings=findings,
        risk=risk,
        risk_reasons=risk_reasons,
        action_points=action_points,
    )
    errors, owners = _visit_errors(visit.centre, data)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        _lock(visit.centre)
        updated = Visit.objects.filter(pk=visit.pk, status=VisitStatus.PLANNED).update(
            status=VisitStatus.DONE,
            findings=findings.strip(),
            risk=risk,
            risk_reasons=risk_reasons.strip(),
        )
        if not updated:
            raise InvalidInput({"visit": "this visit has just been recorded as done"})
        visit.refresh_from_db()
        points = _points(visit, action_points, owners)
        _chain_visit(by, visit, points, "visit_completed")
        signals.visit_recorded.send(Visit, visit=visit, points=points, by=by)
    return visit


def _lock(centre: Centre) -> None:
    """Hold the centre's row: its EQA chain takes one writer at a time."""
    Centre.objects.select_for_update().filter(pk=centre.pk).first()


def _points(
    visit: Visit, inputs: Sequence[ActionPointInput], owners: dict[str, User]
) -> list[ActionPoint]:
    return [
        ActionPoint.objects.create(
            visit=visit, text=p.text.strip(), owner=owners[p.owner.strip()], due_on=p.due_on
        )
        for p in inputs
    ]


def _chain_visit(by: User, visit: Visit, points: Sequence[ActionPoint], kind: str) -> None:
    record_append(
        eqa_chain(visit.centre_id),
        kind=kind,
        payload={
            "visit": visit.pk,
            "row": row_of(visit, VISIT_FIELDS),
            "action_points": [point_entry(p) for p in points],
        },
        by=by,
    )


def action_point_done(*, by: User, point: ActionPoint) -> ActionPoint:
    """Mark an action point done (once), by the centre's administrator or lead IQA."""
    centre = point.visit.centre
    require_centre(by, centre)
    with transaction.atomic():
        _lock(centre)
        updated = ActionPoint.objects.filter(pk=point.pk, done_at__isnull=True).update(
            done_at=clock.now(), done_by=by
        )
        if not updated:
            raise InvalidInput({"action_point": "this action point is already marked done"})
        point.refresh_from_db()
        record_append(
            eqa_chain(centre.pk),
            kind="action_point_done",
            payload={"point": point.pk, "row": row_of(point, POINT_FIELDS)},
            by=by,
        )
    return point


def _qualification_error(centre: Centre, code: str) -> str | None:
    if not code:
        return None
    if not QualificationApproval.objects.filter(centre=centre, qualification_code=code).exists():
        return f"{centre.name} holds no approval for {code}"
    return None


def sanction_apply(
    *,
    by: User,
    centre: Centre,
    level: str,
    reason: str,
    applied_on: dt.date,
    qualification_code: str = "",
    confirmed: bool = False,
) -> Sanction:
    """Apply a sanction from ``applied_on`` to the centre (or one qualification there)."""
    require_ev_for(by, centre, qualification_code.strip())
    errors: dict[str, str] = {}
    if level not in SanctionLevel.values:
        errors["level"] = f"choose one of {', '.join(SanctionLevel.values)}"
    if problem := reason_problem(reason, "the reason for the sanction"):
        errors["reason"] = problem
    elif len(reason) > TEXT_MAX:
        errors["reason"] = f"at most {TEXT_MAX} characters"
    _date_error(errors, "applied_on", applied_on, "date the sanction applies from")
    code = qualification_code.strip()
    if problem := _qualification_error(centre, code):
        errors["qualification_code"] = problem
    if not confirmed:
        errors["confirm"] = CONFIRM
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        _lock(centre)
        sanction = Sanction.objects.create(
            centre=centre,
            qualification_code=code,
            level=level,
            reason=reason.strip(),
            applied_on=applied_on,
            applied_by=by,
        )
        _chain_sanction(by, sanction, "sanction_applied")
        signals.sanction_changed.send(Sanction, sanction=sanction, by=by, lifted=False)
    return sanction


def _chain_sanction(by: User, sanction: Sanction, kind: str) -> None:
    record_append(
        eqa_chain(sanction.centre_id),
        kind=kind,
        payload={"sanction": sanction.pk, "row": row_of(sanction, SANCTION_FIELDS)},
        by=by,
    )


def sanction_lift(
    *, by: User, sanction: Sanction, lifted_on: dt.date, reason: str, confirmed: bool = False
) -> Sanction:
    """Lift a sanction from ``lifted_on`` (acts dated that day are no longer blocked)."""
    require_ev_for(by, sanction.centre, sanction.qualification_code)
    errors: dict[str, str] = {}
    if sanction.lifted_on is not None:
        raise InvalidInput({"sanction": f"lifted on {ddmmyyyy(sanction.lifted_on)} already"})
    if problem := reason_problem(reason, "the reason for lifting the sanction"):
        errors["reason"] = problem
    elif len(reason) > TEXT_MAX:
        errors["reason"] = f"at most {TEXT_MAX} characters"
    _date_error(errors, "lifted_on", lifted_on, "date the sanction is lifted from")
    if "lifted_on" not in errors and lifted_on < sanction.applied_on:
        errors["lifted_on"] = (
            f"the sanction applies from {ddmmyyyy(sanction.applied_on)}; "
            f"it cannot be lifted before ({ddmmyyyy(lifted_on)})"
        )
    if not confirmed:
        errors["confirm"] = CONFIRM
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        _lock(sanction.centre)
        updated = Sanction.objects.filter(pk=sanction.pk, lifted_on__isnull=True).update(
            lifted_on=lifted_on, lifted_by=by, lifted_at=clock.now(), lift_reason=reason.strip()
        )
        if not updated:
            raise InvalidInput({"sanction": "this sanction has just been lifted"})
        sanction.refresh_from_db()
        _chain_sanction(by, sanction, "sanction_lifted")
        signals.sanction_changed.send(Sanction, sanction=sanction, by=by, lifted=True)
    return sanction
