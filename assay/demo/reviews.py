"""Demo assessment plan and progress review for Priya Shah (``cand1``), through the services.

The plan, agreed with her assessor Alice and her employer contact Ed, is signed by all three;
one activity is done, one is overdue (so Alice's caseload shows why Priya is not green) and one
is still ahead. The progress review in February 2013 is signed by Priya and Alice and awaits Ed,
so a visitor signing in as ``ed`` can sign it. Idempotent: nothing is added when Priya already
has a plan.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings

from assay.demo.centre import CENTRE_NUMBER, DEMO_DATE
from assay.registrations.models import Registration
from assay.reviews.models import AssessmentPlan, Kind
from assay.reviews.services import (
    ActivityInput,
    PlanInput,
    activity_complete,
    plan_create,
    plan_sign,
)

D = dt.date

PLAN = PlanInput(
    kind=Kind.PLAN,
    met_on=D(2012, 2, 1),
    summary=(
        "Priya will evidence units 401, 403 and 410 from her work as customer service manager "
        "at Harbour Retail: Alice observes a team briefing and the weekly complaints review; "
        "Priya writes a reflective account of the complaints review she led."
    ),
    notes="Ed (employer) will release Priya for the observation and witness the briefing.",
    next_review_on=D(2013, 2, 15),
    activities=(
        ActivityInput(
            "Observation of the Monday team briefing", "observation", ("401:1.1",), D(2012, 4, 30)
        ),
        ActivityInput(
            "Reflective account of the complaints review",
            "reflective_account",
            ("410:1.1",),
            D(2013, 1, 31),
        ),
        ActivityInput(
            "Professional discussion on customer service strategy",
            "professional_discussion",
            ("403:1.1",),
            D(2013, 5, 31),
        ),
    ),
)

REVIEW = PlanInput(
    kind=Kind.REVIEW,
    met_on=D(2013, 2, 15),
    summary=(
        "Units 401 and 405 are signed off; 402 is ready for sign-off. The reflective account "
        "on the complaints review is late: Priya will finish it by the end of March."
    ),
    next_review_on=D(2013, 5, 15),
    activities=(
        ActivityInput(
            "Finish the reflective account of the complaints review",
            "reflective_account",
            ("410:1.1",),
            D(2013, 3, 29),
        ),
    ),
)


def demo_reviews_load() -> Iterator[str]:
    """Priya's signed plan and her review awaiting the employer's signature."""
    registration = Registration.objects.select_related("candidate").get(
        centre__number=CENTRE_NUMBER, candidate__first_name="Priya", candidate__last_name="Shah"
    )
    if AssessmentPlan.objects.filter(registration=registration).exists():
        yield "assessment plan and review for Priya Shah: exists"
        return
    users = get_user_model().objects.in_bulk(["cand1", "alice", "ed"], field_name="username")
    priya, alice, ed = users["cand1"], users["alice"], users["ed"]
    with override_settings(ASSAY_TODAY=DEMO_DATE.isoformat()), transaction.atomic():
        plan = plan_create(by=alice, registration=registration, data=PLAN)
        for signer, capacity in ((priya, "candidate"), (alice, "assessor"), (ed, "employer")):
            plan_sign(by=signer, plan=plan, capacity=capacity)
        first = plan.activities.order_by("position")[0]
        activity_complete(by=alice, activity=first, on=D(2012, 4, 23))
        review = plan_create(by=alice, registration=registration, data=REVIEW)
        for signer, capacity in ((priya, "candidate"), (alice, "assessor")):
            plan_sign(by=signer, plan=review, capacity=capacity)
    yield "assessment plan and review for Priya Shah: created"
