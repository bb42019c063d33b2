"""Typed answers about a certifying body's clients (issue 15): an organisation with its
divisions, offices (with addresses) and the main-office warnings, and a client import's rows.
The API's response schemas and the CLI's ``--json``, built once here (``answers.py``'s
conventions)."""

from __future__ import annotations

from assay.audits.answers import Answer, AuditNamedOut
from assay.audits.clients import ClientImport, main_office_gaps
from assay.audits.models import Organisation


class ClientOfficeOut(Answer):
    id: int
    name: str
    state: str
    is_main: bool
    division: int | None
    is_division_main: bool
    complaints: int
    address: str


class ClientOut(Answer):
    """An organisation as its body's administrators edit it. ``warnings`` names each state
    (and division's state) without its main office: the audit sample cannot be drawn there."""

    id: int
    body: int
    name: str
    reference: str
    divisions: list[AuditNamedOut]
    offices: list[ClientOfficeOut]
    warnings: list[str]


class ClientRowErrorOut(Answer):
    row: int
    column: str
    message: str


class ClientRowOut(Answer):
    row: int
    organisation: str
    office: str
    ok: bool
    errors: list[ClientRowErrorOut]


class ClientImportOut(Answer):
    """A client import's dry run (``imported`` false) or import: every row with its errors."""

    imported: bool
    ok: bool
    rows: list[ClientRowOut]
    new_organisations: list[str]
    new_divisions: int
    offices: int


def client_answer(o: Organisation) -> ClientOut:
    divisions = list(o.divisions.all())
    offices = list(o.offices.all())
    return ClientOut(
        id=o.pk,
        body=o.body_id,
        name=o.name,
        reference=o.reference,
        divisions=[AuditNamedOut(id=d.pk, name=d.name) for d in divisions],
        offices=[
            ClientOfficeOut(
                id=f.pk,
                name=f.name,
                state=f.state,
                is_main=f.is_main,
                division=f.division_id,
                is_division_main=f.is_division_main,
                complaints=f.complaints,
                address=f.address,
            )
            for f in offices
        ],
        warnings=main_office_gaps(offices, {d.pk: d.name for d in divisions}),
    )


def client_import_answer(result: ClientImport) -> ClientImportOut:
    return ClientImportOut(
        imported=result.imported,
        ok=result.ok,
        rows=[
            ClientRowOut(
                row=r.row_number,
                organisation=r.organisation,
                office=r.office,
                ok=r.ok,
                errors=[
                    ClientRowErrorOut(row=r.row_number, column=e.column, message=e.message)
                    for e in r.errors
                ],
            )
            for r in result.rows
        ],
        new_organisations=list(result.organisations),
        new_divisions=result.divisions,
        offices=result.offices,
    )
