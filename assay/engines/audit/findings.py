"""Audit findings and their corrective actions, as the decision reads them.

A finding is raised by an auditor at one sampled site against one attribute, graded as ISO
17021-style certification practice does:

* ``major`` nonconformity: blocks certification until its corrective action is **verified** by
  the auditor (implemented and effective);
* ``minor`` nonconformity: blocks certification until the organisation's action plan is
  **accepted** by the auditor (implementation is checked at the next audit);
* ``observation`` and ``opportunity`` (for improvement): recorded and reported, never blocking.

The seed names none of this (it speaks of conformance to mandatory attributes only); it is
Assay's reading of the cycle a certifying body runs, documented in docs/audits.md
(*Findings and corrective actions*). Pure: the app hands in ``FindingFacts``; the decision
(``decision.decide``) adds ``finding_reasons`` to its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "ACTION_STATES",
    "FINDING_BLOCKING",
    "GRADES",
    "NONCONFORMITIES",
    "FindingFacts",
    "action_next",
    "finding_reasons",
]

GRADES = {
    "major": "major nonconformity",
    "minor": "minor nonconformity",
    "observation": "observation",
    "opportunity": "opportunity for improvement",
}
NONCONFORMITIES = frozenset({"major", "minor"})

ACTION_STATES = ("open", "proposed", "accepted", "rejected", "verified")
"""A corrective action: ``open`` (raised, no response yet) → ``proposed`` (the organisation's
owner and plan) → ``accepted`` or ``rejected`` (the auditor; rejected goes back to the
organisation, who proposes again) → ``verified`` (the auditor, after an accepted plan)."""

_NEXT = {
    "respond": ({"open", "rejected"}, "proposed"),
    "accept": ({"proposed"}, "accepted"),
    "reject": ({"proposed"}, "rejected"),
    "verify": ({"accepted"}, "verified"),
}

FINDING_BLOCKING = frozenset({"major_nonconformity_open", "minor_nonconformity_no_plan"})
"""Reason codes from findings that refuse certification."""


def action_next(state: str, act: str) -> str:
    """The state after ``act`` (respond, accept, reject, verify) on an action in ``state``;
    ValueError naming what may happen instead."""
    if act not in _NEXT:
        raise ValueError(f"unknown act {act!r}; one of {', '.join(_NEXT)}")
    allowed, after = _NEXT[act]
    if state not in allowed:
        may = [a for a, (states, _) in _NEXT.items() if state in states]
        raise ValueError(
            f"a corrective action that is {state} cannot be {_PAST[act]}"
            + (f"; it may be {' or '.join(_PAST[a] for a in may)}" if may else "")
        )
    return after


_PAST = {
    "respond": "answered",
    "accept": "accepted",
    "reject": "rejected",
    "verify": "verified",
}


@dataclass(frozen=True, slots=True)
class FindingFacts:
    """One finding as the decision sees it: ``ref`` names it ("F3"), ``site`` is the site's
    engine id (office name), ``action`` the state of its corrective action (None for
    observations and opportunities)."""

    ref: str
    grade: str
    attribute: str
    site: str
    summary: str
    action: str | None = None

    def __post_init__(self) -> None:
        if self.grade not in GRADES:
            raise ValueError(f"unknown finding grade {self.grade!r}; one of {', '.join(GRADES)}")
        if (self.grade in NONCONFORMITIES) != (self.action is not None):
            raise ValueError(
                f"finding {self.ref}: a nonconformity has a corrective action, "
                "an observation or opportunity has none"
            )
        if self.action is not None and self.action not in ACTION_STATES:
            raise ValueError(f"finding {self.ref}: unknown action state {self.action!r}")


def _where(f: FindingFacts, names: Mapping[str, str]) -> str:
    return f"{f.ref} ({GRADES[f.grade]}, {f.attribute} at {names.get(f.site, f.site)}: {f.summary})"


def finding_reasons(
    findings: Sequence[FindingFacts], site_names: Mapping[str, str] | None = None
) -> tuple[list[tuple[str, str, str, str]], list[tuple[str, str, str, str]]]:
    """(blocking, informative) reasons as (code, text, attribute, site), in the order given.

    A major blocks unless its action is verified; a minor unless its plan is accepted (or
    already verified); observations and opportunities are listed, never blocking."""
    names = dict(site_names or {})
    blocking: list[tuple[str, str, str, str]] = []
    info: list[tuple[str, str, str, str]] = []
    for f in findings:
        what = _where(f, names)
        if f.grade == "major":
            if f.action == "verified":
                info.append(
                    (
                        "major_nonconformity_closed",
                        f"Major nonconformity {what}: corrective action verified",
                        f.attribute,
                        f.site,
                    )
                )
            else:
                blocking.append(
                    (
                        "major_nonconformity_open",
                        f"Major nonconformity {what} is open: its corrective action is "
                        f"{f.action}, not verified",
                        f.attribute,
                        f.site,
                    )
                )
        elif f.grade == "minor":
            if f.action in ("accepted", "verified"):
                info.append(
                    (
                        "minor_nonconformity_planned",
                        f"Minor nonconformity {what}: action plan {f.action}",
                        f.attribute,
                        f.site,
                    )
                )
            else:
                blocking.append(
                    (
                        "minor_nonconformity_no_plan",
                        f"Minor nonconformity {what} has no accepted action plan (its "
                        f"corrective action is {f.action})",
                        f.attribute,
                        f.site,
                    )
                )
        else:
            info.append(
                (
                    f"finding_{f.grade}",
                    f"{GRADES[f.grade].capitalize()} {what}",
                    f.attribute,
                    f.site,
                )
            )
    return blocking, info
