"""Request and response shapes of the portfolio endpoints."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from ninja import Field, Schema

from assay.api.schemas import PageOut


class RegistrationPlanCompleteIn(Schema):
    have: list[str] = Field(default_factory=list, description="Units already achieved")
    exclude: list[str] = Field(default_factory=list, description="Units the candidate cannot take")
    objective: Literal["fewest-glh", "fewest-units", "most-reuse"] = Field(
        "most-reuse",
        description="most-reuse prefers units whose criteria the portfolio already evidences",
    )
    allow_without_content: bool | None = Field(
        None,
        description="Suggest units whose content is not in the catalogue (credit transfer "
        "only); omitted follows the registration's learning plan",
    )


class CriterionOut(Schema):
    number: str
    evidenced_by: list[str] = Field(
        description="The earliest 5 items confirmed for it from accepted contexts"
    )
    proposed_by: list[str] = Field(description="The earliest 5 items proposed for it")
    evidenced_count: int = Field(description="How many items are confirmed for it, in all")
    proposed_count: int = Field(description="How many items are proposed for it, in all")
    judged_met: bool | None
    done: bool
    missing: str | None


class RangeOut(Schema):
    requirement: str
    select: int | None
    covered: list[str]
    missing_count: int
    done: bool
    explanation: str


class SpanOut(Schema):
    start: str
    end: str
    days: int


class UnitCoverageOut(Schema):
    unit: str
    state: str
    progress: float
    ready_to_sign_off: bool
    assessable: bool = Field(
        description="False when the unit's content is not in the catalogue (ADR 0010)"
    )
    reasons: list[str]
    criteria: list[CriterionOut]
    ranges: list[RangeOut]
    context_problems: list[str]
    span: SpanOut | None
    span_sufficient: bool


class PortfolioOut(Schema):
    registration_id: int
    last_seq: int = Field(description="Send as expected_seq with the next assessment act")
    credits_achieved: int
    signed_off: list[str]
    credited: list[str] = Field(description="Units achieved by credit transfer (ADR 0010)")
    rules_met: bool
    summary: str
    units: list[UnitCoverageOut]
    evidence_count: int = Field(description="Evidence items in the portfolio")
    evidence: PageOut[int] = Field(
        description="A page of the evidence item ids, newest first (?cursor=, ?size=)"
    )


MethodName = Literal[
    "observation",
    "product",
    "witness_testimony",
    "expert_witness",
    "professional_discussion",
    "questioning_oral",
    "questioning_written",
    "reflective_account",
    "rpl",
]


class EvidenceIn(Schema):
    method: MethodName
    started_on: date
    ended_on: date | None = None
    place: str = ""
    description: str
    context: Literal["real_job", "realistic_environment", "simulation"]
    simulation_exception: bool = False


class EvidenceOut(Schema):
    id: int
    registration_id: int
    method: str
    started_on: date
    ended_on: date
    place: str
    description: str
    context: str
    simulation_exception: bool


class FileOut(Schema):
    id: int
    item_id: int
    sha256: str
    size: int
    media_type: str
    original_name: str


class MappingIn(Schema):
    unit: str
    target: str = Field(description='A criterion ("1.2") or a range item ("6b")')


class MappingOut(Schema):
    id: int
    item_id: int
    unit: str
    target: str
    status: str


class MappingDecisionIn(Schema):
    confirm: bool
    expected_seq: int | None = None
    reason: str = Field("", description="Required to reject: what the candidate is told")


class ConfirmAllIn(Schema):
    item: int = Field(description="The evidence item whose proposals for the unit to confirm")
    expected_seq: int | None = None


class JudgeManyIn(Schema):
    criteria: list[str] = Field(description="Criteria to judge met, one decision each")
    feedback: str = ""
    expected_seq: int | None = None


class DeclarationOut(Schema):
    text: str
    sha256: str


class JudgementIn(Schema):
    criterion: str
    met: bool
    feedback: str = ""
    expected_seq: int | None = None


class SpanIn(Schema):
    sufficient_days: int
    expected_seq: int | None = None


class SignOffIn(Schema):
    expected_seq: int | None = None
    declaration_sha256: str | None = Field(
        None, description="SHA-256 of the declaration text read (GET .../declaration)"
    )


class ReopenIn(Schema):
    reason: str
    expected_seq: int | None = None


class DecisionOut(Schema):
    seq: int
    kind: str
    unit: str
    payload: dict[str, Any]
    actor: str
    at: str
    prev_hash: str
    hash: str
