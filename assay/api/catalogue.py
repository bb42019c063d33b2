"""Catalogue and planning endpoints. Reference data: readable without signing in (ADR 0004)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from assay.api import schemas as s
from assay.catalogue import selectors
from assay.catalogue.planning import PlanCompletion, PlanDecision, plan_check, plan_complete

router = Router(tags=["catalogue"])
ERRORS: dict[int, type[s.Error]] = {404: s.Error, 422: s.Error}


@router.get("qualifications", response=list[s.QualificationSummary])
def qualifications(request: HttpRequest) -> list[dict[str, Any]]:
    """The newest version of every qualification."""
    return [selectors.qualification_summary(q) for q in selectors.qualification_list()]


@router.get("qualifications/{key}", response={200: s.QualificationOut, **ERRORS})
def qualification(request: HttpRequest, key: str, version: str | None = None) -> dict[str, Any]:
    """One qualification by code or id, with groups, rules and every unit."""
    return selectors.qualification_dict(selectors.qualification_get(key, version=version))


@router.get("qualifications/{key}/units", response={200: list[s.UnitOut], **ERRORS})
def units(request: HttpRequest, key: str) -> list[dict[str, Any]]:
    qual = selectors.qualification_get(key)
    return [selectors.unit_dict(u) for u in selectors.units_of(qual)]


@router.get("qualifications/{key}/units/{number}", response={200: s.UnitOut, **ERRORS})
def unit(request: HttpRequest, key: str, number: str) -> dict[str, Any]:
    qual = selectors.qualification_get(key)
    return selectors.unit_dict(selectors.unit_get(qual, number))


@router.get("criteria", response=list[s.CriterionHit])
def criteria(request: HttpRequest, q: str) -> list[dict[str, Any]]:
    """Search assessment criteria (and Edexcel elements) containing every word of ``q``."""
    return [
        {
            "qualification": c.unit.qualification.code,
            "unit": c.unit.number,
            "number": c.number,
            "text": c.text,
        }
        for c in selectors.criteria_search(q)
    ]


@router.post("plans/check", response={200: PlanDecision, **ERRORS}, tags=["plans"])
def check(request: HttpRequest, body: s.PlanCheckIn) -> PlanDecision:
    """Decide whether the achieved units achieve the qualification, rule by rule."""
    return plan_check(selectors.qualification_get(body.qualification), body.units)


@router.post("plans/complete", response={200: PlanCompletion, **ERRORS}, tags=["plans"])
def complete(request: HttpRequest, body: s.PlanCompleteIn) -> PlanCompletion:
    """The optimal units to add (fewest guided learning hours by default), or why none exist."""
    qual = selectors.qualification_get(body.qualification)
    return plan_complete(
        qual,
        have=body.have,
        exclude=body.exclude,
        objective=body.objective,
        allow_without_content=body.allow_without_content,
    )
