"""The assessor's unit screen: criterion cards, the evidence of this unit with inline previews,
bulk acts, sign-off with the assessor's declaration, and the reopening history.

Thin views over ``unit_screen`` (the read model) and one service each. With htmx an act answers
the page, from which the form picks its own card (``hx-select``) and the summary, decision
number and evidence panel out of band; an error answers 400 and is shown next to the control
that caused it. Without JavaScript the forms post and redirect as before.

The unit's evidence is shown a page at a time (``?cursor=``); the forms carry the page's cursor
so that an act answers (or redirects to) the page the assessor was on. A bad page link answers
400 with its reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from csp.constants import SELF
from csp.decorators import csp_replace
from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from assay.errors import InvalidInput
from assay.portfolios.assessment import (
    criterion_judge,
    mapping_decide,
    span_record,
    unit_reopen,
    unit_sign_off,
)
from assay.portfolios.bulk import criteria_judge_met, proposals_confirm_all
from assay.portfolios.models import CriterionMapping, EvidenceItem
from assay.portfolios.services import is_candidate
from assay.portfolios.unit_screen import evidence_file_preview, unit_screen
from assay.registrations.models import Registration
from assay.registrations.selectors import registration_get
from assay.web.flow import submit
from assay.web.portfolio_forms import (
    ConfirmAllForm,
    DecideForm,
    JudgeForm,
    JudgeManyForm,
    ReopenForm,
    SignOffForm,
    SpanForm,
)
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view


def _page(
    request: AuthedRequest,
    pk: int,
    unit: str,
    error_at: str = "",
    form: forms.Form | None = None,
    notice: str = "",
    status: int = 200,
) -> HttpResponse:
    cursor = _cursor(request)
    page_error = ""
    try:
        screen = unit_screen(request.user, pk, unit, cursor, request.GET.get("size"))
    except InvalidInput as exc:
        page_error, cursor, status = " ".join(exc.errors.values()), "", 400
        screen = unit_screen(request.user, pk, unit)
    if screen is None:
        raise Http404(f"unit {unit} is not on this learning plan")
    context = {
        "cursor": cursor,
        "page_error": page_error,
        "s": screen,
        "reg": screen.registration,
        "unit": unit,
        "error_at": error_at,
        "error_form": form,
        "notice": notice,
        "is_candidate": is_candidate(request.user, screen.registration),
    }
    return render(request, "web/portfolio/unit.html", context, status=status)


@require_GET
@member_view
def unit_page(request: AuthedRequest, pk: int, unit: str) -> HttpResponse:
    """Criterion cards, the unit's evidence, judgements, the evidence span and sign-off."""
    return _page(request, pk, unit)


def _cursor(request: AuthedRequest) -> str:
    """The page of evidence shown: from the link, or from the form that was posted on it."""
    return str(request.GET.get("cursor") or request.POST.get("cursor") or "")


def _done(request: AuthedRequest, pk: int, unit: str, message: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        return _page(request, pk, unit, notice=message)
    messages.success(request, message)
    cursor = _cursor(request)
    if not cursor:
        return redirect("portfolio-unit", pk=pk, unit=unit)
    query = QueryDict(mutable=True)
    query["cursor"] = cursor
    return redirect(
        reverse("portfolio-unit", kwargs={"pk": pk, "unit": unit}) + "?" + query.urlencode()
    )


def _act(
    request: AuthedRequest,
    pk: int,
    unit: str,
    form: forms.Form,
    error_at: str,
    act: Callable[[Registration, dict[str, Any]], str],
) -> HttpResponse:
    """Validate ``form``, call the service through ``act`` (it returns the message), or answer
    the page (400) with the errors at ``error_at`` (the card or section of the control)."""
    registration = registration_get(request.user, pk)
    return submit(
        form,
        lambda data: _done(request, pk, unit, act(registration, data)),
        lambda form: _page(request, pk, unit, error_at, form, status=400),
    )


def _anchor(target: str) -> str:
    return "criterion-" + target.replace(".", "-")


@require_POST
@member_view
def mapping_decision(request: AuthedRequest, pk: int, mapping_pk: int) -> HttpResponse:
    """Confirm or reject (with a reason) one mapping (``mapping_decide``)."""
    registration = registration_get(request.user, pk)
    mapping = (
        CriterionMapping.objects.select_related("item__registration")
        .filter(pk=mapping_pk, item__registration=registration)
        .first()
    )
    if mapping is None:
        raise Http404(f"no mapping {mapping_pk} in registration {pk}")

    def act(_: Registration, data: dict[str, Any]) -> str:
        confirm = data["decision"] == "confirm"
        mapping_decide(
            by=request.user,
            mapping=mapping,
            confirm=confirm,
            expected_seq=data["expected_seq"],
            reason=data["reason"],
        )
        verdict = "confirmed" if confirm else "rejected"
        return f"Evidence {mapping.item_id} for {mapping.target} {verdict}."

    form = DecideForm(request.POST)
    return _act(request, pk, mapping.unit_number, form, _anchor(mapping.target), act)


@require_POST
@member_view
def confirm_all(request: AuthedRequest, pk: int, unit: str) -> HttpResponse:
    """Confirm every proposal of one evidence item for this unit (one decision each)."""

    def act(registration: Registration, data: dict[str, Any]) -> str:
        item = EvidenceItem.objects.filter(registration=registration, pk=data["item"]).first()
        if item is None:
            raise Http404(f"no evidence item {data['item']} in registration {pk}")
        done = proposals_confirm_all(
            by=request.user,
            item=item,
            unit=unit,
            expected_seq=data["expected_seq"],
        )
        return f"{len(done)} proposals of evidence {item.pk} confirmed."

    form = ConfirmAllForm(request.POST)
    return _act(request, pk, unit, form, f"item-{request.POST.get('item', '')}", act)


@require_POST
@member_view
def judge(request: AuthedRequest, pk: int, unit: str) -> HttpResponse:
    """Judge one criterion met or not yet met, with feedback (``criterion_judge``)."""

    def act(registration: Registration, data: dict[str, Any]) -> str:
        met = data["verdict"] == "met"
        criterion_judge(
            by=request.user,
            registration=registration,
            unit=unit,
            criterion=data["criterion"],
            met=met,
            feedback=data["feedback"],
            expected_seq=data["expected_seq"],
        )
        return f"Criterion {data['criterion']} {'met' if met else 'not yet met'}."

    form = JudgeForm(request.POST)
    return _act(request, pk, unit, form, _anchor(request.POST.get("criterion", "")), act)


@require_POST
@member_view
def judge_many(request: AuthedRequest, pk: int, unit: str) -> HttpResponse:
    """Judge the ticked criteria met at once (``criteria_judge_met``: one decision each)."""

    def act(registration: Registration, data: dict[str, Any]) -> str:
        criteria_judge_met(
            by=request.user,
            registration=registration,
            unit=unit,
            criteria=data["criteria"],
            feedback=data["feedback"],
            expected_seq=data["expected_seq"],
        )
        return f"Criteria {', '.join(data['criteria'])} met."

    form = JudgeManyForm(request.POST)
    form.offer(request.POST.getlist("criteria"))  # the service checks each against the unit
    return _act(request, pk, unit, form, "judge-many", act)


@require_POST
@member_view
def span(request: AuthedRequest, pk: int, unit: str) -> HttpResponse:
    """Record the evidence period found sufficient (``span_record``)."""

    def act(registration: Registration, data: dict[str, Any]) -> str:
        span_record(
            by=request.user,
            registration=registration,
            unit=unit,
            sufficient_days=data["sufficient_days"],
            expected_seq=data["expected_seq"],
        )
        return f"Sufficient evidence period: {data['sufficient_days']} days."

    return _act(request, pk, unit, SpanForm(request.POST), "span", act)


@require_POST
@member_view
def sign_off(request: AuthedRequest, pk: int, unit: str) -> HttpResponse:
    """Sign the declaration and the unit off, or list every reason it is not ready."""

    def act(registration: Registration, data: dict[str, Any]) -> str:
        unit_sign_off(
            by=request.user,
            registration=registration,
            unit=unit,
            expected_seq=data["expected_seq"],
            declaration_sha256=data["declaration_sha256"],
        )
        return f"Unit {unit} signed off."

    return _act(request, pk, unit, SignOffForm(request.POST), "sign-off", act)


@require_POST
@member_view
def reopen(request: AuthedRequest, pk: int, unit: str) -> HttpResponse:
    """A lead IQA or centre administrator reopens a signed-off unit (``unit_reopen``)."""

    def act(registration: Registration, data: dict[str, Any]) -> str:
        unit_reopen(
            by=request.user,
            registration=registration,
            unit=unit,
            reason=data["reason"],
            expected_seq=data["expected_seq"],
        )
        return f"Unit {unit} reopened."

    return _act(request, pk, unit, ReopenForm(request.POST), "reopen", act)


@require_GET
@xframe_options_sameorigin
# Framed by the unit page (the PDF preview); the browser's PDF viewer counts as an object.
@csp_replace({"frame-ancestors": [SELF], "object-src": [SELF]})  # type: ignore[arg-type]
@member_view
def file_preview(request: AuthedRequest, pk: int, unit: str, file_pk: int) -> FileResponse:
    """A PDF, image, audio or video file of this unit's evidence, inline (for the preview)."""
    row, content = evidence_file_preview(request.user, pk, unit, file_pk)
    response = FileResponse(
        content, as_attachment=False, filename=row.original_name, content_type=row.media_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
