"""The demo's IQA: a drawn sample, one agree, one action required that reopened a unit;
idempotent, and every decision chain still verifies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings

from assay.catalogue.services import catalogue_import_library
from assay.demo.centre import demo_centre_load
from assay.demo.iqa import demo_iqa_load
from assay.demo.portfolios import demo_portfolios_load
from assay.portfolios.records import chains_verify, unit_signed_off
from assay.registrations.models import Registration
from assay.verification.models import SampleDraw, StandardisationActivity, Verification

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
        ),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        catalogue_import_library()
        get_user_model().objects.create_superuser("admin", password="assay-demo-admin")
        list(demo_centre_load())
        list(demo_portfolios_load())
        yield list(demo_iqa_load()) + list(demo_iqa_load())
        transaction.set_rollback(True)


def reg(name: str) -> Registration:
    first, last = name.split(" ")
    return Registration.objects.get(candidate__first_name=first, candidate__last_name=last)


def test_demo_sample_agree_and_action_required(demo_lines: list[str]) -> None:
    assert demo_lines[-1] == "IQA sample: exists"
    meeting = StandardisationActivity.objects.get()
    assert meeting.attendees.count() == 4 and meeting.actions.get().owner.username == "anna"
    assert SampleDraw.objects.count() == 1
    priya = reg("Priya Shah")
    outcomes = dict(Verification.objects.values_list("pick__unit_number", "outcome"))
    assert outcomes == {"401": "agree", "402": "action_required"}
    assert set(Verification.objects.values_list("pick__registration", flat=True)) == {priya.pk}
    assert unit_signed_off(priya, "401") and not unit_signed_off(priya, "402")
    assert all(v.ok for _, v in chains_verify())
