"""The plans and reviews endpoints: list, record, sign, complete; denials by role and
relation, and the schemas in the OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from assay.accounts.services import token_create
from assay.reviews.models import AssessmentPlan, PlannedActivity, ReviewSignature
from tests.world import World

pytestmark = pytest.mark.django_db

BODY = {
    "kind": "plan",
    "met_on": "2013-02-28",
    "summary": "Start with unit 401",
    "next_review_on": "2013-05-01",
    "activities": [
        {
            "description": "Observe the team briefing",
            "method": "observation",
            "targets": ["401:1.1", "401:1.2"],
            "target_date": "2013-04-30",
        }
    ],
}


def api(world: World, name: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=world.user(name), name='t')[1]}")


def base(world: World) -> str:
    return f"/api/v1/registrations/{world.dan.pk}/reviews"


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, body, content_type="application/json")


def test_record_list_sign_and_complete(world: World) -> None:
    alice, dan, ed = (api(world, n) for n in ("alice", "dan", "ed"))
    created = post(alice, base(world), BODY)
    assert created.status_code == 201, created.content
    plan = created.json()
    assert plan["kind"] == "plan" and plan["signed"] is False and plan["progress"] is None
    assert plan["coverage"] == [{"unit": "401", "met": 0, "total": 29, "signed_off": False}]
    assert "covers 401:1.1, 401:1.2 — by 30/04/2013" in plan["text"]
    signed = post(
        dan,
        f"{base(world)}/{plan['id']}/signatures",
        {"capacity": "candidate", "text_sha256": plan["text_sha256"]},
    )
    assert signed.status_code == 201, signed.content
    assert signed.json()["text_sha256"] == plan["text_sha256"]
    assert (
        post(ed, f"{base(world)}/{plan['id']}/signatures", {"capacity": "employer"}).status_code
        == 201
    )
    twice = post(ed, f"{base(world)}/{plan['id']}/signatures", {"capacity": "employer"})
    assert (
        twice.status_code == 422
        and "already signed as employer" in twice.json()["error"]["message"]
    )
    activity_id = plan["activities"][0]["id"]
    done = post(
        alice, f"{base(world)}/activities/{activity_id}/complete", {"completed_on": "2013-03-01"}
    )
    assert done.status_code == 200 and done.json()["completed_on"] == "2013-03-01"
    listed = dan.get(base(world)).json()["items"]
    assert [s["capacity"] for s in listed[0]["signatures"]] == ["candidate", "employer"]
    assert listed[0]["activities"][0]["completed_by"] == "Alice Test"


def test_a_late_target_date_is_422_and_nothing_is_saved(world: World) -> None:
    late = {**BODY, "activities": [{**BODY["activities"][0], "target_date": "2014-09-04"}]}
    response = post(api(world, "alice"), base(world), late)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["details"] == [
        {
            "field": "activities.1.target_date",
            "message": "activity 1: target date 04/09/2014 is after the registration's end "
            "date 03/09/2014",
        }
    ]
    assert AssessmentPlan.objects.count() == PlannedActivity.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("dora", 404),  # candidate of another registration
        ("arthur", 404),  # an assessor at the centre, not Dan's
        ("sue", 404),  # another centre's administrator
        ("evan", 404),  # an EV not assigned to Northgate
        ("ian", 403),  # Dan's IV: reads only
        ("eve", 403),  # the EV: reads only
        ("dan", 403),
        ("ed", 403),
        ("carol", 403),
    ],
)
def test_only_the_assessor_records(world: World, who: str, status: int) -> None:
    response = post(api(world, who), base(world), BODY)
    assert response.status_code == status
    assert AssessmentPlan.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("dan", 200),
        ("ian", 200),
        ("eve", 200),
        ("ed", 200),
        ("dora", 404),
        ("arthur", 404),
        ("sue", 404),
    ],
)
def test_who_reads_the_list(world: World, who: str, status: int) -> None:
    assert api(world, who).get(base(world)).status_code == status


def test_anonymous_is_401(world: World) -> None:
    assert Client().get(base(world)).status_code == 401


@pytest.fixture
def plan(world: World) -> dict[str, Any]:
    return dict(post(api(world, "alice"), base(world), BODY).json())


@pytest.mark.parametrize(
    ("who", "capacity", "status"),
    [
        ("ian", "assessor", 403),
        ("eve", "assessor", 403),
        ("dan", "employer", 403),
        ("dora", "candidate", 404),
        ("arthur", "assessor", 404),
        ("sue", "assessor", 404),
    ],
)
def test_signing_denials(
    world: World, plan: dict[str, Any], who: str, capacity: str, status: int
) -> None:
    response = post(
        api(world, who), f"{base(world)}/{plan['id']}/signatures", {"capacity": capacity}
    )
    assert response.status_code == status
    assert ReviewSignature.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "status"), [("ian", 403), ("dan", 403), ("ed", 403), ("dora", 404), ("sue", 404)]
)
def test_completing_denials(world: World, plan: dict[str, Any], who: str, status: int) -> None:
    activity_id = plan["activities"][0]["id"]
    response = post(api(world, who), f"{base(world)}/activities/{activity_id}/complete", {})
    assert response.status_code == status
    assert PlannedActivity.objects.get().completed_on is None


def test_a_plan_of_another_registration_is_404(world: World, plan: dict[str, Any]) -> None:
    """Dora's registration path with Dan's plan id: not found, even for Dan's assessor."""
    carol = api(world, "carol")
    url = f"/api/v1/registrations/{world.dora.pk}/reviews/{plan['id']}/signatures"
    assert post(carol, url, {"capacity": "assessor"}).status_code == 404


def test_the_schemas_are_in_the_openapi_document(world: World) -> None:
    doc = Client().get("/api/v1/openapi.json").json()
    paths = doc["paths"]
    assert "/api/v1/registrations/{registration_id}/reviews" in paths
    assert "/api/v1/registrations/{registration_id}/reviews/{plan_id}/signatures" in paths
    assert (
        "/api/v1/registrations/{registration_id}/reviews/activities/{activity_id}/complete" in paths
    )
    assert {"ReviewPlanIn", "ReviewPlanOut", "ActivityIn", "SignIn", "ReviewSignatureOut"} <= set(
        doc["components"]["schemas"]
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"summary": "Start\x07"}, "summary"),
        ({"notes": "see \x1b[2J"}, "notes"),
        (
            {"activities": [{**BODY["activities"][0], "description": "Observe\x00"}]},
            "activities.1.description",
        ),
    ],
)
def test_control_characters_in_plan_text_are_422(
    world: World, change: dict[str, Any], field: str
) -> None:
    """Issue 10: free text keeps line breaks and tabs, but refuses other control characters."""
    response = post(api(world, "alice"), base(world), {**BODY, **change})
    assert response.status_code == 422
    assert field in [d["field"] for d in response.json()["error"]["details"]]
    assert AssessmentPlan.objects.count() == PlannedActivity.objects.count() == 0
    fine = post(api(world, "alice"), base(world), {**BODY, "notes": "line one\n\tline two"})
    assert fine.status_code == 201
