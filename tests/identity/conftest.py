"""A real OpenID provider on loopback for the single sign-on tests (``provider.py``: a separate
process running django-oauth-toolkit with OpenID Connect on), and the round trip a browser makes
through it — the provider's own sign-in form included — done with ``requests``."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from django.test import Client

from assay.accounts.sso import forget_discovery

ROOT = Path(__file__).resolve().parents[2]
DISCOVERY = ".well-known/openid-configuration"
CALLBACK = "http://testserver/accounts/sso/callback/"
PASSWORD = "provider-pass-1"
PEOPLE = [
    {"username": "alice", "email": "Alice@North.example"},
    {"username": "stranger", "email": "nobody@nowhere.example"},
    {"username": "unverified", "email": "uma@north.example", "last_name": "unverified"},
    {"username": "mfa", "email": "maya@north.example", "first_name": "mfa"},
    {"username": "gone", "email": "gone@north.example"},
]


@dataclass(frozen=True)
class Provider:
    port: int
    issuer: str
    client_id: str = "assay-test-client"
    client_secret: str = "assay-test-secret-0123456789"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def oidc_provider() -> Iterator[Provider]:
    port = free_port()
    provider = Provider(port=port, issuer=f"http://127.0.0.1:{port}/o")
    config = {
        "client": {
            "id": provider.client_id,
            "secret": provider.client_secret,
            "redirect_uris": [CALLBACK],
        },
        "users": [{**person, "password": PASSWORD} for person in PEOPLE],
    }
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.identity.provider", str(port), json.dumps(config)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                found = requests.get(f"{provider.issuer}/{DISCOVERY}", timeout=2)
                if found.status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                errors = process.stderr.read().decode() if process.stderr else ""
                raise RuntimeError(f"the test OpenID provider did not start:\n{errors}")
            time.sleep(0.2)
        yield provider
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sso(settings: object, oidc_provider: Provider) -> Iterator[Provider]:
    """Assay configured for the test provider, discovery included."""
    settings.ASSAY_OIDC_CLIENT_ID = oidc_provider.client_id  # type: ignore[attr-defined]
    settings.ASSAY_OIDC_CLIENT_SECRET = oidc_provider.client_secret  # type: ignore[attr-defined]
    settings.ASSAY_OIDC_ISSUER = oidc_provider.issuer  # type: ignore[attr-defined]
    settings.ASSAY_OIDC_PROVIDER_NAME = "North Identity"  # type: ignore[attr-defined]
    forget_discovery()
    yield oidc_provider
    forget_discovery()


def provider_sign_in(client: Client, username: str, next_url: str = "") -> str:
    """Starts single sign-on in ``client``, signs in at the provider as ``username`` and
    returns the callback path with its query (the provider's answer for ``client``)."""
    start = client.get("/accounts/sso/start/" + (f"?next={next_url}" if next_url else ""))
    assert start.status_code == 302, start.content
    authorize = start["Location"]
    browser = requests.Session()
    to_login = browser.get(authorize, allow_redirects=False, timeout=10)
    assert to_login.status_code == 302, to_login.text
    login_url = urljoin(authorize, to_login.headers["Location"])
    after = parse_qs(urlsplit(login_url).query)["next"][0]
    signed = browser.post(
        login_url,
        data={"username": username, "password": PASSWORD, "next": after},
        allow_redirects=False,
        timeout=10,
    )
    assert signed.status_code == 302, signed.text
    back = browser.get(urljoin(login_url, signed.headers["Location"]), allow_redirects=False)
    assert back.status_code == 302, back.text
    answer = urlsplit(back.headers["Location"])
    assert answer.netloc == "testserver", back.headers["Location"]
    return f"{answer.path}?{answer.query}"
