"""A certifying body's clients in the browser (issue 15): add an organisation, edit it, its
divisions and offices, and import them from a CSV/XLSX file with a dry run.

The body's administrators only: an organisation the user may not see answers 404 like a
missing one; one they see without the role (auditor, decision maker, contact) 403, on the
form's page as on its POST. Each view reads through ``selectors.organisation_get`` and calls one
service of ``assay.audits.clients``; refusals come back on the form's fields (400).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from assay.audits import clients as cl
from assay.audits import selectors as sel
from assay.audits.client_answers import ClientOut, client_answer
from assay.audits.models import CertifyingBody, Organisation
from assay.audits.services import OfficeInput
from assay.errors import InvalidInput, NotAllowed
from assay.web.client_forms import (
    ClientImportForm,
    DivisionForm,
    NewOrganisationForm,
    OfficeForm,
    OrganisationForm,
)
from assay.web.forms import apply_errors
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view


def _bodies(request: AuthedRequest) -> list[CertifyingBody]:
    bodies = cl.client_bodies(request.user)
    if not bodies:
        raise NotAllowed("only a certifying body's administrators add its clients")
    return bodies


@require_http_methods(["GET", "POST"])
@member_view
def client_new(request: AuthedRequest) -> HttpResponse:
    """Add a client organisation (then its divisions and offices on its edit page)."""
    bodies = _bodies(request)
    form = NewOrganisationForm(bodies, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            org = cl.organisation_add(
                by=request.user,
                body=cl.client_body(request.user, data["body"]),
                name=data["name"],
                reference=data["reference"],
            )
        except InvalidInput as exc:
            apply_errors(form, exc.errors)
        else:
            messages.success(request, f"{org.name} added: now add its offices.")
            return redirect("audits-client-edit", pk=org.pk)
    status = 400 if form.errors else 200
    return render(request, "web/audits/client_new.html", {"form": form}, status=status)


@dataclass(frozen=True)
class _EditPage:
    organisation: Organisation
    client: ClientOut
    division_names: dict[int, str]


def _edit_page(request: AuthedRequest, pk: int) -> _EditPage:
    organisation = sel.organisation_get(request.user, pk)
    cl.edit_check(request.user, organisation)
    client = client_answer(organisation)
    return _EditPage(organisation, client, {d.id: d.name for d in client.divisions})


def _render_edit(
    request: AuthedRequest,
    page: _EditPage,
    form: OrganisationForm | None = None,
    division_form: DivisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    org = page.organisation
    context = {
        "page": page,
        "form": form or OrganisationForm(initial={"name": org.name, "reference": org.reference}),
        "division_form": division_form or DivisionForm(),
        "offices": [
            (o, page.division_names.get(o.division, "") if o.division else "")
            for o in page.client.offices
        ],
    }
    return render(request, "web/audits/client_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
@member_view
def client_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """The organisation's name and reference, its divisions, its offices and the warnings."""
    page = _edit_page(request, pk)
    if request.method == "GET":
        return _render_edit(request, page)
    form = OrganisationForm(request.POST)
    if form.is_valid():
        try:
            cl.organisation_edit(
                by=request.user,
                organisation=page.organisation,
                name=form.cleaned_data["name"],
                reference=form.cleaned_data["reference"],
            )
        except InvalidInput as exc:
            apply_errors(form, exc.errors)
        else:
            messages.success(request, "Organisation saved.")
            return redirect("audits-client-edit", pk=pk)
    return _render_edit(request, page, form=form, status=400)


@require_POST
@member_view
def division_add_view(request: AuthedRequest, pk: int) -> HttpResponse:
    page = _edit_page(request, pk)
    form = DivisionForm(request.POST)
    if form.is_valid():
        try:
            cl.division_create(
                by=request.user, organisation=page.organisation, name=form.cleaned_data["name"]
            )
        except InvalidInput as exc:
            apply_errors(form, exc.errors)
        else:
            messages.success(request, "Division added.")
            return redirect("audits-client-edit", pk=pk)
    return _render_edit(request, page, division_form=form, status=400)


@require_http_methods(["GET", "POST"])
@member_view
def division_edit_view(request: AuthedRequest, pk: int, division_pk: int) -> HttpResponse:
    page = _edit_page(request, pk)
    division = cl.division_of(page.organisation, division_pk)
    form = DivisionForm(request.POST or None, initial={"name": division.name})
    if request.method == "POST" and form.is_valid():
        try:
            cl.division_rename(by=request.user, division=division, name=form.cleaned_data["name"])
        except InvalidInput as exc:
            apply_errors(form, exc.errors)
        else:
            messages.success(request, "Division renamed.")
            return redirect("audits-client-edit", pk=pk)
    context = {"page": page, "form": form, "division": division}
    status = 400 if form.errors else 200
    return render(request, "web/audits/client_division.html", context, status=status)


@require_http_methods(["GET", "POST"])
@member_view
def office_view(request: AuthedRequest, pk: int, office_pk: int | None = None) -> HttpResponse:
    """Add an office (``office_pk`` None) or change one."""
    page = _edit_page(request, pk)
    office = cl.office_of(page.organisation, office_pk) if office_pk is not None else None
    initial = {}
    if office is not None:
        initial = {
            "name": office.name,
            "state": office.state,
            "is_main": office.is_main,
            "division": office.division_id,
            "is_division_main": office.is_division_main,
            "complaints": office.complaints,
            "address": office.address,
            "headcount": office.headcount,
        }
    divisions = list(page.organisation.divisions.all())
    form = OfficeForm(divisions, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = OfficeInput(
            name=d["name"],
            state=d["state"],
            is_main=d["is_main"],
            is_division_main=d["is_division_main"],
            division_id=d["division"],
            complaints=d["complaints"],
            address=d["address"],
            headcount=d["headcount"],
        )
        try:
            if office is None:
                cl.office_create(by=request.user, organisation=page.organisation, data=data)
            else:
                cl.office_edit(by=request.user, office=office, data=data)
        except InvalidInput as exc:
            apply_errors(form, exc.errors)
        else:
            messages.success(request, "Office saved.")
            return redirect("audits-client-edit", pk=pk)
    context = {"page": page, "form": form, "office": office}
    status = 400 if form.errors else 200
    return render(request, "web/audits/client_office.html", context, status=status)


@require_http_methods(["GET", "POST"])
@member_view
def client_import_view(request: AuthedRequest) -> HttpResponse:
    """Upload a CSV/XLSX file: *Check* lists every row's errors and writes nothing; *Import*
    checks again and imports every row or none."""
    bodies = _bodies(request)
    form = ClientImportForm(bodies, request.POST or None, request.FILES or None)
    result, file_error = None, ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            body = cl.client_body(request.user, form.cleaned_data["body"])
            rows = cl.read_rows(upload, name=upload.name or "")
            result = cl.import_check(by=request.user, body=body, rows=rows)
            if result.ok and request.POST.get("action") == "import":
                result = cl.import_clients(by=request.user, body=body, rows=rows)
        except InvalidInput as exc:
            file_error = " ".join(exc.errors.values())
    # A check that finds errors has done its job (200); a refused import or file is a 400.
    refused = result is not None and not result.ok and request.POST.get("action") == "import"
    status = 400 if (form.errors or file_error or refused) else 200
    context = {"form": form, "result": result, "file_error": file_error}
    return render(request, "web/audits/client_import.html", context, status=status)
