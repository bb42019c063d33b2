"""The IQA pages: the IV reads an allocated registration, the queue is paged in constant
queries, action required asks to confirm before it reopens, a draw asks to confirm."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assay.portfolios.models import Decision, DecisionKind
from assay.portfolios.records import unit_signed_off
from assay.verification.models import SampleDraw, SamplePick, Verification
from tests.verification.helpers import drawn, pick_403, sign_off_403
from tests.world import World

pytestmark = pytest.mark.django_db


def signed_in(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.user(name))
    return client


def test_an_allocated_iv_reads_the_portfolio_and_unit(world: World) -> None:
    sign_off_403(world)
    iris = signed_in(world, "iris")  # an IV at Northgate, not Dan's
    portfolio = f"/registrations/{world.dan.pk}/portfolio/"
    unit = f"/registrations/{world.dan.pk}/units/403/"
    assert iris.get(portfolio).status_code == 404
    assert iris.get(unit).status_code == 404
    pick = pick_403(drawn(world))
    SamplePick.objects.filter(pk=pick.pk).update(verifier=world.user("iris"))
    assert iris.get(portfolio).status_code == 200
    assert iris.get(unit).status_code == 200
    page = iris.get(f"/iqa/picks/{pick.pk}/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "trainee assessor" in body and f"/registrations/{world.dan.pk}/units/403/" in body
    assert "Unit signed off" in body
    # Arthur (an assessor, no IV role) allocated the pick by hand still reads nothing.
    SamplePick.objects.filter(pk=pick.pk).update(verifier=world.user("arthur"))
    arthur = signed_in(world, "arthur")
    assert arthur.get(portfolio).status_code == 404
    assert arthur.get(f"/iqa/picks/{pick.pk}/").status_code == 404


def test_action_required_asks_to_confirm_then_reopens(world: World) -> None:
    sign_off_403(world)
    pick = pick_403(drawn(world))
    iv = type(world.user("ian")).objects.get(pk=pick.verifier_id)
    client = Client()
    client.force_login(iv)
    form = {"outcome": "action_required", "feedback": "Redo 2.3", "due_on": "2013-03-20"}
    before = Decision.objects.count()
    asked = client.post(f"/iqa/picks/{pick.pk}/verify", form)
    assert asked.status_code == 200 and "Confirm: action required" in asked.content.decode()
    assert Decision.objects.count() == before and unit_signed_off(world.dan, "403")
    done = client.post(f"/iqa/picks/{pick.pk}/verify", {**form, "confirmed": "on"})
    assert done.status_code == 302
    assert not unit_signed_off(world.dan, "403")
    assert Verification.objects.get().outcome == "action_required"
    # Still in the queue (action required), shown so.
    queue = client.get("/iqa/").content.decode()
    assert "action required" in queue and f"/iqa/picks/{pick.pk}/" in queue


def test_the_plan_page_says_each_picks_status_in_words(world: World) -> None:
    """The lead IQA's plan read "action_required" (the stored value) where the queue says
    "action required"; now both say it in words, and an agreed pick says "agreed"."""
    sign_off_403(world)
    pick = pick_403(drawn(world))
    linda = signed_in(world, "linda")
    plan = f"/centres/{world.north.pk}/iqa/"
    row = re.compile(rf'href="/iqa/picks/{pick.pk}/".*?</tr>', re.S)

    def status() -> str:
        found = row.search(linda.get(plan).content.decode())
        assert found is not None
        return found.group(0)

    assert "to verify" in status()
    form = {"outcome": "action_required", "feedback": "Redo 2.3", "due_on": "2013-03-20"}
    linda.post(f"/iqa/picks/{pick.pk}/verify", {**form, "confirmed": "on"})
    assert ">action required<" in status() and "action_required" not in status()
    linda.post(f"/iqa/picks/{pick.pk}/verify", {"outcome": "agree", "feedback": "Sound"})
    assert ">agreed<" in status()


def test_blank_feedback_is_refused_on_the_page(world: World) -> None:
    sign_off_403(world)
    pick = pick_403(drawn(world))
    client = signed_in(world, "linda")
    before = Decision.objects.count()
    answer = client.post(f"/iqa/picks/{pick.pk}/verify", {"outcome": "agree", "feedback": "\u200b"})
    assert answer.status_code == 400
    assert "invisible characters are not a reason" in answer.content.decode()
    assert Decision.objects.count() == before and not Verification.objects.exists()


def test_draw_asks_to_confirm(world: World) -> None:
    sign_off_403(world)
    client = signed_in(world, "linda")
    form = {
        "qualification": "4430-04",
        "period_start": "2012-03-02",
        "period_end": "2013-03-01",
        "seed": "5",
    }
    url = f"/centres/{world.north.pk}/iqa/draw"
    asked = client.post(url, form)
    assert asked.status_code == 200 and "Confirm: draw the sample" in asked.content.decode()
    assert not SampleDraw.objects.exists()
    assert client.post(url, {**form, "confirmed": "on"}).status_code == 302
    row = SampleDraw.objects.get()
    assert row.seed == 5
    page = client.get(f"/centres/{world.north.pk}/iqa/").content.decode()
    assert "trainee assessor" in page and "Gaps" in page and "badge-ok" in page
    bad = client.post(url, {**form, "period_end": "2011-01-01", "confirmed": "on"})
    assert bad.status_code == 400 and SampleDraw.objects.count() == 1


def many_picks(world: World, n: int) -> None:
    row = SampleDraw.objects.create(
        centre=world.north,
        qualification_code="4430-04",
        period_start=dt.date(2012, 3, 2),
        period_end=dt.date(2013, 3, 1),
        seed=1,
        drawn_by=world.user("linda"),
    )
    SamplePick.objects.bulk_create(
        SamplePick(
            draw=row,
            position=i,
            registration=world.dan if i % 2 else world.dora,
            unit_number=f"u{i}",
            assessor=world.user("alice"),
            stage="summative",
            dimension="assessor",
            reasons=["r"],
            verifier=world.user("ian"),
            due_on=dt.date(2013, 3, 1) + dt.timedelta(days=i),
        )
        for i in range(n)
    )


def queries_for(client: Client, url: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as seen:
        answer = client.get(url)
    assert answer.status_code == 200, answer.content
    return len(seen), answer


@pytest.mark.parametrize("url", ["/iqa/", "/api/v1/iqa/queue?size=50"])
def test_queue_queries_do_not_grow(world: World, url: str) -> None:
    client = signed_in(world, "ian")
    many_picks(world, 3)
    small, _ = queries_for(client, url)
    SamplePick.objects.all().delete()
    SampleDraw.objects.all().delete()
    many_picks(world, 30)
    large, answer = queries_for(client, url)
    assert small == large, (small, large)
    if "api" in url:
        items = answer.json()["items"]
        assert len(items) == 30
        assert [i["due_on"] for i in items] == sorted(i["due_on"] for i in items)


def test_queue_pages_and_bad_cursor(world: World) -> None:
    client = signed_in(world, "ian")
    many_picks(world, 5)
    first = client.get("/api/v1/iqa/queue?size=2").json()
    second = client.get(f"/api/v1/iqa/queue?size=2&cursor={first['next']}").json()
    assert [i["unit"] for i in first["items"] + second["items"]] == ["u0", "u1", "u2", "u3"]
    assert client.get("/iqa/?cursor=nonsense").status_code == 400
    answer = client.get("/api/v1/iqa/queue?cursor=nonsense")
    assert answer.status_code == 400 and answer.json()["error"]["code"] == "bad_request"
    # Iris sees none of Ian's picks.
    assert signed_in(world, "iris").get("/api/v1/iqa/queue").json()["items"] == []


def test_the_unit_verified_kind_reads_on_the_pick_page(world: World) -> None:
    sign_off_403(world)
    pick = pick_403(drawn(world))
    client = signed_in(world, "linda")
    client.post(f"/iqa/picks/{pick.pk}/verify", {"outcome": "agree", "feedback": "Sound"})
    assert Decision.objects.filter(kind=DecisionKind.UNIT_VERIFIED).count() == 1
    body = client.get(f"/iqa/picks/{pick.pk}/").content.decode()
    assert "IQA agree — Sound" in body and "Record the verification" not in body


def test_links_to_the_iqa_pages(world: World) -> None:
    home = signed_in(world, "ian").get("/iqa/").content.decode()
    assert 'href="/iqa/"' in home
    assert 'href="/iqa/"' not in signed_in(world, "alice").get("/caseload/").content.decode()
    iqa_link = f'href="/centres/{world.north.pk}/iqa/"'
    assert iqa_link in signed_in(world, "linda").get(f"/centres/{world.north.pk}/").content.decode()
    assert (
        iqa_link not in signed_in(world, "tom").get(f"/centres/{world.north.pk}/").content.decode()
    )


def test_a_stale_page_says_so(world: World) -> None:
    sign_off_403(world)
    pick = pick_403(drawn(world))
    form = {"outcome": "agree", "feedback": "Sound", "expected_seq": "1"}
    answer = signed_in(world, "linda").post(f"/iqa/picks/{pick.pk}/verify", form)
    assert answer.status_code == 400
    assert "Someone else changed this unit; reload" in answer.content.decode()
    assert not Verification.objects.exists()


def test_the_centre_plan_pages_its_picks_in_the_same_queries(world: World) -> None:
    """The lead IQA's page reads the newest draw (its gaps and coverage stored with it) and
    one page of its picks: the same queries for 3 and 30 picks, each pick once across pages."""
    client = signed_in(world, "linda")
    url = f"/centres/{world.north.pk}/iqa/?picks_size=4"
    many_picks(world, 3)
    small, _ = queries_for(client, url)
    SamplePick.objects.all().delete()
    SampleDraw.objects.all().delete()
    many_picks(world, 30)
    large, answer = queries_for(client, url)
    assert small == large, (small, large)
    seen: list[str] = []
    while True:
        text = answer.content.decode()
        seen += re.findall(r">(u\d+)</a>", text)
        found = re.search(r'href="\?([^"]+)" rel="next"', text)
        if not found:
            break
        answer = client.get(
            f"/centres/{world.north.pk}/iqa/?" + found.group(1).replace("&amp;", "&")
        )
        assert answer.status_code == 200
    assert seen == [f"u{i}" for i in range(30)]


def test_a_bad_picks_cursor_is_refused_plainly(world: World) -> None:
    many_picks(world, 3)
    answer = signed_in(world, "linda").get(f"/centres/{world.north.pk}/iqa/?picks=forged")
    assert answer.status_code == 400
    assert "page link is not valid" in answer.content.decode()
