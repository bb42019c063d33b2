"""When a period of registration ends.

Kept apart from the entry rules because it runs after a registration is accepted: the end
date bounds assessment ("Assessment must be completed within the candidate's period of
registration") and the expiry of the registration.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..dates import add_months, ddmmyyyy

__all__ = ["PeriodEnd", "registration_end"]


@dataclass(frozen=True, slots=True)
class PeriodEnd:
    """When a registration period ends, whether the last certification date cut it short,
    and a sentence saying which."""

    end: date
    capped: bool
    explanation: str


def registration_end(
    *, registered_on: date, period_months: int, last_certification: date | None
) -> PeriodEnd:
    """The end of the period of registration: ``period_months`` calendar months after
    ``registered_on`` (clamped to month end), but never after the last certification date,
    because assessment must be completed within the period and nothing certifies later."""
    if period_months < 1:
        raise ValueError(f"a registration period needs at least one month, not {period_months}")
    default = add_months(registered_on, period_months)
    start = f"{period_months} months from registration on {ddmmyyyy(registered_on)}"
    if last_certification is not None and last_certification < default:
        return PeriodEnd(
            end=last_certification,
            capped=True,
            explanation=(
                f"Ends on {ddmmyyyy(last_certification)}, the last certification date, "
                f"which comes before {ddmmyyyy(default)} ({start})."
            ),
        )
    cap = (
        "no last certification date is set"
        if last_certification is None
        else f"the last certification date {ddmmyyyy(last_certification)} is not earlier"
    )
    return PeriodEnd(
        end=default,
        capped=False,
        explanation=f"Ends on {ddmmyyyy(default)}, {start}; {cap}.",
    )
