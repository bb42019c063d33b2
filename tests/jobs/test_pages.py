"""The list of one's own background jobs: newest first, paged, only one's own, a bounded
number of queries whatever the number of jobs."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from assay.jobs.models import Kind
from assay.jobs.services import job_create

pytestmark = pytest.mark.django_db


def signed_in(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_list_shows_only_my_jobs_newest_first_in_pages(
    django_user_model: Any, django_assert_max_num_queries: Any
) -> None:
    alice = django_user_model.objects.create_user("alice")
    bob = django_user_model.objects.create_user("bob")
    for n in range(30):
        job_create(kind=Kind.PORTFOLIO_ZIP, title=f"Alice's export {n}", by=alice)
    job_create(kind=Kind.AUDIT_REPORT, title="Bob's report", by=bob)
    client = signed_in(alice)
    with django_assert_max_num_queries(6):
        page = client.get("/jobs/?size=10").content.decode()
    titles = re.findall(r"Alice&#x27;s export (\d+)", page)
    assert titles == [str(n) for n in range(29, 19, -1)] and "Bob" not in page
    following = re.search(r'href="([^"]+)" rel="next"', page)
    assert following
    link = following.group(1).replace("&amp;", "&")
    second = client.get(link if link.startswith("/") else f"/jobs/{link}").content.decode()
    assert re.findall(r"Alice&#x27;s export (\d+)", second)[0] == "19"
    assert (
        'id="jobs-none"'
        in signed_in(django_user_model.objects.create_user("cy")).get("/jobs/").content.decode()
    )
    anonymous = Client().get("/jobs/")
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]


def test_the_signed_in_navigation_links_to_my_jobs(django_user_model: Any) -> None:
    page = signed_in(django_user_model.objects.create_user("alice")).get("/jobs/")
    assert '<a href="/jobs/" aria-current="page">Jobs</a>' in page.content.decode()
    assert 'href="/jobs/"' not in Client().get("/catalogue/").content.decode()  # visitors: none
