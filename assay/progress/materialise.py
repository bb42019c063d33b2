"""Keeping ``RegistrationProgress`` current (ADR 0014).

* ``mark_dirty(ids)`` — one UPDATE in the caller's transaction (the acts' receivers and the
  ``progress_inputs_changed`` signal call it); never a recomputation inside an act.
* ``refresh_progress(ids | centre=)`` — recompute rows from scratch, in chunks, with the bulk
  readers the caseload always used (``coverages_of``, ``signed_off_of``, ``credited_of``,
  ``open_activity_targets``): a fixed number of queries per chunk whatever its size, and each
  unit's requirements built once per (specification, unit), not once per registration.
* ``ensure_fresh(rows, today)`` — what every read calls first: recompute the dirty rows of its
  scope, recolour (pure engine on stored inputs, no coverage) the rows whose stored colour is
  not valid on ``today``; one query when nothing is stale.

Rows are never missing: a database trigger inserts a registration's row with the registration,
and other triggers keep the copied columns and the per-colour counts (``triggers.py``).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db import connection, transaction
from django.db.models import QuerySet

from assay import clock
from assay.catalogue.models import Qualification
from assay.catalogue.selectors import qualification_engine_spec
from assay.centres.models import Centre
from assay.engines.coverage import UnitCoverage
from assay.engines.progress import Progress, Rag, UnitTarget, rag_status, rag_valid_until
from assay.errors import NotFound
from assay.portfolios.coverage import coverages_of
from assay.portfolios.records import signed_off_of
from assay.progress import triggers
from assay.progress.models import RegistrationProgress
from assay.registrations.models import PlanUnit, Registration, Status
from assay.registrations.selectors import credited_of
from assay.reviews.selectors import open_activity_targets

OPEN = (Status.REGISTERED, Status.IN_PROGRESS)
CHUNK = 500

COPIED = ("centre", "status", "registered_on", "end_date", "last_name", "first_name")
FIGURES = (
    "criteria_met",
    "criteria_planned",
    "credits_signed_off",
    "credits_planned",
    "units_signed_off",
    "units_planned",
    "unit_targets",
    "activity_targets",
    "not_assessable",
    "next_target",
)
COLOUR = ("rag", "rag_rank", "rag_from", "rag_until")
WRITTEN = (*COPIED, *FIGURES, *COLOUR, "dirty", "computed_at")


def placeholder(r: Registration) -> RegistrationProgress:
    """A dirty row with the registration's copied columns and no figures yet."""
    return RegistrationProgress(
        registration_id=r.pk,
        centre_id=r.centre_id,
        status=r.status,
        registered_on=r.registered_on,
        end_date=r.end_date,
        last_name=r.candidate.last_name,
        first_name=r.candidate.first_name,
        dirty=True,
    )


def mark_dirty(registration_ids: Iterable[int]) -> None:
    """Mark these registrations' rows for recomputation (one UPDATE). Every registration has
    its row from the moment it is inserted (a database trigger, ``triggers.py``)."""
    ids = set(registration_ids)
    if ids:
        RegistrationProgress.objects.filter(pk__in=ids).update(dirty=True)


def mark_dirty_where(rows: QuerySet[RegistrationProgress]) -> None:
    """``mark_dirty`` for the rows a query names (a candidate's, a qualification's)."""
    rows.update(dirty=True)


def progress_of(row: RegistrationProgress, today: dt.date) -> Progress:
    """The engine's input from a stored row on ``today``."""
    return Progress(
        today=today,
        start=row.registered_on,
        end=row.end_date,
        criteria_met=row.criteria_met,
        criteria_planned=row.criteria_planned,
        credits_signed_off=row.credits_signed_off,
        credits_planned=row.credits_planned,
        units_signed_off=row.units_signed_off,
        units_planned=row.units_planned,
        unit_targets=tuple(UnitTarget(u, dt.date.fromisoformat(d)) for u, d in row.unit_targets),
        activity_targets=tuple(dt.date.fromisoformat(d) for d in row.activity_targets),
        closed=None if row.status in OPEN else Status(row.status).label.lower(),
        not_assessable=tuple(row.not_assessable),
    )


@functools.lru_cache(maxsize=4096)
def _colour_of(p: Progress) -> tuple[Rag, dt.date | None]:
    """The colour and its last valid day: a pure function of the engine's input, so learners
    with the same figures and dates (a cohort imported together) are coloured once."""
    return rag_status(p).status, rag_valid_until(p)


def _colour(row: RegistrationProgress, today: dt.date) -> None:
    status, until = _colour_of(progress_of(row, today))
    row.rag, row.rag_rank = status.value, status.rank
    row.rag_from, row.rag_until = today, until


def _figures(
    row: RegistrationProgress,
    registration: Registration,
    plan: Sequence[PlanUnit],
    coverage: dict[str, UnitCoverage],
    achieved: set[str],
    activities: Sequence[dt.date],
) -> None:
    """The caseload's figures of one registration: ``achieved`` holds its signed-off and
    credited units (both count as done); a planned unit without content that is neither counts
    no criteria and is a reason (ADR 0010)."""
    spec = qualification_engine_spec(registration.qualification)
    met = planned = credits_planned = credits_signed = 0
    for unit in plan:
        cov = coverage[unit.unit_number]
        total = len(cov.criteria)
        planned += total
        done = unit.unit_number in achieved
        met += total if done else sum(c.done for c in cov.criteria)
        credit = spec.unit(unit.unit_number).credit or 0
        credits_planned += credit
        credits_signed += credit if done else 0
    targets = sorted(
        (u.target_date, u.unit_number)
        for u in plan
        if u.target_date is not None and u.unit_number not in achieved
    )
    row.criteria_met, row.criteria_planned = met, planned
    row.credits_signed_off, row.credits_planned = credits_signed, credits_planned
    row.units_signed_off = sum(u.unit_number in achieved for u in plan)
    row.units_planned = len(plan)
    row.unit_targets = [[unit, due.isoformat()] for due, unit in targets]
    row.activity_targets = [d.isoformat() for d in sorted(activities)]
    row.not_assessable = [
        u.unit_number
        for u in plan
        if not coverage[u.unit_number].assessable and u.unit_number not in achieved
    ]
    row.next_target = min([*(due for due, _ in targets), *activities], default=None)


def _recompute(ids: Sequence[int], today: dt.date, quals: dict[int, Qualification]) -> int:
    with transaction.atomic():
        # Lock the rows first (PostgreSQL): an act that marks one dirty meanwhile waits for
        # this transaction and marks it again after, so a newer change is never lost.
        list(
            RegistrationProgress.objects.select_for_update()
            .filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        registrations = list(
            Registration.objects.filter(pk__in=ids).select_related("candidate").order_by("pk")
        )
        wanted = {r.qualification_id for r in registrations} - quals.keys()
        if wanted:
            quals.update(Qualification.objects.select_related("spec").in_bulk(wanted))
        for r in registrations:
            r.qualification = quals[r.qualification_id]
        plans: dict[int, list[PlanUnit]] = defaultdict(list)
        for unit in PlanUnit.objects.filter(registration_id__in=ids).order_by(
            "registration_id", "pk"
        ):
            plans[unit.registration_id].append(unit)
        coverage = coverages_of(
            registrations, {r.pk: [u.unit_number for u in plans[r.pk]] for r in registrations}
        )
        signed = signed_off_of(ids)
        credited = credited_of(ids)
        activities = open_activity_targets(ids)
        now = clock.now()
        rows = []
        for r in registrations:
            row = placeholder(r)
            _figures(
                row,
                r,
                plans[r.pk],
                coverage[r.pk],
                set(signed.get(r.pk, ())) | set(credited.get(r.pk, ())),
                activities.get(r.pk, ()),
            )
            _colour(row, today)
            row.dirty, row.computed_at = False, now
            rows.append(row)
        RegistrationProgress.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["registration"],
            update_fields=list(WRITTEN),
        )
    return len(rows)


def refresh_progress(
    registration_ids: Iterable[int] | None = None,
    *,
    centre: int | None = None,
    today: dt.date | None = None,
) -> int:
    """Recompute the rows of these registrations (or of every registration at ``centre``, or
    of every registration when neither is given) from scratch, ``CHUNK`` at a time; returns how
    many. ``assay progress refresh`` and ``assay bench`` call it after building data."""
    today = today or clock.today()
    if registration_ids is None:
        scope = Registration.objects.all()
        if centre is not None:
            scope = scope.filter(centre_id=centre)
        ids = list(scope.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(set(registration_ids))
    quals: dict[int, Qualification] = {}
    done = 0
    for start in range(0, len(ids), CHUNK):
        done += _recompute(ids[start : start + CHUNK], today, quals)
    return done


def refresh_centre(key: str | None, today: dt.date | None = None) -> int:
    """``refresh_progress`` of the centre with this number (or id), or of every registration
    when ``key`` is None, then the kept counts rebuilt from the rows (``assay progress
    refresh``); NotFound for an unknown centre."""
    if key is None:
        done = refresh_progress(today=today)
    else:
        centre = Centre.objects.filter(number=key).first()
        if centre is None and key.isdigit():
            centre = Centre.objects.filter(pk=int(key)).first()
        if centre is None:
            raise NotFound(f"no centre {key!r}")
        done = refresh_progress(centre=centre.pk, today=today)
    with transaction.atomic(), connection.cursor() as cursor:
        triggers.rebuild_tallies(cursor)
    return done


def _recolour(ids: Sequence[int], today: dt.date) -> None:
    """A new colour from the stored inputs for rows whose colour's validity ended (no coverage
    read); rows made dirty meanwhile are left to the next recomputation."""
    for start in range(0, len(ids), CHUNK):
        with transaction.atomic():
            rows = list(
                RegistrationProgress.objects.select_for_update()
                .filter(pk__in=ids[start : start + CHUNK], dirty=False)
                .order_by("pk")
            )
            for row in rows:
                _colour(row, today)
            RegistrationProgress.objects.bulk_update(rows, list(COLOUR), batch_size=CHUNK)


def ensure_fresh(rows: QuerySet[RegistrationProgress], today: dt.date) -> None:
    """Bring a list's stored ``rows`` up to date before it is read. One query when nothing is
    stale, a fixed number per chunk otherwise."""
    recompute, recolour = list[int](), list[int]()
    # One query, as a union of three index ranges ((centre, dirty), (centre, rag_from),
    # (centre, rag_until)) rather than one OR that reads every row of the list.
    columns = ("pk", "dirty", "rag_from")
    found = (
        rows.filter(dirty=True)
        .order_by()
        .values_list(*columns)
        .union(
            rows.filter(rag_from__gt=today).order_by().values_list(*columns),
            rows.filter(rag_until__lt=today).order_by().values_list(*columns),
        )
    )
    for pk, dirty, since in found:
        (recompute if dirty or since is None else recolour).append(pk)
    if recompute:
        refresh_progress(recompute, today=today)
    if recolour:
        _recolour(recolour, today)


__all__ = [
    "ensure_fresh",
    "mark_dirty",
    "mark_dirty_where",
    "progress_of",
    "refresh_centre",
    "refresh_progress",
]
