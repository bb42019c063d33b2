"""Who sees which registration: the selector every page and endpoint reads through."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from assay.centres.models import Centre, Competence, Role
from assay.centres.permissions import centres_visible_to
from assay.centres.services import ApprovalInput, approval_record, membership_grant
from assay.errors import NotFound
from assay.registrations.plans import PlanUnitInput, plan_set
from assay.registrations.selectors import registration_get, registrations_visible_to
from assay.registrations.services import CandidateInput, registration_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(catalogue: None, settings: Any) -> dict[str, Any]:
    settings.ASSAY_TODAY = "2013-03-01"
    users = get_user_model()
    sam = users.objects.create_user("sam", is_superuser=True)
    north = Centre.objects.create(number="0042", name="Northgate")
    south = Centre.objects.create(number="0043", name="Southgate")
    names = [
        "carol",
        "alice",
        "arthur",
        "ian",
        "iris",
        "linda",
        "tom",
        "eve",
        "evan",
        "ed",
        "edna",
        "dan",
        "dora",
        "sue",
    ]
    u = {n: users.objects.create_user(n) for n in names}
    for centre in (north, south):
        approval_record(
            by=sam,
            centre=centre,
            approval=ApprovalInput("4430-04", "approved", dt.date(2011, 9, 1)),
        )
    grants = [
        (north, "carol", Role.CENTRE_ADMIN),
        (north, "alice", Role.ASSESSOR),
        (north, "arthur", Role.ASSESSOR),
        (north, "ian", Role.INTERNAL_VERIFIER),
        (north, "iris", Role.INTERNAL_VERIFIER),
        (north, "linda", Role.LEAD_IQA),
        (north, "tom", Role.TUTOR),
        (north, "eve", Role.EXTERNAL_VERIFIER),
        (north, "ed", Role.EMPLOYER_CONTACT),
        (north, "edna", Role.EMPLOYER_CONTACT),
        (south, "sue", Role.CENTRE_ADMIN),
        (south, "evan", Role.EXTERNAL_VERIFIER),
    ]
    for centre, name, role in grants:
        membership_grant(by=sam, centre=centre, user=u[name], role=role)
    for name in ("alice", "arthur"):
        Competence.objects.create(
            user=u[name], role="assessor", av_unit="A1", started_on=dt.date(2012, 1, 1)
        )

    def register(first: str, user: str) -> Any:
        reg = registration_create(
            by=u["carol"],
            centre=north,
            qualification_key="4430-04",
            candidate_input=CandidateInput(first, "Smith", dt.date(1980, 1, 1)),
        )
        reg.candidate.user = u[user]
        reg.candidate.employer_contact = u["ed"] if first == "Dan" else u["edna"]
        reg.candidate.save()
        return reg

    dan, dora = register("Dan", "dan"), register("Dora", "dora")
    plan_set(
        by=u["carol"],
        registration=dan,
        units=[PlanUnitInput("401", u["alice"].pk)],
        internal_verifier_id=u["ian"].pk,
    )
    return {"u": u, "dan": dan, "dora": dora, "north": north, "south": south}


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("carol", {"Dan", "Dora"}),
        ("linda", {"Dan", "Dora"}),
        ("tom", {"Dan", "Dora"}),
        ("eve", {"Dan", "Dora"}),
        ("alice", {"Dan"}),
        ("arthur", set()),
        ("ian", {"Dan"}),
        ("iris", set()),
        ("ed", {"Dan"}),
        ("edna", {"Dora"}),
        ("dan", {"Dan"}),
        ("dora", {"Dora"}),
        ("sue", set()),
        ("evan", set()),
    ],
)
def test_each_role_sees_exactly_its_candidates(
    setup: dict[str, Any], who: str, sees: set[str]
) -> None:
    user = setup["u"][who]
    assert {r.candidate.first_name for r in registrations_visible_to(user)} == sees
    for reg in (setup["dan"], setup["dora"]):
        if reg.candidate.first_name in sees:
            assert registration_get(user, reg.pk) == reg
        else:
            with pytest.raises(NotFound, match=f"no registration {reg.pk}"):
                registration_get(user, reg.pk)


def test_anonymous_sees_nothing(setup: dict[str, Any]) -> None:
    assert not registrations_visible_to(AnonymousUser()).exists()
    assert not centres_visible_to(AnonymousUser()).exists()


def test_nobody_sees_another_centre(setup: dict[str, Any]) -> None:
    u = setup["u"]
    assert list(centres_visible_to(u["sue"])) == [setup["south"]]
    assert list(centres_visible_to(u["evan"])) == [setup["south"]]
    assert list(centres_visible_to(u["dan"])) == []  # candidates have no centre dashboard
    assert set(centres_visible_to(u["carol"])) == {setup["north"]}
