"""Naming an organisation's contact on its page: the body's administrator names an existing
account; an unknown account or one of the body's staff answers 400 and changes nothing; the
others who see the organisation get 403, a stranger 404, anonymous the sign-in page."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from assay.audits.models import OrganisationContact
from tests.audits.world import AuditWorld
from tests.factories import make_user

pytestmark = pytest.mark.django_db
Clients = Callable[[str], Client]


def _contacts(aw: AuditWorld) -> set[str]:
    rows = OrganisationContact.objects.filter(organisation=aw.acme)
    return set(rows.values_list("user__username", flat=True))


def test_the_administrator_names_a_contact(aw: AuditWorld, client_as: Clients) -> None:
    make_user("jo_bloggs")
    admin = client_as("body_admin")
    page = admin.get(f"/audits/organisations/{aw.acme.pk}/").content.decode()
    assert "Name the contact" in page
    url = f"/audits/organisations/{aw.acme.pk}/contacts"
    response = admin.post(url, {"username": " jo_bloggs "}, follow=True)
    assert response.status_code == 200 and "Jo Bloggs is now a contact" in response.content.decode()
    assert _contacts(aw) == {"contact", "jo_bloggs"}


@pytest.mark.parametrize(
    ("username", "says"),
    [("nosuch", "No active account"), ("auditor", "staff of the certifying body"), ("", "No")],
)
def test_bad_accounts_are_refused(
    aw: AuditWorld, client_as: Clients, username: str, says: str
) -> None:
    url = f"/audits/organisations/{aw.acme.pk}/contacts"
    response = client_as("body_admin").post(url, {"username": username})
    assert response.status_code == 400 and says.lower() in response.content.decode().lower()
    assert _contacts(aw) == {"contact"}


@pytest.mark.parametrize(
    ("role", "status"),
    [("auditor", 403), ("decision_maker", 403), ("contact", 403), ("contact_other", 404)],
)
def test_only_the_bodys_administrator(
    aw: AuditWorld, client_as: Clients, role: str, status: int
) -> None:
    make_user("jo_bloggs")
    url = f"/audits/organisations/{aw.acme.pk}/contacts"
    assert client_as(role).post(url, {"username": "jo_bloggs"}).status_code == status
    page = client_as(role).get(f"/audits/organisations/{aw.acme.pk}/")
    assert "Name the contact" not in page.content.decode()
    assert _contacts(aw) == {"contact"}


def test_anonymous_is_sent_to_sign_in(aw: AuditWorld, client_as: Clients) -> None:
    url = f"/audits/organisations/{aw.acme.pk}/contacts"
    response = client_as("anonymous").post(url, {"username": "contact_other"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert _contacts(aw) == {"contact"}
