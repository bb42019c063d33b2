"""JSON API v1: catalogue reads, plan check/complete, one error shape, OpenAPI document."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    return Client()


def test_openapi_document_is_served_and_lists_the_operations(client: Client) -> None:
    doc = client.get("/api/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    paths = set(doc["paths"])
    assert {
        "/api/v1/qualifications",
        "/api/v1/qualifications/{key}",
        "/api/v1/qualifications/{key}/units",
        "/api/v1/qualifications/{key}/units/{number}",
        "/api/v1/plans/check",
        "/api/v1/plans/complete",
        "/api/v1/criteria",
    } <= paths


def test_api_docs_page_loads_no_remote_assets(client: Client) -> None:
    page = client.get("/api/v1/docs").content.decode()
    assert "swagger" in page.lower()
    assert "cdn." not in page and "https://" not in page.split("openapi.json")[0]


def test_list_and_read(client: Client, catalogue: None) -> None:
    codes = {q["code"] for q in client.get("/api/v1/qualifications").json()["items"]}
    assert codes == {"4430-04", "EDEXCEL-L3-NVQ-CS"}
    qual = client.get("/api/v1/qualifications/4430-04").json()
    assert len(qual["units"]) == 33 and qual["accreditation_number"] == "500/8817/8"
    unit = client.get("/api/v1/qualifications/4430-04/units/405").json()
    assert unit["simulation"]["allowed"] == "exception"
    assert len(client.get("/api/v1/qualifications/cg-4430-04/units").json()) == 33


def test_errors_have_one_shape(client: Client, catalogue: None) -> None:
    missing = client.get("/api/v1/qualifications/nope")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": {
            "status": 404,
            "code": "not_found",
            "message": "unknown qualification 'nope'",
            "details": [],
        }
    }
    unit = client.get("/api/v1/qualifications/4430-04/units/999")
    assert (
        unit.status_code == 404
        and unit.json()["error"]["message"] == "unknown unit '999' in 4430-04"
    )
    bad = client.post("/api/v1/plans/check", {"units": "401"}, content_type="application/json")
    assert bad.status_code == 422
    body = bad.json()["error"]
    assert body["code"] == "invalid" and body["details"]


def test_plan_check(client: Client, catalogue: None) -> None:
    response = client.post(
        "/api/v1/plans/check",
        {"qualification": "4430-04", "units": ["401", "402", "403", "405", "410", "411", "412"]},
        content_type="application/json",
    )
    data = response.json()
    assert response.status_code == 200 and data["met"] is True and data["total_credits"] == 67


def test_plan_check_unknown_unit_is_404_with_its_name(client: Client, catalogue: None) -> None:
    response = client.post(
        "/api/v1/plans/check",
        {"qualification": "4430-04", "units": ["401", "777"]},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "unknown unit '777' in 4430-04"


def test_plan_complete(client: Client, catalogue: None) -> None:
    response = client.post(
        "/api/v1/plans/complete",
        {"qualification": "edexcel-l3-nvq-cs", "have": ["7", "8"], "objective": "fewest-units"},
        content_type="application/json",
    )
    data = response.json()
    assert response.status_code == 200 and data["feasible"] is True and len(data["add"]) == 6
    assert data["decision"]["met"] is True


def test_criteria_search(client: Client, catalogue: None) -> None:
    hits = client.get("/api/v1/criteria", {"q": "emergency drills"}).json()["items"]
    assert [(h["unit"], h["number"]) for h in hits] == [("405", "2.7")]
