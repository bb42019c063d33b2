"""People, sites and account-link endpoints: what each answers, and refusals that change
nothing. (Who may call them is in the role matrix of ``test_registrations_api.py``.)"""

# ruff: noqa: F811  (pytest fixtures imported from tests.fixtures_centre are parameters)

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from assay.centres.models import Competence, CpdEntry
from assay.registrations.models import Candidate, Registration
from tests.fixtures_centre import World, tokens, world  # noqa: F401

pytestmark = pytest.mark.django_db


def call(method: str, path: str, body: dict[str, Any], token: str) -> Any:
    return Client().generic(
        method,
        f"/api/v1{path}",
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def people(w: World, who: str, suffix: str) -> str:
    return f"/centres/{w.north.pk}/people/{w[who].pk}{suffix}"


def test_record_a_unit_answers_its_deadline(world: World, tokens: dict[str, str]) -> None:
    body = {"role": "assessor", "av_unit": "A1", "started_on": "2011-06-01"}
    response = call("POST", people(world, "tutor", "/competence"), body, tokens["centre_admin"])
    assert response.status_code == 201, response.content
    data = response.json()
    row = Competence.objects.get(user=world["tutor"])
    assert data["id"] == row.pk and data["status"] == "overdue"
    assert data["deadline"] == "2012-12-01" and data["can_take_new_candidates"] is False
    dashboard = call("GET", f"/centres/{world.north.pk}", {}, tokens["centre_admin"]).json()
    staff = {m["person"]["username"]: m for m in dashboard["staff"]}
    assert staff["iv_assigned"]["competence"][0]["id"] == world.extra["competence"].pk


def test_bad_unit_records_answer_422_per_field(world: World, tokens: dict[str, str]) -> None:
    before = Competence.objects.count()
    body = {"role": "assessor", "av_unit": "A1", "started_on": "2012-06-01"}
    late = call(
        "POST",
        people(world, "tutor", "/competence"),
        {**body, "achieved_on": "2012-05-01"},
        tokens["centre_admin"],
    )
    assert late.status_code == 422
    assert late.json()["error"]["details"][0]["field"] == "achieved_on"
    staff_only = call(
        "POST", people(world, "employer_contact", "/competence"), body, tokens["centre_admin"]
    )
    assert staff_only.status_code == 422
    assert staff_only.json()["error"]["details"] == [
        {"field": "user", "message": "employer_contact holds no staff role at North Training"}
    ]
    candidate = call(
        "POST", people(world, "candidate_self", "/competence"), body, tokens["centre_admin"]
    )
    assert candidate.status_code == 404  # not one of the centre's people
    ev = call(
        "POST",
        people(world, "ev_assigned", "/competence"),
        {**body, "role": "external_verifier"},
        tokens["centre_admin"],
    )
    assert ev.status_code == 403
    assert Competence.objects.count() == before


def test_mark_achieved_once(world: World, tokens: dict[str, str]) -> None:
    path = people(world, "iv_assigned", f"/competence/{world.extra['competence'].pk}/achieved")
    done = call("POST", path, {"achieved_on": "2013-02-01"}, tokens["awarding_body"])
    assert done.status_code == 200 and done.json()["status"] == "qualified"
    again = call("POST", path, {"achieved_on": "2013-02-02"}, tokens["centre_admin"])
    assert again.status_code == 422
    assert again.json()["error"]["message"] == "achieved_on: V1 was achieved on 01/02/2013"
    other = people(world, "tutor", f"/competence/{world.extra['competence'].pk}/achieved")
    assert (
        call("POST", other, {"achieved_on": "2013-02-01"}, tokens["centre_admin"]).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"on": "2013-03-02", "hours": 1}, "on"),
        ({"on": "2013-02-02", "hours": -1}, "hours"),
        ({"on": "2013-02-02", "hours": "1.25"}, "hours"),
        ({"on": "2013-02-02", "hours": 1, "activity": " "}, "activity"),
    ],
)
def test_bad_cpd_answers_422_and_saves_nothing(
    world: World, tokens: dict[str, str], body: dict[str, Any], field: str
) -> None:
    response = call(
        "POST",
        people(world, "iv_assigned", "/cpd"),
        {"activity": "Reading", **body},
        tokens["iv_assigned"],
    )
    assert response.status_code == 422
    assert [d["field"] for d in response.json()["error"]["details"]] == [field]
    assert not CpdEntry.objects.exists()


def test_cpd_answers_the_entry(world: World, tokens: dict[str, str]) -> None:
    response = call(
        "POST",
        people(world, "iv_assigned", "/cpd"),
        {"on": "2013-02-20", "hours": "2.5", "activity": "Sampling workshop"},
        tokens["iv_assigned"],
    )
    assert response.status_code == 201
    data = response.json()
    assert data["person"]["username"] == "iv_assigned" and data["hours"] == 2.5
    assert data["on"] == "2013-02-20" and data["activity"] == "Sampling workshop"


def test_sites_and_expiry_on_the_dashboard(world: World, tokens: dict[str, str]) -> None:
    site = call(
        "POST", f"/centres/{world.north.pk}/sites", {"name": "Quayside"}, tokens["centre_admin"]
    )
    assert site.status_code == 201 and site.json()["name"] == "Quayside"
    twice = call(
        "POST", f"/centres/{world.north.pk}/sites", {"name": "QUAYSIDE"}, tokens["centre_admin"]
    )
    assert twice.status_code == 422
    Registration.objects.filter(pk=world.registration.pk).update(end_date=dt.date(2013, 2, 1))
    admin = call("GET", f"/centres/{world.north.pk}", {}, tokens["centre_admin"]).json()
    assert admin["sites"] == [site.json()] and admin["due_to_expire"] == 1
    tutor = call("GET", f"/centres/{world.north.pk}", {}, tokens["tutor"]).json()
    assert tutor["sites"] == [site.json()] and tutor["due_to_expire"] == 0


def test_link_a_sign_in_and_set_the_employer_contact(world: World, tokens: dict[str, str]) -> None:
    base = f"/registrations/{world.other_registration.pk}"
    spare = world.extra["spare"]
    linked = call("PUT", f"{base}/account", {"user_id": spare.pk}, tokens["centre_admin"])
    assert linked.status_code == 200
    assert linked.json()["account"]["username"] == "spare"
    contact = call(
        "PUT",
        f"{base}/employer-contact",
        {"user_id": world["employer_contact"].pk},
        tokens["centre_admin"],
    )
    assert contact.json()["employer_contact"]["username"] == "employer_contact"
    cleared = call("PUT", f"{base}/employer-contact", {"user_id": None}, tokens["centre_admin"])
    assert cleared.json() == {
        "candidate_id": world.other_registration.candidate.pk,
        "account": linked.json()["account"],
        "employer_contact": None,
    }


def test_refused_links_answer_422_and_change_nothing(world: World, tokens: dict[str, str]) -> None:
    before = list(Candidate.objects.values_list("pk", "user", "employer_contact"))
    base = f"/registrations/{world.registration.pk}"
    admin = tokens["centre_admin"]
    for path, user_id, message in [
        ("account", world["candidate_other"].pk, "already the sign-in of another candidate"),
        ("account", world["tutor"].pk, "holds a staff role at North Training"),
        ("account", 999999, "there is no user 999999"),
        ("employer-contact", world["tutor"].pk, "tutor is not an employer contact"),
    ]:
        response = call("PUT", f"{base}/{path}", {"user_id": user_id}, admin)
        assert response.status_code == 422, path
        assert message in response.json()["error"]["message"]
    assert list(Candidate.objects.values_list("pk", "user", "employer_contact")) == before
