"""Rows → the coverage engine: a registration's units, evidence, mappings, judgements, spans.

The latest judgement of each criterion and the latest evidence period of each unit are read
from the decision record, so what the engine sees is exactly what was decided, in order.

Coverage is computed from aggregated rows (issue 12): per unit, target, status and context a
count, the earliest start and latest end and the earliest few evidence ids (one query of the
tally the database's triggers keep, ``tally_triggers``), and only when some evidence is relied
on from a context a unit does not accept, the earliest few such items and their number (one
more). Its cost does not grow with the number of evidence items. ``coverages_by_items`` is the
item-by-item path it is tested against (tests/portfolios/test_coverage_aggregated.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from collections.abc import Mapping as AbcMapping
from typing import Any

from django.db.models import F, Q, Window
from django.db.models.functions import DenseRank

from assay.engines.coverage import (
    EXAMPLES,
    NO_CONTENT,
    Context,
    Evidence,
    Example,
    Judgement,
    Mapping,
    MappingStatus,
    RelianceTally,
    Relied,
    TargetTally,
    UnitCoverage,
    UnitRequirements,
    accepts,
    coverage_from_tallies,
    coverage_without_content,
    has_content,
    requirements_from_spec,
    unit_coverage,
    unit_statements,
)
from assay.errors import InvalidInput
from assay.portfolios.models import (
    CoverageExample,
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
_CONTEXT_NAMES = {engine: name for name, engine in CONTEXTS.items()}


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
    """Coverage of ``units[registration.pk]`` for many registrations at once, from aggregated
    rows: three queries whatever their number and the number of their evidence items (tallies,
    reliance, judgements and spans), one more when evidence is relied on from a context a unit
    does not accept."""
    ids = [r.pk for r in registrations]
    wanted = {pk: list(numbers) for pk, numbers in units.items()}
    numbers = {n for ns in wanted.values() for n in ns}
    reqs = _requirements(registrations, wanted)
    tallies: dict[int, list[TargetTally]] = defaultdict(list)
    reliance: dict[int, list[RelianceTally]] = defaultdict(list)
    relied: dict[int, list[Relied]] = defaultdict(list)
    outside: dict[tuple[int, str], int] = defaultdict(int)
    if numbers and any(reqs.values()):
        mappings = CriterionMapping.objects.filter(
            item__registration_id__in=ids, unit_number__in=numbers
        )
        tallies, reliance = _tallies(ids, numbers)
        relied, outside = _relied(mappings, reqs, reliance)
    judged, spans = _judged_and_spans(ids)
    # A unit with nothing recorded yet (no evidence, judgement or span) has the same coverage
    # for every learner: computed once per specification and unit (coverage is immutable), so
    # a freshly imported cohort costs a handful of engine calls, not one per learner and unit.
    untouched: dict[tuple[int, str], UnitCoverage] = {}
    out: dict[int, dict[str, UnitCoverage]] = {}
    for r in registrations:
        mine: dict[str, UnitCoverage] = {}
        touched = {t.unit for t in tallies[r.pk]} | {u for u, _ in judged[r.pk]}
        touched |= {t.unit for t in reliance[r.pk]} | spans[r.pk].keys()
        for number in wanted.get(r.pk, ()):
            req = reqs[r.pk].get(number)
            if req is None:
                mine[number] = coverage_without_content(number)  # ADR 0010: reported
                continue
            key = (r.qualification.spec_id, number)
            if number not in touched and key in untouched:
                mine[number] = untouched[key]
                continue
            mine[number] = coverage_from_tallies(
                req,
                tallies[r.pk],
                reliance[r.pk],
                relied[r.pk],
                outside[(r.pk, number)],
                [Judgement(u, c, met) for (u, c), met in judged[r.pk].items() if u == number],
                spans[r.pk].get(number),
            )
            if number not in touched:
                untouched[key] = mine[number]
        out[r.pk] = mine
    return out


_TALLY = tuple(
    f"tally__{name}"
    for name in (
        "registration_id",
        "unit_number",
        "target",
        "status",
        "context",
        "simulation_exception",
    )
)


def _requirements(
    registrations: Sequence[Registration], wanted: AbcMapping[int, list[str]]
) -> dict[int, dict[str, UnitRequirements]]:
    """Each wanted unit's requirements (a unit without content is left out; unit_spec raises
    InvalidInput for a unit the qualification does not have), built once per specification
    and unit, not once per registration: a centre's learners share a handful of units."""
    known: dict[tuple[int, str], UnitRequirements | None] = {}
    out: dict[int, dict[str, UnitRequirements]] = {}
    for r in registrations:
        out[r.pk] = {}
        for number in wanted.get(r.pk, ()):
            req = _unit_requirements(r, number, known)
            if req is not None:
                out[r.pk][number] = req
    return out


def _tallies(
    ids: list[int], numbers: set[str]
) -> tuple[dict[int, list[TargetTally]], dict[int, list[RelianceTally]]]:
    """Per (registration, unit, target, status, context, exception) group: its count, earliest
    start, latest end and earliest EXAMPLES items; the confirmed groups' dates give each
    unit's reliance per context."""
    rows = _tally_rows(ids, numbers)
    grouped: dict[tuple[Any, ...], tuple[int, list[Example]]] = {}
    spans: dict[tuple[int, str, str, bool], tuple[Any, Any]] = {}
    for reg, unit, target, status, context, exception, n, first, last, earliest in rows:
        key = (reg, unit, target, status, context, bool(exception))
        found = grouped.setdefault(key, (n, []))[1]
        found += [Example(str(item), started) for item, started in earliest]
        if status == Status.CONFIRMED:
            was = spans.get((reg, unit, context, bool(exception)), (first, last))
            spans[(reg, unit, context, bool(exception))] = (min(was[0], first), max(was[1], last))
    tallies: dict[int, list[TargetTally]] = defaultdict(list)
    for (reg, unit, target, status, context, exception), (n, examples) in grouped.items():
        examples.sort(key=lambda e: (e.start, int(e.id)))
        tallies[reg].append(
            TargetTally(
                unit,
                target,
                MappingStatus(status),
                CONTEXTS[context],
                exception,
                int(n),
                tuple(examples),
            )
        )
    reliance: dict[int, list[RelianceTally]] = defaultdict(list)
    for (reg, unit, context, exception), (start, end) in spans.items():
        reliance[reg].append(RelianceTally(unit, CONTEXTS[context], exception, start, end))
    return tallies, reliance


def _tally_rows(ids: list[int], numbers: set[str]) -> list[tuple[Any, ...]]:
    """Per group: its key, count, earliest start, latest end and [(item, start)] of its
    earliest EXAMPLES items, from the tally the database's triggers keep (``tally_triggers``):
    one row per example, a few per target whatever the number of items."""
    rows = (
        CoverageExample.objects.filter(
            tally__registration_id__in=ids, tally__unit_number__in=numbers, tally__n__gt=0
        )
        .values_list(*_TALLY, "tally__n", "tally__last_end", "item_id", "started_on")
        .order_by()
    )
    groups: dict[tuple[Any, ...], tuple[int, Any, list[tuple[int, Any]]]] = {}
    for *key, n, last, item, started in rows:
        groups.setdefault(tuple(key), (n, last, []))[2].append((item, started))
    # A group's earliest start is its earliest example's.
    return [
        (*key, n, min(start for _, start in earliest), last, earliest)
        for key, (n, last, earliest) in groups.items()
    ]


def _relied(
    mappings: Any,
    reqs: dict[int, dict[str, UnitRequirements]],
    reliance: dict[int, list[RelianceTally]],
) -> tuple[dict[int, list[Relied]], dict[tuple[int, str], int]]:
    """The earliest EXAMPLES items per registration and unit confirmed from a context the unit
    does not accept, with their targets, and how many such items there are (the two dense
    ranks of a row add up to that number plus one): one query, none when there are none."""
    groups = [
        Q(
            item__registration_id=reg,
            unit_number=r.unit,
            item__context=_CONTEXT_NAMES[r.context],
            item__simulation_exception=r.simulation_exception,
        )
        for reg, rows in reliance.items()
        for r in rows
        if (req := reqs.get(reg, {}).get(r.unit)) is not None
        and not accepts(req, r.context, r.simulation_exception)
    ]
    out: dict[int, list[Relied]] = defaultdict(list)
    counts: dict[tuple[int, str], int] = defaultdict(int)
    if not groups:
        return out, counts
    outside = groups[0]
    for q in groups[1:]:
        outside |= q
    per_unit = [F("item__registration_id"), F("unit_number")]
    rows = (
        mappings.filter(outside, status=Status.CONFIRMED)
        .annotate(
            rank=Window(
                DenseRank(),
                partition_by=per_unit,
                order_by=[F("item__started_on").asc(), F("item_id").asc()],
            ),
            back=Window(
                DenseRank(),
                partition_by=per_unit,
                order_by=[F("item__started_on").desc(), F("item_id").desc()],
            ),
        )
        .filter(rank__lte=EXAMPLES)
        .values_list(
            "rank",
            "back",
            "item__registration_id",
            "unit_number",
            "item_id",
            "target",
            "item__context",
            "item__started_on",
            "item__ended_on",
            "item__simulation_exception",
        )
        .order_by()
    )
    found: dict[tuple[int, str, int], tuple[Evidence, list[str]]] = {}
    for rank, back, reg, unit, item, target, context, started, ended, exception in rows:
        counts[(reg, unit)] = rank + back - 1
        evidence = Evidence(str(item), CONTEXTS[context], started, ended, bool(exception))
        found.setdefault((reg, unit, item), (evidence, []))[1].append(target)
    for (reg, unit, _), (evidence, targets) in found.items():
        out[reg].append(Relied(evidence, unit, tuple(targets)))
    return out, counts


def _judged_and_spans(
    ids: list[int],
) -> tuple[dict[int, dict[tuple[str, str], bool]], dict[int, dict[str, int]]]:
    """The latest judgement of each criterion and the latest sufficient span of each unit."""
    judged: dict[int, dict[tuple[str, str], bool]] = defaultdict(dict)
    spans: dict[int, dict[str, int]] = defaultdict(dict)
    rows = (
        Decision.objects.filter(
            registration_id__in=ids,
            kind__in=[DecisionKind.CRITERION_JUDGED, DecisionKind.SPAN_RECORDED],
        )
        .order_by()  # sorted below: ordered, SQLite would walk every decision (selectors)
        .values_list("registration_id", "seq", "kind", "unit_number", "payload")
    )
    for reg, _, kind, unit, payload in sorted(rows, key=lambda r: (r[0], r[1])):
        if kind == DecisionKind.CRITERION_JUDGED:
            judged[reg][(unit, payload["criterion"])] = bool(payload["met"])
        else:
            spans[reg][unit] = int(payload["sufficient_days"])
    return judged, spans


def coverages_by_items(
    registrations: Sequence[Registration], units: AbcMapping[int, Iterable[str]]
) -> dict[int, dict[str, UnitCoverage]]:
    """``coverages_of`` item by item (every evidence item and mapping loaded): the reference
    the aggregated read is tested against, not for pages."""
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
    judged, spans = _judged_and_spans(ids)
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


def _unit_requirements(
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
        req = _unit_requirements(registration, number, {} if known is None else known)
        if req is None:
            out[number] = coverage_without_content(number)  # ADR 0010: reported, not raised
            continue
        mine = by_unit.get(number, [])
        named = [by_id[i] for i in dict.fromkeys(m.evidence_id for m in mine)]
        out[number] = unit_coverage(req, named, mine, judgements, spans.get(number))
    return out
