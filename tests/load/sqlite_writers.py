"""Concurrent writers and readers on a file-based SQLite database, through the real services.

Run as ``python -m tests.load.sqlite_writers DATA_DIR WRITERS READERS ROUNDS``: it migrates a
fresh database in DATA_DIR with the server's own settings, builds a centre with one
registration per writer, then starts WRITERS threads judging criteria (``criterion_judge``, a
chained write under ``transaction.atomic``) and READERS threads reading the same portfolios,
and prints one JSON line: writes, reads, errors and the "database is locked" count.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time


def main(data_dir: str, writers: int, readers: int, rounds: int) -> dict[str, object]:
    os.environ["ASSAY_DATA_DIR"] = data_dir
    os.environ["ASSAY_TODAY"] = "2013-03-01"
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "assay.config.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections

    from assay.catalogue.services import catalogue_import_library
    from assay.centres.services import membership_grant
    from assay.portfolios.assessment import criterion_judge
    from assay.portfolios.selectors import decisions_of, portfolio_coverage
    from assay.registrations.plans import PlanUnitInput, plan_set
    from tests.factories import make_centre, make_user, register

    assert connection.vendor == "sqlite" and str(connection.settings_dict["NAME"]).startswith(
        data_dir
    )
    with connection.cursor() as cursor:
        busy_timeout_ms = cursor.execute("PRAGMA busy_timeout").fetchone()[0]
        journal_mode = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    call_command("migrate", verbosity=0)
    catalogue_import_library()
    ab = make_user("ab", is_superuser=True, is_staff=True)
    centre = make_centre(ab, "L1001", "Load Centre", quals=("4430-04",))
    admin, assessor = make_user("admin"), make_user("assessor")
    membership_grant(by=ab, centre=centre, user=admin, role="centre_admin")
    membership_grant(by=ab, centre=centre, user=assessor, role="assessor")
    registrations = []
    for i in range(writers):
        reg = register(admin, centre, "4430-04", first_name=f"Load{i}", last_name="Test")
        plan_set(by=admin, registration=reg, units=[PlanUnitInput("401", assessor.pk)])
        registrations.append(reg)
    criteria = ["1.1", "1.2", "1.3", "2.1", "2.2"]
    connections.close_all()

    counts = {"writes": 0, "reads": 0}
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(writers + readers)

    def record(kind: str | None, error: BaseException | None = None) -> None:
        with lock:
            if error is not None:
                errors.append(f"{type(error).__name__}: {error}")
            elif kind:
                counts[kind] += 1

    def write(reg_index: int) -> None:
        start.wait()
        try:
            for n in range(rounds):
                try:
                    criterion_judge(
                        by=assessor,
                        registration=registrations[reg_index],
                        unit="401",
                        criterion=criteria[n % len(criteria)],
                        met=False,
                        feedback=f"round {n}",
                    )
                    record("writes")
                except Exception as exc:  # counted: that is the test
                    record(None, exc)
        finally:
            connections.close_all()

    stop = threading.Event()

    def read(reg_index: int) -> None:
        start.wait()
        try:
            while not stop.is_set():
                try:
                    reg = registrations[reg_index % writers]
                    list(decisions_of(assessor, reg.pk))
                    portfolio_coverage(assessor, reg.pk)
                    record("reads")
                except Exception as exc:
                    record(None, exc)
        finally:
            connections.close_all()

    began = time.monotonic()
    threads = [threading.Thread(target=write, args=(i,)) for i in range(writers)]
    reader_threads = [threading.Thread(target=read, args=(i,)) for i in range(readers)]
    for t in threads + reader_threads:
        t.start()
    for t in threads:
        t.join()
    stop.set()
    for t in reader_threads:
        t.join()
    return {
        "busy_timeout_ms": busy_timeout_ms,
        "journal_mode": journal_mode,
        **counts,
        "seconds": round(time.monotonic() - began, 2),
        "errors": len(errors),
        "locked": sum("database is locked" in e for e in errors),
        "first_errors": errors[:3],
    }


if __name__ == "__main__":
    directory, w, r, n = sys.argv[1], *map(int, sys.argv[2:5])
    print(json.dumps(main(directory, w, r, n)))
