"""Caseload reads: an assessor's candidates with red/amber/green, what waits for their judgement,
and a centre's progress over every candidate the user may see (issue 4).

Every read is narrowed the ADR 0006 way (an assessor sees the candidates with a plan unit
assigned to them; a centre another centre's staff may not see answers NotFound) and reads one
materialised row per registration (``RegistrationProgress``, ADR 0014): ``ensure_fresh`` first
recomputes the rows of the scope that changed, then one keyset page is read, ordered red first
by an index. The colour's reasons (which say "N days ago") are decided at read time by the pure
``engines.progress.rag_status`` from the stored inputs. Exports stream every row from a
server-side cursor. The number of queries never depends on the number of candidates.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum

from assay import clock
from assay.centres.models import Centre, Role
from assay.centres.permissions import CENTRE_WIDE, centre_ids_with_role
from assay.engines.progress import Rag, RagStatus, rag_status
from assay.errors import InvalidInput
from assay.keyset import Page, paginate
from assay.portfolios.models import (
    CriterionMapping,
    Decision,
    DecisionKind,
    EvidenceItem,
    MappingStatus,
)
from assay.progress.materialise import OPEN, ensure_fresh, progress_of
from assay.progress.models import CaseloadTally, ProgressTally, RegistrationProgress
from assay.registrations.dashboard import centre_get
from assay.registrations.models import PlanUnit, Registration, Status
from assay.registrations.selectors import registrations_visible_to
from assay.registrations.tabular import csv_chunks, write_csv
from assay.spreadsheets import Cell, write_xlsx
from assay.users import AnyUser

# Red first, then the nearest end date, then by name; pk makes every row's place unique.
ORDER = ("rag_rank", "end_date", "last_name", "first_name", "pk")
EXPORT_CHUNK = 500


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
class ProgressList:
    """One page of a caseload or centre progress list, and how many registrations of each
    colour the whole list holds (its filters applied, the colour filter excepted)."""

    rows: Page[CaseloadRow]
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


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
    mappings: Page[QueuedMapping]
    items: Page[QueuedItem]


def _assessed_by(user: AnyUser) -> Q:
    """Registrations with a plan unit assigned to the user, at a centre where they assess
    (the assessor branch of ``permissions.registration_filter``)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(
        pk__in=PlanUnit.objects.filter(assessor_id=user.pk).values("registration_id"),
        centre_id__in=centre_ids_with_role(user, Role.ASSESSOR),
    )


def _row(p: RegistrationProgress, today: dt.date, my_units: tuple[str, ...] = ()) -> CaseloadRow:
    return CaseloadRow(
        registration=p.registration,
        criteria_met=p.criteria_met,
        criteria_planned=p.criteria_planned,
        units_signed_off=p.units_signed_off,
        units_planned=p.units_planned,
        next_target=p.next_target,
        rag=rag_status(progress_of(p, today)),
        my_units=my_units,
        not_assessable=tuple(p.not_assessable),
    )


def _choice(name: str, value: str | None, allowed: Iterable[str]) -> str | None:
    if value in (None, ""):
        return None
    allowed = list(allowed)
    if value not in allowed:
        raise InvalidInput({name: f"{name} must be one of {', '.join(allowed)}"})
    return value


def _with_columns(rows: QuerySet[RegistrationProgress]) -> QuerySet[RegistrationProgress]:
    """The rows with the registration, its candidate and its qualification's columns (never
    the specification content)."""
    return rows.select_related("registration__candidate", "registration__qualification")


@dataclass(frozen=True, slots=True)
class _Scope:
    """A list's stored rows, and the counts the database keeps for exactly those rows
    (``ProgressTally`` or ``CaseloadTally`` narrowed alike), or None to count the rows."""

    rows: QuerySet[RegistrationProgress]
    tally: QuerySet[Any] | None = None


def _narrowed(registrations: QuerySet[Registration]) -> _Scope:
    return _Scope(RegistrationProgress.objects.filter(registration__in=registrations.values("pk")))


def _counts(scope: _Scope, rows: QuerySet[RegistrationProgress], status: str | None) -> Any:
    """(colour, how many) of the list: from the kept counts (a handful of rows whatever the
    list's size) when the scope has them, else by counting the rows."""
    if scope.tally is None:
        return rows.order_by().values_list("rag").annotate(n=Count("pk"))
    tally = scope.tally.filter(status=status) if status else scope.tally
    return tally.order_by().values_list("rag").annotate(total=Sum("n"))


def _list(
    scope: _Scope,
    today: dt.date,
    *,
    cursor: str | None,
    size: int | str | None,
    rag: str | None,
    status: str | None = None,
    assessor_pk: int | None = None,
) -> ProgressList:
    rag = _choice("rag", rag, (r.value for r in Rag))
    status = _choice("status", status, Status.values)
    ensure_fresh(scope.rows, today)
    rows = scope.rows
    if status:
        rows = rows.filter(status=status)
    counts = {colour: n for colour, n in _counts(scope, rows, status)}
    if rag:
        rows = rows.filter(rag_rank=Rag(rag).rank)  # the ordering index's first column
    page = paginate(_with_columns(rows), ORDER, cursor, size)
    mine: dict[int, list[str]] = defaultdict(list)
    if assessor_pk is not None and page.items:
        for registration_id, unit in (
            PlanUnit.objects.filter(
                registration_id__in=[p.pk for p in page.items], assessor_id=assessor_pk
            )
            .order_by("registration_id", "pk")
            .values_list("registration_id", "unit_number")
        ):
            mine[registration_id].append(unit)
    return ProgressList(
        page.map(lambda p: _row(p, today, tuple(mine.get(p.pk, ())))),
        {r.value: counts.get(r.value, 0) for r in Rag},
    )


def _caseload_scope(user: AnyUser) -> _Scope:
    """The open registrations with a plan unit assigned to the user at a centre where they
    assess — a subset of what they may read, so the stored rows are filtered directly (by the
    plan units' assessor index and the copied centre and status columns)."""
    if not user.is_authenticated:
        return _Scope(RegistrationProgress.objects.none(), CaseloadTally.objects.none())
    assessed = PlanUnit.objects.filter(assessor_id=user.pk).values("registration_id")
    centres = centre_ids_with_role(user, Role.ASSESSOR)
    return _Scope(
        RegistrationProgress.objects.filter(pk__in=assessed, centre_id__in=centres).filter(
            status__in=OPEN
        ),
        CaseloadTally.objects.filter(assessor_id=user.pk, centre_id__in=centres, status__in=OPEN),
    )


def assessor_caseload(
    user: AnyUser,
    today: dt.date,
    *,
    cursor: str | None = None,
    size: int | str | None = None,
    rag: str | None = None,
) -> ProgressList:
    """The open registrations (registered or in progress) where the user assesses at least
    one plan unit, red first, one page at a time. Closed registrations have nothing left to
    chase."""
    return _list(
        _caseload_scope(user), today, cursor=cursor, size=size, rag=rag, assessor_pk=user.pk
    )


def _centre_scope(user: AnyUser, centre_pk: int) -> tuple[Centre, _Scope]:
    """The centre must be one the user works at (staff roles; candidates, employer contacts
    and other centres' staff get NotFound). The rows are then narrowed like every other read:
    centre administrators, lead IQAs, tutors and the centre's external verifier see all (the
    stored rows filtered by their copied centre column, an index), an internal verifier the
    candidates they verify, an assessor the candidates they assess."""
    centre = centre_get(user, centre_pk)
    if getattr(user, "is_superuser", False) or centre.pk in centre_ids_with_role(
        user, *CENTRE_WIDE
    ):
        return centre, _Scope(
            RegistrationProgress.objects.filter(centre_id=centre.pk),
            ProgressTally.objects.filter(centre_id=centre.pk),
        )
    return centre, _narrowed(registrations_visible_to(user).filter(centre=centre))


def centre_progress(
    user: AnyUser,
    centre_pk: int,
    today: dt.date,
    *,
    cursor: str | None = None,
    size: int | str | None = None,
    rag: str | None = None,
    status: str | None = None,
) -> tuple[Centre, ProgressList]:
    """Every registration at the centre that the user may see, with the caseload figures, red
    first, one page at a time (``rag`` and ``status`` narrow it)."""
    centre, scope = _centre_scope(user, centre_pk)
    return centre, _list(scope, today, cursor=cursor, size=size, rag=rag, status=status)


def centre_progress_rows(
    user: AnyUser, centre_pk: int, today: dt.date
) -> tuple[Centre, Iterator[CaseloadRow]]:
    """Every row of ``centre_progress`` for the exports (CSV, XLSX, the CLI), in the page's
    order, streamed from a server-side cursor so that memory does not grow with the list."""
    centre, scope = _centre_scope(user, centre_pk)
    ensure_fresh(scope.rows, today)
    rows = _with_columns(scope.rows).order_by(*ORDER).iterator(chunk_size=EXPORT_CHUNK)
    return centre, (_row(p, today) for p in rows)


def _waited(since: dt.datetime, today: dt.date) -> int:
    return max((today - since.date()).days, 0)


def evidence_queue(
    user: AnyUser,
    today: dt.date | None = None,
    *,
    mapping_cursor: str | None = None,
    item_cursor: str | None = None,
    size: int | str | None = None,
) -> EvidenceQueue:
    """What waits for this assessor across all their open registrations, a page of each list:
    proposed mappings on units assigned to them (oldest first), then evidence with files but no
    mapping decided yet (oldest upload first); proposals on a unit already signed off are left
    out, since it is locked. Four queries whatever the number of candidates.

    Each list walks only what waits, oldest first, by a partial index: the proposals by
    ``mapping_proposed_queue`` (status proposed), the items by their maintained waiting mark
    (``EvidenceItem.waiting_since``, ``portfolios.waiting``; index ``evidence_item_waiting``),
    and checks each waiting row against the assessor's registrations — so the cost follows the
    waiting rows, not the number of evidence items in the assessor's portfolios (issue 12)."""
    today = today or clock.today()
    mine = _my_open_registrations(user)
    mapping_page = paginate(
        _waiting_proposals(user, mine), ("proposed_at", "pk"), mapping_cursor, size
    )
    item_page = paginate(_waiting_items(mine), ("first_upload", "pk"), item_cursor, size)
    counts = _proposal_counts(i.pk for i in item_page.items)
    return EvidenceQueue(
        mappings=mapping_page.map(
            lambda m: QueuedMapping(m, m.proposed_at, _waited(m.proposed_at, today))
        ),
        items=item_page.map(lambda i: _queued_item(i, today, counts.get(i.pk, 0))),
    )


def _my_open_registrations(user: AnyUser) -> QuerySet[Registration]:
    """The open registrations the user assesses (a subquery of the two lists)."""
    return Registration.objects.filter(_assessed_by(user), status__in=OPEN)


def _waiting_proposals(user: AnyUser, mine: QuerySet[Registration]) -> QuerySet[CriterionMapping]:
    """Proposed mappings (the partial index's rows) of the assessor's open registrations, on a
    unit of the plan assigned to them and not signed off."""
    my_unit = PlanUnit.objects.filter(
        registration_id=OuterRef("item__registration_id"),
        unit_number=OuterRef("unit_number"),
        assessor_id=user.pk,
    )
    # A signed-off unit is locked: its leftover proposals cannot be decided until reopened.
    unit_state = (
        Decision.objects.filter(
            registration_id=OuterRef("item__registration_id"),
            unit_number=OuterRef("unit_number"),
            kind__in=[DecisionKind.UNIT_SIGNED_OFF, DecisionKind.UNIT_REOPENED],
        )
        .order_by("-seq")
        .values("kind")[:1]
    )
    return (
        CriterionMapping.objects.filter(
            status=MappingStatus.PROPOSED, item__registration__in=mine.values("pk")
        )
        .filter(Exists(my_unit))
        .annotate(unit_state=Subquery(unit_state))
        .filter(Q(unit_state__isnull=True) | Q(unit_state=DecisionKind.UNIT_REOPENED))
        .select_related("item__registration__candidate", "item__registration__qualification")
    )


def _waiting_items(mine: QuerySet[Registration]) -> QuerySet[EvidenceItem]:
    """Items of the assessor's open registrations that carry the waiting mark (files, no
    mapping decided), with the first upload as ``first_upload`` (the name the page's cursors
    were signed with)."""
    return (
        EvidenceItem.objects.filter(waiting_since__isnull=False, registration__in=mine.values("pk"))
        .annotate(first_upload=F("waiting_since"))
        .select_related("registration__candidate", "registration__qualification")
    )


def _queued_item(item: EvidenceItem, today: dt.date, proposals: int) -> QueuedItem:
    since = item.waiting_since
    assert since is not None  # only marked items are read
    return QueuedItem(item, since, _waited(since, today), proposals)


def _proposal_counts(item_ids: Iterable[int]) -> dict[int, int]:
    ids = list(item_ids)
    counts: dict[int, int] = defaultdict(int)
    if not ids:
        return counts
    for item_id in CriterionMapping.objects.filter(
        item_id__in=ids, status=MappingStatus.PROPOSED
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
    "ORDER",
    "CaseloadRow",
    "EvidenceQueue",
    "ProgressList",
    "QueuedItem",
    "QueuedMapping",
    "Rag",
    "assessor_caseload",
    "centre_progress",
    "centre_progress_rows",
    "evidence_queue",
    "progress_csv",
    "progress_csv_chunks",
    "progress_table",
    "progress_xlsx",
]
