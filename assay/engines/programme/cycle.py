"""A client's audit programme over the certification cycle: the initial certification audit,
then one re-certification a year, each due before the certificate it renews expires (the
one-year rule of ``assay.engines.audit.validity``, ADR 0020).

Each chain starts at an initial audit and follows the ``previous`` links of re-certifications
(one per year). After the last audit of a chain, when it led to a certificate, the next
re-certification is listed as still to plan, due by that certificate's expiry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from assay.engines.audit.validity import validity
from assay.engines.dates import ddmmyyyy

__all__ = ["AuditFacts", "CycleRow", "programme"]


@dataclass(frozen=True, slots=True)
class AuditFacts:
    id: int
    kind: str  # initial | recertification
    previous: int | None
    decided: bool
    opening_on: date | None = None
    closing_on: date | None = None
    issued_on: date | None = None
    """The certificate's day of issue, when one was issued after this audit."""
    scope: str = ""


@dataclass(frozen=True, slots=True)
class CycleRow:
    """One year of one cycle: ``audit`` None when the re-certification is still to plan."""

    chain: int  # the initial audit's id
    year: int  # 0: initial certification; n: the n-th re-certification
    kind: str
    audit: int | None
    state: str  # done | planned | to_plan
    due_by: date | None
    overdue: bool
    opening_on: date | None
    closing_on: date | None
    scope: str
    reason: str


def _due(prev: AuditFacts | None) -> date | None:
    """A re-certification is due by the expiry of the certificate the previous audit led to."""
    if prev is None or prev.issued_on is None:
        return None
    return validity(prev.issued_on).expires_on


def programme(audits: Sequence[AuditFacts], today: date) -> list[CycleRow]:
    """The rows of every cycle, chains in the order of their initial audit's id."""
    by_previous = {a.previous: a for a in audits if a.previous is not None}
    rows: list[CycleRow] = []
    for first in sorted((a for a in audits if a.previous is None), key=lambda a: a.id):
        year, prev = 0, None
        current: AuditFacts | None = first
        while current is not None:
            due = _due(prev) if year else None
            state = "done" if current.decided else "planned"
            overdue = due is not None and not current.decided and today >= due
            kind = "initial" if year == 0 else "recertification"
            reason = "initial certification" if year == 0 else f"re-certification, year {year}"
            if due is not None:
                reason += f"; due before the certificate expires on {ddmmyyyy(due)}"
            rows.append(
                CycleRow(
                    first.id,
                    year,
                    kind,
                    current.id,
                    state,
                    due,
                    overdue,
                    current.opening_on,
                    current.closing_on,
                    first.scope,
                    reason,
                )
            )
            year, prev, current = year + 1, current, by_previous.get(current.id)
        due = _due(prev)
        if prev is not None and prev.decided and due is not None:
            overdue = today >= due
            rows.append(
                CycleRow(
                    first.id,
                    year,
                    "recertification",
                    None,
                    "to_plan",
                    due,
                    overdue,
                    None,
                    None,
                    first.scope,
                    f"re-certification, year {year}, to plan: due before the certificate "
                    f"expires on {ddmmyyyy(due)}" + (" (overdue)" if overdue else ""),
                )
            )
    return rows
