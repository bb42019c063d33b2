"""Read a unit's requirements from a catalogue unit (the ``assay-catalogue/1`` format).

Takes the plain parsed dict, not a catalogue model, so the engine stays free of Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .model import Context, RangeRequirement, UnitRequirements


@dataclass(frozen=True)
class Statement:
    """One thing evidence is mapped to: a criterion ("1.1"), an element standing in for the
    criteria a unit does not list ("7.1"), or a lettered range item ("6b")."""

    target: str
    kind: str  # "criterion" | "element" | "range"
    text: str


def unit_statements(unit: Mapping[str, Any]) -> tuple[Statement, ...]:
    """The unit's criteria (or, for a unit transcribed with elements only, its elements), then
    its range items, in the handbook's order.

    The Edexcel Level 3 logbook lists each unit's elements, not their performance criteria; an
    element is then the smallest statement an assessor can judge met, so it takes the criterion's
    place (docs/source-readings.md).
    """
    rows = [
        Statement(str(c["number"]), "criterion", str(c.get("text", "")))
        for outcome in unit.get("outcomes") or ()
        for c in outcome.get("criteria") or ()
    ]
    if not rows:
        rows = [
            Statement(str(e["number"]), "element", str(e.get("title", "")))
            for e in unit.get("elements") or ()
        ]
    rows += [
        Statement(
            f"{er['number']}{item['key']}",
            "range",
            f"{er['number']} {item['key']}: {item.get('text', '')}",
        )
        for er in unit.get("evidence_requirements") or ()
        if er.get("range")
        for item in er["range"]["items"]
    ]
    return tuple(rows)


def has_content(unit: Mapping[str, Any]) -> bool:
    """Whether the unit lists anything an assessor can judge (criteria or elements).

    The C&G 4430-04 handbook prints only the title, credit and NOS code of its Level 3 option
    units 303-318; such a unit can be achieved here only by credit transfer, or assessed once
    a specification file with its content is imported (ADR 0010).
    """
    return any(s.kind != "range" for s in unit_statements(unit))


def requirements_from_spec(unit: Mapping[str, Any]) -> UnitRequirements:
    """The criteria, lettered ranges and accepted contexts of one unit dict.

    ``real_job_required`` accepts the real job only, since the Level 4 assessment strategy
    refuses simulation and realistic working environments alike. ``knowledge-only`` is read as
    no simulation: evidence does not say whether it is knowledge or performance evidence, so
    accepting it would let simulated performance through. ``exception`` (405) flags the unit
    so that simulation staged as its stated exception is accepted. A unit without content
    raises ValueError: check ``has_content`` first (``coverage_without_content``).
    """
    criteria = tuple(s.target for s in unit_statements(unit) if s.kind != "range")
    ranges = tuple(
        RangeRequirement(
            requirement=str(er["number"]),
            select=None if er["range"]["select"] == "all" else int(er["range"]["select"]),
            items=tuple(str(item["key"]) for item in er["range"]["items"]),
        )
        for er in unit.get("evidence_requirements") or ()
        if er.get("range")
    )
    allowed = frozenset({Context.REAL_JOB}) if unit.get("real_job_required") else frozenset(Context)
    simulation = unit.get("simulation") or {}
    return UnitRequirements(
        number=str(unit["number"]),
        criteria=criteria,
        ranges=ranges,
        allowed_contexts=allowed,
        credit=unit.get("credit"),
        simulation_exception=simulation.get("allowed") == "exception",
    )
