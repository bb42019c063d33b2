"""The notifications list, in the API and on the page, is a keyset page (issue 12): walking it
returns each of one's own notifications once, newest first (unread only with the filter); a
page costs the same queries however many there are; nobody reaches another person's through a
cursor; an edited cursor answers 400 with a message."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from assay.accounts.services import token_create
from assay.notifications.models import Kind, Notification
from tests.keyset_walk import BAD_CURSORS, api_queries, page_queries, walk_api, walk_pages

pytestmark = pytest.mark.django_db
API = "/api/v1/notifications"
ROW = r'id="notification-(\d+)"'


def notes(user: Any, n: int, *, start: int = 0) -> list[Notification]:
    """``n`` notifications for ``user``; every third one read, some sharing a timestamp (the
    primary key breaks the tie)."""
    base = timezone.now() - dt.timedelta(days=1)
    return [
        Notification.objects.create(
            recipient=user,
            kind=Kind.EVIDENCE_JUDGED,
            text=f"note {start + i}",
            body="a line",
            reason="your portfolio",
            link="/",
            created_at=base + dt.timedelta(minutes=(start + i) // 2),
            read_at=base if i % 3 == 0 else None,
        )
        for i in range(n)
    ]


def bearer(user: Any) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token_create(user=user, name='t')[1]}"}


def newest_first(user: Any, **filters: Any) -> list[int]:
    rows = Notification.objects.filter(recipient=user, **filters)
    return list(rows.order_by("-created_at", "-pk").values_list("pk", flat=True))


@pytest.mark.parametrize("size", [1, 4, 50])
def test_walking_returns_each_of_ones_own_once(w: dict[str, Any], size: int) -> None:
    notes(w["dan"], 11)
    notes(w["alice"], 5)
    client = Client()
    listed = walk_api(client, API, size, **bearer(w["dan"]))
    assert [n["id"] for n in listed] == newest_first(w["dan"])
    unread = walk_api(client, API + "?unread=true", size, **bearer(w["dan"]))
    assert [n["id"] for n in unread] == newest_first(w["dan"], read_at__isnull=True)
    signed_in = Client()
    signed_in.force_login(w["dan"])
    shown = walk_pages(signed_in, f"/notifications/?size={size}", ROW)
    assert [int(pk) for pk in shown] == newest_first(w["dan"])


def test_a_cursor_never_reaches_another_persons(w: dict[str, Any]) -> None:
    notes(w["dan"], 6)
    notes(w["alice"], 6, start=100)
    client = Client()
    cursor = client.get(API + "?size=1", **bearer(w["alice"])).json()["next"]
    page = client.get(f"{API}?size=50&cursor={cursor}", **bearer(w["dan"])).json()
    mine = set(newest_first(w["dan"]))
    assert page["items"] and {n["id"] for n in page["items"]} <= mine
    signed_in = Client()
    signed_in.force_login(w["dan"])
    shown = signed_in.get(f"/notifications/?cursor={cursor}").content.decode()
    assert "note 10" not in shown  # Alice's start at 100
    assert all(int(pk) in mine for pk in re.findall(ROW, shown))


def test_a_page_costs_the_same_queries_for_few_or_many(w: dict[str, Any]) -> None:
    notes(w["dan"], 3)
    client, headers = Client(), bearer(w["dan"])
    signed_in = Client()
    signed_in.force_login(w["dan"])
    cursor = client.get(API + "?size=1", **headers).json()["next"]
    small = (
        api_queries(client, API + "?size=100", **headers),
        api_queries(client, f"{API}?size=100&cursor={cursor}", **headers),
        page_queries(signed_in, "/notifications/?size=100"),
    )
    notes(w["dan"], 40, start=3)
    cursor = client.get(API + "?size=1", **headers).json()["next"]
    large = (
        api_queries(client, API + "?size=100", **headers),
        api_queries(client, f"{API}?size=100&cursor={cursor}", **headers),
        page_queries(signed_in, "/notifications/?size=100"),
    )
    assert small == large


@pytest.mark.parametrize("cursor", BAD_CURSORS)
def test_an_edited_cursor_answers_400(w: dict[str, Any], cursor: str) -> None:
    response = Client().get(f"{API}?cursor={cursor}", **bearer(w["dan"]))
    assert response.status_code == 400
    assert "page link is not valid" in response.json()["error"]["message"]
    signed_in = Client()
    signed_in.force_login(w["dan"])
    page = signed_in.get(f"/notifications/?cursor={cursor}")
    assert page.status_code == 400 and "page link is not valid" in page.content.decode()
    assert signed_in.get("/notifications/?size=500").status_code == 400
    assert Client().get(f"{API}?size=500", **bearer(w["dan"])).status_code == 422
