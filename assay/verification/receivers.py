"""What IQA does when the portfolios signal: a sampled unit signed off tells its verifier."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from assay.notifications import events
from assay.registrations.models import Registration
from assay.users import User
from assay.verification.selectors import open_picks


def sampled_unit_signed_off(
    sender: Any, *, registration: Registration, unit: str, by: User, **_: Any
) -> None:
    """Each verifier with an open pick on the unit is told it is ready to verify."""
    for pick in open_picks().filter(
        registration_id=registration.pk, unit_number=unit, verifier_id__isnull=False
    ):
        assert pick.verifier_id is not None
        events.iqa_sample_signed_off(
            by=by,
            registration=registration,
            unit=unit,
            verifier_id=pick.verifier_id,
            link=reverse("iqa-pick", args=[pick.pk]),
        )
