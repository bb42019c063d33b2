"""Schemas of the centre and registration endpoints (pydantic, through django-ninja)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from assay.catalogue.planning import PlanDecision

JobKindName = Literal["paid", "voluntary", "none"]
StatusName = Literal[
    "registered", "in_progress", "withdrawn", "transferred", "completed", "expired"
]


class Person(Schema):
    id: int
    username: str
    name: str


# --- centres --------------------------------------------------------------------------------


class CentreSummary(Schema):
    id: int
    number: str = Field(description="Awarding body centre number")
    name: str
    address: str
    employer_direct_model: bool
    edm_approved_on: dt.date | None
    roles: list[str] = Field(description="The caller's roles at this centre")


class ApprovalEntry(Schema):
    status: str
    since: dt.date
    until: dt.date | None
    reason: str
    recorded_by: str | None
    recorded_at: dt.datetime


class ApprovalState(Schema):
    qualification: str
    status: str | None = Field(description="The decision in force today (None: none yet)")
    since: dt.date | None
    until: dt.date | None
    reason: str
    in_force: bool = Field(description="Approved today: the centre may register candidates")
    history: list[ApprovalEntry]


class CompetenceState(Schema):
    id: int
    role: str
    av_unit: str
    started_on: dt.date
    achieved_on: dt.date | None
    status: Literal["qualified", "on_track", "due_soon", "overdue"]
    deadline: dt.date | None
    days_left: int | None
    can_take_new_candidates: bool
    message: str


class StaffMember(Schema):
    person: Person
    roles: list[str]
    competence: list[CompetenceState]
    can_take_new_candidates: bool


class SiteOut(Schema):
    id: int
    name: str
    address: str


class RegistrationCounts(Schema):
    total: int
    by_status: dict[str, int]


class CentreDashboard(Schema):
    centre: CentreSummary
    today: dt.date
    registrations: RegistrationCounts = Field(description="Candidates the caller may see")
    approvals: list[ApprovalState]
    sites: list[SiteOut]
    staff: list[StaffMember]
    warnings: list[str] = Field(description="A/V deadlines due soon or missed")
    refusals: int = Field(description="Refused registrations logged (centre administrators)")
    due_to_expire: int = Field(
        description="Unfinished registrations past their end date (centre administrators)"
    )


# --- registrations --------------------------------------------------------------------------


class CandidateOut(Schema):
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


class QualificationRef(Schema):
    code: str
    title: str
    level: int
    version: str


class RegistrationSummary(Schema):
    id: int
    centre_id: int
    candidate: CandidateOut
    qualification: QualificationRef
    status: StatusName
    registered_on: dt.date
    end_date: dt.date = Field(description="Assessment must be complete by this date")


class PlanUnitOut(Schema):
    unit: str
    assessor: Person | None
    target_date: dt.date | None


class PlanOut(Schema):
    units: list[PlanUnitOut]
    check: PlanDecision = Field(
        description="Rules of combination over planned and accepted RPL units"
    )


class HistoryEntry(Schema):
    from_status: StatusName | None
    to_status: StatusName
    reason: str
    by: Person | None
    at: dt.datetime


class SignatureOut(Schema):
    id: int
    document: Literal["induction", "learning_contract"]
    capacity: Literal["candidate", "assessor", "employer"]
    signer: Person
    text: str
    text_sha256: str
    ip_address: str | None
    at: dt.datetime


class RplOut(Schema):
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


class InitialAssessmentOut(Schema):
    training_needs: str
    support_needs: str
    job_role: dict[str, bool]
    recommended_level: int | None
    reasons: list[str]
    by: Person | None
    at: dt.datetime


class RegistrationDetail(RegistrationSummary):
    end_date_explanation: str
    next_statuses: list[StatusName]
    internal_verifier: Person | None
    plan: PlanOut
    history: list[HistoryEntry]
    signatures: list[SignatureOut]
    rpl_claims: list[RplOut]
    initial_assessment: InitialAssessmentOut | None


# --- requests -------------------------------------------------------------------------------


class CandidateIn(Schema):
    first_name: str = Field(min_length=1, max_length=100)
    last_name: str = Field(min_length=1, max_length=100)
    date_of_birth: dt.date
    email: str = Field("", max_length=254)
    phone: str = Field("", max_length=40)
    employer: str = Field("", max_length=200)
    job_role: str = Field("", max_length=200)
    job_kind: JobKindName = Field(description="A real job (paid or voluntary) or none")
    held_qualifications: list[str] = Field(
        default_factory=list, description="Codes of qualifications the candidate already holds"
    )


class RegistrationIn(CandidateIn):
    qualification: str = Field(description="Code (4430-04) or id (cg-4430-04)")
    registered_on: dt.date | None = Field(None, description="Default: today (the Assay clock)")


class ReasonOut(Schema):
    code: str
    message: str


class EntryCheckOut(Schema):
    allowed: bool
    reasons: list[ReasonOut] = Field(description="Every entry rule that refuses, in rule order")


class StatusIn(Schema):
    status: StatusName
    reason: str = Field(
        "", max_length=2000, description="Required: why the status changes (kept in history)"
    )
    confirm: bool = Field(
        False, description="Required true: the caller confirms the change (final is final)"
    )


class ExtensionIn(Schema):
    new_end: dt.date = Field(description="The new end date of the period of registration")
    reason: str = Field("", max_length=2000, description="Required: why the period is extended")


class ExtensionOut(Schema):
    previous_end: dt.date
    new_end: dt.date
    reason: str
    by: Person | None
    at: dt.datetime


class PlanUnitIn(Schema):
    unit: str
    assessor_id: int | None = None
    target_date: dt.date | None = None


class PlanIn(Schema):
    units: list[PlanUnitIn]
    internal_verifier_id: int | None = None
    allow_units_without_content: bool | None = Field(
        None,
        description="Allow units whose content is not in the catalogue (credit transfer "
        "only, ADR 0010); omitted keeps the registration's choice",
    )


class PlanSetOut(Schema):
    units: list[PlanUnitIn]
    internal_verifier_id: int | None
    check: PlanDecision


class SignatureIn(Schema):
    document: Literal["induction", "learning_contract"]
    capacity: Literal["candidate", "assessor", "employer"]
    text: str = Field(min_length=1, max_length=20000, description="The text being signed")


class AccountIn(Schema):
    user_id: int = Field(description="The account the candidate signs in with")


class EmployerContactIn(Schema):
    user_id: int | None = Field(
        description="An employer contact at the candidate's centre (null: none)"
    )


class CandidateLinksOut(Schema):
    candidate_id: int
    account: Person | None = Field(description="The candidate's own sign-in")
    employer_contact: Person | None


class RplIn(Schema):
    unit: str
    evidence: str = Field(min_length=1, max_length=20000)


class CreditTransferIn(Schema):
    unit: str
    certificate_reference: str = Field(min_length=1, max_length=120)
    note: str = Field("", max_length=20000)


class RplDecisionIn(Schema):
    accept: bool


class JobRoleIn(Schema):
    delivers_service_directly: bool = False
    monitors_or_develops_quality: bool = False
    leads_team_or_department: bool = False
    plans_or_implements_strategy: bool = False
    advises_on_customer_service: bool = False
    first_qualification_or_new_to_work: bool = False


class InitialAssessmentIn(Schema):
    training_needs: str = Field("", max_length=20000)
    support_needs: str = Field("", max_length=20000)
    job_role: JobRoleIn = Field(default_factory=JobRoleIn)


class RowErrors(Schema):
    row: int = Field(description="Row number in the file; the header is row 1")
    errors: list[str]


class BulkReport(Schema):
    dry_run: bool
    rows: int
    ok: bool
    errors: list[RowErrors] = Field(description="Every row that cannot be registered")


class BulkImported(Schema):
    imported: int
    registrations: list[int]
