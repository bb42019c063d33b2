"""The appeal and complaint pages: every page and form × every role (the house role matrix),
bad input that changes nothing, a bad cursor, and a query count that does not grow."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assay.appeals.models import Appeal, Complaint
from assay.appeals.services import appeal_lodge, complaint_record
from assay.portfolios.assessment import criterion_judge
from assay.portfolios.models import Decision
from assay.records.models import ChainRecord
from tests.web.role_matrix import SEES_DAN, Endpoint, expect, statuses
from tests.world import ROLES, World

pytestmark = pytest.mark.django_db

CANDIDATE = {"candidate-self"}
OVERSEERS = {"lead-iqa", "centre-admin", "ev-assigned"}
# An appeal is between the candidate and the centre: the candidate's employer sees none.
SEES_APPEALS = SEES_DAN - {"employer-of-candidate"}
AT_NORTH = set(ROLES) - {"anonymous", "admin-other-centre", "ev-not-assigned"}


@pytest.fixture
def world(module_world: World, db: None) -> World:
    return module_world


def judgement(w: World) -> Decision:
    """Alice judges Dan's 401 criterion 1.1 not yet met (inside the request's savepoint)."""
    return criterion_judge(
        by=w.user("alice"),
        registration=w.dan,
        unit="401",
        criterion="1.1",
        met=False,
        feedback="Show how you briefed the team",
    )


def lodged(w: World) -> Appeal:
    return appeal_lodge(
        by=w.user("dan"), registration=w.dan, decision=judgement(w), grounds="I did show it"
    )


def of_appeal(path: str = "") -> Callable[[World], str]:
    return lambda w: f"/registrations/{w.dan.pk}/appeals/{lodged(w).pk}/{path}"


def north(path: str) -> Callable[[World], str]:
    return lambda w: f"/centres/{w.north.pk}/{path}"


def new_appeal(w: World) -> str:
    return f"/registrations/{w.dan.pk}/appeals/new/{judgement(w).pk}"


REASONS = {"verdict": "dismissed", "reasons": "The observation shows no briefing"}
WHY = {"reason": "I changed my mind"}

ENDPOINTS: dict[str, Endpoint] = {
    "lodge form": Endpoint("get", new_appeal, expect(SEES_APPEALS, CANDIDATE, 200)),
    "lodge": Endpoint(
        "post", new_appeal, expect(SEES_APPEALS, CANDIDATE, 302), lambda w: {"grounds": "I did"}
    ),
    "appeals of a registration": Endpoint(
        "get",
        lambda w: f"/registrations/{w.dan.pk}/appeals/",
        expect(SEES_APPEALS, SEES_APPEALS, 200),
    ),
    "appeal page": Endpoint("get", of_appeal(), expect(SEES_APPEALS, SEES_APPEALS, 200)),
    "decide": Endpoint(
        "post",
        of_appeal("decide"),
        expect(SEES_APPEALS, {"assessor-assigned"}, 302),
        lambda w: REASONS,
    ),
    # An open appeal is not escalated: the candidate is told so (400), others are refused.
    "escalate": Endpoint(
        "post", of_appeal("escalate"), expect(SEES_APPEALS, CANDIDATE, 400), lambda w: WHY
    ),
    "withdraw confirm": Endpoint(
        "get", of_appeal("withdraw"), expect(SEES_APPEALS, CANDIDATE, 200)
    ),
    "withdraw": Endpoint(
        "post", of_appeal("withdraw"), expect(SEES_APPEALS, CANDIDATE, 302), lambda w: WHY
    ),
    "centre appeals": Endpoint("get", north("appeals/"), expect(AT_NORTH, OVERSEERS, 200)),
    "complaint form": Endpoint("get", north("complaints/new"), expect(AT_NORTH, AT_NORTH, 200)),
    "complain": Endpoint(
        "post",
        north("complaints/new"),
        expect(AT_NORTH, AT_NORTH, 302),
        lambda w: {"text": "Nobody answers the phone"},
    ),
}


@pytest.mark.parametrize("name", ENDPOINTS)
def test_role_matrix(world: World, name: str) -> None:
    endpoint = ENDPOINTS[name]
    assert statuses(world, endpoint) == endpoint.expected


def test_every_route_is_in_the_matrix() -> None:
    from assay.web.urls import appeals
    from tests.appeals.routes import APPEAL_ROUTES

    assert {str(p.pattern) for p in appeals.urlpatterns} == set(APPEAL_ROUTES)


def client(w: World, name: str) -> Client:
    c = Client()
    c.force_login(w.user(name))
    return c


def test_the_candidate_lodges_from_the_unit_page_and_the_assessor_dismisses(world: World) -> None:
    decision = judgement(world)
    dan = client(world, "dan")
    unit = dan.get(f"/registrations/{world.dan.pk}/units/401/").content.decode()
    link = f"/registrations/{world.dan.pk}/appeals/new/{decision.pk}"
    assert link in unit and "Appeal this decision" in unit
    assert link in dan.get(f"/registrations/{world.dan.pk}/portfolio/").content.decode()
    assert (
        link
        not in client(world, "alice")
        .get(f"/registrations/{world.dan.pk}/units/401/")
        .content.decode()
    )
    answer = dan.post(link, {"grounds": "\u200b"})
    assert answer.status_code == 400
    assert "blank or invisible characters are not a reason" in answer.content.decode()
    assert not Appeal.objects.exists()
    answer = dan.post(link, {"grounds": "I briefed them on 01/02"})
    appeal = Appeal.objects.get()
    assert answer["Location"] == f"/registrations/{world.dan.pk}/appeals/{appeal.pk}/"
    page = client(world, "alice").get(answer["Location"]).content.decode()
    assert "Decide the assessor review stage" in page
    assert "Withdraw this appeal" not in page
    before = ChainRecord.objects.count()
    alice = client(world, "alice")
    bad = alice.post(answer["Location"] + "decide", {"verdict": "dismissed", "reasons": "x\x00"})
    assert bad.status_code == 400 and ChainRecord.objects.count() == before
    alice.post(answer["Location"] + "decide", {"verdict": "dismissed", "reasons": "No briefing"})
    appeal.refresh_from_db()
    assert appeal.status == "dismissed"
    page = dan.get(answer["Location"]).content.decode()
    assert "Take it to the IQA review" in page and "No briefing" in page


def test_complaints_are_seen_by_the_ev_only_at_their_centre(world: World) -> None:
    complaint_record(by=world.user("dan"), centre=world.north, text="Nobody answers the phone")
    page = client(world, "eve").get(f"/centres/{world.north.pk}/appeals/").content.decode()
    assert "Nobody answers the phone" in page
    assert client(world, "evan").get(f"/centres/{world.north.pk}/appeals/").status_code == 404
    assert client(world, "alice").get(f"/centres/{world.north.pk}/appeals/").status_code == 403


def test_a_bad_cursor_answers_400(world: World) -> None:
    answer = client(world, "carol").get(f"/centres/{world.north.pk}/appeals/?cursor=nonsense")
    assert answer.status_code == 400
    answer = client(world, "carol").get(f"/centres/{world.north.pk}/appeals/?ccursor=nonsense")
    assert answer.status_code == 400


def many(w: World, n: int) -> None:
    """``n`` appeals (on as many judgements) and ``n`` complaints at Northgate."""
    for _ in range(n):
        lodged(w)
        complaint_record(by=w.user("dora"), centre=w.north, text="Too slow")


def test_the_list_reads_a_constant_number_of_queries(world: World) -> None:
    """3 appeals and complaints, then 30: the page reads as many queries (each appeal is on a
    new judgement of 1.1: every judgement is a decision of the chain and may be appealed)."""
    carol = client(world, "carol")
    counts = []
    for n, more in [(3, 3), (30, 27)]:
        many(world, more)
        assert Appeal.objects.count() == n and Complaint.objects.count() == n
        with CaptureQueriesContext(connection) as queries:
            answer = carol.get(f"/centres/{world.north.pk}/appeals/")
        assert answer.status_code == 200
        assert answer.content.decode().count("Too slow") == n
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_employer_reads_the_portfolio_but_no_appeals_link(world: World) -> None:
    """Ed (Dan's employer contact) follows the portfolio; the appeals are not his to read, so
    the page does not offer them, while Dan's own page does."""
    for who, shown in (("ed", False), ("dan", True)):
        client = Client()
        client.force_login(world.user(who))
        page = client.get(f"/registrations/{world.dan.pk}/portfolio/")
        assert page.status_code == 200
        assert (f"/registrations/{world.dan.pk}/appeals/" in page.content.decode()) is shown
