"""Rows → the coverage engine: a registration's units, evidence, mappings, judgements, spans.

The latest judgement of each criterion and the latest evidence period of each unit are read
from the decision record, so what the engine sees is exactly what was decided, in order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from assay.engines.coverage import (
    Context,
    Evidence,
    Judgement,
    Mapping,
    MappingStatus,
    UnitCoverage,
    UnitRequirements,
    requirements_from_spec,
    unit_coverage,
)
from assay.errors import InvalidInput
from assay.portfolios.models import CriterionMapping, Decision, DecisionKind, EvidenceItem
from assay.registrations.models import Registration

CONTEXTS = {
    "real_job": Context.REAL_JOB,
    "realistic_environment": Context.REALISTIC_ENVIRONMENT,
    "simulation": Context.SIMULATION,
}


def unit_spec(registration: Registration, unit: str) -> dict[str, Any]:
    """The unit's dict from the registration's qualification spec content."""
    for entry in registration.qualification.spec.content.get("units") or ():
        if str(entry["number"]) == unit:
            return dict(entry)
    raise InvalidInput({"unit": f"unknown unit {unit!r} in {registration.qualification.code}"})


def unit_targets(spec: dict[str, Any]) -> tuple[str, ...]:
    """Criterion numbers, then range items ("6b") of the unit's evidence requirements."""
    criteria = [
        str(c["number"]) for o in spec.get("outcomes") or () for c in o.get("criteria") or ()
    ]
    items = [
        f"{er['number']}{item['key']}"
        for er in spec.get("evidence_requirements") or ()
        if er.get("range")
        for item in er["range"]["items"]
    ]
    return tuple(criteria + items)


def planned_units(registration: Registration) -> list[str]:
    return list(registration.plan_units.values_list("unit_number", flat=True))


def registration_coverage(
    registration: Registration, units: Iterable[str] | None = None
) -> dict[str, UnitCoverage]:
    """Coverage of each planned unit (or of ``units``), computed from the rows."""
    numbers = list(units) if units is not None else planned_units(registration)
    evidence = [
        Evidence(
            id=str(pk),
            context=CONTEXTS[context],
            start=started,
            end=ended,
            simulation_exception=exception,
        )
        for pk, context, started, ended, exception in EvidenceItem.objects.filter(
            registration_id=registration.pk
        ).values_list("pk", "context", "started_on", "ended_on", "simulation_exception")
    ]
    mappings = [
        Mapping(str(item), unit, target, MappingStatus(status))
        for item, unit, target, status in CriterionMapping.objects.filter(
            item__registration_id=registration.pk
        ).values_list("item_id", "unit_number", "target", "status")
    ]
    judged: dict[tuple[str, str], bool] = {}
    spans: dict[str, int] = {}
    for kind, unit, payload in (
        Decision.objects.filter(
            registration_id=registration.pk,
            kind__in=[DecisionKind.CRITERION_JUDGED, DecisionKind.SPAN_RECORDED],
        )
        .order_by("seq")
        .values_list("kind", "unit_number", "payload")
    ):
        if kind == DecisionKind.CRITERION_JUDGED:
            judged[(unit, payload["criterion"])] = bool(payload["met"])
        else:
            spans[unit] = int(payload["sufficient_days"])
    judgements = [Judgement(u, c, met) for (u, c), met in judged.items()]
    # Each unit gets only its own mappings and the evidence they name (the engine ignores the
    # rest anyway), so a large portfolio is not walked once per unit.
    by_id = {e.id: e for e in evidence}
    by_unit: dict[str, list[Mapping]] = defaultdict(list)
    for m in mappings:
        by_unit[m.unit].append(m)
    out = {}
    for number in numbers:
        req: UnitRequirements = requirements_from_spec(unit_spec(registration, number))
        mine = by_unit.get(number, [])
        named = [by_id[i] for i in dict.fromkeys(m.evidence_id for m in mine)]
        out[number] = unit_coverage(req, named, mine, judgements, spans.get(number))
    return out
