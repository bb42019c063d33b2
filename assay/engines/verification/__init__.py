"""Internal quality assurance (issue 13): the sampling strategy as data, the reproducible
sample with a reason per pick, the plan's gaps, separation of duties and allocation to IVs,
the coverage matrix with RAG, agreement rates and standardisation flags — pure Python, no
Django (docs/iqa.md)."""

from assay.engines.verification.agreement import (
    Agreement,
    Flag,
    Outcome,
    Staff,
    Standardisation,
    Verdict,
    agreement,
    standardisation_flags,
)
from assay.engines.verification.coverage import Cell, Rag, coverage, rag
from assay.engines.verification.duties import (
    Allocation,
    Assignment,
    Refused,
    Verifier,
    allocate,
    may_verify,
)
from assay.engines.verification.gaps import Gap, gaps
from assay.engines.verification.model import (
    AssessorProfile,
    Dimension,
    Period,
    Stage,
    UnitRecord,
    Verification,
)
from assay.engines.verification.sample import Pick, Requirement, Sample, draw
from assay.engines.verification.strategy import (
    DEFAULT_RULES,
    Risk,
    RiskAssessment,
    RiskRule,
    Strategy,
    assess,
    parse_strategy,
    validate_strategy,
)

__all__ = [
    "DEFAULT_RULES",
    "Agreement",
    "Allocation",
    "AssessorProfile",
    "Assignment",
    "Cell",
    "Dimension",
    "Flag",
    "Gap",
    "Outcome",
    "Period",
    "Pick",
    "Rag",
    "Refused",
    "Requirement",
    "Risk",
    "RiskAssessment",
    "RiskRule",
    "Sample",
    "Staff",
    "Stage",
    "Standardisation",
    "Strategy",
    "UnitRecord",
    "Verdict",
    "Verification",
    "Verifier",
    "agreement",
    "allocate",
    "assess",
    "coverage",
    "draw",
    "gaps",
    "may_verify",
    "parse_strategy",
    "rag",
    "standardisation_flags",
    "validate_strategy",
]
