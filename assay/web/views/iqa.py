"""Internal quality assurance pages: the IV's queue, a pick with its verify form, and the
lead IQA's plan for a centre (draws, the latest picks, gaps, coverage, drawing a sample).

*Action required* on a signed-off unit reopens it, and drawing a sample allocates work to
the IVs: both ask for a confirmation first (the same form again with ``confirmed``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assay.errors import InvalidInput, NotAllowed
from assay.portfolios.records import unit_signed_off
from assay.verification import quality, selectors
from assay.verification.services import sample_draw, strategy_set, unit_verify
from assay.verification.standardisation import (
    OWNER_ROLES,
    ActionInput,
    ActivityInput,
    action_done,
    activity_record,
    staff_of,
)
from assay.web.flow import done, submit
from assay.web.iqa_forms import ActivityForm, DrawForm, StrategyForm, VerifyForm
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
    request: AuthedRequest,
    centre: Any,
    form: DrawForm,
    status: int = 200,
    confirm: bool = False,
    strategy_form: StrategyForm | None = None,
) -> HttpResponse:
    codes = selectors.qualification_codes(centre)
    quarters = quality.last_year_quarters()
    context = {
        "centre": centre,
        "flags": quality.flags_of(centre),
        "quarters": quarters,
        "agreement": quality.agreement_of(centre, quarters),
        "strategy_form": strategy_form or StrategyForm(codes=codes, initial={"base_rate": "10%"}),
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


@require_POST
@member_view
def centre_iqa_strategy(request: AuthedRequest, pk: int) -> HttpResponse:
    """Set the sampling strategy's rates for a qualification (a new current strategy)."""
    centre = selectors.lead_centre(request.user, pk)
    codes = selectors.qualification_codes(centre)
    form = StrategyForm(request.POST, codes=codes)

    def again(form: StrategyForm) -> HttpResponse:
        start, end = selectors.default_period()
        draw_form = DrawForm(codes=codes, initial={"period_start": start, "period_end": end})
        return _plan_page(request, centre, draw_form, status=400, strategy_form=form)

    def run(data: dict[str, Any]) -> HttpResponse:
        strategy_set(
            by=request.user,
            centre=centre,
            qualification=data["qualification"],
            data=form.strategy_data(),
        )
        return done(
            request, f"Sampling strategy for {data['qualification']} set.", "centre-iqa", pk=pk
        )

    return submit(form, run, again)


def _activity_form(centre: Any, data: Any = None) -> ActivityForm:
    return ActivityForm(
        data,
        codes=selectors.qualification_codes(centre),
        staff=list(staff_of(centre)),
        owners=list(staff_of(centre, OWNER_ROLES)),
    )


def _standardisation_page(
    request: AuthedRequest,
    view: quality.StandardisationView,
    form: ActivityForm | None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "centre": view.centre,
        "view": view,
        "rows": quality.activities_page(
            view, request.user, request.GET.get("cursor"), request.GET.get("size")
        ),
        "flags": quality.flags_of(view.centre) if view.reader else (),
        "form": form,
    }
    return render(request, "web/iqa/standardisation.html", context, status=status)


@require_GET
@member_view
def centre_standardisation(request: AuthedRequest, pk: int) -> HttpResponse:
    """The centre's standardisation activities (an assessor: those they attended)."""
    view = quality.standardisation_centre(request.user, pk)
    form = _activity_form(view.centre) if view.lead else None
    return _standardisation_page(request, view, form)


@require_POST
@member_view
def centre_standardisation_record(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record an activity (a lead IQA or centre administrator)."""
    view = quality.standardisation_centre(request.user, pk)
    if not view.lead:
        raise NotAllowed("only a lead IQA or centre administrator records standardisation")
    form = _activity_form(view.centre, request.POST)

    def again(form: ActivityForm) -> HttpResponse:
        return _standardisation_page(request, view, form, status=400)

    def run(data: dict[str, Any]) -> HttpResponse:
        actions = (
            [ActionInput(data["action_text"], data["action_owner"], data["action_due_on"])]
            if data["action_text"]
            else []
        )
        activity_record(
            by=request.user,
            centre=view.centre,
            data=ActivityInput(
                held_on=data["held_on"],
                kind=data["kind"],
                summary=data["summary"],
                decisions=data["decisions"],
                qualification=data["qualification"],
                attendees=data["attendees"],
                actions=actions,
            ),
        )
        return done(request, "Standardisation activity recorded.", "centre-standardisation", pk=pk)

    return submit(
        form,
        run,
        again,
        fields={
            "actions.1.text": "action_text",
            "actions.1.owner": "action_owner",
            "actions.1.due_on": "action_due_on",
        },
    )


@require_POST
@member_view
def standardisation_action_done(request: AuthedRequest, pk: int, action_pk: int) -> HttpResponse:
    """Mark an action done: its owner or the centre's lead IQA or administrator."""
    action = quality.action_get(request.user, action_pk)
    if action.activity.centre_id != pk:
        raise Http404
    action_done(by=request.user, action=action)
    return done(request, "Action marked done.", "centre-standardisation", pk=pk)


REPORT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@require_GET
@member_view
def centre_iqa_report(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    """The IQA report of a period (``?from=&to=``, default the last twelve months) as PDF or
    XLSX, for the lead IQA or administrator; a bad period is 400."""
    from assay.verification.render import render_pdf, render_xlsx
    from assay.verification.report import report_of
    from assay.web.iqa_forms import ReportPeriodForm

    if fmt not in REPORT_TYPES:
        raise Http404
    centre = selectors.lead_centre(request.user, pk)
    form = ReportPeriodForm(request.GET)
    try:
        if not form.is_valid():
            raise InvalidInput({k: " ".join(str(e) for e in v) for k, v in form.errors.items()})
        report = report_of(centre, form.cleaned_data["start"], form.cleaned_data["end"])
    except InvalidInput as exc:
        return HttpResponse(
            "; ".join(f"{k}: {v}" for k, v in exc.errors.items()),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    body = render_pdf(report) if fmt == "pdf" else render_xlsx(report)
    response = HttpResponse(body, content_type=REPORT_TYPES[fmt])
    name = f"iqa-{centre.pk}-{report.period.start}-{report.period.end}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
