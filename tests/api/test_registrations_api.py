"""What the registration endpoints answer: registering, refusals, the entry check, bad input,
the detail and its write operations, export, bulk upload, session auth and the OpenAPI
document."""

# ruff: noqa: F811  (pytest fixtures imported from tests.fixtures_centre are parameters)

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from assay.registrations.models import Candidate, Refusal, Registration, StatusChange
from tests.api.calls import CSV_OK, auth, bulk_post, get, new_candidate, post
from tests.factories import CG
from tests.fixtures_centre import World, tokens, world  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]


def test_register_answers_the_registration(world: World, tokens: dict[str, str]) -> None:
    response = post(
        world,
        "centre_admin",
        f"/api/v1/centres/{world.north.pk}/registrations",
        new_candidate(held_qualifications=["X-1"], registered_on="2013-02-01"),
        tokens,
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["candidate"]["first_name"] == "Dan"
    assert data["candidate"]["held_qualifications"] == ["X-1"]
    assert data["qualification"]["code"] == CG and data["status"] == "registered"
    assert data["registered_on"] == "2013-02-01" and data["end_date"] == "2015-02-01"
    assert [h["to_status"] for h in data["history"]] == ["registered"]
    assert data["history"][0]["by"]["username"] == "centre_admin"
    assert Registration.objects.filter(pk=data["id"], created_by=world["centre_admin"]).exists()


def test_a_refusal_lists_every_reason_and_saves_nothing(
    world: World, tokens: dict[str, str]
) -> None:
    before = Candidate.objects.count()
    response = post(
        world,
        "centre_admin",
        f"/api/v1/centres/{world.north.pk}/registrations",
        new_candidate(date_of_birth="1996-01-01", job_kind="none", held_qualifications=[CG]),
        tokens,
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "refused"
    assert [d["code"] for d in error["details"]] == [
        "under-minimum-age",
        "already-holds",
        "no-real-job",
    ]
    assert all(d["message"] for d in error["details"])
    assert Candidate.objects.count() == before
    assert Refusal.objects.filter(centre=world.north, candidate_name="Dan Dixon").count() == 1


def test_entry_check_decides_without_saving_or_logging(
    world: World, tokens: dict[str, str]
) -> None:
    path = f"/api/v1/centres/{world.north.pk}/registrations/check"
    allowed = post(world, "centre_admin", path, new_candidate(), tokens).json()
    assert allowed == {"allowed": True, "reasons": []}
    late = post(world, "centre_admin", path, new_candidate(registered_on="2014-08-01"), tokens)
    assert late.json()["allowed"] is False
    assert [r["code"] for r in late.json()["reasons"]] == ["after-last-registration"]
    assert Refusal.objects.count() == 0 and Candidate.objects.count() == 3


def test_bad_input_is_422_with_details_per_field(world: World, tokens: dict[str, str]) -> None:
    path = f"/api/v1/centres/{world.north.pk}/registrations"
    missing = post(world, "centre_admin", path, {"first_name": "Dan"}, tokens)
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "invalid"
    assert {d["loc"][-1] for d in missing.json()["error"]["details"]} >= {
        "last_name",
        "date_of_birth",
        "qualification",
    }
    unborn = post(world, "centre_admin", path, new_candidate(date_of_birth="2020-01-01"), tokens)
    assert unborn.status_code == 422
    assert unborn.json()["error"]["details"][0]["field"] == "date_of_birth"
    plan = Client().put(
        f"/api/v1/registrations/{world.registration.pk}/plan",
        {"units": [{"unit": "999"}, {"unit": "401", "assessor_id": world["tutor"].pk}]},
        content_type="application/json",
        **auth(tokens["centre_admin"]),
    )
    assert plan.status_code == 422
    assert plan.json()["error"]["details"] == [
        {"field": "unit 999", "message": "unknown unit '999' in 4430-04"},
        {"field": "assessor 401", "message": "not an assessor at this centre"},
    ]
    unknown_qual = post(world, "centre_admin", path, new_candidate(qualification="NOPE"), tokens)
    assert unknown_qual.status_code == 404
    assert unknown_qual.json()["error"]["message"] == "unknown qualification 'NOPE'"


def test_registration_detail_and_the_write_operations(world: World, tokens: dict[str, str]) -> None:
    base = f"/api/v1/registrations/{world.registration.pk}"
    detail = get(world, "candidate_self", base, tokens).json()
    assert detail["plan"]["units"][0]["unit"] == "401"
    assert detail["plan"]["units"][0]["assessor"]["username"] == "assessor_assigned"
    assert detail["internal_verifier"]["username"] == "iv_assigned"
    assert detail["plan"]["check"]["met"] is False
    assert detail["rpl_claims"][0]["accepted"] is None
    assert detail["next_statuses"] == ["in_progress", "withdrawn", "transferred", "expired"]

    start = {"status": "in_progress", "reason": "induction done", "confirm": True}
    status = post(world, "lead_iqa", f"{base}/status", start, tokens)
    assert status.json()["from_status"] == "registered" and status.json()["by"]["username"] == (
        "lead_iqa"
    )
    wrong = post(world, "lead_iqa", f"{base}/status", {**start, "status": "registered"}, tokens)
    assert wrong.status_code == 422 and wrong.json()["error"]["details"][0]["field"] == "status"

    plan = (
        Client()
        .put(
            f"{base}/plan",
            {
                "units": [
                    {"unit": "401", "assessor_id": world["assessor_assigned"].pk},
                    {"unit": "410"},
                ]
            },
            content_type="application/json",
            **auth(tokens["centre_admin"]),
        )
        .json()
    )
    assert plan["check"]["counted_units"] and plan["internal_verifier_id"] is None

    signed = post(
        world,
        "employer_contact",
        f"{base}/signatures",
        {"document": "learning_contract", "capacity": "employer", "text": "Agreed."},
        tokens,
    ).json()
    assert signed["signer"]["username"] == "employer_contact"
    assert signed["ip_address"] == "127.0.0.1" and len(signed["text_sha256"]) == 64

    decision = post(
        world,
        "assessor_assigned",
        f"/api/v1/rpl/{world.claim.pk}/decision",
        {"accept": True},
        tokens,
    ).json()
    assert decision["accepted"] is True and decision["decided_by"]["username"] == (
        "assessor_assigned"
    )
    again = post(
        world,
        "assessor_assigned",
        f"/api/v1/rpl/{world.claim.pk}/decision",
        {"accept": False},
        tokens,
    )
    assert again.status_code == 422

    assessment = post(
        world,
        "tutor",
        f"{base}/initial-assessment",
        {"support_needs": "dyslexia", "job_role": {"plans_or_implements_strategy": True}},
        tokens,
    ).json()
    assert assessment["recommended_level"] == 4 and assessment["reasons"]

    after = get(world, "ev_assigned", base, tokens).json()
    assert [h["to_status"] for h in after["history"]] == ["registered", "in_progress"]
    assert after["signatures"][0]["document"] == "learning_contract"
    assert "402" in after["plan"]["check"]["counted_units"] or after["rpl_claims"][0]["accepted"]
    assert after["initial_assessment"]["support_needs"] == "dyslexia"
    assert StatusChange.objects.filter(registration=world.registration).count() == 2


def test_export_csv_and_xlsx(world: World, tokens: dict[str, str]) -> None:
    path = f"/api/v1/centres/{world.north.pk}/registrations/export"
    response = get(world, "centre_admin", path, tokens)
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="candidates-N1001.csv"' in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["first_name"], r["qualification"]) for r in rows] == [
        ("Alice", "4430-04"),
        ("Bob", "EDEXCEL-L3-NVQ-CS"),
    ]
    mine = get(world, "assessor_assigned", path, tokens)
    assert len(list(csv.DictReader(io.StringIO(b"".join(mine.streaming_content).decode())))) == 1
    xlsx = get(world, "centre_admin", path + "?format=xlsx", tokens)
    assert 'filename="candidates-N1001.xlsx"' in xlsx["Content-Disposition"]
    content = b"".join(xlsx.streaming_content)
    sheet = load_workbook(io.BytesIO(content), read_only=True).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "first_name" and values[1][0] == "Alice" and len(values) == 3


def test_bulk_dry_run_import_and_wrong_files(world: World, tokens: dict[str, str]) -> None:
    bad = (CSV_OK + "Eve,Evans,31/02/1990,paid,4430-04\nFay,Fox,1999-01-01,paid,NOPE\n").encode()
    report = bulk_post(world, tokens, "rows.csv", bad, dry=True)
    assert report.status_code == 200
    body = report.json()
    assert body["dry_run"] is True and body["rows"] == 3 and body["ok"] is False
    assert [e["row"] for e in body["errors"]] == [3, 4]
    refused = bulk_post(world, tokens, "rows.csv", bad, dry=False)
    assert refused.status_code == 422
    assert [d["field"] for d in refused.json()["error"]["details"]] == ["row 3", "row 4"]
    assert Candidate.objects.count() == 3
    done = bulk_post(world, tokens, "rows.csv", CSV_OK.encode(), dry=False)
    assert done.status_code == 201 and done.json()["imported"] == 1
    png = bulk_post(world, tokens, "rows.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), dry=True)
    assert png.status_code == 422 and "not UTF-8" in png.json()["error"]["message"]
    fake = bulk_post(world, tokens, "rows.xlsx", CSV_OK.encode(), dry=True)
    assert fake.status_code == 422 and "not an Excel workbook" in fake.json()["error"]["message"]


def test_session_auth_for_the_browser_with_csrf(world: World) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(world["centre_admin"])
    assert browser.get("/api/v1/centres").status_code == 200
    path = f"/api/v1/centres/{world.north.pk}/registrations"
    no_csrf = browser.post(path, new_candidate(), content_type="application/json")
    assert no_csrf.status_code == 403 and no_csrf.json()["error"]["status"] == 403
    token = "a" * 32  # any 32-character secret: the header must match the cookie
    browser.cookies["csrftoken"] = token
    ok = browser.post(
        path, new_candidate(), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert ok.status_code == 201


def test_anonymous_post_without_csrf_is_401_not_403(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    path = f"/api/v1/centres/{world.north.pk}/registrations"
    assert client.post(path, new_candidate(), content_type="application/json").status_code == 401


def test_openapi_documents_the_new_paths_and_the_bearer_scheme(world: World) -> None:
    doc = Client().get("/api/v1/openapi.json").json()
    assert {
        "/api/v1/centres",
        "/api/v1/centres/{centre_id}",
        "/api/v1/centres/{centre_id}/registrations",
        "/api/v1/centres/{centre_id}/registrations/check",
        "/api/v1/centres/{centre_id}/registrations/export",
        "/api/v1/centres/{centre_id}/bulk",
        "/api/v1/registrations/{registration_id}",
        "/api/v1/registrations/{registration_id}/status",
        "/api/v1/registrations/{registration_id}/extensions",
        "/api/v1/registrations/{registration_id}/plan",
        "/api/v1/registrations/{registration_id}/signatures",
        "/api/v1/registrations/{registration_id}/rpl",
        "/api/v1/registrations/{registration_id}/initial-assessment",
        "/api/v1/rpl/{claim_id}/decision",
    } <= set(doc["paths"])
    schemes = doc["components"]["securitySchemes"]
    assert schemes["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    op = doc["paths"]["/api/v1/registrations/{registration_id}"]["get"]
    assert {"TokenAuth": []} in op["security"]
    assert "RegistrationDetail" in doc["components"]["schemas"]
    assert "401" in op["responses"] and "404" in op["responses"]
    bulk = doc["paths"]["/api/v1/centres/{centre_id}/bulk"]["post"]
    assert "multipart/form-data" in bulk["requestBody"]["content"]
    assert "security" not in doc["paths"]["/api/v1/qualifications"]["get"]
