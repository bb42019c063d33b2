"""The notifications page, the nav badge and the API: a person only ever sees and marks their
own; anyone else's answers 404 like a missing one; anonymous visitors are sent to sign in."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from assay.accounts.services import token_create
from assay.notifications.models import Notification
from assay.portfolios.assessment import criterion_judge
from assay.portfolios.services import evidence_add
from assay.web.context_processors import notifications as badge

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def noted(w: dict[str, Any], commit: Any) -> dict[str, Any]:
    """Dan has two notifications (two judgements, each its own request); Alice and Bob one
    each (Dan's new evidence)."""
    with commit():
        evidence_add(
            by=w["dan"],
            registration=w["reg"],
            method="observation",
            started_on=dt.date(2013, 2, 1),
            description="Observed at the desk",
            context="real_job",
        )
    for criterion in ("1.1", "1.2"):
        with commit():
            criterion_judge(
                by=w["alice"],
                registration=w["reg"],
                unit="403",
                criterion=criterion,
                met=False,
                feedback="Show it at work",
            )
    return w


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_lists_ones_own_newest_first(noted: dict[str, Any]) -> None:
    response = signed_in(noted["dan"]).get("/notifications/")
    assert response.status_code == 200
    text = response.content.decode()
    assert text.index("criterion 1.2") < text.index("criterion 1.1")
    assert "2 unread" in text and "New evidence from" not in text
    assert "You are told because it is your portfolio." in text
    assert 'aria-label="2 unread">2</span>' in text  # the badge in the nav


def test_mark_one_read_with_htmx_then_all(noted: dict[str, Any]) -> None:
    client = signed_in(noted["dan"])
    first, second = Notification.objects.filter(recipient=noted["dan"]).order_by("pk")
    response = client.post(f"/notifications/{first.pk}/read", headers=HTMX)
    assert response.status_code == 200
    assert f'id="notification-{first.pk}"' in response.content.decode()
    body = response.content.decode()
    assert "Mark read" not in body.split('id="nav-unread"')[0]
    # The nav's count follows, out of band: one left.
    assert '<span id="nav-unread" hx-swap-oob="true"> <span class="badge' in body
    assert 'aria-label="1 unread">1</span>' in body
    first.refresh_from_db()
    assert first.read_at is not None
    stamp = first.read_at
    client.post(f"/notifications/{first.pk}/read")  # again: the first time stays
    first.refresh_from_db()
    assert first.read_at == stamp
    htmx_all = client.post("/notifications/read-all", headers=HTMX).content.decode()
    assert "All read" in htmx_all and '<span id="nav-unread" hx-swap-oob="true"></span>' in htmx_all
    response = client.post("/notifications/read-all")
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    second.refresh_from_db()
    assert second.read_at is not None
    assert "All read" in client.get("/notifications/").content.decode()


def test_another_persons_notification_is_404_and_unchanged(noted: dict[str, Any]) -> None:
    alices = Notification.objects.get(recipient=noted["alice"])
    client = signed_in(noted["dan"])
    assert client.post(f"/notifications/{alices.pk}/read").status_code == 404
    assert client.post("/notifications/999999/read").status_code == 404
    client.post("/notifications/read-all")
    alices.refresh_from_db()
    assert alices.read_at is None
    assert "New evidence from" not in client.get("/notifications/").content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(noted: dict[str, Any]) -> None:
    anonymous = Client()
    mine = Notification.objects.filter(recipient=noted["dan"]).first()
    assert mine is not None
    for response in (
        anonymous.get("/notifications/"),
        anonymous.post(f"/notifications/{mine.pk}/read"),
        anonymous.post("/notifications/read-all"),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    mine.refresh_from_db()
    assert mine.read_at is None


def test_the_badge_costs_one_query_when_signed_in_and_none_when_not(
    noted: dict[str, Any], django_assert_num_queries: Any
) -> None:
    request = RequestFactory().get("/")
    request.user = noted["dan"]
    count = badge(request)["unread_notifications"]
    with django_assert_num_queries(1):
        assert count() == 2
        assert count() == 2  # asked twice by the template: still one query
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert badge(request)["unread_notifications"]() == 0


def test_a_page_runs_exactly_one_badge_query(noted: dict[str, Any]) -> None:
    def badge_queries(client: Client) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/catalogue/").status_code == 200
        return sum("notifications_notification" in q["sql"] for q in queries.captured_queries)

    assert badge_queries(signed_in(noted["dan"])) == 1
    assert badge_queries(Client()) == 0


# The API.


def bearer(user: Any) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_create(user=user, name='test')[1]}"}


def test_api_lists_and_marks_only_ones_own(noted: dict[str, Any]) -> None:
    client = Client()
    dan = bearer(noted["dan"])
    answer = client.get("/api/v1/notifications", headers=dan).json()
    assert answer["next"] is None and answer["previous"] is None and answer["size"] == 50
    listed = answer["items"]
    assert [n["lines"] for n in listed] == [
        ["Unit 403 criterion 1.2: not yet met — Show it at work"],
        ["Unit 403 criterion 1.1: not yet met — Show it at work"],
    ]
    assert listed[0]["registration_id"] == noted["reg"].pk and listed[0]["read_at"] is None
    marked = client.post(f"/api/v1/notifications/{listed[0]['id']}/read", headers=dan)
    assert marked.status_code == 200 and marked.json()["read_at"] is not None
    unread = client.get("/api/v1/notifications?unread=true", headers=dan).json()["items"]
    assert [n["id"] for n in unread] == [listed[1]["id"]]

    alices = Notification.objects.get(recipient=noted["alice"])
    refused = client.post(f"/api/v1/notifications/{alices.pk}/read", headers=dan)
    missing = client.post("/api/v1/notifications/999999/read", headers=dan)
    assert refused.status_code == missing.status_code == 404
    assert refused.json()["error"]["code"] == "not_found"
    alices.refresh_from_db()
    assert alices.read_at is None


def test_api_without_credentials_is_401(noted: dict[str, Any]) -> None:
    client = Client()
    assert client.get("/api/v1/notifications").status_code == 401
    mine = Notification.objects.filter(recipient=noted["dan"]).first()
    assert mine is not None
    assert client.post(f"/api/v1/notifications/{mine.pk}/read").status_code == 401
