"""Coverage of one unit from aggregated rows, so that its cost does not grow with the number
of evidence items (issue 12).

A database answers per unit, target, status and context with a count and the earliest few
evidence ids of each group (``TargetTally``), and per unit and context with the earliest start
and latest end of the confirmed items (``RelianceTally``). With the earliest few items relied
on from a context the unit does not accept (``Relied``) and how many there are, that is
everything ``unit_coverage`` decides from: the decisions are exactly those of the item-by-item
path (a property test holds the two equal), and ``tally`` turns items and mappings into the
same rows for that test.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .model import (
    EXAMPLES,
    Context,
    Evidence,
    Judgement,
    Mapping,
    MappingStatus,
    Span,
    UnitRequirements,
    evidence_order,
    range_target,
)
from .unit import (
    RangeState,
    UnitCoverage,
    _judgements,
    _targets,
    accepts,
    assemble,
    context_problems,
    criterion_state,
)
from .words import range_explanation


@dataclass(frozen=True, slots=True)
class Example:
    """One evidence id named as an example, with its start (to merge groups in order)."""

    id: str
    start: date


@dataclass(frozen=True, slots=True)
class TargetTally:
    """The mappings of one target of one unit with one status, from evidence of one context
    (and exception flag): how many, and the earliest ``EXAMPLES`` items, chronological."""

    unit: str
    target: str
    status: MappingStatus
    context: Context
    simulation_exception: bool
    count: int
    examples: tuple[Example, ...]


@dataclass(frozen=True, slots=True)
class RelianceTally:
    """Evidence items confirmed for a target of one unit, from one context (at least one):
    the earliest start and the latest end among them."""

    unit: str
    context: Context
    simulation_exception: bool
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class Relied:
    """An item confirmed for the unit from a context it does not accept, with the targets it
    is relied on for (only the earliest ``EXAMPLES`` such items are needed)."""

    evidence: Evidence
    unit: str
    targets: tuple[str, ...]


def coverage_from_tallies(
    req: UnitRequirements,
    tallies: Iterable[TargetTally],
    reliance: Iterable[RelianceTally],
    relied_outside: Iterable[Relied],
    outside_items: int,
    judgements: Iterable[Judgement],
    sufficient_span_days: int | None,
) -> UnitCoverage:
    """``unit_coverage`` of ``req`` from aggregated rows (rows of other units are ignored).

    ``relied_outside`` must hold the earliest ``EXAMPLES`` items (fewer when there are fewer)
    confirmed for the unit from contexts it does not accept, and ``outside_items`` how many
    such items there are. A tally naming a target the unit does not have raises ValueError, as
    the item-by-item path does.
    """
    judged = _judgements(req, judgements)
    known = _targets(req)
    groups: dict[tuple[str, MappingStatus], list[TargetTally]] = defaultdict(list)
    for t in tallies:
        if t.unit != req.number:
            continue
        if t.target not in known:
            shape = "range item" if range_target(t.target) else "criterion"
            raise ValueError(f"unit {req.number} has no {shape} {t.target!r}")
        groups[(t.target, t.status)].append(t)

    def ids(target: str, status: MappingStatus, usable: bool) -> tuple[tuple[str, ...], int]:
        if (target, status) not in groups:  # most targets of most learners: nothing yet
            return (), 0
        picked = [
            t
            for t in groups[(target, status)]
            if not usable or accepts(req, t.context, t.simulation_exception)
        ]
        merged = sorted(
            (e for t in picked for e in t.examples), key=lambda e: evidence_order(e.start, e.id)
        )
        return tuple(e.id for e in merged[:EXAMPLES]), sum(t.count for t in picked)

    criteria = [
        criterion_state(
            number,
            judged.get(number),
            ids(number, MappingStatus.CONFIRMED, True),
            ids(number, MappingStatus.PROPOSED, False),
        )
        for number in req.criteria
    ]
    ranges = []
    for rr in req.ranges:
        covered = tuple(
            k for k in rr.items if ids(f"{rr.requirement}{k}", MappingStatus.CONFIRMED, True)[1]
        )
        short = max(0, rr.needed - len(covered))
        explanation = range_explanation(rr, covered)
        ranges.append(
            RangeState(rr.requirement, rr.select, covered, short, short == 0, explanation)
        )

    used = [
        r
        for r in reliance
        if r.unit == req.number and accepts(req, r.context, r.simulation_exception)
    ]
    shown = sorted(
        (
            r
            for r in relied_outside
            if r.unit == req.number
            and not accepts(req, r.evidence.context, r.evidence.simulation_exception)
        ),
        key=lambda r: evidence_order(r.evidence.start, r.evidence.id),
    )[:EXAMPLES]
    problems = context_problems(req, [(r.evidence, r.targets) for r in shown], outside_items)
    span = Span(min(r.start for r in used), max(r.end for r in used)) if used else None
    return assemble(req, criteria, ranges, problems, span, sufficient_span_days)


def tally(
    evidence: Iterable[Evidence], mappings: Iterable[Mapping]
) -> tuple[list[TargetTally], list[RelianceTally], list[Relied]]:
    """The rows a database's GROUP BY gives for these items and mappings, with every item
    relied on (a caller keeps the earliest few per unit outside its accepted contexts)."""
    items = {e.id: e for e in evidence}
    groups: dict[tuple[str, str, MappingStatus, Context, bool], list[Evidence]] = defaultdict(list)
    relied: dict[tuple[str, str], list[str]] = defaultdict(list)
    for m in mappings:
        e = items[m.evidence_id]
        groups[(m.unit, m.target, m.status, e.context, e.simulation_exception)].append(e)
        if m.status is MappingStatus.CONFIRMED:
            relied[(m.unit, e.id)].append(m.target)
    tallies = []
    for (unit, target, status, context, exception), found in groups.items():
        found.sort(key=lambda e: evidence_order(e.start, e.id))
        examples = tuple(Example(e.id, e.start) for e in found[:EXAMPLES])
        tallies.append(TargetTally(unit, target, status, context, exception, len(found), examples))
    by_group: dict[tuple[str, Context, bool], list[Evidence]] = defaultdict(list)
    for unit, evidence_id in relied:
        e = items[evidence_id]
        by_group[(unit, e.context, e.simulation_exception)].append(e)
    reliance = [
        RelianceTally(unit, context, exception, min(e.start for e in es), max(e.end for e in es))
        for (unit, context, exception), es in by_group.items()
    ]
    everyone = [
        Relied(items[evidence_id], unit, tuple(targets))
        for (unit, evidence_id), targets in relied.items()
    ]
    return tallies, reliance, everyone
