"""Request schemas of the centre and registration endpoints (pydantic, through django-ninja),
and the few answers made here (a saved plan, a bulk file's report). Every other answer is a
domain read model (``registrations.shapes``, ``registrations.dashboard``), described there once.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from assay.catalogue.planning import PlanDecision
from assay.registrations.shapes import JobKindName, StatusName

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
