"""Demo external verification, through the services: Eve's visit to Northgate on 14/02/2013 with
its sample request, findings, a medium risk rating with reasons and an action point for Linda;
and a second centre, Eastfield Skills (0043), whose registrations Eve suspended on 20/02/2013, so
that its administrator's registration of a new candidate on 01/03/2013 is refused with the
sanction's reason. Idempotent: what exists is left as it is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.test.utils import override_settings

from assay.centres.models import Centre, QualificationApproval, Role
from assay.centres.services import ApprovalInput, approval_record, membership_grant
from assay.demo.centre import APPROVED_FROM, CENTRE_NUMBER, CG, DEMO_DATE, PASSWORD
from assay.eqa.models import Sanction, Visit
from assay.eqa.services import ActionPointInput, VisitInput, sanction_apply, visit_record
from assay.errors import RegistrationRefused
from assay.registrations.models import Refusal
from assay.registrations.services import CandidateInput, registration_create
from assay.users import User

SUSPENDED_NUMBER = "0043"
SUSPENDED_ON = dt.date(2013, 2, 20)
REFUSED = ("Sam", "Patel")


def _visit(centre: Centre, eve: User) -> Iterator[str]:
    if Visit.objects.filter(centre=centre).exists():
        yield "EV visit to Northgate: exists"
        return
    with override_settings(ASSAY_TODAY=DEMO_DATE.isoformat()):
        visit_record(
            by=eve,
            centre=centre,
            data=VisitInput(
                on=dt.date(2013, 2, 14),
                mode="on_site",
                status="done",
                sample_request="The portfolios of Priya Shah and Liam Walsh; the IQA sampling "
                "plan and verification records for 2012; the standardisation minutes.",
                findings="Assessment decisions in the sample were sound and well evidenced. "
                "The IQA sampling plan does not yet show witness testimony being sampled, and "
                "one assessor (Bob Baker) is past the A1 deadline while still assessing.",
                risk="medium",
                risk_reasons="Witness testimony not sampled; an assessor past the 18-month A1 "
                "deadline still holds candidates.",
                action_points=(
                    ActionPointInput(
                        text="Add witness testimony to the IQA sampling plan and sample it "
                        "before the next visit.",
                        owner="linda",
                        due_on=dt.date(2013, 4, 30),
                    ),
                ),
            ),
        )
    yield "EV visit to Northgate 14/02/2013: medium risk, one action point (Linda)"


def _suspended(admin: User, eve: User) -> Iterator[str]:
    users = get_user_model()
    centre, created = Centre.objects.get_or_create(
        number=SUSPENDED_NUMBER,
        defaults={"name": "Eastfield Skills", "address": "3 Station Road, Eastfield EF2 7QT"},
    )
    yield f"centre {centre}: {'created' if created else 'exists'}"
    if not QualificationApproval.objects.filter(centre=centre, qualification_code=CG).exists():
        approval_record(
            by=admin,
            centre=centre,
            approval=ApprovalInput(CG, "approved", APPROVED_FROM),
        )
    sally, made = users.objects.get_or_create(
        username="sally",
        defaults={"first_name": "Sally", "last_name": "Stone", "email": "sally@example.org"},
    )
    if made:
        sally.set_password(PASSWORD)
        sally.save()
    membership_grant(by=admin, centre=centre, user=sally, role=Role.CENTRE_ADMIN)
    membership_grant(by=admin, centre=centre, user=eve, role=Role.EXTERNAL_VERIFIER)
    if not Sanction.objects.filter(centre=centre).exists():
        with override_settings(ASSAY_TODAY=DEMO_DATE.isoformat()):
            sanction_apply(
                by=eve,
                centre=centre,
                level="registrations_suspended",
                reason="Assessment decisions signed off without evidence of the candidates' "
                "own work; registrations and claims stop until the action plan is met.",
                applied_on=SUSPENDED_ON,
                confirmed=True,
            )
    yield f"sanction at Eastfield Skills from {SUSPENDED_ON:%d/%m/%Y}: registrations suspended"
    name = " ".join(REFUSED)
    if Refusal.objects.filter(centre=centre, candidate_name=name).exists():
        yield f"refused {name} at Eastfield Skills: exists"
        return
    with override_settings(ASSAY_TODAY=DEMO_DATE.isoformat()):
        try:
            registration_create(
                by=sally,
                centre=centre,
                qualification_key=CG,
                candidate_input=CandidateInput(
                    first_name=REFUSED[0],
                    last_name=REFUSED[1],
                    date_of_birth=dt.date(1990, 5, 17),
                    job_role="Customer service adviser",
                ),
                registered_on=DEMO_DATE,
            )
        except RegistrationRefused as refused:
            yield f"refused {name} at Eastfield Skills: {refused.reasons[0][0]}"
        else:  # pragma: no cover - the rules changed under the demo
            raise RuntimeError(f"the demo expected {name}'s registration to be refused")


def demo_eqa_load() -> Iterator[str]:
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["admin", "eve"])}
    centre = Centre.objects.filter(number=CENTRE_NUMBER).first()
    if centre is None or len(users) < 2:
        return
    yield from _visit(centre, users["eve"])
    yield from _suspended(users["admin"], users["eve"])
