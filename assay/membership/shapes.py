"""The read models of membership and progression: the API's response schemas, the CLI's
``--json`` and the portfolio box's data, each built by its ``of`` from the engine's answer."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from assay.engines.membership.grade import Basis, Eligibility
from assay.engines.membership.model import AchievedQualification, AchievedUnit
from assay.engines.membership.progression import Next, Progression


class ReadModel(BaseModel):
    model_config = ConfigDict(frozen=True)


class UnitRef(ReadModel):
    qualification: str
    number: str
    title: str
    code: str
    how: str

    @classmethod
    def of(cls, unit: AchievedUnit) -> UnitRef:
        return cls(
            qualification=unit.qualification,
            number=unit.number,
            title=unit.title,
            code=unit.code,
            how=unit.how,
        )


class QualificationRef(ReadModel):
    title: str
    level: int | None
    keys: list[str]
    how: str

    @classmethod
    def of(cls, qual: AchievedQualification) -> QualificationRef:
        return cls(title=qual.title, level=qual.level, keys=list(qual.keys), how=qual.how)


class RouteOut(ReadModel):
    grade: str
    grade_id: str
    qualification: QualificationRef
    list_entry: str
    matched_by: str
    units: list[UnitRef]
    met: bool
    reasons: list[str]

    @classmethod
    def of(cls, basis: Basis) -> RouteOut:
        return cls(
            grade=basis.grade.name,
            grade_id=basis.grade.id,
            qualification=QualificationRef.of(basis.qualification),
            list_entry=basis.entry.title,
            matched_by=basis.matched_by,
            units=[UnitRef.of(u) for u in basis.units],
            met=basis.met,
            reasons=list(basis.reasons),
        )


class MembershipOut(ReadModel):
    """The grade the candidate is eligible for (None: none yet), what it rests on and why."""

    registration_id: int
    scheme: str
    body: str
    grade: str | None
    grade_id: str | None
    rests_on: RouteOut | None
    alternatives: list[RouteOut]
    refused: list[RouteOut]
    customer_service_units: list[UnitRef]
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
            rests_on=RouteOut.of(found.basis) if found.basis else None,
            alternatives=[RouteOut.of(b) for b in found.alternatives],
            refused=[RouteOut.of(b) for b in found.refused],
            customer_service_units=[UnitRef.of(u) for u in found.customer_service_units],
            counted_from=list(counted_from),
            reasons=list(found.reasons),
        )


class CatalogueRef(ReadModel):
    spec_id: str
    code: str
    title: str
    level: int
    awarding_body: str


class CarriedOut(ReadModel):
    unit: UnitRef
    target_unit: str
    target_title: str
    basis: str
    reason: str


class StepOut(ReadModel):
    route: str
    source: str
    target: str
    target_level: int | None
    in_catalogue: CatalogueRef | None
    already_achieved: bool
    grade_on_completion: str | None
    carried: list[CarriedOut]
    reasons: list[str]

    @classmethod
    def of(cls, step: Next) -> StepOut:
        q = step.qualification
        return cls(
            route=step.route,
            source=step.source,
            target=step.target.title,
            target_level=step.target.level,
            in_catalogue=(
                CatalogueRef(
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
                CarriedOut(
                    unit=UnitRef.of(c.unit),
                    target_unit=c.target_unit.number,
                    target_title=c.target_unit.title,
                    basis=c.basis,
                    reason=c.reason,
                )
                for c in step.carried
            ],
            reasons=list(step.reasons),
        )


class ProgressionOut(ReadModel):
    """What comes next after the registration's qualification, in the sources' order."""

    registration_id: int
    qualification: str
    title: str
    employment: list[str]
    steps: list[StepOut]
    reasons: list[str]

    @classmethod
    def of(cls, registration_id: int, found: Progression) -> ProgressionOut:
        return cls(
            registration_id=registration_id,
            qualification=found.qualification.code,
            title=found.qualification.title,
            employment=list(found.employment),
            steps=[StepOut.of(s) for s in found.steps],
            reasons=list(found.reasons),
        )

    @property
    def next_in_catalogue(self) -> list[StepOut]:
        return [s for s in self.steps if s.in_catalogue is not None]
