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

By default (``scratch=True``) all of it happens in a database of its own on the configured
server (Django's test-database machinery: created, migrated, the library's catalogue imported,
dropped at the end), where every act commits as it would at a live centre and, after each
build, ``VACUUM ANALYZE`` (SQLite: ``ANALYZE``) does what a live database's autovacuum does.
With ``scratch=False`` (the tests) everything happens inside one transaction of the configured
database that is rolled back; the tables are analysed after each build, but the earlier
versions of every row the build rewrote (the progress rows are inserted, then computed) stay
for each read to step over, which no live database keeps. Either way the configured database
is left as it was. PostgreSQL is the one to measure on; SQLite works too.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import secrets
import statistics
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings

from assay.accounts.services import token_create
from assay.bench.bulk_import import (
    QUALIFICATION,
    TODAY,
    assessors_add,
    build_and_import,
    import_world,
    plan_cohort,
    plan_units,
)
from assay.catalogue.models import Qualification
from assay.catalogue.selectors import qualification_get
from assay.catalogue.services import catalogue_import
from assay.catalogue.specfile import library_files
from assay.centres.models import Centre
from assay.portfolios.assessment import criterion_judge
from assay.portfolios.coverage import unit_targets
from assay.portfolios.services import evidence_add
from assay.progress.materialise import refresh_progress
from assay.registrations.models import Registration

ASSESSORS = 10


@dataclass
class Read:
    """One read as a user waits for it: a page, an API answer or a whole export."""

    label: str
    seconds: float
    queries: int
    peak_mb: float
    size_kb: float
    status: int
    first_byte: float = 0.0  # seconds to the first chunk of a streamed answer (else: all of it)
    export: bool = False  # every row of the list, not one page: its time grows with the rows


@dataclass
class Stage:
    registrations: int
    import_rows: int = 0
    import_seconds: float = 0.0
    import_peak_mb: float = 0.0
    build_seconds: float = 0.0
    refresh_seconds: float = 0.0
    reads: list[Read] = field(default_factory=list)


@dataclass
class ScaleResult:
    small: Stage
    large: Stage

    def ratios(self) -> list[tuple[Read, float, float, float]]:
        """(read, time ratio, first-byte ratio, peak memory ratio) of every read, large over
        small."""
        big = {r.label: r for r in self.large.reads}

        def ratio(a: float, b: float) -> float:
            return b / a if a else 0.0

        return [
            (
                r,
                ratio(r.seconds, big[r.label].seconds),
                ratio(r.first_byte, big[r.label].first_byte),
                ratio(r.peak_mb, big[r.label].peak_mb),
            )
            for r in self.small.reads
            if r.label in big
        ]


@dataclass
class World:
    admin: Any
    assessors: list[Any]
    centre: Centre
    qualification: Qualification
    criteria: list[str]
    admin_token: str = ""
    assessor_token: str = ""


def _world() -> World:
    """The centre approved for the qualification, its administrator and ten assessors with
    their A1, through the services (names carry a random tag)."""
    qual = qualification_get(QUALIFICATION)
    centre, admin = import_world(qual)
    assessors = assessors_add(centre, admin, ASSESSORS)
    unit = plan_units(qual, 1)[0]
    criteria = [t for t in unit_targets(_unit(qual, unit)) if "." in t]
    world = World(admin, assessors, centre, qual, criteria)
    world.admin_token = token_create(user=admin, name="scale bench")[1]
    world.assessor_token = token_create(user=assessors[0], name="scale bench")[1]
    return world


def _unit(qualification: Qualification, number: str) -> dict[str, Any]:
    units = qualification.spec.content.get("units") or ()
    return next(u for u in units if str(u["number"]) == number)


def _build(world: World, ids: list[int], evidence: int, judged: int) -> None:
    """Each learner's evidence (added by their assessor) and judgements, through the services."""
    unit = plan_units(world.qualification, 1)[0]
    registrations = Registration.objects.in_bulk(ids)
    for registration in registrations.values():
        # One qualification object for all: each registration fetching its own would decode
        # (and keep) the specification's content once per learner, gigabytes at 20,000.
        registration.qualification = world.qualification
    for i, pk in enumerate(ids):
        registration = registrations[pk]
        assessor = world.assessors[i % ASSESSORS]  # plan_cohort's assignment
        for e in range(evidence):
            evidence_add(
                by=assessor,
                registration=registration,
                method="observation",
                started_on=registration.registered_on + dt.timedelta(days=e),
                description=f"Observed at work, session {e + 1}",
                context="real_job",
            )
        for criterion in world.criteria[:judged]:
            criterion_judge(
                by=assessor,
                registration=registration,
                unit=unit,
                criterion=criterion,
                met=False,
                feedback="Show this again with a second customer.",
            )


def _consume(response: Any, began: float | None = None) -> tuple[int, float]:
    """The body's length, and when its first byte came (seconds after ``began``)."""
    if not getattr(response, "streaming", False):
        first = time.perf_counter() - began if began is not None else 0.0
        return len(response.content), first
    size, first = 0, 0.0
    for chunk in response.streaming_content:
        if not size and began is not None:
            first = time.perf_counter() - began
        size += len(chunk)
    return size, first


def _reads(world: World) -> list[tuple[str, Callable[[], Any]]]:
    """Every read to measure: (label, a call that requests it and returns the response). Pages
    as a signed-in browser asks for them; the API with a bearer token and no session."""
    admin, assessor, api = Client(), Client(), Client()
    admin.force_login(world.admin)
    assessor.force_login(world.assessors[0])
    c = f"/centres/{world.centre.pk}"
    as_admin = {"Authorization": f"Bearer {world.admin_token}"}
    as_assessor = {"Authorization": f"Bearer {world.assessor_token}"}

    def page(client: Client, url: str) -> Callable[[], Any]:
        return lambda: client.get(url)

    def call(url: str, headers: dict[str, str]) -> Callable[[], Any]:
        return lambda: api.get("/api/v1" + url, headers=headers)

    return [
        ("web centre dashboard", page(admin, f"{c}/")),
        ("web centre progress", page(admin, f"{c}/progress/")),
        ("web centre progress CSV", page(admin, f"{c}/progress/?format=csv")),
        ("web centre progress XLSX", page(admin, f"{c}/progress/?format=xlsx")),
        ("web caseload (assessor)", page(assessor, "/caseload/")),
        ("API centre registrations", call(f"{c}/registrations", as_admin)),
        ("API centre progress", call(f"{c}/progress", as_admin)),
        ("API caseload (assessor)", call("/caseload", as_assessor)),
        ("registrations export CSV", call(f"{c}/registrations/export?format=csv", as_admin)),
        ("registrations export XLSX", call(f"{c}/registrations/export?format=xlsx", as_admin)),
    ]


def _measure(label: str, call: Callable[[], Any], repeat: int) -> Read:
    _consume(call())  # warm: the first request of a kind pays for imports and templates
    times, firsts = [], []
    status = size = 0
    for _ in range(repeat):
        began = time.perf_counter()
        response = call()
        size, first = _consume(response, began)
        times.append(time.perf_counter() - began)
        firsts.append(first)
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
    return Read(
        label,
        statistics.median(times),
        queries,
        peak,
        size / 1024,
        status,
        statistics.median(firsts),
        export=label.endswith(("CSV", "XLSX")),
    )


def _stage(
    world: World,
    n: int,
    evidence: int,
    judged: int,
    plan: int,
    repeat: int,
    total: int,
    say: Callable[[str], None],
) -> Stage:
    run = build_and_import(world.centre, world.qualification, n, by=world.admin)
    peak, before = run.rss_peak / 2**20, run.rss_before / 2**20
    say(
        f"  bulk import: {run.rows:,} rows in {run.seconds:.1f} s (the process's peak RSS "
        f"{before:.0f} -> {peak:.0f} MB; what the process built before it holds memory too)"
    )
    began = time.perf_counter()
    plan_cohort(
        world.centre,
        world.qualification,
        run.ids,
        by=world.admin,
        assessors=world.assessors,
        units=plan,
    )
    _build(world, run.ids, evidence, judged)
    built = time.perf_counter() - began
    say(f"  plans, evidence and judgements for {run.rows:,} learners in {built:.1f} s")
    began = time.perf_counter()
    refresh_progress(centre=world.centre.pk)
    refreshed = time.perf_counter() - began
    say(f"  progress rows of the centre computed in {refreshed:.1f} s")
    _as_autovacuum_would()
    stage = Stage(total, run.rows, run.seconds, peak, built, refreshed)
    for label, call in _reads(world):
        stage.reads.append(_measure(label, call, repeat))
        say(f"  {_line(stage.reads[-1])}")
    return stage


def _as_autovacuum_would() -> None:
    """A live database's planner statistics follow its data, and its dead row versions are
    reclaimed (PostgreSQL's autovacuum; SQLite needs statistics only). Inside the rolled-back
    transaction only ``ANALYZE`` is possible: rows inserted there would otherwise be planned as
    if the tables were empty."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")


@contextlib.contextmanager
def scratch_database() -> Iterator[str]:
    """A database of its own on the configured server, migrated, with the library's catalogue;
    dropped afterwards whatever happens. Yields its name."""
    creation = connection.creation
    settings_dict = connection.settings_dict
    old_name, old_test = settings_dict["NAME"], dict(settings_dict.get("TEST") or {})
    with tempfile.TemporaryDirectory() as scratch:
        test = settings_dict.setdefault("TEST", {})
        test["NAME"] = (
            str(Path(scratch) / "bench.sqlite3")
            if connection.vendor == "sqlite"
            else f"assay_bench_{secrets.token_hex(4)}"
        )
        name = creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
        try:
            if connection.vendor == "postgresql":
                # The build commits tens of thousands of acts; waiting for each commit's WAL
                # flush would triple its time and changes nothing the reads measure.
                with connection.cursor() as cursor:
                    cursor.execute("SET synchronous_commit = off")
            catalogue_import(paths=library_files())
            yield name
        finally:
            creation.destroy_test_db(old_name, verbosity=0)
            settings_dict["TEST"] = old_test


def _line(r: Read) -> str:
    first = f" (first byte {r.first_byte * 1000:.1f} ms)" if r.export else ""
    return (
        f"{r.label:<28} {r.seconds * 1000:9.1f} ms {r.queries:4d} queries "
        f"{r.peak_mb:8.1f} MB peak {r.size_kb:10.1f} KB  HTTP {r.status}{first}"
    )


def scale_bench(
    registrations: int,
    factor: int = 10,
    evidence: int = 6,
    judged: int = 2,
    plan_units: int = 8,
    repeat: int = 3,
    say: Callable[[str], None] = print,
    *,
    scratch: bool = True,
) -> ScaleResult:
    """Measure at ``registrations`` learners, grow the centre to ``registrations × factor``,
    measure again; in a scratch database dropped afterwards, or (``scratch=False``) in a
    transaction of the configured database that is rolled back."""
    with tempfile.TemporaryDirectory() as scratch_dir, contextlib.ExitStack() as stack:
        # The anchor log goes to a scratch file: these rows are not kept.
        stack.enter_context(
            override_settings(ASSAY_TODAY=TODAY, ASSAY_ANCHOR_LOG=Path(scratch_dir) / "anchors.log")
        )
        if scratch:
            say(f"scratch database {stack.enter_context(scratch_database())}")
        else:
            stack.enter_context(transaction.atomic())
        world = _world()
        say(f"centre {world.centre.number}: {plan_units} units per plan, {ASSESSORS} assessors")
        say(f"{registrations:,} learners:")
        small = _stage(
            world, registrations, evidence, judged, plan_units, repeat, registrations, say
        )
        large_n = registrations * factor
        say(f"{large_n:,} learners:")
        large = _stage(
            world, large_n - registrations, evidence, judged, plan_units, repeat, large_n, say
        )
        if not scratch:
            transaction.set_rollback(True)
    return ScaleResult(small, large)


def report(result: ScaleResult) -> Iterator[str]:
    """The ratios, large over small: a page or API list (one page) by its time; an export
    (every row: its time grows with the rows by nature) by its first byte and its memory."""
    s, b = result.small.registrations, result.large.registrations
    yield f"ratios {b:,} / {s:,} learners:"
    worst = 0.0
    for read, t, first, m in result.ratios():
        if read.export:
            yield (
                f"  {read.label:<28} {first:5.2f}x first byte {m:5.2f}x memory "
                f"(all rows: {t:5.2f}x time for {b / s:.0f}x rows)"
            )
        else:
            worst = max(worst, t)
            yield f"  {read.label:<28} {t:5.2f}x time       {m:5.2f}x memory"
    peak = max(r.peak_mb for r in [*result.small.reads, *result.large.reads])
    yield f"worst page ratio {worst:.2f}x; largest request peak {peak:.1f} MB (tracemalloc)"
    for stage in (result.small, result.large):
        yield (
            f"bulk import {stage.import_rows:,} rows: {stage.import_seconds:.1f} s "
            f"(process peak RSS {stage.import_peak_mb:.0f} MB); progress of the centre "
            f"computed in {stage.refresh_seconds:.1f} s"
        )
