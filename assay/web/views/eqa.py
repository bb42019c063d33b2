"""A centre's external verification page and its forms: visits (a page at a time) with their
sample requests, findings, risk and action points; the centre's risk and direct claims status;
sanctions with apply and lift.

The allocated external verifier records and acts; the centre's administrator and lead IQA read
and mark action points done; everyone else gets 404 (``assay.eqa.access``). Applying or lifting
a sanction asks for a reason, then shows what it blocks or reopens and asks for confirmation
before anything changes. Bad input shows the page again with the errors (400).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from assay import clock
from assay.engines.dates import ddmmyyyy
from assay.engines.sanctions.levels import LEVELS, Act, Level
from assay.eqa import selectors
from assay.eqa.access import CENTRE_ONLY, EV_ONLY, EqaAccess, eqa_access
from assay.eqa.models import SanctionLevel, VisitStatus
from assay.eqa.services import (
    action_point_done,
    sanction_apply,
    sanction_lift,
    visit_complete,
    visit_record,
)
from assay.errors import InvalidInput, NotAllowed
from assay.web.eqa_forms import FindingsForm, LiftForm, SanctionForm, VisitForm, point_fields
from assay.web.flow import done, submit
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view

Bound = Mapping[str, forms.Form]


def _page(
    request: AuthedRequest, access: EqaAccess, bound: Bound | None = None, status: int = 200
) -> HttpResponse:
    bound = bound or {}
    page = selectors.eqa_page(
        access, clock.today(), request.GET.get("cursor"), request.GET.get("size")
    )
    context: dict[str, Any] = {"page": page, "access": access}
    if access.can_act:
        centre = access.centre
        owners = selectors.owner_choices(centre)
        context["visit_form"] = bound.get("visit") or VisitForm(
            owners=owners, initial={"on": page.today}
        )
        context["sanction_form"] = bound.get("sanction") or SanctionForm(
            codes=selectors.qualification_codes(centre), initial={"applied_on": page.today}
        )
        context["findings_forms"] = {
            v.pk: bound.get(f"findings-{v.pk}")
            or FindingsForm(prefix=f"findings-{v.pk}", owners=owners)
            for v in page.visits
            if v.status == VisitStatus.PLANNED and v.on <= page.today
        }
        context["lift_forms"] = {
            s.pk: bound.get(f"lift-{s.pk}")
            or LiftForm(prefix=f"lift-{s.pk}", initial={"lifted_on": page.today})
            for s in page.sanctions
            if s.lifted_on is None
        }
    return render(request, "web/centres/eqa.html", context, status=status)


def _done(request: AuthedRequest, access: EqaAccess, message: str) -> HttpResponse:
    return done(request, message, "centre-eqa", pk=access.centre.pk)


def _acting(request: AuthedRequest, pk: int) -> EqaAccess:
    access = eqa_access(request.user, pk)
    if not access.can_act:
        raise NotAllowed(EV_ONLY)
    return access


@require_GET
@member_view
def eqa(request: AuthedRequest, pk: int) -> HttpResponse:
    """The centre's visits, risk, action points and sanctions; the EV's forms."""
    return _page(request, eqa_access(request.user, pk))


@require_POST
@member_view
def visit_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a visit: planned with its sample request, or done with findings, a risk rating
    and action points (``visit_record``)."""
    access = _acting(request, pk)
    form = VisitForm(request.POST, owners=selectors.owner_choices(access.centre))

    def act(data: dict[str, Any]) -> HttpResponse:
        visit = visit_record(by=request.user, centre=access.centre, data=form.visit_input())
        points = visit.action_points.count()
        extra = f" with {points} action point{'s' * (points != 1)}" if points else ""
        return _done(request, access, f"Visit of {ddmmyyyy(visit.on)} recorded{extra}.")

    return submit(
        form,
        act,
        lambda f: _page(request, access, {"visit": f}, status=400),
        fields=point_fields(),
    )


@require_POST
@member_view
def visit_findings(request: AuthedRequest, pk: int, visit_pk: int) -> HttpResponse:
    """Record a planned visit's findings, risk rating and action points (``visit_complete``)."""
    access = eqa_access(request.user, pk)
    visit = selectors.visit_get(access, visit_pk)
    if not access.can_act:
        raise NotAllowed(EV_ONLY)
    prefix = f"findings-{visit.pk}"
    form = FindingsForm(request.POST, prefix=prefix, owners=selectors.owner_choices(access.centre))

    def act(data: dict[str, Any]) -> HttpResponse:
        visit_complete(
            by=request.user,
            visit=visit,
            findings=data["findings"],
            risk=data["risk"],
            risk_reasons=data["risk_reasons"],
            action_points=form.points(),
        )
        return _done(request, access, f"Findings of the visit of {ddmmyyyy(visit.on)} recorded.")

    return submit(
        form,
        act,
        lambda f: _page(request, access, {prefix: f}, status=400),
        fields=point_fields(),
    )


@require_POST
@member_view
def point_done(request: AuthedRequest, pk: int, point_pk: int) -> HttpResponse:
    """Mark an action point done (the centre's administrator or lead IQA)."""
    access = eqa_access(request.user, pk)
    point = selectors.action_point_get(access, point_pk)
    if not access.can_mark_done:
        raise NotAllowed(CENTRE_ONLY)
    action_point_done(by=request.user, point=point)
    return _done(request, access, "Action point marked done.")


def _confirm(
    request: AuthedRequest, access: EqaAccess, *, title: str, what: list[str], form: forms.Form
) -> HttpResponse:
    context = {"centre": access.centre, "title": title, "what": what, "form": form}
    return render(request, "web/centres/eqa_confirm.html", context)


def _blocks_sentence(level: str) -> str:
    rule = LEVELS[Level(level)]
    acts = [act for act in Act if act in rule.blocks]
    if not acts:
        return "It blocks nothing by itself: the centre works to an action plan."
    names = {"registration": "new registrations", "claim": "certification claims"}
    return "It refuses " + " and ".join(names[a] for a in acts) + " dated on or after that day."


def _without_confirm(exc: InvalidInput) -> InvalidInput:
    """The other problems alone: confirming comes after they are fixed."""
    return InvalidInput({k: v for k, v in exc.errors.items() if k != "confirm"})


@require_POST
@member_view
def sanction_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Apply a sanction: the reason first, then what it blocks and a confirmation."""
    access = _acting(request, pk)
    form = SanctionForm(request.POST, codes=selectors.qualification_codes(access.centre))

    def act(data: dict[str, Any]) -> HttpResponse:
        try:
            sanction = sanction_apply(
                by=request.user,
                centre=access.centre,
                level=data["level"],
                reason=data["reason"],
                applied_on=data["applied_on"],
                qualification_code=data["qualification_code"],
                confirmed=data["confirm"],
            )
        except InvalidInput as exc:
            if set(exc.errors) != {"confirm"}:
                raise _without_confirm(exc) from None
            scope = data["qualification_code"] or "every qualification"
            return _confirm(
                request,
                access,
                title=f"Apply: {SanctionLevel(data['level']).label}",
                what=[
                    f"From {ddmmyyyy(data['applied_on'])} at {access.centre.name}, for {scope}.",
                    _blocks_sentence(data["level"]),
                    f"Reason: {data['reason'].strip()}",
                ],
                form=form,
            )
        return _done(request, access, f"{sanction.get_level_display()} applied.")

    return submit(form, act, lambda f: _page(request, access, {"sanction": f}, status=400))


@require_POST
@member_view
def sanction_remove(request: AuthedRequest, pk: int, sanction_pk: int) -> HttpResponse:
    """Lift a sanction: the reason and date first, then what it reopens and a confirmation."""
    access = eqa_access(request.user, pk)
    sanction = selectors.sanction_get(access, sanction_pk)
    if not access.can_act:
        raise NotAllowed(EV_ONLY)
    prefix = f"lift-{sanction.pk}"
    form = LiftForm(request.POST, prefix=prefix)

    def act(data: dict[str, Any]) -> HttpResponse:
        try:
            sanction_lift(
                by=request.user,
                sanction=sanction,
                lifted_on=data["lifted_on"],
                reason=data["reason"],
                confirmed=data["confirm"],
            )
        except InvalidInput as exc:
            if set(exc.errors) != {"confirm"}:
                raise _without_confirm(exc) from None
            return _confirm(
                request,
                access,
                title=f"Lift: {sanction.get_level_display()}",
                what=[
                    f"Applied {ddmmyyyy(sanction.applied_on)}: {sanction.reason}",
                    f"From {ddmmyyyy(data['lifted_on'])} it no longer blocks anything; acts "
                    "dated while it was in force stay refused.",
                    f"Reason for lifting: {data['reason'].strip()}",
                ],
                form=form,
            )
        return _done(request, access, f"{sanction.get_level_display()} lifted.")

    return submit(form, act, lambda f: _page(request, access, {prefix: f}, status=400))
