"""Bulk registration from a CSV or XLSX file (the candidate list export is ``export.py``).

``bulk_check`` is the dry run: every row's problems (unreadable values, unknown qualification,
entry-rule refusals, the same candidate twice in the file or already registered) and nothing
changes, not even the refusal log. ``bulk_import`` is all-or-nothing: any row with a problem
refuses the whole file; otherwise every row is registered in one transaction.

Built for files of tens of thousands of rows (docs/performance.md, ``assay bench import``):
rows are read as a stream (``iter_rows``); the qualifications the file names, their entry
facts, period of registration and the centre's approvals and sanctions are resolved once per
file; each
row's entry rules are checked once; a row that passes keeps only what its insert needs; and
the rows are inserted a chunk at a time in one transaction (``bulk_insert.py``), each with
exactly the rows and the chained record ``registration_create`` writes for one registration.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from assay import clock
from assay.catalogue.models import Qualification
from assay.catalogue.selectors import qualification_get
from assay.centres.models import Centre
from assay.centres.permissions import can_administer
from assay.engines.entry.rules import CentreApproval, QualificationFacts, entry_decision
from assay.engines.plausible import business_date_problem
from assay.engines.sanctions.rules import Sanction
from assay.errors import InvalidInput, NotAllowed, NotFound
from assay.registrations.bulk_insert import ReadyRow, insert_rows
from assay.registrations.facts import approvals_in_force, centre_sanctions, qualification_facts
from assay.registrations.models import JobKind, Registration, Status
from assay.registrations.services import CandidateInput, candidate_facts
from assay.registrations.tabular import (
    Row,
    iter_table,
    read_table,
)
from assay.users import User

COLUMNS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "phone",
    "employer",
    "job_role",
    "job_kind",
    "qualification",
    "registered_on",
    "held_qualifications",
)
REQUIRED = ("first_name", "last_name", "date_of_birth", "job_kind", "qualification")
# Written by the export and ignored on import, so an exported list can be edited and re-read.
EXPORT_ONLY = ("registration_id", "status", "end_date")
LENGTHS = {"first_name": 100, "last_name": 100, "email": 254, "phone": 40}
LENGTHS |= {"employer": 200, "job_role": 200}
ACTIVE = (Status.REGISTERED, Status.IN_PROGRESS)

__all__ = [
    "COLUMNS",
    "Row",
    "RowResult",
    "bulk_check",
    "bulk_check_and_import",
    "bulk_import",
    "bulk_import_ids",
    "iter_rows",
    "parse_date",
    "read_rows",
]


@dataclass(frozen=True, slots=True)
class RowResult:
    """A row of the file and everything wrong with it (empty when it can be registered)."""

    row_number: int
    errors: list[str]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(slots=True)
class _Prepared:
    number: int
    errors: list[str] = field(default_factory=list)
    candidate: CandidateInput | None = None
    qualification: Qualification | None = None
    registered_on: dt.date | None = None


def read_rows(stream: IO[bytes], *, name: str = "") -> list[Row]:
    """The candidate rows of an uploaded CSV (UTF-8) or XLSX (first sheet) file."""
    return read_table(stream, name=name, columns=COLUMNS + EXPORT_ONLY, required=REQUIRED)


def iter_rows(stream: IO[bytes], *, name: str = "") -> Iterator[Row]:
    """``read_rows`` one row at a time (the header is checked before this returns)."""
    return iter_table(stream, name=name, columns=COLUMNS + EXPORT_ONLY, required=REQUIRED)


def bulk_check(*, by: User, centre: Centre, rows: Iterable[Row]) -> list[RowResult]:
    """Every row with its errors; changes nothing and logs no refusal."""
    bulk_authorise(by, centre)
    return [RowResult(number, errors) for number, errors, _ in _Checker(centre).check(rows)]


def bulk_import_ids(
    *,
    by: User,
    centre: Centre,
    rows: Iterable[Row],
    progress: Callable[[int], None] | None = None,
    checked: Callable[[int], None] | None = None,
) -> list[int]:
    """Register every row in one transaction, or none: InvalidInput lists each bad row.
    Returns the new registrations' ids in the file's order.

    ``checked`` is called once every row has passed, with the number about to be registered;
    ``progress`` with the number of rows registered so far."""
    bulk_authorise(by, centre)
    ready: list[ReadyRow] = []
    bad: dict[str, str] = {}
    for number, errors, item in _Checker(centre).check(rows):
        if errors:
            bad[f"row {number}"] = "; ".join(errors)
        elif item is not None and not bad:  # once a row is bad, nothing will be inserted
            ready.append(item)
    if bad:
        raise InvalidInput(bad)
    if not ready:
        raise InvalidInput({"file": "there are no candidates in the file"})
    if checked is not None:
        checked(len(ready))
    return insert_rows(by, centre, ready, progress)


def bulk_import(
    *,
    by: User,
    centre: Centre,
    rows: Iterable[Row],
    progress: Callable[[int], None] | None = None,
) -> list[Registration]:
    """``bulk_import_ids`` answering the registrations themselves (with their candidates):
    for a few rows; a front door that only counts or lists ids uses ``bulk_import_ids``.

    ``progress`` is called with the number of rows registered so far.
    """
    ids = bulk_import_ids(by=by, centre=centre, rows=rows, progress=progress)
    found = Registration.objects.select_related("candidate").in_bulk(ids)
    return [found[pk] for pk in ids]


def bulk_check_and_import(
    *, by: User, centre: Centre, rows: Iterable[Row], commit: bool
) -> tuple[list[RowResult], list[int]]:
    """Every row's result and, with ``commit`` when no row has an error, the registrations'
    ids (all or nothing, as ``bulk_import``): the browser's check and import in one pass, so
    each row is checked once."""
    bulk_authorise(by, centre)
    results: list[RowResult] = []
    ready: list[ReadyRow] = []
    for number, errors, item in _Checker(centre).check(rows):
        results.append(RowResult(number, errors))
        if commit and item is not None:
            ready.append(item)
    if not commit or not results or any(r.errors for r in results):
        return results, []
    return results, insert_rows(by, centre, ready, None)


def bulk_authorise(by: User, centre: Centre) -> None:
    """NotAllowed unless ``by`` administers the centre (every bulk door asks this first)."""
    if not can_administer(by, centre):
        raise NotAllowed("only a centre administrator can register candidates")


# --- checking ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Checker:
    """What a file's rows are checked against, resolved once per file: the qualifications it
    names (by the key written in the file), their entry facts and the centre's approvals in
    force, the centre's active registrations, and the candidates seen in earlier rows."""

    centre: Centre
    today: dt.date = field(default_factory=clock.today)
    quals: dict[str, Qualification | None] = field(default_factory=dict)
    facts: dict[int, QualificationFacts] = field(default_factory=dict)
    approvals: dict[str, Callable[[dt.date], CentreApproval | None]] = field(default_factory=dict)
    active: dict[tuple[str, str, dt.date, str], int] | None = None
    sanctions: list[Sanction] | None = None
    first_seen: dict[tuple[str, str, dt.date, str], int] = field(default_factory=dict)

    def check(self, rows: Iterable[Row]) -> Iterator[tuple[int, list[str], ReadyRow | None]]:
        """Each row's number, errors and (when it has none) what its insert needs."""
        if self.active is None:
            self.active = _active_registrations(self.centre)
        if self.sanctions is None:
            self.sanctions = centre_sanctions(self.centre)
        for row in rows:
            p = _parse(row, self.quals, self.today)
            if p.candidate is not None and p.qualification is not None:
                self._duplicates(p)
                self._entry_rules(p)
            if p.errors or p.candidate is None or p.qualification is None:
                yield p.number, p.errors, None
            else:
                assert p.registered_on is not None
                yield (
                    p.number,
                    p.errors,
                    ReadyRow(p.number, p.candidate, p.qualification, p.registered_on),
                )

    def _duplicates(self, p: _Prepared) -> None:
        assert p.candidate is not None and p.qualification is not None
        assert self.active is not None
        key = (
            p.candidate.first_name.casefold(),
            p.candidate.last_name.casefold(),
            p.candidate.date_of_birth,
            p.qualification.code,
        )
        if key in self.first_seen:
            p.errors.append(
                f"duplicate of row {self.first_seen[key]} (same candidate, date of birth "
                "and qualification)"
            )
        else:
            self.first_seen[key] = p.number
        if key in self.active:
            p.errors.append(
                f"{p.candidate.first_name} {p.candidate.last_name} is already registered "
                f"for {p.qualification.code} at this centre (registration {self.active[key]})"
            )

    def _entry_rules(self, p: _Prepared) -> None:
        """The entry rules' decision, once per row, on the facts resolved once per file (the
        plausibility checks ``registration_check`` repeats were made by ``_parse``)."""
        assert p.candidate is not None and p.qualification is not None
        assert p.registered_on is not None
        qual = p.qualification
        if qual.pk not in self.facts:
            self.facts[qual.pk] = qualification_facts(qual)
        if qual.code not in self.approvals:
            self.approvals[qual.code] = approvals_in_force(self.centre, qual.code)
        decision = entry_decision(
            candidate=candidate_facts(p.candidate),
            qualification=self.facts[qual.pk],
            approval=self.approvals[qual.code](p.registered_on),
            registered_on=p.registered_on,
            sanctions=self.sanctions or (),
        )
        p.errors.extend(f"{r.code}: {r.message}" for r in decision.reasons)


def _active_registrations(centre: Centre) -> dict[tuple[str, str, dt.date, str], int]:
    rows = Registration.objects.filter(centre=centre, status__in=ACTIVE).values_list(
        "candidate__first_name",
        "candidate__last_name",
        "candidate__date_of_birth",
        "qualification__code",
        "pk",
    )
    return {(f.casefold(), la.casefold(), dob, code): pk for f, la, dob, code, pk in rows}


# --- reading a row -----------------------------------------------------------------------


def _parse(row: Row, quals: dict[str, Qualification | None], today: dt.date) -> _Prepared:
    p = _Prepared(row.number, errors=list(row.problems))
    v = row.values
    text = {name: v.get(name, "").strip() for name in COLUMNS}
    for name in ("first_name", "last_name", "qualification"):
        if not text[name]:
            p.errors.append(f"{name}: required")
    for name, limit in LENGTHS.items():
        if len(text[name]) > limit:
            p.errors.append(f"{name}: longer than {limit} characters")
    if text["email"]:
        try:
            validate_email(text["email"])
        except ValidationError:
            p.errors.append(f"email: {text['email']!r} is not an email address")
    job_kind = text["job_kind"].lower()
    if not job_kind:
        p.errors.append(f"job_kind: required ({', '.join(JobKind.values)})")
    elif job_kind not in JobKind.values:
        p.errors.append(f"job_kind: {text['job_kind']!r} — use {', '.join(JobKind.values)}")
    born = _date(text["date_of_birth"], "date_of_birth", p.errors, required=True)
    on = _date(text["registered_on"], "registered_on", p.errors) or today
    if born is not None and born > on:
        p.errors.append(f"date_of_birth: {born.isoformat()} is after registration on {on}")
    qual = _qualification(text["qualification"], quals) if text["qualification"] else None
    if text["qualification"] and qual is None:
        p.errors.append(f"qualification: unknown qualification {text['qualification']!r}")
    if p.errors or born is None:
        return p
    p.candidate = CandidateInput(
        first_name=text["first_name"],
        last_name=text["last_name"],
        date_of_birth=born,
        email=text["email"],
        phone=text["phone"],
        employer=text["employer"],
        job_role=text["job_role"],
        job_kind=job_kind,
        held=_held(text["held_qualifications"], quals),
    )
    p.errors.extend(f"{field}: {message}" for field, message in p.candidate.problems().items())
    on_problem = business_date_problem(on, today)
    if on_problem:
        p.errors.append(f"registered_on: the registration date {on_problem}")
    if p.errors:
        p.candidate = None
        return p
    p.qualification, p.registered_on = qual, on
    return p


_ISO = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_UK = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(value: str) -> dt.date:
    """A date written YYYY-MM-DD or DD/MM/YYYY; ValueError saying so otherwise."""
    text = value.strip()
    try:
        if _ISO.match(text):
            year, month, day = (int(part) for part in text.split("-"))
            return dt.date(year, month, day)
        if match := _UK.match(text):
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        pass
    raise ValueError(f"{value!r} is not a date (use YYYY-MM-DD or DD/MM/YYYY)")


def _date(value: str, name: str, errors: list[str], *, required: bool = False) -> dt.date | None:
    if not value:
        if required:
            errors.append(f"{name}: required")
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        errors.append(f"{name}: {exc}")
        return None


def _qualification(key: str, quals: dict[str, Qualification | None]) -> Qualification | None:
    if key not in quals:
        try:
            quals[key] = qualification_get(key)
        except NotFound:
            quals[key] = None
    return quals[key]


def _held(value: str, quals: dict[str, Qualification | None]) -> tuple[str, ...]:
    """Held qualification codes; a code or id the catalogue knows becomes its code."""
    codes = []
    for part in value.split(";"):
        key = part.strip()
        if key:
            known = _qualification(key, quals)
            codes.append(known.code if known else key)
    return tuple(dict.fromkeys(codes))
