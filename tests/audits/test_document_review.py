"""Document review: documents given before fieldwork and attached to the attributes they
support, over the API (every role), the chain, detaching with a reason, and the refusal once
fieldwork is closed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from assay.accounts.services import token_create
from assay.audits import services as svc
from assay.audits.document_review import (
    documents_by_attribute,
    review_document_detach,
    review_document_upload,
)
from assay.audits.models import ReviewDocument, ReviewDocumentLink
from assay.audits.records import audit_problems
from assay.errors import InvalidInput, NotAllowed
from tests.audits.test_audit_api import API, SEES_AUDIT, call, expect, matrix
from tests.audits.world import AuditWorld, close_fieldwork, score_all, to_fieldwork
from tests.factories import make_user

pytestmark = pytest.mark.django_db
POLICY = b"Complaints policy: every complaint is logged within one working day.\n"


def _file(name: str = "policy.txt", content: bytes = POLICY) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/plain")


def _upload(w: AuditWorld, role: str = "contact", attributes: str = "S1.1,S1.2") -> Any:
    return call(
        w,
        role,
        "post",
        f"audits/{w.audit.pk}/documents",
        files={"file": _file(), "attributes": attributes},
    )


def _stored(w: AuditWorld, by: str = "contact") -> ReviewDocument:
    return review_document_upload(
        by=w[by],
        audit=w.audit,
        upload=_file(),
        original_name="policy.txt",
        attributes=["S1.1", "S1.2"],
    )


def test_contact_uploads_before_fieldwork_and_auditors_see_it(aw: AuditWorld) -> None:
    svc.audit_advance(by=aw["body_admin"], audit=aw.audit, to="self_assessment")
    response = _upload(aw)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["attributes"] == ["S1.1", "S1.2"]
    assert body["uploaded_by"] == "contact" and body["media_type"] == "text/plain"
    assert body["short_sha"] == body["sha256"][:12]
    listed = call(aw, "auditor", "get", f"audits/{aw.audit.pk}/documents").json()
    assert [d["id"] for d in listed["items"]] == [body["id"]]
    download = call(
        aw, "decision_maker", "get", f"audits/{aw.audit.pk}/documents/{body['id']}/file"
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == POLICY
    assert [d.name for d in documents_by_attribute(aw.audit)["S1.1"]] == ["policy.txt"]
    assert audit_problems(aw.audit.pk) == []


def test_upload_for_every_role(aw: AuditWorld) -> None:
    def files() -> dict[str, Any]:
        return {"file": _file(), "attributes": "S1.1"}

    table = expect({"contact", "auditor"}, 201)
    matrix(aw, "post", f"audits/{aw.audit.pk}/documents", None, table, files=files)


def test_reads_for_every_role(aw: AuditWorld) -> None:
    row = _stored(aw)
    a = aw.audit.pk
    matrix(aw, "get", f"audits/{a}/documents", None, expect(SEES_AUDIT, 200))
    matrix(aw, "get", f"audits/{a}/documents/{row.pk}/file", None, expect(SEES_AUDIT, 200))
    attach = {"attributes": ["S2.1"]}
    matrix(
        aw,
        "post",
        f"audits/{a}/documents/{row.pk}/attach",
        attach,
        expect({"contact", "auditor"}, 200),
    )
    detach = {"attribute": "S1.1", "reason": "It covers S1.2 only"}
    matrix(
        aw,
        "post",
        f"audits/{a}/documents/{row.pk}/detach",
        detach,
        expect({"contact", "auditor"}, 200),
    )


def test_another_bodys_auditor_and_another_audits_document_answer_404(aw: AuditWorld) -> None:
    row = _stored(aw)
    stranger = make_user("stranger_auditor")
    other_body = svc.body_create(by=aw["operator"], name="Other body", reference="OB")
    svc.body_role_grant(by=aw["operator"], body=other_body, user=stranger, role="auditor")
    token = token_create(user=stranger)[1]
    got = Client().get(
        f"{API}audits/{aw.audit.pk}/documents/{row.pk}/file", HTTP_AUTHORIZATION=f"Bearer {token}"
    )
    assert got.status_code == 404
    with pytest.raises(NotAllowed):
        review_document_upload(
            by=stranger, audit=aw.audit, upload=_file(), original_name="x.txt", attributes=["S1.1"]
        )
    other_audit = svc.audit_create(by=aw["body_admin"], organisation=aw.other, standard=aw.standard)
    wrong = call(aw, "body_admin", "get", f"audits/{other_audit.pk}/documents/{row.pk}/file")
    assert wrong.status_code == 404


def test_read_only_token_cannot_upload(aw: AuditWorld) -> None:
    token = token_create(user=aw["contact"], scope="read")[1]
    response = Client().post(
        f"{API}audits/{aw.audit.pk}/documents",
        {"file": _file(), "attributes": "S1.1"},
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 403
    assert not ReviewDocument.objects.exists()


def test_upload_after_fieldwork_closes_is_refused_with_the_reason(aw: AuditWorld) -> None:
    audit = to_fieldwork(aw)
    row = _stored(aw, by="auditor")  # during fieldwork: still open
    score_all(aw)
    close_fieldwork(audit)
    response = _upload(aw)
    assert response.status_code == 422
    assert "fieldwork was closed on 01/03/2013" in response.json()["error"]["message"]
    assert ReviewDocument.objects.count() == 1
    with pytest.raises(InvalidInput, match="document review is closed"):
        review_document_detach(by=aw["auditor"], document=row, attribute="S1.1", reason="Late")


def test_bad_input_answers_422_and_stores_nothing(aw: AuditWorld) -> None:
    assert _upload(aw, attributes="S1.1,NOPE").status_code == 422
    assert _upload(aw, attributes=" , ").status_code == 422
    assert not ReviewDocument.objects.exists()
    row = _stored(aw)
    a = aw.audit.pk
    blank = call(
        aw,
        "contact",
        "post",
        f"audits/{a}/documents/{row.pk}/detach",
        {"attribute": "S1.1", "reason": "\u200b "},
    )
    assert blank.status_code == 422
    absent = call(
        aw,
        "contact",
        "post",
        f"audits/{a}/documents/{row.pk}/detach",
        {"attribute": "S3.1", "reason": "No"},
    )
    assert absent.status_code == 422
    extra = call(
        aw, "contact", "post", f"audits/{a}/documents/{row.pk}/attach", {"attributes": [], "x": 1}
    )
    assert extra.status_code == 422
    assert ReviewDocumentLink.objects.count() == 2


def test_detach_is_a_recorded_event_and_the_file_stays(aw: AuditWorld) -> None:
    row = _stored(aw)
    review_document_detach(
        by=aw["auditor"], document=row, attribute="S1.1", reason="It is about S1.2 only"
    )
    links = list(ReviewDocumentLink.objects.filter(document=row).order_by("pk"))
    assert [(k.attribute, k.attached) for k in links] == [
        ("S1.1", True),
        ("S1.2", True),
        ("S1.1", False),
    ]
    assert links[-1].reason == "It is about S1.2 only"
    by_attribute = documents_by_attribute(aw.audit)
    assert "S1.1" not in by_attribute and by_attribute["S1.2"][0].id == row.pk
    assert ReviewDocument.objects.filter(pk=row.pk).exists()
    assert audit_problems(aw.audit.pk) == []
    # A rewritten link is named by the chain's reconciler.
    ReviewDocumentLink.objects.filter(pk=links[-1].pk).update(attached=True)
    problems = audit_problems(aw.audit.pk)
    assert any("review document link" in p and "attached" in p for p in problems), problems


def test_list_is_paged_with_a_fixed_number_of_queries(
    aw: AuditWorld, django_assert_max_num_queries: Any
) -> None:
    for _ in range(5):
        _stored(aw)
    token = token_create(user=aw["auditor"])[1]
    with django_assert_max_num_queries(12):
        got = Client().get(
            f"{API}audits/{aw.audit.pk}/documents?size=3", HTTP_AUTHORIZATION=f"Bearer {token}"
        )
    assert got.status_code == 200
    assert len(got.json()["items"]) == 3 and got.json()["next"]
    assert json.loads(got.content)["items"][0]["attributes"] == ["S1.1", "S1.2"]
