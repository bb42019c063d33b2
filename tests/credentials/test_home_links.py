"""The candidate's home page leads to everything issue 14 promises them: the certificate PDF,
their credentials (JSON) and the certificate's public check; following the links works."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from assay.credentials.selectors import credential_verify
from tests.claims.helpers import agreed, approved, awarding_body
from tests.world import World

pytestmark = pytest.mark.django_db


def test_home_links_lead_to_pdf_credentials_and_public_check(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    awarding_body(world)
    agreed(world)
    with django_capture_on_commit_callbacks(execute=True):
        cert = approved(world)
    dan = Client()
    dan.force_login(world.user("dan"))
    home = dan.get("/").content.decode()
    links = re.findall(r'href="([^"]+)"', home)
    assert f"/certificates/{cert.pk}.pdf" in links
    assert f"/verify/{cert.number}" in links
    assert "/me/credentials/" in links
    assert dan.get(f"/certificates/{cert.pk}.pdf").status_code == 200
    public = Client().get(f"/verify/{cert.number}")
    assert public.status_code == 200 and 'data-outcome="valid"' in public.content.decode()
    mine = dan.get("/me/credentials/").content.decode()
    assert '<p class="card-title">403 Champion customer service</p>' in mine  # name from SQL
    (download,) = re.findall(r'href="(/me/credentials/\d+\.json)"', mine)
    answer = dan.get(download)
    assert answer.status_code == 200
    document = json.loads(
        b"".join(answer.streaming_content) if answer.streaming else answer.content
    )
    assert credential_verify(document).outcome == "valid"
