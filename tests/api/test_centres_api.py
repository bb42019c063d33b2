"""What the centre endpoints answer: centre and candidate lists, the dashboard, and
forbidden answering like missing."""

# ruff: noqa: F811  (pytest fixtures imported from tests.fixtures_centre are parameters)

from __future__ import annotations

import pytest

from assay.centres.models import Competence
from tests.api.calls import get
from tests.fixtures_centre import World, tokens, world  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def test_centre_lists_follow_the_roles(world: World, tokens: dict[str, str]) -> None:
    def names(role: str) -> list[str]:
        return [c["name"] for c in get(world, role, "/api/v1/centres", tokens).json()["items"]]

    assert names("centre_admin") == ["North Training"]
    assert names("admin_other_centre") == ["South Skills"]
    assert names("candidate_self") == [] and names("employer_contact") == []
    assert names("awarding_body") == ["North Training", "South Skills"]
    row = get(world, "iv_assigned", "/api/v1/centres", tokens).json()["items"][0]
    assert row["roles"] == ["internal_verifier"] and row["number"] == "N1001"


def test_candidate_list_is_narrowed_to_the_callers_candidates(
    world: World, tokens: dict[str, str]
) -> None:
    path = f"/api/v1/centres/{world.north.pk}/registrations"

    def who_is_listed(role: str) -> set[str]:
        page = get(world, role, path, tokens).json()
        return {r["candidate"]["first_name"] for r in page["items"]}

    assert who_is_listed("centre_admin") == {"Alice", "Bob"}
    assert who_is_listed("ev_assigned") == {"Alice", "Bob"}
    assert who_is_listed("assessor_assigned") == {"Alice"}
    assert who_is_listed("iv_other") == {"Bob"}


def test_forbidden_answers_exactly_like_missing(world: World, tokens: dict[str, str]) -> None:
    pk = world.registration.pk
    forbidden = get(world, "assessor_other", f"/api/v1/registrations/{pk}", tokens)
    missing = get(world, "assessor_other", "/api/v1/registrations/999999", tokens)
    assert forbidden.status_code == missing.status_code == 404
    assert forbidden.json() == {
        "error": {
            "status": 404,
            "code": "not_found",
            "message": f"no registration {pk}",
            "details": [],
        }
    }
    assert missing.json()["error"]["message"] == "no registration 999999"
    other = get(world, "admin_other_centre", f"/api/v1/centres/{world.north.pk}", tokens)
    assert other.json()["error"] == {
        "status": 404,
        "code": "not_found",
        "message": f"no centre {world.north.pk}",
        "details": [],
    }


def test_dashboard_counts_approvals_and_staff_deadlines(
    world: World, tokens: dict[str, str]
) -> None:
    import datetime as dt

    Competence.objects.create(
        user=world["assessor_other"], role="assessor", av_unit="A1", started_on=dt.date(2011, 6, 1)
    )
    Competence.objects.create(
        user=world["assessor_assigned"],
        role="assessor",
        av_unit="A1",
        started_on=dt.date(2011, 1, 1),
        achieved_on=dt.date(2012, 1, 1),
    )
    data = get(world, "centre_admin", f"/api/v1/centres/{world.north.pk}", tokens).json()
    assert data["today"] == "2013-03-01"
    assert data["registrations"]["total"] == 2
    assert data["registrations"]["by_status"]["registered"] == 2
    assert {a["qualification"]: a["in_force"] for a in data["approvals"]} == {
        "4430-04": True,
        "EDEXCEL-L3-NVQ-CS": True,
    }
    staff = {m["person"]["username"]: m for m in data["staff"]}
    assert staff["assessor_other"]["competence"][0]["status"] == "overdue"
    assert staff["assessor_other"]["can_take_new_candidates"] is False
    assert staff["assessor_assigned"]["competence"][0]["status"] == "qualified"
    assert any("overdue" in w for w in data["warnings"])
    mine = get(world, "assessor_assigned", f"/api/v1/centres/{world.north.pk}", tokens).json()
    assert mine["registrations"]["total"] == 1
