"""Portfolio coverage: per criterion, range item, unit and qualification, what is done and
what is missing (issue 4). Pure functions of mappings, judgements and sign-offs."""

from .model import (
    Context,
    Evidence,
    Judgement,
    Mapping,
    MappingStatus,
    RangeRequirement,
    SignOff,
    Span,
    UnitRequirements,
)
from .qualification import (
    QualificationCoverage,
    UnitProgress,
    UnitState,
    qualification_coverage,
    reuse_scores,
)
from .spec import Statement, has_content, requirements_from_spec, unit_statements
from .unit import (
    CriterionState,
    RangeState,
    UnitCoverage,
    admissible,
    coverage_without_content,
    unit_coverage,
)
from .words import NO_CONTENT

__all__ = [
    "NO_CONTENT",
    "Context",
    "CriterionState",
    "Evidence",
    "Judgement",
    "Mapping",
    "MappingStatus",
    "QualificationCoverage",
    "RangeRequirement",
    "RangeState",
    "SignOff",
    "Span",
    "Statement",
    "UnitCoverage",
    "UnitProgress",
    "UnitRequirements",
    "UnitState",
    "admissible",
    "coverage_without_content",
    "has_content",
    "qualification_coverage",
    "requirements_from_spec",
    "reuse_scores",
    "unit_coverage",
    "unit_statements",
]
