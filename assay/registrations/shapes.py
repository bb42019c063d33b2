"""The JSON shapes of registrations, shared by the API and ``assay register``/``assay centre``.

Dates are ISO strings so the dictionaries can be printed as JSON as they are.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from assay.catalogue.planning import plan_check
from assay.engines.registration.lifecycle import Status as LifeStatus
from assay.engines.registration.lifecycle import allowed_targets
from assay.registrations.models import (
    Candidate,
    InitialAssessment,
    Registration,
    RplClaim,
    Signature,
    StatusChange,
)
from assay.users import User


def iso(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def person(user: User | None) -> dict[str, Any] | None:
    if user is None:
        return None
    full = getattr(user, "get_full_name", lambda: "")()
    return {"id": user.pk, "username": user.get_username(), "name": full or user.get_username()}


def candidate_dict(candidate: Candidate, personal: bool = True) -> dict[str, Any]:
    """``personal=False`` (an employer contact reading): no date of birth or phone (null)."""
    return {
        "id": candidate.pk,
        "first_name": candidate.first_name,
        "last_name": candidate.last_name,
        "date_of_birth": iso(candidate.date_of_birth) if personal else None,
        "email": candidate.email,
        "phone": candidate.phone if personal else None,
        "employer": candidate.employer,
        "job_role": candidate.job_role,
        "job_kind": candidate.job_kind,
        "held_qualifications": sorted(h.qualification_code for h in candidate.held.all()),
    }


def registration_summary(registration: Registration, personal: bool = True) -> dict[str, Any]:
    qual = registration.qualification
    return {
        "id": registration.pk,
        "centre_id": registration.centre_id,
        "candidate": candidate_dict(registration.candidate, personal),
        "qualification": {
            "code": qual.code,
            "title": qual.title,
            "level": qual.level,
            "version": qual.spec.version,
        },
        "status": registration.status,
        "registered_on": iso(registration.registered_on),
        "end_date": iso(registration.end_date),
    }


def registration_detail(registration: Registration, personal: bool = True) -> dict[str, Any]:
    """Everything about one registration: plan with its rules check, history, signatures
    (``personal``: see ``permissions.sees_personal_details``)."""
    units = list(registration.plan_units.all())
    claims = list(registration.rpl_claims.all())
    accepted = [c.unit_number for c in claims if c.accepted]
    assessment = InitialAssessment.objects.filter(registration=registration).first()
    return {
        **registration_summary(registration, personal),
        "end_date_explanation": registration.end_date_explanation,
        "next_statuses": [str(s) for s in allowed_targets(LifeStatus(registration.status))],
        "internal_verifier": person(registration.internal_verifier),
        "plan": {
            "units": [
                {
                    "unit": u.unit_number,
                    "assessor": person(u.assessor),
                    "target_date": iso(u.target_date),
                }
                for u in units
            ],
            "check": plan_check(
                registration.qualification, [u.unit_number for u in units] + accepted
            ),
        },
        "history": [history_entry(h) for h in registration.history.all()],
        "signatures": [signature_dict(s) for s in registration.signatures.all()],
        "rpl_claims": [rpl_dict(c) for c in claims],
        "initial_assessment": None if assessment is None else assessment_dict(assessment),
    }


def history_entry(change: StatusChange) -> dict[str, Any]:
    return {
        "from_status": change.from_status or None,
        "to_status": change.to_status,
        "reason": change.reason,
        "by": person(change.by),
        "at": change.at.isoformat(),
    }


def signature_dict(signature: Signature) -> dict[str, Any]:
    return {
        "id": signature.pk,
        "document": signature.document,
        "capacity": signature.capacity,
        "signer": person(signature.signer),
        "text": signature.text,
        "text_sha256": signature.text_sha256,
        "ip_address": signature.ip_address,
        "at": signature.at.isoformat(),
    }


def rpl_dict(claim: RplClaim) -> dict[str, Any]:
    return {
        "id": claim.pk,
        "registration_id": claim.registration_id,
        "unit": claim.unit_number,
        "kind": claim.kind,
        "certificate_reference": claim.certificate_reference,
        "evidence": claim.evidence,
        "accepted": claim.accepted,
        "decided_by": person(claim.decided_by),
        "decided_at": claim.decided_at.isoformat() if claim.decided_at else None,
        "created_at": claim.created_at.isoformat(),
    }


def assessment_dict(assessment: InitialAssessment) -> dict[str, Any]:
    return {
        "training_needs": assessment.training_needs,
        "support_needs": assessment.support_needs,
        "job_role": assessment.job_role_facts,
        "recommended_level": assessment.recommended_level,
        "reasons": list(assessment.recommendation_reasons),
        "by": person(assessment.by),
        "at": assessment.at.isoformat(),
    }
