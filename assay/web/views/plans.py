"""Plan builder: tick units, see every rule of combination met or not, ask for a completion.

Each POST answers htmx with the results panel alone and a plain form POST with the whole page,
so the builder works without JavaScript. The rule states come from ``assay.catalogue.planning``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from assay.catalogue import planning, selectors
from assay.catalogue.models import Qualification
from assay.engines.combination.model import Unit as EngineUnit
from assay.engines.combination.planner import Objective
from assay.errors import NotFound
from assay.web.requests import HtmxRequest
from assay.web.views.common import qualification_or_404, units_by_group

# Keyed by the planner's own values, so the form can never drift from what it accepts.
OBJECTIVES = {
    Objective.FEWEST_GLH.value: "Fewest guided learning hours",
    Objective.FEWEST_UNITS.value: "Fewest units",
}
DEFAULT_OBJECTIVE = Objective.FEWEST_GLH.value


class BadPlan(ValueError):
    """The request names something the plan cannot contain (answered with a 400)."""


@dataclass(frozen=True, slots=True)
class PlanChoice:
    """What the learner ticked: achieved units, units to leave out, and what to minimise."""

    units: list[str]
    exclude: list[str]
    objective: str
    allow_without_content: bool = False


def _plan_choice(data: QueryDict) -> PlanChoice:
    """Read the form; unit numbers are left to the planning service, which knows the units."""
    objective = data.get("objective") or DEFAULT_OBJECTIVE
    if objective not in OBJECTIVES:
        raise BadPlan(f"unknown objective {objective!r}; choose one of {', '.join(OBJECTIVES)}")
    allow = bool(data.get("allow_without_content"))
    return PlanChoice(data.getlist("unit"), data.getlist("exclude"), objective, allow)


def _builder_url(qual: Qualification, units: list[str]) -> str:
    """A bookmarkable builder address with these units ticked."""
    query = urlencode([("unit", n) for n in units])
    return f"{reverse('plan-builder', args=[qual.code])}?{query}"


def _render(
    request: HtmxRequest, qual: Qualification, choice: PlanChoice, **result: Any
) -> HttpResponse:
    """The results panel for htmx, the whole builder page otherwise."""
    context = {"qual": qual, "choice": choice, "objectives": OBJECTIVES, **result}
    if request.htmx:
        return render(request, "web/plans/_result.html", context)
    context["groups"] = units_by_group(selectors.units_overview(qual))
    context["without_content"] = selectors.units_without_content(qual)
    return render(request, "web/plans/builder.html", context)


def _bad_request(request: HtmxRequest, qual: Qualification, error: Exception) -> HttpResponse:
    """A 400 that says exactly what was wrong and computes nothing."""
    message = str(error)
    message = message[:1].upper() + message[1:]
    template = "web/plans/_error.html" if request.htmx else "web/plans/bad_request.html"
    return render(request, template, {"qual": qual, "message": message}, status=400)


@require_GET
def plan_index(request: HttpRequest) -> HttpResponse:
    """Choose the qualification to plan towards."""
    context = {"qualifications": selectors.qualification_list()}
    return render(request, "web/plans/index.html", context)


def _check(request: HtmxRequest, key: str, data: QueryDict) -> HttpResponse:
    qual = qualification_or_404(key)
    try:
        choice = _plan_choice(data)
        decision = planning.plan_check(qual, choice.units)
    except (BadPlan, NotFound) as exc:
        return _bad_request(request, qual, exc)
    return _render(request, qual, choice, decision=decision)


@require_GET
def plan_builder(request: HtmxRequest, key: str) -> HttpResponse:
    """The builder; ``?unit=`` pre-ticks units so a plan can be bookmarked or shared."""
    return _check(request, key, request.GET)


@require_POST
def plan_check(request: HtmxRequest, key: str) -> HttpResponse:
    """Every rule of combination, met or not, for the ticked units."""
    return _check(request, key, request.POST)


@require_POST
def plan_complete(request: HtmxRequest, key: str) -> HttpResponse:
    """The optimal units to add to the ticked ones, or the reason no completion exists."""
    qual = qualification_or_404(key)
    try:
        choice = _plan_choice(request.POST)
        completion = planning.plan_complete(
            qual,
            have=choice.units,
            exclude=choice.exclude,
            objective=choice.objective,
            allow_without_content=choice.allow_without_content,
        )
    except (BadPlan, NotFound) as exc:
        return _bad_request(request, qual, exc)
    spec = selectors.qualification_engine_spec(qual)
    suggested: list[EngineUnit] = [spec.unit(n) for n in completion.add]
    apply_url = _builder_url(qual, [*choice.units, *completion.add])
    return _render(
        request, qual, choice, completion=completion, suggested=suggested, apply_url=apply_url
    )
