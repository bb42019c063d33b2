"""Portfolio test helpers shared by several test modules: sample files, unit 403's
criteria, evidence through the services, a portfolio ready to sign off, an API client."""

from __future__ import annotations

import datetime as dt
import struct
from typing import Any

from django.test import Client

from assay.accounts.services import token_create
from assay.portfolios.assessment import mapping_decide
from assay.portfolios.models import CriterionMapping, EvidenceItem
from assay.portfolios.services import evidence_add, mapping_propose

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + struct.pack(">II", 1, 1) + bytes(200)
TEXT = b"Reflective account: I briefed the senior team on the new returns policy.\n"
CRITERIA_403 = [f"1.{n}" for n in range(1, 6)] + [f"2.{n}" for n in range(1, 8)]
CRITERIA_403 += [f"3.{n}" for n in range(1, 10)]
RANGES_A = ["4a", "4b", "5a", "5b", "5c", "6a", "7a", "7b", "7c"]
LOCKED = "unit 403 is signed off; a lead IQA or centre administrator must reopen it"


def add(w: dict[str, Any], by: str = "dan", **overrides: Any) -> EvidenceItem:
    data: dict[str, Any] = {
        "method": "reflective_account",
        "started_on": dt.date(2013, 1, 1),
        "ended_on": dt.date(2013, 1, 10),
        "place": "Head office",
        "description": "Briefing the senior team on the returns policy",
        "context": "real_job",
    }
    return evidence_add(by=w[by], registration=w["reg"], **{**data, **overrides})


def ready_portfolio(w: dict[str, Any]) -> tuple[EvidenceItem, EvidenceItem]:
    """Two real-job items mapped to everything in 403, all confirmed."""
    a = add(w)
    b = add(w, method="product", started_on=dt.date(2013, 2, 20), ended_on=None)
    for target in CRITERIA_403 + RANGES_A:
        mapping_propose(by=w["dan"], item=a, unit="403", target=target)
    mapping_propose(by=w["dan"], item=b, unit="403", target="6c")
    for mapping in CriterionMapping.objects.all():
        mapping_decide(by=w["alice"], mapping=mapping, confirm=True)
    return a, b


def client_for(user: Any) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {token_create(user=user, name='t')[1]}")
