"""``assay bench import``: how fast a centre's candidate list is registered in bulk, and with
how much memory.

An N-row file in the bulk import's columns is written to a temporary file (CSV or XLSX) for
a centre approved for the qualification, then the real import service
(``registrations.bulk.bulk_import_ids``) reads it as a stream and registers every row: the
rows, seconds, rows per second, queries and the process's peak resident memory are printed.
By default everything happens in a transaction that is rolled back (the database is left as
it was; the final COMMIT is then not part of the time); ``keep=True`` commits the centre and
its registrations, so ``assay records verify`` can check the chains the import started.

``build_and_import`` is the part other benchmarks call (``assay bench scale`` builds a centre
of N learners through the real services): it writes the file and imports it at a centre they
built, and answers the registrations' ids. The import's columns hold no learning plan, so
``build_cohort`` follows it with ``assessors_add`` and ``plan_cohort``: A assessors with their
A1, then K units per plan for every imported registration, each learner's units assessed by
one assessor in turn (``registrations.plans_bulk.plans_set_many``, the same checks and
chained records as ``plan_set``, in bulk).
"""

from __future__ import annotations

import csv
import datetime as dt
import resource
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import override_settings

from assay.catalogue.models import Qualification
from assay.catalogue.selectors import qualification_get, units_without_content
from assay.centres.models import Centre, Role
from assay.centres.people import competence_record
from assay.centres.services import ApprovalInput, approval_record, membership_grant
from assay.registrations.bulk import COLUMNS, bulk_import_ids, iter_rows
from assay.registrations.plans import PlanUnitInput
from assay.registrations.plans_bulk import plans_set_many
from assay.users import User

QUALIFICATION = "4430-04"
TODAY = "2013-03-01"  # the seed handbooks' registration window is open on this date
REGISTERED_ON = dt.date(2013, 2, 1)
Format = Literal["csv", "xlsx"]


@dataclass(frozen=True)
class ImportRun:
    """One import: the registrations' ids in the file's order, and what it cost."""

    ids: list[int]
    seconds: float
    queries: int
    file_bytes: int
    rss_before: int  # bytes: the process's peak resident set before the import
    rss_peak: int  # bytes: the process's peak resident set after it (ru_maxrss)
    cpu_seconds: float = 0.0  # this process's CPU time (time.process_time) during the import

    @property
    def rows(self) -> int:
        return len(self.ids)

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else float("inf")


@dataclass(frozen=True)
class PlanRun:
    """Plans set for the imported registrations: how many, units each, assessors, cost."""

    plans: int
    units: int
    assessors: int
    seconds: float
    queries: int


@dataclass
class ImportBench:
    qualification: str
    fmt: Format
    database: str
    kept: bool
    run: ImportRun
    centre_number: str = ""
    plan: PlanRun | None = None

    def lines(self) -> list[str]:
        r, mb = self.run, 1024 * 1024
        plan = (
            [
                f"  plans:      {self.plan.plans:,} × {self.plan.units} units, "
                f"{self.plan.assessors} assessors: {self.plan.seconds:.2f} s, "
                f"{self.plan.queries:,} queries"
            ]
            if self.plan is not None
            else []
        )
        return [
            f"bulk import: {r.rows:,} rows of {self.qualification} ({self.fmt}, "
            f"{r.file_bytes / mb:.1f} MB) on {self.database}",
            f"  time:       {r.seconds:.2f} s ({r.rows_per_second:,.0f} rows/s); CPU of this "
            f"process {r.cpu_seconds:.2f} s (the rest is the database and waiting)",
            f"  queries:    {r.queries:,}",
            f"  peak RSS:   {r.rss_peak / mb:.0f} MB (ru_maxrss of this process; "
            f"{r.rss_before / mb:.0f} MB before the import, "
            f"+{(r.rss_peak - r.rss_before) / mb:.0f} MB)",
            *plan,
            (
                f"  kept:       centre {self.centre_number} and its registrations (committed)"
                if self.kept
                else "  kept:       nothing (rolled back; the COMMIT is not timed)"
            ),
        ]


def peak_rss_bytes() -> int:
    """The process's peak resident set so far (``ru_maxrss``: KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak if sys.platform == "darwin" else peak * 1024)


def candidate_rows(
    n: int, qualification: str, *, tag: str, registered_on: dt.date = REGISTERED_ON
) -> Iterator[list[str]]:
    """N distinct candidates (names carry ``tag``, so a second file is not a duplicate), of
    plausible ages, each with a real job, one in ten with a held qualification."""
    day = registered_on.isoformat()
    for i in range(n):
        born = dt.date(1950 + i % 40, 1 + i % 12, 1 + i % 28)
        yield [
            f"Learner{i % 97}",
            f"Bench-{tag}-{i:07d}",
            born.isoformat(),
            f"learner{i}.{tag}@example.org",
            "",
            f"Employer {i % 50}",
            "Customer service adviser",
            "paid" if i % 5 else "voluntary",
            qualification,
            day,
            "X-1" if i % 10 == 0 else "",
        ]


def write_file(rows: Iterator[list[str]], out: IO[bytes], fmt: Format) -> None:
    """The rows under the import's header, as CSV (UTF-8) or an XLSX workbook, streamed."""
    if fmt == "csv":
        import io

        text = io.TextIOWrapper(out, encoding="utf-8", newline="")
        writer = csv.writer(text)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        text.flush()
        text.detach()
        return
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Candidates")
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(row)
    book.save(out)


@contextmanager
def _counted() -> Iterator[list[int]]:
    """Count the queries (not capture them: the SQL of a 1,000-row insert is large)."""
    count = [0]

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        count[0] += 1
        return execute(sql, params, many, ctx)

    with connection.execute_wrapper(wrapper):
        yield count


def build_and_import(
    centre: Centre,
    qualification: Qualification,
    n: int,
    *,
    by: User,
    fmt: Format = "csv",
    registered_on: dt.date = REGISTERED_ON,
    tag: str = "",
) -> ImportRun:
    """Register N new candidates on ``qualification`` at ``centre`` through the bulk import,
    as ``by`` (a centre administrator there; the centre must be approved for it on
    ``registered_on``, and that date open under the clock). The file is written to a
    temporary file first (not timed) and read back as a stream, as an upload is. Each
    registration gets what ``registration_create`` writes: candidate, registration, first
    status change and the ``registered`` record of its enrolment chain; no learning plan."""
    tag = tag or uuid.uuid4().hex[:6]
    suffix = f".{fmt}"
    with tempfile.NamedTemporaryFile(suffix=suffix) as handle:
        write_file(
            candidate_rows(n, qualification.code, tag=tag, registered_on=registered_on), handle, fmt
        )
        handle.flush()
        size = Path(handle.name).stat().st_size
        handle.seek(0)
        before = peak_rss_bytes()
        with _counted() as queries:
            start, cpu = time.perf_counter(), time.process_time()
            ids = bulk_import_ids(
                by=by, centre=centre, rows=iter_rows(handle, name=f"bench{suffix}")
            )
            seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        return ImportRun(ids, seconds, queries[0], size, before, peak_rss_bytes(), cpu)


def import_world(qualification: Qualification) -> tuple[Centre, User]:
    """A centre approved for ``qualification`` and its administrator, through the services
    (names carry a random tag so they can sit beside other data)."""
    tag = uuid.uuid4().hex[:8]
    users = get_user_model().objects
    owner = users.create_user(username=f"bench-ab-{tag}", is_superuser=True, is_staff=True)
    admin = users.create_user(username=f"bench-admin-{tag}")
    centre = Centre.objects.create(number=f"B{tag[:6]}", name="Bench import centre")
    approval_record(
        by=owner,
        centre=centre,
        approval=ApprovalInput(qualification.code, "approved", dt.date(2011, 9, 1)),
    )
    membership_grant(by=owner, centre=centre, user=admin, role=Role.CENTRE_ADMIN)
    return centre, admin


def assessors_add(centre: Centre, admin: User, count: int, *, tag: str = "") -> list[User]:
    """``count`` assessors at ``centre``, each with an achieved A1 (so they may take new
    candidates), through the services."""
    tag = tag or uuid.uuid4().hex[:6]
    users = get_user_model().objects
    made: list[User] = []
    for i in range(count):
        assessor = users.create_user(username=f"bench-assessor-{tag}-{i}")
        membership_grant(by=admin, centre=centre, user=assessor, role=Role.ASSESSOR)
        competence_record(
            by=admin,
            centre=centre,
            user=assessor,
            role="assessor",
            av_unit="A1",
            started_on=dt.date(2010, 1, 1),
            achieved_on=dt.date(2010, 6, 1),
        )
        made.append(assessor)
    return made


def plan_units(qualification: Qualification, count: int) -> list[str]:
    """The first ``count`` units of the qualification whose content the catalogue holds."""
    without = units_without_content(qualification)
    numbers = [
        str(u["number"])
        for u in qualification.spec.content.get("units") or ()
        if str(u["number"]) not in without
    ]
    if len(numbers) < count:
        raise ValueError(f"{qualification.code} has {len(numbers)} units with content")
    return numbers[:count]


def plan_cohort(
    centre: Centre,
    qualification: Qualification,
    ids: list[int],
    *,
    by: User,
    assessors: list[User],
    units: int = 8,
) -> PlanRun:
    """Plan ``units`` units for every registration in ``ids``: the learner at position i is
    assessed on all of them by ``assessors[i % len(assessors)]``."""
    numbers = plan_units(qualification, units)
    target = dt.date(2013, 12, 1)
    with _counted() as queries:
        start = time.perf_counter()
        plans_set_many(
            by=by,
            centre=centre,
            plans=(
                (
                    pk,
                    [
                        PlanUnitInput(
                            n, assessor_id=assessors[i % len(assessors)].pk, target_date=target
                        )
                        for n in numbers
                    ],
                )
                for i, pk in enumerate(ids)
            ),
        )
        seconds = time.perf_counter() - start
    return PlanRun(len(ids), len(numbers), len(assessors), seconds, queries[0])


class _Rollback(Exception):
    pass


def import_bench(
    n: int,
    *,
    qualification: str = QUALIFICATION,
    fmt: Format = "csv",
    keep: bool = False,
    units: int = 0,
    assessors: int = 10,
) -> ImportBench:
    """Build the centre, import N rows, plan ``units`` units for each (if any), and (unless
    ``keep``) roll everything back."""
    database = f"{connection.vendor} {connection.settings_dict.get('NAME')}"
    result: ImportBench | None = None
    with tempfile.TemporaryDirectory() as scratch, override_settings(ASSAY_TODAY=TODAY):
        # A run that is rolled back leaves no rows, so it must leave no anchors either.
        log = {} if keep else {"ASSAY_ANCHOR_LOG": Path(scratch) / "anchors.log"}
        with override_settings(**log):
            if keep:  # the import commits inside the timed call, as it does for a user
                return _bench(n, qualification, fmt, database, keep, units, assessors)
            try:
                with transaction.atomic():
                    result = _bench(n, qualification, fmt, database, keep, units, assessors)
                    raise _Rollback
            except _Rollback:
                pass
    assert result is not None
    return result


@dataclass(frozen=True)
class Cohort:
    """What ``build_cohort`` made: the import, the plans and the assessors."""

    run: ImportRun
    plan: PlanRun
    assessors: list[User]


def build_cohort(
    centre: Centre,
    qualification: Qualification,
    n: int,
    *,
    by: User,
    assessors: int = 10,
    units: int = 8,
    fmt: Format = "csv",
) -> Cohort:
    """N learners at ``centre`` as ``bench scale`` wants them: registered by the bulk import,
    ``assessors`` new assessors with their A1, and a plan of ``units`` units for every learner,
    each learner with one assessor in turn (so each assessor has N / ``assessors``)."""
    staff = assessors_add(centre, by, assessors)
    run = build_and_import(centre, qualification, n, by=by, fmt=fmt)
    plan = plan_cohort(centre, qualification, run.ids, by=by, assessors=staff, units=units)
    return Cohort(run, plan, staff)


def _bench(
    n: int, qualification: str, fmt: Format, database: str, keep: bool, units: int, count: int
) -> ImportBench:
    qual = qualification_get(qualification)
    centre, admin = import_world(qual)
    if units:
        cohort = build_cohort(centre, qual, n, by=admin, assessors=count, units=units, fmt=fmt)
        return ImportBench(qual.code, fmt, database, keep, cohort.run, centre.number, cohort.plan)
    run = build_and_import(centre, qual, n, by=admin, fmt=fmt)
    return ImportBench(qual.code, fmt, database, keep, run, centre.number)
