"""Appeals and complaints: lodge an appeal against a decision on one's portfolio, the
appeal's page with the act the user may take, a centre's appeals and complaints (paged), and
the complaint form.

Thin views: parse, call one service or selector, render. What the user may not see answers
404; an act their role does not allow, 403 with the service's reason; bad input re-renders
the form with the reason (400) and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assay import clock
from assay.appeals.models import Appeal
from assay.appeals.services import (
    APPEALABLE,
    COMPLAINTS_NEWEST_FIRST,
    NEWEST_FIRST,
    actor_facts,
    appeal_decide,
    appeal_escalate,
    appeal_get,
    appeal_lodge,
    appeal_registration_get,
    appeal_state_of,
    appeal_withdraw,
    centre_appeals,
    centre_complaints,
    centre_get,
    complaint_record,
    registration_appeals,
)
from assay.engines.appeals import Status, decider_refusals
from assay.errors import InvalidInput, NotAllowed, NotFound
from assay.keyset import paginate
from assay.portfolios.models import Decision
from assay.portfolios.services import is_candidate
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view


def _problems(exc: InvalidInput) -> list[str]:
    return [str(m) for m in exc.errors.values()]


@require_http_methods(["GET", "POST"])
@member_view
def lodge(request: AuthedRequest, pk: int, decision_pk: int) -> HttpResponse:
    """The candidate appeals one judgement, rejected mapping or sign-off (``appeal_lodge``)."""
    registration = appeal_registration_get(request.user, pk)
    decision = Decision.objects.filter(
        pk=decision_pk, registration=registration, kind__in=APPEALABLE
    ).first()
    if decision is None:
        raise NotFound("no such decision")
    if not is_candidate(request.user, registration):
        raise NotAllowed("only the candidate can appeal a decision on their own portfolio")
    errors: list[str] = []
    grounds = ""
    if request.method == "POST":
        grounds = request.POST.get("grounds", "")
        try:
            appeal = appeal_lodge(
                by=request.user, registration=registration, decision=decision, grounds=grounds
            )
        except InvalidInput as exc:
            errors = _problems(exc)
        else:
            messages.success(request, f"Appeal {appeal.pk} lodged.")
            return redirect("appeal", pk=pk, appeal_pk=appeal.pk)
    context = {"reg": registration, "decision": decision, "errors": errors, "grounds": grounds}
    return render(request, "web/appeals/lodge.html", context, status=400 if errors else 200)


def _page(
    request: AuthedRequest, appeal: Appeal, *, errors: list[str] | None = None, status: int = 200
) -> HttpResponse:
    state = appeal_state_of(appeal, clock.today())
    facts = actor_facts(request.user, appeal.registration, appeal.unit_number, appeal.decision)
    may_decide = (
        state.status is Status.OPEN
        and state.stage is not None
        and not decider_refusals(state.stage, facts)
        and not facts.appellant
    )
    context: dict[str, Any] = {
        "reg": appeal.registration,
        "appeal": appeal,
        "state": state,
        "may_decide": may_decide,
        "may_escalate": facts.appellant
        and state.status is Status.DISMISSED
        and state.next_stage is not None,
        "may_withdraw": facts.appellant and state.status in (Status.OPEN, Status.DISMISSED),
        "errors": errors or [],
    }
    return render(request, "web/appeals/appeal.html", context, status=status)


@require_GET
@member_view
def appeal(request: AuthedRequest, pk: int, appeal_pk: int) -> HttpResponse:
    """The appeal: its stage, deadline, history and what the user may do."""
    return _page(request, appeal_get(request.user, pk, appeal_pk))


@require_POST
@member_view
def decide(request: AuthedRequest, pk: int, appeal_pk: int) -> HttpResponse:
    found = appeal_get(request.user, pk, appeal_pk)
    verdict = request.POST.get("verdict")
    if verdict not in ("upheld", "dismissed"):
        return _page(request, found, errors=["choose upheld or dismissed"], status=400)
    try:
        appeal_decide(
            by=request.user,
            appeal=found,
            upheld=verdict == "upheld",
            reasons=request.POST.get("reasons", ""),
            stage=request.POST.get("stage") or None,
        )
    except InvalidInput as exc:
        return _page(request, found, errors=_problems(exc), status=400)
    messages.success(request, f"Appeal {found.pk} {verdict}.")
    return redirect("appeal", pk=pk, appeal_pk=appeal_pk)


@require_POST
@member_view
def escalate(request: AuthedRequest, pk: int, appeal_pk: int) -> HttpResponse:
    found = appeal_get(request.user, pk, appeal_pk)
    try:
        appeal_escalate(by=request.user, appeal=found, reason=request.POST.get("reason", ""))
    except InvalidInput as exc:
        return _page(request, found, errors=_problems(exc), status=400)
    messages.success(request, f"Appeal {found.pk} escalated.")
    return redirect("appeal", pk=pk, appeal_pk=appeal_pk)


@require_http_methods(["GET", "POST"])
@member_view
def withdraw(request: AuthedRequest, pk: int, appeal_pk: int) -> HttpResponse:
    """A confirmation page, then the withdrawal (``appeal_withdraw``)."""
    found = appeal_get(request.user, pk, appeal_pk)
    if found.registration.candidate.user_id != request.user.pk:
        raise NotAllowed("only the candidate who lodged the appeal can withdraw it")
    errors: list[str] = []
    if request.method == "POST":
        try:
            appeal_withdraw(by=request.user, appeal=found, reason=request.POST.get("reason", ""))
        except InvalidInput as exc:
            errors = _problems(exc)
        else:
            messages.success(request, f"Appeal {found.pk} withdrawn.")
            return redirect("appeal", pk=pk, appeal_pk=appeal_pk)
    context = {"reg": found.registration, "appeal": found, "errors": errors}
    return render(request, "web/appeals/withdraw.html", context, status=400 if errors else 200)


@require_GET
@member_view
def registration_list(request: AuthedRequest, pk: int) -> HttpResponse:
    """A candidate's appeals, newest first, paged."""
    registration = appeal_registration_get(request.user, pk)
    page = paginate(
        registration_appeals(registration),
        NEWEST_FIRST,
        request.GET.get("cursor"),
        request.GET.get("size"),
    )
    context = {"reg": registration, "appeals": page}
    return render(request, "web/appeals/registration.html", context)


@require_GET
@member_view
def centre_list(request: AuthedRequest, pk: int) -> HttpResponse:
    """A centre's appeals and complaints, newest first, each list paged."""
    centre = centre_get(request.user, pk)
    appeals = paginate(
        centre_appeals(request.user, centre),
        NEWEST_FIRST,
        request.GET.get("cursor"),
        request.GET.get("size"),
    )
    complaints = paginate(
        centre_complaints(request.user, centre),
        COMPLAINTS_NEWEST_FIRST,
        request.GET.get("ccursor"),
        request.GET.get("size"),
    )
    context = {"centre": centre, "appeals": appeals, "complaints": complaints}
    return render(request, "web/appeals/centre.html", context)


@require_http_methods(["GET", "POST"])
@member_view
def complain(request: AuthedRequest, pk: int) -> HttpResponse:
    """Anyone with a role at the centre, or a candidate there, records a complaint."""
    centre = centre_get(request.user, pk)
    errors: list[str] = []
    text = ""
    if request.method == "POST":
        text = request.POST.get("text", "")
        try:
            complaint_record(by=request.user, centre=centre, text=text)
        except InvalidInput as exc:
            errors = _problems(exc)
        else:
            messages.success(request, "Your complaint is recorded; the centre and its EV see it.")
            return redirect("complaint-new", pk=pk)
    context = {"centre": centre, "errors": errors, "text": text}
    return render(request, "web/appeals/complain.html", context, status=400 if errors else 200)
