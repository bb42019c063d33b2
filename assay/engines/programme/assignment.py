"""May this auditor join this audit's team, or lead it? Rules with reasons.

- An auditor who declared a conflict of interest for the client organisation is never
  assigned, in any role (impartiality comes before availability).
- Only an auditor qualified for the audit's standard *version* may lead it; a team member
  without the qualification may still join (as one being trained or observed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assay.engines.dates import ddmmyyyy

__all__ = ["AssignmentCheck", "AuditorFacts", "Conflict", "Reason", "assignment_check"]


@dataclass(frozen=True, slots=True)
class Conflict:
    organisation: int
    reason: str
    declared_on: date


@dataclass(frozen=True, slots=True)
class AuditorFacts:
    name: str
    qualified: frozenset[tuple[str, int]]
    """(standard code, version) pairs the auditor may audit."""
    conflicts: tuple[Conflict, ...]


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    text: str


@dataclass(frozen=True, slots=True)
class AssignmentCheck:
    allowed: bool
    reasons: tuple[Reason, ...]


def assignment_check(
    auditor: AuditorFacts,
    *,
    organisation: int,
    organisation_name: str,
    standard: tuple[str, int],
    lead: bool,
) -> AssignmentCheck:
    """Whether ``auditor`` may be assigned (as lead when ``lead``); every refusal reason."""
    reasons: list[Reason] = []
    for c in auditor.conflicts:
        if c.organisation == organisation:
            reasons.append(
                Reason(
                    "conflict_of_interest",
                    f"{auditor.name} declared a conflict of interest with {organisation_name} "
                    f"on {ddmmyyyy(c.declared_on)} ({c.reason}): not assigned in any role",
                )
            )
    code, version = standard
    if lead and standard not in auditor.qualified:
        reasons.append(
            Reason(
                "not_qualified_to_lead",
                f"{auditor.name} is not qualified for {code} v{version}, so cannot lead this "
                "audit: assign a qualified lead auditor first",
            )
        )
    if reasons:
        return AssignmentCheck(False, tuple(reasons))
    role = "lead auditor" if lead else "team member"
    return AssignmentCheck(True, (Reason("ok", f"{auditor.name} may be assigned as {role}"),))
