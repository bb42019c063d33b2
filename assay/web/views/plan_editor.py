"""The learning plan editor: units with an assessor and target date each, the candidate's
internal verifier, the rules engine's live check and the planner's suggestion.

Centre administrators only (``plan_set`` and the read models raise NotAllowed otherwise).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from assay import clock
from assay.errors import InvalidInput
from assay.registrations import overview
from assay.registrations.plans import PlanUnitInput, plan_set
from assay.web.forms import PlanChoice, plan_choice
from assay.web.requests import AuthedHtmxRequest, AuthedRequest
from assay.web.views.access import member_view
from assay.web.views.common import units_by_group


def _rows(editor: overview.PlanEditor, choice: PlanChoice | None) -> list[dict[str, Any]]:
    """One row per unit of the qualification, filled from the saved plan or the form."""
    chosen = {u.unit: u for u in choice.units} if choice else None
    rows = []
    for unit in editor.units:
        if chosen is None:
            saved = editor.planned.get(unit.number)
            ticked = saved is not None
            assessor = saved.assessor_id if saved else None
            target = saved.target_date if saved else None
        else:
            item = chosen.get(unit.number)
            ticked = item is not None
            assessor = item.assessor_id if item else None
            target = item.target_date if item else None
        rows.append(
            {
                "unit": unit,
                "ticked": ticked,
                "rpl": unit.number in editor.accepted_rpl,
                "assessor_id": assessor,
                "target": target,
            }
        )
    return rows


def _render(
    request: AuthedRequest,
    editor: overview.PlanEditor,
    choice: PlanChoice | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
    suggestion: overview.PlanPreview | None = None,
) -> HttpResponse:
    rows = _rows(editor, choice)
    by_number = {row["unit"].number: row for row in rows}
    groups = [
        (group, [by_number[u.number] for u in units])
        for group, units in units_by_group(editor.units)
    ]
    verifier = choice.internal_verifier_id if choice else editor.registration.internal_verifier_id
    context = {
        "editor": editor,
        "reg": editor.registration,
        "groups": groups,
        "verifier_id": verifier,
        "errors": errors or {},
        "decision": editor.decision,
        "qual": editor.registration.qualification,
        "completion": suggestion.completion if suggestion else None,
        "suggested": suggestion.suggested if suggestion else None,
        "allow_without_content": choice.allow_without_content
        if choice
        else editor.registration.allow_units_without_content,
    }
    return render(request, "web/registrations/plan.html", context, status=status)


@require_http_methods(["GET", "POST"])
@member_view
def plan_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET the form; POST replaces the plan through ``plan_set`` (every unit, assessor and
    the verifier checked; nothing saved when any is refused)."""
    editor = overview.plan_editor(request.user, pk, clock.today())
    if request.method != "POST":
        return _render(request, editor)
    choice = plan_choice(request.POST)
    if choice.errors:
        return _render(request, editor, choice, choice.errors, status=400)
    try:
        result = plan_set(
            by=request.user,
            registration=editor.registration,
            units=choice.units,
            internal_verifier_id=choice.internal_verifier_id,
            allow_units_without_content=choice.allow_without_content,
        )
    except InvalidInput as exc:
        return _render(request, editor, choice, exc.errors, status=400)
    messages.success(request, f"Learning plan saved. {result.summary}")
    return redirect("registration", pk=pk)


@require_POST
@member_view
def plan_check(request: AuthedRequest, pk: int) -> HttpResponse:
    """htmx: the rules engine's verdict on the ticked units (plus accepted RPL)."""
    choice = plan_choice(request.POST)
    try:
        preview = overview.plan_preview(request.user, pk, choice.numbers)
    except InvalidInput as exc:
        return render(request, "web/plans/_error.html", {"message": exc.errors["unit"]}, status=400)
    context = {"decision": preview.decision, "qual": preview.registration.qualification}
    return render(request, "web/plans/_decision.html", context)


@require_POST
@member_view
def plan_suggest(request: AuthedHtmxRequest, pk: int) -> HttpResponse:
    """The planner's optimal completion of the ticked units (plus accepted RPL). htmx gets
    the suggestion and the suggested units ticked in place; a plain POST gets the editor
    with them ticked, ready to save."""
    choice = plan_choice(request.POST)
    try:
        preview = overview.plan_suggestion(
            request.user, pk, choice.numbers, choice.allow_without_content
        )
    except InvalidInput as exc:
        return render(request, "web/plans/_error.html", {"message": exc.errors["unit"]}, status=400)
    assert preview.completion is not None
    if not request.htmx:
        added = [PlanUnitInput(n) for n in preview.completion.add]
        ticked = PlanChoice(
            [*choice.units, *added], choice.internal_verifier_id, {}, choice.allow_without_content
        )
        editor = overview.plan_editor(request.user, pk, clock.today())
        return _render(request, editor, ticked, suggestion=preview)
    context = {
        "completion": preview.completion,
        "suggested": preview.suggested,
        "qual": preview.registration.qualification,
    }
    return render(request, "web/registrations/_suggestion.html", context)
