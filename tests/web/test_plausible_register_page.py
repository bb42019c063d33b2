"""Issue 10: the registration wizard refuses implausible dates and control characters with
the field marked, and saves nothing (not even a refusal)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assay.registrations.models import Refusal
from tests.web.helpers import counts, register_form, signed_in
from tests.world import World

pytestmark = pytest.mark.django_db

Text = Callable[..., str]


@pytest.mark.parametrize(
    ("override", "field", "phrase"),
    [
        ({"date_of_birth": "0580-01-01"}, "date_of_birth", "is before 01/01/1900"),
        ({"date_of_birth": "2013-03-02"}, "date_of_birth", "is in the future"),
        ({"registered_on": "2674-01-01"}, "registered_on", "more than two years ahead"),
        ({"registered_on": "1980-01-01"}, "registered_on", "is before 01/01/1990"),
        ({"first_name": "Nia\x07"}, "first_name", "control character U+0007"),
        ({"last_name": "Jo\x1bnes"}, "last_name", "control character U+001B"),
        ({"job_role": "Manager\x7f"}, "job_role", "control character U+007F"),
        ({"first_name": "\u200b\u200b"}, "first_name", "Enter the candidate"),
    ],
)
def test_wizard_refuses_implausible_input(
    world: World, page_text: Text, override: dict[str, str], field: str, phrase: str
) -> None:
    before = counts()
    response = signed_in(world, "carol").post(
        f"/centres/{world.north.pk}/register/", register_form(**override)
    )
    assert response.status_code == 400
    body = page_text(response)
    assert phrase in body
    assert f'name="{field}"' in body and 'aria-invalid="true"' in body
    assert counts() == before and Refusal.objects.count() == 0


def test_live_check_names_an_implausible_date(world: World, page_text: Text) -> None:
    response = signed_in(world, "carol").post(
        f"/centres/{world.north.pk}/register/check",
        register_form(registered_on="2674-01-01"),
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "more than two years ahead" in page_text(response)
    assert counts() == (2, 2, 0)
