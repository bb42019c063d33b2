"""Everyone told at each handover of findings and the report: the organisation's contacts of a
finding and of the auditor's review; the assigned auditors of an answer; the decision makers of
the report submitted."""

from __future__ import annotations

import datetime as dt

import pytest

from assay.audits import services as svc
from assay.audits.findings import (
    FindingInput,
    corrective_action_respond,
    corrective_action_review,
    finding_raise,
)
from assay.audits.selectors import action_get
from assay.notifications.models import Notification
from tests.audits.world import AuditWorld, sampled_offices, score_all, to_fieldwork

pytestmark = pytest.mark.django_db


def told(kind: str) -> list[tuple[str, str]]:
    return [
        (n.recipient.username, n.text)
        for n in Notification.objects.filter(kind=kind).select_related("recipient")
    ]


def test_each_handover_is_told(aw: AuditWorld) -> None:
    to_fieldwork(aw)
    score_all(aw, 7)
    a = aw.audit.pk
    finding_raise(
        by=aw["auditor"],
        audit=aw.audit,
        data=FindingInput(
            sampled_offices(aw.audit)[0],
            "S1.1",
            "major",
            "No log",
            "seen",
            due_on=dt.date(2013, 4, 1),
        ),
    )
    assert told("audit_finding") == [
        ("contact", f"Major nonconformity F1 in audit {a}: your answer is due by 01/04/2013")
    ]
    action = action_get(aw["contact"], a, 1)
    corrective_action_respond(by=aw["contact"], action=action, owner="J. Smith", response="Plan")
    assert told("audit_action") == [("auditor", f"F1 in audit {a} answered: owner J. Smith")]
    corrective_action_review(by=aw["auditor"], action=action, accept=True, note="Fine")
    assert ("contact", f"F1 in audit {a}: corrective action accepted") in told("audit_action")
    svc.fieldwork_close(by=aw["auditor"], audit=aw.audit, summary="All sites seen")
    assert told("audit_reported") == [
        ("decision_maker", f"Audit {a} of Acme Services: fieldwork report submitted")
    ]
