"""The accounts pages: the list (bounded queries), inviting, the invitation link, confirmation
pages, denials; password reset; each role's home after sign-in; what an employer may see."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse

from assay.accounts.models import AccountEvent, Invitation
from assay.audits.services import body_create, body_role_grant
from assay.centres.models import Membership, Role
from assay.centres.services import membership_grant
from tests.accounts.conftest import token_in_last_email
from tests.world import World

PASSWORD = "a-long-Harbour-pass-42"


def signed_in(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.user(name))
    return client


def accounts_url(world: World) -> str:
    return reverse("centre-accounts", args=[world.north.pk])


def test_the_administrator_lists_people_and_invitations_in_bounded_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    users = get_user_model()
    for n in range(40):
        person = users.objects.create_user(f"extra{n}", first_name="Extra", last_name=f"{n:02}")
        membership_grant(
            by=world.user("carol"), centre=world.north, user=person, role=Role.ASSESSOR
        )
    client = signed_in(world, "carol")
    client.get(accounts_url(world))  # warm the session's nav
    with django_assert_max_num_queries(12):
        response = client.get(accounts_url(world) + "?size=25")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'rel="next"' in body and body.count("<tr data-user=") == 25
    assert "Send the invitation" in body
    second = client.get(accounts_url(world) + "?size=25").context["page"].people.next
    with django_assert_max_num_queries(12):
        assert client.get(accounts_url(world) + f"?size=25&cursor={second}").status_code == 200


@pytest.mark.parametrize(("who", "status"), [("sue", 404), ("alice", 403), ("dan", 404)])
def test_others_cannot_open_the_accounts_page_or_invite(
    world: World, who: str, status: int
) -> None:
    client = signed_in(world, who)
    assert client.get(accounts_url(world)).status_code == status
    response = client.post(
        reverse("centre-accounts-invite", args=[world.north.pk]),
        {"email": "zoe@example.org", "role": "assessor"},
    )
    assert response.status_code == status
    assert not Invitation.objects.exists()


def test_invite_in_the_browser_form_then_accept_and_land_on_the_caseload(
    world: World, sending: Any
) -> None:
    client = signed_in(world, "carol")
    with sending():
        response = client.post(
            reverse("centre-accounts-invite", args=[world.north.pk]),
            {
                "email": "zoe@example.org",
                "first_name": "Zoe",
                "last_name": "Quinn",
                "role": "assessor",
            },
        )
    assert response.status_code == 302
    token = token_in_last_email()
    link = reverse("invitation", args=[token])
    guest = Client()
    page = guest.get(link)
    assert page.status_code == 200
    assert page["Referrer-Policy"] == "same-origin"
    text = page.content.decode()
    for label in ("Choose a password", "The password again", "Set my password and sign in"):
        assert label in text
    mismatch = guest.post(link, {"password1": PASSWORD, "password2": PASSWORD + "x"})
    assert mismatch.status_code == 400 and "differ" in mismatch.content.decode()
    done = guest.post(link, {"password1": PASSWORD, "password2": PASSWORD}, follow=True)
    assert done.redirect_chain[-1][0] == reverse("caseload")
    assert guest.get(link).status_code == 410


def test_an_unknown_link_answers_410_with_the_reason(world: World) -> None:
    response = Client().get(reverse("invitation", args=["not-a-token"]))
    assert response.status_code == 410 and "not valid" in response.content.decode()


def test_invite_form_errors_come_back_on_the_form(world: World) -> None:
    client = signed_in(world, "carol")
    response = client.post(
        reverse("centre-accounts-invite", args=[world.north.pk]),
        {"email": "eli@example.org", "role": "candidate"},
    )
    assert response.status_code == 400
    assert "names their registration" in response.content.decode()


def test_deactivate_asks_for_a_reason_and_confirmation(world: World) -> None:
    client = signed_in(world, "carol")
    alice = world.user("alice")
    url = reverse("centre-account-deactivate", args=[world.north.pk, alice.pk])
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Deactivate the account" in confirm.content.decode()
    assert client.post(url, {"reason": ""}).status_code == 400
    alice.refresh_from_db()
    assert alice.is_active
    assert client.post(url, {"reason": "Left"}).status_code == 302
    alice.refresh_from_db()
    assert not alice.is_active
    own = reverse("centre-account-deactivate", args=[world.north.pk, world.user("carol").pk])
    assert client.post(own, {"reason": "x"}).status_code == 403


def test_revoke_a_role_from_the_page(world: World) -> None:
    client = signed_in(world, "carol")
    row = Membership.objects.get(user=world.user("arthur"))
    url = reverse("centre-role-revoke", args=[world.north.pk, row.pk])
    assert "Revoke the role" in client.get(url).content.decode()
    assert client.post(url, {"reason": "Deadline missed"}).status_code == 302
    assert AccountEvent.objects.get().kind == "role_revoked"
    assert signed_in(world, "sue").post(url, {"reason": "x"}).status_code == 404


def test_password_reset_emails_a_link_that_sets_a_new_password(world: World) -> None:
    alice = world.user("alice")
    alice.email = "alice@example.org"
    alice.set_password("the-old-password-1")
    alice.save()
    login_page = Client().get(reverse("login")).content.decode()
    assert reverse("password_reset") in login_page
    guest = Client()
    guest.post(reverse("password_reset"), {"email": "alice@example.org"})
    assert len(mail.outbox) == 1
    link = next(word for word in mail.outbox[0].body.split() if "/accounts/reset/" in word)
    path = link.split("testserver", 1)[1]
    form = guest.get(path, follow=True)
    assert "Choose a new password" in form.content.decode()
    done = guest.post(
        form.redirect_chain[-1][0],
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
        follow=True,
    )
    assert "Password changed" in done.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


# --- homes after sign-in ----------------------------------------------------------------------


def home_of(world: World, name: str) -> str:
    response = signed_in(world, name).get(reverse("me"))
    return response["Location"] if response.status_code == 302 else "chooser"


@pytest.mark.parametrize(
    ("who", "home"),
    [
        ("carol", "centre"),
        ("tom", "centre"),
        ("ian", "centre"),
        ("linda", "centre"),
        ("eve", "centre"),
        ("alice", "caseload"),
        ("arthur", "caseload"),
        ("dan", "portfolio"),
        ("ed", "signatures"),
    ],
)
def test_each_role_lands_on_its_own_home(world: World, who: str, home: str) -> None:
    expected = {
        "centre": reverse("centre-dashboard", args=[world.north.pk]),
        "caseload": reverse("caseload"),
        "portfolio": reverse("portfolio", args=[world.dan.pk]),
        "signatures": reverse("employer-signatures"),
    }[home]
    assert home_of(world, who) == expected


def test_signing_in_goes_through_me(world: World) -> None:
    carol = world.user("carol")
    carol.set_password(PASSWORD)
    carol.save()
    client = Client()
    response = client.post(
        reverse("login"), {"username": "carol", "password": PASSWORD}, follow=True
    )
    assert [url for url, _ in response.redirect_chain] == [
        reverse("me"),
        reverse("centre-dashboard", args=[world.north.pk]),
    ]


def test_an_auditor_lands_on_their_audits(world: World) -> None:
    body = body_create(by=world.user("sam"), name="CSCA", reference="CSCA")
    body_role_grant(by=world.user("sam"), body=body, user=world.user("nina"), role="auditor")
    assert home_of(world, "nina") == reverse("audits")


def test_several_roles_get_a_chooser_and_no_role_gets_a_note(world: World) -> None:
    membership_grant(
        by=world.user("sam"), centre=world.north, user=world.user("alice"), role=Role.TUTOR
    )
    assert home_of(world, "alice") == "chooser"
    page = signed_in(world, "alice").get(reverse("me")).content.decode()
    assert 'data-home="caseload"' in page and 'data-home="centre"' in page
    assert home_of(world, "nina") == "chooser"
    assert "holds no role" in signed_in(world, "nina").get(reverse("me")).content.decode()


def test_navigation_shows_only_what_the_role_can_use(world: World) -> None:
    def nav(name: str) -> str:
        text = signed_in(world, name).get(reverse("catalogue")).content.decode()
        return text.split('aria-label="Main"', 1)[1].split("</nav>", 1)[0]

    dan, ed, alice = nav("dan"), nav("ed"), nav("alice")
    assert "My portfolio" in dan and "Centres" not in dan and "My caseload" not in dan
    assert "Waiting for my signature" in ed and "Centres" not in ed
    assert "My caseload" in alice and "Centres" in alice and "My portfolio" not in alice


def test_the_employer_sees_what_waits_for_their_signature(world: World) -> None:
    page = signed_in(world, "ed").get(reverse("employer-signatures")).content.decode()
    assert f'data-registration="{world.dan.pk}"' in page
    assert f'data-registration="{world.dora.pk}"' not in page
    assert "Learning contract" in page


# --- what an employer may see -----------------------------------------------------------------


def test_the_employer_sees_no_date_of_birth_or_phone(world: World) -> None:
    world.dan.candidate.phone = "07700 900123"
    world.dan.candidate.save()
    url = reverse("registration", args=[world.dan.pk])
    employer = signed_in(world, "ed").get(url).content.decode()
    admin = signed_in(world, "carol").get(url).content.decode()
    assert "17/05/1980" in admin and "07700 900123" in admin
    assert "17/05/1980" not in employer and "07700 900123" not in employer
    assert "Date of birth" not in employer


def test_the_api_registration_read_hides_them_from_the_employer(world: World) -> None:
    world.dan.candidate.phone = "07700 900123"
    world.dan.candidate.save()
    url = f"/api/v1/registrations/{world.dan.pk}"
    employer = signed_in(world, "ed").get(url).json()["candidate"]
    admin = signed_in(world, "carol").get(url).json()["candidate"]
    assert employer["date_of_birth"] is None and employer["phone"] is None
    assert admin["date_of_birth"] == "1980-05-17" and admin["phone"] == "07700 900123"
