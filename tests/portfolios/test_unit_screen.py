"""The assessor's unit screen behind the pages: "met" needs confirmed evidence, a rejection needs
a reason, the bulk acts (one chained decision each, all or none), sign-off with the assessor's
declaration, the read model, the inline preview and who may do none of it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assay.engines.coverage.judging import met_refusal, rejection_refusal, visible_text
from assay.errors import InvalidInput, NotAllowed, NotFound
from assay.files.digest import text_sha256
from assay.portfolios.assessment import (
    criterion_judge,
    mapping_decide,
    sign_off_declaration,
    span_record,
    unit_sign_off,
)
from assay.portfolios.bulk import criteria_judge_met, proposals_confirm_all
from assay.portfolios.models import CriterionMapping, Decision
from assay.portfolios.records import chains_verify
from assay.portfolios.services import evidence_file_attach, mapping_propose
from assay.portfolios.unit_screen import evidence_file_preview, preview_kind, unit_screen
from tests.portfolios.helpers import CRITERIA_403, PNG, add, ready_portfolio

pytestmark = pytest.mark.django_db


def proposed(w: dict[str, Any], targets: list[str]) -> Any:
    item = add(w)
    for target in targets:
        mapping_propose(by=w["dan"], item=item, unit="403", target=target)
    return item


# The pure rules.


def test_met_needs_confirmed_evidence_not_yet_met_does_not() -> None:
    refusal = met_refusal("403", "1.1", True, [])
    assert refusal is not None and "no evidence is confirmed" in refusal
    assert met_refusal("403", "1.1", True, ["7"]) is None
    assert met_refusal("403", "1.1", False, []) is None


def test_a_reason_made_of_invisible_characters_is_no_reason() -> None:
    assert rejection_refusal("  \u200b\u200d\ufeff\t") is not None
    assert rejection_refusal("") is not None
    assert rejection_refusal("Not a complaint record") is None
    assert visible_text(" \u200bNot yours\u2060 ") == "Not yours"


def test_only_safe_media_types_preview() -> None:
    assert preview_kind("application/pdf") == "pdf"
    assert preview_kind("image/png") == "image"
    assert preview_kind("audio/mpeg") == "audio" and preview_kind("video/mp4") == "video"
    assert preview_kind("image/svg+xml") is None and preview_kind("text/html") is None
    assert preview_kind("text/plain") is None


# Item 6: met without confirmed evidence, and rejections with reasons.


def test_met_with_only_a_proposal_is_refused_and_nothing_is_chained(
    world: dict[str, Any],
) -> None:
    w = world
    proposed(w, ["1.1"])
    with pytest.raises(InvalidInput, match="cannot be judged met: no evidence is confirmed"):
        criterion_judge(by=w["alice"], registration=w["reg"], unit="403", criterion="1.1", met=True)
    assert Decision.objects.count() == 0
    mapping_decide(by=w["alice"], mapping=CriterionMapping.objects.get(), confirm=True)
    judged = criterion_judge(
        by=w["alice"], registration=w["reg"], unit="403", criterion="1.1", met=True
    )
    assert judged.payload["met"] is True


def test_met_after_the_evidence_is_rejected_is_refused(world: dict[str, Any]) -> None:
    w = world
    proposed(w, ["1.1"])
    mapping = CriterionMapping.objects.get()
    mapping_decide(by=w["alice"], mapping=mapping, confirm=True)
    mapping_decide(by=w["alice"], mapping=mapping, confirm=False, reason="Not hers")
    with pytest.raises(InvalidInput, match="no evidence is confirmed"):
        criterion_judge(by=w["alice"], registration=w["reg"], unit="403", criterion="1.1", met=True)


@pytest.mark.parametrize("reason", ["", "   ", "\u200b\u200c\u200d", "\ufeff \u2060"])
def test_a_rejection_without_a_visible_reason_is_refused(
    world: dict[str, Any], reason: str
) -> None:
    w = world
    proposed(w, ["1.1"])
    with pytest.raises(InvalidInput, match="say why the evidence does not show this"):
        mapping_decide(
            by=w["alice"], mapping=CriterionMapping.objects.get(), confirm=False, reason=reason
        )
    assert Decision.objects.count() == 0
    assert CriterionMapping.objects.get().status == "proposed"


def test_the_rejection_reason_is_chained(world: dict[str, Any]) -> None:
    w = world
    proposed(w, ["1.1"])
    decision = mapping_decide(
        by=w["alice"],
        mapping=CriterionMapping.objects.get(),
        confirm=False,
        reason=" \u200bIt shows a briefing, not a complaint ",
    )
    assert decision.payload["reason"] == "It shows a briefing, not a complaint"
    assert all(result.ok for _, result in chains_verify())


# Bulk acts.


def test_confirm_all_confirms_each_proposal_as_its_own_decision(world: dict[str, Any]) -> None:
    w = world
    item = proposed(w, ["1.1", "1.2", "4a"])
    decisions = proposals_confirm_all(by=w["alice"], item=item, unit="403", expected_seq=0)
    assert [d.kind for d in decisions] == ["mapping_confirmed"] * 3
    assert [d.seq for d in decisions] == [1, 2, 3]
    assert set(CriterionMapping.objects.values_list("status", flat=True)) == {"confirmed"}
    with pytest.raises(InvalidInput, match="has no proposals for unit 403"):
        proposals_confirm_all(by=w["alice"], item=item, unit="403")


def test_confirm_all_on_a_stale_page_changes_nothing(world: dict[str, Any]) -> None:
    w = world
    item = proposed(w, ["1.1", "1.2"])
    with pytest.raises(InvalidInput, match="someone else changed this unit"):
        proposals_confirm_all(by=w["alice"], item=item, unit="403", expected_seq=5)
    assert Decision.objects.count() == 0


def test_judge_many_met_is_one_decision_each_or_none(world: dict[str, Any]) -> None:
    w = world
    item = proposed(w, ["1.1", "1.2"])
    proposals_confirm_all(by=w["alice"], item=item, unit="403")
    with pytest.raises(InvalidInput, match=r"criterion 403 1\.3 cannot be judged met"):
        criteria_judge_met(
            by=w["alice"], registration=w["reg"], unit="403", criteria=["1.1", "1.3"]
        )
    assert Decision.objects.filter(kind="criterion_judged").count() == 0
    done = criteria_judge_met(
        by=w["alice"], registration=w["reg"], unit="403", criteria=["1.1", "1.2"]
    )
    assert [d.payload["criterion"] for d in done] == ["1.1", "1.2"]
    assert all(d.kind == "criterion_judged" and d.payload["met"] for d in done)
    with pytest.raises(InvalidInput, match="tick the criteria"):
        criteria_judge_met(by=w["alice"], registration=w["reg"], unit="403", criteria=[])


@pytest.mark.parametrize("who", ["dan", "bob", "lena"])
def test_others_cannot_confirm_judge_or_bulk(world: dict[str, Any], who: str) -> None:
    w = world
    item = proposed(w, ["1.1"])
    mapping = CriterionMapping.objects.get()
    with pytest.raises(NotAllowed):
        mapping_decide(by=w[who], mapping=mapping, confirm=True)
    with pytest.raises(NotAllowed):
        proposals_confirm_all(by=w[who], item=item, unit="403")
    with pytest.raises(NotAllowed):
        criteria_judge_met(by=w[who], registration=w["reg"], unit="403", criteria=["1.1"])
    assert Decision.objects.count() == 0


# Sign-off with the assessor's declaration.


def ready_403(w: dict[str, Any]) -> None:
    ready_portfolio(w)
    criteria_judge_met(by=w["alice"], registration=w["reg"], unit="403", criteria=CRITERIA_403)
    span_record(by=w["alice"], registration=w["reg"], unit="403", sufficient_days=42)


def test_sign_off_chains_the_declaration_and_its_sha256(world: dict[str, Any]) -> None:
    w = world
    ready_403(w)
    w["alice"].first_name, w["alice"].last_name = "Alice", "Archer"
    w["alice"].save()
    text = sign_off_declaration(w["alice"], w["reg"], "403")
    assert "I, Alice Archer," in text and "Dana Reyes" in text
    for word in ("valid", "authentic", "current", "sufficient"):
        assert word in text
    with pytest.raises(InvalidInput, match="the declaration changed since you read it"):
        unit_sign_off(by=w["alice"], registration=w["reg"], unit="403", declaration_sha256="0" * 64)
    signed = unit_sign_off(
        by=w["alice"], registration=w["reg"], unit="403", declaration_sha256=text_sha256(text)
    )
    assert signed.payload["declaration"] == text
    assert signed.payload["declaration_sha256"] == text_sha256(text)
    assert all(result.ok for _, result in chains_verify())


# The read model and the preview.


def test_the_screen_shows_only_this_units_evidence_in_fixed_queries(
    world: dict[str, Any],
) -> None:
    w = world
    mine = proposed(w, ["1.1"])
    other = add(w)
    mapping_propose(by=w["dan"], item=other, unit="401", target="1.1")
    add(w)  # mapped nowhere
    screen = unit_screen(w["alice"], w["reg"].pk, "403")
    assert screen is not None and [v.item.pk for v in screen.items] == [mine.pk]
    assert screen.title == "Champion customer service"  # from the catalogue
    with CaptureQueriesContext(connection) as few:
        unit_screen(w["alice"], w["reg"].pk, "403")
    for _ in range(5):
        extra = proposed(w, ["1.2", "2.1"])
        evidence_file_attach(
            by=w["dan"], item=extra, upload=SimpleUploadedFile("p.png", PNG), original_name="p.png"
        )
    with CaptureQueriesContext(connection) as many:
        screen = unit_screen(w["alice"], w["reg"].pk, "403")
    assert screen is not None and len(screen.items) == 6
    assert len(many) == len(few)


def test_preview_is_for_the_units_assessor_and_safe_types_only(world: dict[str, Any]) -> None:
    w = world
    item = proposed(w, ["1.1"])
    png = evidence_file_attach(
        by=w["dan"], item=item, upload=SimpleUploadedFile("p.png", PNG), original_name="p.png"
    )
    text = evidence_file_attach(
        by=w["dan"],
        item=item,
        upload=SimpleUploadedFile("n.txt", b"notes\n"),
        original_name="n.txt",
    )
    row, handle = evidence_file_preview(w["alice"], w["reg"].pk, "403", png.pk)
    handle.close()
    assert row.pk == png.pk
    row, handle = evidence_file_preview(w["lena"], w["reg"].pk, "403", png.pk)  # lead IQA
    handle.close()
    with pytest.raises(NotFound):
        evidence_file_preview(w["alice"], w["reg"].pk, "403", text.pk)
    with pytest.raises(NotFound):  # not evidence of unit 401
        evidence_file_preview(w["bob"], w["reg"].pk, "401", png.pk)
    for who in ("dan", "bob"):
        with pytest.raises(NotAllowed):
            evidence_file_preview(w[who], w["reg"].pk, "403", png.pk)


# The API.


def test_api_bulk_acts_declaration_and_reasons(world: dict[str, Any]) -> None:
    from tests.portfolios.helpers import client_for

    w, reg = world, world["reg"]
    item = proposed(w, ["1.1", "1.2"])
    alice, dan, bob = (client_for(w[n]) for n in ("alice", "dan", "bob"))
    base = f"/api/v1/registrations/{reg.pk}/units/403"
    json = "application/json"
    assert dan.post(f"{base}/confirm-all", {"item": item.pk}, content_type=json).status_code == 403
    assert bob.post(f"{base}/confirm-all", {"item": item.pk}, content_type=json).status_code == 403
    confirmed = alice.post(
        f"{base}/confirm-all", {"item": item.pk, "expected_seq": 0}, content_type=json
    )
    assert confirmed.status_code == 201
    assert [d["kind"] for d in confirmed.json()] == ["mapping_confirmed"] * 2
    refused = alice.post(f"{base}/judgements/met", {"criteria": ["1.1", "2.1"]}, content_type=json)
    assert refused.status_code == 422 and "no evidence is confirmed" in refused.text
    met = alice.post(
        f"{base}/judgements/met", {"criteria": ["1.1", "1.2"], "expected_seq": 2}, content_type=json
    )
    assert met.status_code == 201 and [d["seq"] for d in met.json()] == [3, 4]
    single = alice.post(f"{base}/judgements", {"criterion": "2.1", "met": True}, content_type=json)
    assert single.status_code == 422
    mapping = CriterionMapping.objects.filter(target="1.1").get()
    blank = alice.post(
        f"/api/v1/mappings/{mapping.pk}/decision",
        {"confirm": False, "reason": "\u200b"},
        content_type=json,
    )
    assert blank.status_code == 422 and "say why" in blank.text
    declared = alice.get(f"{base}/declaration").json()
    assert declared["sha256"] == text_sha256(declared["text"])
    assert "valid" in declared["text"] and "sufficient" in declared["text"]
    wrong = alice.post(f"{base}/sign-off", {"declaration_sha256": "0" * 64}, content_type=json)
    assert wrong.status_code == 422 and "declaration changed" in wrong.text


def test_meetable_counts_confirmed_evidence_from_any_context(world: dict[str, Any]) -> None:
    """A criterion confirmed only with evidence from a context 403 does not accept is still
    offered for the bulk "met" (the service then refuses it with the context problem), as when
    every mapping was read; with admissible evidence the coverage's counts say the same."""
    w = world
    from assay.portfolios.assessment import mapping_decide

    drill = add(w, context="simulation")
    real = add(w)
    for item, target in ((drill, "1.1"), (real, "1.2")):
        mapping = mapping_propose(by=w["dan"], item=item, unit="403", target=target)
        mapping_decide(by=w["alice"], mapping=mapping, confirm=True)
    screen = unit_screen(w["alice"], w["reg"].pk, "403")
    assert screen is not None and screen.coverage.context_problems
    assert [c.target for c in screen.meetable] == ["1.1", "1.2"]
