"""The read models of registrations: one description of each, built here from the rows.

The API answers with them (they are its response schemas) and ``assay register``/``assay
centre --json`` print them, so a field is named and typed once. Each model is built by its
``of`` from the row it describes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from assay.catalogue.planning import PlanDecision, plan_check
from assay.engines.entry.rules import EntryDecision
from assay.engines.registration.lifecycle import Status as LifeStatus
from assay.engines.registration.lifecycle import allowed_targets
from assay.registrations.models import (
    Candidate,
    Extension,
    InitialAssessment,
    JobKind,
    Registration,
    RplClaim,
    Signature,
    Status,
    StatusChange,
)
from assay.users import User

JobKindName = Literal["paid", "voluntary", "none"]
StatusName = Literal[
    "registered", "in_progress", "withdrawn", "transferred", "completed", "expired"
]


class ReadModel(BaseModel):
    """Frozen: a read model is an answer, not something to edit."""

    model_config = ConfigDict(frozen=True)


class Person(ReadModel):
    id: int
    username: str
    name: str


def person(user: User | None) -> Person | None:
    """Who someone is in an answer: id, username and full name (the username when none)."""
    if user is None:
        return None
    full = getattr(user, "get_full_name", lambda: "")()
    return Person(id=user.pk, username=user.get_username(), name=full or user.get_username())


class CandidateOut(ReadModel):
    id: int
    first_name: str
    last_name: str
    date_of_birth: dt.date | None = Field(description="null for an employer contact")
    email: str
    phone: str | None = Field(description="null for an employer contact")
    employer: str
    job_role: str
    job_kind: JobKindName
    held_qualifications: list[str]

    @classmethod
    def of(cls, candidate: Candidate, personal: bool = True) -> CandidateOut:
        """``personal=False`` (an employer contact reading): no date of birth or phone."""
        return cls(
            id=candidate.pk,
            first_name=candidate.first_name,
            last_name=candidate.last_name,
            date_of_birth=candidate.date_of_birth if personal else None,
            email=candidate.email,
            phone=candidate.phone if personal else None,
            employer=candidate.employer,
            job_role=candidate.job_role,
            job_kind=candidate.job_kind,  # type: ignore[arg-type]  # choices of the column
            held_qualifications=sorted(h.qualification_code for h in candidate.held.all()),
        )

    @property
    def job_kind_label(self) -> str:
        """The kind of job as people read it ("No real job")."""
        return str(JobKind(self.job_kind).label)


class QualificationRef(ReadModel):
    code: str
    title: str
    level: int
    version: str


class RegistrationSummary(ReadModel):
    id: int
    centre_id: int
    candidate: CandidateOut
    qualification: QualificationRef
    status: StatusName
    registered_on: dt.date
    end_date: dt.date = Field(description="Assessment must be complete by this date")

    @classmethod
    def of(cls, registration: Registration, personal: bool = True) -> RegistrationSummary:
        return cls(**_summary(registration, personal))


def _summary(registration: Registration, personal: bool) -> dict[str, Any]:
    qual = registration.qualification
    return {
        "id": registration.pk,
        "centre_id": registration.centre_id,
        "candidate": CandidateOut.of(registration.candidate, personal),
        "qualification": QualificationRef(
            code=qual.code, title=qual.title, level=qual.level, version=qual.spec.version
        ),
        "status": registration.status,
        "registered_on": registration.registered_on,
        "end_date": registration.end_date,
    }


class PlanUnitOut(ReadModel):
    unit: str
    assessor: Person | None
    target_date: dt.date | None


class PlanOut(ReadModel):
    units: list[PlanUnitOut]
    check: PlanDecision = Field(
        description="Rules of combination over planned and accepted RPL units"
    )


class HistoryEntry(ReadModel):
    from_status: StatusName | None
    to_status: StatusName
    reason: str
    by: Person | None
    at: dt.datetime

    @property
    def from_label(self) -> str:
        """The statuses as people read them ("In progress"); "" for the first entry."""
        return "" if self.from_status is None else str(Status(self.from_status).label)

    @property
    def to_label(self) -> str:
        return str(Status(self.to_status).label)

    @classmethod
    def of(cls, change: StatusChange) -> HistoryEntry:
        return cls(
            from_status=change.from_status or None,  # type: ignore[arg-type]  # column choices
            to_status=change.to_status,  # type: ignore[arg-type]
            reason=change.reason,
            by=person(change.by),
            at=change.at,
        )


class SignatureOut(ReadModel):
    id: int
    document: Literal["induction", "learning_contract"]
    capacity: Literal["candidate", "assessor", "employer"]
    signer: Person
    text: str
    text_sha256: str
    ip_address: str | None
    at: dt.datetime

    @classmethod
    def of(cls, signature: Signature) -> SignatureOut:
        signer = person(signature.signer)
        assert signer is not None  # a signature always has its signer
        return cls(
            id=signature.pk,
            document=signature.document,  # type: ignore[arg-type]  # column choices
            capacity=signature.capacity,  # type: ignore[arg-type]
            signer=signer,
            text=signature.text,
            text_sha256=signature.text_sha256,
            ip_address=signature.ip_address,
            at=signature.at,
        )


class RplOut(ReadModel):
    id: int
    registration_id: int
    unit: str
    kind: Literal["rpl", "credit_transfer"] = Field(
        description="credit_transfer: achieved elsewhere, accepted on its certificate"
    )
    certificate_reference: str = Field(description="The certificate of a credit transfer")
    evidence: str
    accepted: bool | None = Field(description="None until an assessor decides")
    decided_by: Person | None
    decided_at: dt.datetime | None
    created_at: dt.datetime

    @classmethod
    def of(cls, claim: RplClaim) -> RplOut:
        return cls(
            id=claim.pk,
            registration_id=claim.registration_id,
            unit=claim.unit_number,
            kind=claim.kind,  # type: ignore[arg-type]  # column choices
            certificate_reference=claim.certificate_reference,
            evidence=claim.evidence,
            accepted=claim.accepted,
            decided_by=person(claim.decided_by),
            decided_at=claim.decided_at,
            created_at=claim.created_at,
        )


class InitialAssessmentOut(ReadModel):
    training_needs: str
    support_needs: str
    job_role: dict[str, bool]
    recommended_level: int | None
    reasons: list[str]
    by: Person | None
    at: dt.datetime

    @classmethod
    def of(cls, assessment: InitialAssessment) -> InitialAssessmentOut:
        return cls(
            training_needs=assessment.training_needs,
            support_needs=assessment.support_needs,
            job_role=assessment.job_role_facts,
            recommended_level=assessment.recommended_level,
            reasons=list(assessment.recommendation_reasons),
            by=person(assessment.by),
            at=assessment.at,
        )


class RegistrationDetail(RegistrationSummary):
    end_date_explanation: str
    next_statuses: list[StatusName]
    internal_verifier: Person | None
    plan: PlanOut
    history: list[HistoryEntry]
    signatures: list[SignatureOut]
    rpl_claims: list[RplOut]
    initial_assessment: InitialAssessmentOut | None

    @classmethod
    def of(cls, registration: Registration, personal: bool = True) -> RegistrationDetail:
        """Everything about one registration: plan with its rules check, history, signatures
        (``personal``: see ``permissions.sees_personal_details``)."""
        units = list(registration.plan_units.all())
        claims = list(registration.rpl_claims.all())
        accepted = [c.unit_number for c in claims if c.accepted]
        assessment = InitialAssessment.objects.filter(registration=registration).first()
        check = plan_check(registration.qualification, [u.unit_number for u in units] + accepted)
        return cls(
            **_summary(registration, personal),
            end_date_explanation=registration.end_date_explanation,
            next_statuses=[
                str(s)  # type: ignore[misc]  # the lifecycle's statuses are StatusName
                for s in allowed_targets(LifeStatus(registration.status))
            ],
            internal_verifier=person(registration.internal_verifier),
            plan=PlanOut(
                units=[
                    PlanUnitOut(
                        unit=u.unit_number, assessor=person(u.assessor), target_date=u.target_date
                    )
                    for u in units
                ],
                check=check,
            ),
            history=[HistoryEntry.of(h) for h in registration.history.all()],
            signatures=[SignatureOut.of(s) for s in registration.signatures.all()],
            rpl_claims=[RplOut.of(c) for c in claims],
            initial_assessment=None if assessment is None else InitialAssessmentOut.of(assessment),
        )


class ExtensionOut(ReadModel):
    previous_end: dt.date
    new_end: dt.date
    reason: str
    by: Person | None
    at: dt.datetime

    @classmethod
    def of(cls, extension: Extension) -> ExtensionOut:
        return cls(
            previous_end=extension.previous_end,
            new_end=extension.new_end,
            reason=extension.reason,
            by=person(extension.by),
            at=extension.at,
        )


class CandidateLinksOut(ReadModel):
    candidate_id: int
    account: Person | None = Field(description="The candidate's own sign-in")
    employer_contact: Person | None

    @classmethod
    def of(cls, candidate: Candidate) -> CandidateLinksOut:
        return cls(
            candidate_id=candidate.pk,
            account=person(candidate.user),
            employer_contact=person(candidate.employer_contact),
        )


class ReasonOut(ReadModel):
    code: str
    message: str


class EntryCheckOut(ReadModel):
    allowed: bool
    reasons: list[ReasonOut] = Field(description="Every entry rule that refuses, in rule order")

    @classmethod
    def of(cls, decision: EntryDecision) -> EntryCheckOut:
        return cls(
            allowed=decision.allowed,
            reasons=[ReasonOut(code=x.code, message=x.message) for x in decision.reasons],
        )
