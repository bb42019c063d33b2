"""A certifying body's clients over the API (issue 15): create and edit organisations,
autonomous divisions and offices, and import them from a CSV/XLSX file (dry run or all or
nothing).

Only the body's administrators write. An organisation the caller may not see answers 404
exactly like a missing one (another body's client, for instance); one they see without the
role (an auditor, a decision maker, the organisation's contact) answers 403. Every body must be
a JSON object with only the fields below (an unknown field is refused, so a typo in a PATCH
never passes silently); bad input answers 422 and changes nothing.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import File, Schema, Status, UploadedFile
from pydantic import ConfigDict, Field

from assay.api import audits as audit_routes
from assay.api import schemas as s
from assay.api.auth import who
from assay.audits import clients as cl
from assay.audits import selectors as sel
from assay.audits.client_answers import (
    ClientImportOut,
    ClientOut,
    client_answer,
    client_import_answer,
)
from assay.audits.services import OfficeInput
from assay.errors import InvalidInput

# The audits' router itself: ninja serves one path from one router, so these writes join the
# reads of ``/organisations`` and ``/organisations/{id}`` there.
router = audit_routes.router
ERRORS: dict[int, type[s.Error]] = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}


class Strict(Schema):
    model_config = ConfigDict(extra="forbid")


class ClientIn(Strict):
    name: str
    reference: str
    body: int | None = Field(None, description="Default: the only body you administer")


class ClientPatch(Strict):
    name: str | None = None
    reference: str | None = None


class DivisionIn(Strict):
    name: str


class OfficeIn(Strict):
    name: str
    state: str = Field(description="State or territory code, e.g. NSW")
    is_main: bool = False
    is_division_main: bool = False
    division: int | None = None
    complaints: int = 0
    address: str = ""
    headcount: int | None = Field(None, description="Staff at the office; null: unknown")


class OfficePatch(Strict):
    name: str | None = None
    state: str | None = None
    is_main: bool | None = None
    is_division_main: bool | None = None
    division: int | None = Field(None, description="A division's id; 0 takes it out of any")
    complaints: int | None = None
    address: str | None = None
    headcount: int | None = Field(None, description="Staff at the office; null: unknown")


def _client(request: HttpRequest, org_id: int) -> ClientOut:
    return client_answer(sel.organisation_get(who(request), org_id))


@router.post("organisations", response={201: ClientOut, **ERRORS})
def client_create(request: HttpRequest, body: ClientIn) -> Status[ClientOut]:
    """A new client organisation of a body you administer."""
    user = who(request)
    organisation = cl.organisation_add(
        by=user, body=cl.client_body(user, body.body), name=body.name, reference=body.reference
    )
    return Status(201, _client(request, organisation.pk))


@router.get("organisations/{org_id}/client", response={200: ClientOut, **ERRORS})
def client(request: HttpRequest, org_id: int) -> ClientOut:
    """An organisation with its offices' addresses and the main-office warnings."""
    return _client(request, org_id)


@router.patch("organisations/{org_id}", response={200: ClientOut, **ERRORS})
def client_edit(request: HttpRequest, org_id: int, body: ClientPatch) -> ClientOut:
    """Rename an organisation or change its reference."""
    user = who(request)
    organisation = sel.organisation_get(user, org_id)
    cl.organisation_edit(
        by=user,
        organisation=organisation,
        name=organisation.name if body.name is None else body.name,
        reference=organisation.reference if body.reference is None else body.reference,
    )
    return _client(request, org_id)


@router.post("organisations/{org_id}/divisions", response={201: ClientOut, **ERRORS})
def division_create(request: HttpRequest, org_id: int, body: DivisionIn) -> Status[ClientOut]:
    user = who(request)
    cl.division_create(by=user, organisation=sel.organisation_get(user, org_id), name=body.name)
    return Status(201, _client(request, org_id))


@router.patch("organisations/{org_id}/divisions/{division_id}", response={200: ClientOut, **ERRORS})
def division_rename(
    request: HttpRequest, org_id: int, division_id: int, body: DivisionIn
) -> ClientOut:
    user = who(request)
    organisation = sel.organisation_get(user, org_id)
    cl.division_rename(by=user, division=cl.division_of(organisation, division_id), name=body.name)
    return _client(request, org_id)


@router.post("organisations/{org_id}/offices", response={201: ClientOut, **ERRORS})
def office_create(request: HttpRequest, org_id: int, body: OfficeIn) -> Status[ClientOut]:
    """An office in a state or territory; one main office per state (per division too)."""
    user = who(request)
    data = OfficeInput(
        name=body.name,
        state=body.state,
        is_main=body.is_main,
        is_division_main=body.is_division_main,
        division_id=body.division,
        complaints=body.complaints,
        address=body.address,
        headcount=body.headcount,
    )
    cl.office_create(by=user, organisation=sel.organisation_get(user, org_id), data=data)
    return Status(201, _client(request, org_id))


@router.patch("organisations/{org_id}/offices/{office_id}", response={200: ClientOut, **ERRORS})
def office_edit(request: HttpRequest, org_id: int, office_id: int, body: OfficePatch) -> ClientOut:
    """Change an office: only the fields given."""
    user = who(request)
    office = cl.office_of(sel.organisation_get(user, org_id), office_id)
    division = office.division_id if body.division is None else (body.division or None)
    data = OfficeInput(
        name=office.name if body.name is None else body.name,
        state=office.state if body.state is None else body.state,
        is_main=office.is_main if body.is_main is None else body.is_main,
        is_division_main=(
            office.is_division_main if body.is_division_main is None else body.is_division_main
        ),
        division_id=division,
        complaints=office.complaints if body.complaints is None else body.complaints,
        address=office.address if body.address is None else body.address,
        headcount=body.headcount if "headcount" in body.model_fields_set else office.headcount,
    )
    cl.office_edit(by=user, office=office, data=data)
    return _client(request, org_id)


@router.post("client-imports", response={200: ClientImportOut, 201: ClientImportOut, **ERRORS})
def client_import(
    request: HttpRequest,
    file: UploadedFile = File(...),  # noqa: B008
    dry_run: bool = False,
    body: int | None = None,
) -> Status[ClientImportOut]:
    """Organisations, divisions and offices from a CSV (UTF-8) or XLSX file, one row per office
    (columns: organisation_reference, organisation_name, division, office, state, main,
    division_main, address, complaints). ``?dry_run=true`` answers every row's errors (row,
    column, message) and writes nothing; otherwise all or nothing: any error answers 422 with
    each one in ``details`` (field ``row N: column``)."""
    user = who(request)
    chosen = cl.client_body(user, body)
    rows = cl.read_rows(file, name=file.name or "")
    if dry_run:
        return Status(200, client_import_answer(cl.import_check(by=user, body=chosen, rows=rows)))
    if not rows:
        raise InvalidInput({"file": "there are no offices in the file"})
    return Status(201, client_import_answer(cl.import_clients(by=user, body=chosen, rows=rows)))
