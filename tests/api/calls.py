"""Calls to the JSON API as one of the role world's people (``tests/fixtures_centre.py``),
shared by the API test modules: bearer-token GET and POST, the bulk upload, and a new
candidate's details."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.factories import CG
from tests.fixtures_centre import World

CSV_OK = (
    "first_name,last_name,date_of_birth,job_kind,qualification\nDan,Dixon,1975-02-03,paid,4430-04\n"
)


def new_candidate(**overrides: Any) -> dict[str, Any]:
    body = {
        "first_name": "Dan",
        "last_name": "Dixon",
        "date_of_birth": "1975-02-03",
        "job_kind": "paid",
        "job_role": "Head of customer service",
        "qualification": CG,
    }
    return {**body, **overrides}


def auth(token: str | None) -> dict[str, str]:
    return {} if token is None else {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def get(w: World, role: str, path: str, tokens: dict[str, str]) -> Any:
    return Client().get(path, **auth(tokens[role]))


def post(w: World, role: str, path: str, body: dict[str, Any], tokens: dict[str, str]) -> Any:
    return Client().post(path, body, content_type="application/json", **auth(tokens[role]))


def bulk_post(world: World, tokens: dict[str, str], name: str, content: bytes, dry: bool) -> Any:
    path = f"/api/v1/centres/{world.north.pk}/bulk" + ("?dry_run=true" if dry else "")
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return Client().post(path, {"file": upload}, **auth(tokens["centre_admin"]))
