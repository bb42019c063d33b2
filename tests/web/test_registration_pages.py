"""The candidate's registration page: facts, status and history, plan editor with the live
check and the planner's suggestion, initial assessment, RPL and signatures."""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assay.registrations.models import (
    InitialAssessment,
    PlanUnit,
    RplClaim,
    Signature,
    StatusChange,
)
from tests.web.helpers import add_candidates, plain
from tests.world import World

pytestmark = pytest.mark.django_db

Text = Callable[..., str]
HTMX = {"HX-Request": "true"}


def signed_in(world: World, username: str) -> Client:
    client = Client()
    client.force_login(world.user(username))
    return client


def url(world: World, path: str = "") -> str:
    return f"/registrations/{world.dan.pk}/{path}"


def test_page_shows_candidate_registration_and_plan(world: World, page_text: Text) -> None:
    body = page_text(signed_in(world, "tom").get(url(world)))
    text = plain(body)
    assert "Dan Smith" in text and "Level 4 NVQ Diploma in Customer Service" in text
    assert "Date of birth 17/05/1980" in text and "Employer Harbour Retail Ltd" in text
    assert "Registered 03/09/2012" in text and "Assessment ends 03/09/2014" in text
    assert "Ends on 03/09/2014, 24 months from registration on 03/09/2012" in text
    assert "Internal verifier Ian Test" in text
    row = re.search(r'<tr data-unit="401">.*?</tr>', body, re.S)
    assert row and "Alice Test" in row.group(0) and "30/06/2013" in row.group(0)
    assert 'data-rule="mandatory-units" data-met="false"' in body  # 402 not planned yet
    assert "Edit the learning plan" not in body  # a tutor does not edit plans
    assert 'action="/registrations/' + str(world.dan.pk) + '/status"' not in body


def credit(registration: Any, units: list[str]) -> None:
    """Credit units through accepted RPL (test setup: the assessor's decision is not under test)."""
    RplClaim.objects.bulk_create(
        RplClaim(registration=registration, unit_number=u, evidence="certificate", accepted=True)
        for u in units
    )


# A selection of 4430-04 units that meets every rule of combination (the planner's cheapest).
CG_COMPLETE = ["401", "402", "403", "404", "405", "406", "410", "416"]


def test_status_changes_and_history(world: World, page_text: Text) -> None:
    client = signed_in(world, "carol")
    body = page_text(client.get(url(world)))
    radios = re.findall(
        r'<input type="radio" name="status" id="id_status_\w+" value="(\w+)"([^>]*)>', body
    )
    assert [value for value, _ in radios] == ["in_progress", "withdrawn", "transferred", "expired"]
    assert not any("checked" in attrs for _, attrs in radios)  # nothing is chosen for anyone
    assert "Final. The candidate has left the qualification" in body  # explained before chosen
    change = {"status": "in_progress", "reason": "Started", "confirm": "on"}
    response = client.post(url(world, "status"), change)
    assert response.status_code == 302 and response["Location"] == url(world)
    linda = signed_in(world, "linda")
    done = {"status": "completed", "reason": "All units achieved", "confirm": "on"}
    refused = linda.post(url(world, "status"), done)
    assert refused.status_code == 400
    assert "rules of combination of 4430-04 are not met" in page_text(refused)
    credit(world.dan, CG_COMPLETE)
    assert linda.post(url(world, "status"), done).status_code == 302
    body = page_text(client.get(url(world)))
    rows = re.findall(r'<tr data-to="(\w+)">(.*?)</tr>', body, re.S)
    assert [to for to, _ in rows] == ["registered", "in_progress", "completed"]
    assert "Carol Test" in rows[1][1] and "Started" in rows[1][1]
    assert "Linda Test" in rows[2][1] and "All units achieved" in rows[2][1]
    assert "Completed is final" in body
    assert list(
        StatusChange.objects.filter(registration=world.dan).values_list("to_status", "by__username")
    ) == [("registered", "carol"), ("in_progress", "carol"), ("completed", "linda")]


def test_completed_is_offered_only_when_the_rules_are_met(world: World, page_text: Text) -> None:
    client = signed_in(world, "carol")
    change = {"status": "in_progress", "reason": "Started", "confirm": "on"}
    client.post(url(world, "status"), change)
    body = page_text(client.get(url(world)))
    assert re.search(r'id="id_status_completed" value="completed"[^>]*disabled', body)
    assert 'data-unavailable="completed"' in body and "No unit of 4430-04 is signed off" in body
    credit(world.dan, CG_COMPLETE)
    body = page_text(client.get(url(world)))
    assert not re.search(r'id="id_status_completed" value="completed"[^>]*disabled', body)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reason": "Started", "confirm": "on"}, "status", "Choose the new status"),
        ({"status": "in_progress", "confirm": "on"}, "reason", "Give the reason"),
        (
            {"status": "in_progress", "reason": " \u200b\u200d\ufeff ", "confirm": "on"},
            "reason",
            "Give the reason",
        ),
        ({"status": "in_progress", "reason": "Started"}, "confirm", "Confirm the change"),
    ],
)
def test_a_status_change_needs_a_choice_a_reason_and_a_confirmation(
    world: World, page_text: Text, data: dict[str, str], field: str, message: str
) -> None:
    response = signed_in(world, "carol").post(url(world, "status"), data)
    assert response.status_code == 400
    body = page_text(response)
    error = re.search(rf'id="id_{field}-error">(.*?)</p>', body, re.S)
    assert error and message in error.group(1)
    assert StatusChange.objects.filter(registration=world.dan).count() == 1
    world.dan.refresh_from_db()
    assert world.dan.status == "registered"


def test_a_move_the_lifecycle_forbids_is_shown_and_changes_nothing(
    world: World, page_text: Text
) -> None:
    client = signed_in(world, "carol")
    data = {"status": "completed", "reason": "done", "confirm": "on"}
    response = client.post(url(world, "status"), data)
    assert response.status_code == 400
    assert "A registration cannot go from registered to completed" in page_text(response)
    assert StatusChange.objects.filter(registration=world.dan).count() == 1
    response = client.post(url(world, "status"), {**data, "status": "bogus"})
    assert response.status_code == 400
    assert "Select a valid choice" in page_text(response)


@pytest.mark.parametrize("username", ["tom", "alice", "dan", "eve", "sue"])
def test_only_an_administrator_or_lead_iqa_of_the_centre_changes_status(
    world: World, username: str
) -> None:
    data = {"status": "withdrawn", "reason": "moved away", "confirm": "on"}
    response = signed_in(world, username).post(url(world, "status"), data)
    assert response.status_code in {403, 404}
    assert response.status_code == (404 if username == "sue" else 403)
    assert StatusChange.objects.filter(registration=world.dan).count() == 1


# --- Extension of the period -----------------------------------------------------------------


def test_an_administrator_extends_the_period_with_a_reason(world: World, page_text: Text) -> None:
    client = signed_in(world, "carol")
    assert "Extend the period of registration" in page_text(client.get(url(world)))
    form = page_text(client.get(url(world, "extend")))
    assert "Assessment must be completed within the candidate's period of registration" in form
    refused = client.post(url(world, "extend"), {"new_end": "2014-12-31", "reason": "\u200b"})
    assert refused.status_code == 400 and "Give the reason" in page_text(refused)
    later = client.post(url(world, "extend"), {"new_end": "2017-08-01", "reason": "illness"})
    assert later.status_code == 400
    assert "after the last certification date 31/07/2017" in page_text(later)
    response = client.post(url(world, "extend"), {"new_end": "2014-12-31", "reason": "illness"})
    assert response.status_code == 302
    world.dan.refresh_from_db()
    assert world.dan.end_date == dt.date(2014, 12, 31)
    body = plain(page_text(client.get(url(world))))
    assert "03/09/2014 → 31/12/2014 by Carol Test" in body and "illness" in body
    (extension,) = world.dan.extensions.all()
    assert (extension.previous_end, extension.by.username) == (dt.date(2014, 9, 3), "carol")


@pytest.mark.parametrize("username", ["tom", "alice", "linda", "dan", "eve", "sue"])
def test_only_an_administrator_of_the_centre_extends(world: World, username: str) -> None:
    client = signed_in(world, username)
    response = client.post(url(world, "extend"), {"new_end": "2014-12-31", "reason": "illness"})
    assert response.status_code == (404 if username == "sue" else 403)
    assert client.get(url(world, "extend")).status_code == (404 if username == "sue" else 403)
    world.dan.refresh_from_db()
    assert world.dan.end_date == dt.date(2014, 9, 3) and not world.dan.extensions.exists()


# --- Learning plan ---------------------------------------------------------------------------


def test_plan_editor_shows_units_assessors_and_the_check(world: World) -> None:
    body = signed_in(world, "carol").get(url(world, "plan/")).content.decode()
    assert '<input type="checkbox" id="unit-401" name="unit" value="401" checked>' in body
    assert '<input type="checkbox" id="unit-402" name="unit" value="402">' in body
    alice = world.user("alice").pk
    assert f'<option value="{alice}" selected>Alice Test</option>' in body
    assert "Arthur Test (past A/V deadline)" in body
    assert 'name="target-401" id="target-401" value="2013-06-30"' in body
    assert f'<option value="{world.user("ian").pk}" selected>Ian Test</option>' in body
    assert f'hx-post="/registrations/{world.dan.pk}/plan/check"' in body
    assert f'hx-post="/registrations/{world.dan.pk}/plan/suggest"' in body
    assert 'data-rule="mandatory-units"' in body


def full_plan(world: World, assessor: str = "alice") -> dict[str, Any]:
    units = ["401", "402", "403", "405", "410", "411", "412"]
    data: dict[str, Any] = {"unit": units, "internal_verifier": world.user("ian").pk}
    for unit in units:
        data[f"assessor-{unit}"] = world.user(assessor).pk
    data["target-412"] = "2014-01-31"
    return data


def test_saving_a_plan_replaces_it_and_reports_the_rules(world: World, page_text: Text) -> None:
    client = signed_in(world, "carol")
    response = client.post(url(world, "plan/"), full_plan(world), follow=True)
    assert response.status_code == 200
    body = page_text(response)
    assert "Learning plan saved." in body
    assert 'data-rule="minimum-credit" data-met="true"' in body
    plan = dict(
        PlanUnit.objects.filter(registration=world.dan).values_list("unit_number", "target_date")
    )
    assert len(plan) == 7 and plan["412"] == dt.date(2014, 1, 31)


def test_an_overdue_assessor_is_refused_and_nothing_changes(world: World, page_text: Text) -> None:
    response = signed_in(world, "carol").post(url(world, "plan/"), full_plan(world, "arthur"))
    assert response.status_code == 400
    body = page_text(response)
    assert "The plan was not saved" in body
    assert "past their A/V unit deadline and cannot be given new candidates" in body
    assert list(
        PlanUnit.objects.filter(registration=world.dan).values_list("unit_number", flat=True)
    ) == ["401"]
    assert '<input type="checkbox" id="unit-412" name="unit" value="412" checked>' in body


def test_plan_rejects_unknown_units_and_an_iv_assessing(world: World, page_text: Text) -> None:
    client = signed_in(world, "carol")
    bad = client.post(url(world, "plan/"), {"unit": ["999"]})
    assert (
        bad.status_code == 400 and "unknown unit &#x27;999&#x27; in 4430-04" in bad.content.decode()
    )
    data = {"unit": ["401"], "assessor-401": world.user("alice").pk}
    data["internal_verifier"] = world.user("alice").pk
    own = client.post(url(world, "plan/"), data)
    assert own.status_code == 400
    assert "not an internal verifier at this centre" in page_text(own)
    garbled = client.post(url(world, "plan/"), {"unit": ["401"], "target-401": "soon"})
    assert garbled.status_code == 400 and "enter the target date as a date" in page_text(garbled)
    assert PlanUnit.objects.filter(registration=world.dan).count() == 1


def test_live_plan_check_and_suggestion(world: World, page_text: Text) -> None:
    client = signed_in(world, "carol")
    check = page_text(client.post(url(world, "plan/check"), {"unit": ["401", "402"]}, headers=HTMX))
    assert "<html" not in check and 'data-rule="mandatory-units" data-met="true"' in check
    suggest = page_text(
        client.post(url(world, "plan/suggest"), {"unit": ["401", "402"]}, headers=HTMX)
    )
    assert 'data-feasible="true"' in suggest and "Suggested: add" in suggest
    added = re.findall(r'<li data-unit="(\w+)">', suggest)
    assert added and set(added).isdisjoint({"401", "402"})
    for unit in added:  # ticked in place through an out-of-band swap
        assert f'id="unit-{unit}" name="unit" value="{unit}" checked hx-swap-oob="true"' in suggest
    assert 'id="plan-result" class="plan-result" aria-live="polite" hx-swap-oob="true"' in suggest
    bad = client.post(url(world, "plan/check"), {"unit": ["999"]}, headers=HTMX)
    assert bad.status_code == 400 and "unknown unit" in page_text(bad)


def test_suggestion_without_javascript_ticks_the_units_on_the_editor(world: World) -> None:
    body = (
        signed_in(world, "carol")
        .post(url(world, "plan/suggest"), {"unit": ["401"]})
        .content.decode()
    )
    assert "<html" in body and "These units are now ticked" in body
    ticked = re.findall(r'id="unit-(\w+)" name="unit" value="\w+" checked>', body)
    assert "401" in ticked and len(ticked) > 1
    assert PlanUnit.objects.filter(registration=world.dan).count() == 1  # nothing saved


# --- Initial assessment, RPL, signatures -----------------------------------------------------


def test_initial_assessment_recommends_a_level_with_reasons(world: World, page_text: Text) -> None:
    client = signed_in(world, "tom")
    response = client.post(
        url(world, "initial-assessment"),
        {
            "training_needs": "Report writing",
            "support_needs": "",
            "delivers_service_directly": "on",
            "leads_team_or_department": "on",
        },
        follow=True,
    )
    body = page_text(response)
    assert "Initial assessment recorded: Level 3 recommended." in body
    assert 'data-level="3"' in body and "The role leads a team or department" in body
    record = InitialAssessment.objects.get(registration=world.dan)
    assert record.job_role_facts["leads_team_or_department"] is True
    assert record.job_role_facts["plans_or_implements_strategy"] is False
    # The form comes back filled in for an update.
    assert 'name="leads_team_or_department" id="id_leads_team_or_department" checked' in body


def test_rpl_claim_then_assessor_accepts_and_it_counts(world: World, page_text: Text) -> None:
    dan = signed_in(world, "dan")
    response = dan.post(url(world, "rpl"), {"unit": "413", "evidence": "Strategy paper"})
    assert response.status_code == 302
    claim = RplClaim.objects.get(registration=world.dan, unit_number="413")
    body = page_text(dan.get(url(world)))
    assert (
        f'data-claim="{claim.pk}" data-accepted="none"' in body and "Awaiting an assessor" in body
    )
    assert f"/rpl/{claim.pk}/decide" not in body  # the candidate cannot decide
    alice = signed_in(world, "alice")
    assert f"/rpl/{claim.pk}/decide" in alice.get(url(world)).content.decode()
    response = alice.post(url(world, f"rpl/{claim.pk}/decide"), {"decision": "accept"}, follow=True)
    body = page_text(response)
    assert "RPL for unit 413 accepted." in body
    assert f'data-claim="{claim.pk}" data-accepted="true"' in body and "by Alice Test" in body
    assert "Accepted through RPL (counted in the rules): unit 413." in plain(body)
    assert "units 401, 413" in body  # counted by the rules engine
    again = alice.post(url(world, f"rpl/{claim.pk}/decide"), {"decision": "reject"})
    assert again.status_code == 400 and "already been decided" in page_text(again)


def test_rpl_claim_needs_evidence_and_a_real_unit(world: World, page_text: Text) -> None:
    client = signed_in(world, "carol")
    empty = client.post(url(world, "rpl"), {"unit": "413", "evidence": ""})
    assert empty.status_code == 400 and "This field is required." in page_text(empty)
    unknown = client.post(url(world, "rpl"), {"unit": "999", "evidence": "x"})
    assert unknown.status_code == 400 and "Unknown unit" in page_text(unknown)
    assert RplClaim.objects.filter(registration=world.dan).count() == 1


def test_a_claim_on_another_registration_is_not_found(world: World) -> None:
    client = signed_in(world, "carol")
    other = f"/registrations/{world.dora.pk}/rpl/{world.claim.pk}/decide"
    assert client.post(other, {"decision": "accept"}).status_code == 404


def test_signatures_record_who_when_from_where_and_the_hash(world: World, page_text: Text) -> None:
    dan = signed_in(world, "dan")
    page = page_text(dan.get(url(world)))
    doc = re.search(r'data-document="induction".*?</article>', page, re.S)
    assert doc and "Sign as candidate" in doc.group(0)
    text = html.unescape(
        re.search(r'<pre class="document-text">(.*?)</pre>', doc.group(0), re.S).group(1)
    )
    response = dan.post(
        url(world, "sign"),
        {"document": "induction", "capacity": "candidate"},
        headers={"User-Agent": "Firefox/115"},
        REMOTE_ADDR="203.0.113.9",
        follow=True,
    )
    assert "Induction checklist signed as candidate." in page_text(response)
    signature = Signature.objects.get(registration=world.dan)
    assert signature.signer == world.user("dan") and signature.capacity == "candidate"
    assert signature.text == text
    assert signature.text_sha256 == hashlib.sha256(text.encode()).hexdigest()
    assert (signature.ip_address, signature.user_agent) == ("203.0.113.9", "Firefox/115")
    body = page_text(dan.get(url(world)))
    row = re.search(r'<tr data-capacity="candidate">.*?</tr>', body, re.S)
    assert row and "Dan Test" in row.group(0) and "203.0.113.9" in row.group(0)
    assert signature.text_sha256[:12] in row.group(0)


def test_learning_contract_text_names_the_plan(world: World, page_text: Text) -> None:
    body = page_text(signed_in(world, "ed").get(url(world)))
    doc = re.search(r'data-document="learning_contract".*?</article>', body, re.S)
    assert doc
    assert "Unit 401 Demonstrate understanding of customer service management" in doc.group(0)
    assert "(Alice Test, target 30/06/2013)" in doc.group(0)
    assert "Internal verifier: Ian Test" in doc.group(0)
    assert "Sign as employer" in doc.group(0) and "Sign as candidate" not in doc.group(0)


def test_signing_in_a_capacity_you_do_not_hold_is_refused(world: World, page_text: Text) -> None:
    response = signed_in(world, "ed").post(
        url(world, "sign"), {"document": "induction", "capacity": "candidate"}
    )
    assert response.status_code == 403
    assert "You cannot sign as the candidate of this registration." in page_text(response)
    assert not Signature.objects.exists()


def test_registration_page_queries_are_bounded(
    world: World, django_assert_max_num_queries: Any
) -> None:
    add_candidates(world, 18)
    for username in ("carol", "alice", "dan"):
        client = signed_in(world, username)
        with django_assert_max_num_queries(25):
            assert client.get(url(world)).status_code == 200
    carol = signed_in(world, "carol")
    with CaptureQueriesContext(connection) as plan_page:
        assert carol.get(url(world, "plan/")).status_code == 200
    assert len(plan_page) <= 25


def test_forms_need_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.user("carol"))
    for path in ("status", "plan/", "initial-assessment", "rpl", "sign"):
        response = client.post(url(world, path), {"status": "in_progress"})
        assert response.status_code == 403
        assert "could not be accepted" in response.content.decode()
    response = client.post(f"/centres/{world.north.pk}/register/", {"first_name": "X"})
    assert response.status_code == 403
    assert StatusChange.objects.filter(registration=world.dan).count() == 1
