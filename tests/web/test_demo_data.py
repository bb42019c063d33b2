"""The demo centre: consistent with the demo date 01/03/2013, and safe to load twice."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client, override_settings

from assay.catalogue.models import SpecFile
from assay.catalogue.services import catalogue_import_library
from assay.centres.models import Centre, Competence, CpdEntry, Membership, Site
from assay.demo.centre import CANDIDATES, demo_centre_load
from assay.registrations.models import Candidate, Refusal, Registration, Signature, StatusChange

pytestmark = pytest.mark.django_db

Text = Callable[..., str]


@pytest.fixture(scope="module")
def demo_centre(django_db_setup: None, django_db_blocker: Any) -> Iterator[Centre]:
    """The demo centre, loaded once for the module (each test's changes roll back to it);
    rolled back after the module's last test."""
    with (
        override_settings(
            ASSAY_TODAY="2013-03-01",
            PASSWORD_HASHERS=["tests.conftest.FastArgon2PasswordHasher"],
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        if not SpecFile.objects.exists():  # after a transactional test's flush
            catalogue_import_library()
        get_user_model().objects.create_superuser("admin", password="assay-demo-admin")
        list(demo_centre_load())
        yield Centre.objects.get(number="0042")
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_centre: Centre, db: None) -> Centre:
    return demo_centre


def snapshot() -> tuple[int, ...]:
    return (
        Registration.objects.count(),
        StatusChange.objects.count(),
        Refusal.objects.count(),
        Membership.objects.count(),
        Signature.objects.count(),
        get_user_model().objects.count(),
        Competence.objects.count(),
        CpdEntry.objects.count(),
        Site.objects.count(),
    )


def test_loading_twice_changes_nothing(demo: Centre) -> None:
    before = snapshot()
    lines = list(demo_centre_load())
    assert snapshot() == before
    assert "candidates: 0 registered, 20 already there" in lines


def test_demo_centre_shape(demo: Centre) -> None:
    assert demo.name == "Northgate Training Centre" and demo.sites.count() == 2
    regs = Registration.objects.filter(centre=demo)
    assert regs.count() == len(CANDIDATES) == 20
    assert {r.qualification.code for r in regs} == {"4430-04", "EDEXCEL-L3-NVQ-CS"}
    assert {r.status for r in regs} >= {
        "registered",
        "in_progress",
        "completed",
        "withdrawn",
        "transferred",
    }
    assert all(r.internal_verifier_id for r in regs)
    linked = Candidate.objects.filter(centre=demo, user__isnull=False)
    assert {(c.first_name, c.user.username) for c in linked} == {
        ("Priya", "cand1"),
        ("Hannah", "cand2"),
        ("Liam", "cand3"),
    }
    contacts = Candidate.objects.filter(employer_contact__username="ed")
    assert {c.employer for c in contacts} == {"Harbour Retail Ltd"}
    assert Competence.objects.count() == 6 and CpdEntry.objects.count() == 5
    refused = {r.candidate_name: r.reasons[0]["code"] for r in Refusal.objects.filter(centre=demo)}
    assert refused == {
        "Jordan Lee": "under-minimum-age",
        "Grace Patel": "already-holds",
        "Oliver Grant": "after-last-registration",
    }


def test_every_demo_account_signs_in_and_sees_its_part(demo: Centre, page_text: Text) -> None:
    client = Client()
    response = client.post(
        "/accounts/login/", {"username": "carol", "password": "assay-demo"}, follow=True
    )
    assert response.status_code == 200
    body = page_text(client.get(f"/centres/{demo.pk}/"))
    assert re.search(r'data-user="alice" data-status="due_soon"', body)
    assert re.search(r'data-user="bob" data-status="overdue"', body)
    assert re.search(r'data-user="anna" data-status="qualified"', body)
    assert "by 15/04/2013 (45 days left)" in body
    assert "Cannot be given new candidates" in body
    assert "Jordan Lee" in body and "Grace Patel" in body and "Oliver Grant" in body
    cand = Client()
    cand.post("/accounts/login/", {"username": "cand1", "password": "assay-demo"})
    priya = Registration.objects.get(candidate__first_name="Priya")
    page = page_text(cand.get(f"/registrations/{priya.pk}/"))
    assert "Priya Shah" in page and "Qualification achieved" in page  # RPL 412 counts
    assert cand.get(f"/centres/{demo.pk}/").status_code == 404


def test_demo_accounts_have_emails_and_land_on_their_homes(demo: Centre) -> None:
    """README: every demo account's email is <username>@example.org; carol lands on the centre
    dashboard, alice on her caseload, cand1 on her portfolio, ed on what waits to be signed."""
    from assay.demo.centre import STAFF

    for username, *_ in STAFF:
        assert get_user_model().objects.get(username=username).email == (f"{username}@example.org")
    priya = Registration.objects.get(candidate__first_name="Priya")
    homes = {
        "carol": f"/centres/{demo.pk}/",
        "alice": "/caseload/",
        "cand1": f"/registrations/{priya.pk}/portfolio/",
        "ed": "/me/signatures/",
    }
    for username, home in homes.items():
        client = Client()
        response = client.post(
            "/accounts/login/", {"username": username, "password": "assay-demo"}, follow=True
        )
        assert response.redirect_chain[-1][0] == home, username


def test_the_demo_eqa_visit_and_the_suspended_centre(demo: Centre, page_text: Text) -> None:
    """Eve's visit to Northgate (medium risk, an action point for Linda) and Eastfield Skills,
    whose registrations are suspended: the demo's refused registration names the sanction, a new
    one is refused too and changes nothing, and both show on their pages."""
    from assay.demo.eqa import demo_eqa_load
    from assay.eqa.models import ActionPoint, Sanction, Visit
    from assay.errors import RegistrationRefused
    from assay.registrations.services import CandidateInput, registration_create

    list(demo_eqa_load())
    visit = Visit.objects.get(centre=demo)
    assert visit.risk == "medium" and visit.status == "done"
    assert ActionPoint.objects.get(visit=visit).owner.username == "linda"
    east = Centre.objects.get(number="0043")
    assert Sanction.objects.get(centre=east).level == "registrations_suspended"
    refusal = Refusal.objects.get(centre=east)
    assert refusal.candidate_name == "Sam Patel"
    before = snapshot()
    with pytest.raises(RegistrationRefused) as refused:
        registration_create(
            by=get_user_model().objects.get(username="sally"),
            centre=east,
            qualification_key="4430-04",
            candidate_input=CandidateInput(
                first_name="Nia",
                last_name="Okafor",
                date_of_birth=dt.date(1991, 2, 3),
            ),
            log_refusal=False,
        )
    assert "suspended" in str(refused.value.reasons).lower()
    assert snapshot() == before
    client = Client()
    client.force_login(get_user_model().objects.get(username="eve"))
    eqa = page_text(client.get(f"/centres/{demo.pk}/eqa/"))
    assert "medium" in eqa.lower() and "witness testimony" in eqa
    east_page = page_text(client.get(f"/centres/{east.pk}/eqa/"))
    assert "registrations" in east_page.lower() and "suspended" in east_page.lower()
