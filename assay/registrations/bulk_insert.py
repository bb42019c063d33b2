"""The bulk import's writes: the rows that passed every check (``bulk.py``) inserted a chunk
at a time in one transaction, each with exactly what ``registration_create`` writes for one
registration: the candidate and their held qualifications, the registration with its period,
the first status change, and the ``registered`` record that starts its enrolment chain.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import islice

from django.db import transaction

from assay import clock
from assay.catalogue.models import Qualification
from assay.centres.models import Centre
from assay.engines.entry.rules import PeriodEnd
from assay.registrations.enrolment import enrolment_register_many
from assay.registrations.models import (
    Candidate,
    HeldQualification,
    Registration,
    Status,
    StatusChange,
)
from assay.registrations.services import CandidateInput, registration_period
from assay.registrations.signals import progress_changed
from assay.users import User

# Rows inserted per round trip: big enough that the per-statement cost vanishes, small enough
# that the objects of one chunk stay a few megabytes.
CHUNK = 1000


@dataclass(frozen=True, slots=True)
class ReadyRow:
    """A row that passed every check: what its insert needs and nothing more."""

    number: int
    candidate: CandidateInput
    qualification: Qualification
    registered_on: dt.date


def insert_rows(
    by: User, centre: Centre, ready: list[ReadyRow], progress: Callable[[int], None] | None
) -> list[int]:
    """Insert the rows a chunk at a time in one transaction; the ids in the file's order."""
    periods: dict[tuple[int, dt.date], PeriodEnd] = {}
    ids: list[int] = []
    now = clock.now()  # one moment for the file's rows, as they are one act
    with transaction.atomic():
        it = iter(ready)
        while chunk := list(islice(it, CHUNK)):
            ids.extend(_insert_chunk(by, centre, chunk, periods, now))
            if progress is not None:
                for done in range(len(ids) - len(chunk) + 1, len(ids) + 1):
                    progress(done)
    return ids


def _insert_chunk(
    by: User,
    centre: Centre,
    chunk: Sequence[ReadyRow],
    periods: dict[tuple[int, dt.date], PeriodEnd],
    now: dt.datetime,
) -> list[int]:
    """What ``registration_create`` writes for one registration, for a chunk of rows (keep
    the two in step: tests/registrations/test_bulk.py compares every table's growth)."""
    candidates = Candidate.objects.bulk_create(
        Candidate(
            centre=centre,
            first_name=r.candidate.first_name.strip(),
            last_name=r.candidate.last_name.strip(),
            date_of_birth=r.candidate.date_of_birth,
            email=r.candidate.email,
            phone=r.candidate.phone,
            employer=r.candidate.employer,
            job_role=r.candidate.job_role,
            job_kind=r.candidate.job_kind,
            created_at=now,
        )
        for r in chunk
    )
    HeldQualification.objects.bulk_create(
        HeldQualification(candidate=candidate, qualification_code=code)
        for r, candidate in zip(chunk, candidates, strict=True)
        for code in r.candidate.held
    )
    registrations = []
    for r, candidate in zip(chunk, candidates, strict=True):
        key = (r.qualification.pk, r.registered_on)
        if key not in periods:
            periods[key] = registration_period(r.qualification, r.registered_on)
        period = periods[key]
        registrations.append(
            Registration(
                candidate=candidate,
                centre=centre,
                qualification=r.qualification,
                registered_on=r.registered_on,
                end_date=period.end,
                end_date_explanation=period.explanation,
                created_by_id=by.pk,
                created_at=now,
            )
        )
    Registration.objects.bulk_create(registrations)
    firsts = StatusChange.objects.bulk_create(
        StatusChange(
            registration=r, from_status="", to_status=Status.REGISTERED, by_id=by.pk, at=now
        )
        for r in registrations
    )
    # Rows created in this transaction are invisible to others until commit: no lock needed.
    enrolment_register_many(list(zip(registrations, firsts, strict=True)), by=by)
    ids = [r.pk for r in registrations]
    progress_changed(ids)  # bulk_create sends no model signal: their progress rows, dirty
    return ids
