"""Assessment plans and progress reviews of a registration: the list with activities,
signatures and progress between reviews, and the forms to record, edit, sign and complete.

Thin views: parse, call one service or selector, render. A registration (or plan, activity)
the user may not see answers 404; an act their role does not allow answers 403 with the
service's reason; bad input re-renders the page with the errors (400) and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assay.errors import InvalidInput, NotAllowed
from assay.portfolios.services import is_assessor_of
from assay.registrations.models import Registration
from assay.registrations.selectors import registration_get
from assay.registrations.signing import origin_of
from assay.reviews.models import Capacity, Kind
from assay.reviews.selectors import activity_get, plan_get, plan_view, reviews_page
from assay.reviews.services import (
    activity_complete,
    capacities_of,
    plan_create,
    plan_sign,
    plan_update,
)
from assay.web.flow import done, submit
from assay.web.requests import AuthedRequest
from assay.web.review_forms import ActivityForm, CompleteForm, PlanForm, SignForm, parse_plan
from assay.web.views.access import member_view

ASSESSORS_ONLY = "only an assessor of this candidate can record or change plans and reviews"


def _page(
    request: AuthedRequest,
    registration: Registration,
    *,
    errors: list[str] | None = None,
    plan_form: forms.Form | None = None,
    rows: list[ActivityForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    views = reviews_page(registration, request.GET.get("cursor"), request.GET.get("size"))
    capacities = capacities_of(user, registration)
    labels = dict(Capacity.choices)
    cards = [
        {
            "view": v,
            "can_sign": [(c, labels[c]) for c in capacities if c not in v.signed_capacities],
        }
        for v in views
    ]
    can_write = is_assessor_of(user, registration)
    context = {
        "reg": registration,
        "cards": cards,
        "views": views,
        "can_write": can_write,
        "plan_form": plan_form or PlanForm(initial={"kind": Kind.PLAN}),
        "rows": rows if rows is not None else [ActivityForm()],
        "errors": errors or [],
        "complete_form": CompleteForm(),
    }
    return render(request, "web/reviews/index.html", context, status=status)


def _form_errors(*all_forms: forms.Form) -> list[str]:
    return [str(e) for f in all_forms for errs in f.errors.values() for e in errs]


@require_GET
@member_view
def reviews(request: AuthedRequest, pk: int) -> HttpResponse:
    """Every plan and review with its activities, signatures and progress since the last."""
    return _page(request, registration_get(request.user, pk))


@require_GET
@member_view
def activity_row(request: AuthedRequest, pk: int) -> HttpResponse:
    """One more empty activity row for the plan form (htmx)."""
    registration = registration_get(request.user, pk)
    if not is_assessor_of(request.user, registration):
        raise NotAllowed(ASSESSORS_ONLY)
    return render(request, "web/reviews/_activity_row.html", {"row": ActivityForm()})


@require_POST
@member_view
def plan_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a plan or review (``plan_create``)."""
    registration = registration_get(request.user, pk)
    if not is_assessor_of(request.user, registration):
        raise NotAllowed(ASSESSORS_ONLY)
    form, rows, data = parse_plan(request.POST)
    errors = _form_errors(form, *rows)
    if data is not None:
        try:
            plan = plan_create(by=request.user, registration=registration, data=data)
        except InvalidInput as exc:
            errors = [_sentence(m) for m in exc.errors.values()]
        else:
            messages.success(
                request, f"{plan.get_kind_display()} of {plan.met_on:%d/%m/%Y} recorded."
            )
            return redirect("reviews", pk=pk)
    return _page(
        request,
        registration,
        errors=errors,
        plan_form=form,
        rows=rows or [ActivityForm()],
        status=400,
    )


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


@require_http_methods(["GET", "POST"])
@member_view
def plan_edit(request: AuthedRequest, pk: int, plan_pk: int) -> HttpResponse:
    """Change an unsigned plan (``plan_update``); a signed one is frozen."""
    plan = plan_get(request.user, pk, plan_pk)
    if not is_assessor_of(request.user, plan.registration):
        raise NotAllowed(ASSESSORS_ONLY)
    errors: list[str] = []
    status = 200
    if request.method == "POST":
        form, rows, data = parse_plan(request.POST)
        errors = _form_errors(form, *rows)
        if data is not None:
            try:
                plan_update(by=request.user, plan=plan, data=data)
            except InvalidInput as exc:
                errors = [_sentence(m) for m in exc.errors.values()]
            else:
                messages.success(request, f"{plan.get_kind_display()} changed.")
                return redirect("reviews", pk=pk)
        status = 400
    else:
        form = PlanForm(
            initial={
                "kind": plan.kind,
                "met_on": plan.met_on,
                "summary": plan.summary,
                "notes": plan.notes,
                "next_review_on": plan.next_review_on,
            }
        )
        rows = [
            ActivityForm(
                initial={
                    "description": a.description,
                    "method": a.method,
                    "targets": ", ".join(a.targets),
                    "target_date": a.target_date,
                }
            )
            for a in plan.activities.all()
        ]
        if plan.signatures.exists():
            errors = [
                "This plan has been signed and its text is frozen; record a new plan instead."
            ]
    context = {
        "reg": plan.registration,
        "plan": plan,
        "plan_form": form,
        "rows": rows or [ActivityForm()],
        "errors": errors,
    }
    return render(request, "web/reviews/edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
@member_view
def sign(request: AuthedRequest, pk: int, plan_pk: int) -> HttpResponse:
    """Show the exact text being signed and sign it (``plan_sign``) in one's own capacity."""
    plan = plan_get(request.user, pk, plan_pk)
    registration = plan.registration
    capacities = capacities_of(request.user, registration)
    if not capacities:
        raise NotAllowed("only the candidate, one of their assessors or their employer can sign")
    view = plan_view(registration, plan.pk)
    labels = dict(Capacity.choices)
    choices = [(c, labels[c]) for c in capacities if c not in view.signed_capacities]
    form = SignForm(
        initial={"text_sha256": view.sha256, "capacity": choices[0][0] if choices else ""}
    )
    form.offer(choices)

    def show(form: SignForm, status: int = 400) -> HttpResponse:
        context = {"reg": registration, "view": view, "form": form, "choices": choices}
        return render(request, "web/reviews/sign.html", context, status=status)

    def act(data: dict[str, Any]) -> HttpResponse:
        signature = plan_sign(
            by=request.user,
            plan=plan,
            capacity=data["capacity"],
            origin=origin_of(request),
            expected_sha256=data["text_sha256"],
        )
        capacity = signature.get_capacity_display().lower()
        return done(request, f"{plan.get_kind_display()} signed as {capacity}.", "reviews", pk=pk)

    if request.method != "POST":
        return show(form, status=200)
    form = SignForm(request.POST)
    form.offer(Capacity.choices)
    return submit(form, act, show)


@require_POST
@member_view
def activity_done(request: AuthedRequest, pk: int, activity_pk: int) -> HttpResponse:
    """An assessor marks a planned activity done (``activity_complete``)."""
    activity = activity_get(request.user, pk, activity_pk)

    def act(data: dict[str, Any]) -> HttpResponse:
        activity_complete(by=request.user, activity=activity, on=data["completed_on"])
        marked = f"Activity “{activity.description[:60]}” marked done."
        return done(request, marked, "reviews", pk=pk)

    def again(form: CompleteForm) -> HttpResponse:
        registration = activity.plan.registration
        return _page(request, registration, errors=_form_errors(form), status=400)

    return submit(CompleteForm(request.POST), act, again)
