"""Which level of Customer Service NVQ suits a job role?

The Edexcel logbook ("Who are these Edexcel NVQs for?") describes who each of Levels 1–4 is
for and asks candidates to "select the most appropriate level related to your work role".
The highest level whose description fits the role wins, so taking on a responsibility can
only raise the recommendation; Level 1 is for those whom no higher description fits.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["JobRole", "LevelRecommendation", "recommend_level"]

LEVEL_1 = (
    'the Level 1 NVQ "provides a qualification for those wishing to take a first qualification '
    "in customer service, and allows them to develop the skills required by employers, and to "
    'enter a career in customer service"'
)
LEVEL_1_TARGET = (
    'the Level 1 NVQ "is targeted at individuals who are unable to access the NVQs in Customer '
    'Service at Levels 2 and 3"'
)


@dataclass(frozen=True, slots=True)
class JobRole:
    """What the candidate's work involves, as the logbook's level descriptions distinguish it."""

    delivers_service_directly: bool
    monitors_or_develops_quality: bool
    leads_team_or_department: bool
    plans_or_implements_strategy: bool
    advises_on_customer_service: bool
    first_qualification_or_new_to_work: bool


@dataclass(frozen=True, slots=True)
class LevelRecommendation:
    """The recommended level and why, quoting the logbook."""

    level: int
    reasons: tuple[str, ...]


def _fits(role: JobRole) -> tuple[tuple[int, bool, str], ...]:
    """(level, whether the role shows it, the reason quoting that level's description)."""
    return (
        (
            4,
            role.plans_or_implements_strategy,
            "The role plans or implements customer service strategy: the Level 4 NVQ "
            '"is designed for those responsible for planning and implementing customer service '
            'within an organisation, for example strategic managers and senior managers"',
        ),
        (
            4,
            role.advises_on_customer_service,
            "The role advises on customer service: the Level 4 NVQ is designed for those "
            '"who may be expected to provide advice on customer service"',
        ),
        (
            3,
            role.monitors_or_develops_quality,
            "The role monitors or develops service quality: the Level 3 NVQ is designed for "
            'those "who are responsible for the delivery of customer service, but who also have '
            'to monitor and develop the quality of customer service given"',
        ),
        (
            3,
            role.leads_team_or_department,
            "The role leads a team or department: the Level 3 NVQ is designed for those "
            '"who may be in charge of their own department or team"',
        ),
        (
            2,
            role.delivers_service_directly,
            "The role delivers customer service directly: the Level 2 NVQ "
            '"is designed for staff who are responsible for delivering customer service and who '
            "interact directly with the customer, for example sales or retail staff, staff "
            'working on service desks, call centre staff"',
        ),
    )


def recommend_level(role: JobRole) -> LevelRecommendation:
    """The highest level whose logbook description fits ``role`` (Level 1 when none does)."""
    fits = _fits(role)
    level = max((lvl for lvl, shown, _ in fits if shown), default=1)
    if level > 1:
        reasons = tuple(why for lvl, shown, why in fits if shown and lvl == level)
        if role.first_qualification_or_new_to_work:
            reasons += (
                f"New to work or a first qualification, but the role fits Level {level}, "
                f"and {LEVEL_1_TARGET}.",
            )
        return LevelRecommendation(level, reasons)
    if role.first_qualification_or_new_to_work:
        return LevelRecommendation(
            1,
            (
                f"New to work or taking a first qualification: {LEVEL_1}.",
                "Among those it targets are people "
                '"just starting their careers" and "adults returning to work".',
            ),
        )
    return LevelRecommendation(
        1,
        (
            "No responsibility described for Levels 2–4 fits the role: "
            f"{LEVEL_1_TARGET}, including those "
            '"limited by current job roles and responsibilities and who require a lower level '
            'first step to acknowledging occupational competence".',
        ),
    )
