"""The centre lists of the API one keyset page at a time (issue 12): centres, a centre's
registrations (with status and qualification filters) and its record anchors; a bad cursor is
400 with a message, denials are unchanged, and the queries do not grow with the list."""

# ruff: noqa: F811  (pytest fixtures imported from tests.fixtures_centre are parameters)

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assay.catalogue.models import SpecFile
from tests.api.calls import auth, get
from tests.fixtures_centre import World, tokens, world  # noqa: F401
from tests.registrations.helpers import crowd

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media")]

SPEC_CONTENT = f'"{SpecFile._meta.db_table}"."content"'


def walk(world: World, role: str, path: str, tokens: dict[str, str]) -> list[dict[str, Any]]:
    """Every item of every page, following ``next`` from the first page."""
    items: list[dict[str, Any]] = []
    cursor = None
    sep = "&" if "?" in path else "?"
    while True:
        url = path if cursor is None else f"{path}{sep}cursor={cursor}"
        answer = get(world, role, url, tokens)
        assert answer.status_code == 200, answer.json()
        body = answer.json()
        assert set(body) == {"items", "next", "previous", "size"}
        items += body["items"]
        if body["next"] is None:
            return items
        cursor = body["next"]


def test_walking_the_registration_pages_lists_each_visible_one_once(
    world: World, tokens: dict[str, str]
) -> None:
    crowd(world.north, world.registration.qualification, 23)
    path = f"/api/v1/centres/{world.north.pk}/registrations"
    rows = walk(world, "centre_admin", path + "?size=5", tokens)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)) == 25
    assert ids == sorted(ids)  # the order they were made: a sync resumes from its cursor
    assert all(r["qualification"]["version"] for r in rows)
    held = next(r for r in rows if r["candidate"]["first_name"] == "First000")
    assert held["candidate"]["held_qualifications"] == ["A-1", "Z-2"]
    assert [r["id"] for r in walk(world, "assessor_assigned", path + "?size=1", tokens)] == [
        world.registration.pk
    ]
    assert walk(world, "lead_iqa", path + "?size=200", tokens) == rows


def test_registration_filters(world: World, tokens: dict[str, str]) -> None:
    crowd(world.north, world.registration.qualification, 12)
    path = f"/api/v1/centres/{world.north.pk}/registrations"
    withdrawn = walk(world, "centre_admin", path + "?status=withdrawn&size=2", tokens)
    assert withdrawn and {r["status"] for r in withdrawn} == {"withdrawn"}
    edexcel = walk(world, "centre_admin", path + "?qualification=EDEXCEL-L3-NVQ-CS", tokens)
    assert [r["candidate"]["first_name"] for r in edexcel] == ["Bob"]
    mine = walk(world, "assessor_assigned", path + "?qualification=EDEXCEL-L3-NVQ-CS", tokens)
    assert mine == []  # a filter never widens what the caller may see
    bad = get(world, "centre_admin", path + "?status=lost", tokens)
    assert bad.status_code == 422


def test_a_bad_cursor_or_size_is_a_400_or_422_with_a_message(
    world: World, tokens: dict[str, str]
) -> None:
    crowd(world.north, world.registration.qualification, 4)
    path = f"/api/v1/centres/{world.north.pk}/registrations"
    first = get(world, "centre_admin", path + "?size=2", tokens).json()
    assert first["next"] and first["previous"] is None and first["size"] == 2
    for cursor in ("garbage", first["next"][:-2] + "zz"):
        answer = get(world, "centre_admin", f"{path}?size=2&cursor={cursor}", tokens)
        assert answer.status_code == 400
        error = answer.json()["error"]
        assert error["code"] == "bad_request" and "page link is not valid" in error["message"]
        assert error["details"][0]["field"] == "cursor"
    # A cursor of one list is refused by another (signed with its ordering).
    centres = get(world, "centre_admin", f"/api/v1/centres?cursor={first['next']}", tokens)
    assert centres.status_code == 400
    for size in ("0", "201", "many"):
        assert get(world, "centre_admin", f"{path}?size={size}", tokens).status_code == 422


def test_denials_are_unchanged_with_a_cursor(world: World, tokens: dict[str, str]) -> None:
    crowd(world.north, world.registration.qualification, 4)
    path = f"/api/v1/centres/{world.north.pk}/registrations"
    cursor = get(world, "centre_admin", path + "?size=2", tokens).json()["next"]
    for role in ("admin_other_centre", "candidate_self", "employer_contact"):
        for url in (path, f"{path}?size=2&cursor={cursor}", f"{path}?status=registered"):
            answer = get(world, role, url, tokens)
            assert answer.status_code == 404, (role, url)
            assert answer.json()["error"]["message"] == f"no centre {world.north.pk}"
    assert Client().get(path).status_code == 401
    anchors = f"/api/v1/centres/{world.north.pk}/anchors"
    assert get(world, "assessor_assigned", anchors, tokens).status_code == 403
    assert get(world, "admin_other_centre", anchors, tokens).status_code == 404
    assert get(world, "candidate_self", anchors + "?size=1", tokens).status_code == 404


def count_queries(path: str, token: str) -> tuple[int, list[str]]:
    Client().get(path, **auth(token))  # the token's first use of the day is written once
    with CaptureQueriesContext(connection) as captured:
        assert Client().get(path, **auth(token)).status_code == 200
    return len(captured), [q["sql"] for q in captured.captured_queries]


@pytest.mark.parametrize("role", ["centre_admin", "assessor_assigned", "ev_assigned"])
def test_registration_pages_read_the_same_queries_at_two_sizes(
    world: World, tokens: dict[str, str], role: str, django_assert_max_num_queries: Any
) -> None:
    path = f"/api/v1/centres/{world.north.pk}/registrations"
    small, sql = count_queries(path, tokens[role])
    assert not any(SPEC_CONTENT in q for q in sql)
    crowd(world.north, world.registration.qualification, 120)
    with django_assert_max_num_queries(small):
        assert get(world, role, path, tokens).status_code == 200
    nxt = get(world, role, path, tokens).json()["next"]
    large, sql = count_queries(path + "?status=registered", tokens[role])
    assert large == small and not any(SPEC_CONTENT in q for q in sql)
    if nxt:
        assert count_queries(f"{path}?cursor={nxt}", tokens[role])[0] == small


def test_centre_pages(world: World, tokens: dict[str, str]) -> None:
    from tests.factories import make_centre

    names = [c["name"] for c in walk(world, "awarding_body", "/api/v1/centres?size=1", tokens)]
    assert names == ["North Training", "South Skills"]
    small, _ = count_queries("/api/v1/centres", tokens["awarding_body"])
    for n in range(6):
        make_centre(world["awarding_body"], f"X{n}", f"Extra {n}", quals=())
    everyone = walk(world, "awarding_body", "/api/v1/centres?size=3", tokens)
    assert len(everyone) == 8 and [c["name"] for c in everyone] == sorted(
        c["name"] for c in everyone
    )
    assert count_queries("/api/v1/centres", tokens["awarding_body"])[0] == small
    roles = get(world, "iv_assigned", "/api/v1/centres", tokens).json()["items"]
    assert [(c["number"], c["roles"]) for c in roles] == [("N1001", ["internal_verifier"])]


def test_anchor_pages_hold_the_downloads_heads(world: World, tokens: dict[str, str]) -> None:
    from assay.portfolios.anchors import centre_anchors

    crowd(world.north, world.registration.qualification, 3)
    path = f"/api/v1/centres/{world.north.pk}/anchors"
    heads = walk(world, "centre_admin", path + "?size=2", tokens)
    _, lines = centre_anchors(world["centre_admin"], world.north.pk)
    whole = [json.loads(line) for line in lines]
    key = lambda h: (h["chain"], h["length"], h["hash"])  # noqa: E731
    assert sorted(map(key, heads)) == sorted(map(key, whole)) and len(heads) == len(whole)
    small, _ = count_queries(path + "?size=2", tokens["lead_iqa"])
    crowd(world.north, world.registration.qualification, 30)
    assert count_queries(path + "?size=2", tokens["lead_iqa"])[0] == small
