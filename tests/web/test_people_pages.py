"""People page forms (A/V units, achieved, CPD), sites on the dashboard, registrations due to
expire, and the registration page's sign-in and employer contact forms."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.test import Client

from assay.centres.models import Competence, CpdEntry, Site
from assay.registrations.models import Candidate, Registration
from tests.web.helpers import plain
from tests.world import World

pytestmark = pytest.mark.django_db

Text = Callable[..., str]


def signed_in(world: World, username: str) -> Client:
    client = Client()
    client.force_login(world.user(username))
    return client


def people_url(world: World, username: str = "", path: str = "") -> str:
    base = f"/centres/{world.north.pk}/people/"
    return base + (f"{world.user(username).pk}/{path}" if username else "")


def section(body: str, username: str) -> str:
    found = re.search(rf'data-user="{username}">.*?</section>', body, re.S)
    assert found, username
    return found.group(0)


def competence_form(world: World, username: str, **values: str) -> dict[str, str]:
    prefix = f"competence-{world.user(username).pk}"
    return {f"{prefix}-{name}": value for name, value in values.items()}


def cpd_form(world: World, username: str, **values: str) -> dict[str, str]:
    prefix = f"cpd-{world.user(username).pk}"
    return {f"{prefix}-{name}": value for name, value in values.items()}


def a1(world: World, username: str) -> Competence:
    return Competence.objects.get(user=world.user(username), av_unit="A1")


# --- Forms offered ---------------------------------------------------------------------------


def test_each_viewer_is_offered_the_forms_they_may_use(world: World, page_text: Text) -> None:
    admin = page_text(signed_in(world, "carol").get(people_url(world)))
    for staff in ("alice", "arthur", "tom", "ian", "eve"):
        assert "Record an A/V unit" in section(admin, staff)
        assert "Log CPD for" in section(admin, staff)
    assert "Record an A/V unit" not in section(admin, "ed")  # an employer contact is not staff
    assert "Log CPD" not in section(admin, "ed")
    assert "Mark A1 achieved" in section(admin, "arthur")
    options = re.findall(r'<option value="(\w+)"', section(admin, "alice"))
    assert options == ["assessor", "internal_verifier"]  # an EV's units: the awarding body's
    awarding_body = page_text(signed_in(world, "sam").get(people_url(world)))
    assert 'value="external_verifier"' in section(awarding_body, "eve")
    mine = page_text(signed_in(world, "alice").get(people_url(world)))
    assert "Log my CPD" in section(mine, "alice")
    assert "Log CPD" not in section(mine, "arthur")
    assert "Record an A/V unit" not in mine and "Mark A1 achieved" not in mine
    tutor = page_text(signed_in(world, "tom").get(people_url(world)))
    assert "Log my CPD" in section(tutor, "tom") and "Log CPD" not in section(tutor, "alice")


# --- A/V units -------------------------------------------------------------------------------


def test_administrator_records_a_unit_and_the_deadline_shows(world: World, page_text: Text) -> None:
    response = signed_in(world, "carol").post(
        people_url(world, "tom", "competence"),
        competence_form(world, "tom", role="assessor", av_unit="A1", started_on="03/09/2012"),
        follow=True,
    )
    assert response.status_code == 200
    body = page_text(response)
    assert "A1 recorded for tom." in body
    tom = section(body, "tom")
    assert "started with the standards 03/09/2012; working towards it" in tom
    assert "by 03/03/2014" in tom
    assert Competence.objects.filter(
        user=world.user("tom"), started_on=dt.date(2012, 9, 3)
    ).exists()


def test_a_unit_achieved_before_it_was_started_changes_nothing(
    world: World, page_text: Text
) -> None:
    before = Competence.objects.count()
    response = signed_in(world, "carol").post(
        people_url(world, "tom", "competence"),
        competence_form(
            world,
            "tom",
            role="assessor",
            av_unit="A1",
            started_on="2012-09-03",
            achieved_on="2012-09-02",
        ),
    )
    assert response.status_code == 400
    tom = section(page_text(response), "tom")
    assert "The unit cannot be achieved (02/09/2012) before its holder started" in tom
    assert '<details class="form-details" open>' in tom
    assert Competence.objects.count() == before


def test_marking_achieved_lifts_the_stop(world: World, page_text: Text) -> None:
    client = signed_in(world, "carol")
    record = a1(world, "arthur")
    url = people_url(world, "arthur", f"competence/{record.pk}/achieved")
    future = client.post(url, {f"achieved-{record.pk}-achieved_on": "2013-03-02"})
    assert future.status_code == 400
    assert "is after today (01/03/2013)" in section(page_text(future), "arthur")
    assert a1(world, "arthur").achieved_on is None
    done = client.post(url, {f"achieved-{record.pk}-achieved_on": "2013-02-20"}, follow=True)
    arthur = section(page_text(done), "arthur")
    assert "achieved 20/02/2013" in arthur and "Cannot be given new candidates" not in arthur
    dashboard = page_text(client.get(f"/centres/{world.north.pk}/"))
    assert 'data-user="arthur" data-status="qualified"' in dashboard


def test_a_record_of_someone_else_or_elsewhere_is_not_found(world: World) -> None:
    client = signed_in(world, "carol")
    record = a1(world, "arthur")
    wrong_person = people_url(world, "alice", f"competence/{record.pk}/achieved")
    assert client.post(wrong_person, {}).status_code == 404
    for outsider in ("dan", "sue", "nina"):  # a candidate, another centre's admin, no role
        assert client.post(people_url(world, outsider, "competence"), {}).status_code == 404
        assert client.post(people_url(world, outsider, "cpd"), {}).status_code == 404
    other = signed_in(world, "sue")
    assert other.post(people_url(world, "arthur", "competence"), {}).status_code == 404


def test_an_assessor_may_not_record_units(world: World, page_text: Text) -> None:
    response = signed_in(world, "alice").post(
        people_url(world, "alice", "competence"),
        competence_form(world, "alice", role="assessor", av_unit="A1", started_on="2012-01-01"),
    )
    assert response.status_code == 403
    assert "Only a centre administrator can record A/V units." in page_text(response)
    assert Competence.objects.filter(user=world.user("alice")).count() == 1


# --- CPD ---------------------------------------------------------------------------------------


def test_staff_log_their_own_cpd(world: World, page_text: Text) -> None:
    response = signed_in(world, "alice").post(
        people_url(world, "alice", "cpd"),
        cpd_form(world, "alice", on="2013-02-25", hours="2.5", activity="Sampling webinar"),
        follow=True,
    )
    body = page_text(response)
    assert "CPD logged for alice: 2.5 hours." in body
    alice = plain(section(body, "alice"))
    assert "25/02/2013 · 2.5 h · Sampling webinar" in alice and "5.5 hours" in alice


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"on": "2013-03-02", "hours": "1"}, "The date 02/03/2013 is after today (01/03/2013)"),
        ({"on": "2013-02-25", "hours": "-2"}, "Give the hours as a number greater than 0"),
        ({"on": "2013-02-25", "hours": "1.25"}, "Give the hours to one decimal place"),
    ],
)
def test_bad_cpd_changes_nothing(
    world: World, page_text: Text, values: dict[str, str], message: str
) -> None:
    before = list(CpdEntry.objects.values_list("pk", flat=True))
    response = signed_in(world, "alice").post(
        people_url(world, "alice", "cpd"), cpd_form(world, "alice", activity="Reading", **values)
    )
    assert response.status_code == 400
    assert message in section(page_text(response), "alice")
    assert list(CpdEntry.objects.values_list("pk", flat=True)) == before


def test_nobody_logs_a_colleagues_cpd_but_an_administrator(world: World, page_text: Text) -> None:
    form = cpd_form(world, "arthur", on="2013-02-25", hours="1", activity="Reading")
    denied = signed_in(world, "alice").post(people_url(world, "arthur", "cpd"), form)
    assert denied.status_code == 403
    assert "Only the person themselves or a centre administrator" in page_text(denied)
    assert not CpdEntry.objects.filter(user=world.user("arthur")).exists()
    allowed = signed_in(world, "carol").post(people_url(world, "arthur", "cpd"), form)
    assert allowed.status_code == 302
    assert CpdEntry.objects.filter(user=world.user("arthur")).count() == 1


# --- Sites and expiry on the dashboard -------------------------------------------------------


def test_sites_are_listed_and_administrators_add_them(world: World, page_text: Text) -> None:
    client = signed_in(world, "carol")
    dashboard = f"/centres/{world.north.pk}/"
    assert "No sites are recorded for this centre." in page_text(client.get(dashboard))
    added = client.post(
        f"{dashboard}sites", {"name": "Quayside", "address": "1 Quay Street"}, follow=True
    )
    body = plain(page_text(added))
    assert "Site Quayside added." in body and "Quayside 1 Quay Street" in body
    again = client.post(f"{dashboard}sites", {"name": "quayside"})
    assert again.status_code == 400
    assert "Northgate Training Centre already has a site called 'quayside'" in page_text(again)
    assert Site.objects.filter(centre=world.north).count() == 1
    tutor = page_text(signed_in(world, "tom").get(dashboard))
    assert "Quayside" in tutor and "Add a site" not in tutor


def test_administrators_see_how_many_registrations_are_due_to_expire(
    world: World, page_text: Text
) -> None:
    dashboard = f"/centres/{world.north.pk}/"
    assert "due to expire" not in page_text(signed_in(world, "carol").get(dashboard))
    Registration.objects.filter(pk=world.dan.pk).update(end_date=dt.date(2013, 2, 28))
    body = page_text(signed_in(world, "carol").get(dashboard))
    assert 'data-due-to-expire="1"' in body and "1 registration due to expire" in body
    Registration.objects.filter(pk=world.dora.pk).update(end_date=dt.date(2013, 1, 1))
    assert "2 registrations due to expire" in page_text(signed_in(world, "carol").get(dashboard))
    for other in ("tom", "linda", "eve"):
        assert "due to expire" not in page_text(signed_in(world, other).get(dashboard))


# --- The candidate's sign-in and employer contact --------------------------------------------


def reg_url(world: World, path: str = "") -> str:
    return f"/registrations/{world.dan.pk}/{path}"


def test_only_administrators_see_the_accounts_section(world: World, page_text: Text) -> None:
    body = page_text(signed_in(world, "carol").get(reg_url(world)))
    assert 'data-account="dan"' in body and 'data-employer-contact="ed"' in body
    options = re.findall(r'<option value="(\d*)"', body[body.index("id_employer_contact") :])
    assert options[:3] == ["", str(world.user("ed").pk), str(world.user("edna").pk)]
    for other in ("tom", "linda", "dan", "ed"):
        assert "Sign-in and employer contact" not in page_text(
            signed_in(world, other).get(reg_url(world))
        )


def test_a_linked_account_sees_only_its_own_record(world: World, page_text: Text) -> None:
    nina = signed_in(world, "nina")
    assert nina.get(reg_url(world)).status_code == 404
    response = signed_in(world, "carol").post(
        reg_url(world, "account"), {"username": "nina"}, follow=True
    )
    assert "Dan Smith now signs in as nina." in page_text(response)
    assert nina.get(reg_url(world)).status_code == 200
    assert nina.get(f"/registrations/{world.dora.pk}/").status_code == 404
    assert signed_in(world, "dan").get(reg_url(world)).status_code == 404  # replaced


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("dora", "Dora is already the sign-in of another candidate"),
        ("tom", "Tom holds a staff role at Northgate Training Centre"),
        ("ghost", "There is no user called 'ghost'."),
    ],
)
def test_a_refused_sign_in_changes_nothing(
    world: World, page_text: Text, username: str, message: str
) -> None:
    before = list(Candidate.objects.values_list("pk", "user"))
    response = signed_in(world, "carol").post(reg_url(world, "account"), {"username": username})
    assert response.status_code == 400
    assert message in page_text(response)
    assert list(Candidate.objects.values_list("pk", "user")) == before


def test_administrator_sets_and_clears_the_employer_contact(world: World, page_text: Text) -> None:
    client = signed_in(world, "carol")
    edna = world.user("edna")
    done = client.post(
        reg_url(world, "employer-contact"), {"employer_contact": edna.pk}, follow=True
    )
    assert "Edna Test is now Dan Smith's employer contact." in page_text(done)
    assert signed_in(world, "edna").get(reg_url(world)).status_code == 200
    assert signed_in(world, "ed").get(reg_url(world)).status_code == 404
    refused = client.post(
        reg_url(world, "employer-contact"), {"employer_contact": world.user("tom").pk}
    )
    assert refused.status_code == 400
    assert "Tom is not an employer contact at Northgate Training Centre" in page_text(refused)
    cleared = client.post(reg_url(world, "employer-contact"), {"employer_contact": ""}, follow=True)
    assert "Nobody is now Dan Smith's employer contact." in page_text(cleared)
    assert Candidate.objects.get(pk=world.dan.candidate.pk).employer_contact is None
