"""Bearer tokens: only the hash is stored, revoked or unknown tokens are refused, and
``assay token`` creates, lists and revokes them."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from click.testing import CliRunner
from django.contrib.auth.models import User
from django.test import Client

from assay.accounts.models import ApiToken
from assay.accounts.services import token_authenticate, token_create, token_revoke
from assay.cli.main import main

pytestmark = pytest.mark.django_db


@pytest.fixture
def user() -> User:
    return User.objects.create_user("tess", password=None)


def bearer(token: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def test_only_the_hash_and_a_prefix_are_stored(user: User) -> None:
    row, plaintext = token_create(user=user, name="sync")
    assert len(plaintext) >= 40
    assert row.key_prefix == plaintext[:8]
    assert row.key_sha256 == hashlib.sha256(plaintext.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=row.pk).values().get()
    assert all(plaintext not in str(value) for value in stored.values())


def test_tokens_are_unique_and_authenticate_their_user(user: User) -> None:
    _, first = token_create(user=user)
    _, second = token_create(user=user)
    assert first != second
    assert token_authenticate(first) == user
    assert ApiToken.objects.get(key_prefix=first[:8]).last_used_at is not None


def test_revoked_unknown_and_inactive_are_refused(user: User) -> None:
    row, plaintext = token_create(user=user)
    token_revoke(token=row)
    assert token_authenticate(plaintext) is None
    _, live = token_create(user=user)
    user.is_active = False
    user.save()
    assert token_authenticate(live) is None
    assert token_authenticate("") is None and token_authenticate("x" * 500) is None


def test_the_api_answers_401_for_a_missing_bad_or_revoked_token(user: User) -> None:
    client = Client()
    row, plaintext = token_create(user=user)
    assert client.get("/api/v1/centres", **bearer(plaintext)).status_code == 200
    assert client.get("/api/v1/centres", HTTP_AUTHORIZATION=f"Token {plaintext}").status_code == 401
    assert client.get("/api/v1/centres", **bearer(plaintext[:-1] + "?")).status_code == 401
    token_revoke(token=row)
    response = client.get("/api/v1/centres", **bearer(plaintext))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert client.get("/api/v1/centres").status_code == 401


def test_catalogue_stays_public(catalogue: None) -> None:
    assert Client().get("/api/v1/qualifications").status_code == 200
    assert Client().get("/api/v1/qualifications", **bearer("nonsense")).status_code == 200


def test_cli_creates_a_token_once_lists_and_revokes_it(user: User) -> None:
    runner = CliRunner()
    created = runner.invoke(main, ["token", "create", "tess", "--name", "payroll"])
    assert created.exit_code == 0, created.stderr
    plaintext = created.stdout.strip()
    assert "not shown again" in created.stderr
    assert token_authenticate(plaintext) == user
    listed = runner.invoke(main, ["token", "list", "tess"])
    assert plaintext[:8] in listed.stdout and plaintext not in listed.stdout
    assert "payroll" in listed.stdout
    revoked = runner.invoke(main, ["token", "revoke", plaintext[:8]])
    assert revoked.exit_code == 0 and token_authenticate(plaintext) is None


def test_cli_token_for_an_unknown_user_fails_on_one_line() -> None:
    result = CliRunner().invoke(main, ["token", "create", "nobody"])
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == "assay: error: unknown user 'nobody'\n"
