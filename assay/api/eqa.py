"""External verification endpoints: a centre's visits (paged), record a visit, apply and lift
a sanction.

The centre's administrator, lead IQA and allocated external verifier read; only the EV
writes (403 for the other readers); anyone else gets 404 as for a missing centre (ADR 0006).
Applying and lifting need ``"confirm": true`` and a visible reason; bad input answers 422 and
changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Status

from assay import clock
from assay.api import eqa_schemas as e
from assay.api import schemas as s
from assay.api.auth import AUTH, who
from assay.eqa import selectors
from assay.eqa.access import eqa_access
from assay.eqa.services import (
    ActionPointInput,
    VisitInput,
    sanction_apply,
    sanction_lift,
    visit_complete,
    visit_record,
)

router = Router(tags=["external verification"], auth=AUTH)
ERRORS: dict[int, type[s.Error]] = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}
LIST_ERRORS: dict[int, type[s.Error]] = {400: s.Error, **ERRORS}
EQA = "centres/{centre_id}/eqa"


@router.get(f"{EQA}/visits", response={200: e.VisitsOut, **LIST_ERRORS})
def visits(request: HttpRequest, centre_id: int, query: Query[s.PageQuery]) -> dict[str, Any]:
    """The centre's visits, newest first, a page at a time, each with its sample request,
    findings, risk rating and action points; and the centre's risk and direct claims today."""
    access = eqa_access(who(request), centre_id)
    page = selectors.eqa_page(access, clock.today(), query.cursor, query.size)
    return {
        "items": [e.VisitOut.of(v) for v in page.visits],
        "next": page.visits.next,
        "previous": page.visits.previous,
        "size": page.visits.size,
        "risk": page.risk.level,
        "risk_reasons": list(page.risk.reasons),
        "direct_claims": page.direct.granted,
        "direct_claims_reasons": list(page.direct.reasons),
    }


@router.post(f"{EQA}/visits", response={201: e.VisitOut, **ERRORS})
def add_visit(request: HttpRequest, centre_id: int, body: e.VisitIn) -> Status[Any]:
    """Record a visit (the allocated external verifier): planned, with the sample request the
    centre sees; or done, with findings, a risk rating with reasons and action points."""
    user = who(request)
    access = eqa_access(user, centre_id)
    visit = visit_record(
        by=user,
        centre=access.centre,
        data=VisitInput(
            on=body.on,
            mode=body.mode,
            status=body.status,
            sample_request=body.sample_request,
            findings=body.findings,
            risk=body.risk,
            risk_reasons=body.risk_reasons,
            action_points=tuple(
                ActionPointInput(p.text, p.owner, p.due_on) for p in body.action_points
            ),
        ),
    )
    return Status(201, e.VisitOut.of(visit))


@router.post(f"{EQA}/visits/{{visit_id}}/findings", response={200: e.VisitOut, **ERRORS})
def visit_findings(
    request: HttpRequest, centre_id: int, visit_id: int, body: e.FindingsIn
) -> dict[str, Any]:
    """Record a planned visit's findings, risk rating and action points once it took place
    (the allocated external verifier; once)."""
    user = who(request)
    access = eqa_access(user, centre_id)
    visit = visit_complete(
        by=user,
        visit=selectors.visit_get(access, visit_id),
        findings=body.findings,
        risk=body.risk,
        risk_reasons=body.risk_reasons,
        action_points=tuple(
            ActionPointInput(p.text, p.owner, p.due_on) for p in body.action_points
        ),
    )
    return e.VisitOut.of(visit)


@router.post(f"{EQA}/sanctions", response={201: e.SanctionOut, **ERRORS})
def add_sanction(request: HttpRequest, centre_id: int, body: e.SanctionIn) -> Status[Any]:
    """Apply a sanction from ``applied_on`` (the allocated external verifier). A suspension
    of registrations or a withdrawal refuses registrations dated from then on."""
    user = who(request)
    access = eqa_access(user, centre_id)
    row = sanction_apply(
        by=user,
        centre=access.centre,
        level=body.level,
        reason=body.reason,
        applied_on=body.applied_on,
        qualification_code=body.qualification_code,
        confirmed=body.confirm,
    )
    return Status(201, e.SanctionOut.of(row))


@router.post(f"{EQA}/sanctions/{{sanction_id}}/lift", response={200: e.SanctionOut, **ERRORS})
def lift_sanction(
    request: HttpRequest, centre_id: int, sanction_id: int, body: e.LiftIn
) -> dict[str, Any]:
    """Lift a sanction from ``lifted_on`` (once; the row and its history stay)."""
    user = who(request)
    access = eqa_access(user, centre_id)
    row = sanction_lift(
        by=user,
        sanction=selectors.sanction_get(access, sanction_id),
        lifted_on=body.lifted_on,
        reason=body.reason,
        confirmed=body.confirm,
    )
    return e.SanctionOut.of(row)
