"""What one unit has and still needs, and whether the assessor may sign it off.

Only CONFIRMED mappings of evidence from a context the unit accepts count as coverage:
a proposal is the candidate's claim, not the assessor's, and evidence from a forbidden
context cannot support a sign-off however well it fits. Such evidence, once confirmed, is
reported as a context problem until its mapping is rejected, because it is then relied on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

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
from .words import (
    NO_CONTENT,
    context_problem,
    criterion_missing,
    more_context_problems,
    range_explanation,
    span_problem,
)


@dataclass(frozen=True, slots=True)
class CriterionState:
    """Done when judged met and backed by confirmed evidence; ``missing`` says what is next.

    ``evidenced`` and ``proposed`` count the items; ``evidenced_by`` and ``proposed_by`` name
    the earliest ``EXAMPLES`` of them (a page lists the rest a page at a time)."""

    number: str
    evidenced_by: tuple[str, ...]
    proposed_by: tuple[str, ...]
    judged_met: bool | None
    done: bool
    missing: str | None
    evidenced: int = 0
    proposed: int = 0


@dataclass(frozen=True, slots=True)
class RangeState:
    """Covered items (in the printed order) of one lettered evidence requirement."""

    requirement: str
    select: int | None
    covered: tuple[str, ...]
    missing_count: int
    done: bool
    explanation: str


@dataclass(frozen=True, slots=True)
class UnitCoverage:
    """Ready to sign off exactly when nothing is missing; ``reasons`` lists all of it.

    ``assessable`` is False for a unit whose content is not in the catalogue (ADR 0010): it
    has no criteria, its one reason is ``NO_CONTENT`` and it is never ready.
    """

    unit: str
    criteria: tuple[CriterionState, ...]
    ranges: tuple[RangeState, ...]
    context_problems: tuple[str, ...]
    span: Span | None
    span_sufficient: bool
    ready_to_sign_off: bool
    reasons: tuple[str, ...]
    progress: float
    assessable: bool = True

    def __post_init__(self) -> None:
        if self.ready_to_sign_off == bool(self.reasons):
            raise ValueError("a unit is ready exactly when nothing is missing")
        if not self.assessable and (self.criteria or self.ready_to_sign_off):
            raise ValueError("a unit without content has no criteria and is never ready")

    @property
    def started(self) -> bool:
        """Any evidence confirmed or proposed for a criterion, or any range item covered."""
        return any(c.evidenced_by or c.proposed_by for c in self.criteria) or any(
            r.covered for r in self.ranges
        )


def coverage_without_content(number: str) -> UnitCoverage:
    """The coverage of a unit the catalogue has no criteria for: nothing to map or judge,
    never ready, its one reason the route by which it can still be achieved (ADR 0010).

    Reported rather than raised so that one such unit on a plan never takes a page down.
    """
    return UnitCoverage(
        unit=number,
        criteria=(),
        ranges=(),
        context_problems=(),
        span=None,
        span_sufficient=False,
        ready_to_sign_off=False,
        reasons=(NO_CONTENT,),
        progress=0.0,
        assessable=False,
    )


def admissible(req: UnitRequirements, item: Evidence) -> bool:
    """From a context the unit accepts, or simulation staged as the unit's exception."""
    return accepts(req, item.context, item.simulation_exception)


def accepts(req: UnitRequirements, context: Context, simulation_exception: bool) -> bool:
    """``admissible`` for any evidence of ``context`` with that exception flag."""
    if context in req.allowed_contexts:
        return True
    return context is Context.SIMULATION and req.simulation_exception and simulation_exception


def unit_coverage(
    req: UnitRequirements,
    evidence: Iterable[Evidence],
    mappings: Iterable[Mapping],
    judgements: Iterable[Judgement],
    sufficient_span_days: int | None,
) -> UnitCoverage:
    """Coverage of ``req`` (mappings and judgements of other units are ignored).

    ``sufficient_span_days`` is the period the assessor recorded as sufficient; None means
    not yet recorded, so the unit is not ready. Inconsistent input (unknown evidence or
    targets, a mapping or judgement given twice) raises ValueError: it is a caller's bug,
    and guessing would show a candidate the wrong progress.
    """
    items = _by_id(evidence)
    mine = _mappings(req, items, mappings)
    judged = _judgements(req, judgements)
    chronological = sorted(items.values(), key=lambda e: evidence_order(e.start, e.id))
    order = {e.id: i for i, e in enumerate(chronological)}

    by_target: dict[str, list[Mapping]] = defaultdict(list)
    by_evidence: dict[str, list[str]] = defaultdict(list)  # targets relied on, per item
    for m in mine:
        by_target[m.target].append(m)
        if m.status is MappingStatus.CONFIRMED:
            by_evidence[m.evidence_id].append(m.target)

    def ids(target: str, status: MappingStatus, usable: bool) -> tuple[str, ...]:
        found = {
            m.evidence_id
            for m in by_target[target]
            if m.status is status and (not usable or admissible(req, items[m.evidence_id]))
        }
        return tuple(sorted(found, key=order.__getitem__))

    criteria = []
    for number in req.criteria:
        evidenced = ids(number, MappingStatus.CONFIRMED, True)
        proposed = ids(number, MappingStatus.PROPOSED, False)
        criteria.append(
            criterion_state(
                number,
                judged.get(number),
                (evidenced[:EXAMPLES], len(evidenced)),
                (proposed[:EXAMPLES], len(proposed)),
            )
        )
    ranges = []
    for rr in req.ranges:
        covered = tuple(
            k for k in rr.items if ids(f"{rr.requirement}{k}", MappingStatus.CONFIRMED, True)
        )
        short = max(0, rr.needed - len(covered))
        explanation = range_explanation(rr, covered)
        ranges.append(
            RangeState(rr.requirement, rr.select, covered, short, short == 0, explanation)
        )

    relied = [e for e in chronological if e.id in by_evidence]
    outside = [e for e in relied if not admissible(req, e)]
    problems = context_problems(
        req, [(e, by_evidence[e.id]) for e in outside[:EXAMPLES]], len(outside)
    )
    used = [e for e in relied if admissible(req, e)]
    span = Span(min(e.start for e in used), max(e.end for e in used)) if used else None
    return assemble(req, criteria, ranges, problems, span, sufficient_span_days)


def criterion_state(
    number: str,
    judged: bool | None,
    evidenced: tuple[tuple[str, ...], int],
    proposed: tuple[tuple[str, ...], int],
) -> CriterionState:
    """One criterion from its judgement and (earliest ids, count) of confirmed admissible and
    of proposed evidence."""
    missing = criterion_missing(judged, evidenced[1], proposed[0], proposed[1])
    return CriterionState(
        number,
        evidenced[0],
        proposed[0],
        judged,
        missing is None,
        missing,
        evidenced[1],
        proposed[1],
    )


def context_problems(
    req: UnitRequirements, shown: list[tuple[Evidence, Iterable[str]]], total: int
) -> list[str]:
    """A sentence for each of the earliest items relied on from a context the unit does not
    accept (with the targets they are relied on for), then the count of the rest."""
    out = [context_problem(req, e.id, e.context, _target_order(req, t)) for e, t in shown]
    if total > len(shown):
        out.append(more_context_problems(req, total - len(shown)))
    return out


def assemble(
    req: UnitRequirements,
    criteria: list[CriterionState],
    ranges: list[RangeState],
    problems: list[str],
    span: Span | None,
    sufficient_span_days: int | None,
) -> UnitCoverage:
    """The unit's coverage from its parts: every reason, readiness and progress."""
    span_reason = span_problem(span, sufficient_span_days)

    reasons = [f"criterion {c.number}: {c.missing}" for c in criteria if c.missing]
    reasons += [
        f"evidence requirement {r.requirement}: {r.explanation}" for r in ranges if not r.done
    ]
    reasons += problems
    reasons += [span_reason] if span_reason else []
    done = sum(c.done for c in criteria) + sum(r.done for r in ranges)
    return UnitCoverage(
        unit=req.number,
        criteria=tuple(criteria),
        ranges=tuple(ranges),
        context_problems=tuple(problems),
        span=span,
        span_sufficient=span_reason is None,
        ready_to_sign_off=not reasons,
        reasons=tuple(reasons),
        progress=done / (len(criteria) + len(ranges)),
    )


def _by_id(evidence: Iterable[Evidence]) -> dict[str, Evidence]:
    out: dict[str, Evidence] = {}
    for item in evidence:
        if item.id in out:
            raise ValueError(f"evidence {item.id} is given twice")
        out[item.id] = item
    return out


def _targets(req: UnitRequirements) -> set[str]:
    return set(req.criteria) | {f"{r.requirement}{k}" for r in req.ranges for k in r.items}


def _target_order(req: UnitRequirements, targets: Iterable[str]) -> list[str]:
    """Criteria then range items, in the unit's printed order."""
    printed = list(req.criteria) + [f"{r.requirement}{k}" for r in req.ranges for k in r.items]
    return sorted(set(targets), key=printed.index)


def _mappings(
    req: UnitRequirements, items: dict[str, Evidence], mappings: Iterable[Mapping]
) -> list[Mapping]:
    known, seen, out = _targets(req), set(), []
    for m in mappings:
        if m.unit != req.number:
            continue
        if m.evidence_id not in items:
            raise ValueError(
                f"mapping to {m.unit} {m.target} names unknown evidence {m.evidence_id}"
            )
        if m.target not in known:
            shape = "range item" if range_target(m.target) else "criterion"
            raise ValueError(f"unit {req.number} has no {shape} {m.target!r}")
        key = (m.evidence_id, m.target)
        if key in seen:
            raise ValueError(f"evidence {m.evidence_id} is mapped to {m.unit} {m.target} twice")
        seen.add(key)
        out.append(m)
    return out


def _judgements(req: UnitRequirements, judgements: Iterable[Judgement]) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for j in judgements:
        if j.unit != req.number:
            continue
        if j.criterion not in req.criteria:
            raise ValueError(f"unit {req.number} has no criterion {j.criterion!r}")
        if j.criterion in out:
            raise ValueError(
                f"criterion {req.number} {j.criterion} is judged twice; pass the latest"
            )
        out[j.criterion] = j.met
    return out
