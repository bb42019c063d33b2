"""Which ICS membership grade a person is eligible for, and why (seed 000).

A grade is earned through one qualification it recognises ("the qualification it rests on")
and, for Foundation and Bronze, "provided that two or more units in customer service have been
achieved". Readings (docs/membership.md):

* an achieved qualification is a recognised one when a catalogue id or code the entry
  ``matches`` names it; else, for an N/SVQ entry, when it is an NVQ/SVQ at the entry's level
  *in* the entry's subject; else when its title is the entry's title (``title_key``);
* the units condition counts the person's achieved customer-service units wherever they were
  achieved, each unit once (by code, else by title) however many qualifications carry it;
  planned or partly evidenced units count for nothing;
* the highest grade met wins; between routes to the same grade the one resting on the
  higher-level qualification, then a catalogue match, then the earlier achieved, then the
  title, is shown, and the others are kept as alternatives.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .model import AchievedQualification, AchievedUnit, Grade, Recognised, Scheme, title_key

__all__ = ["Basis", "Eligibility", "customer_service_units", "eligibility", "recognises"]


@dataclass(frozen=True, slots=True)
class Basis:
    """One route to a grade: the qualification, the list entry it matches and how, the
    customer-service units counted for the condition, whether it is met, and why."""

    grade: Grade
    qualification: AchievedQualification
    entry: Recognised
    matched_by: str
    units: tuple[AchievedUnit, ...]
    met: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Eligibility:
    """The grade (None: no grade) with the route it rests on, the other routes that also
    qualify, the routes refused by the units condition, and every reason, headline first."""

    scheme: str
    grade: Grade | None
    basis: Basis | None
    alternatives: tuple[Basis, ...]
    refused: tuple[Basis, ...]
    customer_service_units: tuple[AchievedUnit, ...]
    reasons: tuple[str, ...]

    @property
    def rank(self) -> int:
        return self.grade.rank if self.grade else 0


def recognises(entry: Recognised, qual: AchievedQualification) -> str | None:
    """How ``qual`` is the list entry ``entry``, or None when it is not."""
    keys = {k.casefold() for k in qual.keys}
    hit = sorted(m for m in entry.matches if m.casefold() in keys)
    if hit:
        return f"the list's entry is matched to {hit[0]} in Assay's catalogue"
    if entry.is_nvq:
        if not qual.is_nvq or qual.subject != entry.subject:
            return None
        if entry.level is not None and qual.level != entry.level:
            return None
        at = f" at Level {entry.level}" if entry.level is not None else ""
        return f"it is an NVQ/SVQ{at} in {entry.subject.title()}"
    if title_key(qual.title) == title_key(entry.title):
        return "its title is the list's title"
    return None


def customer_service_units(units: Iterable[AchievedUnit]) -> tuple[AchievedUnit, ...]:
    """The achieved customer-service units, each unit once (first seen kept), in input order."""
    seen: set[str] = set()
    out: list[AchievedUnit] = []
    for unit in units:
        if unit.customer_service and unit.identity not in seen:
            seen.add(unit.identity)
            out.append(unit)
    return tuple(out)


def _basis(
    grade: Grade,
    entry: Recognised,
    qual: AchievedQualification,
    matched_by: str,
    cs: tuple[AchievedUnit, ...],
) -> Basis:
    reasons = [f"{qual.label} is recognised for {grade.name}: {matched_by}."]
    need = grade.min_customer_service_units
    if need <= 0:
        reasons.append(f"{grade.name} sets no further condition.")
        return Basis(grade, qual, entry, matched_by, (), True, tuple(reasons))
    counted = cs[:need] if len(cs) >= need else cs
    names = "; ".join(u.label for u in cs) or "none"
    if len(cs) >= need:
        reasons.append(
            f"The condition '{grade.condition}' is met: {len(cs)} customer service unit"
            f"{'s' if len(cs) != 1 else ''} achieved ({names})."
        )
        return Basis(grade, qual, entry, matched_by, counted, True, tuple(reasons))
    reasons.append(
        f"The condition '{grade.condition}' is not met: {len(cs)} customer service unit"
        f"{'s' if len(cs) != 1 else ''} achieved ({names}), {need} needed."
    )
    return Basis(grade, qual, entry, matched_by, counted, False, tuple(reasons))


def _order(b: Basis) -> tuple[int, int, int, date, str]:
    return (
        -b.grade.rank,
        -(b.qualification.level or 0),
        0 if "catalogue" in b.matched_by else 1,
        b.qualification.achieved_on or date.max,
        b.qualification.label.casefold(),
    )


def eligibility(
    scheme: Scheme,
    qualifications: Iterable[AchievedQualification],
    units: Iterable[AchievedUnit],
) -> Eligibility:
    """The grade the achievements make the person eligible for, with every reason."""
    quals = tuple(qualifications)
    cs = customer_service_units(units)
    routes: list[Basis] = []
    for grade in scheme.grades:
        for qual in quals:
            for entry in grade.recognised:
                matched_by = recognises(entry, qual)
                if matched_by is not None:
                    routes.append(_basis(grade, entry, qual, matched_by, cs))
                    break
    met = sorted((b for b in routes if b.met), key=_order)
    refused = tuple(sorted((b for b in routes if not b.met), key=_order))
    reasons: list[str] = []
    if met:
        best = met[0]
        reasons.append(
            f"Eligible for {best.grade.name} membership of the {scheme.body or 'scheme'}, "
            f"resting on {best.qualification.label}."
        )
        reasons.extend(best.reasons)
        for other in met[1:]:
            reasons.append(
                f"Also eligible through {other.qualification.label} ({other.grade.name}); "
                f"the highest grade is the one shown."
                if other.grade.rank < best.grade.rank
                else f"{other.qualification.label} would also give {other.grade.name}; "
                f"{best.qualification.label} is shown first (higher level, catalogue match, "
                "earlier achieved, then title)."
            )
    else:
        reasons.append(f"Not yet eligible for a membership grade of the {scheme.body or 'scheme'}.")
        if not quals:
            reasons.append("No achieved qualification is known to Assay.")
    for b in refused:
        if not met or b.grade.rank > met[0].grade.rank:
            reasons.extend(b.reasons)
    listed = {id(b.qualification) for b in routes}
    for qual in quals:
        if id(qual) not in listed:
            reasons.append(
                f"{qual.label} is not on the list for any grade, so it gives none by itself."
            )
    best_basis = met[0] if met else None
    return Eligibility(
        scheme=scheme.id,
        grade=best_basis.grade if best_basis else None,
        basis=best_basis,
        alternatives=tuple(met[1:]),
        refused=refused,
        customer_service_units=cs,
        reasons=tuple(reasons),
    )
