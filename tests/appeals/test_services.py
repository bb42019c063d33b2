"""Appeals through the services: the walk to a reopened unit, refusals that change nothing,
the windows, complaints, and ``records verify`` naming an edited row."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from assay.appeals.models import Appeal, Complaint
from assay.appeals.services import (
    appeal_decide,
    appeal_escalate,
    appeal_lodge,
    appeal_withdraw,
    complaint_record,
)
from assay.errors import InvalidInput, NotAllowed
from assay.notifications.models import Notification
from assay.portfolios.assessment import criterion_judge, span_record, unit_sign_off
from assay.portfolios.models import Decision, DecisionKind
from assay.portfolios.records import chains_verify, unit_signed_off
from assay.records.models import ChainRecord
from assay.records.services import records_verify
from tests.portfolios.helpers import CRITERIA_403, ready_portfolio

pytestmark = pytest.mark.django_db


def signed_off(w: dict[str, Any]) -> Decision:
    reg = w["reg"]
    ready_portfolio(w)
    for number in CRITERIA_403:
        criterion_judge(by=w["alice"], registration=reg, unit="403", criterion=number, met=True)
    span_record(by=w["alice"], registration=reg, unit="403", sufficient_days=42)
    return unit_sign_off(by=w["alice"], registration=reg, unit="403")


def on(settings: Any, day: str) -> None:
    settings.ASSAY_TODAY = day


def lodge(w: dict[str, Any], decision: Decision) -> Appeal:
    return appeal_lodge(
        by=w["dan"], registration=w["reg"], decision=decision, grounds="My evidence covers 3.4"
    )


def test_the_walk_to_a_reopened_unit(world: dict[str, Any], settings: Any) -> None:
    w = world
    sign_off = signed_off(w)
    appeal = lodge(w, sign_off)
    assert (appeal.stage, appeal.status, appeal.due_on) == (
        "assessor_review",
        "open",
        dt.date(2013, 3, 15),
    )
    assert Notification.objects.filter(recipient=w["alice"], kind="appeal_waiting").exists()
    on(settings, "2013-03-05")
    appeal_decide(by=w["alice"], appeal=appeal, upheld=False, reasons="The span is right")
    appeal.refresh_from_db()
    assert (appeal.status, appeal.due_on) == ("dismissed", dt.date(2013, 3, 19))
    assert Notification.objects.filter(recipient=w["dan"], kind="appeal_decided").exists()
    on(settings, "2013-03-06")
    appeal_escalate(by=w["dan"], appeal=appeal, reason="Alice did not read item 2")
    appeal.refresh_from_db()
    assert (appeal.stage, appeal.status) == ("iqa_review", "open")
    assert Notification.objects.filter(recipient=w["lena"], kind="appeal_waiting").exists()
    assert not Notification.objects.filter(
        recipient=w["alice"], kind="appeal_waiting", text__contains="IQA"
    ).exists()
    on(settings, "2013-03-08")
    appeal_decide(by=w["lena"], appeal=appeal, upheld=True, reasons="Item 2 was missed")
    appeal.refresh_from_db()
    assert (appeal.stage, appeal.status, appeal.due_on) == ("iqa_review", "upheld", None)
    reg = w["reg"]
    assert not unit_signed_off(reg, "403")
    reopened = Decision.objects.filter(registration=reg).order_by("-seq").first()
    assert reopened is not None and reopened.kind == DecisionKind.UNIT_REOPENED
    assert reopened.payload["reason"] == (
        f"appeal {appeal.pk} upheld at IQA review: Item 2 was missed"
    )
    assert Notification.objects.filter(recipient=w["dan"], kind="unit_reopened").exists()
    assert all(v.ok for _, v in chains_verify(reg.pk))
    assert records_verify().problems == []
    kinds = list(
        ChainRecord.objects.filter(chain=f"appeal:{appeal.pk}")
        .order_by("seq")
        .values_list("kind", flat=True)
    )
    assert kinds == ["lodged", "decided", "escalated", "decided"]


def test_an_edited_appeal_row_is_named_by_verify(world: dict[str, Any]) -> None:
    appeal = lodge(world, signed_off(world))
    assert records_verify().problems == []
    Appeal.objects.filter(pk=appeal.pk).update(status="upheld", due_on=dt.date(2013, 9, 1))
    found = [p.message for p in records_verify().problems]
    assert f"appeal {appeal.pk}: its status upheld is not the chain's open" in found
    assert f"appeal {appeal.pk}: its due date 2013-09-01 is not the chain's 2013-03-15" in found
    Appeal.objects.filter(pk=appeal.pk).update(grounds="Something else")
    found = [p.message for p in records_verify().problems]
    assert f"appeal {appeal.pk}: its grounds is not the one lodged" in found


def test_separation_refusals_change_nothing(world: dict[str, Any], settings: Any) -> None:
    w = world
    appeal = lodge(w, signed_off(w))
    records = ChainRecord.objects.count()
    for person in ("bob", "lena", "carol", "dan"):
        with pytest.raises(NotAllowed):
            appeal_decide(by=w[person], appeal=appeal, upheld=True, reasons="Looks fine")
    appeal_decide(by=w["alice"], appeal=appeal, upheld=False, reasons="Stands")
    appeal_escalate(by=w["dan"], appeal=appeal, reason="Please look again")
    records = ChainRecord.objects.count()
    # Alice acted in the decision; Bob is nobody's IQA; Carol is not an IQA.
    for person in ("alice", "bob", "carol", "dan"):
        with pytest.raises(NotAllowed) as refused:
            appeal_decide(by=w[person], appeal=appeal, upheld=True, reasons="Looks fine")
        if person == "alice":
            assert "acted in the appealed decision" in str(refused.value)
    assert ChainRecord.objects.count() == records
    appeal.refresh_from_db()
    assert (appeal.stage, appeal.status) == ("iqa_review", "open")


def test_only_the_candidate_lodges_escalates_withdraws(world: dict[str, Any]) -> None:
    w = world
    decision = signed_off(w)
    with pytest.raises(NotAllowed):
        appeal_lodge(by=w["alice"], registration=w["reg"], decision=decision, grounds="x")
    appeal = lodge(w, decision)
    for act in (appeal_escalate, appeal_withdraw):
        with pytest.raises(NotAllowed):
            act(by=w["carol"], appeal=appeal, reason="Because")
    assert Appeal.objects.count() == 1


@pytest.mark.parametrize("text", ["", " \u200b ", "mine\x00", "\x1b[2J"])
def test_bad_text_is_refused_and_changes_nothing(world: dict[str, Any], text: str) -> None:
    w = world
    decision = signed_off(w)
    with pytest.raises(InvalidInput) as refused:
        appeal_lodge(by=w["dan"], registration=w["reg"], decision=decision, grounds=text)
    assert list(refused.value.errors) == ["grounds"]
    assert not Appeal.objects.exists()
    appeal = lodge(w, decision)
    before = ChainRecord.objects.count()
    with pytest.raises(InvalidInput):
        appeal_decide(by=w["alice"], appeal=appeal, upheld=False, reasons=text)
    with pytest.raises(InvalidInput):
        appeal_withdraw(by=w["dan"], appeal=appeal, reason=text)
    with pytest.raises(InvalidInput):
        complaint_record(by=w["dan"], centre=w["centre"], text=text)
    assert ChainRecord.objects.count() == before
    assert not Complaint.objects.exists()
    appeal.refresh_from_db()
    assert appeal.status == "open"


def test_the_windows(world: dict[str, Any], settings: Any) -> None:
    w = world
    decision = signed_off(w)  # 01/03/2013
    on(settings, "2013-03-30")
    with pytest.raises(InvalidInput) as refused:
        lodge(w, decision)
    assert "the last day was 29/03/2013" in str(refused.value)
    on(settings, "2013-03-29")
    appeal = lodge(w, decision)
    on(settings, "2013-04-20")  # a late decision is accepted; the delay showed as overdue
    appeal_decide(by=w["alice"], appeal=appeal, upheld=False, reasons="Stands")
    on(settings, "2013-05-05")
    with pytest.raises(InvalidInput) as refused:
        appeal_escalate(by=w["dan"], appeal=appeal, reason="Please")
    assert "the last day was 04/05/2013" in str(refused.value)
    assert lodge_again_refused(w, decision)


def lodge_again_refused(w: dict[str, Any], decision: Decision) -> bool:
    try:
        lodge(w, decision)
    except InvalidInput as refused:
        return "already under appeal" in str(refused) or "28 days" in str(refused)
    return False


def test_a_complaint_is_chained_and_reconciled(world: dict[str, Any]) -> None:
    w = world
    complaint = complaint_record(by=w["dan"], centre=w["centre"], text="Nobody answers")
    assert records_verify().problems == []
    Complaint.objects.filter(pk=complaint.pk).update(text="All fine")
    found = [p.message for p in records_verify().problems]
    assert f"complaint {complaint.pk} is not the one recorded" in found


def test_the_cli_verify_names_the_edited_row_and_its_chain(world: dict[str, Any]) -> None:
    from tests.cli.helpers import run

    appeal = lodge(world, signed_off(world))
    name = f"appeal:{appeal.pk}"
    code, out, _ = run("records", "verify", "--chain", name)
    assert code == 0 and out.startswith("ok: ")
    Appeal.objects.filter(pk=appeal.pk).update(stage="centre")
    code, out, _ = run("records", "verify", "--chain", name)
    assert code == 1
    assert f"broken: {name}: appeal {appeal.pk}: its stage centre is not the chain's" in out
    code, out, _ = run("records", "verify")
    assert code == 1 and f"broken: {name}:" in out


def test_overdue_shows_after_the_deadline(world: dict[str, Any], settings: Any) -> None:
    from assay.appeals.services import appeal_state_of

    appeal = lodge(world, signed_off(world))  # 01/03/2013: to be decided by 15/03/2013
    assert not appeal_state_of(appeal, dt.date(2013, 3, 15)).overdue
    assert appeal_state_of(appeal, dt.date(2013, 3, 16)).overdue
