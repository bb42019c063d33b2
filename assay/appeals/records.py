"""The appeals' and complaints' chains: what each record holds, the fold of an appeal's
chain into ``engines.appeals`` events, and the reconciliation ``assay records verify`` runs:
every Appeal row's copied stage, status and deadline against the fold of its chain, and every
complaint row against its record."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from assay import clock
from assay.engines.appeals import AppealState, Event, Kind, Stage, appeal_state
from assay.engines.records import chain
from assay.records.registry import Problem, only_id, reconciler_register

PREFIX = "appeal"
COMPLAINTS = "complaints"


def appeal_chain(pk: int) -> str:
    return f"{PREFIX}:{pk}"


def complaints_chain(centre_pk: int) -> str:
    return f"{COMPLAINTS}:{centre_pk}"


def actor_of(label: str) -> int | None:
    from assay.records.services import actor_id_of

    return actor_id_of(label)


def event_of(record: chain.Record) -> Event:
    """The engine's event of one chained record (its payload holds everything the fold reads)."""
    p: Mapping[str, Any] = record.payload
    stage = p.get("stage")
    decision_on = p.get("decision_on")
    return Event(
        Kind(record.kind),
        dt.date.fromisoformat(p["on"]),
        actor_of(record.actor),
        reason=p.get("reason", ""),
        stage=Stage(stage) if stage else None,
        upheld=p.get("upheld"),
        decision_on=dt.date.fromisoformat(decision_on) if decision_on else None,
    )


def fold(records: Sequence[chain.Record], today: dt.date | None = None) -> AppealState:
    return appeal_state([event_of(r) for r in records], today or clock.today())


def _appeal_problems(
    chains: Mapping[str, Sequence[chain.Record]], only: str | None
) -> list[Problem]:
    from assay.appeals.models import Appeal

    rows = Appeal.objects.order_by("pk").values_list(
        "pk",
        "registration_id",
        "unit_number",
        "decision_id",
        "grounds",
        "lodged_by_id",
        "stage",
        "status",
        "due_on",
    )
    pk = only_id(only)
    if pk is not None:
        rows = rows.filter(pk=pk)
    problems: list[Problem] = []
    seen: set[str] = set()
    for row_pk, registration, unit, decision, grounds, lodged_by, stage, status, due in rows:
        name = appeal_chain(row_pk)
        seen.add(name)
        records = chains.get(name)
        if not records:
            problems.append(Problem(name, f"appeal {row_pk} has no chained record"))
            continue
        first = records[0].payload
        lodged = {
            "registration": registration,
            "unit": unit,
            "decision": decision,
            "grounds": grounds,
            "lodged_by": lodged_by,
        }
        for field, value in lodged.items():
            if first.get(field) != value:
                problems.append(
                    Problem(name, f"appeal {row_pk}: its {field} is not the one lodged")
                )
        state = fold(records)
        copied = {
            "stage": (stage, str(state.stage)),
            "status": (status, str(state.status)),
            "due date": (due, state.due_on),
        }
        for field, (row_value, chained) in copied.items():
            if row_value != chained:
                problems.append(
                    Problem(
                        name,
                        f"appeal {row_pk}: its {field} {row_value} is not the chain's {chained}",
                    )
                )
    for name in sorted(set(chains) - seen):
        problems.append(Problem(name, "a chained appeal with no appeal row"))
    return problems


def _complaint_problems(
    chains: Mapping[str, Sequence[chain.Record]], only: str | None
) -> list[Problem]:
    from assay.appeals.models import Complaint

    rows = Complaint.objects.order_by("pk").values_list("pk", "centre_id", "by_id", "text")
    centre = only_id(only)
    if centre is not None:
        rows = rows.filter(centre_id=centre)
    recorded: dict[int, tuple[str, Mapping[str, Any]]] = {}
    for name, records in chains.items():
        for record in records:
            recorded[int(record.payload["complaint"])] = (name, record.payload)
    problems: list[Problem] = []
    for pk, centre_id, by, text in rows:
        name = complaints_chain(centre_id)
        found = recorded.pop(pk, None)
        if found is None or found[0] != name:
            problems.append(Problem(name, f"complaint {pk} has no chained record"))
        elif found[1].get("text") != text or found[1].get("by") != by:
            problems.append(Problem(name, f"complaint {pk} is not the one recorded"))
    for pk, (name, _) in sorted(recorded.items()):
        problems.append(Problem(name, f"complaint {pk} is recorded but its row is gone"))
    return problems


def register() -> None:
    reconciler_register(PREFIX, _appeal_problems)
    reconciler_register(COMPLAINTS, _complaint_problems)
