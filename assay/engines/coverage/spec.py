"""Read a unit's requirements from a catalogue unit (the ``assay-catalogue/1`` format).

Takes the plain parsed dict, not a catalogue model, so the engine stays free of Django.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .model import Context, RangeRequirement, UnitRequirements


def requirements_from_spec(unit: Mapping[str, Any]) -> UnitRequirements:
    """The criteria, lettered ranges and accepted contexts of one unit dict.

    ``real_job_required`` accepts the real job only, since the Level 4 assessment strategy
    refuses simulation and realistic working environments alike. ``knowledge-only`` is read as
    no simulation: evidence does not say whether it is knowledge or performance evidence, so
    accepting it would let simulated performance through. ``exception`` (405) flags the unit
    so that simulation staged as its stated exception is accepted.
    """
    criteria = tuple(
        str(criterion["number"])
        for outcome in unit.get("outcomes") or ()
        for criterion in outcome.get("criteria") or ()
    )
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
