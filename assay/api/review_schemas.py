"""Request and response shapes of the assessment plan and review endpoints."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema


class ActivityIn(Schema):
    description: str
    method: str = Field(description="An assessment method, e.g. observation")
    targets: list[str] = Field(description='"unit:target", e.g. "401:1.2" or range item "411:5f"')
    target_date: date = Field(description="Not after the registration's end date")


class ReviewPlanIn(Schema):
    kind: Literal["plan", "review"]
    met_on: date
    summary: str
    notes: str = ""
    next_review_on: date | None = None
    activities: list[ActivityIn] = Field(default_factory=list)


class ActivityOut(Schema):
    id: int
    position: int
    description: str
    method: str
    targets: list[str]
    target_date: date
    completed_on: date | None
    completed_by: str | None
    completed_at: datetime | None


class ReviewSignatureOut(Schema):
    id: int
    plan_id: int
    signer: str
    capacity: str
    text_sha256: str
    at: datetime


class UnitSnapshotOut(Schema):
    unit: str
    met: int
    total: int
    signed_off: bool


class UnitChangeOut(Schema):
    unit: str
    met_before: int | None
    met_after: int
    total: int
    gained: int
    newly_signed_off: bool


class ReviewPlanOut(Schema):
    id: int
    registration_id: int
    kind: str
    met_on: date
    summary: str
    notes: str
    next_review_on: date | None
    created_by: str
    created_at: datetime
    text: str = Field(description="The exact text each signer signs")
    text_sha256: str
    signed: bool
    activities: list[ActivityOut]
    signatures: list[ReviewSignatureOut]
    coverage: list[UnitSnapshotOut] = Field(description="Each planned unit when recorded")
    progress: list[UnitChangeOut] | None = Field(
        description="A review's progress since the record before it (null otherwise)"
    )


class SignIn(Schema):
    capacity: Literal["candidate", "assessor", "employer"]
    text_sha256: str | None = Field(
        None, description="SHA-256 of the text you read; refused if the plan changed since"
    )


class CompleteIn(Schema):
    completed_on: date | None = Field(None, description="Default: today")
