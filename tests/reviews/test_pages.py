"""The plans and reviews pages: every page and form × every role (the house role matrix),
the forms end to end, the exact text shown when signing, and a bounded query count."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from assay.files.digest import text_sha256
from assay.reviews.models import AssessmentPlan, PlannedActivity, ReviewSignature
from assay.reviews.services import plan_sign, plan_text
from tests.reviews.helpers import seed_plan
from tests.reviews.routes import REVIEW_ROUTES
from tests.web.role_matrix import SEES_DAN, Endpoint, expect, statuses
from tests.world import World

pytestmark = pytest.mark.django_db

SIGNERS = {"candidate-self", "assessor-assigned", "employer-of-candidate"}
ASSESSOR = {"assessor-assigned"}
HTMX = {"HX-Request": "true"}

FORM = {
    "kind": "plan",
    "met_on": "2013-02-28",
    "summary": "Start with unit 401",
    "next_review_on": "2013-05-01",
    "description": ["Observe the team briefing", "Discuss the returns policy"],
    "method": ["observation", "professional_discussion"],
    "targets": ["401:1.1, 401:1.2", "401:2.1"],
    "target_date": ["2013-04-30", "2013-05-31"],
}


def the_plan(w: World) -> AssessmentPlan:
    return AssessmentPlan.objects.get(registration=w.dan)


def reviews(path: str = "") -> Callable[[World], str]:
    return lambda w: f"/registrations/{w.dan.pk}/reviews/{path}"


def of_plan(path: str) -> Callable[[World], str]:
    return lambda w: f"/registrations/{w.dan.pk}/reviews/{the_plan(w).pk}/{path}"


def sign_as(capacity: str) -> Callable[[World], dict[str, Any]]:
    return lambda w: {"capacity": capacity, "text_sha256": text_sha256(plan_text(the_plan(w)))}


ENDPOINTS: dict[str, Endpoint] = {
    "reviews page": Endpoint("get", reviews(), expect(SEES_DAN, SEES_DAN, 200)),
    "activity row": Endpoint(
        "get", reviews("activity-row"), expect(SEES_DAN, ASSESSOR, 200), headers=HTMX
    ),
    "record plan": Endpoint(
        "post", reviews("new"), expect(SEES_DAN, ASSESSOR, 302), lambda w: FORM
    ),
    "edit page": Endpoint("get", of_plan("edit"), expect(SEES_DAN, ASSESSOR, 200)),
    "edit plan": Endpoint("post", of_plan("edit"), expect(SEES_DAN, ASSESSOR, 302), lambda w: FORM),
    "sign page": Endpoint("get", of_plan("sign"), expect(SEES_DAN, SIGNERS, 200)),
    "sign as candidate": Endpoint(
        "post", of_plan("sign"), expect(SEES_DAN, {"candidate-self"}, 302), sign_as("candidate")
    ),
    "sign as assessor": Endpoint(
        "post", of_plan("sign"), expect(SEES_DAN, ASSESSOR, 302), sign_as("assessor")
    ),
    "sign as employer": Endpoint(
        "post",
        of_plan("sign"),
        expect(SEES_DAN, {"employer-of-candidate"}, 302),
        sign_as("employer"),
    ),
    "mark activity done": Endpoint(
        "post",
        lambda w: (
            f"/registrations/{w.dan.pk}/reviews/activities/{the_plan(w).activities.get().pk}/done"
        ),
        expect(SEES_DAN, ASSESSOR, 302),
        lambda w: {"completed_on": "2013-03-01"},
    ),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_role_matrix(world: World, name: str) -> None:
    seed_plan(world)
    endpoint = ENDPOINTS[name]
    assert statuses(world, endpoint) == endpoint.expected


def test_every_review_route_is_in_the_matrix() -> None:
    from assay.web.urls import urlpatterns

    routes = {str(p.pattern) for p in urlpatterns if "/reviews/" in str(p.pattern)}
    assert routes == set(REVIEW_ROUTES)
    assert len(ENDPOINTS) >= len(REVIEW_ROUTES)


def login(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.user(name))
    return client


def test_the_portfolio_links_to_the_plans(world: World) -> None:
    page = login(world, "dan").get(f"/registrations/{world.dan.pk}/portfolio/")
    assert f'href="/registrations/{world.dan.pk}/reviews/"' in page.content.decode()
    assert "Assessment plans and reviews" in page.content.decode()


def test_the_assessor_records_a_plan_through_the_form(world: World) -> None:
    client = login(world, "alice")
    response = client.post(f"/registrations/{world.dan.pk}/reviews/new", FORM, follow=True)
    assert response.status_code == 200
    plan = AssessmentPlan.objects.get()
    assert [(a.description, a.targets) for a in plan.activities.all()] == [
        ("Observe the team briefing", ["401:1.1", "401:1.2"]),
        ("Discuss the returns policy", ["401:2.1"]),
    ]
    body = response.content.decode()
    assert "Assessment plan of 28/02/2013 recorded." in body
    assert "Observe the team briefing" in body and "Not signed yet." in body


def test_a_late_target_date_is_refused_on_the_page_and_nothing_is_saved(
    world: World, page_text: Any
) -> None:
    client = login(world, "alice")
    late = {**FORM, "target_date": ["2014-09-04", "2013-05-31"]}
    response = client.post(f"/registrations/{world.dan.pk}/reviews/new", late)
    assert response.status_code == 400
    text = page_text(response)
    assert "Nothing was changed." in text
    assert (
        "Activity 1: target date 04/09/2014 is after the registration's end date 03/09/2014" in text
    )
    assert AssessmentPlan.objects.count() == 0 and PlannedActivity.objects.count() == 0


def test_a_row_that_does_not_parse_is_refused(world: World) -> None:
    client = login(world, "alice")
    response = client.post(
        f"/registrations/{world.dan.pk}/reviews/new",
        {**FORM, "target_date": ["someday", "2013-05-31"]},
    )
    assert response.status_code == 400 and AssessmentPlan.objects.count() == 0


def test_htmx_adds_an_empty_activity_row(world: World) -> None:
    response = login(world, "alice").get(
        f"/registrations/{world.dan.pk}/reviews/activity-row", headers=HTMX
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'name="targets"' in body and 'name="target_date"' in body


def test_the_sign_page_shows_the_exact_text_and_signing_keeps_its_hash(
    world: World, page_text: Any
) -> None:
    plan = seed_plan(world)
    text = plan_text(plan)
    client = login(world, "dan")
    page = client.get(f"/registrations/{world.dan.pk}/reviews/{plan.pk}/sign")
    assert f'<pre class="signed-text">{text}</pre>' in page_text(page)
    assert text_sha256(text) in page.content.decode()
    response = client.post(
        f"/registrations/{world.dan.pk}/reviews/{plan.pk}/sign",
        {"capacity": "candidate", "text_sha256": text_sha256(text)},
        headers={"User-Agent": "Test browser"},
        REMOTE_ADDR="192.0.2.5",
    )
    assert response.status_code == 302
    sig = ReviewSignature.objects.get()
    assert (sig.text_sha256, sig.ip_address, sig.user_agent) == (
        text_sha256(text),
        "192.0.2.5",
        "Test browser",
    )
    again = client.post(
        f"/registrations/{world.dan.pk}/reviews/{plan.pk}/sign",
        {"capacity": "candidate", "text_sha256": text_sha256(text)},
    )
    assert again.status_code == 400
    assert "Already signed as candidate" in page_text(again)
    assert ReviewSignature.objects.count() == 1


def test_a_stale_sign_page_signs_nothing(world: World, page_text: Any) -> None:
    plan = seed_plan(world)
    response = login(world, "dan").post(
        f"/registrations/{world.dan.pk}/reviews/{plan.pk}/sign",
        {"capacity": "candidate", "text_sha256": "0" * 64},
    )
    assert response.status_code == 400
    assert "The plan changed since you read it" in page_text(response)
    assert ReviewSignature.objects.count() == 0


def test_a_signed_plan_cannot_be_changed_through_the_page(world: World, page_text: Any) -> None:
    plan = seed_plan(world)
    plan_sign(by=world.user("ed"), plan=plan, capacity="employer")
    client = login(world, "alice")
    page = client.get(f"/registrations/{world.dan.pk}/reviews/")
    assert f"/reviews/{plan.pk}/edit" not in page.content.decode()
    response = client.post(f"/registrations/{world.dan.pk}/reviews/{plan.pk}/edit", FORM)
    assert response.status_code == 400
    assert "signed and its text is frozen" in page_text(response)
    plan.refresh_from_db()
    assert plan.summary == "Observe and question on 401" and plan.activities.count() == 1


def test_the_page_shows_progress_between_reviews(world: World, page_text: Any) -> None:
    from assay.portfolios.assessment import criterion_judge, mapping_decide

    seed_plan(world)
    mapping_decide(by=world.user("alice"), mapping=world.mapping, confirm=True)
    criterion_judge(
        by=world.user("alice"), registration=world.dan, unit="401", criterion="1.1", met=True
    )
    seed_plan(world, kind="review", met_on=dt.date(2013, 3, 1))
    text = page_text(login(world, "ed").get(f"/registrations/{world.dan.pk}/reviews/"))
    assert "Progress since the previous record" in text
    assert '<th scope="row">401</th><td>0/29</td><td>1/29</td><td>1</td><td>no</td>' in text


@pytest.mark.parametrize("plans", [2, 20])
def test_the_page_reads_a_bounded_number_of_queries(
    world: World, plans: int, django_assert_max_num_queries: Any
) -> None:
    for n in range(plans):
        plan = seed_plan(world, kind="plan" if n == 0 else "review")
        plan_sign(by=world.user("dan"), plan=plan, capacity="candidate")
    client = login(world, "alice")
    with django_assert_max_num_queries(20):
        response = client.get(f"/registrations/{world.dan.pk}/reviews/")
    assert response.status_code == 200
    assert response.content.decode().count('class="review-card"') == plans


def test_the_query_count_does_not_grow_with_the_plans(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(world, "alice")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/registrations/{world.dan.pk}/reviews/").status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        seed_plan(world)
    two = count()
    for _ in range(18):
        seed_plan(world)
    assert count() == two, two
