"""Registration services: entry rules through the database, lifecycle history, plans, signatures.

People: Sam (awarding body superuser), Carol (centre admin), Alice (assessor, qualified),
Bob (assessor past his A/V deadline), Ian (IV), Eve (EV), Dan (candidate user).
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from assay.centres.models import Competence, Role
from assay.centres.services import ApprovalInput, approval_record, membership_grant
from assay.errors import InvalidInput, NotAllowed, RegistrationRefused
from assay.progress.completion import registration_transition
from assay.registrations.induction import signature_record
from assay.registrations.models import Refusal, Registration, Signature, StatusChange
from assay.registrations.plans import PlanUnitInput, plan_set
from assay.registrations.prior_learning import rpl_claim_create, rpl_decide
from assay.registrations.services import CandidateInput, registration_create
from tests.factories import make_centre, make_user

pytestmark = pytest.mark.django_db
TODAY = "2013-03-01"


@pytest.fixture
def world(catalogue: None, settings: Any) -> dict[str, Any]:
    settings.ASSAY_TODAY = TODAY
    sam = make_user("sam", is_superuser=True, is_staff=True)
    centre = make_centre(sam, "0042", "Northgate", since=dt.date(2011, 9, 1))
    people = {name: make_user(name) for name in ("carol", "alice", "bob", "ian", "eve", "dan")}
    membership_grant(by=sam, centre=centre, user=people["carol"], role=Role.CENTRE_ADMIN)
    for name, role in [
        ("alice", Role.ASSESSOR),
        ("bob", Role.ASSESSOR),
        ("ian", Role.INTERNAL_VERIFIER),
        ("eve", Role.EXTERNAL_VERIFIER),
    ]:
        membership_grant(by=people["carol"], centre=centre, user=people[name], role=role)
    Competence.objects.create(
        user=people["alice"],
        role="assessor",
        av_unit="A1",
        started_on=dt.date(2010, 1, 1),
        achieved_on=dt.date(2010, 6, 1),
    )
    Competence.objects.create(
        user=people["bob"], role="assessor", av_unit="A1", started_on=dt.date(2011, 6, 1)
    )
    return {"sam": sam, "centre": centre, **people}


def adult(**overrides: Any) -> CandidateInput:
    base: dict[str, Any] = {
        "first_name": "Dana",
        "last_name": "Reyes",
        "date_of_birth": dt.date(1980, 5, 17),
        "job_role": "Customer service manager",
    }
    return CandidateInput(**{**base, **overrides})


def test_a_valid_registration_is_saved_with_its_history(world: dict[str, Any]) -> None:
    reg = registration_create(
        by=world["carol"],
        centre=world["centre"],
        qualification_key="4430-04",
        candidate_input=adult(),
    )
    assert reg.registered_on == dt.date(2013, 3, 1)  # the pinned clock
    assert reg.status == "registered"
    # 24 months from 01/03/2013 is 01/03/2015, before the 31/07/2017 certification deadline.
    assert reg.end_date == dt.date(2015, 3, 1)
    (change,) = StatusChange.objects.filter(registration=reg)
    assert (change.from_status, change.to_status, change.by) == ("", "registered", world["carol"])


def test_registration_end_is_capped_by_the_last_certification_date(
    world: dict[str, Any], settings: Any
) -> None:
    settings.ASSAY_REGISTRATION_MONTHS = 48
    reg = registration_create(
        by=world["carol"],
        centre=world["centre"],
        qualification_key="4430-04",
        candidate_input=adult(),
        registered_on=dt.date(2014, 7, 31),
    )
    # 48 months would end 31/07/2018; the last certification date 31/07/2017 caps it.
    assert reg.end_date == dt.date(2017, 7, 31)
    assert "31/07/2017" in reg.end_date_explanation


@pytest.mark.parametrize(
    ("overrides", "on", "code"),
    [
        ({"date_of_birth": dt.date(1995, 3, 2)}, None, "under-minimum-age"),
        ({"held": ("4430-04",)}, None, "already-holds"),
        ({}, dt.date(2014, 8, 1), "after-last-registration"),
        ({"job_kind": "none"}, None, "no-real-job"),
    ],
)
def test_each_entry_rule_refuses_and_saves_nothing(
    world: dict[str, Any], overrides: dict[str, Any], on: dt.date | None, code: str
) -> None:
    with pytest.raises(RegistrationRefused) as refused:
        registration_create(
            by=world["carol"],
            centre=world["centre"],
            qualification_key="4430-04",
            candidate_input=adult(**overrides),
            registered_on=on,
        )
    assert [c for c, _ in refused.value.reasons] == [code]
    assert Registration.objects.count() == 0
    assert get_user_model().objects.count() == 7
    (refusal,) = Refusal.objects.all()
    assert refusal.reasons[0]["code"] == code and refusal.by == world["carol"]


def test_every_failed_rule_is_listed_together(world: dict[str, Any]) -> None:
    with pytest.raises(RegistrationRefused) as refused:
        registration_create(
            by=world["carol"],
            centre=world["centre"],
            qualification_key="4430-04",
            candidate_input=adult(date_of_birth=dt.date(1999, 1, 1), held=("4430-04",)),
            registered_on=dt.date(2014, 9, 1),
        )
    codes = {c for c, _ in refused.value.reasons}
    assert codes == {"after-last-registration", "under-minimum-age", "already-holds"}


def test_a_suspended_centre_cannot_register(world: dict[str, Any]) -> None:
    approval_record(
        by=world["sam"],
        centre=world["centre"],
        approval=ApprovalInput("4430-04", "suspended", dt.date(2013, 2, 1), reason="EV sanction"),
    )
    with pytest.raises(RegistrationRefused) as refused:
        registration_create(
            by=world["carol"],
            centre=world["centre"],
            qualification_key="4430-04",
            candidate_input=adult(),
        )
    ((code, message),) = refused.value.reasons
    assert code == "centre-not-approved" and "EV sanction" in message


@pytest.mark.parametrize("who", ["alice", "ian", "eve", "dan"])
def test_only_a_centre_administrator_registers(world: dict[str, Any], who: str) -> None:
    with pytest.raises(NotAllowed):
        registration_create(
            by=world[who],
            centre=world["centre"],
            qualification_key="4430-04",
            candidate_input=adult(),
        )
    assert Registration.objects.count() == 0 and Refusal.objects.count() == 0


def test_status_changes_follow_the_lifecycle_and_are_kept(world: dict[str, Any]) -> None:
    reg = registration_create(
        by=world["carol"],
        centre=world["centre"],
        qualification_key="4430-04",
        candidate_input=adult(),
    )
    move = partial(registration_transition, registration=reg, confirmed=True)
    move(by=world["carol"], to="in_progress", reason="induction done")
    move(by=world["carol"], to="withdrawn", reason="moved away")
    with pytest.raises(InvalidInput):
        move(by=world["carol"], to="in_progress", reason="back again")
    with pytest.raises(NotAllowed):
        move(by=world["eve"], to="completed", reason="done")
    history = list(StatusChange.objects.filter(registration=reg).values_list("to_status", "reason"))
    assert history == [
        ("registered", ""),
        ("in_progress", "induction done"),
        ("withdrawn", "moved away"),
    ]
    reg.refresh_from_db()
    assert reg.status == "withdrawn"


def test_plan_checks_assessors_verifier_and_units(world: dict[str, Any]) -> None:
    reg = registration_create(
        by=world["carol"],
        centre=world["centre"],
        qualification_key="4430-04",
        candidate_input=adult(),
    )
    alice, bob, ian = world["alice"], world["bob"], world["ian"]
    units = ["401", "402", "403", "405", "410", "411", "412"]
    result = plan_set(
        by=world["carol"],
        registration=reg,
        units=[PlanUnitInput(u, alice.pk) for u in units],
        internal_verifier_id=ian.pk,
    )
    assert result.met is True
    assert reg.plan_units.count() == 7
    with pytest.raises(InvalidInput) as bad:
        plan_set(by=world["carol"], registration=reg, units=[PlanUnitInput("401", bob.pk)])
    assert "past their A/V unit deadline" in bad.value.errors["assessor 401"]
    with pytest.raises(InvalidInput) as own:
        plan_set(
            by=world["carol"],
            registration=reg,
            units=[PlanUnitInput("401", alice.pk)],
            internal_verifier_id=alice.pk,
        )
    assert "internal_verifier" in own.value.errors
    with pytest.raises(InvalidInput) as unknown:
        plan_set(by=world["carol"], registration=reg, units=[PlanUnitInput("999")])
    assert unknown.value.errors == {"unit 999": "unknown unit '999' in 4430-04"}
    assert reg.plan_units.count() == 7  # the refused edits changed nothing


def test_accepted_rpl_counts_in_the_rules(world: dict[str, Any]) -> None:
    reg = registration_create(
        by=world["carol"],
        centre=world["centre"],
        qualification_key="4430-04",
        candidate_input=adult(),
    )
    plan = ["401", "402", "403", "405", "410", "411"]
    plan_set(
        by=world["carol"],
        registration=reg,
        units=[PlanUnitInput(u, world["alice"].pk) for u in plan],
    )
    claim = rpl_claim_create(
        by=world["carol"], registration=reg, unit="412", evidence="Certificate"
    )
    with pytest.raises(NotAllowed):
        rpl_decide(by=world["bob"], claim=claim, accept=True)
    rpl_decide(by=world["alice"], claim=claim, accept=True)
    result = plan_set(
        by=world["carol"],
        registration=reg,
        units=[PlanUnitInput(u, world["alice"].pk) for u in plan],
    )
    assert result.met is True and "412" in result.counted_units


def test_signatures_are_events_of_the_right_people(world: dict[str, Any]) -> None:
    reg = registration_create(
        by=world["carol"],
        centre=world["centre"],
        qualification_key="4430-04",
        candidate_input=adult(),
    )
    reg.candidate.user = world["dan"]
    reg.candidate.save()
    plan_set(by=world["carol"], registration=reg, units=[PlanUnitInput("401", world["alice"].pk)])
    sig = signature_record(
        by=world["dan"],
        registration=reg,
        document="learning_contract",
        capacity="candidate",
        text="I agree to the learning contract.",
        ip_address="127.0.0.1",
        user_agent="pytest",
    )
    assert len(sig.text_sha256) == 64 and sig.signer == world["dan"]
    signature_record(
        by=world["alice"],
        registration=reg,
        document="learning_contract",
        capacity="assessor",
        text="I agree to the learning contract.",
    )
    with pytest.raises(NotAllowed):
        signature_record(
            by=world["bob"], registration=reg, document="induction", capacity="assessor", text="x"
        )
    with pytest.raises(NotAllowed):
        signature_record(
            by=world["alice"],
            registration=reg,
            document="induction",
            capacity="candidate",
            text="x",
        )
    assert Signature.objects.filter(registration=reg).count() == 2


def test_a_qualification_can_set_its_own_registration_period(world: dict[str, Any]) -> None:
    from assay.catalogue.selectors import qualification_get
    from assay.registrations.services import registration_months, registration_period

    qual = qualification_get("4430-04")
    assert registration_months(qual) == 24  # the handbook gives none: the installation default
    qual.spec.content["registration_period_months"] = 36
    period = registration_period(qual, dt.date(2013, 3, 1))
    assert period.end == dt.date(2016, 3, 1) and not period.capped
