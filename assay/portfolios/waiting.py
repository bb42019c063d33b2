"""The evidence queue's waiting mark: ``EvidenceItem.waiting_since``.

An item waits for its assessors' judgement from its first file's upload for as long as no
mapping of it is decided (every mapping still proposed, or none). The queue
(``progress.caseload.evidence_queue``) reads only the marked items through a partial index, so
its cost follows what waits, not the size of the assessor's portfolios (issue 12).

The mark is derived, never edited by hand: every act that adds a file or decides a mapping
calls ``waiting_refresh`` for its items in the same transaction, which recomputes the mark from
the item's files and mappings (one UPDATE, whatever the number of items). Rows written
without the services (``bulk_create``, a migration) call it too.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.expressions import Expression

from assay.portfolios.models import CriterionMapping, EvidenceFile, EvidenceItem, MappingStatus


def waiting_since_expression() -> Expression:
    """The mark's definition for the item in the outer query: NULL once a mapping of it is
    decided, else its first file's upload time (NULL without files)."""
    decided = CriterionMapping.objects.filter(item_id=OuterRef("pk")).exclude(
        status=MappingStatus.PROPOSED
    )
    first_upload = (
        EvidenceFile.objects.filter(item_id=OuterRef("pk"))
        .order_by("uploaded_at", "pk")
        .values("uploaded_at")[:1]
    )
    return Case(When(Exists(decided), then=Value(None)), default=Subquery(first_upload))


def waiting_refresh(item_ids: Iterable[int]) -> int:
    """Recompute the mark of these items (one query); answers how many rows were written."""
    ids = list(item_ids)
    if not ids:
        return 0
    return EvidenceItem.objects.filter(pk__in=ids).update(waiting_since=waiting_since_expression())


def waiting_refresh_all(items: Q | None = None) -> int:
    """Recompute the mark of every item (or of those matching ``items``): a backfill."""
    rows = EvidenceItem.objects.filter(items) if items is not None else EvidenceItem.objects.all()
    return rows.update(waiting_since=waiting_since_expression())


__all__ = ["waiting_refresh", "waiting_refresh_all", "waiting_since_expression"]
