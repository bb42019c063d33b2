"""The audit programme (issue 15): planned dates, audit time, the cycle, the calendar, the
iCalendar feed, competence and conflicts at assignment — services, API, CLI and pages."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from click.testing import CliRunner
from django.test import Client
from icalendar import Calendar

from assay.accounts.services import token_create
from assay.audits import calendar as cal
from assay.audits import competence as comp
from assay.audits import planning as plan
from assay.audits import services as svc
from assay.audits.models import AuditorAssignment, AuditPlan, ConflictDeclaration, Office
from assay.audits.records import audit_problems
from assay.cli.main import main
from assay.errors import InvalidInput, NotAllowed, NotFound
from assay.records.services import records_verify
from tests.audits.world import SEED, AuditWorld

pytestmark = pytest.mark.django_db
API = "/api/v1/"
D = dt.date


def sampled(aw: AuditWorld) -> list[Office]:
    if not hasattr(aw.audit, "sample"):
        svc.sample_draw(by=aw["body_admin"], audit=aw.audit, seed=SEED)
    return plan.sampled_offices(aw.audit)


def planned(aw: AuditWorld) -> list[Office]:
    offices = sampled(aw)
    plan.plan_set(
        by=aw["body_admin"],
        audit=aw.audit,
        opening_on=D(2013, 4, 2),
        closing_on=D(2013, 4, 5),
        fieldwork={offices[0].pk: [D(2013, 4, 3)], offices[1].pk: [D(2013, 4, 3), D(2013, 4, 4)]},
    )
    return offices


def api(
    aw: AuditWorld, role: str, method: str, path: str, body: Any = None, scope: str = "write"
) -> Any:
    headers = {}
    if role != "anonymous":
        headers["HTTP_AUTHORIZATION"] = "Bearer " + token_create(user=aw[role], scope=scope)[1]
    client = Client()
    if method == "get":
        return client.get(API + path, **headers)
    return getattr(client, method)(
        API + path, json.dumps(body or {}), content_type="application/json", **headers
    )


def membership(aw: AuditWorld, role: str) -> Any:
    m = comp.auditor_membership(aw.body.pk, aw[role].pk)
    assert m is not None
    return m


# --- planned dates and audit time ------------------------------------------------------------


def test_plan_is_versioned_chained_and_shown_with_man_days(aw: AuditWorld) -> None:
    offices = sampled(aw)
    Office.objects.filter(pk=offices[0].pk).update(headcount=20)
    planned_offices = planned(aw)
    assert planned_offices == offices
    answer = plan.audit_plan(aw["auditor"], aw.audit.pk)
    assert answer.version == 1 and answer.opening_on == D(2013, 4, 2)
    first = answer.sites[0]
    assert first.man_days == "1.5" and first.band == "16-45 staff"
    assert first.fieldwork == [D(2013, 4, 3)]
    assert answer.sites[1].man_days == "unknown"
    assert answer.sites[1].reasons[0].code == "unknown_headcount"
    assert answer.total_man_days == "1.5" and offices[1].name in answer.unknown_headcount
    plan.plan_set(
        by=aw["body_admin"], audit=aw.audit, opening_on=D(2013, 4, 9), closing_on=D(2013, 4, 9)
    )
    assert list(AuditPlan.objects.filter(audit=aw.audit).values_list("version", flat=True)) == [
        1,
        2,
    ]
    assert audit_problems(aw.audit.pk) == []


@pytest.mark.parametrize(
    ("opening", "closing", "day", "field"),
    [
        (D(2013, 4, 5), D(2013, 4, 2), None, "closing_on"),
        (D(2013, 4, 2), D(2013, 4, 5), D(2013, 4, 9), "fieldwork"),
        (D(1013, 4, 2), D(2013, 4, 5), None, "opening_on"),
        (D(2013, 4, 2), D(2913, 4, 5), None, "closing_on"),
    ],
)
def test_a_wrong_plan_is_refused_and_changes_nothing(
    aw: AuditWorld, opening: dt.date, closing: dt.date, day: dt.date | None, field: str
) -> None:
    offices = sampled(aw)
    with pytest.raises(InvalidInput) as exc:
        plan.plan_set(
            by=aw["body_admin"],
            audit=aw.audit,
            opening_on=opening,
            closing_on=closing,
            fieldwork={offices[0].pk: [day]} if day else {},
        )
    assert field in exc.value.errors
    assert not AuditPlan.objects.exists()


def test_fieldwork_needs_a_sampled_office_and_planners_only(aw: AuditWorld) -> None:
    with pytest.raises(InvalidInput, match="draw the sample first"):
        plan.plan_set(
            by=aw["body_admin"],
            audit=aw.audit,
            opening_on=D(2013, 4, 2),
            closing_on=D(2013, 4, 5),
            fieldwork={aw.offices["Perth"].pk: [D(2013, 4, 3)]},
        )
    for role in ("auditor_other", "decision_maker", "contact"):
        with pytest.raises(NotAllowed):
            plan.plan_set(
                by=aw[role], audit=aw.audit, opening_on=D(2013, 4, 2), closing_on=D(2013, 4, 5)
            )
    # the lead auditor plans
    plan.plan_set(
        by=aw["auditor"], audit=aw.audit, opening_on=D(2013, 4, 2), closing_on=D(2013, 4, 5)
    )


# --- competence, conflicts, assignment ----------------------------------------------------------


def test_conflict_refuses_any_assignment_with_reasons_and_changes_nothing(aw: AuditWorld) -> None:
    m = membership(aw, "auditor_other")
    comp.conflict_declare(
        by=aw["auditor_other"], membership=m, organisation=aw.acme, reason="Former employee"
    )
    before = AuditorAssignment.objects.count()
    with pytest.raises(comp.AssignmentRefused) as exc:
        svc.auditor_assign(by=aw["body_admin"], audit=aw.audit, auditor=aw["auditor_other"])
    assert [c for c, _ in exc.value.reasons] == ["conflict_of_interest"]
    assert AuditorAssignment.objects.count() == before
    assert records_verify(only=comp.chain_name(m.pk)).problems == []


def test_unqualified_auditor_cannot_lead_but_may_join(aw: AuditWorld) -> None:
    admin = aw["body_admin"]
    fresh = svc.audit_create(by=admin, organisation=aw.other, standard=aw.standard)
    svc.body_role_grant(by=admin, body=aw.body, user=aw["nobody"], role="auditor")
    with pytest.raises(comp.AssignmentRefused) as exc:
        svc.auditor_assign(by=admin, audit=fresh, auditor=aw["nobody"])
    assert [c for c, _ in exc.value.reasons] == ["not_qualified_to_lead"]
    assert not fresh.assignments.exists()
    svc.auditor_assign(by=admin, audit=fresh, auditor=aw["auditor"])
    joined = svc.auditor_assign(by=admin, audit=fresh, auditor=aw["nobody"])
    assert not joined.lead


def test_competence_records_are_admins_only_and_chained(aw: AuditWorld) -> None:
    m = membership(aw, "auditor")
    with pytest.raises(NotAllowed):
        comp.competence_record(
            by=aw["auditor"], membership=m, kind="training", on=D(2013, 1, 1), title="Self-taught"
        )
    with pytest.raises(InvalidInput):
        comp.competence_record(
            by=aw["body_admin"], membership=m, kind="training", on=D(2013, 1, 1), title="\u200b"
        )
    comp.competence_record(
        by=aw["body_admin"],
        membership=m,
        kind="observed",
        on=D(2013, 2, 1),
        note="Shadowed F. at Acme",
    )
    answer = comp.auditor_competence(aw["auditor"], m.pk)
    assert [r.kind for r in answer.records] == ["observed", "standard"]
    with pytest.raises(NotFound):
        comp.auditor_competence(aw["auditor_other"], m.pk)
    assert records_verify(only=comp.chain_name(m.pk)).problems == []
    ConflictDeclaration.objects.create(
        membership=m,
        organisation=aw.acme,
        reason="forged",
        declared_on=D(2013, 1, 1),
        declared_by=aw["body_admin"],
    )
    problems = records_verify(only=comp.chain_name(m.pk)).problems
    assert any("never recorded" in p.message for p in problems)


# --- programme, calendar, feed -----------------------------------------------------------------


def test_programme_lists_the_cycle(aw: AuditWorld) -> None:
    planned(aw)
    answer = cal.programme_answer(aw["contact"], aw.acme.pk)
    assert [(r.year, r.audit, r.state) for r in answer.rows] == [(0, aw.audit.pk, "planned")]
    assert answer.rows[0].opening_on == D(2013, 4, 2)
    with pytest.raises(NotFound):
        cal.programme_answer(aw["contact_other"], aw.acme.pk)


def test_calendar_and_feed_hold_only_own_events(aw: AuditWorld) -> None:
    offices = planned(aw)
    month = cal.body_calendar(aw["body_admin"], aw.body.pk, "2013-04")
    days = {d.day: d.events for week in month.weeks for d in week}
    assert [e.kind for e in days[D(2013, 4, 3)]] == ["fieldwork", "fieldwork"]
    assert cal.body_calendar(aw["auditor_other"], aw.body.pk, "2013-04").weeks  # sees none
    other_days = [
        e
        for w in cal.body_calendar(aw["auditor_other"], aw.body.pk, "2013-04").weeks
        for d in w
        for e in d.events
    ]
    assert other_days == []
    with pytest.raises(NotFound):
        cal.body_calendar(aw["contact"], aw.body.pk, "2013-04")
    with pytest.raises(InvalidInput):
        cal.body_calendar(aw["body_admin"], aw.body.pk, "2613-04")
    parsed = Calendar.from_ical(cal.feed_ics(aw["auditor"]))
    uids = sorted(str(e["uid"]) for e in parsed.walk("VEVENT"))
    a = aw.audit.pk
    assert f"audit-{a}-opening@assay" in uids and f"audit-{a}-closing@assay" in uids
    assert f"audit-{a}-fieldwork-{offices[1].pk}-20130404@assay" in uids
    assert len(uids) == 5
    assert list(Calendar.from_ical(cal.feed_ics(aw["auditor_other"])).walk("VEVENT")) == []
    assert list(Calendar.from_ical(cal.feed_ics(aw["body_admin"])).walk("VEVENT")) == []


def test_feed_by_secret_address_and_session(aw: AuditWorld) -> None:
    planned(aw)
    token = cal.feed_token_make(by=aw["auditor"])
    anonymous = Client()
    ok = anonymous.get(f"/calendar/{token}.ics")
    assert ok.status_code == 200 and ok["Content-Type"].startswith("text/calendar")
    assert len(list(Calendar.from_ical(ok.content).walk("VEVENT"))) == 5
    assert anonymous.get("/calendar/not-a-token.ics").status_code == 404
    cal.feed_token_make(by=aw["auditor"])  # a new address stops the old one
    assert anonymous.get(f"/calendar/{token}.ics").status_code == 404
    assert anonymous.get("/audits/calendar-feed/mine.ics").status_code == 302
    other = Client()
    other.force_login(aw["auditor_other"])
    mine = other.get("/audits/calendar-feed/mine.ics")
    assert mine.status_code == 200 and list(Calendar.from_ical(mine.content).walk("VEVENT")) == []


# --- API -----------------------------------------------------------------------------------------


def test_api_plan_and_denials(aw: AuditWorld) -> None:
    offices = sampled(aw)
    body = {
        "opening_on": "2013-04-02",
        "closing_on": "2013-04-05",
        "fieldwork": [{"office": offices[0].pk, "days": ["2013-04-03"]}],
    }
    path = f"audits/{aw.audit.pk}/plan"
    assert api(aw, "anonymous", "put", path, body).status_code == 401
    assert api(aw, "contact_other", "put", path, body).status_code == 404
    assert api(aw, "auditor_other", "put", path, body).status_code == 404
    assert api(aw, "decision_maker", "put", path, body).status_code == 403
    assert api(aw, "body_admin", "put", path, body, scope="read").status_code == 403
    assert not AuditPlan.objects.exists()
    bad = api(aw, "body_admin", "put", path, {**body, "closing_on": "2013-03-30"})
    assert bad.status_code == 422 and not AuditPlan.objects.exists()
    assert api(aw, "body_admin", "put", path, [1, 2]).status_code == 422
    made = api(aw, "body_admin", "put", path, body)
    assert made.status_code == 200 and made.json()["opening_on"] == "2013-04-02"
    seen = api(aw, "contact", "get", path).json()
    assert seen["sites"][0]["fieldwork"] == ["2013-04-03"]
    assert (
        api(aw, "contact_other", "get", f"organisations/{aw.acme.pk}/programme").status_code == 404
    )
    assert api(aw, "contact", "get", f"organisations/{aw.acme.pk}/programme").status_code == 200
    assert (
        api(aw, "contact", "get", f"bodies/{aw.body.pk}/calendar?month=2013-04").status_code == 404
    )
    cal_ok = api(aw, "auditor", "get", f"bodies/{aw.body.pk}/calendar?month=2013-04")
    assert cal_ok.status_code == 200
    ics = api(aw, "auditor", "get", "me/calendar.ics")
    assert ics.status_code == 200 and len(list(Calendar.from_ical(ics.content).walk("VEVENT"))) == 3


def test_api_conflict_then_refused_assignment_with_codes(aw: AuditWorld) -> None:
    m = membership(aw, "auditor_other")
    path = f"auditors/{m.pk}/conflicts"
    body = {"organisation": aw.acme.pk, "reason": "Brother works there"}
    assert api(aw, "auditor", "post", path, body).status_code == 404  # another auditor's
    assert api(aw, "auditor_other", "post", path, body, scope="read").status_code == 403
    assert api(aw, "auditor_other", "post", path, {**body, "reason": " \u200b "}).status_code == 422
    assert api(aw, "auditor_other", "post", path, body).status_code == 201
    refused = api(
        aw, "body_admin", "post", f"audits/{aw.audit.pk}/auditors", {"username": "auditor_other"}
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["details"][0]["code"] == "conflict_of_interest"
    comp_path = f"auditors/{m.pk}/competence"
    training = {"kind": "training", "on": "2013-01-10", "title": "ICSS auditor course"}
    assert api(aw, "auditor_other", "post", comp_path, training).status_code == 403
    assert api(aw, "body_admin", "post", comp_path, training).status_code == 201
    assert (
        api(aw, "body_admin", "post", comp_path, {**training, "on": "2213-01-10"}).status_code
        == 422
    )
    titles = [r["title"] for r in api(aw, "auditor_other", "get", comp_path).json()["records"]]
    assert "ICSS auditor course" in titles


# --- CLI -----------------------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_plan_programme_competence_conflict(aw: AuditWorld) -> None:
    offices = sampled(aw)
    a = str(aw.audit.pk)
    code, out, err = run(
        "audits",
        "plan",
        a,
        "--opening",
        "2013-04-02",
        "--closing",
        "05/04/2013",
        "--fieldwork",
        f"{offices[0].pk}=2013-04-03",
        "--as",
        "body_admin",
    )
    assert code == 0, err
    assert "opening 02/04/2013, closing 05/04/2013" in out and "unknown headcount" in out
    code, _, err = run(
        "audits",
        "plan",
        a,
        "--opening",
        "2013-04-09",
        "--closing",
        "2013-04-02",
        "--as",
        "body_admin",
    )
    assert code == 2 and "before the opening" in err
    code, out, _ = run("audits", "programme", "ACME", "--json", "--as", "contact")
    assert code == 0 and json.loads(out)["rows"][0]["audit"] == aw.audit.pk
    code, _, err = run(
        "audits",
        "conflict",
        "auditor_other",
        "--body",
        "CSI",
        "--organisation",
        "ACME",
        "--reason",
        "Former employee",
        "--as",
        "auditor_other",
    )
    assert code == 0, err
    code, _, err = run("audits", "assign", a, "--auditor", "auditor_other", "--as", "body_admin")
    assert code == 2 and "conflict of interest" in err
    code, _, err = run(
        "audits",
        "competence-add",
        "auditor",
        "--body",
        "CSI",
        "--kind",
        "training",
        "--on",
        "2013-01-10",
        "--title",
        "Course",
        "--as",
        "auditor",
    )
    assert code == 2 and "not allowed" in err
    code, out, _ = run("audits", "competence", "auditor", "--body", "CSI", "--as", "body_admin")
    assert code == 0 and "qualified for:" in out


# --- pages ---------------------------------------------------------------------------------------


def test_pages_render_with_bounded_queries(
    aw: AuditWorld, django_assert_max_num_queries: Any
) -> None:
    planned(aw)
    admin = Client()
    admin.force_login(aw["body_admin"])
    m = membership(aw, "auditor")
    pages = [
        f"/audits/{aw.audit.pk}/",
        f"/audits/{aw.audit.pk}/plan/",
        f"/audits/organisations/{aw.acme.pk}/programme/",
        f"/audits/bodies/{aw.body.pk}/calendar/?month=2013-04",
        f"/audits/auditors/{m.pk}/",
        "/audits/calendar-feed/",
    ]
    for url in pages:
        with django_assert_max_num_queries(30):
            page = admin.get(url)
        assert page.status_code == 200, url
    body = admin.get(f"/audits/{aw.audit.pk}/plan/").content.decode()
    assert 'id="id_opening_on"' in body and 'id="id_fieldwork_' in body
    assert "02/04/2013" in admin.get(f"/audits/{aw.audit.pk}/").content.decode()
    posted = admin.post(
        f"/audits/{aw.audit.pk}/plan/", {"opening_on": "2013-04-09", "closing_on": "2013-04-02"}
    )
    assert posted.status_code == 400 and "before the opening" in posted.content.decode()
    stranger = Client()
    stranger.force_login(aw["contact_other"])
    assert stranger.get(f"/audits/{aw.audit.pk}/plan/").status_code == 404
    assert stranger.get(f"/audits/bodies/{aw.body.pk}/calendar/").status_code == 404
    assert stranger.get(f"/audits/auditors/{m.pk}/").status_code == 404
    contact = Client()
    contact.force_login(aw["contact"])
    assert (
        contact.post(
            f"/audits/{aw.audit.pk}/plan/", {"opening_on": "2013-04-09", "closing_on": "2013-04-10"}
        ).status_code
        == 403
    )


def test_a_rewritten_plan_is_named_by_records_verify(aw: AuditWorld) -> None:
    planned(aw)
    AuditPlan.objects.filter(audit=aw.audit).update(closing_on=D(2013, 4, 30))
    problems = audit_problems(aw.audit.pk)
    assert any("plan" in p and "closing_on" in p for p in problems), problems


def test_the_audit_page_shows_a_refused_assignment_with_its_reason(aw: AuditWorld) -> None:
    m = membership(aw, "auditor_other")
    comp.conflict_declare(
        by=aw["body_admin"], membership=m, organisation=aw.acme, reason="Former employee"
    )
    admin = Client()
    admin.force_login(aw["body_admin"])
    page = admin.post(f"/audits/{aw.audit.pk}/auditors", {"auditor": aw["auditor_other"].pk})
    assert page.status_code == 400
    assert "declared a conflict of interest with Acme Services" in page.content.decode()
    assert not aw.audit.assignments.filter(auditor=aw["auditor_other"]).exists()


def test_cli_help_texts(aw: AuditWorld) -> None:
    for command in ("plan", "programme", "competence", "competence-add", "conflict"):
        code, out, _ = run("audits", command, "--help")
        assert code == 0 and "Usage" in out


def test_the_client_import_reads_headcount(aw: AuditWorld) -> None:
    import io

    from assay.audits.clients import import_clients, read_rows

    text = (
        "organisation_reference,organisation_name,office,state,main,headcount\n"
        "NEW,New Co,Hobart,TAS,yes,30\n"
        "NEW,New Co,Launceston,TAS,no,\n"
    )
    rows = read_rows(io.BytesIO(text.encode()), name="c.csv")
    import_clients(by=aw["body_admin"], body=aw.body, rows=rows)
    got = dict(
        Office.objects.filter(organisation__reference="NEW").values_list("name", "headcount")
    )
    assert got == {"Hobart": 30, "Launceston": None}
    bad = read_rows(io.BytesIO(text.replace(",30", ",thirty").encode()), name="d.csv")
    with pytest.raises(InvalidInput, match="headcount"):
        import_clients(by=aw["body_admin"], body=aw.body, rows=bad)


def test_uids_stay_when_the_plan_moves(aw: AuditWorld) -> None:
    planned(aw)
    before = {
        str(e["uid"]): e for e in Calendar.from_ical(cal.feed_ics(aw["auditor"])).walk("VEVENT")
    }
    plan.plan_set(
        by=aw["body_admin"], audit=aw.audit, opening_on=D(2013, 4, 1), closing_on=D(2013, 4, 8)
    )
    after = {
        str(e["uid"]): e for e in Calendar.from_ical(cal.feed_ics(aw["auditor"])).walk("VEVENT")
    }
    opening = f"audit-{aw.audit.pk}-opening@assay"
    assert opening in before and opening in after
    assert after[opening].decoded("dtstart") == D(2013, 4, 1)
    assert len(after) == 2  # the new version plans no fieldwork day yet


def test_calendar_and_programme_queries_do_not_grow(aw: AuditWorld) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    planned(aw)
    admin = Client()
    admin.force_login(aw["body_admin"])
    urls = [
        f"/audits/bodies/{aw.body.pk}/calendar/?month=2013-04",
        f"/audits/organisations/{aw.acme.pk}/programme/",
    ]

    def counts() -> list[int]:
        found = []
        for url in urls:
            admin.get(url)
            with CaptureQueriesContext(connection) as q:
                assert admin.get(url).status_code == 200
            found.append(len(q.captured_queries))
        return found

    before = counts()
    for _ in range(3):
        more = svc.audit_create(by=aw["body_admin"], organisation=aw.acme, standard=aw.standard)
        plan.plan_set(
            by=aw["body_admin"], audit=more, opening_on=D(2013, 4, 8), closing_on=D(2013, 4, 9)
        )
    assert counts() == before
