"""A certifying body's clients: organisations, autonomous divisions and offices, created and
edited one at a time or imported from a CSV/XLSX file (issue 15).

Every service checks the actor is an administrator of the organisation's body (``NotAllowed``
otherwise; the callers fetch the organisation through ``selectors.organisation_get``, so
another body's client is ``NotFound`` first). Text is refused with control characters, blank
or invisible names, and over-long values; bad input raises ``InvalidInput`` and changes
nothing.

The audit's sample needs the main office of every State or Territory (the seed; the engine's
``draw_sample`` refuses otherwise): ``main_office_gaps`` names each state without one (and each
division's state without its division main office), shown as a warning on the organisation
page and in the API's answer; the import refuses a file that would leave a gap.

The import: one row per office, columns ``COLUMNS``. ``import_check`` is the dry run (every
row's errors with row number, column and message; nothing written); ``import_clients`` is
all-or-nothing: any error refuses the whole file, otherwise every organisation, division and
office is written in one transaction through the same services as one at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import IO

from django.db import transaction

from assay.audits import permissions as perm
from assay.audits.models import (
    BodyRole,
    CertifyingBody,
    Division,
    Office,
    Organisation,
    SamplePick,
)
from assay.audits.services import OfficeInput, division_add, office_add, organisation_create
from assay.engines.plausible import text_problem
from assay.engines.text import visible
from assay.errors import InvalidInput, NotAllowed, NotFound
from assay.spreadsheets import Row, iter_table
from assay.users import AnyUser, User

__all__ = [
    "COLUMNS",
    "ClientImport",
    "RowError",
    "RowResult",
    "client_bodies",
    "client_body",
    "division_create",
    "division_of",
    "division_rename",
    "edit_check",
    "import_check",
    "import_clients",
    "main_office_gaps",
    "office_create",
    "office_edit",
    "office_of",
    "organisation_add",
    "organisation_edit",
    "read_rows",
]

COLUMNS = (
    "organisation_reference",
    "organisation_name",
    "division",
    "office",
    "state",
    "main",
    "division_main",
    "address",
    "complaints",
    "headcount",
)
REQUIRED = ("organisation_reference", "office", "state")
LIMITS = {"name": 200, "reference": 32, "state": 16, "address": 1000, "division": 200}
_STATE = re.compile(r"^[A-Z][A-Z0-9 ]{0,15}$")
_YES = {"yes", "y", "true", "1", "main"}
_NO = {"", "no", "n", "false", "0"}


# --- checks shared by every front door -----------------------------------------------------------


def _text(errors: dict[str, str], key: str, value: str, what: str, limit: int) -> str:
    """``value`` stripped, or an error under ``key``: blank or invisible, too long, control
    characters."""
    text = value.strip()
    if not visible(text):
        errors[key] = f"give {what}"
    elif len(text) > limit:
        errors[key] = f"{what} is longer than {limit} characters"
    elif problem := text_problem(text):
        errors[key] = f"{what} {problem}"
    return text


def _state(errors: dict[str, str], value: str) -> str:
    state = value.strip().upper()
    if not state:
        errors["state"] = "give the state or territory (e.g. NSW)"
    elif not _STATE.match(state):
        errors["state"] = (
            f"{value.strip()[:40]!r} is not a state or territory code: capital letters and "
            "digits, at most 16 (e.g. NSW, VIC, ACT)"
        )
    return state


def _address(errors: dict[str, str], value: str) -> str:
    address = value.strip()
    if len(address) > LIMITS["address"]:
        errors["address"] = f"the address is longer than {LIMITS['address']} characters"
    elif problem := text_problem(address, multiline=True):
        errors["address"] = f"the address {problem}"
    return address


def _administer(by: AnyUser, body_id: int) -> None:
    if not perm.can_administer(by, body_id):
        raise NotAllowed("only the certifying body's administrators edit its clients")


def client_bodies(user: AnyUser) -> list[CertifyingBody]:
    """The bodies whose clients ``user`` may add (their administrators; the operator: all)."""
    if perm.is_operator(user):
        return list(CertifyingBody.objects.order_by("name"))
    ids = perm.body_ids_with_role(user, "administrator")
    return list(CertifyingBody.objects.filter(pk__in=ids).order_by("name"))


def client_body(user: AnyUser, body_id: int | None) -> CertifyingBody:
    """The body a new client joins: the one named (404 when the user holds no role there, 403
    when they are not its administrator), or the only body they administer."""
    bodies = client_bodies(user)
    if body_id is None:
        if len(bodies) == 1:
            return bodies[0]
        if not bodies:
            raise NotAllowed("only a certifying body's administrators add its clients")
        raise InvalidInput(
            {
                "body": "you administer several bodies: say which ("
                + ", ".join(f"{b.pk} {b.name}" for b in bodies)
                + ")"
            }
        )
    for body in bodies:
        if body.pk == body_id:
            return body
    if body_id in perm.body_ids_with_role(user, *BodyRole.values):
        raise NotAllowed("only the certifying body's administrators add its clients")
    raise NotFound(f"no certifying body {body_id}")


def division_of(organisation: Organisation, pk: int) -> Division:
    division = organisation.divisions.filter(pk=pk).first()
    if division is None:
        raise NotFound(f"{organisation.name} has no division {pk}")
    return division


def office_of(organisation: Organisation, pk: int) -> Office:
    office = organisation.offices.filter(pk=pk).first()
    if office is None:
        raise NotFound(f"{organisation.name} has no office {pk}")
    return office


# --- one at a time ------------------------------------------------------------------------------


def organisation_add(*, by: User, body: CertifyingBody, name: str, reference: str) -> Organisation:
    """A new client of ``body`` (its administrators)."""
    _administer(by, body.pk)
    errors: dict[str, str] = {}
    name = _text(errors, "name", name, "the organisation's name", LIMITS["name"])
    reference = _text(errors, "reference", reference, "the reference", LIMITS["reference"])
    if "reference" not in errors and Organisation.objects.filter(reference=reference).exists():
        errors["reference"] = f"an organisation with reference {reference!r} exists"
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        return organisation_create(by=by, body=body, name=name, reference=reference)


def organisation_edit(
    *, by: User, organisation: Organisation, name: str, reference: str
) -> Organisation:
    """Rename an organisation or change its reference (unique across bodies)."""
    _administer(by, organisation.body_id)
    errors: dict[str, str] = {}
    name = _text(errors, "name", name, "the organisation's name", LIMITS["name"])
    reference = _text(errors, "reference", reference, "the reference", LIMITS["reference"])
    if (
        "reference" not in errors
        and Organisation.objects.filter(reference=reference).exclude(pk=organisation.pk).exists()
    ):
        errors["reference"] = f"an organisation with reference {reference!r} exists"
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        organisation.name, organisation.reference = name, reference
        organisation.save(update_fields=["name", "reference"])
    return organisation


def division_create(*, by: User, organisation: Organisation, name: str) -> Division:
    _administer(by, organisation.body_id)
    errors: dict[str, str] = {}
    name = _text(errors, "name", name, "the division's name", LIMITS["division"])
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        return division_add(by=by, organisation=organisation, name=name)


def division_rename(*, by: User, division: Division, name: str) -> Division:
    organisation = division.organisation
    _administer(by, organisation.body_id)
    errors: dict[str, str] = {}
    name = _text(errors, "name", name, "the division's name", LIMITS["division"])
    if not errors and organisation.divisions.filter(name=name).exclude(pk=division.pk).exists():
        errors["name"] = f"{organisation.name} already has a division {name!r}"
    if errors:
        raise InvalidInput(errors)
    division.name = name
    division.save(update_fields=["name"])
    return division


def _office_fields(data: OfficeInput) -> tuple[OfficeInput, dict[str, str]]:
    errors: dict[str, str] = {}
    name = _text(errors, "name", data.name, "the office's name", LIMITS["name"])
    state = _state(errors, data.state)
    address = _address(errors, data.address)
    if data.complaints < 0:
        errors["complaints"] = "the number of complaints cannot be negative"
    if data.headcount is not None and not 0 <= data.headcount <= 1_000_000:
        errors["headcount"] = "the headcount is a number of staff from 0 to 1000000"
    return replace(data, name=name, state=state, address=address), errors


def office_create(*, by: User, organisation: Organisation, data: OfficeInput) -> Office:
    """An office in a state or territory (``services.office_add`` after the text checks)."""
    _administer(by, organisation.body_id)
    data, errors = _office_fields(data)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        return office_add(by=by, organisation=organisation, data=data)


def office_edit(*, by: User, office: Office, data: OfficeInput) -> Office:
    """Change an office. One main office per state (and per division and state): marking a
    second one is refused, so the sample's main office is always chosen, never guessed. Once an
    audit has sampled the office its name and state stay: stored scores and reasons name it."""
    organisation = office.organisation
    _administer(by, organisation.body_id)
    data, errors = _office_fields(data)
    others = organisation.offices.exclude(pk=office.pk)
    if "name" not in errors and others.filter(name=data.name).exists():
        errors["name"] = f"{organisation.name} already has an office {data.name!r}"
    division = None
    if data.division_id is not None:
        division = organisation.divisions.filter(pk=data.division_id).first()
        if division is None:
            errors["division"] = f"{organisation.name} has no division {data.division_id}"
    if data.is_division_main and data.division_id is None:
        errors["is_division_main"] = "only an office of a division can be its division's main"
    if "state" not in errors:
        if data.is_main and (main := others.filter(state=data.state, is_main=True).first()):
            errors["is_main"] = (
                f"{main.name} is {organisation.name}'s main office in {data.state}: unmark it first"
            )
        if (
            data.is_division_main
            and division is not None
            and (
                main := others.filter(
                    state=data.state, division=division, is_division_main=True
                ).first()
            )
        ):
            errors["is_division_main"] = (
                f"{main.name} is {division.name}'s main office in {data.state}: unmark it first"
            )
    if (data.name != office.name or data.state != office.state) and (
        pick := SamplePick.objects.filter(office=office).select_related("sample").first()
    ):
        errors.setdefault(
            "name" if data.name != office.name else "state",
            f"audit {pick.sample.audit_id} sampled this office: its name and state are kept "
            "as its scores and reasons name them",
        )
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        office.name, office.state, office.address = data.name, data.state, data.address
        office.is_main, office.is_division_main = data.is_main, data.is_division_main
        office.division, office.complaints = division, data.complaints
        office.headcount = data.headcount
        office.save()
    return office


def main_office_gaps(offices: Iterable[Office], divisions: dict[int, str]) -> list[str]:
    """Each state or territory without its main office, and each division's state without
    the division's main office: an audit cannot draw its sample until one is marked."""
    states: dict[str, bool] = {}
    division_states: dict[tuple[int, str], bool] = {}
    for office in offices:
        states[office.state] = states.get(office.state, False) or office.is_main
        if office.division_id is not None:
            key = (office.division_id, office.state)
            division_states[key] = division_states.get(key, False) or office.is_division_main
    gaps = [
        f"{state} has no main office: the audit sample needs the main office of every State "
        "or Territory (mark one)"
        for state, has in sorted(states.items())
        if not has
    ]
    gaps += [
        f"the {divisions.get(division_id, str(division_id))} division has no main office in "
        f"{state}: an audit of the division cannot draw its sample (mark one)"
        for (division_id, state), has in sorted(division_states.items())
        if not has
    ]
    return gaps


def edit_check(by: AnyUser, organisation: Organisation) -> None:
    """NotAllowed unless ``by`` may edit the organisation (its body's administrators): the
    forms' pages ask before showing a form that would be refused."""
    _administer(by, organisation.body_id)


# --- import from a file ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RowError:
    column: str
    message: str


@dataclass(frozen=True, slots=True)
class RowResult:
    """A row of the file (the header is row 1) and everything wrong with it."""

    row_number: int
    organisation: str
    office: str
    errors: tuple[RowError, ...]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True, slots=True)
class ClientImport:
    """The dry run's (or the import's) answer: every row; what is (or was) created."""

    rows: tuple[RowResult, ...]
    organisations: tuple[str, ...]  # references of the new organisations
    divisions: int
    offices: int
    imported: bool = False
    # After the import: each organisation the file named, (id, name), in the file's order.
    written: tuple[tuple[int, str], ...] = ()

    @property
    def ok(self) -> bool:
        return bool(self.rows) and all(r.ok for r in self.rows)

    @property
    def errors(self) -> list[tuple[int, RowError]]:
        return [(r.row_number, e) for r in self.rows for e in r.errors]


def read_rows(stream: IO[bytes], *, name: str = "") -> list[Row]:
    """The office rows of an uploaded CSV (UTF-8) or XLSX (first sheet) file; a file whose
    header is wrong raises InvalidInput naming the columns."""
    rows = list(iter_table(stream, name=name, columns=COLUMNS, required=REQUIRED, noun="offices"))
    if len(rows) > MAX_IMPORT:
        raise InvalidInput({"file": f"more than {MAX_IMPORT} offices in one file; split it"})
    return rows


MAX_IMPORT = 5000


@dataclass(slots=True)
class _Org:
    reference: str
    name: str
    existing: Organisation | None
    first_row: int
    divisions: set[str] = field(default_factory=set)
    office_names: dict[str, int] = field(default_factory=dict)
    # state -> row of its main office (0: an existing office)
    mains: dict[str, int] = field(default_factory=dict)
    division_mains: dict[tuple[str, str], int] = field(default_factory=dict)
    states: dict[str, int] = field(default_factory=dict)  # state -> first row there
    division_states: dict[tuple[str, str], int] = field(default_factory=dict)
    new_divisions: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Line:
    number: int
    reference: str
    division: str
    office: OfficeInput
    errors: list[RowError]


def _flag(value: str, column: str, errors: list[RowError]) -> bool:
    text = value.strip().lower()
    if text in _YES:
        return True
    if text not in _NO:
        errors.append(RowError(column, f"{value.strip()[:40]!r}: write yes or no"))
    return False


def _parse(row: Row) -> _Line:
    errors = [RowError("row", p) for p in row.problems]
    v = {k: row.values.get(k, "") for k in COLUMNS}
    found: dict[str, str] = {}
    reference = _text(
        found, "organisation_reference", v["organisation_reference"], "the reference", 32
    )
    division = v["division"].strip()
    if division:
        division = _text(found, "division", division, "the division", LIMITS["division"])
    complaints = 0
    if v["complaints"].strip():
        try:
            complaints = int(v["complaints"].strip())
        except ValueError:
            found["complaints"] = f"{v['complaints'].strip()[:20]!r} is not a whole number"
    headcount = None
    if v["headcount"].strip():
        try:
            headcount = int(v["headcount"].strip())
        except ValueError:
            found["headcount"] = f"{v['headcount'].strip()[:20]!r} is not a whole number"
    main = _flag(v["main"], "main", errors)
    division_main = _flag(v["division_main"], "division_main", errors)
    if division_main and not division:
        found["division_main"] = "only an office of a division can be its division's main"
    data, office_errors = _office_fields(
        OfficeInput(
            name=v["office"],
            state=v["state"],
            is_main=main,
            is_division_main=division_main,
            complaints=complaints,
            address=v["address"],
            headcount=headcount,
        )
    )
    renamed = {"name": "office"}
    for key, message in {**found, **office_errors}.items():
        errors.append(RowError(renamed.get(key, key), message))
    return _Line(row.number, reference, division, data, errors)


def import_check(*, by: User, body: CertifyingBody, rows: Iterable[Row]) -> ClientImport:
    """The dry run: every row's errors; nothing is written."""
    _administer(by, body.pk)
    return _check(body, list(rows))[0]


def _check(
    body: CertifyingBody, rows: list[Row]
) -> tuple[ClientImport, list[_Line], dict[str, _Org]]:
    lines = [_parse(row) for row in rows]
    names = {row.number: row.values.get("organisation_name", "").strip() for row in rows}
    refs = {line.reference for line in lines if line.reference}
    existing = {
        o.reference: o
        for o in Organisation.objects.filter(reference__in=refs).prefetch_related(
            "divisions", "offices__division"
        )
    }
    orgs: dict[str, _Org] = {}
    for line in lines:
        if not line.reference:
            continue
        org = orgs.get(line.reference)
        name = names[line.number]
        if org is None:
            found = existing.get(line.reference)
            if found is not None and found.body_id != body.pk:
                line.errors.append(
                    RowError(
                        "organisation_reference",
                        f"{line.reference!r} is another organisation's reference",
                    )
                )
                continue
            org = _Org(line.reference, name, found, line.number)
            if found is not None:
                org.name = found.name
                org.divisions = {d.name for d in found.divisions.all()}
                for o in found.offices.all():
                    org.office_names[o.name] = 0
                    org.states.setdefault(o.state, 0)
                    if o.is_main:
                        org.mains[o.state] = 0
                    if o.division is not None:
                        org.division_states.setdefault((o.division.name, o.state), 0)
                        if o.is_division_main:
                            org.division_mains[(o.division.name, o.state)] = 0
            orgs[line.reference] = org
        _org_name(line, org, name)
        _office_line(line, org)
    for org in orgs.values():
        _gaps(org, lines)
    results = tuple(
        RowResult(line.number, line.reference, line.office.name, tuple(line.errors))
        for line in lines
    )
    new = tuple(r for r, o in orgs.items() if o.existing is None)
    summary = ClientImport(
        rows=results,
        organisations=new,
        divisions=sum(len(o.new_divisions) for o in orgs.values()),
        offices=len(lines),
    )
    return summary, lines, orgs


def _org_name(line: _Line, org: _Org, name: str) -> None:
    if org.existing is not None:
        if name and name != org.existing.name:
            line.errors.append(
                RowError(
                    "organisation_name",
                    f"{org.reference} is {org.existing.name!r}: leave the name empty or write "
                    "it as it is (rename it on its page)",
                )
            )
        return
    if line.number == org.first_row:
        errors: dict[str, str] = {}
        org.name = _text(errors, "n", name, "the organisation's name", LIMITS["name"])
        if errors:
            line.errors.append(RowError("organisation_name", errors["n"]))
    elif name and name != org.name:
        line.errors.append(
            RowError(
                "organisation_name",
                f"row {org.first_row} names {org.reference} {org.name!r}",
            )
        )


def _office_line(line: _Line, org: _Org) -> None:
    data = line.office
    if data.name:
        seen = org.office_names.get(data.name)
        if seen == 0:
            line.errors.append(
                RowError("office", f"{org.name} already has an office {data.name!r}")
            )
        elif seen is not None:
            line.errors.append(RowError("office", f"duplicate of row {seen} (same office name)"))
        else:
            org.office_names[data.name] = line.number
    if line.division and line.division not in org.divisions:
        org.divisions.add(line.division)
        org.new_divisions.append(line.division)
    if not data.state or any(e.column == "state" for e in line.errors):
        return
    org.states.setdefault(data.state, line.number)
    if data.is_main:
        main = org.mains.get(data.state)
        if main is None:
            org.mains[data.state] = line.number
        else:
            where = "an existing office" if main == 0 else f"row {main}"
            line.errors.append(
                RowError("main", f"{where} is already the main office in {data.state}")
            )
    if line.division:
        key = (line.division, data.state)
        org.division_states.setdefault(key, line.number)
        if data.is_division_main:
            main = org.division_mains.get(key)
            if main is None:
                org.division_mains[key] = line.number
            else:
                where = "an existing office" if main == 0 else f"row {main}"
                line.errors.append(
                    RowError(
                        "division_main",
                        f"{where} is already {line.division}'s main office in {data.state}",
                    )
                )


def _gaps(org: _Org, lines: list[_Line]) -> None:
    by_number = {line.number: line for line in lines}
    for state, first in org.states.items():
        if first and state not in org.mains:
            by_number[first].errors.append(
                RowError(
                    "main",
                    f"{org.reference} has no main office in {state}: the audit sample needs "
                    "the main office of every State or Territory (mark one row main=yes)",
                )
            )
    for (division, state), first in org.division_states.items():
        if first and (division, state) not in org.division_mains:
            by_number[first].errors.append(
                RowError(
                    "division_main",
                    f"the {division} division has no main office in {state} (mark one row "
                    "division_main=yes)",
                )
            )


def import_clients(*, by: User, body: CertifyingBody, rows: Iterable[Row]) -> ClientImport:
    """Import every row in one transaction, or none: InvalidInput names each bad row's column
    ("row 3: state") with its message."""
    _administer(by, body.pk)
    summary, lines, orgs = _check(body, list(rows))
    if not summary.rows:
        raise InvalidInput({"file": "there are no offices in the file"})
    if not summary.ok:
        raise InvalidInput({f"row {number}: {e.column}": e.message for number, e in summary.errors})
    with transaction.atomic():
        made: dict[str, Organisation] = {}
        divisions: dict[tuple[str, str], Division] = {}
        for line in lines:
            org = orgs[line.reference]
            organisation = made.get(line.reference) or org.existing
            if organisation is None:
                organisation = organisation_create(
                    by=by, body=body, name=org.name, reference=org.reference
                )
            made[line.reference] = organisation
            division_id = None
            if line.division:
                key = (line.reference, line.division)
                if key not in divisions:
                    divisions[key] = organisation.divisions.filter(
                        name=line.division
                    ).first() or division_add(by=by, organisation=organisation, name=line.division)
                division_id = divisions[key].pk
            office_add(
                by=by,
                organisation=organisation,
                data=replace(line.office, division_id=division_id),
            )
    written = tuple((o.pk, o.name) for o in made.values())
    return replace(summary, imported=True, written=written)
