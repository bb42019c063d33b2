"""Claims and certificates endpoints (issue 14).

A centre's administrator: ``GET centres/{id}/claims/ready`` (paged, the rules' verdicts),
``GET|POST centres/{id}/claims``, ``POST centres/{id}/claims/batches``, ``POST
claims/{id}/answer``. The awarding body: ``GET claims/queue``, ``POST claims/{id}/query``,
``…/sample-request``, ``…/approve``, ``…/reject``, ``POST claims/certificates/{id}/revoke|replace``.
The centre's allocated EV: ``POST claims/{id}/sample``. A claim the rules refuse answers 422
``refused`` with every reason (``{code, message}``); a claim one may not see 404; an act one's
role does not allow 403. Endings need ``"confirm": true`` and a visible reason.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from assay.api import schemas as s
from assay.api.auth import AUTH, who
from assay.claims import access, selectors, services
from assay.claims.models import Certificate, Claim
from assay.errors import InvalidInput, NotFound
from assay.registrations.models import Registration

router = Router(tags=["claims"], auth=AUTH)
ERRORS: dict[int, type[s.Error]] = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}
LIST_ERRORS: dict[int, type[s.Error]] = {400: s.Error, **ERRORS}
TEXT = 20000


class ClaimReasonOut(Schema):
    code: str
    message: str


class ClaimOut(Schema):
    id: int
    registration: int
    candidate: str
    centre: str
    qualification: str
    kind: str
    units: list[str]
    status: str
    claim_on: dt.date
    batch: int | None
    sample_outcome: str
    decision_reason: str
    certificate: str | None

    @staticmethod
    def of(c: Claim) -> dict[str, Any]:
        candidate = c.registration.candidate
        cert = getattr(c, "certificate", None) if c.status == "approved" else None
        return {
            "id": c.pk,
            "registration": c.registration_id,
            "candidate": f"{candidate.first_name} {candidate.last_name}",
            "centre": c.centre.number,
            "qualification": c.registration.qualification.code,
            "kind": c.kind,
            "units": list(c.units),
            "status": c.status,
            "claim_on": c.claim_on,
            "batch": c.batch_id,
            "sample_outcome": c.sample_outcome,
            "decision_reason": c.decision_reason,
            "certificate": cert.number if cert is not None else None,
        }


class ClaimReadyOut(Schema):
    registration: int
    candidate: str
    qualification: str
    units: list[str]
    units_allowed: bool
    units_reasons: list[ClaimReasonOut]
    qualification_allowed: bool
    qualification_reasons: list[ClaimReasonOut]
    counted_units: list[str]


class ClaimReadyPage(s.PageOut[ClaimReadyOut]):
    pass


class ClaimsPage(s.PageOut[ClaimOut]):
    pass


class ClaimCertificateUnitOut(Schema):
    position: int
    unit_code: str
    unit_title: str
    level: int
    credit: int


class ClaimCertificateOut(Schema):
    id: int
    number: str
    claim: int
    kind: str
    candidate: str
    centre: str
    qualification_code: str
    qualification_title: str
    accreditation_number: str
    issued_on: dt.date
    replaces: str | None
    revoked_on: dt.date | None
    revoked_kind: str
    revoked_reason: str
    units: list[ClaimCertificateUnitOut]

    @staticmethod
    def of(c: Certificate) -> dict[str, Any]:
        candidate = c.registration.candidate
        return {
            "id": c.pk,
            "number": c.number,
            "claim": c.claim_id,
            "kind": c.kind,
            "candidate": f"{candidate.first_name} {candidate.last_name}",
            "centre": c.centre.number,
            "qualification_code": c.qualification_code,
            "qualification_title": c.qualification_title,
            "accreditation_number": c.accreditation_number,
            "issued_on": c.issued_on,
            "replaces": c.replaces.number if c.replaces_id and c.replaces else None,
            "revoked_on": c.revoked_on,
            "revoked_kind": c.revoked_kind,
            "revoked_reason": c.revoked_reason,
            "units": [
                {
                    "position": u.position,
                    "unit_code": u.unit_code,
                    "unit_title": u.unit_title,
                    "level": u.level,
                    "credit": u.credit,
                }
                for u in c.units.order_by("position")
            ],
        }


class ClaimIn(Schema):
    registration: int
    kind: Literal["unit", "qualification"]
    units: list[str] = Field(default_factory=list, max_length=50)


class ClaimBatchIn(Schema):
    claims: list[int] = Field(min_length=1, max_length=500)


class ClaimBatchOut(Schema):
    id: int
    submitted_on: dt.date
    claims: list[int]


class ClaimTextIn(Schema):
    text: str = Field(max_length=TEXT)


class ClaimSampleIn(ClaimTextIn):
    outcome: Literal["satisfactory", "unsatisfactory"]


class ClaimDecideIn(Schema):
    reason: str = Field("", max_length=TEXT)
    confirm: bool = False


class CertificateRevokeIn(ClaimDecideIn):
    kind: Literal["malpractice", "issued_in_error"]


def _reasons(decision: Any) -> list[dict[str, str]]:
    if decision is None:
        return []
    return [{"code": str(r.code), "message": r.text} for r in decision.reasons]


@router.get("centres/{centre_id}/claims/ready", response={200: ClaimReadyPage, **LIST_ERRORS})
def ready(request: HttpRequest, centre_id: int, query: Query[s.PageQuery]) -> dict[str, Any]:
    """The centre's registrations with units to claim, with the rules' verdict on claiming
    those units and the full qualification today (the centre's administrator)."""
    centre = selectors.centre_for_claims(who(request), centre_id)
    page = selectors.ready_page(centre, query.cursor, query.size)
    items = [
        {
            "registration": r.registration.pk,
            "candidate": str(r.registration.candidate),
            "qualification": r.registration.qualification.code,
            "units": list(r.units),
            "units_allowed": bool(r.unit_decision and r.unit_decision.allowed),
            "units_reasons": _reasons(r.unit_decision),
            "qualification_allowed": r.qualification.allowed,
            "qualification_reasons": _reasons(r.qualification),
            "counted_units": list(r.qualification.counted_units),
        }
        for r in page
    ]
    return {"items": items, "next": page.next, "previous": page.previous, "size": page.size}


@router.get("centres/{centre_id}/claims", response={200: ClaimsPage, **LIST_ERRORS})
def centre_claims(
    request: HttpRequest, centre_id: int, query: Query[s.PageQuery]
) -> dict[str, Any]:
    user = who(request)
    centre = selectors.centre_for_claims(user, centre_id)
    page = selectors.claims_page(user, centre, query.cursor, query.size)
    return {
        "items": [ClaimOut.of(c) for c in page],
        "next": page.next,
        "previous": page.previous,
        "size": page.size,
    }


@router.post("centres/{centre_id}/claims", response={201: ClaimOut, **ERRORS})
def create(request: HttpRequest, centre_id: int, body: ClaimIn) -> Status[Any]:
    """A draft claim (the centre's administrator); 422 ``refused`` with every reason."""
    user = who(request)
    centre = selectors.centre_for_claims(user, centre_id)
    registration = Registration.objects.filter(pk=body.registration, centre=centre).first()
    if registration is None:
        raise InvalidInput({"registration": f"no registration {body.registration} here"})
    claim = services.claim_create(
        by=user, registration=registration, kind=body.kind, units=body.units
    )
    return Status(201, ClaimOut.of(selectors.claim_get(user, claim.pk)))


@router.post("centres/{centre_id}/claims/batches", response={201: ClaimBatchOut, **ERRORS})
def batch(request: HttpRequest, centre_id: int, body: ClaimBatchIn) -> Status[Any]:
    """Send draft claims to the awarding body together."""
    user = who(request)
    centre = selectors.centre_for_claims(user, centre_id)
    claims = list(access.claims_visible_to(user).filter(centre=centre, pk__in=body.claims))
    missing = sorted(set(body.claims) - {c.pk for c in claims})
    if missing:
        raise NotFound(f"no claim {missing[0]}")
    row = services.batch_submit(by=user, centre=centre, claims=claims)
    ids = sorted(c.pk for c in claims)
    return Status(201, {"id": row.pk, "submitted_on": row.submitted_on, "claims": ids})


@router.get("claims/queue", response={200: ClaimsPage, **LIST_ERRORS})
def queue(request: HttpRequest, query: Query[s.PageQuery]) -> dict[str, Any]:
    """The awarding body's open claims, oldest claim date first."""
    user = who(request)
    access.require_ab(user)
    page = selectors.queue_page(user, query.cursor, query.size)
    return {
        "items": [ClaimOut.of(c) for c in page],
        "next": page.next,
        "previous": page.previous,
        "size": page.size,
    }


@router.get("claims/{claim_id}", response={200: ClaimOut, **ERRORS})
def claim(request: HttpRequest, claim_id: int) -> dict[str, Any]:
    return ClaimOut.of(selectors.claim_get(who(request), claim_id))


def _claim_out(request: HttpRequest, claim_id: int) -> dict[str, Any]:
    return ClaimOut.of(selectors.claim_get(who(request), claim_id))


@router.post("claims/{claim_id}/query", response={200: ClaimOut, **ERRORS})
def query_claim(request: HttpRequest, claim_id: int, body: ClaimTextIn) -> dict[str, Any]:
    user = who(request)
    services.claim_query(by=user, claim=selectors.claim_get(user, claim_id), text=body.text)
    return _claim_out(request, claim_id)


@router.post("claims/{claim_id}/answer", response={200: ClaimOut, **ERRORS})
def answer_claim(request: HttpRequest, claim_id: int, body: ClaimTextIn) -> dict[str, Any]:
    user = who(request)
    services.claim_answer(by=user, claim=selectors.claim_get(user, claim_id), text=body.text)
    return _claim_out(request, claim_id)


@router.post("claims/{claim_id}/sample-request", response={200: ClaimOut, **ERRORS})
def request_sample(request: HttpRequest, claim_id: int, body: ClaimTextIn) -> dict[str, Any]:
    user = who(request)
    services.sample_request(by=user, claim=selectors.claim_get(user, claim_id), text=body.text)
    return _claim_out(request, claim_id)


@router.post("claims/{claim_id}/sample", response={200: ClaimOut, **ERRORS})
def record_sample(request: HttpRequest, claim_id: int, body: ClaimSampleIn) -> dict[str, Any]:
    user = who(request)
    services.sample_record(
        by=user, claim=selectors.claim_get(user, claim_id), outcome=body.outcome, text=body.text
    )
    return _claim_out(request, claim_id)


@router.post("claims/{claim_id}/approve", response={201: ClaimCertificateOut, **ERRORS})
def approve(request: HttpRequest, claim_id: int, body: ClaimDecideIn) -> Status[Any]:
    """Approve (the awarding body, ``"confirm": true``): the certificate is issued."""
    user = who(request)
    cert = services.claim_approve(
        by=user,
        claim=selectors.claim_get(user, claim_id),
        confirmed=body.confirm,
        reason=body.reason,
    )
    return Status(201, ClaimCertificateOut.of(selectors.certificate_get(user, cert.pk)))


@router.post("claims/{claim_id}/reject", response={200: ClaimOut, **ERRORS})
def reject(request: HttpRequest, claim_id: int, body: ClaimDecideIn) -> dict[str, Any]:
    user = who(request)
    services.claim_reject(
        by=user,
        claim=selectors.claim_get(user, claim_id),
        reason=body.reason,
        confirmed=body.confirm,
    )
    return _claim_out(request, claim_id)


@router.get("claims/certificates/{certificate_id}", response={200: ClaimCertificateOut, **ERRORS})
def certificate(request: HttpRequest, certificate_id: int) -> dict[str, Any]:
    return ClaimCertificateOut.of(selectors.certificate_get(who(request), certificate_id))


@router.post(
    "claims/certificates/{certificate_id}/revoke", response={200: ClaimCertificateOut, **ERRORS}
)
def revoke(request: HttpRequest, certificate_id: int, body: CertificateRevokeIn) -> dict[str, Any]:
    user = who(request)
    cert = services.certificate_revoke(
        by=user,
        certificate=selectors.certificate_get(user, certificate_id),
        kind=body.kind,
        reason=body.reason,
        confirmed=body.confirm,
    )
    return ClaimCertificateOut.of(selectors.certificate_get(user, cert.pk))


@router.post(
    "claims/certificates/{certificate_id}/replace", response={201: ClaimCertificateOut, **ERRORS}
)
def replace(request: HttpRequest, certificate_id: int, body: ClaimDecideIn) -> Status[Any]:
    user = who(request)
    cert = services.certificate_replace(
        by=user,
        certificate=selectors.certificate_get(user, certificate_id),
        reason=body.reason,
        confirmed=body.confirm,
    )
    return Status(201, ClaimCertificateOut.of(selectors.certificate_get(user, cert.pk)))
