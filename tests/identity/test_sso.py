"""Single sign-on against a real OpenID provider on loopback (``conftest.oidc_provider``)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from assay.accounts.models import AccountEvent, AccountEventKind, SsoIdentity
from tests.identity.conftest import PASSWORD, Provider, free_port, provider_sign_in

pytestmark = pytest.mark.django_db


def _person(username: str, email: str, **extra: object) -> User:
    return User.objects.create_user(username, email=email, password="local-pass-123", **extra)


def _signed_in_as(client: Client) -> str | None:
    found = client.get("/me/", follow=False)
    if found.status_code == 302 and "/accounts/login/" in found["Location"]:
        return None
    from django.contrib.auth import get_user

    user = get_user(client)  # type: ignore[arg-type]
    return user.get_username() if user.is_authenticated else None


def test_login_page_offers_the_provider_only_when_configured(client: Client, settings) -> None:
    settings.ASSAY_OIDC_CLIENT_ID = ""
    assert b"Sign in with" not in client.get("/accounts/login/").content
    settings.ASSAY_OIDC_CLIENT_ID = "x"
    settings.ASSAY_OIDC_PROVIDER_NAME = "North Identity"
    page = client.get("/accounts/login/?next=/me/").content.decode()
    assert "Sign in with North Identity" in page
    assert "/accounts/sso/start/?next=/me/" in page


def test_sign_on_maps_to_the_existing_account_by_verified_email(
    client: Client, sso: Provider
) -> None:
    alice = _person("alice.local", "alice@north.example")
    answer = client.get(provider_sign_in(client, "alice"))
    assert answer.status_code == 302
    assert answer["Location"] == "/me/"
    assert _signed_in_as(client) == "alice.local"
    link = SsoIdentity.objects.get(user=alice)
    assert link.issuer == sso.issuer
    kinds = list(AccountEvent.objects.filter(user=alice).values_list("kind", flat=True))
    assert kinds == [AccountEventKind.SSO_LINKED, AccountEventKind.SIGNED_IN]
    assert User.objects.count() == 1  # nothing created


def test_a_linked_identity_follows_the_link_not_the_email(client: Client, sso: Provider) -> None:
    alice = _person("alice.local", "alice@north.example")
    client.get(provider_sign_in(client, "alice"))
    client.logout()
    User.objects.filter(pk=alice.pk).update(email="alice.new@north.example")
    _person("imposter", "alice@north.example")  # the old email now names someone else
    client.get(provider_sign_in(client, "alice"))
    assert _signed_in_as(client) == "alice.local"


def test_next_is_kept_through_the_round_trip(client: Client, sso: Provider) -> None:
    _person("alice.local", "alice@north.example")
    answer = client.get(provider_sign_in(client, "alice", next_url="/notifications/"))
    assert answer["Location"] == "/notifications/"


def test_unknown_email_is_refused_and_recorded(client: Client, sso: Provider) -> None:
    _person("alice.local", "alice@north.example")
    answer = client.get(provider_sign_in(client, "stranger"))
    assert answer.status_code == 403
    text = answer.content.decode()
    assert "No Assay account has the email address nobody@nowhere.example" in text
    assert _signed_in_as(client) is None
    refused = AccountEvent.objects.get(kind=AccountEventKind.SIGN_IN_REFUSED)
    assert "unknown" in refused.reason and refused.user is None
    assert not SsoIdentity.objects.exists()
    assert User.objects.count() == 1


def test_unverified_email_is_refused(client: Client, sso: Provider) -> None:
    _person("uma", "uma@north.example")
    answer = client.get(provider_sign_in(client, "unverified"))
    assert answer.status_code == 403
    assert "has not verified the email address" in answer.content.decode()
    assert _signed_in_as(client) is None


def test_deactivated_account_is_refused(client: Client, sso: Provider) -> None:
    _person("gone", "gone@north.example", is_active=False)
    answer = client.get(provider_sign_in(client, "gone"))
    assert answer.status_code == 403
    assert "deactivated" in answer.content.decode()
    assert _signed_in_as(client) is None


def test_an_answer_meant_for_another_browser_is_refused(client: Client, sso: Provider) -> None:
    """State mismatch: the provider's answer to one browser, delivered to another."""
    _person("alice.local", "alice@north.example")
    callback = provider_sign_in(client, "alice")
    other = Client()
    other.get("/accounts/sso/start/")  # a sign-on of its own, with its own state
    answer = other.get(callback)
    assert answer.status_code == 400
    assert "could not be checked" in answer.content.decode()
    assert _signed_in_as(other) is None
    never_started = Client().get(callback)
    assert never_started.status_code == 400
    assert not SsoIdentity.objects.exists()


def test_a_reused_answer_is_refused(client: Client, sso: Provider) -> None:
    _person("alice.local", "alice@north.example")
    callback = provider_sign_in(client, "alice")
    assert client.get(callback).status_code == 302
    client.logout()
    assert client.get(callback).status_code == 400


def test_the_provider_saying_no_is_shown(client: Client, sso: Provider) -> None:
    start = client.get("/accounts/sso/start/")
    state = start["Location"].split("state=")[1].split("&")[0]
    answer = client.get(f"/accounts/sso/callback/?error=access_denied&state={state}")
    assert answer.status_code == 403
    assert "North Identity did not sign you in" in answer.content.decode()
    assert state not in client.session["oidc_states"]  # that state cannot be used again


def test_nonce_mismatch_is_refused(client: Client, sso: Provider) -> None:
    _person("alice.local", "alice@north.example")
    callback = provider_sign_in(client, "alice")
    session = client.session
    states = session["oidc_states"]
    for entry in states.values():
        entry["nonce"] = "not-the-nonce-the-provider-signed"
    session["oidc_states"] = states
    session.save()
    answer = client.get(callback)
    assert answer.status_code == 400
    assert _signed_in_as(client) is None
    assert not SsoIdentity.objects.exists()


def test_provider_down_at_start_says_so(client: Client, settings) -> None:
    from assay.accounts.sso import forget_discovery

    settings.ASSAY_OIDC_CLIENT_ID = "x"
    settings.ASSAY_OIDC_ISSUER = f"http://127.0.0.1:{free_port()}/o"
    settings.ASSAY_OIDC_PROVIDER_NAME = "North Identity"
    settings.ASSAY_OIDC_TIMEOUT = 2
    forget_discovery()
    answer = client.get("/accounts/sso/start/")
    assert answer.status_code == 503
    assert "North Identity is not answering" in answer.content.decode()


def test_provider_down_at_the_callback_says_so(client: Client, sso: Provider, settings) -> None:
    _person("alice.local", "alice@north.example")
    callback = provider_sign_in(client, "alice")
    settings.ASSAY_OIDC_TOKEN_ENDPOINT = f"http://127.0.0.1:{free_port()}/o/token/"
    answer = client.get(callback)
    assert answer.status_code == 503
    assert "did not complete the sign-in" in answer.content.decode()
    assert _signed_in_as(client) is None


def test_keys_nobody_could_use_are_refused_plainly(client: Client, sso: Provider, settings):  # type: ignore[no-untyped-def]
    """The provider's key set (JWKS) replaced by another document: a page, not a 500."""
    _person("alice.local", "alice@north.example")
    callback = provider_sign_in(client, "alice")
    settings.ASSAY_OIDC_JWKS_ENDPOINT = f"{sso.issuer}/.well-known/openid-configuration"
    answer = client.get(callback)
    assert answer.status_code == 502
    assert "could not check" in answer.content.decode()
    assert _signed_in_as(client) is None


def test_password_sign_in_still_works_and_is_recorded(client: Client, sso: Provider) -> None:
    alice = _person("alice.local", "alice@north.example")
    answer = client.post(
        "/accounts/login/", {"username": "alice.local", "password": "local-pass-123"}
    )
    assert answer.status_code == 302
    event = AccountEvent.objects.get(user=alice, kind=AccountEventKind.SIGNED_IN)
    assert event.reason == "password"


def test_wrong_password_is_not_signed_in_by_the_sso_backend(client: Client, sso: Provider) -> None:
    _person("alice.local", "alice@north.example")
    answer = client.post("/accounts/login/", {"username": "alice.local", "password": PASSWORD})
    assert answer.status_code == 200
    assert _signed_in_as(client) is None


def test_staff_still_give_a_code_after_single_sign_on(client: Client, sso: Provider, settings):  # type: ignore[no-untyped-def]
    from tests.identity.helpers import person

    settings.ASSAY_REQUIRE_2FA = True
    person("alice.local", "centre_admin", email="alice@north.example")
    assert client.get(provider_sign_in(client, "alice"))["Location"] == "/me/"
    assert client.get("/me/")["Location"].startswith("/accounts/two-factor/")


@pytest.mark.parametrize("trusted", [True, False])
def test_the_providers_mfa_counts_only_when_trusted(  # type: ignore[no-untyped-def]
    client: Client, sso: Provider, settings, trusted: bool
):
    from tests.identity.helpers import person

    settings.ASSAY_REQUIRE_2FA = True
    settings.ASSAY_OIDC_TRUST_MFA = trusted
    maya = person("maya", "centre_admin", email="maya@north.example")
    client.get(provider_sign_in(client, "mfa"))
    asked = client.get("/me/").get("Location", "").startswith("/accounts/two-factor/")
    assert asked is not trusted
    event = AccountEvent.objects.get(user=maya, kind=AccountEventKind.SIGNED_IN)
    assert event.reason.endswith("(MFA)") is trusted
