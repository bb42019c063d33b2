"""The body's sampling-rule page: read by its people, chosen by its administrators with a
reason; nonsense answers 400 with the page and nothing changed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from assay.audits.models import SamplingPolicy
from tests.audits.world import AuditWorld

pytestmark = pytest.mark.django_db


def test_choose_and_read_the_rule(aw: AuditWorld, client_as: Callable[[str], Client]) -> None:
    url = f"/audits/bodies/{aw.body.pk}/sampling/"
    admin = client_as("body_admin")
    page = admin.get(url).content.decode()
    assert "Assay's default: no rule chosen yet" in page and "Adopt this rule" in page
    assert "Adopt this rule" not in client_as("auditor").get(url).content.decode()
    for data in (
        {"rule": "whole-organisation-sqrt", "random_percent": "20", "note": "why"},
        {"rule": "whole-organisation-sqrt", "random_percent": "x", "note": "why"},
        {"rule": "whole-organisation-sqrt", "random_percent": "30", "note": "\u200b"},
    ):
        assert admin.post(url, data).status_code == 400
    assert not SamplingPolicy.objects.exists()
    done = admin.post(
        url, {"rule": "whole-organisation-sqrt", "random_percent": "30", "note": "IAF MD 1"}
    )
    assert done.status_code == 302
    page = client_as("decision_maker").get(url).content.decode()
    assert "Whole organisation: square root of all other offices (IAF MD 1)" in page
    assert "policy version 1" in page and "30 %" in page
