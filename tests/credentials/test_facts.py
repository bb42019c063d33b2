"""Facts from the catalogue: every alignment of a credential is an item of the CASE export."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

from assay.catalogue.case import export_case
from assay.catalogue.selectors import qualification_get
from assay.credentials.facts import PrintedUnit, certificate_input, facts_for
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


def _unit(position: int, code: str, title: str) -> object:
    from types import SimpleNamespace

    return SimpleNamespace(position=position, unit_code=code, unit_title=title, level=4, credit=10)


def test_a_certificate_becomes_the_services_input(world: Any) -> None:
    """Read through a claims Certificate's fields (a stand-in until the claims app lands)."""
    from types import SimpleNamespace

    class Units(list):  # type: ignore[type-arg]
        def order_by(self, *fields: str) -> Units:
            return Units(sorted(self, key=lambda u: u.position))

    dan = world.dan
    old = SimpleNamespace(number="AS0000001A")
    certificate = SimpleNamespace(
        pk=31,
        number="AS0000031B",
        kind="qualification",
        registration=dan,
        centre=dan.centre,
        issued_on=dt.date(2013, 3, 1),
        replaces=old,
        units=Units(
            [
                SimpleNamespace(
                    position=2, unit_code="4430-402", unit_title="Rules", level=4, credit=10
                ),
                SimpleNamespace(
                    position=1, unit_code="4430-401", unit_title="Management", level=4, credit=10
                ),
            ]
        ),
    )
    made = certificate_input(certificate)
    assert made.id == 31 and made.holder_id == dan.candidate.user_id
    assert [u.code for u in made.facts.units] == ["4430-401", "4430-402"]
    assert made.facts.candidate_name == f"{dan.candidate.first_name} {dan.candidate.last_name}"
    assert made.facts.centre_number == dan.centre.number
    assert all(u.case is not None for u in made.facts.units)
    rows = credentials_issue_for(certificate=made)
    document = json.loads(rows[0].document)
    assert "It replaces certificate AS0000001A." in document["description"]
    assert credential_verify(document).ok
