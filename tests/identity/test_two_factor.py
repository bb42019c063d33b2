"""Two-factor sign-in for staff (ASSAY_REQUIRE_2FA): enrolment, the code step, recovery codes,
replay and throttling, the API token login, and who is not asked."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from assay.accounts.models import AccountEvent, AccountEventKind
from assay.audits.models import BodyMembership, CertifyingBody
from tests.identity.helpers import PASSWORD, code, person

pytestmark = pytest.mark.django_db


@pytest.fixture
def required(settings) -> None:
    settings.ASSAY_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # tests of throttling switch it back on
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _sign_in(client: Client, username: str) -> None:
    answer = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert answer.status_code == 302, answer.content


def _enrol(client: Client, username: str) -> tuple[TOTPDevice, list[str]]:
    """Signs in and sets up an authenticator; answers the device and the recovery codes."""
    _sign_in(client, username)
    client.get("/accounts/two-factor/")
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    page = client.post("/accounts/two-factor/", {"code": code(device), "next": "/me/"})
    assert page.status_code == 200, page.content
    device.refresh_from_db()
    return device, re.findall(r"<li><code>([a-z0-9]+)</code></li>", page.content.decode())


def test_not_asked_when_the_installation_does_not_require_it(client: Client) -> None:
    person("ada", "centre_admin")
    _sign_in(client, "ada")
    assert "two-factor" not in client.get("/me/").get("Location", "")


def test_staff_without_an_authenticator_are_sent_to_enrolment(client: Client, required) -> None:
    person("ada", "centre_admin")
    _sign_in(client, "ada")
    answer = client.get("/me/")
    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/two-factor/?next=%2Fme%2F"
    assert client.get("/notifications/")["Location"].startswith("/accounts/two-factor/")


@pytest.mark.parametrize("role", ["internal_verifier", "lead_iqa", "external_verifier"])
def test_every_staff_role_is_asked(client: Client, required, role: str) -> None:
    person("ivy", role)
    _sign_in(client, "ivy")
    assert client.get("/me/")["Location"].startswith("/accounts/two-factor/")


def test_certifying_body_staff_and_the_operator_are_asked(client: Client, required) -> None:
    body = CertifyingBody.objects.create(name="ICSS", reference="ICSS")
    bea = person("bea")
    BodyMembership.objects.create(body=body, user=bea, role="auditor")
    person("root", is_superuser=True, is_staff=True)
    for name in ("bea", "root"):
        fresh = Client()
        _sign_in(fresh, name)
        assert fresh.get("/me/")["Location"].startswith("/accounts/two-factor/"), name


@pytest.mark.parametrize("role", ["candidate", "employer_contact", None])
def test_candidates_and_others_are_not_asked(client: Client, required, role) -> None:
    person("cara", role)
    _sign_in(client, "cara")
    answer = client.get("/me/")
    assert "two-factor" not in answer.get("Location", "")


def test_someone_who_enrolled_of_their_own_accord_is_asked_too(client: Client, required) -> None:
    person("cara", "candidate")
    _enrol(client, "cara")
    client.post("/accounts/logout/")
    _sign_in(client, "cara")
    assert client.get("/me/")["Location"].startswith("/accounts/two-factor/verify/")
    assert _token(Client(), "cara").json()["error"]["code"] == "otp_required"


def test_the_pages_are_absent_when_not_in_use(client: Client) -> None:
    person("ada", "centre_admin")
    _sign_in(client, "ada")
    assert client.get("/accounts/two-factor/").status_code == 404
    assert client.get("/accounts/two-factor/verify/").status_code == 404


def test_enrolment_shows_a_qr_code_and_refuses_a_wrong_code(client: Client, required) -> None:
    person("ada", "centre_admin")
    _sign_in(client, "ada")
    page = client.get("/accounts/two-factor/").content.decode()
    assert 'src="data:image/svg+xml' in page
    assert "<script" not in page.split("</header>")[-1]
    device = TOTPDevice.objects.get(user__username="ada")
    again = client.get("/accounts/two-factor/")  # a reload keeps the same secret
    assert TOTPDevice.objects.filter(user__username="ada").count() == 1
    assert again.status_code == 200
    wrong = f"{(int(code(device)) + 1) % 1_000_000:06d}"
    refused = client.post("/accounts/two-factor/", {"code": wrong})
    assert refused.status_code == 400
    assert "not right" in refused.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/me/")["Location"].startswith("/accounts/two-factor/")


def test_enrol_then_sign_in_again_with_a_fresh_code(client: Client, required) -> None:
    ada = person("ada", "centre_admin")
    device, codes = _enrol(client, "ada")
    assert device.confirmed and len(codes) == 10
    assert "two-factor" not in client.get("/me/").get("Location", "")  # verified by enrolling
    assert AccountEvent.objects.filter(user=ada, kind=AccountEventKind.TWO_FACTOR_ENROLLED).exists()
    client.post("/accounts/logout/")
    _sign_in(client, "ada")
    assert client.get("/me/")["Location"] == "/accounts/two-factor/verify/?next=%2Fme%2F"
    replayed = client.post("/accounts/two-factor/verify/", {"code": code(device), "next": "/me/"})
    assert replayed.status_code == 400  # the enrolment's code, used again
    fresh = client.post(
        "/accounts/two-factor/verify/", {"code": code(device, steps_ahead=1), "next": "/me/"}
    )
    assert fresh.status_code == 302 and fresh["Location"] == "/me/"
    assert "two-factor" not in client.get("/me/").get("Location", "")
    assert AccountEvent.objects.filter(
        user=ada, kind=AccountEventKind.SIGNED_IN, reason__startswith="second factor"
    ).exists()
    assert AccountEvent.objects.filter(user=ada, kind=AccountEventKind.TWO_FACTOR_FAILED).exists()


def test_a_password_alone_cannot_replace_the_authenticator(client: Client, required) -> None:
    person("ada", "centre_admin")
    device, _codes = _enrol(client, "ada")
    client.post("/accounts/logout/")
    _sign_in(client, "ada")  # the password, not yet the code
    for answer in (
        client.get("/accounts/two-factor/"),
        client.post("/accounts/two-factor/", {"code": "123456"}),
    ):
        assert answer.status_code == 302
        assert answer["Location"].startswith("/accounts/two-factor/verify/")
    assert list(TOTPDevice.objects.filter(user__username="ada")) == [device]
    client.post("/accounts/two-factor/verify/", {"code": code(device, steps_ahead=1)})
    assert client.get("/accounts/two-factor/").status_code == 200  # verified: may replace it


def test_a_recovery_code_works_once(client: Client, required) -> None:
    person("ada", "centre_admin")
    _device, codes = _enrol(client, "ada")
    for attempt in (1, 2):
        client.post("/accounts/logout/")
        _sign_in(client, "ada")
        answer = client.post("/accounts/two-factor/verify/", {"code": codes[0], "next": "/me/"})
        assert answer.status_code == (302 if attempt == 1 else 400)
    assert StaticToken.objects.count() == 9


def test_wrong_codes_in_a_row_slow_down_guessing(client: Client, required, settings) -> None:
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    person("ada", "centre_admin")
    device, _codes = _enrol(client, "ada")
    client.post("/accounts/logout/")
    _sign_in(client, "ada")
    wrong = f"{(int(code(device, 1)) + 1) % 1_000_000:06d}"
    client.post("/accounts/two-factor/verify/", {"code": wrong})
    right = client.post("/accounts/two-factor/verify/", {"code": code(device, steps_ahead=1)})
    assert right.status_code == 400
    assert "wait" in right.content.decode()


def test_the_code_pages_need_a_signed_in_person(client: Client, required) -> None:
    for path in ("/accounts/two-factor/", "/accounts/two-factor/verify/"):
        assert client.get(path)["Location"].startswith("/accounts/login/")
        assert client.post(path, {"code": "123456"})["Location"].startswith("/accounts/login/")


def test_the_api_refuses_an_unverified_staff_session(client: Client, required) -> None:
    person("ada", "centre_admin")
    _sign_in(client, "ada")
    answer = client.get("/api/v1/auth/tokens")
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "two_factor_required"


def _token(client: Client, username: str, otp: str | None = None):  # type: ignore[no-untyped-def]
    body = {"username": username, "password": PASSWORD}
    if otp is not None:
        body["otp"] = otp
    return client.post("/api/v1/auth/login", body, content_type="application/json")


def test_api_token_login_takes_a_code_from_staff(client: Client, required) -> None:
    person("ada", "centre_admin")
    no_device = _token(Client(), "ada")
    assert no_device.status_code == 403
    assert no_device.json()["error"]["code"] == "two_factor_enrolment_required"
    device, codes = _enrol(client, "ada")
    missing = _token(Client(), "ada")
    assert missing.status_code == 401 and missing.json()["error"]["code"] == "otp_required"
    wrong = _token(Client(), "ada", f"{(int(code(device, 1)) + 1) % 1_000_000:06d}")
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "otp_invalid"
    replayed = _token(Client(), "ada", code(device))
    assert replayed.status_code == 401
    made = _token(Client(), "ada", code(device, steps_ahead=1))
    assert made.status_code == 201, made.content
    signed = AccountEvent.objects.filter(kind=AccountEventKind.SIGNED_IN, reason__startswith="API")
    assert signed.count() == 1
    assert _token(Client(), "ada", codes[1]).status_code == 201
    assert "token" not in _token(Client(), "nobody", "123456").json()


def test_api_token_login_for_a_candidate_needs_no_code(client: Client, required) -> None:
    person("cara", "candidate")
    assert _token(client, "cara").status_code == 201


def test_api_token_login_unchanged_when_not_required(client: Client) -> None:
    person("ada", "centre_admin")
    assert _token(client, "ada").status_code == 201


def test_the_operator_resets_a_lost_authenticator(client: Client, required) -> None:
    from tests.cli.helpers import assert_fails, run

    ada = person("ada", "centre_admin")
    _enrol(client, "ada")
    assert_fails(
        ["user", "reset-2fa", "ada", "--reason", "\u200b "],
        "give a reason in words (no control characters)",
    )
    assert_fails(["user", "reset-2fa", "nobody", "--reason", "lost phone"], "unknown user 'nobody'")
    assert TOTPDevice.objects.filter(user=ada).exists()
    code_, out, err = run("user", "reset-2fa", "ada", "--reason", "lost phone; checked by call")
    assert code_ == 0, err
    assert out == "ada: 2 authenticator device(s) removed\n"
    assert not TOTPDevice.objects.filter(user=ada).exists() and not StaticToken.objects.exists()
    event = AccountEvent.objects.get(user=ada, kind=AccountEventKind.TWO_FACTOR_RESET)
    assert event.reason == "lost phone; checked by call"
    fresh = Client()
    _sign_in(fresh, "ada")
    assert fresh.get("/me/")["Location"].startswith("/accounts/two-factor/?")


def test_an_htmx_request_is_sent_to_the_code_page_with_hx_redirect(
    client: Client, required
) -> None:
    """htmx would swap a followed 302 (the whole code page) into a fragment; HX-Redirect makes
    the browser go to the code page, and back to the page it was on afterwards."""
    person("ada", "centre_admin")
    _sign_in(client, "ada")
    answer = client.post(
        "/notifications/read-all",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/notifications/?size=5",
    )
    assert answer.status_code == 204 and "Location" not in answer
    assert answer["HX-Redirect"] == "/accounts/two-factor/?next=%2Fnotifications%2F%3Fsize%3D5"
    elsewhere = client.get(
        "/notifications/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="https://evil.example/x"
    )
    assert elsewhere["HX-Redirect"] == "/accounts/two-factor/"  # another site's page: no next
    plain = client.get("/notifications/")  # not htmx: the redirect as before
    assert plain.status_code == 302 and "HX-Redirect" not in plain
