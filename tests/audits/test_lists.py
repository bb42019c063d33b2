"""The audit lists of the API (organisations, audits, certificates, standards) are keyset pages
(issue 12): walking them returns every visible row once, a page costs the same queries
whatever the list's length, another body's people see none of these rows (the narrowing
applies before the cursor), and an edited cursor answers 400 with a message."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from assay.accounts.services import token_create
from assay.audits import services as svc
from assay.audits.models import (
    Audit,
    AuditDecision,
    Certificate,
    Organisation,
    SelfAssessment,
    SiteScore,
)
from tests.audits.world import AuditWorld, score_all, to_fieldwork
from tests.factories import make_user
from tests.keyset_walk import BAD_CURSORS, api_queries, page_queries, walk_api, walk_pages

pytestmark = pytest.mark.django_db
API = "/api/v1/"


def bearer(user: object) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Bearer " + token_create(user=user)[1]}  # type: ignore[arg-type]


def more_clients(aw: AuditWorld, n: int) -> list[Organisation]:
    """``n`` more organisations of the world's body, each with a planned audit and a
    certificate (rows written directly: the list reads them, the cycle is tested elsewhere)."""
    admin = aw["body_admin"]
    made = []
    for i in range(n):
        org = svc.organisation_create(
            by=admin, body=aw.body, name=f"Client {i:02d}", reference=f"C{i:02d}"
        )
        audit = svc.audit_create(by=admin, organisation=org, standard=aw.standard)
        decision = AuditDecision.objects.create(
            audit=audit,
            certifiable=True,
            reasons=[],
            desirable=[],
            sites=[],
            scores={},
            decided_by=admin,
            decided_on=audit.created_on,
        )
        Certificate.objects.create(
            number=f"ICSS-2013-{i:06d}-A",
            audit=audit,
            decision=decision,
            organisation=org,
            scope_text=audit.scope_text,
            states=["NSW"],
            standard_title=aw.standard.title,
            issued_on=audit.created_on,
            expires_on=audit.created_on.replace(year=audit.created_on.year + 3),
            issued_by=admin,
        )
        made.append(org)
    return made


def other_body(aw: AuditWorld) -> dict[str, str]:
    """An administrator of a second body with one client: their token's headers."""
    stranger = make_user("stranger_admin")
    body = svc.body_create(by=aw["operator"], name="Elsewhere", reference="ELSE")
    svc.body_role_grant(by=aw["operator"], body=body, user=stranger, role="administrator")
    org = svc.organisation_create(by=stranger, body=body, name="Far Away", reference="FAR")
    svc.audit_create(by=stranger, organisation=org, standard=aw.standard)
    return bearer(stranger)


@pytest.mark.parametrize("size", [1, 3, 50])
def test_walking_every_list_returns_each_visible_row_once(aw: AuditWorld, size: int) -> None:
    more_clients(aw, 5)
    other_body(aw)
    client, headers = Client(), bearer(aw["body_admin"])
    orgs = walk_api(client, API + "organisations", size, **headers)
    assert [o["name"] for o in orgs] == sorted(
        ["Acme Services", "Other Co", *(f"Client {i:02d}" for i in range(5))]
    )
    audits = walk_api(client, API + "audits", size, **headers)
    expected = list(Audit.objects.filter(body=aw.body).order_by("-created_on", "-pk"))
    assert [a["id"] for a in audits] == [a.pk for a in expected]
    certificates = walk_api(client, API + "certificates", size, **headers)
    assert sorted(c["number"] for c in certificates) == [f"ICSS-2013-{i:06d}-A" for i in range(5)]
    standards = walk_api(client, API + "standards", size)
    assert len({(s["code"], s["version"]) for s in standards}) == len(standards) >= 2


def test_another_body_sees_none_of_these_rows_whatever_the_cursor(aw: AuditWorld) -> None:
    more_clients(aw, 4)
    client, stranger = Client(), other_body(aw)
    assert [o["name"] for o in walk_api(client, API + "organisations", 1, **stranger)] == [
        "Far Away"
    ]
    assert len(walk_api(client, API + "audits", 1, **stranger)) == 1
    assert walk_api(client, API + "certificates", 1, **stranger) == []
    # A cursor taken from the body administrator's list reads the stranger's list after that
    # row: still only what the stranger may see.
    first = client.get(API + "organisations?size=1", **bearer(aw["body_admin"])).json()
    page = client.get(f"{API}organisations?size=5&cursor={first['next']}", **stranger).json()
    assert {o["name"] for o in page["items"]} <= {"Far Away"}
    audits = client.get(API + "audits?size=1", **bearer(aw["body_admin"])).json()
    page = client.get(f"{API}audits?size=50&cursor={audits['next']}", **stranger).json()
    assert all(a["organisation"]["name"] == "Far Away" for a in page["items"])
    # Acme's contact sees Acme's audit only.
    contact = walk_api(client, API + "audits", 1, **bearer(aw["contact"]))
    assert [a["organisation"]["name"] for a in contact] == ["Acme Services"]
    assert client.get(API + "audits").status_code == 401


@pytest.mark.parametrize("path", ["organisations", "audits", "certificates", "standards"])
def test_a_page_costs_the_same_queries_for_3_or_30_rows(aw: AuditWorld, path: str) -> None:
    client, headers = Client(), bearer(aw["body_admin"])
    more_clients(aw, 2)
    small = api_queries(client, f"{API}{path}?size=100", **headers)
    next_small = client.get(f"{API}{path}?size=1", **headers).json()["next"]
    small_next = api_queries(client, f"{API}{path}?size=100&cursor={next_small}", **headers)
    _bulk_audits(aw, 28)
    large = api_queries(client, f"{API}{path}?size=100", **headers)
    next_large = client.get(f"{API}{path}?size=1", **headers).json()["next"]
    large_next = api_queries(client, f"{API}{path}?size=100&cursor={next_large}", **headers)
    assert small == large and small_next == large_next


def _bulk_audits(aw: AuditWorld, n: int) -> None:
    for i in range(n):
        org = Organisation.objects.create(body=aw.body, name=f"Bulk {i}", reference=f"B{i}")
        audit = svc.audit_create(by=aw["body_admin"], organisation=org, standard=aw.standard)
        decision = AuditDecision.objects.create(
            audit=audit,
            certifiable=True,
            reasons=[],
            desirable=[],
            sites=[],
            scores={},
            decided_by=aw["body_admin"],
            decided_on=audit.created_on,
        )
        Certificate.objects.create(
            number=f"ICSS-2013-{100 + i:06d}-A",
            audit=audit,
            decision=decision,
            organisation=org,
            scope_text=audit.scope_text,
            states=["NSW"],
            standard_title=aw.standard.title,
            issued_on=audit.created_on,
            expires_on=audit.created_on.replace(year=2016),
            issued_by=aw["body_admin"],
        )


@pytest.mark.parametrize("path", ["organisations", "audits", "certificates", "standards"])
@pytest.mark.parametrize("cursor", BAD_CURSORS)
def test_an_edited_cursor_answers_400_with_a_message(
    aw: AuditWorld, path: str, cursor: str
) -> None:
    response = Client().get(f"{API}{path}?cursor={cursor}", **bearer(aw["body_admin"]))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "bad_request" and "page link is not valid" in error["message"]


def test_a_cursor_of_another_list_is_refused(aw: AuditWorld) -> None:
    more_clients(aw, 2)
    client, headers = Client(), bearer(aw["body_admin"])
    cursor = client.get(API + "organisations?size=1", **headers).json()["next"]
    assert client.get(f"{API}audits?cursor={cursor}", **headers).status_code == 400


def test_size_out_of_range_answers_422(aw: AuditWorld) -> None:
    headers = bearer(aw["body_admin"])
    for size in ("0", "201", "ten"):
        assert Client().get(f"{API}audits?size={size}", **headers).status_code == 422


# --- the pages ----------------------------------------------------------------------------------

AUDIT_LINK = r'href="/audits/(\d+)/"'
ORG_LINK = r'href="/audits/organisations/(\d+)/"'
CERT_LINK = r'href="/audits/certificates/([A-Z0-9-]+)/"'


def test_the_index_pages_each_list_and_keeps_the_others(aw: AuditWorld) -> None:
    more_clients(aw, 5)
    other_body(aw)
    client = Client()
    client.force_login(aw["body_admin"])
    audits = walk_pages(client, "/audits/?size=2", AUDIT_LINK, "audits")
    expected = Audit.objects.filter(body=aw.body).order_by("-created_on", "-pk")
    assert [int(pk) for pk in audits] == [a.pk for a in expected]
    orgs = walk_pages(client, "/audits/?size=2", ORG_LINK, "organisations")
    assert sorted(int(pk) for pk in orgs) == sorted(
        Organisation.objects.filter(body=aw.body).values_list("pk", flat=True)
    )
    certs = walk_pages(client, "/audits/?size=2", CERT_LINK, "certificates")
    assert sorted(certs) == [f"ICSS-2013-{i:06d}-A" for i in range(5)]
    # Paging one list leaves the others on their page.
    first = client.get("/audits/?size=2")
    second = client.get(f"/audits/?size=2&audits={first.context['home'].audits.next}")
    assert [o.pk for o in second.context["home"].organisations] == [
        o.pk for o in first.context["home"].organisations
    ]


def test_the_index_shows_another_body_none_of_these_rows(aw: AuditWorld) -> None:
    more_clients(aw, 3)
    other_body(aw)
    admin, stranger = Client(), Client()
    admin.force_login(aw["body_admin"])
    stranger.force_login(User.objects.get(username="stranger_admin"))
    cursor = admin.get("/audits/?size=1").context["home"].audits.next
    home = stranger.get(f"/audits/?size=50&audits={cursor}").context["home"]
    assert all(a.organisation.name == "Far Away" for a in home.audits)
    assert [o.name for o in home.organisations] == ["Far Away"]
    assert list(home.certificates) == []


def test_the_index_costs_the_same_queries_for_few_or_many_rows(aw: AuditWorld) -> None:
    client = Client()
    client.force_login(aw["body_admin"])
    more_clients(aw, 2)
    small = page_queries(client, "/audits/?size=100")
    _bulk_audits(aw, 25)
    assert page_queries(client, "/audits/?size=100") == small


@pytest.mark.parametrize("param", ["audits", "organisations", "certificates"])
def test_an_edited_cursor_on_the_index_answers_400_with_a_message(
    aw: AuditWorld, param: str
) -> None:
    client = Client()
    client.force_login(aw["body_admin"])
    response = client.get(f"/audits/?{param}=junk")
    assert response.status_code == 400
    assert "page link is not valid" in response.content.decode()
    org = client.get(f"/audits/organisations/{aw.acme.pk}/?audits=junk")
    assert org.status_code == 400
    assert client.get("/audits/?size=0").status_code == 400


def test_the_organisation_page_pages_its_audits(aw: AuditWorld) -> None:
    admin = aw["body_admin"]
    for _ in range(3):
        svc.audit_create(by=admin, organisation=aw.acme, standard=aw.standard)
    client = Client()
    client.force_login(admin)
    url = f"/audits/organisations/{aw.acme.pk}/?size=2"
    listed = walk_pages(client, url, AUDIT_LINK, "audits")
    assert sorted(int(pk) for pk in listed) == sorted(aw.acme.audits.values_list("pk", flat=True))


# --- an audit's append-only histories: self-assessment and site scores ---------------------------


def _histories(aw: AuditWorld, rescore: bool = False) -> Audit:
    audit = to_fieldwork(aw)
    score_all(aw, 6)
    if rescore:
        score_all(aw, 7)
    return audit


def test_walking_the_score_history_returns_each_row_once(aw: AuditWorld) -> None:
    audit = _histories(aw, rescore=True)
    headers = bearer(aw["contact"])
    rows = walk_api(Client(), f"{API}audits/{audit.pk}/scores", 17, **headers)
    expected = SiteScore.objects.filter(audit=audit).order_by("pk")
    assert [(r["office"], r["attribute"], r["score"]) for r in rows] == [
        (s.office_id, s.attribute, s.score) for s in expected
    ]
    assert len(rows) > 17 * 2


def test_walking_the_self_assessment_history(aw: AuditWorld) -> None:
    svc.audit_advance(by=aw["body_admin"], audit=aw.audit, to="self_assessment")
    for score in (5, 8):
        svc.self_assessment_record(
            by=aw["contact"],
            audit=aw.audit,
            entries=[svc.SelfScoreInput(a, score, "") for a in ("S1.1", "S1.2", "S2.1")],
        )
    rows = walk_api(
        Client(), f"{API}audits/{aw.audit.pk}/self-assessment", 2, **bearer(aw["contact"])
    )
    expected = SelfAssessment.objects.filter(audit=aw.audit).order_by(
        "attribute", "recorded_at", "pk"
    )
    assert [r["attribute"] for r in rows] == [r.attribute for r in expected]
    assert len(rows) == 6


@pytest.mark.parametrize("path", ["scores", "self-assessment"])
def test_an_audits_history_is_not_read_by_others_whatever_the_cursor(
    aw: AuditWorld, path: str
) -> None:
    audit = _histories(aw)
    first = Client().get(f"{API}audits/{audit.pk}/{path}?size=1", **bearer(aw["contact"]))
    cursor = first.json()["next"] or ""
    for role in ("contact_other", "auditor_other", "nobody"):
        url = f"{API}audits/{audit.pk}/{path}?cursor={cursor}"
        assert Client().get(url, **bearer(aw[role])).status_code == 404, role
    bad = Client().get(f"{API}audits/{audit.pk}/{path}?cursor=junk", **bearer(aw["contact"]))
    assert bad.status_code == 400


def test_the_score_history_page_costs_the_same_queries_for_few_or_many(aw: AuditWorld) -> None:
    audit = _histories(aw)
    headers = bearer(aw["contact"])
    url = f"{API}audits/{audit.pk}/scores?size=200"
    few = api_queries(Client(), url, **headers)
    score_all(aw, 8)
    assert api_queries(Client(), url, **headers) == few


# --- renewals ------------------------------------------------------------------------------------


def test_the_renewals_page_pages_the_certificates_due(aw: AuditWorld, settings: object) -> None:
    more_clients(aw, 5)
    other_body(aw)
    settings.ASSAY_TODAY = "2016-02-01"  # type: ignore[attr-defined]  # a month before expiry
    admin = Client()
    admin.force_login(aw["body_admin"])
    due = walk_pages(admin, "/audits/renewals/?size=2", CERT_LINK)
    expected = Certificate.objects.order_by("expires_on", "pk").values_list("number", flat=True)
    assert due == list(expected) and len(due) == 5
    few = page_queries(admin, "/audits/renewals/?size=200")
    _bulk_audits(aw, 10)
    assert page_queries(admin, "/audits/renewals/?size=200") == few
    cursor = admin.get("/audits/renewals/?size=1").context["page"].due.next
    stranger = Client()
    stranger.force_login(User.objects.get(username="stranger_admin"))
    page = stranger.get(f"/audits/renewals/?cursor={cursor}")
    assert page.status_code == 200 and list(page.context["page"].due) == []
    assert admin.get("/audits/renewals/?cursor=junk").status_code == 400


def test_no_list_reads_a_standards_content(aw: AuditWorld) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    more_clients(aw, 2)
    client, headers = Client(), bearer(aw["body_admin"])
    web = Client()
    web.force_login(aw["body_admin"])
    with CaptureQueriesContext(connection) as captured:
        for path in ("audits", "standards", "certificates", "organisations"):
            assert client.get(API + path, **headers).status_code == 200
        assert web.get("/audits/").status_code == 200
    sql = [q["sql"] for q in captured.captured_queries]
    assert sql and not [q for q in sql if '"audits_standardversion"."content"' in q]


def test_the_organisation_page_costs_the_same_queries_for_few_or_many_audits(
    aw: AuditWorld,
) -> None:
    client = Client()
    client.force_login(aw["body_admin"])
    url = f"/audits/organisations/{aw.acme.pk}/?size=100"
    few = page_queries(client, url)
    for _ in range(12):
        svc.audit_create(by=aw["body_admin"], organisation=aw.acme, standard=aw.standard)
    assert page_queries(client, url) == few


def test_the_self_assessment_history_costs_the_same_queries(aw: AuditWorld) -> None:
    svc.audit_advance(by=aw["body_admin"], audit=aw.audit, to="self_assessment")
    url = f"{API}audits/{aw.audit.pk}/self-assessment?size=200"
    headers = bearer(aw["contact"])
    entry = [svc.SelfScoreInput("S1.1", 5, "")]
    svc.self_assessment_record(by=aw["contact"], audit=aw.audit, entries=entry)
    few = api_queries(Client(), url, **headers)
    for score in range(6, 10):
        svc.self_assessment_record(
            by=aw["contact"],
            audit=aw.audit,
            entries=[svc.SelfScoreInput(a, score, "") for a in ("S1.1", "S1.2", "S2.1")],
        )
    assert api_queries(Client(), url, **headers) == few
