"""Centre pages: the dashboard (with its sites form) and the registration wizard. The people
and roles page is in ``people.py``.

Each view parses, calls one read model in ``assay.registrations.overview`` or one service, and
renders. Who may see or do what is decided there and in ``assay.centres.permissions``.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assay import clock
from assay.centres.permissions import centres_visible_to
from assay.centres.services import site_add
from assay.errors import InvalidInput, NotAllowed, RegistrationRefused
from assay.portfolios import anchors
from assay.registrations import overview
from assay.registrations.candidate_list import CandidateFilter
from assay.registrations.services import registration_create
from assay.web.flow import done, submit
from assay.web.forms import CandidateRegistrationForm
from assay.web.people_forms import SiteForm
from assay.web.requests import AuthedHtmxRequest, AuthedRequest
from assay.web.views.access import member_view, sentence


@require_GET
@member_view
def centre_index(request: AuthedRequest) -> HttpResponse:
    """The centres the user works at; straight to the dashboard when there is one."""
    centres = list(centres_visible_to(request.user))
    if len(centres) == 1:
        return redirect("centre-dashboard", pk=centres[0].pk)
    return render(request, "web/centres/index.html", {"centres": centres})


def _dashboard(
    request: AuthedRequest,
    dashboard: overview.CentreDashboardPage,
    form: SiteForm,
    status: int = 200,
    list_error: str = "",
) -> HttpResponse:
    context = {"d": dashboard, "site_form": form, "list_error": list_error}
    return render(request, "web/centres/dashboard.html", context, status=status)


def _narrow(query: QueryDict) -> CandidateFilter:
    """The candidate list's filters from the query string (InvalidInput for an unknown status)."""
    return CandidateFilter(
        status=query.get("status", "").strip(),
        qualification=query.get("qualification", "").strip()[:64],
        search=query.get("q", "").strip()[:100],
    )


@require_GET
@member_view
def centre_dashboard(request: AuthedRequest, pk: int) -> HttpResponse:
    """Candidates by status (counts, and one page of the list with its filters), staff A/V
    deadlines, approvals, sites and (for administrators) refusals and registrations due to
    expire. A bad page link or filter shows the first page with the error (400)."""
    today, query = clock.today(), request.GET
    try:
        dashboard = overview.centre_dashboard_page(
            request.user,
            pk,
            today,
            _narrow(query),
            cursor=query.get("cursor"),
            size=query.get("size"),
            refusals_cursor=query.get("refusals"),
        )
    except InvalidInput as exc:
        dashboard = overview.centre_dashboard_page(request.user, pk, today)
        error = sentence("; ".join(exc.errors.values()))
        return _dashboard(request, dashboard, SiteForm(), status=400, list_error=error)
    return _dashboard(request, dashboard, SiteForm())


@require_GET
@member_view
def centre_anchors(request: AuthedRequest, pk: int) -> StreamingHttpResponse:
    """The record anchors of the centre's chains, as JSON lines to keep (docs/records.md)."""
    centre, lines = anchors.centre_anchors(request.user, pk)
    response = StreamingHttpResponse(lines, content_type="application/x-ndjson; charset=utf-8")
    name = f"assay-anchors-{centre.number}-{clock.today().isoformat()}.jsonl"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@member_view
def sites_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a site of the centre (``site_add``)."""
    dashboard = overview.centre_dashboard_page(request.user, pk, clock.today())

    def act(data: dict[str, Any]) -> HttpResponse:
        site = site_add(
            by=request.user, centre=dashboard.centre, name=data["name"], address=data["address"]
        )
        return done(request, f"Site {site.name} added.", "centre-dashboard", pk=dashboard.centre.pk)

    def again(form: SiteForm) -> HttpResponse:
        if not dashboard.can_administer:
            raise NotAllowed("only a centre administrator can add sites")
        return _dashboard(request, dashboard, form, status=400)

    return submit(SiteForm(request.POST), act, again)


def _wizard(
    request: AuthedRequest,
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
def register(request: AuthedRequest, pk: int) -> HttpResponse:
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

    def act(data: dict[str, Any]) -> HttpResponse:
        try:
            registration = registration_create(
                by=request.user,
                centre=page.centre,
                qualification_key=data["qualification"],
                candidate_input=form.candidate_input(),
                registered_on=data["registered_on"],
            )
        except RegistrationRefused as exc:
            return _wizard(request, page, form, refused=exc.reasons, status=422)
        registered = f"{registration.candidate} is registered on {registration.qualification}."
        return done(request, registered, "registration", pk=registration.pk)

    return submit(form, act, lambda form: _wizard(request, page, form, status=400))


@require_POST
@member_view
def register_check(request: AuthedHtmxRequest, pk: int) -> HttpResponse:
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
