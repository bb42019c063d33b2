"""Issue 15, the API's tokens: sign in for a token (with the web's throttling), scopes and
expiry, and listing and revoking one's own tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import User
from django.test import Client

from assay import clock
from assay.accounts.models import ApiToken
from assay.accounts.services import token_authenticate, token_create
from assay.api.api import api
from assay.cli.main import main
from assay.engines.accounts.tokens import may_use

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
LOGIN = "/api/v1/auth/login"
TOKENS = "/api/v1/auth/tokens"


@pytest.fixture
def tess() -> User:
    return User.objects.create_user("tess", password=PASSWORD)


@pytest.fixture
def uma() -> User:
    return User.objects.create_user("uma", password=PASSWORD)


def bearer(token: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def login(body: Any, client: Client | None = None) -> Any:
    return (client or Client()).post(LOGIN, body, content_type="application/json")


# Signing in


def test_login_answers_a_new_token_that_works_and_only_its_hash_is_stored(tess: User) -> None:
    before = clock.now()
    response = login({"username": "tess", "password": PASSWORD, "name": "sync"})
    assert response.status_code == 201, response.content
    body = response.json()
    plaintext = body["token"]
    assert body["prefix"] == plaintext[:8] and body["name"] == "sync"
    assert (body["scope"], body["state"], body["current"]) == ("write", "active", False)
    row = ApiToken.objects.get(pk=body["id"])
    assert row.key_sha256 == hashlib.sha256(plaintext.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=row.pk).values().get()
    assert all(plaintext not in str(value) for value in stored.values())
    assert "sessionid" not in response.cookies
    tess.refresh_from_db()
    assert tess.last_login is not None
    assert row.expires_at is not None
    assert dt.timedelta(days=30) <= row.expires_at - before < dt.timedelta(days=30, minutes=1)
    assert Client().get("/api/v1/centres", **bearer(plaintext)).status_code == 200


def test_login_takes_a_scope_and_a_bounded_lifetime(tess: User) -> None:
    body = login({"username": "tess", "password": PASSWORD, "scope": "read", "expires_in_days": 2})
    assert body.status_code == 201
    row = ApiToken.objects.get(pk=body.json()["id"])
    assert row.scope == "read"
    assert row.expires_at is not None and row.expires_at - row.created_at == dt.timedelta(days=2)
    for days in (0, -1, 366):
        refused = login({"username": "tess", "password": PASSWORD, "expires_in_days": days})
        assert refused.status_code == 422, days
        assert refused.json()["error"]["code"] == "invalid"
    wrong_scope = login({"username": "tess", "password": PASSWORD, "scope": "admin"})
    assert wrong_scope.status_code == 422
    assert ApiToken.objects.count() == 1


def test_a_wrong_sign_in_answers_the_same_whether_or_not_the_username_exists(tess: User) -> None:
    wrong = login({"username": "tess", "password": "nope"})
    unknown = login({"username": "nobody", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"]["message"] == "the username or password is not right"
    assert ApiToken.objects.count() == 0


def test_an_inactive_user_is_refused_like_a_wrong_password(tess: User) -> None:
    tess.is_active = False
    tess.save()
    refused = login({"username": "tess", "password": PASSWORD})
    assert refused.status_code == 401
    assert refused.json() == login({"username": "nobody", "password": "x"}).json()
    assert ApiToken.objects.count() == 0


def test_failed_sign_ins_are_throttled_like_the_web(tess: User, settings: Any) -> None:
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert login({"username": "tess", "password": "nope"}).status_code == 401
    fifth = login({"username": "tess", "password": "nope"})
    assert fifth.status_code == 429, fifth.content
    assert fifth["Content-Type"].startswith("application/json")
    assert fifth.json()["error"]["code"] == "throttled"
    # The right password does not help during the cool-off, nor does the web sign-in.
    assert login({"username": "tess", "password": PASSWORD}).status_code == 429
    web = Client().post("/accounts/login/", {"username": "tess", "password": PASSWORD})
    assert web.status_code == 429
    assert ApiToken.objects.count() == 0
    # Another username from the same address is not paused.
    User.objects.create_user("uma", password=PASSWORD)
    assert login({"username": "uma", "password": PASSWORD}).status_code == 201


def test_web_and_api_failures_count_together(tess: User) -> None:
    for _ in range(3):
        web = Client().post("/accounts/login/", {"username": "tess", "password": "nope"})
        assert web.status_code == 200
    assert login({"username": "tess", "password": "nope"}).status_code == 401
    assert login({"username": "tess", "password": "nope"}).status_code == 429
    assert login({"username": "tess", "password": PASSWORD}).status_code == 429


def test_a_success_resets_the_count(tess: User) -> None:
    for _ in range(4):
        login({"username": "tess", "password": "nope"})
    assert login({"username": "tess", "password": PASSWORD}).status_code == 201
    assert login({"username": "tess", "password": "nope"}).status_code == 401


@pytest.mark.parametrize("body", ["42", "null", "[]", '"tess"', "[1, 2]"])
def test_login_refuses_a_body_that_is_not_an_object(tess: User, body: str) -> None:
    response = Client().post(LOGIN, body, content_type="application/json")
    assert response.status_code == 422
    assert "JSON object" in response.json()["error"]["message"]


def test_login_refuses_a_body_that_is_not_json_and_missing_fields(tess: User) -> None:
    response = Client().post(LOGIN, "username=tess", content_type="application/json")
    assert response.status_code == 400
    assert login({"username": "tess"}).status_code == 422
    assert login({"username": "", "password": PASSWORD}).status_code == 422


# Scope and expiry


def test_a_read_token_reads_but_every_unsafe_method_is_refused(tess: User) -> None:
    row, plaintext = token_create(user=tess, scope="read")
    client = Client()
    auth = bearer(plaintext)
    json = "application/json"
    assert client.get("/api/v1/centres", **auth).status_code == 200
    assert client.get(TOKENS, **auth).status_code == 200
    refusals = [
        client.post("/api/v1/notifications/1/read", **auth),
        client.post("/api/v1/centres/1/invitations", {}, content_type=json, **auth),
        client.delete(f"{TOKENS}/{row.pk}", **auth),
        client.put("/api/v1/registrations/1/plan", {}, content_type=json, **auth),
    ]
    for response in refusals:
        assert response.status_code == 403, response.content
        error = response.json()["error"]
        assert error["code"] == "forbidden"
        assert "scope 'read'" in error["message"] and "scope 'write'" in error["message"]
    assert ApiToken.objects.get(pk=row.pk).revoked_at is None


def test_a_read_token_gets_no_large_upload_allowance(tess: User) -> None:
    from django.test import RequestFactory

    from assay.web.upload_limits import _signed_in

    _, read = token_create(user=tess, scope="read")
    _, write = token_create(user=tess, scope="write")
    factory = RequestFactory()
    assert token_authenticate(read, method="POST") is None
    assert token_authenticate(read, method="GET") == tess
    assert not _signed_in(factory.post("/api/v1/evidence/1/files", **bearer(read)))
    assert _signed_in(factory.post("/api/v1/evidence/1/files", **bearer(write)))


def test_the_scope_rule_for_every_method() -> None:
    for method in ("GET", "HEAD", "OPTIONS", "get"):
        assert may_use(scope="read", method=method).allowed
    for method in ("POST", "PUT", "PATCH", "DELETE", "patch"):
        decision = may_use(scope="read", method=method)
        assert not decision.allowed and method.upper() in decision.reason
        assert may_use(scope="write", method=method).allowed
    assert not may_use(scope="admin", method="GET").allowed


def test_a_write_token_is_not_refused_by_scope(tess: User) -> None:
    _, plaintext = token_create(user=tess, scope="write")
    response = Client().post("/api/v1/notifications/999999/read", **bearer(plaintext))
    assert response.status_code == 404


def test_an_expired_token_answers_401_token_expired(tess: User) -> None:
    row, plaintext = token_create(user=tess, expires_in_days=1)
    assert Client().get("/api/v1/centres", **bearer(plaintext)).status_code == 200
    ApiToken.objects.filter(pk=row.pk).update(expires_at=clock.now() - dt.timedelta(seconds=1))
    response = Client().get("/api/v1/centres", **bearer(plaintext))
    assert response.status_code == 401
    assert response.json()["error"] == {
        "status": 401,
        "code": "token_expired",
        "message": "token expired",
        "details": [],
    }
    assert token_authenticate(plaintext) is None
    # A revoked (or unknown) token still answers the plain 401.
    ApiToken.objects.filter(pk=row.pk).update(revoked_at=clock.now())
    assert Client().get("/api/v1/centres", **bearer(plaintext)).json()["error"]["code"] == (
        "unauthenticated"
    )


def test_tokens_without_expiry_from_before_keep_working(tess: User) -> None:
    row, plaintext = token_create(user=tess)
    ApiToken.objects.filter(pk=row.pk).update(expires_at=None)
    assert token_authenticate(plaintext) == tess
    listed = Client().get(TOKENS, **bearer(plaintext)).json()["items"]
    assert listed[0]["expires_at"] is None and listed[0]["state"] == "active"


# Listing and revoking one's own


def test_list_shows_only_ones_own_tokens_never_the_secret_and_pages(tess: User, uma: User) -> None:
    mine = [token_create(user=tess, name=f"t{i}") for i in range(3)]
    token_create(user=uma, name="hers")
    plaintext = mine[-1][1]
    first = Client().get(f"{TOKENS}?size=2", **bearer(plaintext))
    assert first.status_code == 200
    page = first.json()
    assert [t["name"] for t in page["items"]] == ["t2", "t1"]
    assert page["items"][0]["current"] is True and page["items"][1]["current"] is False
    assert page["next"]
    second = Client().get(TOKENS, {"size": 2, "cursor": page["next"]}, **bearer(plaintext)).json()
    assert [t["name"] for t in second["items"]] == ["t0"] and second["next"] is None
    text = first.content.decode() + str(second)
    assert all(p not in text for _, p in mine)
    assert "hers" not in text
    assert "token" not in page["items"][0]
    assert set(page["items"][0]) >= {"name", "scope", "created_at", "expires_at", "last_used_at"}
    bad = Client().get(TOKENS, {"cursor": "nonsense"}, **bearer(plaintext))
    assert bad.status_code == 400


def test_revoke_ones_own_token_and_others_answer_404(tess: User, uma: User) -> None:
    spare, spare_plain = token_create(user=tess, name="spare")
    _, plaintext = token_create(user=tess, name="main")
    hers, hers_plain = token_create(user=uma, name="hers")
    client = Client()
    denied = client.delete(f"{TOKENS}/{hers.pk}", **bearer(plaintext))
    assert denied.status_code == 404
    assert denied.json() == client.delete(f"{TOKENS}/999999", **bearer(plaintext)).json()
    assert ApiToken.objects.get(pk=hers.pk).revoked_at is None
    assert token_authenticate(hers_plain) == uma
    done = client.delete(f"{TOKENS}/{spare.pk}", **bearer(plaintext))
    assert done.status_code == 200
    assert done.json()["state"] == "revoked" and done.json()["revoked_at"]
    assert token_authenticate(spare_plain) is None
    again = client.delete(f"{TOKENS}/{spare.pk}", **bearer(plaintext))
    assert again.status_code == 200 and again.json()["revoked_at"] == done.json()["revoked_at"]
    assert client.delete(f"{TOKENS}/{spare.pk}").status_code == 401


def test_revoking_the_token_in_use_ends_it(tess: User) -> None:
    row, plaintext = token_create(user=tess)
    response = Client().delete(f"{TOKENS}/{row.pk}", **bearer(plaintext))
    assert response.status_code == 200 and response.json()["current"] is True
    assert Client().get(TOKENS, **bearer(plaintext)).status_code == 401


def test_a_signed_in_browser_lists_its_users_tokens(tess: User) -> None:
    token_create(user=tess, name="from the cli")
    client = Client()
    client.force_login(tess)
    items = client.get(TOKENS).json()["items"]
    assert [t["name"] for t in items] == ["from the cli"]


# The CLI and the document


def test_cli_creates_with_scope_and_expiry_and_lists_them(tess: User) -> None:
    runner = CliRunner()
    made = runner.invoke(
        main, ["token", "create", "tess", "--scope", "read", "--expires-days", "7", "--name", "ro"]
    )
    assert made.exit_code == 0, made.stderr
    row = ApiToken.objects.get(key_prefix=made.stdout.strip()[:8])
    assert row.scope == "read"
    assert row.expires_at is not None and row.expires_at - row.created_at == dt.timedelta(days=7)
    assert "read" in made.stderr
    listed = runner.invoke(main, ["token", "list", "tess"])
    assert "read" in listed.stdout and "expires" in listed.stdout and "ro" in listed.stdout
    too_long = runner.invoke(main, ["token", "create", "tess", "--expires-days", "400"])
    assert too_long.exit_code == 2 and "1 to 365 days" in too_long.stderr
    wrong_scope = runner.invoke(main, ["token", "create", "tess", "--scope", "all"])
    assert wrong_scope.exit_code == 2


def test_the_document_describes_the_token_endpoints() -> None:
    paths = api.get_openapi_schema()["paths"]
    login_op = paths[LOGIN]["post"]
    assert {201, 400, 401, 422, 429} <= set(login_op["responses"])
    assert not login_op.get("security")
    assert {200, 401, 422} <= set(paths[TOKENS]["get"]["responses"])
    assert {200, 401, 403, 404, 422} <= set(paths[f"{TOKENS}/{{token_id}}"]["delete"]["responses"])


def test_login_needs_no_csrf_token_and_sets_no_cookie(tess: User) -> None:
    """A program has no CSRF cookie; the answer opens no session, so there is nothing to forge."""
    client = Client(enforce_csrf_checks=True)
    response = login({"username": "tess", "password": PASSWORD}, client)
    assert response.status_code == 201
    assert not response.cookies
    assert client.get(TOKENS).status_code == 401  # no session came with it
