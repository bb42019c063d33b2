"""The start of a candidate's programme: the initial assessment (training and support needs,
the recommended level) and the signed induction checklist and learning contract.
"""

from __future__ import annotations

from django.db import transaction

from assay.centres.models import Role
from assay.centres.permissions import can_administer, roles_at
from assay.errors import InvalidInput, NotAllowed
from assay.files.digest import text_sha256
from assay.registrations.enrolment import (
    enrolment_append,
    enrolment_lock,
)
from assay.registrations.models import (
    InitialAssessment,
    Registration,
    Signature,
    SignatureDocument,
)
from assay.registrations.signing import USER_AGENT_MAX
from assay.users import User


def initial_assessment_record(
    *,
    by: User,
    registration: Registration,
    training_needs: str,
    support_needs: str,
    job_role_facts: dict[str, bool],
) -> InitialAssessment:
    """Record training and support needs and the recommended level from the job role."""
    from assay.engines.entry.level import JobRole, recommend_level

    if not can_administer(by, registration.centre) and Role.TUTOR not in roles_at(
        by, registration.centre
    ):
        raise NotAllowed("only a centre administrator or tutor records the initial assessment")
    recommendation = recommend_level(JobRole(**job_role_facts))
    assessment, _ = InitialAssessment.objects.update_or_create(
        registration=registration,
        defaults={
            "training_needs": training_needs,
            "support_needs": support_needs,
            "job_role_facts": job_role_facts,
            "recommended_level": recommendation.level,
            "recommendation_reasons": list(recommendation.reasons),
            "by": by,
        },
    )
    return assessment


def signature_record(
    *,
    by: User,
    registration: Registration,
    document: str,
    capacity: str,
    text: str,
    ip_address: str | None = None,
    user_agent: str = "",
) -> Signature:
    """Sign the induction checklist or learning contract as candidate, assessor or employer."""
    if document not in SignatureDocument.values:
        raise InvalidInput({"document": f"unknown document {document!r}"})
    own = registration.candidate.user_id == by.pk  # signs as the candidate, never for others
    allowed = {
        "candidate": own,
        "assessor": not own and registration.plan_units.filter(assessor_id=by.pk).exists(),
        "employer": not own and registration.candidate.employer_contact_id == by.pk,
    }
    if capacity not in allowed:
        raise InvalidInput({"capacity": "sign as candidate, assessor or employer"})
    if not allowed[capacity]:
        raise NotAllowed(f"you cannot sign as the {capacity} of this registration")
    if not text.strip():
        raise InvalidInput({"text": "the signed text is empty"})
    with transaction.atomic():
        enrolment_lock(registration)
        signature = Signature.objects.create(
            registration=registration,
            document=document,
            signer_id=by.pk,
            capacity=capacity,
            text=text,
            text_sha256=text_sha256(text),
            ip_address=ip_address,
            user_agent=user_agent[:USER_AGENT_MAX],
        )
        enrolment_append(registration.pk, "signed", by=by, rows={"signature": [signature]})
    return signature
