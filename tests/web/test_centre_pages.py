"""Centre dashboard, people and roles, and the registration wizard with its live check."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assay.centres.models import Membership, Role
from assay.centres.services import ApprovalInput, approval_record
from assay.registrations.models import Refusal, Registration
from assay.registrations.services import registration_create
from tests.web.helpers import add_candidates, counts, plain, register_form, signed_in
from tests.world import World, adult

pytestmark = pytest.mark.django_db

Text = Callable[..., str]
HTMX = {"HX-Request": "true"}


# --- Dashboard ---------------------------------------------------------------------------


def test_dashboard_counts_and_lists_candidates_by_status(world: World, page_text: Text) -> None:
    body = page_text(signed_in(world, "carol").get(f"/centres/{world.north.pk}/"))
    assert "Demo date: 01/03/2013" in plain(body)
    counts_shown = dict(re.findall(r'data-status="(\w+)"><span class="count num">(\d+)', body))
    assert counts_shown == {
        "registered": "2",
        "in_progress": "0",
        "withdrawn": "0",
        "transferred": "0",
        "completed": "0",
        "expired": "0",
    }
    assert f'href="/registrations/{world.dan.pk}/">Dan Smith' in body
    assert f'href="/registrations/{world.dora.pk}/">Dora Smith' in body
    assert "Register a candidate" in body


def test_an_assessor_counts_only_their_own_candidates(world: World, page_text: Text) -> None:
    body = page_text(signed_in(world, "alice").get(f"/centres/{world.north.pk}/"))
    assert "Dan Smith" in body and "Dora Smith" not in body
    assert '<span class="count num">1</span> in all' in body
    assert "Register a candidate" not in body


def test_av_deadlines_warn_before_and_flag_after(world: World, page_text: Text) -> None:
    body = page_text(signed_in(world, "carol").get(f"/centres/{world.north.pk}/"))
    alice = re.search(r'<li class="deadline deadline-(\w+)" data-user="alice".*?</li>', body, re.S)
    arthur = re.search(
        r'<li class="deadline deadline-(\w+)" data-user="arthur".*?</li>', body, re.S
    )
    assert alice and arthur
    assert alice.group(1) == "due_soon"
    assert "Due soon" in alice.group(0) and "by 15/04/2013 (45 days left)" in alice.group(0)
    assert "Cannot be given new candidates" not in alice.group(0)
    assert arthur.group(1) == "overdue"
    assert "Overdue" in arthur.group(0) and "by 01/12/2012" in arthur.group(0)
    assert "Cannot be given new candidates" in arthur.group(0)
    # Overdue first: the most urgent deadline leads the list.
    assert body.index('data-user="arthur"') < body.index('data-user="alice"')


def test_deadlines_follow_the_pinned_clock(world: World, settings: Any, page_text: Text) -> None:
    settings.ASSAY_TODAY = "2012-01-02"
    body = page_text(signed_in(world, "carol").get(f"/centres/{world.north.pk}/"))
    assert "Demo date: 02/01/2012" in plain(body)
    assert 'data-user="alice" data-status="on_track"' in body
    assert 'data-user="arthur" data-status="on_track"' in body
    assert "Cannot be given new candidates" not in body


def test_no_banner_on_the_real_date(world: World, settings: Any) -> None:
    settings.ASSAY_TODAY = ""
    body = signed_in(world, "carol").get("/").content.decode()
    assert "Demo date" not in body


def test_banner_on_public_pages_too(world: World, page_text: Text) -> None:
    assert "Demo date: 01/03/2013" in plain(page_text(Client().get("/catalogue/")))


def test_approvals_show_status_since_and_reason(world: World, page_text: Text) -> None:
    approval_record(
        by=world.user("sam"),
        centre=world.north,
        approval=ApprovalInput(
            "EDEXCEL-L3-NVQ-CS", "suspended", dt.date(2013, 2, 1), reason="EV sanction 2"
        ),
    )
    body = page_text(signed_in(world, "linda").get(f"/centres/{world.north.pk}/"))
    row = re.search(r'data-qualification="EDEXCEL-L3-NVQ-CS">.*?</tr>', body, re.S)
    assert row and "Suspended" in row.group(0) and "01/02/2013" in row.group(0)
    assert "EV sanction 2" in row.group(0)
    cg = re.search(r'data-qualification="4430-04">.*?</tr>', body, re.S)
    assert cg and "Approved" in cg.group(0) and "01/09/2011" in cg.group(0)


def test_refusals_log_is_for_administrators_only(world: World, page_text: Text) -> None:
    with pytest.raises(Exception, match="under"):
        registration_create(
            by=world.user("carol"),
            centre=world.north,
            qualification_key="4430-04",
            candidate_input=adult("Young", date_of_birth=dt.date(1997, 1, 1)),
        )
    admin = page_text(signed_in(world, "carol").get(f"/centres/{world.north.pk}/"))
    assert "Refused registrations" in admin and "Young Smith" in admin
    assert 'data-code="under-minimum-age"' in admin
    for other in ("linda", "tom", "eve", "alice"):
        body = page_text(signed_in(world, other).get(f"/centres/{world.north.pk}/"))
        assert "Refused registrations" not in body and "Young Smith" not in body


def test_external_verifier_sees_the_dashboard_read_only(world: World, page_text: Text) -> None:
    body = page_text(signed_in(world, "eve").get(f"/centres/{world.north.pk}/"))
    assert "data-read-only" in body and "read-only" in body
    assert "Register a candidate" not in body
    main = body[body.index('<main id="main"') :]
    assert '<form method="post"' not in main  # no action buttons at all
    people = page_text(signed_in(world, "eve").get(f"/centres/{world.north.pk}/people/"))
    assert "Grant a role" not in people


# --- People and roles ------------------------------------------------------------------------


def test_people_page_lists_roles_competence_and_cpd(world: World, page_text: Text) -> None:
    Membership.objects.filter(user=world.user("iris")).update(qualification_code="4430-04")
    body = page_text(signed_in(world, "tom").get(f"/centres/{world.north.pk}/people/"))
    alice = re.search(r'data-user="alice">.*?</section>', body, re.S)
    assert alice
    assert "Assessor" in alice.group(0) and "A1" in alice.group(0)
    assert "started with the standards 15/10/2011" in alice.group(0)
    assert "working towards it" in alice.group(0)
    assert "A1 portfolio workshop" in alice.group(0) and "3.0 hours" in alice.group(0)
    iris = re.search(r'data-user="iris">.*?</section>', body, re.S)
    assert iris and "Internal verifier (IQA)</span> for 4430-04" in iris.group(0)
    arthur = re.search(r'data-user="arthur">.*?</section>', body, re.S)
    assert arthur and "Cannot be given new candidates" in arthur.group(0)
    assert 'data-user="dan"' not in body  # candidates are not staff
    assert "Grant a role" not in body  # a tutor grants nothing


def test_administrator_grants_a_role(world: World, page_text: Text) -> None:
    client = signed_in(world, "carol")
    assert "Grant a role" in page_text(client.get(f"/centres/{world.north.pk}/people/"))
    response = client.post(
        f"/centres/{world.north.pk}/people/grant",
        {"username": "iris", "role": "assessor", "qualification_code": "4430-04"},
        follow=True,
    )
    assert response.status_code == 200
    assert "now holds the role Assessor" in page_text(response)
    assert Membership.objects.filter(
        user=world.user("iris"),
        centre=world.north,
        role=Role.ASSESSOR,
        qualification_code="4430-04",
        granted_by=world.user("carol"),
    ).exists()


def test_granting_to_an_unknown_user_shows_the_error(world: World, page_text: Text) -> None:
    before = Membership.objects.count()
    response = signed_in(world, "carol").post(
        f"/centres/{world.north.pk}/people/grant", {"username": "nobody", "role": "tutor"}
    )
    assert response.status_code == 400
    body = page_text(response)
    assert "There is no user called 'nobody'." in body and 'aria-invalid="true"' in body
    assert Membership.objects.count() == before


# --- Registration wizard ---------------------------------------------------------------------


def test_wizard_offers_the_catalogue_and_defaults_to_today(world: World) -> None:
    body = signed_in(world, "carol").get(f"/centres/{world.north.pk}/register/").content.decode()
    assert '<option value="4430-04">' in body and '<option value="EDEXCEL-L3-NVQ-CS">' in body
    assert 'name="registered_on" value="2013-03-01"' in body
    assert f'hx-post="/centres/{world.north.pk}/register/check"' in body
    assert 'hx-trigger="change"' in body and 'hx-target="#entry-check"' in body
    for name in ("first_name", "date_of_birth", "email", "phone", "employer", "job_role"):
        assert f'name="{name}"' in body
    assert 'type="radio" name="job_kind" value="voluntary"' in body
    assert 'type="checkbox" name="held" value="4430-04"' in body


def test_wizard_registers_and_goes_to_the_candidate(world: World, page_text: Text) -> None:
    client = signed_in(world, "carol")
    response = client.post(
        f"/centres/{world.north.pk}/register/",
        register_form(held=["EDEXCEL-L3-NVQ-CS"], held_other="ABC-1, XYZ-2"),
    )
    assert response.status_code == 302
    reg = Registration.objects.get(candidate__first_name="Nia")
    assert response["Location"] == f"/registrations/{reg.pk}/"
    assert reg.registered_on == dt.date(2013, 3, 1) and reg.end_date == dt.date(2015, 3, 1)
    assert sorted(reg.candidate.held.values_list("qualification_code", flat=True)) == [
        "ABC-1",
        "EDEXCEL-L3-NVQ-CS",
        "XYZ-2",
    ]
    page = page_text(client.get(response["Location"]))
    assert "Nia Jones is registered on 4430-04" in page


REFUSALS = [
    ({"date_of_birth": "1995-03-02"}, "under-minimum-age", "The candidate is 17 on 01/03/2013"),
    ({"held": ["4430-04"]}, "already-holds", "The candidate already holds 4430-04."),
    ({"held_other": "cg-4430-04"}, "already-holds", "(recorded as cg-4430-04)"),
    ({"held_other": " 4430 04 "}, "already-holds", "The candidate already holds 4430-04"),
    ({"held_other": "4543-04"}, "already-holds", "4543-04, the predecessor of 4430-04"),
    (
        {"registered_on": "2014-08-01"},
        "after-last-registration",
        "Registration on 01/08/2014 is after the last registration date for 4430-04, 31/07/2014.",
    ),
    ({"job_kind": "none"}, "no-real-job", "must be carried out in a real job"),
]


@pytest.mark.parametrize(("overrides", "code", "message"), REFUSALS)
def test_wizard_refuses_each_entry_rule_and_saves_nothing(
    world: World, page_text: Text, overrides: dict[str, Any], code: str, message: str
) -> None:
    before = counts()
    response = signed_in(world, "carol").post(
        f"/centres/{world.north.pk}/register/", register_form(**overrides)
    )
    assert response.status_code == 422
    body = page_text(response)
    assert "Registration refused: nothing was saved" in body
    assert re.findall(r'<li data-code="([\w-]+)">', body) == [code]
    assert message in body
    assert counts() == before
    assert Refusal.objects.get().reasons[0]["code"] == code  # only the attempt is logged
    assert 'value="Nia"' in body  # the form keeps what was typed


def test_wizard_lists_every_failed_rule_together(world: World, page_text: Text) -> None:
    response = signed_in(world, "carol").post(
        f"/centres/{world.north.pk}/register/",
        register_form(date_of_birth="1999-01-01", held=["4430-04"], registered_on="2014-09-01"),
    )
    codes = re.findall(r'<li data-code="([\w-]+)">', page_text(response))
    assert codes == ["after-last-registration", "under-minimum-age", "already-holds"]


def test_wizard_refuses_a_qualification_the_centre_is_not_approved_for(
    world: World, page_text: Text
) -> None:
    before = counts()
    response = signed_in(world, "sue").post(
        f"/centres/{world.south.pk}/register/", register_form(qualification="EDEXCEL-L3-NVQ-CS")
    )
    assert response.status_code == 422
    assert "The centre holds no approval to offer EDEXCEL-L3-NVQ-CS." in page_text(response)
    assert counts() == before


def test_wizard_shows_field_errors_for_bad_input(world: World, page_text: Text) -> None:
    before = counts()
    response = signed_in(world, "carol").post(
        f"/centres/{world.north.pk}/register/",
        register_form(first_name="", date_of_birth="31/02/1985", email="not-an-email"),
    )
    assert response.status_code == 400
    body = page_text(response)
    assert "Correct the fields marked below" in body
    assert body.count('aria-invalid="true"') == 3
    assert "This field is required." in body and "Enter a valid date." in body
    assert counts() == before and Refusal.objects.count() == 0


def test_live_check_says_all_rules_met_with_the_end_date(world: World, page_text: Text) -> None:
    response = signed_in(world, "carol").post(
        f"/centres/{world.north.pk}/register/check", register_form(), headers=HTMX
    )
    assert response.status_code == 200
    body = page_text(response)
    assert "<html" not in body  # the partial only
    assert 'data-check="allowed"' in body and "All entry rules met" in body
    assert 'data-end="2015-03-01"' in body
    assert "Ends on 01/03/2015, 24 months from registration on 01/03/2013" in body
    assert counts() == (2, 2, 0) and Refusal.objects.count() == 0  # a check saves nothing


def test_live_check_lists_every_reason(world: World, page_text: Text) -> None:
    response = signed_in(world, "carol").post(
        f"/centres/{world.north.pk}/register/check",
        register_form(date_of_birth="1996-06-14", job_kind="none", first_name=""),
        headers=HTMX,
    )
    body = page_text(response)
    assert 'data-check="refused"' in body and "2 entry rules not met" in body
    assert re.findall(r'data-code="([\w-]+)"', body) == ["under-minimum-age", "no-real-job"]
    assert Refusal.objects.count() == 0


def test_live_check_waits_for_the_fields_it_needs(world: World, page_text: Text) -> None:
    response = signed_in(world, "carol").post(
        f"/centres/{world.north.pk}/register/check",
        {"first_name": "Nia", "qualification": "4430-04", "registered_on": "2013-03-01"},
        headers=HTMX,
    )
    body = page_text(response)
    assert 'data-check="waiting"' in body
    assert "fill in: Date of birth, Is the job real?." in body


def test_live_check_reports_a_birth_after_the_registration(world: World, page_text: Text) -> None:
    response = signed_in(world, "carol").post(
        f"/centres/{world.north.pk}/register/check",
        register_form(date_of_birth="2013-05-01"),
        headers=HTMX,
    )
    body = page_text(response)
    assert response.status_code == 200 and 'data-check="invalid"' in body


def test_live_check_without_javascript_renders_the_whole_wizard(
    world: World, page_text: Text
) -> None:
    response = signed_in(world, "carol").post(
        f"/centres/{world.north.pk}/register/check", register_form()
    )
    body = page_text(response)
    assert "<html" in body and "All entry rules met" in body and 'value="Nia"' in body


# --- Query counts ----------------------------------------------------------------------------


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("username", ["carol", "alice", "eve"])
def test_dashboard_queries_are_bounded_and_flat(
    world: World, username: str, django_assert_max_num_queries: Any
) -> None:
    client = signed_in(world, username)
    url = f"/centres/{world.north.pk}/"
    with_two = queries(client, url)
    add_candidates(world, 18)
    assert Registration.objects.filter(centre=world.north).count() == 20
    with django_assert_max_num_queries(30):
        response = client.get(url)
    assert response.status_code == 200
    assert queries(client, url) == with_two  # no query per candidate
    if username != "alice":
        assert response.content.decode().count('href="/registrations/') == 20
