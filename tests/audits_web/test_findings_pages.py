"""The findings page: the auditor raises a major and a minor, the decision maker's preview
names the major, the contact answers both in the portal, the auditor accepts and verifies, and
the preview turns certifiable. Bad input answers 400 with the page and changes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from assay.audits.models import CorrectiveAction, Finding
from tests.audits.world import AuditWorld, sampled_offices, score_all, to_fieldwork

pytestmark = pytest.mark.django_db


def test_findings_cycle_on_the_pages(aw: AuditWorld, client_as: Callable[[str], Client]) -> None:
    to_fieldwork(aw)
    score_all(aw, 7)
    a = aw.audit.pk
    auditor, contact, dm = client_as("auditor"), client_as("contact"), client_as("decision_maker")
    office = sampled_offices(aw.audit)[0]
    page = auditor.get(f"/audits/{a}/findings/").content.decode()
    assert 'id="no-findings"' in page and "Raise the finding" in page
    assert "Raise the finding" not in contact.get(f"/audits/{a}/findings/").content.decode()
    for grade, attribute in (("major", "S1.1"), ("minor", "S1.2")):
        response = auditor.post(
            f"/audits/{a}/findings/raise",
            {
                "office": office,
                "attribute": attribute,
                "grade": grade,
                "summary": f"A {grade} problem",
                "evidence": "Seen at the counter",
                "due_on": "2013-04-01",
            },
        )
        assert response.status_code == 302
    bad = auditor.post(
        f"/audits/{a}/findings/raise",
        {"office": office, "attribute": "S1.1", "grade": "major", "summary": "x", "evidence": "y"},
    )
    assert bad.status_code == 400 and "needs a due date" in bad.content.decode()
    assert Finding.objects.count() == 2
    preview = dm.get(f"/audits/{a}/decision/").content.decode()
    assert "Major nonconformity F1" in preview and "Minor nonconformity F2" in preview

    page = contact.get(f"/audits/{a}/findings/").content.decode()
    assert "Send the response" in page and "A major problem" in page
    for n in (1, 2):
        response = contact.post(
            f"/audits/{a}/findings/{n}/respond", {"owner": "J. Smith", "response": "Fixed"}
        )
        assert response.status_code == 302
    assert contact.post(f"/audits/{a}/findings/1/review", {"decision": "accept"}).status_code == 403
    for n in (1, 2):
        assert (
            auditor.post(f"/audits/{a}/findings/{n}/review", {"decision": "accept"}).status_code
            == 302
        )
    refused = auditor.post(f"/audits/{a}/findings/1/review", {"decision": "verify", "note": " "})
    assert refused.status_code == 400
    verified = auditor.post(
        f"/audits/{a}/findings/1/review", {"decision": "verify", "note": "Log kept since Monday"}
    )
    assert verified.status_code == 302
    assert list(
        CorrectiveAction.objects.order_by("finding__number").values_list("state", flat=True)
    ) == [
        "verified",
        "accepted",
    ]
    page = contact.get(f"/audits/{a}/findings/").content.decode()
    assert 'id="action-state-1">verified' in page and "Log kept since Monday" in page
    preview = dm.get(f"/audits/{a}/decision/").content.decode()
    assert "corrective action verified" in preview and "action plan accepted" in preview
