"""Handbook 4.1 for every assessment act: "Assessment must be completed within the
candidate's period of registration." The rule is ``engines/registration/period.py``; this is
the one guard each act in ``assessment.py`` calls on its first line."""

from __future__ import annotations

import datetime as dt

from assay.engines.registration.lifecycle import Status
from assay.engines.registration.period import assessment_in_period
from assay.errors import InvalidInput
from assay.registrations.models import Registration


def refuse_outside_registration_period(registration: Registration, on_date: dt.date) -> None:
    """Refuse (changing nothing) an act dated ``on_date`` after the registration's end date or
    on a registration that has ended (expired, withdrawn, transferred, completed)."""
    decision = assessment_in_period(Status(registration.status), registration.end_date, on_date)
    if not decision.allowed:
        raise InvalidInput({"registration": " ".join(decision.reasons)})
