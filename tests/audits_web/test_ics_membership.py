"""The ICSS organisation's ICS organisational membership: noted by its body's administrator,
shown on the organisation page, the certificate page and the API's organisation answer."""

from __future__ import annotations

import html
from collections.abc import Callable

import pytest
from django.test import Client

from assay.audits.ics_membership import organisation_ics_membership_note
from assay.audits.models import Organisation
from assay.errors import InvalidInput, NotAllowed
from tests.audits.world import AuditWorld
from tests.audits_web.test_certificate_admin import certify

pytestmark = pytest.mark.django_db
Clients = Callable[[str], Client]
NOTE = "Organisational member since 2006, no. 1234"


def test_administrator_notes_it_and_the_pages_show_it(aw: AuditWorld, client_as: Clients) -> None:
    url = f"/audits/organisations/{aw.acme.pk}/"
    admin = client_as("body_admin")
    response = admin.post(url + "ics-membership", {"ics_membership": f"  {NOTE} "})
    assert response.status_code == 302
    acme = Organisation.objects.get(pk=aw.acme.pk)
    assert acme.ics_membership == NOTE and acme.ics_membership_noted_on is not None
    page = html.unescape(client_as("contact").get(url).content.decode())
    assert NOTE in page and "Note ICS membership" not in page  # the contact reads, never edits
    certificate = certify(aw)
    shown = html.unescape(admin.get(f"/audits/certificates/{certificate.number}/").content.decode())
    assert f'<dd id="ics-membership">{NOTE}</dd>' in shown
    answer = admin.get(f"/api/v1/organisations/{aw.acme.pk}").json()
    assert answer["ics_membership"] == NOTE


@pytest.mark.parametrize("text", ["", "   ", "\u200b", "bad\x07bell", "x" * 201])
def test_nonsense_is_refused_and_changes_nothing(
    aw: AuditWorld, client_as: Clients, text: str
) -> None:
    url = f"/audits/organisations/{aw.acme.pk}/ics-membership"
    response = client_as("body_admin").post(url, {"ics_membership": text})
    assert response.status_code == 400
    assert Organisation.objects.get(pk=aw.acme.pk).ics_membership == ""


def test_only_the_bodys_administrator(aw: AuditWorld) -> None:
    with pytest.raises(NotAllowed):
        organisation_ics_membership_note(by=aw["auditor"], organisation=aw.acme, text=NOTE)
    with pytest.raises(InvalidInput):
        organisation_ics_membership_note(by=aw["body_admin"], organisation=aw.acme, text="")
