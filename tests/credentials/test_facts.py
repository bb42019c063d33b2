"""Facts from the catalogue: every alignment of a credential is an item of the CASE export."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from assay.catalogue.case import export_case
from assay.catalogue.selectors import qualification_get
from assay.credentials.facts import PrintedUnit, facts_for
from assay.credentials.selectors import credential_verify
from assay.credentials.services import CertificateInput, credentials_issue_for

pytestmark = pytest.mark.django_db


def test_alignments_are_the_case_exports_items() -> None:
    qual = qualification_get("4430-04")
    facts = facts_for(
        number="AS0000021X",
        kind="unit",
        qualification=qual,
        units=[
            PrintedUnit(
                "4430-401", "Demonstrate understanding of customer service management", "4", 10
            ),
            PrintedUnit("402", "Follow organisational rules", "4", 10),
        ],
        candidate_name="Dan Dixon",
        candidate_id="registration-1",
        centre_name="Northgate Training Centre",
        centre_number="0042",
        issued_on=dt.date(2013, 3, 1),
    )
    exported = {i["uri"]: i for i in export_case(qual.spec.content)["CFItems"]}
    assert facts.qualification_case is not None
    assert exported[facts.qualification_case.uri]["CFItemType"] == "Qualification"
    first, second = facts.units
    assert first.case is not None and exported[first.case.uri]["humanCodingScheme"] == "4430-401"
    assert second.case is not None and exported[second.case.uri]["humanCodingScheme"] == "4430-402"
    assert [c.code for c in first.criteria][:2] == ["401 1.1", "401 1.2"]
    assert all(exported[c.uri]["CFItemType"] == "Assessment Criterion" for c in first.criteria)
    assert all(c.code.startswith("401 ") for c in first.criteria)
    rows = credentials_issue_for(certificate=CertificateInput(5, facts))
    assert [r.unit_code for r in rows] == ["4430-401", "402"]
    document = json.loads(rows[0].document)
    targets = {a["targetUrl"] for a in document["credentialSubject"]["achievement"]["alignment"]}
    assert targets <= set(exported)
    assert len(targets) == 1 + len(first.criteria)
    assert credential_verify(document).ok
