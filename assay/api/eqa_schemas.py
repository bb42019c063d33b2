"""Schemas of the external verification endpoints: visits, sanctions, lifts."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

from assay.api import schemas as s
from assay.eqa.models import ActionPoint, Sanction, Visit

TEXT = 20000


class ActionPointIn(Schema):
    text: str = Field(max_length=TEXT)
    owner: str = Field(max_length=150, description="Username of someone on the centre's staff")
    due_on: dt.date


class VisitIn(Schema):
    on: dt.date
    mode: Literal["on_site", "remote"]
    status: Literal["planned", "done"] = "planned"
    sample_request: str = Field("", max_length=TEXT, description="The centre sees it")
    findings: str = Field("", max_length=TEXT, description="Required once the visit is done")
    risk: Literal["", "low", "medium", "high"] = Field("", description="Required once done")
    risk_reasons: str = Field("", max_length=TEXT)
    action_points: list[ActionPointIn] = Field(default_factory=list, max_length=50)


class FindingsIn(Schema):
    findings: str = Field(max_length=TEXT)
    risk: Literal["low", "medium", "high"]
    risk_reasons: str = Field(max_length=TEXT)
    action_points: list[ActionPointIn] = Field(default_factory=list, max_length=50)


class ActionPointOut(Schema):
    id: int
    text: str
    owner: str
    due_on: dt.date
    done_at: dt.datetime | None
    done_by: str | None

    @staticmethod
    def of(p: ActionPoint) -> dict[str, Any]:
        return {
            "id": p.pk,
            "text": p.text,
            "owner": p.owner.get_username(),
            "due_on": p.due_on,
            "done_at": p.done_at,
            "done_by": p.done_by.get_username() if p.done_by else None,
        }


class VisitOut(Schema):
    id: int
    centre_id: int
    verifier: str
    on: dt.date
    mode: str
    status: str
    sample_request: str
    findings: str
    risk: str
    risk_reasons: str
    action_points: list[ActionPointOut]

    @staticmethod
    def of(v: Visit) -> dict[str, Any]:
        return {
            "id": v.pk,
            "centre_id": v.centre_id,
            "verifier": v.verifier.get_username(),
            "on": v.on,
            "mode": v.mode,
            "status": v.status,
            "sample_request": v.sample_request,
            "findings": v.findings,
            "risk": v.risk,
            "risk_reasons": v.risk_reasons,
            "action_points": [ActionPointOut.of(p) for p in v.action_points.all()],
        }


class VisitsOut(s.PageOut[VisitOut]):
    """One page of the centre's visits (newest first), with the centre's risk rating and
    direct claims status today."""

    risk: str
    risk_reasons: list[str]
    direct_claims: bool
    direct_claims_reasons: list[str]


class SanctionIn(Schema):
    level: Literal[
        "action_plan", "claims_suspended", "registrations_suspended", "approval_withdrawn"
    ]
    reason: str = Field(max_length=TEXT)
    applied_on: dt.date
    qualification_code: str = Field("", max_length=64, description="Blank: the whole centre")
    confirm: bool = Field(False, description="Must be true: a sanction blocks what it names")


class LiftIn(Schema):
    lifted_on: dt.date
    reason: str = Field(max_length=TEXT)
    confirm: bool = Field(False, description="Must be true")


class SanctionOut(Schema):
    id: int
    centre_id: int
    qualification_code: str
    level: str
    reason: str
    applied_on: dt.date
    applied_by: str
    lifted_on: dt.date | None
    lifted_by: str | None
    lift_reason: str

    @staticmethod
    def of(row: Sanction) -> dict[str, Any]:
        return {
            "id": row.pk,
            "centre_id": row.centre_id,
            "qualification_code": row.qualification_code,
            "level": row.level,
            "reason": row.reason,
            "applied_on": row.applied_on,
            "applied_by": row.applied_by.get_username(),
            "lifted_on": row.lifted_on,
            "lifted_by": row.lifted_by.get_username() if row.lifted_by else None,
            "lift_reason": row.lift_reason,
        }
