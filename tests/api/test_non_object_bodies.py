"""Issue 10: every operation that takes a JSON body refuses a body that is not an object.

The operations come from the OpenAPI document itself, so a new endpoint is covered without
editing this test. Path ids are those of the fixture world (alice's registration and so on);
the body is refused before the view runs, so any id would do.
"""

# ruff: noqa: F811  (pytest fixtures imported from tests.fixtures_centre are parameters)

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from tests.fixtures_centre import World, tokens, world  # noqa: F401

pytestmark = pytest.mark.django_db

NON_OBJECTS = ("42", "null", "[]", '"x"', "true", "[{}]")


def json_body_operations(client: Client) -> list[tuple[str, str]]:
    """(method, path) of every operation whose request body may be JSON."""
    document = client.get("/api/v1/openapi.json").json()
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                found.append((method, re.sub(r"\{[^}]+\}", "1", path)))
    return found


def snapshot() -> str:
    """Every row of every table except the token's last-used stamp, which auth updates."""
    out = io.StringIO()
    call_command("dumpdata", exclude=["contenttypes", "auth.permission", "sessions"], stdout=out)
    return re.sub(r'"last_used_at": [^,}]+', "", out.getvalue())


def test_every_json_operation_refuses_non_object_bodies(
    client: Client, world: World, tokens: dict[str, str]
) -> None:
    operations = json_body_operations(client)
    assert len(operations) > 20, operations
    assert ("post", "/api/v1/registrations/1/initial-assessment") in operations
    before = snapshot()
    header = {"HTTP_AUTHORIZATION": f"Bearer {tokens['awarding_body']}"}
    for method, path in operations:
        for body in NON_OBJECTS:
            response = client.generic(
                method.upper(), path, body, content_type="application/json", **header
            )
            assert response.status_code == 422, (method, path, body, response.content)
            error = response.json()["error"]
            assert error["code"] == "invalid"
            assert "must be a JSON object" in error["message"], error
    assert snapshot() == before


def test_initial_assessment_keeps_its_data_on_a_non_object_body(
    client: Client, world: World, tokens: dict[str, str]
) -> None:
    """The fuzzer's finding: ``42`` blanked the initial assessment and answered 200."""
    header = {"HTTP_AUTHORIZATION": f"Bearer {tokens['centre_admin']}"}
    path = f"/api/v1/registrations/{world.registration.pk}/initial-assessment"
    good = {"training_needs": "Manual handling", "support_needs": "Large print"}
    first = client.post(path, good, content_type="application/json", **header)
    assert first.status_code == 200, first.content
    before = snapshot()
    for body in NON_OBJECTS:
        refused = client.generic("POST", path, body, content_type="application/json", **header)
        assert refused.status_code == 422
    assert snapshot() == before
    kept = client.get(f"/api/v1/registrations/{world.registration.pk}", **header).json()
    assert "Manual handling" in str(kept)


def test_a_body_that_is_not_json_is_a_clear_400(client: Client, world: World) -> None:
    response = client.post("/api/v1/plans/check", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_every_json_operation_documents_its_400_and_422(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if "application/json" in operation.get("requestBody", {}).get("content", {}):
                assert {"400", "422"} <= set(operation["responses"]), (method, path)
                schema = operation["responses"]["400"]["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/Error"}
