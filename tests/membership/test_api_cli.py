"""GET /registrations/{id}/membership and /progression, and ``assay membership show``."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from assay.registrations.models import Registration
from tests.cli.helpers import run
from tests.world import World

pytestmark = pytest.mark.django_db


def _get(world: World, name: str | None, path: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    client = Client()
    if name:
        client.force_login(world.user(name))
    response = client.get(path)
    return response.status_code, response.json()


def test_api_membership_and_progression(completed: World) -> None:
    base = f"/api/v1/registrations/{completed.dan.pk}"
    status, body = _get(completed, "dan", base + "/membership")
    assert status == 200 and body["grade"] == "Management"
    assert body["rests_on"]["list_entry"] == "N/SVQ at Level 4 in Customer Service"
    status, body = _get(completed, "ed", base + "/progression")
    assert status == 200 and body["qualification"] == "4430-04"
    assert [s["in_catalogue"] for s in body["steps"]] == [None, None]


@pytest.mark.parametrize("name", ["dora", "edna", "sue"])
def test_api_strangers_404(completed: World, name: str) -> None:
    for tail in ("membership", "progression"):
        status, body = _get(completed, name, f"/api/v1/registrations/{completed.dan.pk}/{tail}")
        assert status == 404 and set(body) == {"error"}


def test_api_anonymous_401(completed: World) -> None:
    status, _ = _get(completed, None, f"/api/v1/registrations/{completed.dan.pk}/membership")
    assert status == 401


def test_cli_show(world: World, erin: Registration) -> None:
    code, out, err = run("membership", "show", str(erin.pk), "--as", "carol")
    assert code == 0, err
    assert out.startswith("Institute of Customer Service: no grade yet\n")
    assert "Edexcel Level 4 NVQ in Customer Service (in Assay's catalogue as 4430-04; " in out
    assert "counts again: EDEXCEL-L3-NVQ-CS unit 18 as 304 (recognition of prior learning)" in out
    code, out, _ = run("membership", "show", str(erin.pk), "--json")
    assert code == 0 and json.loads(out)["membership"]["grade"] is None


def test_cli_stranger_fails(world: World, erin: Registration) -> None:
    code, out, err = run("membership", "show", str(erin.pk), "--as", "sue")
    assert (code, out) == (2, "") and err == f"assay: error: no registration {erin.pk}\n"
