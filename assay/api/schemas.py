"""Request and response schemas of the API (pydantic, through django-ninja)."""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from ninja import Schema
from pydantic import Field

T = TypeVar("T")


class ErrorBody(Schema):
    status: int
    code: str
    message: str
    details: list[Any]


class Error(Schema):
    error: ErrorBody


class QualificationSummary(Schema):
    code: str
    id: str
    version: str
    title: str
    level: int
    awarding_body: str


class Criterion(Schema):
    number: str
    text: str


class Outcome(Schema):
    number: str
    title: str
    criteria: list[Criterion]


class RangeItem(Schema):
    key: str
    text: str


class Range(Schema):
    select: int | Literal["all"]
    items: list[RangeItem]


class EvidenceRequirement(Schema):
    number: str
    text: str
    range: Range | None = None


class Element(Schema):
    number: str
    title: str


class UnitOut(Schema):
    number: str
    code: str
    title: str
    level: int
    credit: int | None
    glh: int | None
    group: str
    group_id: str
    mandatory: bool
    nos: str | None = None
    ndaq: str | None = None
    aim: str | None = None
    outcomes: list[Outcome]
    evidence_requirements: list[EvidenceRequirement]
    elements: list[Element] | None = None
    real_job_required: bool | None = None
    simulation: dict[str, Any] | None = None


class Group(Schema):
    id: str
    name: str
    mandatory: bool


class QualificationOut(QualificationSummary):
    accreditation_number: str | None
    last_registration: str | None
    last_certification: str | None
    minimum_age: int | None
    groups: list[Group]
    rules: list[dict[str, Any]]
    units: list[UnitOut]


class PlanCheckIn(Schema):
    qualification: str = Field(description="Code (4430-04) or id (cg-4430-04)")
    units: list[str] = Field(default_factory=list, description="Achieved units, as printed")


class PlanCompleteIn(Schema):
    qualification: str
    have: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    objective: Literal["fewest-glh", "fewest-units"] = "fewest-glh"
    allow_without_content: bool = Field(
        False, description="Suggest units whose content is not in the catalogue (ADR 0010)"
    )


class CriterionHit(Schema):
    qualification: str
    unit: str
    number: str
    text: str


class AnchorHead(Schema):
    """One chain's head as the anchor log writes it (docs/records.md)."""

    type: str
    chain: str
    length: int
    hash: str
    at: str


class PageQuery(Schema):
    """Keyset paging of every API list: ``cursor`` from the previous answer's ``next`` or
    ``previous``, ``size`` rows (1–200, default 50)."""

    cursor: str | None = Field(default=None, max_length=4096)
    size: int = Field(default=50, ge=1, le=200)


class PageOut(Schema, Generic[T]):
    """One page of a list: ``items``, and the cursors of the next and previous pages (null at
    either end). Pass a cursor back as ``?cursor=`` to read that page."""

    items: list[T]
    next: str | None
    previous: str | None
    size: int
