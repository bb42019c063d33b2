"""The results and scoring pages run a fixed number of queries: the same for a division audit
of 3 sites on the flat 24-attribute edition as for a whole-organisation audit of many sites
on the 34-attribute edition."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assay import clock
from assay.audits import services as svc
from assay.audits.competence import auditor_membership, competence_record
from assay.audits.models import Audit
from assay.audits.selectors import standard_get
from assay.audits.standards import standard_of
from tests.audits.world import AuditWorld, sampled_offices, score_all, to_fieldwork

pytestmark = pytest.mark.django_db

# Measured: session and user (2); the audit narrowed to what the user may see (the permission
# lookups, body roles twice and contacts, then the audit: 4); the sampled sites with their
# offices, latest scores and self-assessment (3); the organisation's other decided scopes for
# comparison, narrowed the same way (4); the unread notifications for base.html (1).
RESULTS_QUERIES = 14
# Session and user (2); the audit narrowed (4); the assigned-auditor check (2); the sampled
# offices, the latest scores, the newest evidence files per attribute with their counts (3);
# the document-review documents attached to the attributes (1); notifications (1).
SITE_QUERIES = 13


def _queries(client: Client, url: str) -> int:
    assert client.get(url).status_code == 200  # warm caches (the standard's parse)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def audits(aw: AuditWorld) -> tuple[Audit, Audit]:
    """(small, large): the Retail division on the flat edition, then the whole of Acme with
    twenty more offices."""
    admin = aw["body_admin"]
    flat = standard_get("icss-flat-illustrative")
    small = svc.audit_create(
        by=admin, organisation=aw.acme, standard=flat, division=aw.extra["retail"]
    )
    membership = auditor_membership(aw.body.pk, aw["auditor"].pk)
    assert membership is not None
    competence_record(  # the lead must be qualified for the flat edition too
        by=admin, membership=membership, kind="standard", standard=flat, on=clock.today()
    )
    svc.auditor_assign(by=admin, audit=small, auditor=aw["auditor"])
    to_fieldwork(aw, small)
    score_all(aw, 6, audit=small)
    for n in range(20):
        state = ("NSW", "VIC", "WA", "QLD")[n % 4]
        svc.office_add(
            by=admin,
            organisation=aw.acme,
            data=svc.OfficeInput(f"Branch {n}", state, is_main=(n == 3), complaints=n % 5),
        )
    to_fieldwork(aw)
    score_all(aw, 7)
    return small, aw.audit


def test_results_page_queries_do_not_grow(aw: AuditWorld, audits: tuple[Audit, Audit]) -> None:
    small, large = audits
    assert len(sampled_offices(small)) == 3
    assert len(sampled_offices(large)) >= 10
    assert len(standard_of(small.standard).attributes) < len(standard_of(large.standard).attributes)
    client = Client()
    client.force_login(aw["contact"])
    counts = [_queries(client, f"/audits/{a.pk}/results/") for a in (small, large)]
    assert counts == [RESULTS_QUERIES, RESULTS_QUERIES]


def test_scoring_page_queries_do_not_grow(aw: AuditWorld, audits: tuple[Audit, Audit]) -> None:
    client = Client()
    client.force_login(aw["auditor"])
    counts = [_queries(client, f"/audits/{a.pk}/sites/{sampled_offices(a)[0]}/") for a in audits]
    assert counts == [SITE_QUERIES, SITE_QUERIES]
