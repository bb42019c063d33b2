"""External verification's chain: one per centre (``eqa:<centre pk>``), a record for every
visit recorded or completed, action point done, sanction applied or lifted.

Sanctions refuse registrations and claims, and a visit's risk rating decides direct claims
status, so what the app reads from these rows must be what was recorded: ``assay records
verify`` folds each centre's chain into the rows it expects (every field the app reads) and
names each row that differs, each row with no record and each record whose row is gone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from assay.engines.records import chain
from assay.records.registry import Problem, moment_text, only_id, reconciler_register

PREFIX = "eqa"

VISIT_FIELDS = (
    "centre",
    "verifier",
    "on",
    "mode",
    "status",
    "sample_request",
    "findings",
    "risk",
    "risk_reasons",
)
POINT_FIELDS = ("visit", "text", "owner", "due_on", "done_at", "done_by")
SANCTION_FIELDS = (
    "centre",
    "qualification_code",
    "level",
    "reason",
    "applied_on",
    "applied_by",
    "lifted_on",
    "lifted_by",
    "lifted_at",
    "lift_reason",
)


def eqa_chain(centre_pk: int) -> str:
    return f"{PREFIX}:{centre_pk}"


def _text(value: Any) -> Any:
    """A value as the chain holds it: dates as ISO text, moments as UTC ISO text."""
    if isinstance(value, dt.datetime):
        return moment_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def row_of(row: Any, fields: Sequence[str]) -> dict[str, Any]:
    """What the chain holds of a row: every field the app reads, as text."""
    return {f: _text(_value(row, f)) for f in fields}


def point_entry(row: Any) -> dict[str, Any]:
    """An action point as a visit's record lists it."""
    return {"point": row.pk, **row_of(row, POINT_FIELDS)}


def _value(row: Any, field: str) -> Any:
    """A field's stored value, foreign keys as their id (no query)."""
    return getattr(row, f"{field}_id") if hasattr(row, f"{field}_id") else getattr(row, field)


def fold(
    records: Iterable[chain.Record],
) -> tuple[dict[int, dict[str, Any]], dict[int, dict[str, Any]], dict[int, dict[str, Any]]]:
    """The visits, action points and sanctions (by pk, as payloads) a centre's chain says."""
    visits: dict[int, dict[str, Any]] = {}
    points: dict[int, dict[str, Any]] = {}
    sanctions: dict[int, dict[str, Any]] = {}
    for record in records:
        p: Mapping[str, Any] = record.payload
        if record.kind in ("visit_recorded", "visit_completed"):
            visits[int(p["visit"])] = dict(p["row"])
            for point in p.get("action_points", ()):
                points[int(point["point"])] = {k: v for k, v in point.items() if k != "point"}
        elif record.kind == "action_point_done":
            points[int(p["point"])] = dict(p["row"])
        elif record.kind in ("sanction_applied", "sanction_lifted"):
            sanctions[int(p["sanction"])] = dict(p["row"])
    return visits, points, sanctions


def _compare(
    name: str,
    what: str,
    rows: Mapping[int, dict[str, Any]],
    chained: dict[int, dict[str, Any]],
    problems: list[Problem],
) -> None:
    for pk, row in sorted(rows.items()):
        said = chained.pop(pk, None)
        if said is None:
            problems.append(Problem(name, f"{what} {pk} has no chained record"))
            continue
        for field, value in row.items():
            if said.get(field) != value:
                problems.append(Problem(name, f"{what} {pk}: its {field} is not the one recorded"))
    for pk in sorted(chained):
        problems.append(Problem(name, f"{what} {pk} is recorded but its row is gone"))


def _problems(chains: Mapping[str, Sequence[chain.Record]], only: str | None) -> list[Problem]:
    from assay.eqa.models import ActionPoint, Sanction, Visit

    centre = only_id(only)
    visits = Visit.objects.order_by("pk")
    points = ActionPoint.objects.order_by("pk").select_related("visit")
    sanctions = Sanction.objects.order_by("pk")
    if centre is not None:
        visits = visits.filter(centre_id=centre)
        points = points.filter(visit__centre_id=centre)
        sanctions = sanctions.filter(centre_id=centre)
    rows: dict[str, dict[str, dict[int, dict[str, Any]]]] = {}

    def add(name: str, what: str, pk: int, row: dict[str, Any]) -> None:
        rows.setdefault(name, {}).setdefault(what, {})[pk] = row

    for v in visits:
        add(eqa_chain(v.centre_id), "visit", v.pk, row_of(v, VISIT_FIELDS))
    for a in points:
        add(eqa_chain(a.visit.centre_id), "action point", a.pk, row_of(a, POINT_FIELDS))
    for s in sanctions:
        add(eqa_chain(s.centre_id), "sanction", s.pk, row_of(s, SANCTION_FIELDS))
    problems: list[Problem] = []
    for name in sorted(set(rows) | set(chains)):
        chained_visits, chained_points, chained_sanctions = fold(chains.get(name, ()))
        mine = rows.get(name, {})
        for what, chained in (
            ("visit", chained_visits),
            ("action point", chained_points),
            ("sanction", chained_sanctions),
        ):
            _compare(name, what, mine.get(what, {}), chained, problems)
    return problems


def register() -> None:
    reconciler_register(PREFIX, _problems)
