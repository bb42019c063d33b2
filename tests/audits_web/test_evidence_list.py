"""A site's evidence files are a keyset list (issue 12): the scoring sheet reads, per
attribute, only the newest few files and the count, in the same queries for 3 or 30 files,
and links to the paged list (web and API) that walks every file once, newest first, for
whoever sees the audit and nobody else."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from assay.audits.models import Audit, SiteEvidenceFile
from assay.audits.pages.scores import SHEET_FILES
from assay.audits.standards import standard_of
from tests.audits.test_lists import bearer
from tests.audits.world import AuditWorld, sampled_offices, to_fieldwork
from tests.keyset_walk import BAD_CURSORS, api_queries, page_queries, walk_api, walk_pages

pytestmark = pytest.mark.django_db
API = "/api/v1/"
FILE_LINK = r'href="/audits/\d+/evidence/(\d+)/"'


def add_files(aw: AuditWorld, audit: Audit, office: int, code: str, n: int, start: int = 0) -> None:
    """``n`` more evidence rows (written directly: the service's storing is tested elsewhere;
    these lists read rows)."""
    SiteEvidenceFile.objects.bulk_create(
        SiteEvidenceFile(
            audit=audit,
            office_id=office,
            attribute=code,
            sha256=f"{i:064x}",
            size=100 + i,
            media_type="text/plain",
            original_name=f"file-{code}-{i:03d}.txt",
            storage_name=f"evidence/{i:064x}",
            uploaded_by=aw["auditor"],
        )
        for i in range(start, start + n)
    )


@pytest.fixture
def site(aw: AuditWorld) -> tuple[Audit, int, list[str]]:
    audit = to_fieldwork(aw)
    codes = [a.code for a in standard_of(audit.standard).attributes]
    return audit, sampled_offices(audit)[0], codes


def _client(aw: AuditWorld, role: str) -> Client:
    client = Client()
    client.force_login(aw[role])
    return client


def test_the_sheet_reads_the_same_queries_for_3_or_30_files(
    aw: AuditWorld, site: tuple[Audit, int, list[str]]
) -> None:
    audit, office, codes = site
    auditor = _client(aw, "auditor")
    url = f"/audits/{audit.pk}/sites/{office}/"
    add_files(aw, audit, office, codes[0], 3)
    add_files(aw, audit, office, codes[1], 1, start=500)
    few = page_queries(auditor, url)
    html = auditor.get(url).content.decode()
    assert "file-" + codes[0] + "-002.txt" in html and " more</a>" not in html
    add_files(aw, audit, office, codes[0], 27, start=3)
    add_files(aw, audit, office, codes[2], 30, start=600)
    assert page_queries(auditor, url) == few
    html = auditor.get(url).content.decode()
    # The newest three of each attribute, and a link to the rest.
    for code, newest in ((codes[0], 29), (codes[2], 629)):
        shown = re.findall(rf"file-{re.escape(code)}-(\d+)\.txt", html)
        assert shown == [f"{newest - k:03d}" for k in range(SHEET_FILES)]
        assert f">{30 - SHEET_FILES} more</a>" in html
    assert f"file-{codes[1]}-500.txt" in html
    link = f"/audits/{audit.pk}/evidence/?office={office}&amp;attribute={codes[0]}"
    assert link in html


def test_walking_the_evidence_list_returns_each_file_once(
    aw: AuditWorld, site: tuple[Audit, int, list[str]]
) -> None:
    audit, office, codes = site
    other_office = sampled_offices(audit)[1]
    add_files(aw, audit, office, codes[0], 7)
    add_files(aw, audit, office, codes[1], 4, start=100)
    add_files(aw, audit, other_office, codes[0], 5, start=200)
    newest_first = SiteEvidenceFile.objects.filter(audit=audit).order_by("-uploaded_at", "-pk")
    at_office = [f.pk for f in newest_first if f.office_id == office]
    one_attribute = [
        pk for pk in at_office if pk in {f.pk for f in newest_first if f.attribute == codes[0]}
    ]
    contact = _client(aw, "contact")
    base = f"/audits/{audit.pk}/evidence/"
    assert [int(pk) for pk in walk_pages(contact, base + "?size=3", FILE_LINK)] == [
        f.pk for f in newest_first
    ]
    listed = walk_pages(contact, f"{base}?office={office}&size=2", FILE_LINK)
    assert [int(pk) for pk in listed] == at_office
    url = f"{base}?office={office}&attribute={codes[0]}&size=2"
    assert [int(pk) for pk in walk_pages(contact, url, FILE_LINK)] == one_attribute
    headers = bearer(aw["decision_maker"])
    rows = walk_api(Client(), f"{API}audits/{audit.pk}/evidence", 4, **headers)
    assert [r["id"] for r in rows] == [f.pk for f in newest_first]
    assert set(rows[0]) == {"id", "sha256", "size", "media_type"}
    url = f"{API}audits/{audit.pk}/evidence?office={office}&attribute={codes[0]}"
    assert [r["id"] for r in walk_api(Client(), url, 3, **headers)] == one_attribute


def test_an_evidence_page_costs_the_same_queries_for_few_or_many(
    aw: AuditWorld, site: tuple[Audit, int, list[str]]
) -> None:
    audit, office, codes = site
    add_files(aw, audit, office, codes[0], 3)
    web, headers = _client(aw, "body_admin"), bearer(aw["body_admin"])
    url = f"/audits/{audit.pk}/evidence/?office={office}&size=200"
    api = f"{API}audits/{audit.pk}/evidence?office={office}&size=200"
    few = (page_queries(web, url), api_queries(Client(), api, **headers))
    add_files(aw, audit, office, codes[0], 27, start=3)
    assert (page_queries(web, url), api_queries(Client(), api, **headers)) == few


def test_nobody_else_reads_the_files_whatever_the_cursor(
    aw: AuditWorld, site: tuple[Audit, int, list[str]]
) -> None:
    audit, office, codes = site
    add_files(aw, audit, office, codes[0], 4)
    first = Client().get(f"{API}audits/{audit.pk}/evidence?size=1", **bearer(aw["contact"]))
    cursor = first.json()["next"]
    assert cursor
    for role in ("contact_other", "auditor_other", "nobody"):
        api = f"{API}audits/{audit.pk}/evidence?cursor={cursor}"
        assert Client().get(api, **bearer(aw[role])).status_code == 404, role
        web = f"/audits/{audit.pk}/evidence/?cursor={cursor}"
        assert _client(aw, role).get(web).status_code == 404, role
    assert Client().get(f"{API}audits/{audit.pk}/evidence").status_code == 401
    anonymous = Client().get(f"/audits/{audit.pk}/evidence/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("cursor", BAD_CURSORS)
def test_an_edited_cursor_answers_400_with_a_message(
    aw: AuditWorld, site: tuple[Audit, int, list[str]], cursor: str
) -> None:
    audit, office, codes = site
    add_files(aw, audit, office, codes[0], 2)
    response = Client().get(
        f"{API}audits/{audit.pk}/evidence?cursor={cursor}", **bearer(aw["contact"])
    )
    assert response.status_code == 400
    assert "page link is not valid" in response.json()["error"]["message"]
    page = _client(aw, "contact").get(f"/audits/{audit.pk}/evidence/?cursor={cursor}")
    assert page.status_code == 400 and "page link is not valid" in page.content.decode()


def test_a_bad_office_filter_is_refused_clearly(
    aw: AuditWorld, site: tuple[Audit, int, list[str]]
) -> None:
    audit, _, _ = site
    admin = _client(aw, "body_admin")
    bad = admin.get(f"/audits/{audit.pk}/evidence/?office=Sydney")
    assert bad.status_code == 400 and "office must be" in bad.content.decode().lower()
    elsewhere = aw.offices["Brisbane"].pk  # Other Co's office
    assert admin.get(f"/audits/{audit.pk}/evidence/?office={elsewhere}").status_code == 404
    api = Client().get(f"{API}audits/{audit.pk}/evidence?office=Sydney", **bearer(aw["body_admin"]))
    assert api.status_code == 422
