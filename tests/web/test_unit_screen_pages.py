"""The assessor's unit screen over HTTP: criterion cards with only this unit's evidence, htmx
acts answered in place with errors beside their control, bulk acts, sign-off with the
declaration, the inline preview and its denials, the history, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt
import re
import struct
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from assay.files.digest import text_sha256
from assay.portfolios.assessment import (
    criterion_judge,
    mapping_decide,
    sign_off_declaration,
    span_record,
    unit_reopen,
)
from assay.portfolios.coverage import unit_spec, unit_targets
from assay.portfolios.models import CriterionMapping, Decision
from assay.portfolios.services import evidence_add, evidence_file_attach, mapping_propose
from tests.world import World

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + struct.pack(">II", 1, 1) + bytes(200)
# The number of queries the old matrix page made for this world (measured on the commit before
# the unit screen); the cards must not need more, however much evidence there is.
QUERIES_BEFORE = 24


def client_for(world: World, username: str) -> Client:
    client = Client()
    client.force_login(world.user(username))
    return client


def url(world: World, path: str) -> str:
    return f"/registrations/{world.dan.pk}/{path}"


def card(body: str, target: str) -> str:
    """The HTML of one criterion card."""
    anchor = "criterion-" + target.replace(".", "-")
    found = re.search(rf'<article[^>]*id="{anchor}".*?</article>', body, re.S)
    assert found, f"no card {anchor}"
    return found.group(0)


def another_item(world: World, unit: str | None, target: str = "1.2") -> Any:
    item = evidence_add(
        by=world.user("dan"),
        registration=world.dan,
        method="product",
        started_on=dt.date(2013, 2, 2),
        description="Complaint log",
        context="real_job",
    )
    if unit:
        mapping_propose(by=world.user("dan"), item=item, unit=unit, target=target)
    return item


def test_cards_show_the_criterion_and_only_this_units_evidence(
    world: World, page_text: Any
) -> None:
    stray = another_item(world, None)
    body = page_text(client_for(world, "alice").get(url(world, "units/401/")))
    first = card(body, "1.1")
    assert f"Evidence {world.item.pk}" in first and "Proposed" in first
    assert f"Confirm evidence {world.item.pk} for 1.1" in first
    assert f"Reason for rejecting evidence {world.item.pk} for 1.1" in first
    assert "Judge 1.1 met" in first and "Judge 1.1 not yet met" in first
    assert f"Evidence {stray.pk}" not in body  # mapped to nothing in 401
    assert "Evidence for this unit" in body and "Assessor's declaration" in body
    assert "Sign the declaration and sign off unit 401" in body
    assert "valid" in body and "authentic" in body and "current" in body
    assert 'class="matrix"' not in body  # no column per evidence item any more


def test_confirm_in_place_answers_the_card_and_the_new_decision_number(
    world: World, page_text: Any
) -> None:
    response = client_for(world, "alice").post(
        url(world, f"mappings/{world.mapping.pk}/decide"),
        {"decision": "confirm", "expected_seq": 0},
        headers=HTMX,
    )
    assert response.status_code == 200
    body = page_text(response)
    assert "Confirmed" in card(body, "1.1")
    assert 'id="unit-seq" value="1"' in body
    assert f"Evidence {world.item.pk} for 1.1 confirmed." in body


def test_met_without_confirmed_evidence_is_refused_next_to_its_card(
    world: World, page_text: Any
) -> None:
    response = client_for(world, "alice").post(
        url(world, "units/401/judge"),
        {"criterion": "1.1", "verdict": "met", "feedback": "", "expected_seq": 0},
        headers=HTMX,
    )
    assert response.status_code == 400
    first = card(page_text(response), "1.1")
    assert "cannot be judged met: no evidence is confirmed" in first
    assert Decision.objects.count() == 0


def test_reject_without_a_reason_is_refused_next_to_its_card(world: World, page_text: Any) -> None:
    alice = client_for(world, "alice")
    response = alice.post(
        url(world, f"mappings/{world.mapping.pk}/decide"),
        {"decision": "reject", "reason": "\u200b ", "expected_seq": 0},
        headers=HTMX,
    )
    assert response.status_code == 400
    assert "Say why the evidence does not show this" in card(page_text(response), "1.1")
    response = alice.post(
        url(world, f"mappings/{world.mapping.pk}/decide"),
        {"decision": "reject", "reason": "It shows a briefing", "expected_seq": 0},
    )
    assert response.status_code == 302
    assert Decision.objects.get().payload["reason"] == "It shows a briefing"
    for who in ("alice", "dan"):
        unit = page_text(client_for(world, who).get(url(world, "units/401/")))
        assert "It shows a briefing" in card(unit, "1.1")
    portfolio = page_text(client_for(world, "dan").get(url(world, "portfolio/")))
    assert "Rejected because: It shows a briefing" in portfolio


def test_confirm_all_then_judge_many(world: World, page_text: Any) -> None:
    mapping_propose(by=world.user("dan"), item=world.item, unit="401", target="1.2")
    alice = client_for(world, "alice")
    body = page_text(alice.get(url(world, "units/401/")))
    assert f"Confirm all 2 proposals of evidence {world.item.pk}" in body
    response = alice.post(
        url(world, "units/401/confirm-all"),
        {"item": world.item.pk, "expected_seq": 0},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert set(CriterionMapping.objects.values_list("status", flat=True)) == {"confirmed"}
    body = page_text(response)
    assert "Judge several criteria met at once" in body and "Judge ticked criteria met" in body
    response = alice.post(
        url(world, "units/401/judge-many"),
        {"criteria": ["1.1", "1.2"], "expected_seq": 2},
        headers=HTMX,
    )
    assert response.status_code == 200
    judged = Decision.objects.filter(kind="criterion_judged").order_by("seq")
    assert [d.payload["criterion"] for d in judged] == ["1.1", "1.2"]
    response = alice.post(
        url(world, "units/401/judge-many"), {"criteria": ["1.3"], "expected_seq": 4}, headers=HTMX
    )
    assert response.status_code == 400
    assert "Criterion 401 1.3 cannot be judged met" in page_text(response)


def ready_401(world: World) -> None:
    dan, alice, reg = world.user("dan"), world.user("alice"), world.dan
    for target in unit_targets(unit_spec(reg, "401")):
        if target != "1.1":
            mapping_propose(by=dan, item=world.item, unit="401", target=target)
    for mapping in CriterionMapping.objects.filter(item=world.item):
        mapping_decide(by=alice, mapping=mapping, confirm=True)
    for target in unit_targets(unit_spec(reg, "401")):
        if "." in target:
            criterion_judge(by=alice, registration=reg, unit="401", criterion=target, met=True)
    span_record(by=alice, registration=reg, unit="401", sufficient_days=0)


def test_sign_off_with_the_declaration_then_history_with_reasons(
    world: World, page_text: Any
) -> None:
    ready_401(world)
    alice = client_for(world, "alice")
    seq = Decision.objects.count()
    page = page_text(alice.get(url(world, "units/401/")))
    text = sign_off_declaration(world.user("alice"), world.dan, "401")
    assert text in page and f'value="{text_sha256(text)}"' in page
    response = alice.post(
        url(world, "units/401/sign-off"),
        {"expected_seq": seq, "declaration_sha256": "f" * 64},
    )
    assert response.status_code == 400
    assert "The declaration changed since you read it" in page_text(response)
    response = alice.post(
        url(world, "units/401/sign-off"),
        {"expected_seq": seq, "declaration_sha256": text_sha256(text)},
    )
    assert response.status_code == 302
    signed = Decision.objects.get(kind="unit_signed_off")
    assert signed.payload["declaration"] == text
    unit_reopen(
        by=world.user("linda"), registration=world.dan, unit="401", reason="Sampling found a gap"
    )
    page = page_text(alice.get(url(world, "units/401/")))
    assert "Sign-off and reopening history" in page
    assert "Unit signed off" in page and "Unit reopened" in page
    assert "Sampling found a gap" in page


def test_preview_inline_for_the_assessor_only(world: World) -> None:
    png = evidence_file_attach(
        by=world.user("dan"),
        item=world.item,
        upload=SimpleUploadedFile("p.png", PNG),
        original_name="p.png",
    )
    path = url(world, f"units/401/files/{png.pk}/inline")
    response = client_for(world, "alice").get(path)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == "image/png"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["X-Content-Type-Options"] == "nosniff"
    b"".join(response.streaming_content)  # type: ignore[attr-defined]
    page = client_for(world, "alice").get(url(world, "units/401/")).content.decode()
    assert f'src="/registrations/{world.dan.pk}/units/401/files/{png.pk}/inline"' in page
    assert client_for(world, "dan").get(path).status_code == 403
    assert client_for(world, "arthur").get(path).status_code in (403, 404)
    for who in ("dora", "sue"):
        assert client_for(world, who).get(path).status_code == 404
    assert Client().get(path).status_code == 302  # to sign in


@pytest.mark.parametrize("who", ["dan", "arthur", "ed"])
def test_others_cannot_confirm_judge_or_bulk(world: World, who: str) -> None:
    client = client_for(world, who)
    posts = [
        (f"mappings/{world.mapping.pk}/decide", {"decision": "confirm", "expected_seq": 0}),
        ("units/401/judge", {"criterion": "1.1", "verdict": "met", "expected_seq": 0}),
        ("units/401/confirm-all", {"item": world.item.pk, "expected_seq": 0}),
        ("units/401/judge-many", {"criteria": ["1.1"], "expected_seq": 0}),
    ]
    for path, data in posts:
        assert client.post(url(world, path), data).status_code in (403, 404), path
    assert Decision.objects.count() == 0


def test_unit_page_queries_stay_fixed(world: World, django_assert_max_num_queries: Any) -> None:
    alice = client_for(world, "alice")
    alice.get(url(world, "units/401/"))
    for _ in range(6):
        item = another_item(world, "401")
        evidence_file_attach(
            by=world.user("dan"),
            item=item,
            upload=SimpleUploadedFile("p.png", PNG),
            original_name="p.png",
        )
    with django_assert_max_num_queries(QUERIES_BEFORE):
        assert alice.get(url(world, "units/401/")).status_code == 200
