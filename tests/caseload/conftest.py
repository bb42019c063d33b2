"""The web role world (tests/world.py) for the caseload pages, plus helpers that grow
Alice's caseload for the query-count tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

from assay.portfolios.models import CriterionMapping, DecisionKind, EvidenceItem
from assay.portfolios.records import decision_append, registration_lock
from assay.portfolios.services import evidence_add, evidence_file_attach
from assay.progress import triggers
from assay.registrations.models import Registration
from assay.registrations.plans import PlanUnitInput, plan_set
from assay.registrations.services import registration_create
from tests.world import World, adult


def grow_caseload(w: World, n: int, *, files: bool = True) -> list[Registration]:
    """``n`` more Northgate candidates with unit 401 assigned to Alice (target 30/06/2013),
    each with one evidence item (with a file) proposed for 401 1.2."""
    carol, alice = w.user("carol"), w.user("alice")
    made = []
    for i in range(n):
        reg = registration_create(
            by=carol,
            centre=w.north,
            qualification_key="4430-04",
            candidate_input=adult(f"Extra{i:02d}", "Bulk"),
            registered_on=dt.date(2012, 9, 3),
        )
        plan_set(
            by=carol,
            registration=reg,
            units=[PlanUnitInput("401", alice.pk, dt.date(2013, 6, 30))],
        )
        item = evidence_add(
            by=alice,
            registration=reg,
            method="observation",
            started_on=dt.date(2013, 2, 1),
            description=f"Observation {i}",
            context="real_job",
        )
        if files:
            attach(alice, item, f"note-{i}.txt")
        # These candidates have no sign-in to propose with; rows as bench.py writes them.
        CriterionMapping.objects.create(
            item=item, unit_number="401", target="1.2", proposed_by=alice
        )
        made.append(reg)
    return made


def attach(by: Any, item: EvidenceItem, name: str = "note.txt") -> None:
    upload = SimpleUploadedFile(name, b"Observed at the service desk.\n")
    evidence_file_attach(by=by, item=item, upload=upload, original_name=name)


def sign_off(by: Any, reg: Registration, unit: str) -> None:
    """A sign-off appended to the record through the one writer (the coverage checks of
    ``unit_sign_off`` are tested elsewhere; here only the caseload's reading of it matters)."""
    with transaction.atomic():
        last = registration_lock(reg)
        decision_append(
            registration=reg,
            last=last,
            by=by,
            kind=DecisionKind.UNIT_SIGNED_OFF,
            unit=unit,
            payload={},
        )


def assert_tallies_exact() -> None:
    """The counts the triggers keep equal a count of the stored rows (``triggers.py``)."""
    with connection.cursor() as cursor:
        assert triggers.stored_tallies(cursor) == triggers.tallies_from_rows(cursor)
