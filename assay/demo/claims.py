"""Demo claims, through the services: the awarding body's officer (``abby``); Carol claims
Priya Shah's unit 401 (signed off by Alice, sampled and agreed by Ian), sends it in a batch,
and Abby approves it, issuing certificate AS-2013-000001-3 that Priya downloads from her home
page. At Eastfield Skills (0043, registrations and claims suspended by Eve from 20/02/2013),
Sally's claim for Omar Reid's unit 401 (credited by credit transfer, registered on 10/01/2013
before the suspension) is refused with the sanction's reason: the centre's "ready to claim"
list shows it. Idempotent: what exists is left as it is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.test.utils import override_settings

from assay.centres.models import Centre
from assay.claims.models import AwardingBodyStaff, Claim
from assay.claims.services import (
    ClaimRefused,
    awarding_body_grant,
    batch_submit,
    claim_approve,
    claim_create,
)
from assay.demo.centre import CENTRE_NUMBER, CG, DEMO_DATE, PASSWORD
from assay.demo.eqa import SUSPENDED_NUMBER
from assay.demo.portfolios import _registration
from assay.registrations.models import Registration
from assay.registrations.prior_learning import credit_transfer_record
from assay.registrations.services import CandidateInput, registration_create
from assay.users import User

OMAR = ("Omar", "Reid")


def _abby(admin: User) -> User:
    users = get_user_model()
    abby, made = users.objects.get_or_create(
        username="abby",
        defaults={"first_name": "Abby", "last_name": "Bishop", "email": "abby@example.org"},
    )
    if made:
        abby.set_password(PASSWORD)
        abby.save()
    if not AwardingBodyStaff.objects.filter(user=abby).exists():
        awarding_body_grant(by=admin, user=abby)
    return abby


def _approved(carol: User, abby: User) -> Iterator[str]:
    priya = _registration("Priya Shah")
    if Claim.objects.filter(registration=priya).exists():
        yield "claim for Priya Shah's unit 401: exists"
        return
    with override_settings(ASSAY_TODAY=DEMO_DATE.isoformat()):
        claim = claim_create(by=carol, registration=priya, kind="unit", units=["401"])
        batch_submit(by=carol, centre=priya.centre, claims=[claim])
        claim.refresh_from_db()
        cert = claim_approve(by=abby, claim=claim, confirmed=True)
    yield f"claim for Priya Shah's unit 401 approved: certificate {cert.number}"


def _refused(admin: User) -> Iterator[str]:
    centre = Centre.objects.filter(number=SUSPENDED_NUMBER).first()
    sally = get_user_model().objects.filter(username="sally").first()
    if centre is None or sally is None:
        return
    omar = Registration.objects.filter(
        centre=centre, candidate__first_name=OMAR[0], candidate__last_name=OMAR[1]
    ).first()
    with override_settings(ASSAY_TODAY=DEMO_DATE.isoformat()):
        if omar is None:
            omar = registration_create(
                by=sally,
                centre=centre,
                qualification_key=CG,
                candidate_input=CandidateInput(
                    first_name=OMAR[0],
                    last_name=OMAR[1],
                    date_of_birth=dt.date(1988, 11, 2),
                    job_role="Customer service team leader",
                ),
                registered_on=dt.date(2013, 1, 10),
            )
            credit_transfer_record(
                by=sally,
                registration=omar,
                unit="401",
                certificate_reference="CG 4430-04 unit 401, certificate 7741203",
            )
        try:
            claim_create(by=sally, registration=omar, kind="unit", units=["401"])
        except ClaimRefused as refused:
            code = refused.reasons[-1].code
            yield f"claim for Omar Reid's unit 401 at Eastfield Skills refused: {code}"
        else:  # pragma: no cover - the rules changed under the demo
            raise RuntimeError("the demo expected Omar Reid's claim to be refused")


def demo_claims_load() -> Iterator[str]:
    users = {
        u.username: u for u in get_user_model().objects.filter(username__in=["admin", "carol"])
    }
    if len(users) < 2 or not Centre.objects.filter(number=CENTRE_NUMBER).exists():
        return
    abby = _abby(users["admin"])
    yield "awarding body officer abby: ready"
    yield from _approved(users["carol"], abby)
    yield from _refused(users["admin"])
