"""Each portfolio event tells exactly the right people (never the actor), with one email per
recipient per transaction, and nothing at all when the act fails or rolls back."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from assay.errors import InvalidInput, NotAllowed
from assay.notifications.models import Notification
from assay.portfolios.assessment import (
    criterion_judge,
    mapping_decide,
    span_record,
    unit_reopen,
    unit_sign_off,
)
from assay.portfolios.models import CriterionMapping
from assay.portfolios.services import evidence_add, evidence_file_attach, mapping_propose
from assay.portfolios.witnesses import witness_confirm, witness_request
from tests.portfolios.helpers import CRITERIA_403, ready_portfolio

pytestmark = pytest.mark.django_db

Commit = Callable[[], AbstractContextManager[list[Any]]]


def add(w: dict[str, Any], by: str = "dan", method: str = "reflective_account") -> Any:
    return evidence_add(
        by=w[by],
        registration=w["reg"],
        method=method,
        started_on=dt.date(2013, 2, 1),
        description="Briefing the senior team on the returns policy",
        context="real_job",
    )


def ready_403(w: dict[str, Any]) -> None:
    """Unit 403 ready to sign off: evidence confirmed, every criterion met, span recorded."""
    ready_portfolio(w)
    for number in CRITERIA_403:
        criterion_judge(
            by=w["alice"], registration=w["reg"], unit="403", criterion=number, met=True
        )
    span_record(by=w["alice"], registration=w["reg"], unit="403", sufficient_days=30)


def told(kind: str | None = None) -> dict[str, list[str]]:
    """Username → the lines they were told, for every notification (of ``kind``)."""
    rows = Notification.objects.select_related("recipient").order_by("pk")
    if kind:
        rows = rows.filter(kind=kind)
    out: dict[str, list[str]] = {}
    for row in rows:
        out.setdefault(row.recipient.get_username(), []).extend(row.lines)
    return out


def inboxes() -> dict[str, int]:
    """Address → how many emails it got."""
    counts: dict[str, int] = {}
    for message in mail.outbox:
        for address in message.to:
            counts[address] = counts.get(address, 0) + 1
    return counts


def test_new_evidence_tells_every_assessor_on_the_plan_but_not_the_candidate(
    w: dict[str, Any], commit: Commit
) -> None:
    with commit():
        item = add(w)
    assert set(told()) == {"alice", "bob"}
    assert told()["alice"] == [f"Evidence {item.pk} added: Reflective account, 01/02/2013"]
    assert inboxes() == {"alice@example.com": 1, "bob@example.com": 1}
    row = Notification.objects.get(recipient=w["alice"])
    assert row.kind == "evidence_submitted" and row.registration == w["reg"]
    assert row.link == f"/registrations/{w['reg'].pk}/portfolio/"
    assert row.reason == "you assess units on this candidate's learning plan"
    assert mail.outbox[0].subject == "New evidence from Dana Reyes"
    assert f"https://assay.example/registrations/{w['reg'].pk}/portfolio/" in mail.outbox[0].body


def test_evidence_an_assessor_adds_tells_nobody(w: dict[str, Any], commit: Commit) -> None:
    with commit():
        add(w, by="alice")
    assert told() == {} and mail.outbox == []


def test_mappings_proposed_together_make_one_notification_for_the_units_assessor(
    w: dict[str, Any], commit: Commit
) -> None:
    with commit():
        item = add(w)
    mail.outbox.clear()
    Notification.objects.all().delete()
    with commit(), transaction.atomic():  # one request: the view proposes in one transaction
        for target in ("1.1", "1.2", "2.1"):
            mapping_propose(by=w["dan"], item=item, unit="403", target=target)
    assert list(told()) == ["alice"]
    assert Notification.objects.count() == 1
    assert told()["alice"] == [
        f"Evidence {item.pk} proposed for unit 403 {t}" for t in ("1.1", "1.2", "2.1")
    ]
    assert inboxes() == {"alice@example.com": 1}
    assert Notification.objects.get().reason == "you assess unit 403 for this candidate"


def test_a_file_on_mapped_evidence_tells_the_assessor_of_that_unit(
    w: dict[str, Any], commit: Commit
) -> None:
    with commit():
        item = add(w)
        mapping_propose(by=w["dan"], item=item, unit="401", target="1.1")
    mail.outbox.clear()
    Notification.objects.all().delete()
    with commit():
        upload = SimpleUploadedFile("notes.txt", b"Returns policy briefing notes\n")
        evidence_file_attach(by=w["dan"], item=item, upload=upload, original_name="notes.txt")
    assert told() == {"bob": [f"File notes.txt attached to evidence {item.pk}"]}
    assert inboxes() == {"bob@example.com": 1}


def test_judgements_tell_the_candidate_only_one_email_per_transaction(
    w: dict[str, Any], commit: Commit
) -> None:
    reg = w["reg"]
    with commit():  # "met" needs confirmed evidence
        item = add(w)
        for target in ("1.1", "2.1"):
            mapping = mapping_propose(by=w["dan"], item=item, unit="403", target=target)
            mapping_decide(by=w["alice"], mapping=mapping, confirm=True)
    mail.outbox.clear()
    Notification.objects.all().delete()
    with commit(), transaction.atomic():
        criterion_judge(by=w["alice"], registration=reg, unit="403", criterion="1.1", met=True)
        criterion_judge(
            by=w["alice"],
            registration=reg,
            unit="403",
            criterion="1.2",
            met=False,
            feedback="Show a second example",
        )
    assert told() == {
        "dan": [
            "Unit 403 criterion 1.1: met",
            "Unit 403 criterion 1.2: not yet met — Show a second example",
        ]
    }
    assert inboxes() == {"dan@example.com": 1}
    with commit():  # a later request: its own notification and email
        criterion_judge(by=w["alice"], registration=reg, unit="403", criterion="2.1", met=True)
    assert Notification.objects.filter(recipient=w["dan"]).count() == 2
    assert inboxes() == {"dan@example.com": 2}


def test_confirming_and_rejecting_mappings_tells_the_candidate(
    w: dict[str, Any], commit: Commit
) -> None:
    with commit():
        item = add(w)
        first = mapping_propose(by=w["dan"], item=item, unit="403", target="1.1")
        second = mapping_propose(by=w["dan"], item=item, unit="403", target="1.2")
    mail.outbox.clear()
    Notification.objects.all().delete()
    with commit():
        mapping_decide(by=w["alice"], mapping=first, confirm=True)
    with commit():
        mapping_decide(by=w["alice"], mapping=second, confirm=False, reason="Not a complaint")
    assert told() == {
        "dan": [
            f"Unit 403 1.1: evidence {item.pk} confirmed",
            f"Unit 403 1.2: evidence {item.pk} rejected — Not a complaint",
        ]
    }
    assert inboxes() == {"dan@example.com": 2}


def test_sign_off_tells_the_candidate_and_reopening_tells_candidate_and_assessor(
    w: dict[str, Any], commit: Commit
) -> None:
    with commit():
        ready_403(w)
    mail.outbox.clear()
    Notification.objects.all().delete()
    with commit():
        unit_sign_off(by=w["alice"], registration=w["reg"], unit="403")
    assert told() == {"dan": ["Unit 403 signed off"]}
    assert inboxes() == {"dan@example.com": 1}
    with commit():
        unit_reopen(by=w["lena"], registration=w["reg"], unit="403", reason="Wrong criterion")
    reopened = told("unit_reopened")
    assert reopened == {
        "alice": ["Reopened by lena: Wrong criterion"],
        "dan": ["Reopened by lena: Wrong criterion"],
    }
    assert inboxes() == {"dan@example.com": 2, "alice@example.com": 1}  # never lena
    row = Notification.objects.get(kind="unit_reopened", recipient=w["alice"])
    assert row.link == f"/registrations/{w['reg'].pk}/units/403/"


def test_the_assessor_who_reopens_is_not_told_of_their_own_act(
    w: dict[str, Any], commit: Commit
) -> None:
    """Carol, the centre administrator, also assesses 403 here: she reopens, Dan is told."""
    with commit():
        ready_403(w)
        unit_sign_off(by=w["alice"], registration=w["reg"], unit="403")
    Notification.objects.all().delete()
    w["reg"].plan_units.filter(unit_number="403").update(assessor=w["carol"])
    with commit():
        unit_reopen(by=w["carol"], registration=w["reg"], unit="403", reason="Audit sample")
    assert list(told("unit_reopened")) == ["dan"]


def test_a_confirmed_witness_tells_candidate_and_assessor(
    w: dict[str, Any], commit: Commit
) -> None:
    with commit():
        item = add(w, method="witness_testimony")
        mapping_propose(by=w["dan"], item=item, unit="401", target="1.1")
        _, token = witness_request(
            by=w["dan"],
            item=item,
            name="Priya Shah",
            role="Operations manager",
            relationship="line manager",
            contact="priya@example.com",
            statement="I saw Dana resolve the complaint.",
        )
    mail.outbox.clear()
    Notification.objects.all().delete()
    with commit():
        witness_confirm(token=token)
    line = f"Priya Shah confirmed their statement on evidence {item.pk}"
    assert told() == {"bob": [line], "dan": [line]}
    assert inboxes() == {"bob@example.com": 1, "dan@example.com": 1}


def test_someone_without_an_email_address_is_told_in_the_app_only(
    w: dict[str, Any], commit: Commit
) -> None:
    w["bob"].email = ""
    w["bob"].save(update_fields=["email"])
    with commit():
        add(w)
    assert set(told()) == {"alice", "bob"}
    assert inboxes() == {"alice@example.com": 1}


def test_a_refused_act_tells_nobody(w: dict[str, Any], commit: Commit) -> None:
    with commit():
        item = add(w)
    mail.outbox.clear()
    Notification.objects.all().delete()
    with commit():
        with pytest.raises(NotAllowed):
            criterion_judge(
                by=w["bob"], registration=w["reg"], unit="403", criterion="1.1", met=True
            )
        with pytest.raises(InvalidInput):
            mapping_propose(by=w["dan"], item=item, unit="403", target="99.9")
        with pytest.raises(InvalidInput):
            unit_sign_off(by=w["alice"], registration=w["reg"], unit="403")
    assert told() == {} and mail.outbox == []


def test_a_rolled_back_request_sends_and_keeps_nothing(w: dict[str, Any], commit: Commit) -> None:
    """The web view adds an item and its file in one transaction: a refused file undoes both,
    and the item's notification with them."""
    with commit(), pytest.raises(InvalidInput), transaction.atomic():
        item = add(w)
        upload = SimpleUploadedFile("tool.exe", b"MZ\x90\x00" + bytes(300))
        evidence_file_attach(by=w["dan"], item=item, upload=upload, original_name="tool.exe")
    assert told() == {} and mail.outbox == []


def test_an_act_undone_inside_a_request_is_left_out_of_the_email(
    w: dict[str, Any], commit: Commit
) -> None:
    """A savepoint rolled back takes its line away; the rest of the request is still sent."""
    with commit():
        item = add(w)
    mail.outbox.clear()
    Notification.objects.all().delete()
    with commit(), transaction.atomic():
        mapping_propose(by=w["dan"], item=item, unit="403", target="1.1")
        with transaction.atomic():
            mapping_propose(by=w["dan"], item=item, unit="403", target="1.2")
            transaction.set_rollback(True)
        mapping_propose(by=w["dan"], item=item, unit="403", target="2.1")
    expected = [f"Evidence {item.pk} proposed for unit 403 {t}" for t in ("1.1", "2.1")]
    assert told() == {"alice": expected}
    assert len(mail.outbox) == 1
    assert "1.1" in mail.outbox[0].body and "2.1" in mail.outbox[0].body
    assert "403 1.2" not in mail.outbox[0].body
    assert CriterionMapping.objects.filter(target="1.2").count() == 0


def test_a_request_after_a_rolled_back_one_sends_only_its_own_acts_once(
    w: dict[str, Any], commit: Commit
) -> None:
    """The rolled-back request's batch is not carried over: its row is gone (on SQLite a new
    row may even take its pk) and its send was never made."""
    with commit():
        item = add(w)
    mail.outbox.clear()
    Notification.objects.all().delete()
    with commit(), pytest.raises(RuntimeError), transaction.atomic():
        mapping_propose(by=w["dan"], item=item, unit="403", target="1.1")
        raise RuntimeError("the request fails after the act")
    assert told() == {} and mail.outbox == []
    with commit(), transaction.atomic():
        mapping_propose(by=w["dan"], item=item, unit="401", target="1.1")
        mapping_propose(by=w["dan"], item=item, unit="403", target="1.2")
    assert told() == {
        "bob": [f"Evidence {item.pk} proposed for unit 401 1.1"],
        "alice": [f"Evidence {item.pk} proposed for unit 403 1.2"],
    }
    assert inboxes() == {"alice@example.com": 1, "bob@example.com": 1}


def test_a_request_whose_first_act_was_undone_still_sends_the_rest_once(
    w: dict[str, Any], commit: Commit
) -> None:
    with commit():
        item = add(w)
    mail.outbox.clear()
    Notification.objects.all().delete()
    with commit(), transaction.atomic():
        with transaction.atomic():
            mapping_propose(by=w["dan"], item=item, unit="403", target="1.1")
            transaction.set_rollback(True)
        mapping_propose(by=w["dan"], item=item, unit="403", target="1.2")
        mapping_propose(by=w["dan"], item=item, unit="401", target="1.1")
        mapping_propose(by=w["dan"], item=item, unit="403", target="2.1")
    assert told() == {
        "alice": [f"Evidence {item.pk} proposed for unit 403 {t}" for t in ("1.2", "2.1")],
        "bob": [f"Evidence {item.pk} proposed for unit 401 1.1"],
    }
    assert inboxes() == {"alice@example.com": 1, "bob@example.com": 1}


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise ConnectionRefusedError("mail server down")


def test_a_mail_server_down_does_not_undo_the_act(
    w: dict[str, Any], commit: Commit, settings: Any
) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    with commit():
        item = add(w)
    assert item.pk is not None and set(told()) == {"alice", "bob"}
