"""Registration endpoints: one candidate's record, status, plan, signatures, RPL and initial
assessment.

Every endpoint needs a token or a signed-in session. A registration the caller may not see
answers 404 exactly like a missing one; seeing it without the role to act answers 403 (an
external verifier reads but never writes).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from assay.api import registration_schemas as r
from assay.api import schemas as s
from assay.api.auth import AUTH, who
from assay.centres.permissions import sees_personal_details
from assay.progress.completion import registration_extend, registration_transition
from assay.registrations.induction import initial_assessment_record, signature_record
from assay.registrations.links import (
    candidate_account_link,
    candidate_employer_contact_set,
    user_by_id,
)
from assay.registrations.plans import PlanUnitInput, plan_set
from assay.registrations.prior_learning import credit_transfer_record, rpl_claim_create, rpl_decide
from assay.registrations.selectors import registration_get, rpl_claim_get
from assay.registrations.shapes import (
    CandidateLinksOut,
    ExtensionOut,
    HistoryEntry,
    InitialAssessmentOut,
    RegistrationDetail,
    RplOut,
    SignatureOut,
)

router = Router(tags=["registrations"], auth=AUTH)
ERRORS: dict[int, type[s.Error]] = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}


@router.get("registrations/{registration_id}", response={200: RegistrationDetail, **ERRORS})
def registration(request: HttpRequest, registration_id: int) -> RegistrationDetail:
    """One registration with its plan (and rules check), history, signatures and RPL."""
    user = who(request)
    found = registration_get(user, registration_id)
    personal = sees_personal_details(user, found.centre, found.candidate.user_id)
    return RegistrationDetail.of(found, personal)


@router.post("registrations/{registration_id}/status", response={200: HistoryEntry, **ERRORS})
def change_status(request: HttpRequest, registration_id: int, body: r.StatusIn) -> HistoryEntry:
    """Move the registration through its lifecycle (centre administrator or lead IQA)."""
    user = who(request)
    change = registration_transition(
        by=user,
        registration=registration_get(user, registration_id),
        to=body.status,
        reason=body.reason,
        confirmed=body.confirm,
    )
    return HistoryEntry.of(change)


@router.post("registrations/{registration_id}/extensions", response={201: ExtensionOut, **ERRORS})
def extend(request: HttpRequest, registration_id: int, body: r.ExtensionIn) -> Status[ExtensionOut]:
    """Extend the period of registration to a later end date, with a reason (centre
    administrator). Refused when the registration is final, the date is not later or is after
    the last certification date."""
    user = who(request)
    extension = registration_extend(
        by=user,
        registration=registration_get(user, registration_id),
        new_end=body.new_end,
        reason=body.reason,
    )
    return Status(201, ExtensionOut.of(extension))


@router.put("registrations/{registration_id}/plan", response={200: r.PlanSetOut, **ERRORS})
def set_plan(request: HttpRequest, registration_id: int, body: r.PlanIn) -> dict[str, Any]:
    """Replace the learning plan: units with their assessor and target date, and the
    internal verifier. The answer carries the rules-of-combination check of the plan."""
    user = who(request)
    decision = plan_set(
        by=user,
        registration=registration_get(user, registration_id),
        units=[PlanUnitInput(u.unit, u.assessor_id, u.target_date) for u in body.units],
        internal_verifier_id=body.internal_verifier_id,
        allow_units_without_content=body.allow_units_without_content,
    )
    return {
        "units": body.units,
        "internal_verifier_id": body.internal_verifier_id,
        "check": decision,
    }


@router.post("registrations/{registration_id}/signatures", response={201: SignatureOut, **ERRORS})
def sign(request: HttpRequest, registration_id: int, body: r.SignatureIn) -> Status[Any]:
    """Sign the induction checklist or learning contract as the candidate, one of their
    assessors or their employer. A signature is an immutable event: who, when, text, from where."""
    user = who(request)
    signature = signature_record(
        by=user,
        registration=registration_get(user, registration_id),
        document=body.document,
        capacity=body.capacity,
        text=body.text,
        ip_address=request.META.get("REMOTE_ADDR") or None,
        user_agent=request.headers.get("User-Agent", ""),
    )
    return Status(201, SignatureOut.of(signature))


@router.post("registrations/{registration_id}/rpl", response={201: RplOut, **ERRORS})
def claim_rpl(request: HttpRequest, registration_id: int, body: r.RplIn) -> Status[Any]:
    """Claim recognition of prior learning for a unit (the candidate or a centre
    administrator); it counts in the rules once an assessor accepts it."""
    user = who(request)
    claim = rpl_claim_create(
        by=user,
        registration=registration_get(user, registration_id),
        unit=body.unit,
        evidence=body.evidence,
    )
    return Status(201, RplOut.of(claim))


@router.post("registrations/{registration_id}/credit-transfers", response={201: RplOut, **ERRORS})
def record_credit_transfer(
    request: HttpRequest, registration_id: int, body: r.CreditTransferIn
) -> Status[Any]:
    """Record a unit achieved elsewhere, with the certificate it is on (a centre administrator
    or an assessor of the candidate). It counts as achieved at once; the only route for a
    unit whose content is not in the catalogue (ADR 0010)."""
    user = who(request)
    record = credit_transfer_record(
        by=user,
        registration=registration_get(user, registration_id),
        unit=body.unit,
        certificate_reference=body.certificate_reference,
        note=body.note,
    )
    return Status(201, RplOut.of(record))


@router.post("rpl/{claim_id}/decision", response={200: RplOut, **ERRORS})
def decide_rpl(request: HttpRequest, claim_id: int, body: r.RplDecisionIn) -> RplOut:
    """Accept or reject an RPL claim (an assessor of the candidate, once)."""
    user = who(request)
    claim = rpl_decide(by=user, claim=rpl_claim_get(user, claim_id), accept=body.accept)
    return RplOut.of(claim)


@router.post(
    "registrations/{registration_id}/initial-assessment",
    response={200: InitialAssessmentOut, **ERRORS},
)
def initial_assessment(
    request: HttpRequest, registration_id: int, body: r.InitialAssessmentIn
) -> InitialAssessmentOut:
    """Record training and support needs; the answer recommends a level from the job role
    (the Edexcel logbook's descriptions of who Levels 1–4 are for)."""
    user = who(request)
    assessment = initial_assessment_record(
        by=user,
        registration=registration_get(user, registration_id),
        training_needs=body.training_needs,
        support_needs=body.support_needs,
        job_role_facts=body.job_role.model_dump(),
    )
    return InitialAssessmentOut.of(assessment)


@router.put("registrations/{registration_id}/account", response={200: CandidateLinksOut, **ERRORS})
def link_account(
    request: HttpRequest, registration_id: int, body: r.AccountIn
) -> CandidateLinksOut:
    """Give the candidate a sign-in of their own (a centre administrator): they then see only
    their own record. Refused for an account that is already another candidate's or that
    holds a staff role at the centre."""
    user = who(request)
    registration = registration_get(user, registration_id)
    candidate = candidate_account_link(
        by=user, candidate=registration.candidate, user=user_by_id(body.user_id)
    )
    return CandidateLinksOut.of(candidate)


@router.put(
    "registrations/{registration_id}/employer-contact",
    response={200: CandidateLinksOut, **ERRORS},
)
def set_employer_contact(
    request: HttpRequest, registration_id: int, body: r.EmployerContactIn
) -> CandidateLinksOut:
    """Name the candidate's employer contact (an employer contact at the centre), or none."""
    user = who(request)
    registration = registration_get(user, registration_id)
    contact = None if body.user_id is None else user_by_id(body.user_id)
    candidate = candidate_employer_contact_set(
        by=user, candidate=registration.candidate, user=contact
    )
    return CandidateLinksOut.of(candidate)
