"""The centre's EQA page: what each reader sees, the EV's forms with their confirmation step,
bad input changing nothing, and a constant number of queries whatever the visits."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assay.eqa.models import ActionPoint, Sanction, Visit
from tests.eqa.helpers import REASON, apply, planned, visit
from tests.world import World

pytestmark = pytest.mark.django_db


def client_for(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.user(name))
    return client


def url(world: World, path: str = "") -> str:
    return f"/centres/{world.north.pk}/eqa/{path}"


def test_centre_reads_and_marks_done_without_ev_forms(world: World, page_text) -> None:  # type: ignore[no-untyped-def]
    v = visit(world)
    apply(world, "action_plan")
    for name in ("carol", "linda"):
        body = page_text(client_for(world, name).get(url(world)))
        assert "Portfolios of Dan and Dora, unit 401" in body
        assert "Sample 401 again" in body and REASON in body
        assert "Mark done" in body
        assert "Record the visit" not in body and "Apply a sanction" not in body
        assert "Direct claims status: not granted" in body
    (point,) = v.action_points.all()
    response = client_for(world, "linda").post(url(world, f"action-points/{point.pk}/done"))
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.done_by == world.user("linda")


def test_ev_sees_forms(world: World, page_text) -> None:  # type: ignore[no-untyped-def]
    body = page_text(client_for(world, "eve").get(url(world)))
    assert "Record the visit" in body and "Apply a sanction" in body
    assert "Mark done" not in body


def test_ev_records_a_visit_with_action_points(world: World) -> None:
    response = client_for(world, "eve").post(
        url(world, "visits"),
        {
            "on": "2013-02-20",
            "mode": "remote",
            "status": "done",
            "sample_request": "Unit 401 decisions",
            "findings": "Sound",
            "risk": "low",
            "risk_reasons": "Consistent decisions",
            "point1_text": "Update the sampling plan",
            "point1_owner": "linda",
            "point1_due_on": "2013-04-01",
        },
    )
    assert response.status_code == 302
    (v,) = Visit.objects.all()
    assert (v.mode, v.risk, v.verifier) == ("remote", "low", world.user("eve"))
    assert v.action_points.get().owner == world.user("linda")


def test_bad_visit_changes_nothing(world: World, page_text) -> None:  # type: ignore[no-untyped-def]
    response = client_for(world, "eve").post(
        url(world, "visits"),
        {
            "on": "2913-02-20",
            "mode": "remote",
            "status": "done",
            "findings": "Sound",
            "risk": "low",
            "risk_reasons": "\u200b",
            "point1_text": "Something",
            "point1_owner": "linda",
            "point1_due_on": "2013-04-01",
        },
    )
    assert response.status_code == 400
    body = page_text(response)
    assert "more than two years ahead" in body and "not a reason" in body
    assert Visit.objects.count() == ActionPoint.objects.count() == 0


def test_apply_asks_for_confirmation_then_applies(world: World, page_text) -> None:  # type: ignore[no-untyped-def]
    eve = client_for(world, "eve")
    data = {
        "level": "registrations_suspended",
        "qualification_code": "",
        "applied_on": "2013-02-01",
        "reason": REASON,
    }
    first = eve.post(url(world, "sanctions"), data)
    assert first.status_code == 200
    body = page_text(first)
    assert "It refuses new registrations and certification claims" in body
    assert Sanction.objects.count() == 0
    second = eve.post(url(world, "sanctions"), {**data, "confirm": "on"})
    assert second.status_code == 302
    (s,) = Sanction.objects.all()
    assert (s.level, s.applied_by, s.reason) == (
        "registrations_suspended",
        world.user("eve"),
        REASON,
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"reason": "   "},
        {"reason": "\u200b"},
        {"applied_on": "1013-02-01"},
        {"applied_on": "2613-02-01"},
        {"level": "nope"},
    ],
)
def test_bad_sanction_changes_nothing_even_confirmed(world: World, changes: dict) -> None:
    data = {
        "level": "registrations_suspended",
        "qualification_code": "",
        "applied_on": "2013-02-01",
        "reason": REASON,
        "confirm": "on",
        **changes,
    }
    response = client_for(world, "eve").post(url(world, "sanctions"), data)
    assert response.status_code == 400
    assert Sanction.objects.count() == 0


def test_lift_asks_for_confirmation_then_lifts(world: World, page_text) -> None:  # type: ignore[no-untyped-def]
    s = apply(world)
    eve = client_for(world, "eve")
    data = {f"lift-{s.pk}-lifted_on": "2013-02-20", f"lift-{s.pk}-reason": "Records found"}
    first = eve.post(url(world, f"sanctions/{s.pk}/lift"), data)
    assert first.status_code == 200 and "no longer blocks anything" in page_text(first)
    s.refresh_from_db()
    assert s.lifted_on is None
    blank = eve.post(
        url(world, f"sanctions/{s.pk}/lift"),
        {**data, f"lift-{s.pk}-reason": " ", f"lift-{s.pk}-confirm": "on"},
    )
    assert blank.status_code == 400
    s.refresh_from_db()
    assert s.lifted_on is None
    done = eve.post(url(world, f"sanctions/{s.pk}/lift"), {**data, f"lift-{s.pk}-confirm": "on"})
    assert done.status_code == 302
    s.refresh_from_db()
    assert (s.lifted_on, s.lift_reason) == (dt.date(2013, 2, 20), "Records found")


def test_another_centres_sanction_and_point_answer_404(world: World) -> None:
    s = apply(world)
    (point,) = visit(world).action_points.all()
    # Sue administers Southgate: she cannot reach Northgate's records through her own centre.
    sue = client_for(world, "sue")
    south = f"/centres/{world.south.pk}/eqa/"
    assert sue.get(south).status_code == 200
    assert sue.post(south + f"action-points/{point.pk}/done").status_code == 404
    assert (
        client_for(world, "evan")
        .post(
            f"{south}sanctions/{s.pk}/lift",
            {
                f"lift-{s.pk}-lifted_on": "2013-02-20",
                f"lift-{s.pk}-reason": "x",
                f"lift-{s.pk}-confirm": "on",
            },
        )
        .status_code
        == 404
    )
    s.refresh_from_db()
    point.refresh_from_db()
    assert s.lifted_on is None and point.done_at is None


def _visits(world: World, n: int) -> None:
    """Half done with an action point, half planned (each with its findings form)."""
    for i in range(n):
        day = dt.date(2012, 1, 1) + dt.timedelta(days=i)
        if i % 2:
            planned(world, on=day)
        else:
            visit(world, on=day)


def test_constant_queries_at_3_and_30_visits(world: World) -> None:
    apply(world)
    eve, carol = client_for(world, "eve"), client_for(world, "carol")
    eve.get(url(world))  # warm the session
    carol.get(url(world))
    _visits(world, 3)
    counts = []
    for client in (eve, carol):
        with CaptureQueriesContext(connection) as small:
            assert client.get(url(world)).status_code == 200
        counts.append(len(small))
    _visits(world, 27)
    for n, client in enumerate((eve, carol)):
        with CaptureQueriesContext(connection) as large:
            assert client.get(url(world)).status_code == 200
        assert len(large) == counts[n], [q["sql"] for q in large.captured_queries]


def test_dashboard_links_the_eqa_page_for_its_readers_only(world: World) -> None:
    link = url(world)
    for name in ("carol", "linda", "eve"):
        assert link in client_for(world, name).get(f"/centres/{world.north.pk}/").content.decode()
    for name in ("tom", "alice", "ian"):
        assert (
            link not in client_for(world, name).get(f"/centres/{world.north.pk}/").content.decode()
        )


def _confirm_fields(body: str) -> dict[str, str]:
    """The hidden fields the confirmation page posts back (the CSRF token aside)."""
    import html
    import re

    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', body)
    return {name: html.unescape(value) for name, value in found if name != "csrfmiddlewaretoken"}


def test_the_confirmation_page_posts_back_what_was_entered(world: World) -> None:
    eve = client_for(world, "eve")
    reason = 'Records <missing> & "late"\nfor 12 candidates'
    first = eve.post(
        url(world, "sanctions"),
        {
            "level": "approval_withdrawn",
            "qualification_code": "4430-04",
            "applied_on": "2013-02-01",
            "reason": reason,
        },
    )
    fields = _confirm_fields(first.content.decode())
    assert set(fields) == {"level", "qualification_code", "applied_on", "reason"}
    assert eve.post(url(world, "sanctions"), {**fields, "confirm": "on"}).status_code == 302
    s = Sanction.objects.get()
    assert (s.level, s.qualification_code, s.applied_on) == (
        "approval_withdrawn",
        "4430-04",
        dt.date(2013, 2, 1),
    )
    assert s.reason == reason.strip()
    lift = eve.post(
        url(world, f"sanctions/{s.pk}/lift"),
        {f"lift-{s.pk}-lifted_on": "2013-02-20", f"lift-{s.pk}-reason": "Found"},
    )
    fields = _confirm_fields(lift.content.decode())
    assert set(fields) == {f"lift-{s.pk}-lifted_on", f"lift-{s.pk}-reason"}
    done = eve.post(url(world, f"sanctions/{s.pk}/lift"), {**fields, f"lift-{s.pk}-confirm": "on"})
    assert done.status_code == 302
    s.refresh_from_db()
    assert s.lifted_on == dt.date(2013, 2, 20)


def test_ev_records_the_findings_of_a_planned_visit(world: World, page_text) -> None:  # type: ignore[no-untyped-def]
    v = planned(world)
    eve = client_for(world, "eve")
    assert "Record the findings of this visit" in page_text(eve.get(url(world)))
    p = f"findings-{v.pk}-"
    bad = eve.post(
        url(world, f"visits/{v.pk}/findings"), {p + "findings": "Sound", p + "risk": "low"}
    )
    assert bad.status_code == 400 and "not a reason" in page_text(bad)
    v.refresh_from_db()
    assert v.status == "planned"
    done = eve.post(
        url(world, f"visits/{v.pk}/findings"),
        {
            p + "findings": "Sound",
            p + "risk": "medium",
            p + "risk_reasons": "Thin sampling",
            p + "point1_text": "Sample more",
            p + "point1_owner": "linda",
            p + "point1_due_on": "2013-04-01",
        },
    )
    assert done.status_code == 302
    v.refresh_from_db()
    assert (v.status, v.risk) == ("done", "medium")
    assert v.action_points.get().owner == world.user("linda")
