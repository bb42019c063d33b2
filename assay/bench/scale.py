"""``assay bench scale``: a centre of N learners, then 10 × N, and every list page and export.

The centre is built through the real services, as a centre would build it: approval, ten
assessors with their A1, an internal verifier; the learners registered by one bulk import file
(the import service itself, timed); then each learner's learning plan (``plan_set``, eight units
spread over the assessors, with target dates), evidence items added by their assessor
(``evidence_add``) and criteria judged (``criterion_judge``). Nothing is bulk-inserted behind the
services' backs: what the pages read is what the acts wrote, materialised progress included.

Then each read a user waits for is requested through Django's test client (the real URLconf,
middleware, sessions and bearer tokens) and timed: pages and API reads (the first page, as a
user opens them) and exports (the whole body streamed to the end). For each: the median of
``repeat`` runs, the number of queries and the peak memory the request allocated
(``tracemalloc``, in a separate run so that tracing does not slow the timed runs). The centre
then grows to 10 × N and every read is measured again; the ratios are printed last.

Everything happens inside one transaction that is rolled back: the configured database is left
as it was (PostgreSQL is the one to measure on; SQLite works too).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import statistics
import time
import tracemalloc
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings

from assay.accounts.services import token_create
from assay.catalogue.selectors import qualification_get
from assay.centres.models import Centre, Role
from assay.centres.people import competence_record
from assay.centres.services import ApprovalInput, approval_record, membership_grant
from assay.portfolios.assessment import criterion_judge
from assay.portfolios.coverage import unit_spec, unit_targets
from assay.portfolios.services import evidence_add
from assay.registrations import bulk
from assay.registrations.models import Registration
from assay.registrations.plans import PlanUnitInput, plan_set

QUALIFICATION = "4430-04"
TODAY = dt.date(2013, 3, 1)
APPROVED_FROM = dt.date(2011, 9, 1)
ASSESSORS = 10
HEADER = [
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
]
LAST_NAMES = [
    "Ahmed",
    "Baker",
    "Clarke",
    "Davies",
    "Evans",
    "Fraser",
    "Green",
    "Hughes",
    "Iqbal",
    "Jones",
    "Khan",
    "Lewis",
    "Morgan",
    "Nolan",
    "Owen",
    "Patel",
    "Quinn",
    "Roberts",
    "Singh",
    "Taylor",
    "Usman",
    "Vaughan",
    "Walsh",
    "Young",
    "Zielinski",
]
FIRST_NAMES = [
    "Amira",
    "Ben",
    "Chloe",
    "Dev",
    "Ella",
    "Finn",
    "Grace",
    "Harry",
    "Isla",
    "Jack",
    "Kira",
    "Leo",
    "Maya",
    "Noah",
]


@dataclass
class Read:
    """One read as a user waits for it: a page, an API answer or a whole export."""

    label: str
    seconds: float
    queries: int
    peak_mb: float
    size_kb: float
    status: int


@dataclass
class Stage:
    registrations: int
    import_rows: int = 0
    import_seconds: float = 0.0
    import_peak_mb: float = 0.0
    build_seconds: float = 0.0
    reads: list[Read] = field(default_factory=list)


@dataclass
class ScaleResult:
    small: Stage
    large: Stage

    def ratios(self) -> list[tuple[str, float, float]]:
        """(label, time ratio, peak memory ratio) of every read, large over small."""
        big = {r.label: r for r in self.large.reads}
        return [
            (
                r.label,
                big[r.label].seconds / r.seconds if r.seconds else 0.0,
                big[r.label].peak_mb / r.peak_mb if r.peak_mb else 0.0,
            )
            for r in self.small.reads
            if r.label in big
        ]


@dataclass
class World:
    owner: Any
    admin: Any
    verifier: Any
    assessors: list[Any]
    centre: Centre
    units: list[str]
    criteria: dict[str, list[str]]
    admin_token: str = ""
    assessor_token: str = ""


def _world(plan_units: int) -> World:
    """The centre, its approval and its staff, through the services (names carry a random tag
    so that the world can sit beside other data until the rollback)."""
    qual = qualification_get(QUALIFICATION)
    tag = uuid.uuid4().hex[:8]
    users = get_user_model().objects
    owner = users.create_user(username=f"scale-ab-{tag}", is_superuser=True, is_staff=True)
    admin = users.create_user(username=f"scale-admin-{tag}", first_name="Sam", last_name="Admin")
    verifier = users.create_user(username=f"scale-iv-{tag}", first_name="Ivy", last_name="Verne")
    centre = Centre.objects.create(number=f"S{tag[:6]}", name="Scale Training Ltd")
    approval_record(
        by=owner, centre=centre, approval=ApprovalInput(qual.code, "approved", APPROVED_FROM)
    )
    membership_grant(by=owner, centre=centre, user=admin, role=Role.CENTRE_ADMIN)
    membership_grant(by=admin, centre=centre, user=verifier, role=Role.INTERNAL_VERIFIER)
    competence_record(
        by=admin,
        centre=centre,
        user=verifier,
        role="internal_verifier",
        av_unit="V1",
        started_on=dt.date(2009, 1, 1),
        achieved_on=dt.date(2009, 9, 1),
    )
    assessors = []
    for i in range(ASSESSORS):
        person = users.create_user(
            username=f"scale-assessor{i}-{tag}", first_name=f"Assessor{i}", last_name="Scale"
        )
        membership_grant(by=admin, centre=centre, user=person, role=Role.ASSESSOR)
        competence_record(
            by=admin,
            centre=centre,
            user=person,
            role="assessor",
            av_unit="A1",
            started_on=dt.date(2009, 1, 1),
            achieved_on=dt.date(2009, 9, 1),
        )
        assessors.append(person)
    detailed = [
        str(u["number"])
        for u in qual.spec.content.get("units") or ()
        if any(o.get("criteria") for o in u.get("outcomes") or ())
    ][:plan_units]
    world = World(owner, admin, verifier, assessors, centre, detailed, {})
    world.admin_token = token_create(user=admin, name="scale bench")[1]
    world.assessor_token = token_create(user=assessors[0], name="scale bench")[1]
    return world


def _rows(start: int, n: int) -> bytes:
    """A bulk import file of ``n`` learners, numbered from ``start``."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for i in range(start, start + n):
        born = dt.date(1970, 1, 1) + dt.timedelta(days=(i * 37) % 9000)
        registered = dt.date(2012, 3, 1) + dt.timedelta(days=i % 300)
        writer.writerow(
            [
                FIRST_NAMES[i % len(FIRST_NAMES)],
                f"{LAST_NAMES[i % len(LAST_NAMES)]}{i:06d}",
                born.isoformat(),
                f"learner{i}@example.org",
                f"01632 {i:06d}",
                "Harbour Retail Ltd",
                "Customer service team leader",
                "paid",
                QUALIFICATION,
                registered.isoformat(),
                "",
            ]
        )
    return out.getvalue().encode()


def _import(world: World, start: int, n: int) -> tuple[list[Registration], float, float]:
    """Register ``n`` learners with one file through the bulk import service."""
    data = _rows(start, n)
    tracemalloc.start()
    began = time.perf_counter()
    rows = bulk.read_rows(io.BytesIO(data), name="learners.csv")
    made = bulk.bulk_import(by=world.admin, centre=world.centre, rows=rows)
    seconds = time.perf_counter() - began
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return list(made), seconds, peak


def _build(world: World, registrations: list[Registration], evidence: int, judged: int) -> None:
    """Each learner's plan, evidence and judgements, through the services."""
    for i, registration in enumerate(registrations):
        registration = Registration.objects.get(pk=registration.pk)
        plan_set(
            by=world.admin,
            registration=registration,
            units=[
                PlanUnitInput(
                    unit,
                    world.assessors[(i + k) % ASSESSORS].pk,
                    registration.registered_on + dt.timedelta(days=90 * (k + 1)),
                )
                for k, unit in enumerate(world.units)
            ],
            internal_verifier_id=world.verifier.pk,
        )
        assessor = world.assessors[i % ASSESSORS]
        for e in range(evidence):
            evidence_add(
                by=assessor,
                registration=registration,
                method="observation",
                started_on=registration.registered_on + dt.timedelta(days=7 * (e + 1)),
                description=f"Observed at work, session {e + 1}",
                context="real_job",
            )
        unit = world.units[0]
        if unit not in world.criteria:
            world.criteria[unit] = [
                t for t in unit_targets(unit_spec(registration, unit)) if "." in t
            ]
        for criterion in world.criteria[unit][:judged]:
            criterion_judge(
                by=assessor,
                registration=registration,
                unit=unit,
                criterion=criterion,
                met=False,
                feedback="Show this again with a second customer.",
            )


def _consume(response: Any) -> int:
    if getattr(response, "streaming", False):
        return sum(len(chunk) for chunk in response.streaming_content)
    return len(response.content)


def _reads(world: World) -> list[tuple[str, Callable[[], Any]]]:
    """Every read to measure: (label, a call that requests it and returns the response)."""
    admin, assessor = Client(), Client()
    admin.force_login(world.admin)
    assessor.force_login(world.assessors[0])
    c = world.centre.pk
    api_admin = {"HTTP_AUTHORIZATION": f"Bearer {world.admin_token}"}
    api_assessor = {"HTTP_AUTHORIZATION": f"Bearer {world.assessor_token}"}
    return [
        ("web centre dashboard", lambda: admin.get(f"/centres/{c}/")),
        ("web centre progress", lambda: admin.get(f"/centres/{c}/progress/")),
        ("web centre progress CSV", lambda: admin.get(f"/centres/{c}/progress/?format=csv")),
        ("web centre progress XLSX", lambda: admin.get(f"/centres/{c}/progress/?format=xlsx")),
        ("web caseload (assessor)", lambda: assessor.get("/caseload/")),
        (
            "API centre registrations",
            lambda: admin.get(f"/api/v1/centres/{c}/registrations", **api_admin),
        ),
        ("API centre progress", lambda: admin.get(f"/api/v1/centres/{c}/progress", **api_admin)),
        ("API caseload (assessor)", lambda: assessor.get("/api/v1/caseload", **api_assessor)),
        (
            "registrations export CSV",
            lambda: admin.get(f"/api/v1/centres/{c}/registrations/export?format=csv", **api_admin),
        ),
        (
            "registrations export XLSX",
            lambda: admin.get(f"/api/v1/centres/{c}/registrations/export?format=xlsx", **api_admin),
        ),
    ]


def _measure(label: str, call: Callable[[], Any], repeat: int) -> Read:
    call()  # warm: the first request of a kind pays for imports and template compilation
    times = []
    status = size = 0
    for _ in range(repeat):
        began = time.perf_counter()
        response = call()
        size = _consume(response)
        times.append(time.perf_counter() - began)
        status = response.status_code
    queries = 0

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        _consume(call())
    tracemalloc.start()
    _consume(call())
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return Read(label, statistics.median(times), queries, peak, size / 1024, status)


def _stage(
    world: World,
    start: int,
    n: int,
    evidence: int,
    judged: int,
    repeat: int,
    total: int,
    say: Callable[[str], None],
) -> Stage:
    made, seconds, peak = _import(world, start, n)
    say(f"  imported {len(made):,} learners in {seconds:.1f} s (peak {peak:.0f} MB)")
    began = time.perf_counter()
    _build(world, made, evidence, judged)
    built = time.perf_counter() - began
    say(f"  plans, evidence and judgements for {len(made):,} learners in {built:.1f} s")
    stage = Stage(total, len(made), seconds, peak, built)
    for label, call in _reads(world):
        stage.reads.append(_measure(label, call, repeat))
        say(f"  {_line(stage.reads[-1])}")
    return stage


def _line(r: Read) -> str:
    return (
        f"{r.label:<28} {r.seconds * 1000:9.1f} ms {r.queries:4d} queries "
        f"{r.peak_mb:8.1f} MB peak {r.size_kb:10.1f} KB  HTTP {r.status}"
    )


def scale_bench(
    registrations: int,
    factor: int = 10,
    evidence: int = 6,
    judged: int = 2,
    plan_units: int = 8,
    repeat: int = 3,
    say: Callable[[str], None] = print,
) -> ScaleResult:
    """Measure at ``registrations`` learners, grow the centre to ``registrations × factor``,
    measure again; roll everything back."""
    with override_settings(ASSAY_TODAY=TODAY.isoformat()), transaction.atomic():
        world = _world(plan_units)
        units = len(world.units)
        say(f"centre {world.centre.number}: {units} units per plan, {ASSESSORS} assessors")
        say(f"{registrations:,} learners:")
        small = _stage(world, 0, registrations, evidence, judged, repeat, registrations, say)
        large_n = registrations * factor
        say(f"{large_n:,} learners:")
        large = _stage(
            world, registrations, large_n - registrations, evidence, judged, repeat, large_n, say
        )
        transaction.set_rollback(True)
    return ScaleResult(small, large)


def report(result: ScaleResult) -> Iterator[str]:
    """The ratios table: each read's time and peak memory, large over small."""
    s, b = result.small.registrations, result.large.registrations
    yield f"ratios {b:,} / {s:,} learners (time, peak memory):"
    worst = 0.0
    for label, t, m in result.ratios():
        worst = max(worst, t)
        yield f"  {label:<28} {t:5.2f}x time  {m:5.2f}x memory"
    peak = max(r.peak_mb for r in [*result.small.reads, *result.large.reads])
    yield f"worst time ratio {worst:.2f}x; largest request peak {peak:.1f} MB"
    yield (
        f"bulk import: {result.small.import_rows:,} rows {result.small.import_seconds:.1f} s "
        f"({result.small.import_peak_mb:.0f} MB); {result.large.import_rows:,} rows "
        f"{result.large.import_seconds:.1f} s ({result.large.import_peak_mb:.0f} MB)"
    )
