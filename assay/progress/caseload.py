"""Caseload reads: an assessor's candidates with red/amber/green, what waits for their judgement,
and a centre's progress over every candidate the user may see (issue 4).

Every read is narrowed the ADR 0006 way (an assessor sees the candidates with a plan unit
assigned to them; a centre another centre's staff may not see answers NotFound) and runs a
fixed number of queries whatever the caseload's size: the rows of all registrations are loaded
in bulk (``coverage.coverages_of``, ``records.signed_off_of``) and the colour is decided by the
pure ``engines.progress.rag_status``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO

from django.db.models import Exists, Min, OuterRef, Q, QuerySet

from assay import clock
from assay.catalogue.models import Qualification
from assay.catalogue.selectors import qualification_engine_spec
from assay.centres.models import Centre, Role
from assay.centres.permissions import centre_ids_with_role
from assay.engines.coverage import UnitCoverage
from assay.engines.progress import Progress, Rag, RagStatus, UnitTarget, rag_status
from assay.portfolios.coverage import coverages_of
from assay.portfolios.models import CriterionMapping, EvidenceItem, MappingStatus
from assay.portfolios.records import signed_off_of
from assay.registrations.dashboard import centre_get
from assay.registrations.models import PlanUnit, Registration, Status
from assay.registrations.selectors import credited_of, registrations_visible_to
from assay.registrations.tabular import csv_chunks, write_csv
from assay.reviews.selectors import open_activity_targets
from assay.spreadsheets import Cell, write_xlsx
from assay.users import AnyUser

OPEN = (Status.REGISTERED, Status.IN_PROGRESS)


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    """One registration's figures as the caseload and centre progress pages show them."""

    registration: Registration
    criteria_met: int
    criteria_planned: int
    units_signed_off: int
    units_planned: int
    next_target: dt.date | None
    rag: RagStatus
    my_units: tuple[str, ...] = ()
    not_assessable: tuple[str, ...] = ()

    @property
    def percent_met(self) -> int:
        """Whole percent of planned criteria met, rounded down (99.6% is not done)."""
        if not self.criteria_planned:
            return 0
        return self.criteria_met * 100 // self.criteria_planned


@dataclass(frozen=True, slots=True)
class QueuedMapping:
    """A candidate's proposal on one of the assessor's units, waiting for confirm/reject since
    it was proposed."""

    mapping: CriterionMapping
    since: dt.datetime
    waited_days: int


@dataclass(frozen=True, slots=True)
class QueuedItem:
    """Evidence with files and no mapping decided yet; waits from its first upload."""

    item: EvidenceItem
    since: dt.datetime
    waited_days: int
    proposals: int


@dataclass(frozen=True, slots=True)
class EvidenceQueue:
    mappings: list[QueuedMapping]
    items: list[QueuedItem]


def _assessed_by(user: AnyUser) -> Q:
    """Registrations with a plan unit assigned to the user, at a centre where they assess
    (the assessor branch of ``permissions.registration_filter``)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(
        pk__in=PlanUnit.objects.filter(assessor_id=user.pk).values("registration_id"),
        centre_id__in=centre_ids_with_role(user, Role.ASSESSOR),
    )


def _caseload_rows(
    registrations: Sequence[Registration], today: dt.date, assessor_pk: int | None = None
) -> list[CaseloadRow]:
    """Figures and colour of each registration: seven queries whatever their number (the
    seventh reads credit transfers, ADR 0010)."""
    plans: dict[int, list[PlanUnit]] = defaultdict(list)
    for unit in PlanUnit.objects.filter(registration__in=[r.pk for r in registrations]).order_by(
        "registration_id", "pk"
    ):
        plans[unit.registration_id].append(unit)
    coverage = coverages_of(
        registrations, {r.pk: [u.unit_number for u in plans[r.pk]] for r in registrations}
    )
    signed = signed_off_of(r.pk for r in registrations)
    credited = credited_of(r.pk for r in registrations)
    activities = open_activity_targets([r.pk for r in registrations])
    rows = [
        _row(
            r,
            plans[r.pk],
            coverage[r.pk],
            set(signed.get(r.pk, ())) | set(credited.get(r.pk, ())),
            tuple(activities.get(r.pk, ())),
            today,
            assessor_pk,
        )
        for r in registrations
    ]
    return sorted(
        rows,
        key=lambda row: (
            row.rag.status.rank,
            row.registration.end_date,
            row.registration.candidate.last_name,
            row.registration.candidate.first_name,
            row.registration.pk,
        ),
    )


def _row(
    registration: Registration,
    plan: list[PlanUnit],
    coverage: dict[str, UnitCoverage],
    signed: set[str],
    activity_targets: tuple[dt.date, ...],
    today: dt.date,
    assessor_pk: int | None,
) -> CaseloadRow:
    """``signed`` holds the signed-off and credited units: both are achieved. A planned unit
    without content that is neither counts no criteria and is a reason (ADR 0010)."""
    spec = qualification_engine_spec(registration.qualification)
    met = planned = 0
    credits_planned = credits_signed = 0
    for unit in plan:
        cov = coverage[unit.unit_number]
        total = len(cov.criteria)
        planned += total
        done = unit.unit_number in signed
        met += total if done else sum(c.done for c in cov.criteria)
        credit = spec.unit(unit.unit_number).credit or 0
        credits_planned += credit
        credits_signed += credit if done else 0
    open_targets = tuple(
        UnitTarget(u.unit_number, u.target_date)
        for u in plan
        if u.target_date is not None and u.unit_number not in signed
    )
    blocked = tuple(
        u.unit_number
        for u in plan
        if not coverage[u.unit_number].assessable and u.unit_number not in signed
    )
    status = registration.status
    rag = rag_status(
        Progress(
            today=today,
            start=registration.registered_on,
            end=registration.end_date,
            criteria_met=met,
            criteria_planned=planned,
            credits_signed_off=credits_signed,
            credits_planned=credits_planned,
            units_signed_off=sum(u.unit_number in signed for u in plan),
            units_planned=len(plan),
            unit_targets=open_targets,
            activity_targets=activity_targets,
            closed=None if status in OPEN else registration.get_status_display().lower(),
            not_assessable=blocked,
        )
    )
    return CaseloadRow(
        registration=registration,
        criteria_met=met,
        criteria_planned=planned,
        units_signed_off=sum(u.unit_number in signed for u in plan),
        units_planned=len(plan),
        next_target=min([*(t.due for t in open_targets), *activity_targets], default=None),
        rag=rag,
        not_assessable=blocked,
        my_units=tuple(u.unit_number for u in plan if u.assessor_id == assessor_pk)
        if assessor_pk is not None
        else (),
    )


def _ordered(registrations: QuerySet[Registration]) -> list[Registration]:
    """The registrations by name, sharing one qualification (and its spec content) per
    qualification: the spec is large JSON, read and parsed once, not once a candidate."""
    rows = list(
        registrations.select_related(None)
        .select_related("candidate", "centre")
        .order_by("candidate__last_name", "candidate__first_name", "pk")
    )
    shared = Qualification.objects.select_related("spec").in_bulk(
        {r.qualification_id for r in rows}
    )
    for r in rows:
        r.qualification = shared[r.qualification_id]
    return rows


def assessor_caseload(user: AnyUser, today: dt.date) -> list[CaseloadRow]:
    """The open registrations (registered or in progress) where the user assesses at least
    one plan unit, red first. Closed registrations have nothing left to chase."""
    visible = registrations_visible_to(user).filter(_assessed_by(user), status__in=OPEN)
    return _caseload_rows(_ordered(visible), today, assessor_pk=user.pk)


def centre_progress(
    user: AnyUser, centre_pk: int, today: dt.date
) -> tuple[Centre, list[CaseloadRow]]:
    """Every registration at the centre that the user may see, with the caseload figures.

    The centre must be one the user works at (staff roles; candidates, employer contacts and
    other centres' staff get NotFound). The rows are then narrowed like every other read:
    centre administrators, lead IQAs, tutors and the centre's external verifier see all, an
    internal verifier the candidates they verify, an assessor the candidates they assess."""
    centre = centre_get(user, centre_pk)
    visible = registrations_visible_to(user).filter(centre=centre)
    return centre, _caseload_rows(_ordered(visible), today)


def _waited(since: dt.datetime, today: dt.date) -> int:
    return max((today - since.date()).days, 0)


def evidence_queue(user: AnyUser, today: dt.date | None = None) -> EvidenceQueue:
    """What waits for this assessor across all their open registrations: proposed mappings on
    units assigned to them (oldest first), then evidence with files but no mapping decided yet
    (oldest upload first); proposals on a unit already signed off are left out, since it is
    locked. Four queries whatever the number of candidates."""
    today = today or clock.today()
    mine = Registration.objects.filter(_assessed_by(user), status__in=OPEN).values("pk")
    my_unit = PlanUnit.objects.filter(
        registration_id=OuterRef("item__registration_id"),
        unit_number=OuterRef("unit_number"),
        assessor_id=user.pk,
    )
    proposals = list(
        CriterionMapping.objects.filter(status=MappingStatus.PROPOSED, item__registration__in=mine)
        .filter(Exists(my_unit))
        .select_related("item__registration__candidate", "item__registration__qualification")
        .order_by("proposed_at", "pk")
    )
    # A signed-off unit is locked: its leftover proposals cannot be decided until it is reopened.
    locked = signed_off_of({m.item.registration_id for m in proposals})
    proposals = [
        m for m in proposals if m.unit_number not in locked.get(m.item.registration_id, ())
    ]
    decided = CriterionMapping.objects.filter(item_id=OuterRef("pk")).exclude(
        status=MappingStatus.PROPOSED
    )
    items = list(
        EvidenceItem.objects.filter(registration__in=mine, files__isnull=False)
        .exclude(Exists(decided))
        .annotate(first_upload=Min("files__uploaded_at"))
        .select_related("registration__candidate", "registration__qualification")
        .order_by("first_upload", "pk")
    )
    counts = _proposal_counts(i.pk for i in items)
    return EvidenceQueue(
        mappings=[
            QueuedMapping(m, m.proposed_at, _waited(m.proposed_at, today)) for m in proposals
        ],
        items=[
            QueuedItem(i, i.first_upload, _waited(i.first_upload, today), counts.get(i.pk, 0))
            for i in items
        ],
    )


def _proposal_counts(item_ids: Iterable[int]) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    for item_id in CriterionMapping.objects.filter(
        item_id__in=list(item_ids), status=MappingStatus.PROPOSED
    ).values_list("item_id", flat=True):
        counts[item_id] += 1
    return counts


COLUMNS = (
    "candidate",
    "qualification",
    "registered_on",
    "end_date",
    "status",
    "rag",
    "criteria_met",
    "criteria_planned",
    "percent_met",
    "units_signed_off",
    "units_planned",
    "next_target",
    "reasons",
)


def progress_table(rows: Iterable[CaseloadRow]) -> Iterator[list[Cell]]:
    """The header, then one line per registration; counts stay numbers and dates stay dates
    (CSV writes them as YYYY-MM-DD, XLSX as real dates)."""
    yield list(COLUMNS)
    for row in rows:
        r = row.registration
        yield [
            str(r.candidate),
            r.qualification.code,
            r.registered_on,
            r.end_date,
            r.get_status_display(),
            row.rag.status.value,
            row.criteria_met,
            row.criteria_planned,
            row.percent_met,
            row.units_signed_off,
            row.units_planned,
            row.next_target,
            "; ".join(row.rag.reasons),
        ]


def progress_csv(rows: Iterable[CaseloadRow], out: IO[str]) -> int:
    return write_csv(progress_table(rows), out)


def progress_csv_chunks(rows: Iterable[CaseloadRow]) -> Iterator[str]:
    return csv_chunks(progress_table(rows))


def progress_xlsx(rows: Iterable[CaseloadRow], out: IO[bytes]) -> int:
    return write_xlsx(progress_table(rows), out, title="Progress")


__all__ = [
    "COLUMNS",
    "CaseloadRow",
    "EvidenceQueue",
    "QueuedItem",
    "QueuedMapping",
    "Rag",
    "assessor_caseload",
    "centre_progress",
    "evidence_queue",
    "progress_csv",
    "progress_csv_chunks",
    "progress_table",
    "progress_xlsx",
]
