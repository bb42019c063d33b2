"""The enrolment chain ("enrolment:<pk>"): every administrative act on a registration is chained
and ``records verify`` names any row that no longer matches it. The tampers are raw ORM updates,
as an attacker with write access to the database would make them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from click.testing import CliRunner

from assay.cli.main import main
from assay.progress.completion import registration_extend, registration_transition
from assay.records.models import ChainRecord
from assay.records.services import records_verify
from assay.registrations.expiry import registrations_expire
from assay.registrations.induction import signature_record
from assay.registrations.models import (
    Extension,
    PlanUnit,
    Registration,
    RplClaim,
    Signature,
    StatusChange,
)
from assay.registrations.plans import PlanUnitInput, plan_set
from assay.registrations.prior_learning import credit_transfer_record, rpl_decide
from tests.fixtures_centre import TODAY, build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(
    catalogue: None, settings: Any, django_capture_on_commit_callbacks: Any
) -> dict[str, Any]:
    """The centre world plus one of every act, each head anchored in the test's own log:
    Alice's RPL claim accepted, a credit transfer, a signature, in progress and extended;
    Bob in progress then withdrawn."""
    settings.ASSAY_TODAY = TODAY
    with django_capture_on_commit_callbacks(execute=True):
        w = build_world()
        admin = w["centre_admin"]
        reg = w.registration
        rpl_decide(by=w["assessor_assigned"], claim=w.claim, accept=True)
        credit = credit_transfer_record(
            by=admin, registration=reg, unit="404", certificate_reference="CT-2011-77"
        )
        signature = signature_record(
            by=w["candidate_self"],
            registration=reg,
            document="learning_contract",
            capacity="candidate",
            text="I agree to the plan.",
            ip_address="2001:DB8::1",
            user_agent="Browser/1.0",
        )
        change = registration_transition(
            by=admin, registration=reg, to="in_progress", reason="Started", confirmed=True
        )
        extension = registration_extend(
            by=admin, registration=reg, new_end=reg.end_date.replace(month=12), reason="Illness"
        )
        bob = w.other_registration
        registration_transition(
            by=admin, registration=bob, to="in_progress", reason="Started", confirmed=True
        )
        registration_transition(
            by=admin, registration=bob, to="withdrawn", reason="Left the job", confirmed=True
        )
    return {
        "w": w,
        "reg": reg,
        "bob": bob,
        "credit": credit,
        "signature": signature,
        "change": change,
        "extension": extension,
    }


def problems() -> list[str]:
    return [f"{p.chain}: {p.message}" for p in records_verify().problems]


def name(registration: Registration) -> str:
    return f"enrolment:{registration.pk}"


def test_every_act_is_chained_and_a_clean_world_verifies(world: dict[str, Any]) -> None:
    report = records_verify()
    assert report.ok, report.problems
    kinds = list(
        ChainRecord.objects.filter(chain=name(world["reg"])).values_list("kind", flat=True)
    )
    assert kinds == [
        "registered",
        "plan_set",
        "rpl_claimed",
        "rpl_decided",
        "credit_transferred",
        "signed",
        "status_changed",
        "extended",
    ]
    registrations = Registration.objects.count()
    assert report.chains == registrations and report.anchored_chains == registrations


def test_status_set_back_is_named(world: dict[str, Any]) -> None:
    bob = world["bob"]
    Registration.objects.filter(pk=bob.pk).update(status="in_progress")
    assert problems() == [f"{name(bob)}: status is in_progress but record 4 made it withdrawn"]


def test_end_date_moved_is_named(world: dict[str, Any]) -> None:
    reg = world["reg"]
    Registration.objects.filter(pk=reg.pk).update(end_date=dt.date(2016, 1, 1))
    assert problems() == [f"{name(reg)}: end_date is 2016-01-01 but record 8 made it 2015-12-01"]


def test_internal_verifier_and_plan_edits_are_named(world: dict[str, Any]) -> None:
    reg, w = world["reg"], world["w"]
    Registration.objects.filter(pk=reg.pk).update(
        internal_verifier=w["iv_other"], allow_units_without_content=True
    )
    PlanUnit.objects.filter(registration=reg).update(assessor=w["assessor_other"])
    PlanUnit.objects.create(registration=reg, unit_number="405")
    found = problems()
    iv, other, assigned = w["iv_other"].pk, w["assessor_other"].pk, w["assessor_assigned"].pk
    assert found == [
        f"{name(reg)}: internal_verifier is {iv} but record 2 made it {w['iv_assigned'].pk}",
        f"{name(reg)}: allow_units_without_content is True but record 2 made it False",
        f"{name(reg)}: plan unit 401: assessor is {other} but record 2 recorded {assigned}",
        f"{name(reg)}: plan unit 405 was never recorded",
    ]


def test_rpl_decision_flipped_is_named(world: dict[str, Any]) -> None:
    reg, claim = world["reg"], world["w"].claim
    RplClaim.objects.filter(pk=claim.pk).update(accepted=False)
    assert problems() == [
        f"{name(reg)}: RPL claim for unit 402 (claim {claim.pk}): accepted is False "
        "but record 4 recorded True"
    ]


def test_undecided_claim_flipped_to_accepted_is_named(world: dict[str, Any]) -> None:
    """A claim still undecided in the chain must not count as achieved."""
    bob = world["bob"]
    claim = RplClaim.objects.create(registration=bob, unit_number="7", evidence="Old course")
    found = problems()
    assert found == [f"{name(bob)}: RPL claim for unit 7 (claim {claim.pk}) was never recorded"]


def test_credit_transfer_inserted_directly_is_named(world: dict[str, Any]) -> None:
    reg, admin = world["reg"], world["w"]["centre_admin"]
    claim = RplClaim.objects.create(
        registration=reg,
        unit_number="410",
        kind="credit_transfer",
        certificate_reference="FORGED-1",
        evidence="Credit transfer: certificate FORGED-1",
        accepted=True,
        decided_by=admin,
    )
    assert problems() == [
        f"{name(reg)}: credit transfer for unit 410 (claim {claim.pk}) was never recorded"
    ]


def test_credit_transfer_certificate_edited_is_named(world: dict[str, Any]) -> None:
    reg, credit = world["reg"], world["credit"]
    RplClaim.objects.filter(pk=credit.pk).update(certificate_reference="OTHER")
    assert problems() == [
        f"{name(reg)}: credit transfer for unit 404 (claim {credit.pk}): certificate_reference "
        "is OTHER but record 5 recorded CT-2011-77"
    ]


def test_signature_text_edited_is_named(world: dict[str, Any]) -> None:
    reg, signature = world["reg"], world["signature"]
    Signature.objects.filter(pk=signature.pk).update(text="I agree to nothing.")
    assert problems() == [
        f"{name(reg)}: signature {signature.pk} (learning_contract, candidate): its text does "
        "not match its text_sha256"
    ]


def test_signature_rewritten_with_its_fingerprint_is_named(world: dict[str, Any]) -> None:
    from assay.files.digest import text_sha256

    reg, signature = world["reg"], world["signature"]
    text = "I agree to nothing."
    Signature.objects.filter(pk=signature.pk).update(text=text, text_sha256=text_sha256(text))
    found = problems()
    assert len(found) == 1
    assert found[0].startswith(f"{name(reg)}: signature {signature.pk} (learning_contract, ")
    assert "text_sha256 is " in found[0] and "but record 6 recorded" in found[0]


def test_status_change_deleted_is_named(world: dict[str, Any]) -> None:
    bob = world["bob"]
    withdrawn = StatusChange.objects.get(registration=bob, to_status="withdrawn")
    pk = withdrawn.pk
    withdrawn.delete()
    assert problems() == [
        f"{name(bob)}: status change {pk} (in_progress → withdrawn) recorded in record 4 is gone"
    ]


def test_status_change_added_or_edited_is_named(world: dict[str, Any]) -> None:
    reg, change = world["reg"], world["change"]
    StatusChange.objects.filter(pk=change.pk).update(reason="Backdated")
    extra = StatusChange.objects.create(registration=reg, from_status="", to_status="completed")
    assert problems() == [
        f"{name(reg)}: status change {change.pk} (registered → in_progress): reason is "
        "Backdated but record 7 recorded Started",
        f"{name(reg)}: status change {extra.pk} (- → completed) was never recorded",
    ]


def test_extension_edited_is_named(world: dict[str, Any]) -> None:
    reg, extension = world["reg"], world["extension"]
    Extension.objects.filter(pk=extension.pk).update(new_end=dt.date(2017, 1, 1))
    assert problems() == [
        f"{name(reg)}: extension {extension.pk} (2015-03-01 → 2015-12-01): new_end is "
        "2017-01-01 but record 8 recorded 2015-12-01"
    ]


def test_deleted_enrolment_chain_is_named_by_the_anchor_log(world: dict[str, Any]) -> None:
    bob = world["bob"]
    ChainRecord.objects.filter(chain=name(bob)).delete()
    found = problems()
    assert f"{name(bob)}: registration has no enrolment chain" in found
    assert f"{name(bob)}: the whole chain is missing (anchored with 4 records)" in found


def test_a_registration_without_a_chain_is_named(world: dict[str, Any]) -> None:
    """A registration inserted directly (no services, so no chain)."""
    reg = world["reg"]
    forged = Registration.objects.get(pk=reg.pk)
    forged.pk = None
    forged.save()
    assert problems() == [f"{name(forged)}: registration has no enrolment chain"]


def test_expiry_and_plan_changes_stay_reconciled(
    world: dict[str, Any], settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    w = world["w"]
    with django_capture_on_commit_callbacks(execute=True):
        plan_set(
            by=w["centre_admin"],
            registration=world["reg"],
            units=[PlanUnitInput("401", w["assessor_assigned"].pk, dt.date(2013, 5, 1))],
            internal_verifier_id=None,
            allow_units_without_content=True,
        )
        settings.ASSAY_TODAY = "2015-06-01"
        expired = registrations_expire(by=w["awarding_body"])
    assert expired and all(r.status == "expired" for r in expired)
    assert records_verify().ok, records_verify().problems
    Registration.objects.filter(pk=expired[0].pk).update(status="in_progress")
    assert any(
        "status is in_progress but record" in p and "made it expired" in p for p in problems()
    )


def test_only_checks_the_one_chain(world: dict[str, Any]) -> None:
    bob, reg = world["bob"], world["reg"]
    Registration.objects.filter(pk=bob.pk).update(status="in_progress")
    assert records_verify(only=name(reg)).ok
    only = records_verify(only=name(bob))
    assert [p.message for p in only.problems] == [
        "status is in_progress but record 4 made it withdrawn"
    ]


def test_cli_verify_exits_1_on_a_tamper(world: dict[str, Any]) -> None:
    runner = CliRunner()
    clean = runner.invoke(main, ["records", "verify"])
    assert clean.exit_code == 0 and clean.output.startswith("ok: "), clean.output
    RplClaim.objects.filter(pk=world["credit"].pk).update(accepted=False)
    tampered = runner.invoke(main, ["records", "verify"])
    assert tampered.exit_code == 1
    assert f"enrolment:{world['reg'].pk}: credit transfer for unit 404" in tampered.output


def test_reconciling_takes_the_same_queries_whatever_the_number_of_registrations(
    world: dict[str, Any],
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assay.records.services import chain_records
    from assay.registrations.enrolment import reconcile
    from tests.factories import register

    def queries() -> int:
        names = ChainRecord.objects.filter(chain__startswith="enrolment:").values_list(
            "chain", flat=True
        )
        chains = {n: chain_records(n) for n in set(names)}
        with CaptureQueriesContext(connection) as captured:
            assert reconcile(chains, None) == []
        return len(captured)

    before = queries()
    w = world["w"]
    for first in ("Cy", "Di", "Ed"):
        register(w["centre_admin"], w.north, first_name=first)
    assert queries() == before <= 8


def test_adopt_starts_the_chain_of_a_registration_made_before_chains(
    world: dict[str, Any],
) -> None:
    reg, w = world["reg"], world["w"]
    ChainRecord.objects.filter(chain=name(reg)).delete()  # as if made before chains existed
    runner = CliRunner()
    refused = runner.invoke(main, ["register", "adopt", "--as", w["centre_admin"].username])
    assert refused.exit_code != 0 and "only the awarding body" in refused.output
    done = runner.invoke(main, ["register", "adopt", "--as", w["awarding_body"].username])
    assert done.exit_code == 0 and "adopted 1 registration(s)" in done.output, done.output
    assert ChainRecord.objects.get(chain=name(reg)).kind == "adopted"
    # the rows as found now verify; the anchor log still names the deleted history
    found = problems()
    assert found == [f"{name(reg)}: records 2–8 missing (anchored with 8, the database has 1)"]
    again = runner.invoke(main, ["register", "adopt", "--as", w["awarding_body"].username])
    assert "adopted 0 registration(s)" in again.output
    Registration.objects.filter(pk=reg.pk).update(status="withdrawn")
    assert f"{name(reg)}: status is withdrawn but record 1 made it in_progress" in problems()
