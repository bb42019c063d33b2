"""Unit 403 from empty to signed off, through the services and the decision record."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from assay.cli.main import main
from assay.errors import InvalidInput, NotAllowed, NotFound
from assay.portfolios.assessment import (
    criterion_judge,
    mapping_decide,
    span_record,
    unit_reopen,
    unit_sign_off,
)
from assay.portfolios.models import CriterionMapping, Decision, EvidenceFile, EvidenceItem
from assay.portfolios.selectors import decisions_of, evidence_of, portfolio_coverage
from assay.portfolios.services import (
    authenticity_declare,
    evidence_file_attach,
    mapping_propose,
)
from tests.portfolios.helpers import CRITERIA_403, LOCKED, PNG, RANGES_A, TEXT, add, ready_portfolio

pytestmark = pytest.mark.django_db


def verify(*args: str) -> Any:
    return CliRunner().invoke(main, ["records", "verify", *args])


def test_unit_403_from_empty_to_signed_off_and_reopened(world: dict[str, Any]) -> None:
    w, reg = world, world["reg"]
    empty = portfolio_coverage(w["dan"], reg.pk)["403"]
    assert not empty.ready_to_sign_off and not empty.started
    assert empty.criteria[0].missing == "no evidence yet"

    a = add(w)
    b = add(w, method="product", started_on=dt.date(2013, 2, 20), ended_on=None)
    text = evidence_file_attach(
        by=w["dan"], item=a, upload=io.BytesIO(TEXT), original_name="../notes/account.txt"
    )
    image = evidence_file_attach(
        by=w["dan"], item=b, upload=io.BytesIO(PNG), original_name="poster.png"
    )
    assert (text.media_type, text.original_name) == ("text/plain", "account.txt")
    assert image.media_type == "image/png" and image.size == len(PNG)
    declaration = authenticity_declare(by=w["dan"], item=a, text="This is my own work.")
    assert len(declaration.text_sha256) == 64

    for target in CRITERIA_403 + RANGES_A:
        mapping_propose(by=w["dan"], item=a, unit="403", target=target)
    mapping_propose(by=w["dan"], item=b, unit="403", target="6c")
    proposed = portfolio_coverage(w["alice"], reg.pk)["403"]
    assert proposed.criteria[0].missing == f"evidence {a.pk} proposed, awaiting confirmation"
    assert proposed.ranges[2].covered == ()  # proposals do not count

    with pytest.raises(InvalidInput) as refused:
        unit_sign_off(by=w["alice"], registration=reg, unit="403")
    message = str(refused.value)
    assert "criterion 1.1: evidence" in message and "criterion 3.9: evidence" in message
    assert "evidence requirement 6" in message and "no confirmed evidence yet" in message

    for mapping in CriterionMapping.objects.all():
        mapping_decide(by=w["alice"], mapping=mapping, confirm=True)
    for number in CRITERIA_403:
        met = number != "2.1"
        feedback = "" if met else "Show how colleagues learn you give advice"
        criterion_judge(
            by=w["alice"],
            registration=reg,
            unit="403",
            criterion=number,
            met=met,
            feedback=feedback,
        )
    coverage = portfolio_coverage(w["dan"], reg.pk)["403"]
    assert coverage.reasons[0] == "criterion 2.1: judged not yet met"
    assert coverage.ranges[2].done and coverage.ranges[2].covered == ("a", "c")
    assert coverage.span is not None and coverage.span.days == 50
    assert "not yet recorded the evidence period as sufficient (50 days" in coverage.reasons[1]
    with pytest.raises(InvalidInput, match=r"criterion 2\.1: judged not yet met"):
        unit_sign_off(by=w["alice"], registration=reg, unit="403")

    span_record(by=w["alice"], registration=reg, unit="403", sufficient_days=42)
    criterion_judge(by=w["alice"], registration=reg, unit="403", criterion="2.1", met=True)
    seen = decisions_of(w["alice"], reg.pk).last()
    assert seen is not None
    signed = unit_sign_off(by=w["alice"], registration=reg, unit="403", expected_seq=seen.seq)
    assert signed.kind == "unit_signed_off" and signed.payload["span_start"] == "2013-01-01"
    assert signed.prev_hash == seen.hash

    # Locked: nobody changes anything of 403 until it is reopened.
    before = (
        Decision.objects.count(),
        CriterionMapping.objects.count(),
        EvidenceFile.objects.count(),
    )
    with pytest.raises(InvalidInput, match=LOCKED):
        mapping_propose(by=w["dan"], item=b, unit="403", target="6d")
    with pytest.raises(InvalidInput, match=LOCKED):
        criterion_judge(
            by=w["alice"], registration=reg, unit="403", criterion="1.1", met=False, feedback="no"
        )
    with pytest.raises(InvalidInput, match=LOCKED):
        mapping_decide(
            by=w["alice"], mapping=CriterionMapping.objects.first(), confirm=False, reason="no"
        )
    with pytest.raises(InvalidInput, match=LOCKED):
        evidence_file_attach(by=w["dan"], item=a, upload=io.BytesIO(TEXT), original_name="x.txt")
    with pytest.raises(InvalidInput, match=LOCKED):
        unit_sign_off(by=w["alice"], registration=reg, unit="403")
    after = (
        Decision.objects.count(),
        CriterionMapping.objects.count(),
        EvidenceFile.objects.count(),
    )
    assert after == before
    assert set(CriterionMapping.objects.values_list("status", flat=True)) == {"confirmed"}

    with pytest.raises(NotAllowed):
        unit_reopen(by=w["alice"], registration=reg, unit="403", reason="typo")
    with pytest.raises(InvalidInput, match="reason"):
        unit_reopen(by=w["lena"], registration=reg, unit="403", reason="  ")
    reopened = unit_reopen(
        by=w["lena"], registration=reg, unit="403", reason="IV sample: 1.4 evidence is thin"
    )
    assert reopened.payload == {"unit": "403", "reason": "IV sample: 1.4 evidence is thin"}
    assert reopened.actor_name.startswith("lena")
    mapping_propose(by=w["dan"], item=b, unit="403", target="6d")
    kinds = list(decisions_of(w["dan"], reg.pk).values_list("kind", flat=True))
    assert kinds[-2:] == ["unit_signed_off", "unit_reopened"]
    assert [i.pk for i in evidence_of(w["dan"], reg.pk)] == [a.pk, b.pk]

    result = verify("--chain", f"registration:{reg.pk}")  # (the enrolment chain is apart)
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"ok: {len(kinds)} records in 1 chains, ")


def test_a_hand_edited_decision_is_named_by_the_chain_check(world: dict[str, Any]) -> None:
    w, reg = world, world["reg"]
    ready_portfolio(w)
    criterion_judge(by=w["alice"], registration=reg, unit="403", criterion="1.1", met=True)
    judged = Decision.objects.get(kind="criterion_judged")
    assert verify("--registration", str(reg.pk)).exit_code == 0
    Decision.objects.filter(pk=judged.pk).update(payload={**judged.payload, "met": False})
    result = verify()
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        f"broken: registration:{reg.pk}: record {judged.seq}: "
        f"its hash does not match its content ({judged.seq - 1} records before it check out)"
    )
    assert result.output.splitlines()[1].startswith("1 problems; ")


def test_an_assessor_cannot_judge_a_candidate_not_theirs(world: dict[str, Any]) -> None:
    w, reg = world, world["reg"]
    a = add(w)
    mapping_propose(by=w["dan"], item=a, unit="403", target="1.1")
    # Bob assesses 401 for Dana, not 403; he sees the portfolio but cannot judge 403.
    for act in (
        lambda: criterion_judge(
            by=w["bob"], registration=reg, unit="403", criterion="1.1", met=True
        ),
        lambda: mapping_decide(by=w["bob"], mapping=CriterionMapping.objects.get(), confirm=True),
        lambda: unit_sign_off(by=w["bob"], registration=reg, unit="403"),
        lambda: span_record(by=w["bob"], registration=reg, unit="403", sufficient_days=1),
    ):
        with pytest.raises(NotAllowed):
            act()
    # A candidate's own acts are the candidate's: they cannot judge themselves.
    with pytest.raises(NotAllowed):
        criterion_judge(by=w["dan"], registration=reg, unit="403", criterion="1.1", met=True)
    assert not Decision.objects.exists()


def test_an_assessor_of_another_candidate_sees_nothing(world: dict[str, Any]) -> None:
    from assay.registrations.plans import PlanUnitInput, plan_set

    w, reg = world, world["reg"]
    plan_set(by=w["carol"], registration=reg, units=[PlanUnitInput("403", w["alice"].pk)])
    with pytest.raises(NotFound):
        portfolio_coverage(w["bob"], reg.pk)
    with pytest.raises(NotFound):
        decisions_of(w["bob"], reg.pk)
    with pytest.raises(NotAllowed):
        criterion_judge(by=w["bob"], registration=reg, unit="403", criterion="1.1", met=True)
    with pytest.raises(NotAllowed):
        add(w, by="bob")


def test_a_stale_expected_seq_is_refused_and_changes_nothing(world: dict[str, Any]) -> None:
    w, reg = world, world["reg"]
    ready_portfolio(w)
    seen = Decision.objects.order_by("seq").last()
    assert seen is not None
    criterion_judge(
        by=w["alice"],
        registration=reg,
        unit="403",
        criterion="1.1",
        met=True,
        expected_seq=seen.seq,
    )
    count = Decision.objects.count()
    with pytest.raises(InvalidInput, match="someone else changed this unit; reload"):
        criterion_judge(
            by=w["alice"],
            registration=reg,
            unit="403",
            criterion="1.1",
            met=False,
            feedback="thin",
            expected_seq=seen.seq,
        )
    with pytest.raises(InvalidInput, match="someone else changed this unit; reload"):
        unit_sign_off(by=w["alice"], registration=reg, unit="403", expected_seq=seen.seq)
    assert Decision.objects.count() == count


def test_simulated_evidence_cannot_support_a_level_4_unit(world: dict[str, Any]) -> None:
    w, reg = world, world["reg"]
    sim = add(w, context="simulation", description="Role play of a briefing")
    mapping_propose(by=w["dan"], item=sim, unit="403", target="1.1")
    mapping_decide(by=w["alice"], mapping=CriterionMapping.objects.get(), confirm=True)
    coverage = portfolio_coverage(w["alice"], reg.pk)["403"]
    assert coverage.criteria[0].evidenced_by == ()
    assert len(coverage.context_problems) == 1 and str(sim.pk) in coverage.context_problems[0]
    mapping_decide(
        by=w["alice"],
        mapping=CriterionMapping.objects.get(),
        confirm=False,
        reason="A role play cannot evidence a level 4 unit",
    )
    assert portfolio_coverage(w["alice"], reg.pk)["403"].context_problems == ()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"started_on": dt.date(2013, 3, 2), "ended_on": None}, "started_on"),
        ({"ended_on": dt.date(2013, 3, 2)}, "ended_on"),
        ({"ended_on": dt.date(2012, 12, 31)}, "ended_on"),
        ({"method": "hearsay"}, "method"),
        ({"context": "dream"}, "context"),
        ({"description": " "}, "description"),
    ],
)
def test_bad_evidence_is_refused(
    world: dict[str, Any], overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        add(world, **overrides)
    assert field in refused.value.errors
    assert not EvidenceItem.objects.exists()


def test_mappings_must_name_a_planned_unit_and_a_real_target(world: dict[str, Any]) -> None:
    w = world
    a = add(w)
    with pytest.raises(InvalidInput, match="not on the learning plan"):
        mapping_propose(by=w["dan"], item=a, unit="405", target="1.1")
    for target in ("9.9", "6f", "8a", "6"):
        with pytest.raises(InvalidInput, match="no criterion or evidence requirement item"):
            mapping_propose(by=w["dan"], item=a, unit="403", target=target)
    mapping_propose(by=w["dan"], item=a, unit="403", target="6e")
    with pytest.raises(InvalidInput, match="already mapped"):
        mapping_propose(by=w["dan"], item=a, unit="403", target="6e")
    with pytest.raises(NotAllowed):
        mapping_propose(by=w["alice"], item=a, unit="403", target="1.1")
    assert CriterionMapping.objects.count() == 1


def test_wrong_type_files_are_refused_and_nothing_is_attached(world: dict[str, Any]) -> None:
    w = world
    a = add(w)
    with pytest.raises(InvalidInput, match="not accepted as evidence"):
        evidence_file_attach(
            by=w["dan"],
            item=a,
            upload=io.BytesIO(b"MZ\x90\x00" + bytes(300)),
            original_name="cv.pdf",
        )
    with pytest.raises(InvalidInput, match="cut off"):
        evidence_file_attach(
            by=w["dan"],
            item=a,
            upload=io.BytesIO(TEXT[:10]),
            original_name="a.txt",
            expected_size=len(TEXT),
        )
    assert not EvidenceFile.objects.exists()


def test_progress_counts_only_signed_off_units(world: dict[str, Any]) -> None:
    from assay.portfolios.selectors import portfolio_progress

    w, reg = world, world["reg"]
    ready_portfolio(w)
    for number in CRITERIA_403:
        criterion_judge(by=w["alice"], registration=reg, unit="403", criterion=number, met=True)
    span_record(by=w["alice"], registration=reg, unit="403", sufficient_days=30)
    ready = portfolio_progress(w["dan"], reg.pk)
    assert [(u.unit, u.state) for u in ready.units] == [("401", "not-started"), ("403", "ready")]
    assert ready.credits_achieved == 0
    unit_sign_off(by=w["alice"], registration=reg, unit="403")
    signed = portfolio_progress(w["dan"], reg.pk)
    assert signed.signed_off == ("403",) and signed.credits_achieved == 10
    assert not signed.decision.met


def test_files_open_only_for_people_who_may_see_the_portfolio(world: dict[str, Any]) -> None:
    from assay.portfolios.selectors import evidence_file_get, evidence_file_open

    w = world
    stored = evidence_file_attach(
        by=w["dan"], item=add(w), upload=io.BytesIO(TEXT), original_name="a.txt"
    )
    _row, content = evidence_file_open(w["alice"], stored.pk)
    with content:
        assert content.read() == TEXT
    outsider = get_user_model().objects.create_user(username="mallory", password="x-mallory")
    for user in (outsider, AnonymousUser()):
        with pytest.raises(NotFound):
            evidence_file_get(user, stored.pk)
    with pytest.raises(NotFound):
        evidence_file_get(w["dan"], stored.pk + 1)


def test_a_writer_that_lost_the_race_for_a_seq_is_refused(world: dict[str, Any]) -> None:
    from django.db import transaction

    from assay.portfolios.models import DecisionKind
    from assay.portfolios.records import decision_append

    w, reg = world, world["reg"]
    span_record(by=w["alice"], registration=reg, unit="403", sufficient_days=30)
    # As if another process read "no decisions yet" before the first one was written.
    with pytest.raises(InvalidInput, match="someone else changed this unit"), transaction.atomic():
        decision_append(
            registration=reg,
            last=None,
            by=w["alice"],
            kind=DecisionKind.SPAN_RECORDED,
            unit="403",
            payload={"sufficient_days": 1},
        )
    assert Decision.objects.count() == 1


def test_coverage_runs_a_fixed_number_of_queries(world: dict[str, Any]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w, reg = world, world["reg"]
    ready_portfolio(w)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            portfolio_coverage(w["dan"], reg.pk)
        return len(captured)

    small = queries()
    for n in range(5):
        item = add(w, description=f"Extra {n}")
        mapping_propose(by=w["dan"], item=item, unit="403", target="1.1")
        criterion_judge(by=w["alice"], registration=reg, unit="403", criterion="1.2", met=True)
    assert queries() == small


def test_only_the_candidate_declares_authenticity(world: dict[str, Any]) -> None:
    item = add(world)
    with pytest.raises(NotAllowed):
        authenticity_declare(by=world["alice"], item=item, text="Dana's own work")
    with pytest.raises(InvalidInput):
        authenticity_declare(by=world["dan"], item=item, text=" ")
    assert not item.declarations.exists()
