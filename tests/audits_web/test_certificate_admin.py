"""Withdrawing a certificate and reminding organisations of renewal, from the web pages.

The certificate of Acme is issued on 01/03/2013 and expires on 01/03/2014; reminders are
looked at from 15/01/2014 (45 days left). "Other body" staff hold roles in a second certifying
body: they never see, withdraw or remind this body's certificates.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assay.audits import services as svc
from assay.audits.certificates import MARK, certificate_issue
from assay.audits.models import Certificate, CertificateReminder, Organisation
from tests.audits.world import AuditWorld, close_and_decide, score_all, to_fieldwork
from tests.factories import make_user

pytestmark = pytest.mark.django_db

Clients = Callable[[str], Client]
REMIND_ON = "2014-01-15"
OTHER_BODY_STAFF = ("other_admin", "other_auditor", "other_decision_maker")


def text(response: Any) -> str:
    return html.unescape(response.content.decode())


def certify(w: AuditWorld, organisation: Organisation | None = None) -> Certificate:
    """Run ``organisation``'s audit (Acme's planned one by default) to a certificate."""
    audit = w.audit
    if organisation is not None:
        audit = svc.audit_create(by=w["body_admin"], organisation=organisation, standard=w.standard)
        svc.auditor_assign(by=w["body_admin"], audit=audit, auditor=w["auditor"])
    to_fieldwork(w, audit)
    score_all(w, 7, audit=audit)
    close_and_decide(w["decision_maker"], audit)
    return certificate_issue(by=w["decision_maker"], audit=audit)


@pytest.fixture
def cert(aw: AuditWorld) -> Certificate:
    """Acme's certificate, and a second certifying body with staff in every role."""
    body = svc.body_create(by=aw["operator"], name="Service Standards Board", reference="SSB")
    for role in OTHER_BODY_STAFF:
        aw.people[role] = make_user(role, email=f"{role}@example.org")
        name = role.removeprefix("other_").replace("admin", "administrator")
        svc.body_role_grant(by=aw["operator"], body=body, user=aw[role], role=name)
    return certify(aw)


@pytest.fixture
def clients(aw: AuditWorld) -> Clients:
    def sign_in(role: str) -> Client:
        client = Client()
        if role != "anonymous":
            client.force_login(aw[role])
        return client

    return sign_in


def withdraw_url(c: Certificate) -> str:
    return f"/audits/certificates/{c.number}/withdraw"


# --- withdrawal ------------------------------------------------------------------------------


def test_administrator_withdraws_and_the_register_shows_it(
    cert: Certificate, clients: Clients
) -> None:
    admin = clients("body_admin")
    page = text(admin.get(f"/audits/certificates/{cert.number}/"))
    assert "Withdraw certificate" in page and 'id="mark"' in page
    response = admin.post(withdraw_url(cert), {"reason": "  misuse of the mark  "})
    assert response.status_code == 302
    cert.refresh_from_db()
    assert (str(cert.withdrawn_on), cert.withdrawn_reason) == ("2013-03-01", "misuse of the mark")
    page = text(admin.get(response["Location"]))
    assert f"Certificate {cert.number} withdrawn." in page
    assert 'id="certificate-status">withdrawn<' in page and "misuse of the mark" in page
    assert 'id="mark"' not in page and "Withdraw certificate</button>" not in page
    register = text(Client().get("/register/certificates/", {"number": cert.number}))
    assert 'id="register-status">withdrawn<' in register
    assert MARK not in register and "misuse" not in register  # the reason is not public


@pytest.mark.parametrize("role", ["auditor", "decision_maker", "contact"])
def test_the_form_shows_only_to_who_may_withdraw(
    cert: Certificate, clients: Clients, role: str
) -> None:
    page = text(clients(role).get(f"/audits/certificates/{cert.number}/"))
    assert cert.number in page and "Withdraw certificate" not in page


def test_a_missing_reason_is_400_and_changes_nothing(cert: Certificate, clients: Clients) -> None:
    response = clients("body_admin").post(withdraw_url(cert), {"reason": "   "})
    assert response.status_code == 400
    assert "Say why the certificate is withdrawn" in text(response)
    cert.refresh_from_db()
    assert cert.withdrawn_on is None and cert.withdrawn_reason == ""


def test_withdrawing_twice_is_400(cert: Certificate, clients: Clients) -> None:
    admin = clients("body_admin")
    admin.post(withdraw_url(cert), {"reason": "misuse"})
    response = admin.post(withdraw_url(cert), {"reason": "again"})
    assert response.status_code == 400 and "is already withdrawn" in text(response)
    cert.refresh_from_db()
    assert cert.withdrawn_reason == "misuse"


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("auditor", 403),
        ("decision_maker", 403),
        ("contact", 403),
        ("contact_other", 404),
        ("auditor_other", 404),
        ("nobody", 404),
        *[(role, 404) for role in OTHER_BODY_STAFF],
        ("anonymous", 302),
    ],
)
def test_withdrawal_refusals_change_nothing(
    cert: Certificate, clients: Clients, role: str, status: int
) -> None:
    response = clients(role).post(withdraw_url(cert), {"reason": "misuse of the mark"})
    assert response.status_code == status
    if status == 403:
        assert "Only the body's administrators withdraw certificates." in text(response)
    if status == 302:
        assert response["Location"].startswith("/accounts/login/")
    cert.refresh_from_db()
    assert cert.withdrawn_on is None
    assert 'id="register-status">valid<' in text(
        Client().get("/register/certificates/", {"number": cert.number})
    )


def test_a_missing_certificate_is_404(cert: Certificate, clients: Clients) -> None:
    # A different check letter: a number no certificate has (the letter is random per number).
    other = cert.number[:-1] + ("A" if cert.number[-1] != "A" else "B")
    response = clients("body_admin").post(f"/audits/certificates/{other}/withdraw", {"reason": "x"})
    assert response.status_code == 404
    cert.refresh_from_db()
    assert cert.withdrawn_on is None


# --- renewal reminders -----------------------------------------------------------------------


def test_index_links_the_renewals_page_for_administrators(
    cert: Certificate, clients: Clients
) -> None:
    for role in ("body_admin", "other_admin"):
        assert "Certificates due for renewal" in text(clients(role).get("/audits/"))
    for role in ("auditor", "decision_maker", "contact", "other_auditor"):
        assert "Certificates due for renewal" not in text(clients(role).get("/audits/"))


def test_reminders_are_listed_sent_once_and_reported(
    cert: Certificate, clients: Clients, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    admin = clients("body_admin")
    assert "renewals-none" in text(admin.get("/audits/renewals/"))  # a year to go
    settings.ASSAY_TODAY = REMIND_ON
    page = text(admin.get("/audits/renewals/"))
    assert "Expiring within 60 days" in page and cert.number in page
    assert "contact@example.org" in page and "<td>45</td>" in page and "<td>due</td>" in page
    with django_capture_on_commit_callbacks(execute=True):  # emails go out on commit
        response = admin.post("/audits/renewals/send", {"within": "60"})
    assert response.status_code == 302
    assert [(m.to, cert.number in m.subject) for m in mail.outbox] == [
        (["contact@example.org"], True)
    ]
    page = text(admin.get(response["Location"]))
    assert f"Reminder for {cert.number} sent to contact@example.org." in page
    assert "1 reminder(s) sent" in page and "<td>already reminded</td>" in page
    page = text(admin.post("/audits/renewals/send", {"within": "60"}, follow=True))
    assert "0 reminder(s) sent" in page
    assert len(mail.outbox) == 1 and CertificateReminder.objects.count() == 1


def test_the_window_defaults_to_the_clis_and_can_be_widened(
    cert: Certificate, clients: Clients, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.ASSAY_TODAY = "2013-12-01"  # 90 days before expiry
    admin = clients("body_admin")
    assert cert.number not in text(admin.get("/audits/renewals/"))
    assert cert.number in text(admin.get("/audits/renewals/", {"within": "120"}))
    with django_capture_on_commit_callbacks(execute=True):  # emails go out on commit
        admin.post("/audits/renewals/send", {})
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        admin.post("/audits/renewals/send", {"within": "120"})
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("within", ["-1", "soon", "100000"])
def test_a_bad_window_is_400_and_sends_nothing(
    cert: Certificate,
    clients: Clients,
    settings: Any,
    within: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.ASSAY_TODAY = REMIND_ON
    admin = clients("body_admin")
    assert admin.get("/audits/renewals/", {"within": within}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):  # emails would go out on commit
        assert admin.post("/audits/renewals/send", {"within": within}).status_code == 400
    assert mail.outbox == [] and not CertificateReminder.objects.exists()


@pytest.mark.parametrize(
    "role",
    [
        "auditor",
        "auditor_other",
        "decision_maker",
        "contact",
        "contact_other",
        "nobody",
        "other_auditor",
        "other_decision_maker",
    ],
)
def test_renewals_are_refused_to_other_roles(
    cert: Certificate, clients: Clients, settings: Any, role: str
) -> None:
    settings.ASSAY_TODAY = REMIND_ON
    client = clients(role)
    page = client.get("/audits/renewals/")
    assert page.status_code == 403 and cert.number not in text(page)
    response = client.post("/audits/renewals/send", {"within": "60"})
    assert response.status_code == 403
    assert "Only the certifying body's administrators send renewal reminders." in text(response)
    assert mail.outbox == [] and not CertificateReminder.objects.exists()


def test_renewals_send_anonymous_visitors_to_sign_in(cert: Certificate, settings: Any) -> None:
    settings.ASSAY_TODAY = REMIND_ON
    for response in (
        Client().get("/audits/renewals/"),
        Client().post("/audits/renewals/send", {"within": "60"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    assert mail.outbox == [] and not CertificateReminder.objects.exists()


def test_another_bodys_administrator_neither_sees_nor_reminds_this_bodys_certificates(
    cert: Certificate, clients: Clients, settings: Any
) -> None:
    settings.ASSAY_TODAY = REMIND_ON
    other = clients("other_admin")
    page = other.get("/audits/renewals/")
    assert page.status_code == 200 and cert.number not in text(page)
    page = text(other.post("/audits/renewals/send", {"within": "60"}, follow=True))
    assert "0 reminder(s) sent" in page
    assert mail.outbox == [] and not CertificateReminder.objects.exists()


# --- queries -----------------------------------------------------------------------------------

# Session and user (2); the body administrator check (1); the bodies administered (1), the
# certificates visible with whether each was reminded (permission lookups 3, then 1); the
# contacts' e-mails (1); the unread notifications for base.html (1).
RENEWALS_QUERIES = 10


def _renewals_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/audits/renewals/")
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_renewals_page_queries_do_not_grow(
    aw: AuditWorld, cert: Certificate, clients: Clients, settings: Any
) -> None:
    admin = clients("body_admin")
    settings.ASSAY_TODAY = REMIND_ON
    one = _renewals_queries(admin)
    settings.ASSAY_TODAY = "2013-03-01"
    for n in range(3):
        org = svc.organisation_create(
            by=aw["body_admin"], body=aw.body, name=f"Client {n}", reference=f"C{n}"
        )
        svc.office_add(
            by=aw["body_admin"], organisation=org, data=svc.OfficeInput("HQ", "SA", True)
        )
        svc.contact_grant(
            by=aw["body_admin"], organisation=org, user=make_user(f"c{n}", email=f"c{n}@x.org")
        )
        certify(aw, org)
    settings.ASSAY_TODAY = REMIND_ON
    admin.post("/audits/renewals/send", {"within": "60"})  # some already reminded
    page = text(admin.get("/audits/renewals/"))
    assert page.count("<td>already reminded</td>") == 4 and "c2@x.org" in page
    assert [one, _renewals_queries(admin)] == [RENEWALS_QUERIES, RENEWALS_QUERIES]
