"""After a qualification, what comes next: the sources' progression routes, found in Assay's
catalogue where it holds them, with the achieved units that would count again.

Readings (docs/membership.md):

* a route applies to a catalogue qualification it names by spec id, or to an NVQ in the
  route's subject at the route's level from the route's awarding body (the Edexcel logbook's
  routes are about Edexcel's Customer Service NVQs, not City & Guilds');
* a route's target is in Assay's catalogue when a catalogue qualification has its title, or,
  for an NVQ target, is an NVQ in the same subject at the same level (any awarding body: the
  advice says so);
* an achieved unit would count again towards a target when the target has a unit with the
  same unit code (credit transfer: the same unit, already certificated) or the same title
  (recognition of prior learning, where the target's rules allow it: an assessor decides);
  a unit is offered once, for the first target unit it meets.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .grade import Eligibility, eligibility
from .model import (
    AchievedQualification,
    AchievedUnit,
    CatalogueQualification,
    CatalogueUnit,
    Route,
    RouteTarget,
    Scheme,
    title_key,
)

__all__ = ["Carried", "Next", "Progression", "progression", "route_applies", "target_in"]


@dataclass(frozen=True, slots=True)
class Carried:
    """An achieved unit that would count again as ``target_unit`` of the next qualification."""

    unit: AchievedUnit
    target_unit: CatalogueUnit
    basis: str  # "credit transfer" | "recognition of prior learning"
    reason: str


@dataclass(frozen=True, slots=True)
class Next:
    """One next step a route names: in the catalogue (``qualification``) or not."""

    route: str
    source: str
    target: RouteTarget
    qualification: CatalogueQualification | None
    already_achieved: bool
    carried: tuple[Carried, ...]
    grade_on_completion: str | None
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Progression:
    qualification: CatalogueQualification
    employment: tuple[str, ...]
    steps: tuple[Next, ...]
    reasons: tuple[str, ...]

    @property
    def in_catalogue(self) -> tuple[Next, ...]:
        return tuple(s for s in self.steps if s.qualification is not None)


def route_applies(route: Route, qual: CatalogueQualification) -> bool:
    if qual.spec_id in route.from_spec:
        return True
    if not route.from_subject or qual.subject != route.from_subject:
        return False
    if route.from_level is not None and qual.level != route.from_level:
        return False
    return not route.from_awarding_body or (
        title_key(route.from_awarding_body) == title_key(qual.awarding_body)
    )


def target_in(
    target: RouteTarget, catalogue: Iterable[CatalogueQualification]
) -> CatalogueQualification | None:
    """The catalogue qualification a route's target names (title first, then an NVQ in the
    same subject at the same level), or None."""
    quals = sorted(catalogue, key=lambda q: q.spec_id)
    for qual in quals:
        if title_key(qual.title) == title_key(target.title):
            return qual
    if target.kind.casefold() == "nvq" and target.subject:
        for qual in quals:
            if qual.subject == target.subject and qual.level == target.level:
                return qual
    return None


def _carried(
    units: Iterable[AchievedUnit], target: CatalogueQualification, rpl_rule: str | None
) -> tuple[Carried, ...]:
    by_code = {u.code.casefold(): u for u in target.units if u.code}
    by_title: dict[str, CatalogueUnit] = {}
    for u in target.units:
        by_title.setdefault(title_key(u.title), u)
    out: list[Carried] = []
    used: set[str] = set()
    seen: set[str] = set()
    for unit in units:
        if unit.identity in seen:
            continue
        seen.add(unit.identity)
        hit = by_code.get(unit.code.casefold()) if unit.code else None
        if hit is not None and hit.number not in used:
            used.add(hit.number)
            out.append(
                Carried(
                    unit,
                    hit,
                    "credit transfer",
                    f"{unit.label} is unit {hit.number} of {target.code} (same unit code "
                    f"{hit.code}): recorded as a credit transfer with its certificate.",
                )
            )
            continue
        hit = by_title.get(title_key(unit.title))
        if hit is None or hit.number in used:
            continue
        if rpl_rule is None:
            continue
        used.add(hit.number)
        out.append(
            Carried(
                unit,
                hit,
                "recognition of prior learning",
                f"{unit.label} has the title of unit {hit.number} of {target.code}: it may "
                f"count through recognition of prior learning ({rpl_rule}); an assessor "
                "decides against the unit's criteria.",
            )
        )
    return tuple(out)


def progression(
    qual: CatalogueQualification,
    *,
    routes: Iterable[Route],
    catalogue: Iterable[CatalogueQualification],
    achieved_units: Iterable[AchievedUnit] = (),
    achieved: Iterable[AchievedQualification] = (),
    scheme: Scheme | None = None,
    prior_learning: Mapping[str, str] | None = None,
) -> Progression:
    """The next steps after ``qual``: every target of every route that applies, in the
    sources' order, each found in the catalogue or not, with units that would count again
    and, given the scheme, the ICS grade completing it would give."""
    cat = tuple(catalogue)
    units = tuple(achieved_units)
    done = tuple(achieved)
    done_keys = {k.casefold() for a in done for k in a.keys}
    rpl = dict(prior_learning or {})
    now: Eligibility | None = eligibility(scheme, done, units) if scheme else None
    steps: list[Next] = []
    employment: list[str] = []
    applied = [r for r in routes if route_applies(r, qual)]
    offered: set[str] = set()
    for route in applied:
        if route.employment:
            employment.append(route.employment)
        for target in route.targets:
            found = target_in(target, cat)
            if found is not None and found.spec_id == qual.spec_id:
                continue  # the route names the qualification itself (another body's edition)
            if found is not None and found.spec_id in offered:
                continue
            reasons = [f"{route.source}: {route.quote}" if route.quote else route.source]
            if found is None:
                reasons.append(f"{target.title} is not in Assay's catalogue.")
                steps.append(
                    Next(route.id, route.source, target, None, False, (), None, tuple(reasons))
                )
                continue
            offered.add(found.spec_id)
            if title_key(found.title) != title_key(target.title):
                reasons.append(
                    f"The source names {target.title}; Assay's catalogue holds {found.title} "
                    f"({found.awarding_body} {found.code}), an NVQ in the same subject at the "
                    "same level."
                )
            is_done = bool({found.spec_id.casefold(), found.code.casefold()} & done_keys)
            if is_done:
                reasons.append(f"{found.code} is already achieved.")
            carried = () if is_done else _carried(units, found, rpl.get(found.spec_id))
            if carried:
                reasons.append(
                    f"{len(carried)} achieved unit{'s' if len(carried) != 1 else ''} would "
                    f"count again towards {found.code}."
                )
            grade_name: str | None = None
            if scheme is not None and now is not None and not is_done:
                as_done = AchievedQualification(
                    title=found.title,
                    level=found.level,
                    keys=(found.spec_id, found.code),
                    type="NVQ" if found.subject else "",
                    how="on completion",
                )
                then = eligibility(scheme, (*done, as_done), units)
                if then.grade is not None and then.rank > now.rank:
                    grade_name = then.grade.name
                    reasons.append(
                        f"Completing {found.code} would make the person eligible for "
                        f"{grade_name} membership of the {scheme.body}."
                    )
            steps.append(
                Next(
                    route.id,
                    route.source,
                    target,
                    found,
                    is_done,
                    carried,
                    grade_name,
                    tuple(reasons),
                )
            )
    summary = (
        f"{len(applied)} progression route{'s' if len(applied) != 1 else ''} from "
        f"{qual.title}; {sum(1 for s in steps if s.qualification)} next step"
        f"{'s' if sum(1 for s in steps if s.qualification) != 1 else ''} in Assay's catalogue."
        if applied
        else f"No progression route in the sources starts from {qual.title}."
    )
    return Progression(qual, tuple(employment), tuple(steps), (summary,))
