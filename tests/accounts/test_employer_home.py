"""The employer contact's home lists the plans and progress reviews that wait for their
signature beside the registration documents, waiting first, a page at a time, in a bounded
number of queries whatever the number of employees."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from assay.registrations.induction import signature_record
from assay.registrations.links import candidate_employer_contact_set
from assay.registrations.models import SignatureDocument
from assay.registrations.services import registration_create
from assay.reviews.services import plan_sign
from tests.reviews.helpers import seed_plan
from tests.unit_content.conftest import signed_in
from tests.world import World, adult

pytestmark = pytest.mark.django_db


def test_a_review_waiting_for_the_employer_is_listed_until_signed(world: World) -> None:
    review = seed_plan(world, kind="review")
    ed = signed_in(world.user("ed"))
    page = ed.get(reverse("employer-signatures")).content.decode()
    link = reverse("reviews-sign", args=[world.dan.pk, review.pk])
    assert link in page and "Sign the progress review of 28/02/2013" in page
    plan_sign(by=world.user("ed"), plan=review, capacity="employer")
    assert link not in ed.get(reverse("employer-signatures")).content.decode()


def test_many_employees_come_a_page_at_a_time_waiting_first(
    world: World,
    django_assert_max_num_queries: Any,
) -> None:
    carol, ed = world.user("carol"), world.user("ed")
    for n in range(30):
        reg = registration_create(
            by=carol,
            centre=world.north,
            qualification_key="4430-04",
            candidate_input=adult(f"Worker{n:02d}", "Aaron"),
            registered_on=dt.date(2012, 9, 3),
        )
        candidate_employer_contact_set(by=carol, candidate=reg.candidate, user=ed)
        for document in SignatureDocument.values:  # nothing left to sign for these 30
            signature_record(
                by=ed, registration=reg, document=document, capacity="employer", text="Agreed."
            )
    review = seed_plan(world, kind="review")  # Dan's: sorts last by name, but waits
    client = signed_in(ed)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("employer-signatures")).content.decode()
    assert first.count('class="card"') == 25
    assert 'rel="next"' in first
    assert (
        reverse("reviews-sign", args=[world.dan.pk, review.pk]) in first
    )  # waiting rows come first
    assert 'data-waiting="1"' in first  # only Dan: a review waits
    cursor = client.get(reverse("employer-signatures")).context["home"].page.next
    with django_assert_max_num_queries(12):
        second = client.get(reverse("employer-signatures") + f"?cursor={cursor}")
    assert second.content.decode().count('class="card"') == 31 - 25
    assert 'rel="prev"' in second.content.decode()
    assert second.context["home"].page.next is None
    seen = {row.registration.pk for row in second.context["home"].rows}
    first_rows = client.get(reverse("employer-signatures")).context["home"].rows
    assert seen.isdisjoint({row.registration.pk for row in first_rows})
    bad = client.get(reverse("employer-signatures") + "?cursor=zz")
    assert bad.status_code == 400 and "page link is not valid" in bad.content.decode()
    # Another employer contact reads none of Ed's employees, whatever the cursor.
    edna = signed_in(world.user("edna")).get(reverse("employer-signatures") + f"?cursor={cursor}")
    assert edna.status_code == 200 and edna.context["home"].rows == []


def _employees(world: World, start: int, n: int) -> None:
    carol, ed = world.user("carol"), world.user("ed")
    for i in range(start, start + n):
        reg = registration_create(
            by=carol,
            centre=world.north,
            qualification_key="4430-04",
            candidate_input=adult(f"Worker{i:02d}", "Aaron"),
            registered_on=dt.date(2012, 9, 3),
        )
        candidate_employer_contact_set(by=carol, candidate=reg.candidate, user=ed)


def test_walking_the_pages_shows_each_employee_once_in_the_same_queries(world: World) -> None:
    from tests.keyset_walk import page_queries, walk_pages

    ed = signed_in(world.user("ed"))
    url = reverse("employer-signatures") + "?size=200"
    _employees(world, 0, 2)
    few = page_queries(ed, url)
    _employees(world, 2, 20)
    assert page_queries(ed, url) == few
    shown = walk_pages(ed, reverse("employer-signatures") + "?size=4", r'data-registration="(\d+)"')
    home = ed.get(url).context["home"]
    assert len(shown) == len(set(shown)) == len(home.rows) >= 22
    assert [int(pk) for pk in shown] == [row.registration.pk for row in home.rows]
