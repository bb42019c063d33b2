"""Schemathesis against the API's own OpenAPI document: 0 server errors, 0 schema violations.

The document is loaded from the app (WSGI, no network). Every operation is called with a real
bearer token on the web role world (tests/world.py, plus one evidence file), with generated
path ids (mostly missing: 404s; staff user only) and with the world's own ids (Dan's
registration, Northgate, his evidence, unit 401) so that success responses are checked too. Valid
requests as the staff user and as the candidate; invalid ones (negative mode) as the centre admin.
Fixed seed and bounded examples: the same requests on every run (``ASSAY_FUZZ_EXAMPLES`` raises
the bound locally).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from assay.accounts.services import token_create
from assay.api.api import api
from assay.config.wsgi import application
from assay.portfolios.models import EvidenceFile
from assay.portfolios.services import evidence_file_attach
from tests.world import World

# Server errors, status codes the document does not list, content types it does not list,
# bodies that do not match the documented schema, and invalid input answered with a success.
CHECKS = [
    not_a_server_error,
    negative_data_rejection,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES = int(os.environ.get("ASSAY_FUZZ_EXAMPLES", "3"))
POSITIVE, NEGATIVE = GenerationMode.POSITIVE, GenerationMode.NEGATIVE


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """The WSGI handler closes "old" database connections at each request's start and end;
    inside a test's transaction that would close it (PostgreSQL: "the connection is closed").
    Django's test client disconnects the same handler for the same reason."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def world(world: World) -> World:
    """The shared world (``tests/conftest.py``), with a file on Dan's evidence item."""
    upload = SimpleUploadedFile("notes.txt", b"notes\n")
    evidence_file_attach(
        by=world.user("dan"), item=world.item, upload=upload, original_name="notes.txt"
    )
    return world


def real_ids(w: World) -> dict[str, Any]:
    return {
        "centre_id": w.north.pk,
        "registration_id": w.dan.pk,
        "item_id": w.item.pk,
        "mapping_id": w.mapping.pk,
        "claim_id": w.claim.pk,
        "unit": "401",
        "user_id": w.user("alice").pk,
        "file_id": EvidenceFile.objects.get(item=w.item).pk,
        # Revoking: a token of the caller's own that nothing else uses (see ``failures``).
        "token_id": token_create(user=w.user("sam"), name="spare")[0].pk,
    }


def failures(token: str, mode: GenerationMode, ids: dict[str, Any] | None = None) -> list[str]:
    """Call every operation EXAMPLES times (with ``ids``: only operations that take one of them,
    with those fixed); the first failure of each operation."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    headers = {"Authorization": f"Bearer {token}"}
    found: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        fixed = {k: v for k, v in (ids or {}).items() if f"{{{k}}}" in operation.path}
        if ids is not None and not fixed:
            continue
        if ids is None and operation.path.endswith("/auth/tokens/{token_id}"):
            continue  # a generated id may be the caller's own token: revoking it ends the run

        @seed(2026)
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy(mode, path_parameters=fixed or None))
        def call(case: Any) -> None:
            case.validate_response(case.call(headers=headers), checks=CHECKS)

        started = time.perf_counter()
        try:
            call()
        except Unsatisfiable:
            if mode is POSITIVE:
                found.append(f"{operation.label}: no valid request could be generated")
            # else: nothing about this operation can be invalid (no parameters, no body)
        except (Exception, FailureGroup) as exc:  # hypothesis stops at an operation's first
            found.append(f"{operation.label}: {exc}")
        if os.environ.get("ASSAY_FUZZ_TIMES"):
            print(f"{time.perf_counter() - started:6.2f} s {mode.value} {operation.label}")
    return found


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "mode"), [("sam", POSITIVE), ("dan", POSITIVE), ("carol", NEGATIVE)]
)
def test_api_answers_as_its_openapi_document_says(
    world: World, username: str, mode: GenerationMode
) -> None:
    token = token_create(user=world.user(username), name="schemathesis")[1]
    found = failures(token, mode, real_ids(world))
    if username == "sam":
        found += failures(token, mode)
    assert not found, "\n\n".join(found)


def test_every_operation_with_input_documents_422_and_downloads_document_200() -> None:
    """Fixes schemathesis found: 422 from parameter validation on public operations, and the
    200 of the two file downloads, were missing from the document."""
    paths = api.get_openapi_schema()["paths"]
    for item in paths.values():
        for operation in item.values():
            if operation.get("parameters") or operation.get("requestBody"):
                assert 422 in operation["responses"], operation["operationId"]
    assert 422 in paths["/api/v1/criteria"]["get"]["responses"]
    assert 422 in paths["/api/v1/standards/{code}"]["get"]["responses"]
    export = paths["/api/v1/registrations/{registration_id}/portfolio/export"]["get"]
    assert list(export["responses"][200]["content"]) == ["application/zip"]
    download = paths["/api/v1/evidence/files/{file_id}"]["get"]
    assert list(download["responses"][200]["content"]) == ["*/*"]
