"""Claims through the services: every refusal reason of the rules, the sanctions' effect
(issue 13's last gap), batches, queries, EV samples, approval with its certificate,
rejection, revocation and replacement, the chain and the notifications."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from assay.centres.services import ApprovalInput, approval_record
from assay.claims.models import Claim, ClaimEvent, ClaimStatus
from assay.claims.selectors import claim_get, ready_page
from assay.claims.services import (
    ClaimRefused,
    batch_submit,
    certificate_replace,
    certificate_revoke,
    claim_answer,
    claim_approve,
    claim_create,
    claim_query,
    claim_reject,
    sample_record,
    sample_request,
)
from assay.claims.signals import certificate_issued, certificate_revoked
from assay.engines.claims import Code, valid_number
from assay.errors import InvalidInput, NotAllowed, NotFound
from assay.notifications.models import Notification
from assay.records.services import records_verify
from tests.eqa.helpers import apply
from tests.world import World

from .helpers import agreed, approved, awarding_body, claim_403, sampled, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(world: World) -> World:
    awarding_body(world)
    return world


def codes(exc: pytest.ExceptionInfo[ClaimRefused]) -> list[str]:
    return [r.code for r in exc.value.reasons]


def test_the_whole_path_issues_a_certificate(
    w: World, django_capture_on_commit_callbacks: Any
) -> None:
    agreed(w)
    claim = claim_403(w)
    assert claim.status == ClaimStatus.DRAFT and claim.units == ["403"]
    batch = batch_submit(by=w.user("carol"), centre=w.north, claims=[claim])
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED and claim.batch_id == batch.pk
    assert Notification.objects.filter(recipient=w.user("abby"), kind="claim_status").exists()
    received: list[Any] = []

    def listen(sender: object, certificate: Any, **_: object) -> None:
        received.append(certificate)

    certificate_issued.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            cert = claim_approve(by=w.user("abby"), claim=claim, confirmed=True)
    finally:
        certificate_issued.disconnect(listen)
    assert received == [cert]
    assert valid_number(cert.number) and cert.number == "AS-2013-000001-3"
    assert (cert.qualification_code, cert.accreditation_number) == ("4430-04", "500/8817/8")
    assert cert.issued_on == dt.date(2013, 3, 1) and cert.kind == "unit"
    units = list(cert.units.values_list("position", "unit_code", "unit_title", "level", "credit"))
    assert units == [(1, "403", "Champion customer service", 4, 10)]
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED
    actions = list(ClaimEvent.objects.filter(claim=claim).values_list("action", flat=True))
    assert actions == ["claim_created", "claim_submitted", "claim_approved"]
    dan = w.user("dan")
    assert Notification.objects.filter(recipient=dan, kind="certificate_issued").exists()
    assert records_verify().problems == []
    # the unit is certified: claiming it again is refused
    with pytest.raises(ClaimRefused) as again:
        claim_403(w)
    assert codes(again) == [Code.ALREADY_CERTIFIED]


def test_a_unit_not_signed_off_nor_credited_is_refused(w: World) -> None:
    with pytest.raises(ClaimRefused) as refused:
        claim_create(by=w.user("carol"), registration=w.dan, kind="unit", units=["401"])
    assert codes(refused) == [Code.UNIT_NOT_ACHIEVED]
    assert not Claim.objects.exists()


def test_a_credited_unit_is_claimed(w: World) -> None:
    from assay.registrations.prior_learning import rpl_decide

    rpl_decide(by=w.user("alice"), claim=w.claim, accept=True)
    claim = claim_create(by=w.user("carol"), registration=w.dan, kind="unit", units=["412"])
    assert claim.units == ["412"]


def test_a_sampled_unit_needs_the_iv_agree_without_direct_claims(w: World) -> None:
    sampled(w)
    # Northgate is rated low with no sanction: direct claims status, no agree needed
    assert claim_403(w).status == ClaimStatus.DRAFT


def test_without_direct_claims_status_a_sampled_unit_without_agree_is_refused(w: World) -> None:
    sampled(w)
    apply(w, level="action_plan")  # removes direct claims status, blocks nothing
    with pytest.raises(ClaimRefused) as refused:
        claim_403(w)
    assert codes(refused) == [Code.SAMPLE_NOT_AGREED]


def test_full_qualification_needs_the_rules_of_combination(w: World) -> None:
    agreed(w)
    with pytest.raises(ClaimRefused) as refused:
        claim_create(by=w.user("carol"), registration=w.dan, kind="qualification")
    assert codes(refused) == [Code.RULES_NOT_MET]
    assert "not met" in refused.value.reasons[0].text


def test_a_full_qualification_claim_issues_a_certificate_of_every_counted_unit(w: World) -> None:
    from assay.registrations.prior_learning import credit_transfer_record

    complete = ["401", "402", "403", "404", "405", "406", "410", "416"]
    for unit in complete:
        credit_transfer_record(
            by=w.user("carol"), registration=w.dan, unit=unit, certificate_reference=f"CT-{unit}"
        )
    claim = claim_create(by=w.user("carol"), registration=w.dan, kind="qualification")
    assert sorted(claim.units) == complete
    assert "rules of combination of 4430-04 are met" in claim.history.get().text
    batch_submit(by=w.user("carol"), centre=w.north, claims=[claim])
    claim.refresh_from_db()
    cert = claim_approve(by=w.user("abby"), claim=claim, confirmed=True)
    assert cert.kind == "qualification"
    assert cert.qualification_title == "Level 4 NVQ Diploma in Customer Service"
    rows = list(cert.units.values_list("position", "unit_code"))
    assert [code for _, code in rows] == complete and [p for p, _ in rows] == list(range(1, 9))
    with pytest.raises(ClaimRefused) as again:
        claim_create(by=w.user("carol"), registration=w.dan, kind="qualification")
    assert codes(again) == [Code.ALREADY_CERTIFIED]


def test_claim_dates_outside_the_period_and_after_last_certification(
    w: World, settings: Any
) -> None:
    agreed(w)
    settings.ASSAY_TODAY = "2017-08-01"
    with pytest.raises(ClaimRefused) as refused:
        claim_403(w)
    assert Code.AFTER_LAST_CERTIFICATION in codes(refused)
    assert Code.AFTER_REGISTRATION_END in codes(refused)
    settings.ASSAY_TODAY = "2012-09-01"
    with pytest.raises(ClaimRefused) as early:
        claim_403(w)
    assert Code.BEFORE_REGISTRATION in codes(early)


def test_a_centre_not_approved_is_refused(w: World) -> None:
    agreed(w)
    approval_record(
        by=w.user("sam"),
        centre=w.north,
        approval=ApprovalInput("4430-04", "withdrawn", dt.date(2013, 2, 1), reason="Closed"),
    )
    with pytest.raises(ClaimRefused) as refused:
        claim_403(w)
    assert Code.CENTRE_NOT_APPROVED in codes(refused)


@pytest.mark.parametrize(
    "level", ["claims_suspended", "registrations_suspended", "approval_withdrawn"]
)
def test_a_sanction_suspending_claims_refuses_the_claim(w: World, level: str) -> None:
    agreed(w)
    apply(w, level=level)
    with pytest.raises(ClaimRefused) as refused:
        claim_403(w)
    assert Code.CLAIMS_SUSPENDED in codes(refused)
    text = next(r.text for r in refused.value.reasons if r.code == Code.CLAIMS_SUSPENDED)
    assert "01/02/2013" in text and "Assessment records missing for 12 candidates" in text


def test_a_sanction_after_the_draft_refuses_the_batch_and_the_approval(w: World) -> None:
    agreed(w)
    claim = claim_403(w)
    sanction = apply(w, level="claims_suspended", on=dt.date(2013, 3, 1))
    with pytest.raises(ClaimRefused) as refused:
        batch_submit(by=w.user("carol"), centre=w.north, claims=[claim])
    assert codes(refused) == [Code.CLAIMS_SUSPENDED]
    assert refused.value.reasons[0].text.startswith(f"Claim {claim.pk}: ")
    del sanction


def test_approval_is_refused_while_claims_are_suspended(w: World) -> None:
    agreed(w)
    claim, _ = submitted(w)
    apply(w, level="claims_suspended", on=dt.date(2013, 3, 1))
    with pytest.raises(ClaimRefused) as refused:
        claim_approve(by=w.user("abby"), claim=claim, confirmed=True)
    assert codes(refused) == [Code.CLAIMS_SUSPENDED]
    claim_reject(by=w.user("abby"), claim=claim, reason="Claims suspended", confirmed=True)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REJECTED and claim.decision_reason == "Claims suspended"


def test_query_answer_and_ev_sample(w: World) -> None:
    agreed(w)
    claim, _ = submitted(w)
    abby, carol, eve = w.user("abby"), w.user("carol"), w.user("eve")
    claim_query(by=abby, claim=claim, text="Which evidence covers 403 3.4?")
    assert Notification.objects.filter(recipient=carol, kind="claim_status").exists()
    with pytest.raises(InvalidInput):
        claim_approve(by=abby, claim=claim, confirmed=True)
    claim_answer(by=carol, claim=claim, text="The witness testimony of 14/02")
    # direct claims status: no EV sample
    with pytest.raises(InvalidInput, match="direct claims status"):
        sample_request(by=abby, claim=claim, text="Portfolio of Dan")
    apply(w, level="action_plan")
    sample_request(by=abby, claim=claim, text="Portfolio of Dan")
    assert Notification.objects.filter(recipient=eve, kind="claim_status").exists()
    with pytest.raises(NotAllowed):
        sample_record(by=w.user("evan"), claim=claim, outcome="satisfactory", text="ok")
    sample_record(by=eve, claim=claim, outcome="unsatisfactory", text="Authenticity unclear")
    with pytest.raises(InvalidInput, match="unsatisfactory"):
        claim_approve(by=abby, claim=claim, confirmed=True)
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.SUBMITTED and claim.sample_outcome == "unsatisfactory"


def test_revoke_and_replace(w: World, django_capture_on_commit_callbacks: Any) -> None:
    agreed(w)
    cert = approved(w)
    abby = w.user("abby")
    with pytest.raises(InvalidInput) as bad:
        certificate_revoke(
            by=abby, certificate=cert, kind="oops", reason=" \u200b ", confirmed=False
        )
    assert set(bad.value.errors) == {"kind", "reason", "confirm"}
    with pytest.raises(NotAllowed):
        certificate_revoke(
            by=w.user("carol"), certificate=cert, kind="malpractice", reason="x", confirmed=True
        )
    got: list[tuple[Any, str]] = []

    def listen(sender: object, certificate: Any, reason: str, **_: object) -> None:
        got.append((certificate, reason))

    certificate_revoked.connect(listen)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            certificate_revoke(
                by=abby, certificate=cert, kind="malpractice", reason="Copied work", confirmed=True
            )
    finally:
        certificate_revoked.disconnect(listen)
    cert.refresh_from_db()
    assert cert.revoked_on == dt.date(2013, 3, 1) and cert.revoked_kind == "malpractice"
    assert got == [(cert, "Copied work")]
    with pytest.raises(InvalidInput, match="already revoked"):
        certificate_revoke(
            by=abby, certificate=cert, kind="malpractice", reason="x", confirmed=True
        )
    new = certificate_replace(by=abby, certificate=cert, reason="Name misspelt", confirmed=True)
    assert new.replaces_id == cert.pk and new.number != cert.number and valid_number(new.number)
    assert list(new.units.values_list("unit_code", flat=True)) == ["403"]


def test_denials(w: World) -> None:
    agreed(w)
    with pytest.raises(NotAllowed):
        claim_create(by=w.user("tom"), registration=w.dan, kind="unit", units=["403"])
    with pytest.raises(NotAllowed):
        claim_create(by=w.user("linda"), registration=w.dan, kind="unit", units=["403"])
    claim = claim_403(w)
    with pytest.raises(NotAllowed):
        batch_submit(by=w.user("sue"), centre=w.north, claims=[claim])
    # a draft is the centre's own: the awarding body does not see it yet
    with pytest.raises(NotFound):
        claim_get(w.user("abby"), claim.pk)
    for name in ("sue", "dan", "alice", "ian", "evan"):
        with pytest.raises(NotFound):
            claim_get(w.user(name), claim.pk)
    batch_submit(by=w.user("carol"), centre=w.north, claims=[claim])
    assert claim_get(w.user("abby"), claim.pk).pk == claim.pk
    with pytest.raises(NotAllowed):
        claim_approve(by=w.user("carol"), claim=claim, confirmed=True)
    with pytest.raises(NotAllowed):
        claim_query(by=w.user("eve"), claim=claim, text="?")
    with pytest.raises(InvalidInput):
        claim_approve(by=w.user("abby"), claim=claim, confirmed=False)
    with pytest.raises(InvalidInput):
        claim_reject(by=w.user("abby"), claim=claim, reason="\u200b", confirmed=True)


def test_ready_to_claim_lists_achieved_units_in_a_fixed_number_of_queries(
    w: World, django_assert_max_num_queries: Any
) -> None:
    agreed(w)
    with django_assert_max_num_queries(25):
        page = ready_page(w.north, None, 50)
    rows = {r.registration.pk: r for r in page}
    assert rows[w.dan.pk].units == ("403",) and rows[w.dan.pk].unit_decision is not None
    assert rows[w.dan.pk].unit_decision.allowed
    assert not rows[w.dan.pk].qualification.allowed
    assert rows[w.dora.pk].units == ()
    claim_403(w)
    page = ready_page(w.north, None, 50)
    assert {r.registration.pk: r for r in page}[w.dan.pk].units == ()


def test_ready_to_claim_queries_do_not_grow_with_the_page(w: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assay.registrations.prior_learning import credit_transfer_record
    from assay.registrations.services import registration_create
    from tests.world import adult

    agreed(w)

    def counted() -> int:
        with CaptureQueriesContext(connection) as ctx:
            ready_page(w.north, None, 50)
        return len(ctx.captured_queries)

    before = counted()
    for n in range(5):
        reg = registration_create(
            by=w.user("carol"),
            centre=w.north,
            qualification_key="4430-04",
            candidate_input=adult(f"Extra{n}"),
            registered_on=dt.date(2012, 9, 3),
        )
        credit_transfer_record(
            by=w.user("carol"), registration=reg, unit="401", certificate_reference=f"C{n}"
        )
    assert counted() == before
    rows = ready_page(w.north, None, 50)
    assert sum(1 for r in rows if r.units == ("401",)) == 5


def test_the_chain_names_a_tampered_claim(w: World) -> None:
    agreed(w)
    approved(w)
    from assay.claims.records import _problems
    from assay.records.models import ChainRecord
    from assay.records.services import as_record

    chains: dict[str, list[Any]] = {}
    for row in ChainRecord.objects.filter(chain__startswith="claim:").order_by("chain", "seq"):
        chains.setdefault(row.chain, []).append(as_record(row))
    assert _problems(chains, None) == []
    Claim.objects.update(units=["401"])
    problems = _problems(chains, None)
    assert [p.message for p in problems] == [
        f"claim {Claim.objects.get().pk}: its units is not the one recorded"
    ]
