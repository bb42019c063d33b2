"""Catalogue and planning endpoints. Reference data: readable without signing in (ADR 0004)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from assay.api import schemas as s
from assay.catalogue import selectors
from assay.catalogue.models import Criterion
from assay.catalogue.planning import PlanCompletion, PlanDecision, plan_check, plan_complete
from assay.keyset import Page

router = Router(tags=["catalogue"])
ERRORS: dict[int, type[s.Error]] = {404: s.Error, 422: s.Error}
LIST_ERRORS: dict[int, type[s.Error]] = {400: s.Error, 422: s.Error}


@router.get("qualifications", response={200: s.PageOut[s.QualificationSummary], **LIST_ERRORS})
def qualifications(request: HttpRequest, page: Query[s.PageQuery]) -> Page[dict[str, Any]]:
    """The newest version of every qualification, by code, one page at a time."""
    found = selectors.qualifications_page(page.cursor, page.size)
    return found.map(selectors.qualification_summary)


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


def _hit(c: Criterion) -> dict[str, Any]:
    return {
        "qualification": c.unit.qualification.code,
        "unit": c.unit.number,
        "number": c.number,
        "text": c.text,
    }


@router.get("criteria", response={200: s.PageOut[s.CriterionHit], **LIST_ERRORS})
def criteria(request: HttpRequest, q: str, page: Query[s.PageQuery]) -> Page[dict[str, Any]]:
    """Search assessment criteria (and Edexcel elements) containing every word of ``q``, by
    qualification, unit and number, one page at a time."""
    return selectors.criteria_page(q, page.cursor, page.size).map(_hit)


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
