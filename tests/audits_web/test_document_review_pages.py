"""The document review page: every role, upload, attach and detach (with htmx and without),
the documents on the auditor's site sheet, the refusal once fieldwork is closed, and a fixed
number of queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from assay.audits.document_review import review_document_upload
from assay.audits.models import ReviewDocument, ReviewDocumentLink
from assay.audits.records import audit_problems
from tests.audits.world import ROLES, AuditWorld, close_fieldwork, score_all, to_fieldwork

pytestmark = pytest.mark.django_db
SEES = {"body_admin", "auditor", "decision_maker", "contact"}
WRITERS = {"auditor", "contact"}


def _file(name: str = "policy.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"Our complaints policy.\n", content_type="text/plain")


def _stored(w: AuditWorld, name: str = "policy.txt") -> ReviewDocument:
    return review_document_upload(
        by=w["contact"], audit=w.audit, upload=_file(name), original_name=name, attributes=["S1.1"]
    )


def test_the_page_for_every_role(aw: AuditWorld, client_as: Callable[[str], Client]) -> None:
    row = _stored(aw)
    url = f"/audits/{aw.audit.pk}/documents/"
    got = {role: client_as(role).get(url).status_code for role in ["anonymous", *ROLES]}
    assert got["anonymous"] == 302
    assert {r for r, s in got.items() if s == 200} == SEES
    assert {r for r, s in got.items() if s == 404} == set(ROLES) - SEES
    page = client_as("decision_maker").get(url).content.decode()
    assert "policy.txt" in page and row.sha256[:12] in page
    assert 'id="document-file"' not in page  # no upload form for a reader
    assert 'id="document-file"' in client_as("contact").get(url).content.decode()
    download = client_as("body_admin").get(f"/audits/{aw.audit.pk}/documents/{row.pk}/file")
    assert download.status_code == 200
    wrong = client_as("contact_other").get(f"/audits/{aw.audit.pk}/documents/{row.pk}/file")
    assert wrong.status_code == 404


def test_upload_for_every_role(aw: AuditWorld, client_as: Callable[[str], Client]) -> None:
    url = f"/audits/{aw.audit.pk}/documents/"
    got = {}
    for role in ["anonymous", *ROLES]:
        response = client_as(role).post(url, {"file": _file(), "attributes": "S1.1, S1.2"})
        got[role] = response.status_code
    assert got["anonymous"] == 302 and got["contact"] == 302 and got["auditor"] == 302
    assert got["body_admin"] == 403 and got["decision_maker"] == 403
    assert {r for r, s in got.items() if s == 404} == set(ROLES) - SEES
    assert ReviewDocument.objects.count() == 2
    assert set(ReviewDocumentLink.objects.values_list("attribute", flat=True)) == {"S1.1", "S1.2"}


def test_bad_upload_shows_the_reason_and_stores_nothing(
    aw: AuditWorld, client_as: Callable[[str], Client]
) -> None:
    url = f"/audits/{aw.audit.pk}/documents/"
    response = client_as("contact").post(url, {"file": _file(), "attributes": "S1.1, NOPE"})
    assert response.status_code == 400
    assert "has no attribute &#x27;NOPE&#x27;" in response.content.decode()
    assert client_as("contact").post(url, {"attributes": "S1.1"}).status_code == 400
    assert not ReviewDocument.objects.exists()


def test_attach_and_detach_with_htmx_swap_the_card(
    aw: AuditWorld, client_as: Callable[[str], Client]
) -> None:
    row = _stored(aw)
    base = f"/audits/{aw.audit.pk}/documents/{row.pk}/"
    contact = client_as("contact")
    attached = contact.post(base + "attach", {"attributes": "S1.2"}, HTTP_HX_REQUEST="true")
    assert attached.status_code == 200
    card = attached.content.decode()
    assert card.lstrip().startswith(f'<li class="card" id="document-{row.pk}">')
    assert "S1.1" in card and "S1.2" in card
    unconfirmed = contact.post(
        base + "detach", {"attribute": "S1.1", "reason": "Wrong one"}, HTTP_HX_REQUEST="true"
    )
    assert "Tick the box to confirm" in unconfirmed.content.decode()
    assert ReviewDocumentLink.objects.filter(attached=False).count() == 0
    detached = contact.post(
        base + "detach",
        {"attribute": "S1.1", "reason": "Wrong one", "confirm": "yes"},
        HTTP_HX_REQUEST="true",
    )
    assert detached.status_code == 200
    assert ReviewDocumentLink.objects.get(attached=False).reason == "Wrong one"
    plain = contact.post(base + "attach", {"attributes": "S2.1"})
    assert plain.status_code == 302
    assert (
        client_as("decision_maker").post(base + "attach", {"attributes": "L1.1"}).status_code == 403
    )
    assert audit_problems(aw.audit.pk) == []


def test_the_auditor_sees_the_documents_on_the_site_sheet(
    aw: AuditWorld, client_as: Callable[[str], Client]
) -> None:
    _stored(aw, "complaints-log.pdf.txt")
    audit = to_fieldwork(aw)
    office = audit.sample.picks.first().office_id
    page = client_as("auditor").get(f"/audits/{audit.pk}/sites/{office}/").content.decode()
    assert 'Review: <a href="/audits/' in page and "complaints-log.pdf.txt" in page


def test_after_fieldwork_closes_the_page_says_why_and_refuses(
    aw: AuditWorld, client_as: Callable[[str], Client]
) -> None:
    audit = to_fieldwork(aw)
    score_all(aw)
    close_fieldwork(audit)
    url = f"/audits/{audit.pk}/documents/"
    page = client_as("contact").get(url).content.decode()
    assert "Document review is closed: fieldwork was closed on 01/03/2013" in page
    assert 'id="document-file"' not in page
    refused = client_as("contact").post(url, {"file": _file(), "attributes": "S1.1"})
    assert refused.status_code == 400
    assert "fieldwork was closed" in refused.content.decode()
    assert not ReviewDocument.objects.exists()


def test_the_page_costs_a_fixed_number_of_queries(
    aw: AuditWorld, client_as: Callable[[str], Client], django_assert_max_num_queries: Any
) -> None:
    client = client_as("auditor")
    url = f"/audits/{aw.audit.pk}/documents/"
    _stored(aw)
    client.get(url)
    with django_assert_max_num_queries(30) as one:
        client.get(url)
    for n in range(6):
        _stored(aw, f"doc{n}.txt")
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(url).status_code == 200
