"""API: a status change needs a reason and ``confirm``; *completed* needs the rules met;
extensions are recorded; the held-qualification rule matches variants (one and bulk)."""

# ruff: noqa: F811  (pytest fixtures imported from tests.fixtures_centre are parameters)

from __future__ import annotations

import pytest

from assay.registrations.models import Extension, Registration, StatusChange
from tests.api.calls import CSV_OK, bulk_post, new_candidate, post
from tests.fixtures_centre import World, tokens, world  # noqa: F401

pytestmark = pytest.mark.django_db


def base(world: World) -> str:
    return f"/api/v1/registrations/{world.registration.pk}"


def fields(response: object) -> dict[str, str]:
    details = response.json()["error"]["details"]  # type: ignore[attr-defined]
    return {d["field"]: d["message"] for d in details}


def test_status_needs_reason_and_confirm(world: World, tokens: dict[str, str]) -> None:
    path = f"{base(world)}/status"
    missing = post(world, "lead_iqa", path, {"status": "in_progress"}, tokens)
    assert missing.status_code == 422
    assert set(fields(missing)) == {"reason", "confirm"}
    invisible = {"status": "in_progress", "reason": "\u200b\u200b", "confirm": True}
    assert set(fields(post(world, "lead_iqa", path, invisible, tokens))) == {"reason"}
    ok = post(world, "lead_iqa", path, {**invisible, "reason": "induction done"}, tokens)
    assert ok.status_code == 200 and ok.json()["reason"] == "induction done"
    done = {"status": "completed", "reason": "all done", "confirm": True}
    refused = post(world, "lead_iqa", path, done, tokens)
    assert refused.status_code == 422
    assert "rules of combination of 4430-04 are not met" in fields(refused)["status"]
    assert list(
        StatusChange.objects.filter(registration=world.registration).values_list(
            "to_status", flat=True
        )
    ) == ["registered", "in_progress"]


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("tutor", 403),
        ("assessor_assigned", 403),
        ("candidate_self", 403),
        ("admin_other_centre", 404),
    ],
)
def test_status_denials(world: World, tokens: dict[str, str], role: str, status: int) -> None:
    body = {"status": "withdrawn", "reason": "moved", "confirm": True}
    assert post(world, role, f"{base(world)}/status", body, tokens).status_code == status
    assert Registration.objects.get(pk=world.registration.pk).status == "registered"


def test_extension(world: World, tokens: dict[str, str]) -> None:
    path = f"{base(world)}/extensions"
    end = world.registration.end_date
    no_reason = post(world, "centre_admin", path, {"new_end": "2016-01-31", "reason": " "}, tokens)
    assert no_reason.status_code == 422 and set(fields(no_reason)) == {"reason"}
    earlier = post(world, "centre_admin", path, {"new_end": "2013-12-31", "reason": "x"}, tokens)
    assert (
        earlier.status_code == 422
        and "is not after the current end date" in fields(earlier)["new_end"]
    )
    created = post(
        world, "centre_admin", path, {"new_end": "2016-01-31", "reason": "illness"}, tokens
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["previous_end"], data["new_end"]) == (end.isoformat(), "2016-01-31")
    assert data["by"]["username"] == "centre_admin"
    for role, status in [("lead_iqa", 403), ("tutor", 403), ("admin_other_centre", 404)]:
        body = {"new_end": "2016-06-30", "reason": "x"}
        assert post(world, role, path, body, tokens).status_code == status
    assert Extension.objects.count() == 1


@pytest.mark.parametrize("held", ["cg-4430-04", "4430 04", " 4430-04", "4543-04"])
def test_register_refuses_held_variants(world: World, tokens: dict[str, str], held: str) -> None:
    path = f"/api/v1/centres/{world.north.pk}/registrations"
    response = post(world, "centre_admin", path, new_candidate(held_qualifications=[held]), tokens)
    assert response.status_code == 422
    assert [d["code"] for d in response.json()["error"]["details"]] == ["already-holds"]


def test_bulk_refuses_held_variants(world: World, tokens: dict[str, str]) -> None:
    header, row = CSV_OK.splitlines()[:2]
    content = f"{header},held_qualifications\n{row},CG-4430-04\n".encode()
    report = bulk_post(world, tokens, "rows.csv", content, dry=True)
    assert report.status_code == 200 and report.json()["ok"] is False
    assert "already-holds" in " ".join(report.json()["errors"][0]["errors"])
