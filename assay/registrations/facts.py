"""Adapters from rows to the entry and competence engines' facts (no rules here)."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

from assay.catalogue.models import Qualification
from assay.centres.models import Centre, QualificationApproval
from assay.engines.entry.rules import Approval, CentreApproval, QualificationFacts
from assay.engines.sanctions.rules import Sanction
from assay.eqa.selectors import sanction_facts


def qualification_facts(qual: Qualification) -> QualificationFacts:
    content: dict[str, Any] = qual.spec.content
    real_job = bool(content.get("real_job_rule")) or any(
        u.get("real_job_required") for u in content["units"]
    )
    return QualificationFacts(
        code=qual.code,
        title=qual.title,
        level=qual.level,
        last_registration=qual.last_registration,
        last_certification=qual.last_certification,
        minimum_age=qual.minimum_age,
        real_job_required=real_job,
        equivalents=frozenset(content.get("equivalent_qualifications", [])),
        qualification_id=str(content.get("id", "")),
        predecessors=frozenset(content.get("predecessor_qualifications", [])),
    )


def current_approval(centre: Centre, code: str, on: dt.date) -> CentreApproval | None:
    """The approval decision in force on ``on`` (the latest one starting on or before it)."""
    row = (
        QualificationApproval.objects.filter(centre=centre, qualification_code=code, since__lte=on)
        .order_by("-since", "-recorded_at", "-pk")
        .first()
    )
    return None if row is None else approval_fact(row)


def approvals_in_force(centre: Centre, code: str) -> Callable[[dt.date], CentreApproval | None]:
    """``current_approval`` for any date, from one query: the centre's whole approval history
    for ``code`` is read once (a bulk import asks for every row's registration date)."""
    rows = QualificationApproval.objects.filter(centre=centre, qualification_code=code).order_by(
        "since", "recorded_at", "pk"
    )
    starts: list[dt.date] = []
    facts: list[CentreApproval] = []
    for row in rows:
        starts.append(row.since)
        facts.append(approval_fact(row))

    def on(day: dt.date) -> CentreApproval | None:
        # The last decision starting on or before ``day`` in (since, recorded_at, pk) order is
        # the first one ``current_approval`` finds in the reverse order.
        index = bisect_right(starts, day)
        return facts[index - 1] if index else None

    return on


def approval_fact(row: QualificationApproval) -> CentreApproval:
    """One recorded approval decision as the entry rules read it."""
    return CentreApproval(Approval(row.status), row.since, row.until, row.reason)


def centre_sanctions(centre: Centre) -> list[Sanction]:
    """Every sanction applied at the centre, as the entry rules read them (one query; the
    rules pick those in force on the registration date)."""
    return sanction_facts(centre)
