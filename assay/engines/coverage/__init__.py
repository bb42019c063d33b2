"""Portfolio coverage: per criterion, range item, unit and qualification, what is done and
what is missing (issue 4). Pure functions of mappings, judgements and sign-offs."""

from .model import (
    EXAMPLES,
    Context,
    Evidence,
    Judgement,
    Mapping,
    MappingStatus,
    RangeRequirement,
    SignOff,
    Span,
    UnitRequirements,
    evidence_order,
)
from .qualification import (
    QualificationCoverage,
    UnitProgress,
    UnitState,
    qualification_coverage,
    reuse_scores,
)
from .spec import Statement, has_content, requirements_from_spec, unit_statements
from .tally import (
    Example,
    RelianceTally,
    Relied,
    TargetTally,
    coverage_from_tallies,
    tally,
)
from .unit import (
    CriterionState,
    RangeState,
    UnitCoverage,
    accepts,
    admissible,
    coverage_without_content,
    unit_coverage,
)
from .words import NO_CONTENT

__all__ = [
    "EXAMPLES",
    "NO_CONTENT",
    "Context",
    "CriterionState",
    "Evidence",
    "Example",
    "Judgement",
    "Mapping",
    "MappingStatus",
    "QualificationCoverage",
    "RangeRequirement",
    "RangeState",
    "RelianceTally",
    "Relied",
    "SignOff",
    "Span",
    "Statement",
    "TargetTally",
    "UnitCoverage",
    "UnitProgress",
    "UnitRequirements",
    "UnitState",
    "accepts",
    "admissible",
    "coverage_from_tallies",
    "coverage_without_content",
    "evidence_order",
    "has_content",
    "qualification_coverage",
    "requirements_from_spec",
    "reuse_scores",
    "tally",
    "unit_coverage",
    "unit_statements",
]
