"""CSRF on every form, argon2 passwords, sign-in, and sign-out only by POST."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def viewer(db: None) -> AbstractBaseUser:
    return get_user_model().objects.create_user(username="viewer", password=PASSWORD)


def test_post_without_csrf_token_is_refused(catalogue: None) -> None:
    client = Client(enforce_csrf_checks=True)
    for url in ("/plans/4430-04/check", "/plans/4430-04/complete"):
        response = client.post(url, {"unit": ["401"]}, headers={"HX-Request": "true"})
        assert response.status_code == 403
        assert "could not be accepted" in response.content.decode()


def test_htmx_post_with_the_pages_csrf_header_is_accepted(catalogue: None) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/plans/4430-04/").content.decode()
    match = re.search(r"hx-headers='([^']+)'", page)
    assert match is not None
    headers = {**json.loads(match.group(1)), "HX-Request": "true"}
    response = client.post("/plans/4430-04/check", {"unit": ["401"]}, headers=headers)
    assert response.status_code == 200


def test_passwords_are_stored_with_argon2(viewer: AbstractBaseUser) -> None:
    assert viewer.password.startswith("argon2")


def test_sign_in_page_has_labelled_fields(client: Client) -> None:
    body = client.get("/accounts/login/").content.decode()
    assert '<label for="id_username">Username</label>' in body
    assert '<label for="id_password">Password</label>' in body
    assert 'autocomplete="current-password"' in body


def test_sign_in_then_sign_out(client: Client, viewer: AbstractBaseUser) -> None:
    response = client.post("/accounts/login/", {"username": "viewer", "password": PASSWORD})
    # After sign-in everyone goes through /me/, which sends them to their role's home.
    assert response.status_code == 302 and response.url == "/me/"
    home = client.get("/").content.decode()
    assert "Signed in as <strong>viewer</strong>" in home
    assert 'action="/accounts/logout/"' in home
    assert client.get("/accounts/logout/").status_code == 405  # no sign-out by link
    assert "Signed in as" in client.get("/").content.decode()
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "Signed in as" not in client.get("/").content.decode()


def test_wrong_password_is_refused_with_a_message(client: Client, viewer: AbstractBaseUser) -> None:
    response = client.post("/accounts/login/", {"username": "viewer", "password": "nope"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="alert"' in body and "correct username and password" in body
    assert "Signed in as" not in body


def test_sign_in_form_itself_needs_the_csrf_token(viewer: AbstractBaseUser) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "viewer", "password": PASSWORD})
    assert response.status_code == 403
