"""Demo appeal for Priya Shah (``cand1``), through the services: she appeals Alice's rejection
of her complaint-volume chart for 410 range 6b, Alice dismisses it at the assessor review, and
Priya takes it to the IQA review (stage 2), where it waits for the lead IQA (``linda``).
Idempotent: nothing is added when Priya already has an appeal."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.test.utils import override_settings

from assay.appeals.models import Appeal
from assay.appeals.services import appeal_decide, appeal_escalate, appeal_lodge
from assay.demo.centre import CENTRE_NUMBER, DEMO_DATE
from assay.portfolios.models import Decision, DecisionKind
from assay.registrations.models import Registration

LABEL = "appeal Priya Shah (cand1), 410 6b rejection: at IQA review"


def demo_appeals_load() -> Iterator[str]:
    registration = Registration.objects.filter(
        centre__number=CENTRE_NUMBER, candidate__first_name="Priya", candidate__last_name="Shah"
    ).first()
    if registration is None:
        return
    if Appeal.objects.filter(registration=registration).exists():
        yield f"{LABEL}: exists"
        return
    rejection = (
        Decision.objects.filter(
            registration=registration,
            kind=DecisionKind.MAPPING_REJECTED,
            unit_number="410",
            payload__target="6b",
        )
        .order_by("-seq")
        .first()
    )
    if rejection is None:
        return
    who = {u.username: u for u in get_user_model().objects.filter(username__in=["cand1", "alice"])}
    with override_settings(ASSAY_TODAY=DEMO_DATE.isoformat()):
        appeal = appeal_lodge(
            by=who["cand1"],
            registration=registration,
            decision=rejection,
            grounds="The chart is built from the complaint log: every bar is a complaint we "
            "received in writing, and the log is on file at the store.",
        )
        appeal_decide(
            by=who["alice"],
            appeal=appeal,
            upheld=False,
            reasons="The range needs a complaint received in writing as evidence; a count of "
            "them is not one. Map the written complaint itself.",
        )
        appeal_escalate(
            by=who["cand1"],
            appeal=appeal,
            reason="I would like the IQA to look at whether the log behind the chart counts.",
        )
    yield f"{LABEL}: created"
