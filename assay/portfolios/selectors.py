"""Reads of portfolios, narrowed to registrations the user may see (NotFound otherwise)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.files import File
from django.db.models import QuerySet

from assay.catalogue.selectors import qualification_engine_spec
from assay.engines.coverage import (
    QualificationCoverage,
    UnitCoverage,
    qualification_coverage,
    reuse_scores,
)
from assay.errors import NotFound
from assay.files.storage import open_evidence
from assay.keyset import Page, paginate
from assay.portfolios.coverage import registration_coverage
from assay.portfolios.models import (
    CriterionMapping,
    Decision,
    DecisionKind,
    EvidenceFile,
    EvidenceItem,
    MappingStatus,
)
from assay.portfolios.records import signed_off_units
from assay.registrations.models import Registration
from assay.registrations.selectors import (
    credited_units,
    registration_get,
    registrations_visible_to,
)
from assay.users import AnyUser


def portfolio_coverage(user: AnyUser, registration_pk: int) -> dict[str, UnitCoverage]:
    """Coverage of every planned unit of a registration the user may see."""
    return registration_coverage(registration_get(user, registration_pk))


def portfolio_reuse(user: AnyUser, registration_pk: int) -> dict[str, float]:
    """Share of each planned unit's criteria already backed by confirmed evidence (0..1), for
    the planner's most-reuse objective."""
    return reuse_scores(portfolio_coverage(user, registration_pk))


def portfolio_progress(user: AnyUser, registration_pk: int) -> QualificationCoverage:
    """Per unit state and the qualification as a whole: credits signed off and the rules of
    combination over the signed-off units."""
    return portfolio_summary(user, registration_pk)[1]


def portfolio_summary(
    user: AnyUser, registration_pk: int
) -> tuple[dict[str, UnitCoverage], QualificationCoverage]:
    """What the portfolio page shows, computed once: each planned unit's coverage and the
    qualification's progress over them (a fixed number of queries, whatever the size)."""
    return registration_summary(registration_get(user, registration_pk))


def registration_summary(
    registration: Registration,
) -> tuple[dict[str, UnitCoverage], QualificationCoverage]:
    """``portfolio_summary`` of a registration already got from ``registration_get``.
    Credited units (credit transfer, ADR 0010) count as achieved beside the signed-off ones."""
    signed = signed_off_units(registration)
    units = registration_coverage(registration)
    progress = qualification_coverage(
        units,
        signed,
        qualification_engine_spec(registration.qualification),
        credited=credited_units(registration),
    )
    return units, progress


def decisions_of(user: AnyUser, registration_pk: int) -> QuerySet[Decision]:
    """The registration's decision record, oldest first."""
    return registration_decisions(registration_get(user, registration_pk))


def registration_decisions(registration: Registration) -> QuerySet[Decision]:
    """The decision record of a registration the caller already got from ``registration_get``
    (a page that shows several parts of one portfolio narrows to it once, not once a part)."""
    return (
        Decision.objects.filter(registration=registration).select_related("actor").order_by("seq")
    )


def decisions_of_kinds(
    registration: Registration, kinds: Iterable[str], **where: Any
) -> list[Decision]:
    """``registration_decisions`` of ``kinds`` only (and ``where``), in record order. Sorted
    here, not by the database: asked to order by seq, SQLite walks the (registration, seq)
    index through every decision of the registration, one confirmation per decided mapping;
    unordered, it reads the few rows of each kind from the (registration, kind, seq) index."""
    rows = (
        Decision.objects.filter(registration=registration, kind__in=list(kinds), **where)
        .select_related("actor")
        .order_by()
    )
    return sorted(rows, key=lambda d: d.seq)


def standing_rejections(
    registration: Registration, mapping_ids: Iterable[int]
) -> dict[int, Decision]:
    """The rejection (with its reason) of each of ``mapping_ids`` that stands rejected now: the
    latest ``mapping_rejected`` decision of each such mapping. Asked for the mappings a page
    shows, so its cost follows the page, not the portfolio or its rejections (callers pass
    only the mappings they hold as rejected; none means no query)."""
    ids = list(mapping_ids)
    if not ids:
        return {}
    standing = list(
        CriterionMapping.objects.filter(
            pk__in=ids,
            item__registration=registration,
            status=MappingStatus.REJECTED,
        ).values_list("pk", flat=True)
    )
    if not standing:
        return {}
    latest: dict[int, Decision] = {}
    rows = decisions_of_kinds(
        registration, [DecisionKind.MAPPING_REJECTED], payload__mapping__in=standing
    )
    for d in rows:
        latest[d.payload["mapping"]] = d
    return latest


REJECTION_ORDER = ("-pk",)


def rejections_page(
    registration: Registration, cursor: str | None = None, size: int | str | None = None
) -> Page[Decision]:
    """The mappings of a registration that stand rejected, newest first, a page at a time,
    each as its latest rejection (reason, who, when) for the candidate to act on."""
    found = paginate(
        CriterionMapping.objects.filter(
            item__registration=registration, status=MappingStatus.REJECTED
        ).only("pk"),
        REJECTION_ORDER,
        cursor,
        size,
    )
    latest = standing_rejections(registration, [m.pk for m in found])
    return Page(
        [latest[m.pk] for m in found if m.pk in latest], found.next, found.previous, found.size
    )


def rejections_of(
    user: AnyUser, registration_pk: int, cursor: str | None = None, size: int | str | None = None
) -> tuple[Registration, Page[Decision]]:
    """A registration the user may see (NotFound otherwise) and a page of its standing
    rejections (InvalidInput for a bad cursor or size)."""
    registration = registration_get(user, registration_pk)
    return registration, rejections_page(registration, cursor, size)


def evidence_of(user: AnyUser, registration_pk: int) -> QuerySet[EvidenceItem]:
    """The registration's evidence items with their files and mappings."""
    return registration_evidence(registration_get(user, registration_pk))


def registration_evidence(registration: Registration) -> QuerySet[EvidenceItem]:
    """Evidence items of a registration already got from ``registration_get``, with their files
    and mappings."""
    return EvidenceItem.objects.filter(registration=registration).prefetch_related(
        "files", "mappings"
    )


def evidence_file_get(user: AnyUser, pk: int) -> EvidenceFile:
    """One evidence file of a portfolio the user may see, or NotFound (missing and not-yours)."""
    found = (
        EvidenceFile.objects.select_related("item__registration")
        .filter(pk=pk, item__registration__in=registrations_visible_to(user).values("pk"))
        .first()
    )
    if found is None:
        raise NotFound(f"no evidence file {pk}")
    return found


def evidence_file_open(user: AnyUser, pk: int) -> tuple[EvidenceFile, File]:
    """The file's row and its content opened for reading (the caller closes it)."""
    row = evidence_file_get(user, pk)
    return row, open_evidence(row.storage_name)


def evidence_item_get(user: AnyUser, pk: int) -> EvidenceItem:
    """One evidence item of a portfolio the user may see, or NotFound (missing and not-yours)."""
    found = (
        EvidenceItem.objects.select_related("registration__candidate", "registration__centre")
        .filter(pk=pk, registration__in=registrations_visible_to(user).values("pk"))
        .first()
    )
    if found is None:
        raise NotFound(f"no evidence item {pk}")
    return found


def mapping_get(user: AnyUser, pk: int) -> CriterionMapping:
    """One proposed or decided mapping of a portfolio the user may see, or NotFound."""
    found = (
        CriterionMapping.objects.select_related("item__registration__centre")
        .filter(pk=pk, item__registration__in=registrations_visible_to(user).values("pk"))
        .first()
    )
    if found is None:
        raise NotFound(f"no mapping {pk}")
    return found


def last_seq(user: AnyUser, registration_pk: int) -> int:
    """The number of the registration's last decision (0: none), for ``expected_seq``."""
    registration = registration_get(user, registration_pk)
    last = Decision.objects.filter(registration=registration).order_by("-seq").first()
    return last.seq if last else 0
