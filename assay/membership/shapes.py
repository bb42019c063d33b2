"""The read models of membership and progression: the API's response schemas, the CLI's
``--json`` and the portfolio box's data, each built by its ``of`` from the engine's answer."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from assay.engines.membership.grade import Basis, Eligibility
from assay.engines.membership.model import AchievedQualification, AchievedUnit
from assay.engines.membership.progression import Next, Progression


class MembershipModel(BaseModel):
    model_config = ConfigDict(frozen=True)


class AchievedUnitOut(MembershipModel):
    qualification: str
    number: str
    title: str
    code: str
    how: str

    @classmethod
    def of(cls, unit: AchievedUnit) -> AchievedUnitOut:
        return cls(
            qualification=unit.qualification,
            number=unit.number,
            title=unit.title,
            code=unit.code,
            how=unit.how,
        )


class AchievedQualificationOut(MembershipModel):
    title: str
    level: int | None
    keys: list[str]
    how: str

    @classmethod
    def of(cls, qual: AchievedQualification) -> AchievedQualificationOut:
        return cls(title=qual.title, level=qual.level, keys=list(qual.keys), how=qual.how)


class GradeRouteOut(MembershipModel):
    grade: str
    grade_id: str
    qualification: AchievedQualificationOut
    list_entry: str
    matched_by: str
    units: list[AchievedUnitOut]
    met: bool
    reasons: list[str]

    @classmethod
    def of(cls, basis: Basis) -> GradeRouteOut:
        return cls(
            grade=basis.grade.name,
            grade_id=basis.grade.id,
            qualification=AchievedQualificationOut.of(basis.qualification),
            list_entry=basis.entry.title,
            matched_by=basis.matched_by,
            units=[AchievedUnitOut.of(u) for u in basis.units],
            met=basis.met,
            reasons=list(basis.reasons),
        )


class MembershipOut(MembershipModel):
    """The grade the candidate is eligible for (None: none yet), what it rests on and why."""

    registration_id: int
    scheme: str
    body: str
    grade: str | None
    grade_id: str | None
    rests_on: GradeRouteOut | None
    alternatives: list[GradeRouteOut]
    refused: list[GradeRouteOut]
    customer_service_units: list[AchievedUnitOut]
    counted_from: list[str]
    reasons: list[str]

    @classmethod
    def of(
        cls, registration_id: int, body: str, found: Eligibility, counted_from: tuple[str, ...]
    ) -> MembershipOut:
        return cls(
            registration_id=registration_id,
            scheme=found.scheme,
            body=body,
            grade=found.grade.name if found.grade else None,
            grade_id=found.grade.id if found.grade else None,
            rests_on=GradeRouteOut.of(found.basis) if found.basis else None,
            alternatives=[GradeRouteOut.of(b) for b in found.alternatives],
            refused=[GradeRouteOut.of(b) for b in found.refused],
            customer_service_units=[AchievedUnitOut.of(u) for u in found.customer_service_units],
            counted_from=list(counted_from),
            reasons=list(found.reasons),
        )


class CatalogueStepOut(MembershipModel):
    spec_id: str
    code: str
    title: str
    level: int
    awarding_body: str


class CarriedUnitOut(MembershipModel):
    unit: AchievedUnitOut
    target_unit: str
    target_title: str
    basis: str
    reason: str


class ProgressionStepOut(MembershipModel):
    route: str
    source: str
    target: str
    target_level: int | None
    in_catalogue: CatalogueStepOut | None
    already_achieved: bool
    grade_on_completion: str | None
    carried: list[CarriedUnitOut]
    reasons: list[str]

    @classmethod
    def of(cls, step: Next) -> ProgressionStepOut:
        q = step.qualification
        return cls(
            route=step.route,
            source=step.source,
            target=step.target.title,
            target_level=step.target.level,
            in_catalogue=(
                CatalogueStepOut(
                    spec_id=q.spec_id,
                    code=q.code,
                    title=q.title,
                    level=q.level,
                    awarding_body=q.awarding_body,
                )
                if q
                else None
            ),
            already_achieved=step.already_achieved,
            grade_on_completion=step.grade_on_completion,
            carried=[
                CarriedUnitOut(
                    unit=AchievedUnitOut.of(c.unit),
                    target_unit=c.target_unit.number,
                    target_title=c.target_unit.title,
                    basis=c.basis,
                    reason=c.reason,
                )
                for c in step.carried
            ],
            reasons=list(step.reasons),
        )


class ProgressionOut(MembershipModel):
    """What comes next after the registration's qualification, in the sources' order."""

    registration_id: int
    qualification: str
    title: str
    employment: list[str]
    steps: list[ProgressionStepOut]
    reasons: list[str]

    @classmethod
    def of(cls, registration_id: int, found: Progression) -> ProgressionOut:
        return cls(
            registration_id=registration_id,
            qualification=found.qualification.code,
            title=found.qualification.title,
            employment=list(found.employment),
            steps=[ProgressionStepOut.of(s) for s in found.steps],
            reasons=list(found.reasons),
        )

    @property
    def next_in_catalogue(self) -> list[ProgressionStepOut]:
        return [s for s in self.steps if s.in_catalogue is not None]
