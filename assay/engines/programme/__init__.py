"""An ICSS certifying body's audit programme, pure Python: planned dates and their checks,
audit time per site from office headcount, the certification cycle per client, auditor
competence and conflicts of interest at assignment, and a month grid for the calendar."""

from assay.engines.programme.assignment import (
    AssignmentCheck,
    AuditorFacts,
    Conflict,
    assignment_check,
)
from assay.engines.programme.calendar import Day, month_grid
from assay.engines.programme.cycle import AuditFacts, CycleRow, programme
from assay.engines.programme.mandays import BANDS, AuditTime, Band, audit_time
from assay.engines.programme.plan import PlanDates, Problem, plan_problems

__all__ = [
    "BANDS",
    "AssignmentCheck",
    "AuditFacts",
    "AuditTime",
    "AuditorFacts",
    "Band",
    "Conflict",
    "CycleRow",
    "Day",
    "PlanDates",
    "Problem",
    "assignment_check",
    "audit_time",
    "month_grid",
    "plan_problems",
    "programme",
]
