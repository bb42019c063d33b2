"""Internal quality assurance pages: the IV's queue, a pick with its verify form, and the
lead IQA's plan for a centre (draws, the latest picks, gaps, coverage, drawing a sample).

*Action required* on a signed-off unit reopens it, and drawing a sample allocates work to
the IVs: both ask for a confirmation first (the same form again with ``confirmed``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assay.portfolios.records import unit_signed_off
from assay.verification import selectors
from assay.verification.services import sample_draw, unit_verify
from assay.web.flow import done, submit
from assay.web.iqa_forms import DrawForm, VerifyForm
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view


@require_GET
@member_view
def iqa_queue(request: AuthedRequest) -> HttpResponse:
    """Picks allocated to me, not yet verified, oldest due first."""
    page = selectors.queue_page(request.user, request.GET.get("cursor"), request.GET.get("size"))
    return render(request, "web/iqa/queue.html", {"rows": page})


def _pick_page(
    request: AuthedRequest, pick: Any, form: VerifyForm, status: int = 200, confirm: bool = False
) -> HttpResponse:
    context = {
        "pick": pick,
        "acts": selectors.unit_acts(pick),
        "verifications": selectors.verifications_of(pick),
        "signed_off": unit_signed_off(pick.registration, pick.unit_number),
        "form": form,
        "seq": selectors.last_seq(pick),
        "confirm": confirm,
        "is_open": pick.outcome in (None, "action_required"),
    }
    return render(request, "web/iqa/pick.html", context, status=status)


@require_GET
@member_view
def iqa_pick(request: AuthedRequest, pk: int) -> HttpResponse:
    """The pick: why it was sampled, the unit's decisions, and the verify form."""
    pick = selectors.pick_get(request.user, pk)
    return _pick_page(request, pick, VerifyForm(initial={"expected_seq": selectors.last_seq(pick)}))


@require_POST
@member_view
def iqa_verify(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record the verdict; *action required* on a signed-off unit asks to confirm first."""
    pick = selectors.pick_get(request.user, pk)
    form = VerifyForm(request.POST)

    def again(form: VerifyForm) -> HttpResponse:
        return _pick_page(request, pick, form, status=400)

    def run(data: dict[str, Any]) -> HttpResponse:
        reopens = data["outcome"] == "action_required" and unit_signed_off(
            pick.registration, pick.unit_number
        )
        if reopens and not data["confirmed"]:
            return _pick_page(request, pick, form, confirm=True)
        unit_verify(
            by=request.user,
            pick=pick,
            outcome=data["outcome"],
            feedback=data["feedback"],
            due_on=data["due_on"],
            expected_seq=data["expected_seq"],
        )
        said = "agreed" if data["outcome"] == "agree" else "action required"
        message = f"Unit {pick.unit_number} of {pick.registration.candidate}: {said}."
        if reopens:
            message += " The unit is reopened and the assessor is told."
        return done(request, message, "iqa-pick", pk=pick.pk)

    return submit(form, run, again)


def _plan_page(
    request: AuthedRequest, centre: Any, form: DrawForm, status: int = 200, confirm: bool = False
) -> HttpResponse:
    context = {
        "centre": centre,
        "draws": selectors.draws_page(centre, request.GET.get("cursor"), request.GET.get("size")),
        "plan": selectors.latest_plan(
            centre, request.GET.get("picks"), request.GET.get("picks_size")
        ),
        "form": form,
        "confirm": confirm,
    }
    return render(request, "web/iqa/centre.html", context, status=status)


@require_http_methods(["GET"])
@member_view
def centre_iqa(request: AuthedRequest, pk: int) -> HttpResponse:
    """The lead IQA's plan of the centre."""
    centre = selectors.lead_centre(request.user, pk)
    codes = selectors.qualification_codes(centre)
    start, end = selectors.default_period()
    form = DrawForm(codes=codes, initial={"period_start": start, "period_end": end})
    return _plan_page(request, centre, form)


@require_POST
@member_view
def centre_iqa_draw(request: AuthedRequest, pk: int) -> HttpResponse:
    """Draw a sample for a period and qualification, after a confirmation."""
    centre = selectors.lead_centre(request.user, pk)
    form = DrawForm(request.POST, codes=selectors.qualification_codes(centre))

    def again(form: DrawForm) -> HttpResponse:
        return _plan_page(request, centre, form, status=400)

    def run(data: dict[str, Any]) -> HttpResponse:
        if not data["confirmed"]:
            return _plan_page(request, centre, form, confirm=True)
        row = sample_draw(
            by=request.user,
            centre=centre,
            qualification=data["qualification"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            seed=data["seed"],
        )
        n = row.picks.count()
        return done(request, f"Sample drawn: {n} unit{'s' * (n != 1)}.", "centre-iqa", pk=pk)

    return submit(form, run, again)
