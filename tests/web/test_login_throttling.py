"""Sign-in throttling (django-axes): five wrong passwords for one username from one address
pause sign-in for that pair, even with the right password, and say so in plain words."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"
LOGIN = "/accounts/login/"


@pytest.fixture
def viewer(db: None) -> AbstractBaseUser:
    return get_user_model().objects.create_user(username="viewer", password=PASSWORD)


def attempt(client: Client, password: str, address: str = "198.51.100.7") -> int:
    response = client.post(LOGIN, {"username": "viewer", "password": password}, REMOTE_ADDR=address)
    return response.status_code


def signed_in(client: Client) -> bool:
    return "Signed in as" in client.get("/").content.decode()


def test_the_sixth_attempt_is_refused_even_with_the_right_password(
    viewer: AbstractBaseUser,
) -> None:
    client = Client()
    assert [attempt(client, f"wrong-{n}") for n in range(4)] == [200] * 4  # the form again
    assert attempt(client, "wrong-5") == 429  # the fifth failure locks
    response = client.post(
        LOGIN, {"username": "viewer", "password": PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )
    assert response.status_code == 429
    body = response.content.decode()
    assert "Too many sign-in attempts" in body
    assert "After 5 wrong passwords for <strong>viewer</strong>" in body
    assert "paused for 1 hour" in body
    assert not signed_in(client)


def test_the_lock_is_per_username_and_address(viewer: AbstractBaseUser) -> None:
    attacker = Client()
    for n in range(5):
        attempt(attacker, f"wrong-{n}")
    colleague = Client()  # the same account from another address still signs in
    assert attempt(colleague, PASSWORD, address="192.0.2.44") == 302
    assert signed_in(colleague)


def test_a_good_sign_in_resets_the_count(viewer: AbstractBaseUser) -> None:
    client = Client()
    for n in range(4):
        attempt(client, f"wrong-{n}")
    assert attempt(client, PASSWORD) == 302
    client.post("/accounts/logout/")
    for n in range(4):
        assert attempt(client, f"again-{n}") == 200
    assert attempt(client, PASSWORD) == 302
