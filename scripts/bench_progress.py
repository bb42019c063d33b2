"""Time the centre progress page, an assessor's caseload page and the progress exports at N and
10 × N registrations (issue 12, ADR 0014), through the Django test client.

Usage (a throwaway database: everything is written to the configured one):
    export ASSAY_DATA_DIR=$(mktemp -d) ASSAY_TODAY=2013-03-01
    PYTHONPATH=. .venv/bin/python scripts/bench_progress.py [N] [FACTOR]
(defaults 2000 and 10). One centre, 10 assessors, 8 units per plan, 6 evidence items per learner
each mapped (confirmed) to two criteria; rows are bulk-inserted (this measures reading, the
coming ``assay bench scale`` builds through the services). After each build the stored progress
rows are computed by ``refresh_progress`` (timed: the cost of the first read after an import),
then each read is timed (best of 3) with its query count and its peak Python allocation
(tracemalloc, a separate run).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import django


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    factor = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assay.config.settings")
    django.setup()
    from django.core.management import call_command

    from assay.catalogue.services import catalogue_import_library

    call_command("migrate", verbosity=0)
    list(catalogue_import_library())
    world = build_world()
    results = []
    for size in (n, n * factor):
        grow(world, size)
        results.append((size, measure(world)))
    names = list(results[0][1])
    print(f"{'read':<28}" + "".join(f"{size:>12} reg." for size, _ in results) + "   ratio")
    for name in names:
        cells = [r[name] for _, r in results]
        line = f"{name:<28}" + "".join(
            f"{c['seconds']:>8.3f} s {c['queries']:>2}q"
            if "queries" in c
            else f"{c['seconds']:>12.3f} s"
            for c in cells
        )
        ratio = cells[-1]["seconds"] / cells[0]["seconds"] if cells[0]["seconds"] else 0
        print(f"{line}   {ratio:.2f}×")
    for name in names:
        if "peak_mb" in results[0][1][name]:
            peaks = " → ".join(f"{r[name]['peak_mb']:.1f} MB" for _, r in results)
            print(f"peak Python allocation, {name}: {peaks}")


def build_world() -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from assay.catalogue.selectors import qualification_get
    from assay.centres.models import Centre, Competence, Role
    from assay.centres.services import ApprovalInput, approval_record, membership_grant

    qual = qualification_get("4430-04")
    users = get_user_model().objects
    tag = str(int(time.time()))
    owner = users.create_user(username=f"bp-owner-{tag}", is_superuser=True, is_staff=True)
    admin = users.create_user(username=f"bp-admin-{tag}")
    centre = Centre.objects.create(number=f"P{tag[-6:]}", name="Progress bench centre")
    approval_record(
        by=owner, centre=centre, approval=ApprovalInput(qual.code, "approved", dt.date(2011, 9, 1))
    )
    membership_grant(by=owner, centre=centre, user=admin, role=Role.CENTRE_ADMIN)
    assessors = []
    for i in range(10):
        a = users.create_user(username=f"bp-assessor{i}-{tag}")
        membership_grant(by=admin, centre=centre, user=a, role=Role.ASSESSOR)
        Competence.objects.create(
            user=a,
            role="assessor",
            av_unit="A1",
            started_on=dt.date(2010, 1, 1),
            achieved_on=dt.date(2010, 6, 1),
        )
        assessors.append(a)
    detailed = [
        u
        for u in qual.spec.content.get("units") or ()
        if any(o.get("criteria") for o in u.get("outcomes") or ())
    ]
    units = []
    for u in detailed[:8]:
        criteria = [c["number"] for o in u["outcomes"] for c in o.get("criteria") or ()]
        units.append((str(u["number"]), [str(c) for c in criteria]))
    return {
        "qual": qual,
        "centre": centre,
        "admin": admin,
        "assessors": assessors,
        "units": units,
        "count": 0,
    }


def grow(world: dict[str, Any], size: int) -> None:
    """Add registrations until the centre has ``size``; then compute their progress rows."""
    from assay.portfolios.models import CriterionMapping, EvidenceItem, MappingStatus
    from assay.progress.materialise import refresh_progress
    from assay.registrations.models import Candidate, PlanUnit, Registration

    start = world["count"]
    admin, assessors, units = world["admin"], world["assessors"], world["units"]
    t0 = time.perf_counter()
    for lo in range(start, size, 1000):
        hi = min(lo + 1000, size)
        candidates = Candidate.objects.bulk_create(
            Candidate(
                centre=world["centre"],
                first_name=f"Learner{i:05d}",
                last_name=f"Bench{i % 997:03d}",
                date_of_birth=dt.date(1990, 1, 1),
            )
            for i in range(lo, hi)
        )
        regs = Registration.objects.bulk_create(
            Registration(
                candidate=c,
                centre=world["centre"],
                qualification=world["qual"],
                registered_on=dt.date(2012, 3, 1) + dt.timedelta(days=i % 300),
                end_date=dt.date(2014, 3, 1) + dt.timedelta(days=i % 300),
                created_by=admin,
            )
            for i, c in zip(range(lo, hi), candidates, strict=True)
        )
        PlanUnit.objects.bulk_create(
            PlanUnit(
                registration=r,
                unit_number=u,
                assessor=assessors[i % len(assessors)],
                target_date=dt.date(2013, 1, 1) + dt.timedelta(days=(i * 7 + k * 30) % 400),
            )
            for i, r in zip(range(lo, hi), regs, strict=True)
            for k, (u, _) in enumerate(units)
        )
        items = EvidenceItem.objects.bulk_create(
            EvidenceItem(
                registration=r,
                method="observation",
                started_on=dt.date(2012, 12, 3),
                ended_on=dt.date(2012, 12, 3),
                description=f"Bench evidence {j}",
                context="real_job",
                created_by=admin,
            )
            for r in regs
            for j in range(6)
        )
        CriterionMapping.objects.bulk_create(
            CriterionMapping(
                item=item,
                unit_number=units[(j + m) % len(units)][0],
                target=units[(j + m) % len(units)][1][m % len(units[(j + m) % len(units)][1])],
                status=MappingStatus.CONFIRMED,
                proposed_by=admin,
                decided_by=admin,
            )
            for j, item in enumerate(items)
            for m in range(2)
        )
    world["count"] = size
    built = time.perf_counter() - t0
    t0 = time.perf_counter()
    done = refresh_progress(centre=world["centre"].pk)
    print(
        f"{size} registrations: built in {built:.1f} s; refresh_progress of {done} rows "
        f"{time.perf_counter() - t0:.1f} s",
        flush=True,
    )


def _timed(fn: Callable[[], Any], repeat: int = 3) -> dict[str, float]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    best, queries = float("inf"), 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            t0 = time.perf_counter()
            fn()
            best = min(best, time.perf_counter() - t0)
        queries = len(captured.captured_queries)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"seconds": best, "queries": queries, "peak_mb": peak / 1e6}


def measure(world: dict[str, Any]) -> dict[str, dict[str, float]]:
    from django.test import Client

    admin, assessor, centre = world["admin"], world["assessors"][0], world["centre"]
    as_admin, as_assessor = Client(), Client()
    as_admin.force_login(admin)
    as_assessor.force_login(assessor)

    def get(client: Client, url: str) -> Callable[[], None]:
        def run() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            if response.streaming:
                for _ in response.streaming_content:
                    pass

        return run

    page = f"/centres/{centre.pk}/progress/"
    reads = {
        "web centre progress": get(as_admin, page),
        "web centre progress, red": get(as_admin, page + "?rag=red"),
        "web caseload (1/10)": get(as_assessor, "/caseload/"),
        "api centre progress": get(as_admin, f"/api/v1/centres/{centre.pk}/progress"),
        "centre progress CSV": get(as_admin, page + "?format=csv"),
        "centre progress XLSX": get(as_admin, page + "?format=xlsx"),
    }
    for read in reads.values():
        read()  # warm (sessions, the engine spec cache)
    return {name: _timed(read) for name, read in reads.items()}


if __name__ == "__main__":
    main()
