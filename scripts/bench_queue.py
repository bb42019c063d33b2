"""Time an assessor's evidence queue (``progress.caseload.evidence_queue``) at N and 10 × N
registrations on PostgreSQL (issue 12): EXPLAIN ANALYZE of its two page queries (proposals and
items) and the web caseload page through the Django test client.

Usage (a throwaway PostgreSQL database: everything is written to it):
    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE queue_bench"
    export DATABASE_URL=postgresql://postgres@127.0.0.1:5432/queue_bench
    export ASSAY_DATA_DIR=$(mktemp -d) ASSAY_TODAY=2013-03-01
    PYTHONPATH=. .venv/bin/python scripts/bench_queue.py [N] [FACTOR] [WAITING]
(defaults 2000, 10 and 100). The centre is ``scripts/bench_progress.py``'s (10 assessors, 8
units per plan, 6 evidence items per learner, each mapped and confirmed, no files); at the first
size WAITING more items get a file and a proposal (one per registration, so one assessor in ten
has WAITING / 10 of each waiting), and nothing more waits at the larger size: what waits stays
the same while the portfolios grow ten times. With BENCH_FILES=1 every other item gets a file
too (all of them decided, so none waits), as in real portfolios. BENCH_PLANS=1 prints the
plans; BENCH_MEASURE_ONLY=1 measures the newest bench centre of the database without building.
Each time is the best of 3.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import time
from typing import Any

import django


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    factor = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    waiting = int(sys.argv[3]) if len(sys.argv) > 3 else 100
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assay.config.settings")
    django.setup()
    from django.core.management import call_command

    from assay.catalogue.services import catalogue_import_library
    from scripts.bench_progress import build_world, grow

    if os.environ.get("BENCH_MEASURE_ONLY"):  # the newest bench centre, as it stands
        remeasure()
        return
    call_command("migrate", verbosity=0)
    list(catalogue_import_library())
    world = build_world()
    rows = []
    for step, size in enumerate((n, n * factor)):
        grow(world, size)
        if os.environ.get("BENCH_FILES"):
            file_every_item(world)
        if step == 0:
            add_waiting(world, waiting)
        analyse()
        rows.append((size, measure(world)))
    names = list(rows[0][1])
    print(f"{'read':<34}" + "".join(f"{size:>14} reg." for size, _ in rows) + "   ratio")
    for name in names:
        cells = [r[name] for _, r in rows]
        ratio = cells[-1][0] / cells[0][0] if cells[0][0] else 0
        print(
            f"{name:<34}" + "".join(f"{s * 1000:>10.2f} ms {q:>2}q" for s, q in cells),
            f"  {ratio:.2f}×",
        )


def file_every_item(world: dict[str, Any]) -> None:
    """A file on every item of the centre without one (as real portfolios have): these items
    are all decided (confirmed mappings), so none of them waits."""
    from assay.portfolios.models import EvidenceFile, EvidenceItem

    bare = list(
        EvidenceItem.objects.filter(registration__centre=world["centre"], files__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    at = dt.datetime(2012, 12, 3, 9, tzinfo=dt.UTC)
    for lo in range(0, len(bare), 5000):
        EvidenceFile.objects.bulk_create(
            EvidenceFile(
                item_id=pk,
                sha256="1" * 64,
                size=10,
                media_type="text/plain",
                original_name="old.txt",
                storage_name="none",
                uploaded_by=world["admin"],
                uploaded_at=at,
            )
            for pk in bare[lo : lo + 5000]
        )
    print(f"  {len(bare)} files added", flush=True)


def remeasure() -> None:
    from assay.centres.models import Centre
    from assay.registrations.models import PlanUnit, Registration

    centre = Centre.objects.filter(name="Progress bench centre").latest("pk")
    first = PlanUnit.objects.filter(registration__centre=centre).order_by("assessor_id").first()
    assert first is not None
    size = Registration.objects.filter(centre=centre).count()
    for name, (seconds, queries) in measure({"assessors": [first.assessor]}).items():
        print(f"{size} registrations: {name:<34} {seconds * 1000:>10.2f} ms {queries:>2}q")


def analyse() -> None:
    from django.db import connection

    tables = (
        "portfolios_evidenceitem",
        "portfolios_evidencefile",
        "portfolios_criterionmapping",
        "portfolios_decision",
        "registrations_registration",
        "registrations_planunit",
        "registrations_candidate",
        "progress_registrationprogress",
    )
    with connection.cursor() as cursor:  # not the catalogue's large specs: minutes to sample
        for table in tables:
            cursor.execute(f"ANALYZE {table}")


def add_waiting(world: dict[str, Any], waiting: int) -> None:
    """``waiting`` new items (one per registration, in registration order so that the
    assessors take turns) each with one file and one proposal on a unit of the plan."""
    from assay.portfolios.models import CriterionMapping, EvidenceFile, EvidenceItem
    from assay.registrations.models import Registration

    admin, units = world["admin"], world["units"]
    regs = list(Registration.objects.filter(centre=world["centre"]).order_by("pk")[:waiting])
    items = EvidenceItem.objects.bulk_create(
        EvidenceItem(
            registration=r,
            method="observation",
            started_on=dt.date(2013, 1, 7),
            ended_on=dt.date(2013, 1, 7),
            description="Waiting evidence",
            context="real_job",
            created_by=admin,
        )
        for r in regs
    )
    base = dt.datetime(2013, 2, 1, 9, tzinfo=dt.UTC)
    EvidenceFile.objects.bulk_create(
        EvidenceFile(
            item=item,
            sha256="0" * 64,
            size=10,
            media_type="text/plain",
            original_name="note.txt",
            storage_name="none",
            uploaded_by=admin,
            uploaded_at=base + dt.timedelta(minutes=k),
        )
        for k, item in enumerate(items)
    )
    CriterionMapping.objects.bulk_create(
        CriterionMapping(
            item=item,
            unit_number=units[k % len(units)][0],
            target=units[k % len(units)][1][0],
            proposed_by=admin,
            proposed_at=base + dt.timedelta(minutes=k, seconds=30),
        )
        for k, item in enumerate(items)
    )
    try:  # the maintained waiting mark, where this checkout has one (bulk_create sends nothing)
        from assay.portfolios.waiting import waiting_refresh
    except ImportError:
        return
    waiting_refresh([i.pk for i in items])


def _explain(sql: str) -> float:
    from django.db import connection

    best = float("inf")
    for _ in range(3):
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            plan = "\n".join(r[0] for r in cursor.fetchall())
        m = re.search(r"Execution Time: ([\d.]+) ms", plan)
        assert m, plan
        best = min(best, float(m.group(1)) / 1000)
    if os.environ.get("BENCH_PLANS"):
        print(plan)
    return best


def measure(world: dict[str, Any]) -> dict[str, tuple[float, int]]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from assay.progress.caseload import evidence_queue

    assessor = world["assessors"][0]
    today = dt.date(2013, 3, 1)
    evidence_queue(assessor, today)  # warm
    with CaptureQueriesContext(connection) as captured:
        queue = evidence_queue(assessor, today)
    sqls = [q["sql"] for q in captured.captured_queries]
    proposals = next(s for s in sqls if 'FROM "portfolios_criterionmapping"' in s and "LIMIT" in s)
    items = next(s for s in sqls if 'FROM "portfolios_evidenceitem"' in s and "LIMIT" in s)
    print(
        f"  queue: {len(queue.mappings.items)} proposals, {len(queue.items.items)} items, "
        f"{len(sqls)} queries",
        flush=True,
    )
    client = Client()
    client.force_login(assessor)

    def page() -> None:
        response = client.get("/caseload/")
        assert response.status_code == 200, response.status_code

    page()
    best = float("inf")
    for _ in range(3):
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            page()
            best = min(best, time.perf_counter() - t0)
    return {
        "queue proposals (EXPLAIN ANALYZE)": (_explain(proposals), 1),
        "queue items (EXPLAIN ANALYZE)": (_explain(items), 1),
        "web caseload page": (best, len(captured.captured_queries)),
    }


if __name__ == "__main__":
    main()
