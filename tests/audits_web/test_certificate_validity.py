""" "One year" by one rule on the certificate, the public register and the reminders: valid
from the day of issue through the day before the anniversary (29 February → 1 March)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from assay.audits.certificates import certificate_issue, reminders_send, status_of
from tests.audits.world import AuditWorld, build_world, close_and_decide, score_all, to_fieldwork

pytestmark = pytest.mark.django_db


def issued_on(settings: Any, tmp_path: Any, day: str) -> tuple[AuditWorld, Any]:
    settings.ASSAY_TODAY = day
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    w = build_world()
    audit = to_fieldwork(w)
    score_all(w, 7)
    close_and_decide(w["decision_maker"], audit)
    return w, certificate_issue(by=w["decision_maker"], audit=audit)


@pytest.mark.parametrize(
    ("day", "through", "expired"),
    [
        ("2013-03-01", dt.date(2014, 2, 28), dt.date(2014, 3, 1)),
        ("2012-02-29", dt.date(2013, 2, 28), dt.date(2013, 3, 1)),
    ],
)
def test_one_year_on_the_certificate_register_and_reminders(
    settings: Any,
    tmp_path: Any,
    day: str,
    through: dt.date,
    expired: dt.date,
    django_capture_on_commit_callbacks: Any,
) -> None:
    w, c = issued_on(settings, tmp_path, day)
    assert (c.valid_through, c.expires_on) == (through, expired)
    assert status_of(c, through) == "valid" and status_of(c, expired) == "expired"
    shown = through.strftime("%d/%m/%Y")
    client = Client()
    client.force_login(w["contact"])
    page = client.get(f"/audits/certificates/{c.number}/").content.decode()
    assert f'<dd id="valid-through">{shown} ' in page
    public = Client().get(f"/register/certificates/?number={c.number}").content.decode()
    assert f'<dd id="register-valid-through">{shown}</dd>' in public
    api = Client().get(f"/api/v1/public/certificates/{c.number}").json()
    assert (api["valid_through"], api["expires_on"]) == (through.isoformat(), expired.isoformat())
    settings.ASSAY_TODAY = (through - dt.timedelta(days=30)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):  # emails go out on commit
        sent = reminders_send(by=w["body_admin"])
    assert [d.certificate.pk for d in sent] == [c.pk]
    assert mail.outbox[-1].subject == f"Certificate {c.number} is valid through {shown}"
    assert f"is valid through {shown} and expires on {expired:%d/%m/%Y}" in mail.outbox[-1].body
    settings.ASSAY_TODAY = expired.isoformat()
    public = Client().get(f"/register/certificates/?number={c.number}").content.decode()
    assert '<strong id="register-status">expired</strong>' in public
