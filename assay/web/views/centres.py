"""Centre pages: the dashboard, people and roles, and the registration wizard.

Each view parses, calls one read model in ``assay.registrations.overview`` or one service, and
renders. Who may see or do what is decided there and in ``assay.centres.permissions``.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assay import clock
from assay.centres.permissions import centres_visible_to
from assay.centres.services import membership_grant
from assay.errors import InvalidInput, NotAllowed, RegistrationRefused
from assay.registrations import overview
from assay.registrations.services import registration_create
from assay.web.forms import CandidateRegistrationForm, GrantForm, apply_errors
from assay.web.views.access import member_view
from assay.web.views.common import HtmxHttpRequest


@require_GET
@member_view
def centre_index(request: HttpRequest) -> HttpResponse:
    """The centres the user works at; straight to the dashboard when there is one."""
    centres = list(centres_visible_to(request.user))
    if len(centres) == 1:
        return redirect("centre-dashboard", pk=centres[0].pk)
    return render(request, "web/centres/index.html", {"centres": centres})


@require_GET
@member_view
def centre_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """Candidates by status, staff A/V deadlines, approvals and (for administrators) refusals."""
    dashboard = overview.centre_dashboard(request.user, pk, clock.today())
    return render(request, "web/centres/dashboard.html", {"d": dashboard})


def _people_page(
    request: HttpRequest, page: overview.CentrePeople, form: GrantForm, status: int = 200
) -> HttpResponse:
    context = {"page": page, "form": form}
    return render(request, "web/centres/people.html", context, status=status)


@require_GET
@member_view
def people(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff with their roles, competence records and CPD; administrators grant roles."""
    page = overview.centre_people(request.user, pk, clock.today())
    return _people_page(request, page, GrantForm(codes=page.qualification_codes))


@require_POST
@member_view
def people_grant(request: HttpRequest, pk: int) -> HttpResponse:
    """Grant a role at the centre (``membership_grant``)."""
    page = overview.centre_people(request.user, pk, clock.today())
    form = GrantForm(request.POST, codes=page.qualification_codes)
    if form.is_valid():
        try:
            membership = membership_grant(
                by=request.user,  # type: ignore[arg-type]
                centre=page.centre,
                user=form.cleaned_data["username"],
                role=form.cleaned_data["role"],
                qualification_code=form.cleaned_data["qualification_code"],
            )
        except InvalidInput as exc:
            apply_errors(form, exc.errors)
        else:
            messages.success(
                request,
                f"{membership.user} now holds the role {membership.get_role_display()}.",
            )
            return redirect("centre-people", pk=page.centre.pk)
    if not page.can_grant:
        raise NotAllowed("only a centre administrator can grant roles")
    return _people_page(request, page, form, status=400)


def _wizard(
    request: HttpRequest,
    page: overview.RegistrationForm,
    form: CandidateRegistrationForm,
    *,
    refused: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {"page": page, "form": form, "refused": refused or []}
    return render(request, "web/centres/register.html", context, status=status)


@require_http_methods(["GET", "POST"])
@member_view
def register(request: HttpRequest, pk: int) -> HttpResponse:
    """The registration wizard (centre administrators): GET the form, POST to register.

    A refusal lists every failed entry rule and saves nothing (422); bad input re-renders the
    form with its field errors (400)."""
    page = overview.registration_form(request.user, pk, clock.today())
    if request.method != "POST":
        form = CandidateRegistrationForm(qualifications=page.qualifications, today=page.today)
        return _wizard(request, page, form)
    form = CandidateRegistrationForm(
        request.POST, qualifications=page.qualifications, today=page.today
    )
    if not form.is_valid():
        return _wizard(request, page, form, status=400)
    try:
        registration = registration_create(
            by=request.user,  # type: ignore[arg-type]
            centre=page.centre,
            qualification_key=form.cleaned_data["qualification"],
            candidate_input=form.candidate_input(),
            registered_on=form.cleaned_data["registered_on"],
        )
    except RegistrationRefused as exc:
        return _wizard(request, page, form, refused=exc.reasons, status=422)
    except InvalidInput as exc:
        apply_errors(form, exc.errors)
        return _wizard(request, page, form, status=400)
    messages.success(
        request, f"{registration.candidate} is registered on {registration.qualification}."
    )
    return redirect("registration", pk=registration.pk)


@require_POST
@member_view
def register_check(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The live check: every entry rule's verdict and the end date, as the fields change."""
    page = overview.registration_form(request.user, pk, clock.today())
    form = CandidateRegistrationForm(
        request.POST, qualifications=page.qualifications, today=page.today
    )
    missing = form.missing_for_check()
    context: dict[str, Any] = {"missing": missing}
    if not missing:
        try:
            context["preview"] = overview.registration_preview(
                request.user,
                pk,
                qualification_key=form.cleaned_data["qualification"],
                candidate=form.candidate_input(),
                registered_on=form.cleaned_data["registered_on"],
            )
        except InvalidInput as exc:
            context["problems"] = list(exc.errors.values())
    if request.htmx:
        return render(request, "web/centres/_entry_check.html", context)
    context.update(page=page, form=form, checked=True, refused=[])
    return render(request, "web/centres/register.html", context)
