"""Rows → the coverage engine: a registration's units, evidence, mappings, judgements, spans.

The latest judgement of each criterion and the latest evidence period of each unit are read
from the decision record, so what the engine sees is exactly what was decided, in order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from collections.abc import Mapping as AbcMapping
from typing import Any

from assay.engines.coverage import (
    NO_CONTENT,
    Context,
    Evidence,
    Judgement,
    Mapping,
    MappingStatus,
    UnitCoverage,
    UnitRequirements,
    coverage_without_content,
    has_content,
    requirements_from_spec,
    unit_coverage,
    unit_statements,
)
from assay.errors import InvalidInput
from assay.portfolios.models import (
    CriterionMapping,
    Decision,
    DecisionKind,
    EvidenceItem,
)
from assay.portfolios.models import MappingStatus as Status
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


def refuse_without_content(registration: Registration, unit: str) -> None:
    """Refuse to map or judge a unit whose content is not in the catalogue: there is nothing
    to map evidence to or judge, and it is achieved only by credit transfer (ADR 0010)."""
    if not has_content(unit_spec(registration, unit)):
        raise InvalidInput({"unit": f"unit {unit}: {NO_CONTENT}; it cannot be mapped or judged"})


def unit_targets(spec: dict[str, Any]) -> tuple[str, ...]:
    """Criterion (or element) numbers, then range items ("6b") of the unit's evidence
    requirements: what evidence can be mapped to."""
    return tuple(statement.target for statement in unit_statements(spec))


def confirmed_for(registration: Registration, unit: str, criterion: str) -> list[str]:
    """Ids of the evidence items whose mapping to ``unit`` ``criterion`` is confirmed."""
    rows = CriterionMapping.objects.filter(
        item__registration_id=registration.pk,
        unit_number=unit,
        target=criterion,
        status=Status.CONFIRMED,
    ).values_list("item_id", flat=True)
    return [str(pk) for pk in rows]


def planned_units(registration: Registration) -> list[str]:
    return list(registration.plan_units.values_list("unit_number", flat=True))


def registration_coverage(
    registration: Registration, units: Iterable[str] | None = None
) -> dict[str, UnitCoverage]:
    """Coverage of each planned unit (or of ``units``), computed from the rows."""
    numbers = list(units) if units is not None else planned_units(registration)
    return coverages_of([registration], {registration.pk: numbers})[registration.pk]


def coverages_of(
    registrations: Sequence[Registration], units: AbcMapping[int, Iterable[str]]
) -> dict[int, dict[str, UnitCoverage]]:
    """Coverage of ``units[registration.pk]`` for many registrations at once: three queries
    whatever their number (evidence, mappings, judgements and spans), for caseload pages."""
    ids = [r.pk for r in registrations]
    evidence: dict[int, dict[str, Evidence]] = defaultdict(dict)
    for pk, reg, context, started, ended, exception in EvidenceItem.objects.filter(
        registration_id__in=ids
    ).values_list(
        "pk", "registration_id", "context", "started_on", "ended_on", "simulation_exception"
    ):
        evidence[reg][str(pk)] = Evidence(
            id=str(pk),
            context=CONTEXTS[context],
            start=started,
            end=ended,
            simulation_exception=exception,
        )
    mappings: dict[int, list[Mapping]] = defaultdict(list)
    for reg, item, unit, target, status in CriterionMapping.objects.filter(
        item__registration_id__in=ids
    ).values_list("item__registration_id", "item_id", "unit_number", "target", "status"):
        mappings[reg].append(Mapping(str(item), unit, target, MappingStatus(status)))
    judged: dict[int, dict[tuple[str, str], bool]] = defaultdict(dict)
    spans: dict[int, dict[str, int]] = defaultdict(dict)
    for reg, kind, unit, payload in (
        Decision.objects.filter(
            registration_id__in=ids,
            kind__in=[DecisionKind.CRITERION_JUDGED, DecisionKind.SPAN_RECORDED],
        )
        .order_by("registration_id", "seq")
        .values_list("registration_id", "kind", "unit_number", "payload")
    ):
        if kind == DecisionKind.CRITERION_JUDGED:
            judged[reg][(unit, payload["criterion"])] = bool(payload["met"])
        else:
            spans[reg][unit] = int(payload["sufficient_days"])
    # Each unit's requirements are built once per specification, not once per registration.
    requirements: dict[tuple[int, str], UnitRequirements | None] = {}
    return {
        r.pk: _unit_coverages(
            r,
            units.get(r.pk, ()),
            evidence[r.pk],
            mappings[r.pk],
            judged[r.pk],
            spans[r.pk],
            requirements,
        )
        for r in registrations
    }


def _requirements(
    registration: Registration,
    number: str,
    known: dict[tuple[int, str], UnitRequirements | None],
) -> UnitRequirements | None:
    """The unit's requirements (None: no content), from ``known`` when already built."""
    key = (registration.qualification.spec_id, number)
    if key not in known:
        spec = unit_spec(registration, number)
        known[key] = requirements_from_spec(spec) if has_content(spec) else None
    return known[key]


def _unit_coverages(
    registration: Registration,
    numbers: Iterable[str],
    by_id: dict[str, Evidence],
    mappings: list[Mapping],
    judged: dict[tuple[str, str], bool],
    spans: dict[str, int],
    known: dict[tuple[int, str], UnitRequirements | None] | None = None,
) -> dict[str, UnitCoverage]:
    judgements = [Judgement(u, c, met) for (u, c), met in judged.items()]
    # Each unit gets only its own mappings and the evidence they name (the engine ignores the
    # rest anyway), so a large portfolio is not walked once per unit.
    by_unit: dict[str, list[Mapping]] = defaultdict(list)
    for m in mappings:
        by_unit[m.unit].append(m)
    out = {}
    for number in numbers:
        req = _requirements(registration, number, {} if known is None else known)
        if req is None:
            out[number] = coverage_without_content(number)  # ADR 0010: reported, not raised
            continue
        mine = by_unit.get(number, [])
        named = [by_id[i] for i in dict.fromkeys(m.evidence_id for m in mine)]
        out[number] = unit_coverage(req, named, mine, judgements, spans.get(number))
    return out
