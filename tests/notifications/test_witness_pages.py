"""The witness flow on the web: the candidate names a witness and sees the link once (emailed
when the contact is an email address); the witness, signed out, opens the link, sees only
what they are asked to confirm, and confirms once. Bad links change nothing."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from assay import clock
from assay.notifications.models import Notification
from assay.portfolios.models import WitnessStatement
from assay.portfolios.services import evidence_add

pytestmark = pytest.mark.django_db

WITNESS = {
    "name": "Priya Shah",
    "role": "Operations manager",
    "relationship": "line manager",
    "contact": "priya@example.com",
    "statement": "I saw Dana calm an angry customer and follow the complaint up.",
}
SECRET_PLACE = "Returns desk, Leeds branch"
SECRET_TEXT = "Handled a complaint from a key account"


@pytest.fixture
def item(w: dict[str, Any]) -> Any:
    return evidence_add(
        by=w["dan"],
        registration=w["reg"],
        method="witness_testimony",
        started_on=dt.date(2013, 2, 4),
        place=SECRET_PLACE,
        description=SECRET_TEXT,
        context="real_job",
    )


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(w: dict[str, Any], item: Any) -> str:
    return f"/registrations/{w['reg'].pk}/portfolio/evidence/{item.pk}/witness"


def add_witness(w: dict[str, Any], item: Any, commit: Any, **changes: str) -> tuple[Any, str]:
    """Dan names Priya; returns the response and the link it shows."""
    with commit():
        response = signed_in(w["dan"]).post(page(w, item), {**WITNESS, **changes})
    assert response.status_code == 200, response.content.decode()
    found = re.search(r'value="(http://testserver/witness/[^"]+/)"', response.content.decode())
    assert found is not None
    return response, found.group(1)


def test_the_link_is_shown_once_and_emailed_to_an_email_contact(
    w: dict[str, Any], item: Any, commit: Any
) -> None:
    mail.outbox.clear()
    response, link = add_witness(w, item, commit)
    assert response["Cache-Control"] == "no-store"
    assert "emailed to priya@example.com" in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["priya@example.com"]
    assert link in mail.outbox[0].body and WITNESS["statement"] in mail.outbox[0].body
    again = signed_in(w["dan"]).get(page(w, item)).content.decode()
    assert "Priya Shah" in again and link not in again  # listed, the link never again
    token = link.rstrip("/").rsplit("/", 1)[1]
    stored = WitnessStatement.objects.get()
    assert token not in stored.token_sha256 and len(token) >= 43  # 256 bits, only hashed


def test_a_contact_that_is_not_an_email_gets_no_email(
    w: dict[str, Any], item: Any, commit: Any
) -> None:
    mail.outbox.clear()
    response, _ = add_witness(w, item, commit, contact="07700 900123")
    assert "pass the link on to Priya Shah yourself" in response.content.decode()
    assert mail.outbox == []


def test_people_who_may_not_add_a_witness_are_refused(
    w: dict[str, Any], item: Any, commit: Any
) -> None:
    assert signed_in(w["carol"]).get(page(w, item)).status_code == 403
    assert signed_in(w["carol"]).post(page(w, item), WITNESS).status_code == 403
    outsider = signed_in(w["sam"])  # the superuser has no role at Northgate: sees nothing
    assert outsider.get(page(w, item)).status_code in (403, 404)
    assert Client().get(page(w, item)).status_code == 302
    blank = signed_in(w["dan"]).post(page(w, item), {**WITNESS, "statement": ""})
    assert blank.status_code == 400
    assert not WitnessStatement.objects.exists()


def test_the_witness_sees_only_what_they_confirm_and_confirms_once(
    w: dict[str, Any], item: Any, commit: Any
) -> None:
    _, link = add_witness(w, item, commit)
    witness = Client(enforce_csrf_checks=True)  # signed out
    shown = witness.get(link)
    assert shown.status_code == 200
    text = shown.content.decode()
    assert shown["Referrer-Policy"] == "same-origin"
    for expected in ("Dana Reyes", "Witness testimony", "04/02/2013", "calm an angry customer"):
        assert expected in text
    for hidden in (SECRET_PLACE, SECRET_TEXT, "403", "401", "Reyes on 4430"):
        assert hidden not in text
    WitnessStatement.objects.get().refresh_from_db()
    assert WitnessStatement.objects.get().confirmed_at is None  # opening confirms nothing

    assert witness.post(link).status_code == 403  # no CSRF token: refused
    assert WitnessStatement.objects.get().confirmed_at is None
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
    assert csrf is not None
    Notification.objects.all().delete()
    with commit():
        confirmed = witness.post(link, {"csrfmiddlewaretoken": csrf.group(1)})
    assert confirmed.status_code == 200 and "Thank you, Priya Shah" in confirmed.content.decode()
    assert WitnessStatement.objects.get().confirmed_at is not None
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "dan",
        "alice",
        "bob",
    }

    used = witness.post(link, {"csrfmiddlewaretoken": csrf.group(1)})
    assert used.status_code == 410 and "already been used" in used.content.decode()
    assert witness.get(link).status_code == 410


def test_an_expired_link_is_gone_and_confirms_nothing(
    w: dict[str, Any], item: Any, commit: Any
) -> None:
    _, link = add_witness(w, item, commit)
    WitnessStatement.objects.update(expires_at=clock.now() - dt.timedelta(seconds=1))
    client = Client()
    for response in (client.get(link), client.post(link)):
        assert response.status_code == 410
        assert "expired" in response.content.decode()
        assert "Priya" not in response.content.decode()
    assert WitnessStatement.objects.get().confirmed_at is None


def test_a_wrong_token_reveals_nothing(w: dict[str, Any], item: Any, commit: Any) -> None:
    _, link = add_witness(w, item, commit)
    token = link.rstrip("/").rsplit("/", 1)[1]
    client = Client()
    near = token[:-1] + ("A" if token[-1] != "A" else "B")
    bodies = set()
    for wrong in (near, secrets.token_urlsafe(32), "x", "a" * 500):
        for response in (client.get(f"/witness/{wrong}/"), client.post(f"/witness/{wrong}/")):
            assert response.status_code == 400
            body = response.content.decode()
            assert "not valid" in body and "Priya" not in body and "Dana" not in body
            # Only the page's own address (the sign-in link's ?next=) and CSRF token differ.
            bodies.add(
                re.sub(r'"X-CSRFToken": "[^"]*"', "", body).replace(f"/witness/{wrong}/", "")
            )
    assert len(bodies) == 1  # the same answer whatever the token
    assert WitnessStatement.objects.get().confirmed_at is None
