"""The demo's claims: Priya Shah's unit 401 approved with a certificate she can download;
Omar Reid's claim at suspended Eastfield Skills refused with the sanction's reason;
idempotent, and every claim chain verifies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from assay.catalogue.services import catalogue_import_library
from assay.claims.models import Certificate, Claim
from assay.demo.centre import demo_centre_load
from assay.demo.claims import demo_claims_load
from assay.demo.eqa import demo_eqa_load
from assay.demo.iqa import demo_iqa_load
from assay.demo.portfolios import demo_portfolios_load
from assay.records.services import records_verify

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo_lines(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[str]]:
    with (
        override_settings(
            ASSAY_TODAY="2013-03-01",
            MEDIA_ROOT=tmp_path_factory.mktemp("media"),
            FILE_UPLOAD_TEMP_DIR=None,
            PASSWORD_HASHERS=["tests.conftest.FastArgon2PasswordHasher"],
            ASSAY_ANCHOR_LOG=tmp_path_factory.mktemp("anchors") / "anchors.log",
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        catalogue_import_library()
        get_user_model().objects.create_superuser("admin", password="assay-demo-admin")
        list(demo_centre_load())
        list(demo_portfolios_load())
        list(demo_iqa_load())
        list(demo_eqa_load())
        yield list(demo_claims_load()) + list(demo_claims_load())
        transaction.set_rollback(True)


def test_demo_claims(demo_lines: list[str]) -> None:
    assert "claim for Priya Shah's unit 401 approved: certificate AS-2013-000001-3" in demo_lines
    assert "claim for Priya Shah's unit 401: exists" in demo_lines
    assert demo_lines[-1] == (
        "claim for Omar Reid's unit 401 at Eastfield Skills refused: claims-suspended"
    )
    cert = Certificate.objects.get()
    assert cert.registration.candidate.first_name == "Priya"
    assert Claim.objects.count() == 1
    client = Client()
    client.force_login(get_user_model().objects.get(username="cand1"))
    home = client.get("/").content.decode()
    assert "Download certificate AS-2013-000001-3 (PDF)" in home
    assert client.get(f"/certificates/{cert.pk}.pdf").status_code == 200
    with override_settings(ASSAY_TODAY="2013-03-01"):
        assert [p for p in records_verify().problems if p.chain.startswith("claim")] == []
