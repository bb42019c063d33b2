"""The facts the IQA engine reads: a unit's assessment on one registration, an assessor's
profile, a past verification, and the period a plan covers.

The 4430-04 handbook names "Internal verification and quality assurance" among what a centre
must run and says centre staff "must never internally verify their own assessments" (section
2.1). The Django side turns its rows into these small records; the engine never sees a model.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from ..dates import add_months, ddmmyyyy

__all__ = [
    "AssessorProfile",
    "Dimension",
    "Period",
    "Stage",
    "UnitRecord",
    "Verification",
    "label",
]


class Dimension(StrEnum):
    """The CAMERA dimensions of a sampling plan: Candidates, Assessors, Methods, Evidence (the
    units), Records and assessment sites."""

    CANDIDATE = "candidate"
    ASSESSOR = "assessor"
    METHOD = "method"
    UNIT = "unit"
    RECORDS = "records"
    SITE = "site"


class Stage(StrEnum):
    """Interim sampling looks at work in progress, before sign-off; summative sampling at a
    unit after the assessor signed it off."""

    INTERIM = "interim"
    SUMMATIVE = "summative"


def label(code: str) -> str:
    """A method code as a sentence reads it: ``witness_testimony`` → "witness testimony"."""
    return code.replace("_", " ")


@dataclass(frozen=True, slots=True)
class Period:
    """The days a plan covers, both ends included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(
                f"the period ends ({ddmmyyyy(self.end)}) before it starts ({ddmmyyyy(self.start)})"
            )

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def quarters(self) -> Iterator[Period]:
        """Three-month blocks from the start, the last one cut at the end: interim sampling
        counts "per quarter" of the plan, wherever the plan starts."""
        start = self.start
        while start <= self.end:
            end = min(add_months(start, 3) - timedelta(days=1), self.end)
            yield Period(start, end)
            start = end + timedelta(days=1)

    def __str__(self) -> str:
        return f"{ddmmyyyy(self.start)}–{ddmmyyyy(self.end)}"


@dataclass(frozen=True, slots=True)
class UnitRecord:
    """One unit of one registration as assessed: who assessed it, by which methods, where, and
    ``signed_off_on`` (None while the unit is work in progress). ``updated_on`` is the last
    assessment act (a judgement, a confirmation, the sign-off). ``actors`` holds everyone who
    judged, confirmed or signed off anything in this unit for this registration: none of them
    may verify it."""

    registration_id: str
    candidate_id: str
    unit: str
    assessor_id: str
    methods: frozenset[str]
    site: str
    updated_on: date
    signed_off_on: date | None = None
    actors: frozenset[str] = frozenset()

    @property
    def key(self) -> tuple[str, str]:
        """(registration, unit): what a verification is recorded against."""
        return (self.registration_id, self.unit)

    @property
    def stage(self) -> Stage:
        return Stage.INTERIM if self.signed_off_on is None else Stage.SUMMATIVE


@dataclass(frozen=True, slots=True)
class AssessorProfile:
    """What the risk rules read about an assessor: when they started assessing at the centre
    (working with the Standards), when they achieved the A unit (None: not yet), the
    qualifications they assessed before this one, and their open IQA action points."""

    id: str
    name: str
    started_on: date
    a_unit_on: date | None = None
    qualifications_before: frozenset[str] = frozenset()
    open_action_points: int = 0


@dataclass(frozen=True, slots=True)
class Verification:
    """A unit already sampled (verified or planned), with what it covered and the day."""

    registration_id: str
    candidate_id: str
    unit: str
    assessor_id: str
    methods: frozenset[str]
    site: str
    on: date

    @classmethod
    def of(cls, record: UnitRecord, on: date) -> Verification:
        return cls(
            record.registration_id,
            record.candidate_id,
            record.unit,
            record.assessor_id,
            record.methods,
            record.site,
            on,
        )
