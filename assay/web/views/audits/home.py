"""The audits index, the standards, an organisation, planning an audit and the renewals due."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assay.audits import selectors as sel
from assay.audits import services as svc
from assay.audits.certificates import REMIND_DAYS, reminders_send
from assay.audits.ics_membership import organisation_ics_membership_note
from assay.audits.pages import home as home_pages
from assay.errors import InvalidInput
from assay.web.audit_forms import NewAuditForm, RenewalsForm
from assay.web.audit_nav import remember_audit_roles
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view
from assay.web.views.audits.present import error_text, tree_rows

# --- index, standards, organisations ------------------------------------------------------------


def _cursors(request: AuthedRequest) -> dict[str, str | None]:
    """Each list's cursor from the query (``?audits=…``); a bad one answers 400 (member_view)."""
    names = (home_pages.ORGANISATIONS, home_pages.AUDITS, home_pages.CERTIFICATES)
    return {name: request.GET.get(name) for name in names}


@require_GET
@member_view
def audit_index(request: AuthedRequest) -> HttpResponse:
    """The user's organisations, audits and certificates (narrowed to what they may see)."""
    home = home_pages.audits_home(request.user, _cursors(request), request.GET.get("size"))
    remember_audit_roles(request, home.roles)
    return render(request, "web/audits/index.html", {"home": home})


@require_GET
@member_view
def standard_index(request: AuthedRequest) -> HttpResponse:
    """Every imported standard version as a tree, with the 3 I scale."""
    standards = [
        (row, sel.standard_of(row), tree_rows(sel.standard_of(row))) for row in sel.standards_list()
    ]
    return render(request, "web/audits/standards.html", {"standards": standards})


@require_GET
@member_view
def organisation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _organisation(request, pk)


def _organisation(
    request: AuthedRequest,
    pk: int,
    ics_error: str = "",
    status: int = 200,
    contact_error: str = "",
) -> HttpResponse:
    page = home_pages.organisation_page(
        request.user, pk, _cursors(request), request.GET.get("size")
    )
    if contact_error:
        status = 400
    context = {"page": page, "ics_error": ics_error, "contact_error": contact_error}
    return render(request, "web/audits/organisation.html", context, status=status)


@require_POST
@member_view
def organisation_ics_membership(request: AuthedRequest, pk: int) -> HttpResponse:
    """Note the organisation's ICS organisational membership (the body's administrators:
    403 for the others who see it; a blank or broken text answers 400, nothing changed)."""
    organisation = sel.organisation_get(request.user, pk)
    try:
        organisation_ics_membership_note(
            by=request.user,
            organisation=organisation,
            text=request.POST.get("ics_membership", ""),
        )
    except InvalidInput as exc:
        return _organisation(request, pk, error_text(exc), 400)
    messages.success(request, "ICS membership noted.")
    return redirect("audits-organisation", pk=pk)


@require_POST
@member_view
def organisation_contact_grant(request: AuthedRequest, pk: int) -> HttpResponse:
    """Name an existing account the organisation's contact (self-assessment, documents for
    review, findings to answer): the body's administrators (403 for the others who see the
    organisation); an unknown account or one of the body's staff answers 400, nothing changed."""
    organisation = sel.organisation_get(request.user, pk)
    username = request.POST.get("username", "").strip()[:150]
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        return _organisation(request, pk, contact_error=f"No active account {username!r}.")
    try:
        svc.contact_grant(by=request.user, organisation=organisation, user=user)
    except InvalidInput as exc:
        return _organisation(request, pk, contact_error=error_text(exc))
    messages.success(request, f"{user.get_full_name() or username} is now a contact.")
    return redirect("audits-organisation", pk=pk)


@require_http_methods(["GET", "POST"])
@member_view
def audit_new(request: AuthedRequest) -> HttpResponse:
    """Plan an audit: initial (whole organisation or one division) or a re-certification."""
    choices = home_pages.new_audit_choices(request.user)
    form = NewAuditForm(choices, request.POST or None, suggest_url=reverse("audits-new-suggest"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["kind"] == "recertification":
                previous = sel.audit_get(request.user, data["previous"])
                audit = svc.audit_recertify(by=request.user, previous=previous)
            else:
                organisation = sel.organisation_get(request.user, data["organisation"])
                division = (
                    organisation.divisions.filter(pk=data["division"]).first()
                    if data["division"]
                    else None
                )
                if data["division"] and division is None:
                    raise InvalidInput(
                        {"division": f"that division is not one of {organisation.name}'s"}
                    )
                standard = next(s for s in choices.standards if s.pk == data["standard"])
                audit = svc.audit_create(
                    by=request.user, organisation=organisation, standard=standard, division=division
                )
        except InvalidInput as exc:
            for key, message in exc.errors.items():
                form.add_error(key if key in form.fields else None, message)
        else:
            messages.success(request, f"Audit {audit.pk} planned: {audit.scope_text}.")
            return redirect("audit", pk=audit.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "web/audits/new.html", {"form": form}, status=status)


@require_GET
@member_view
def audit_new_suggest(request: AuthedRequest) -> HttpResponse:
    """At most 20 suggestions for one field of the plan-an-audit form (``?field=organisation``,
    ``division`` or ``previous``, with what was typed), as the options of its datalist (htmx)."""
    options = home_pages.new_audit_suggestions(
        request.user, request.GET.get("field", ""), request.GET
    )
    return render(request, "web/audits/_suggestions.html", {"options": options})


# --- renewals ----------------------------------------------------------------------------------


def _within(form: RenewalsForm) -> int:
    within = form.cleaned_data.get("within")
    return REMIND_DAYS if within is None else within


@require_GET
@member_view
def renewals(request: AuthedRequest) -> HttpResponse:
    """Certificates due for renewal within N days (the body's administrators), with who would
    be reminded and whether they already were."""
    form = RenewalsForm(request.GET or {"within": str(REMIND_DAYS)})
    if not form.is_valid():
        home_pages.may_remind(request.user)
        context = {"form": form, "page": None}
        return render(request, "web/audits/renewals.html", context, status=400)
    page = home_pages.renewals_page(
        request.user, _within(form), request.GET.get("cursor"), request.GET.get("size")
    )
    return render(request, "web/audits/renewals.html", {"form": form, "page": page})


@require_POST
@member_view
def renewals_send(request: AuthedRequest) -> HttpResponse:
    """Email reminders through ``reminders_send``, the service ``assay audits remind --send``
    uses (each certificate once); report what was sent."""
    home_pages.may_remind(request.user)
    form = RenewalsForm(request.POST)
    if not form.is_valid():
        return render(request, "web/audits/renewals.html", {"form": form, "page": None}, status=400)
    within = _within(form)
    sent = reminders_send(by=request.user, within_days=within)
    for due in sent:
        to = ", ".join(due.recipients) or "no contact e-mail"
        messages.success(request, f"Reminder for {due.certificate.number} sent to {to}.")
    messages.info(
        request,
        f"{len(sent)} reminder(s) sent for certificates expiring within {within} days; "
        "certificates already reminded were not reminded again.",
    )
    return redirect(f"{reverse('audits-renewals')}?within={within}")
