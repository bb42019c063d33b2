"""The audit record chain "audit:<pk>": every act recorded, every row reconciled with it, and
no certificate for an audit whose rows were rewritten behind the services' back."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import asdict
from typing import Any

import pytest
from click.testing import CliRunner
from django.db import models, transaction

from assay.audits import services as svc
from assay.audits.certificates import certificate_issue, certificate_withdraw
from assay.audits.inputs import latest_scores, sampled_sites
from assay.audits.models import (
    Audit,
    AuditDecision,
    AuditorAssignment,
    AuditStatus,
    AuditStatusChange,
    Certificate,
    SampleDraw,
    SamplePick,
    SelfAssessment,
    SiteEvidenceFile,
    SiteScore,
)
from assay.audits.records import chain_name
from assay.audits.selectors import decision_verify, sample_verify
from assay.audits.standards import standard_of
from assay.cli.main import main
from assay.engines.audit.decision import decide
from assay.errors import InvalidInput
from assay.records.models import ChainRecord
from assay.records.services import records_verify
from tests.audits.world import (
    AuditWorld,
    close_and_decide,
    sampled_offices,
    score_all,
    to_fieldwork,
)

pytestmark = pytest.mark.django_db

REFUSED = {("Perth", "S1.1"): 2}  # a mandatory attribute at Intention: not certifiable


Committed = Callable[[], AbstractContextManager[Any]]


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Committed:
    """``with committed():`` runs the after-commit anchor writes of what it wraps, as a real
    commit would (the test is one transaction), so the anchor log holds each chain's head."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def cycle(w: AuditWorld, overrides: dict[Any, int] | None = None) -> AuditDecision:
    """Self-assessment, sample, fieldwork with a score of 7 everywhere (but ``overrides``), an
    evidence file, and the decision."""
    admin = w["body_admin"]
    svc.audit_advance(by=admin, audit=w.audit, to="self_assessment")
    svc.self_assessment_record(
        by=w["contact"],
        audit=w.audit,
        entries=[svc.SelfScoreInput("S1.1", 8, "we think so"), svc.SelfScoreInput("S1.2", 6)],
    )
    audit = to_fieldwork_after_self(w)
    score_all(w, 7, overrides=overrides)
    svc.site_evidence_attach(
        by=w["auditor"],
        audit=audit,
        office_id=sampled_offices(audit)[0],
        attribute="S1.1",
        upload=io.BytesIO(b"charter\n"),
        original_name="charter.txt",
    )
    return close_and_decide(w["decision_maker"], audit)


def to_fieldwork_after_self(w: AuditWorld) -> Audit:
    admin = w["body_admin"]
    svc.sample_draw(by=admin, audit=w.audit, seed=20130301)
    svc.audit_advance(by=admin, audit=w.audit, to="fieldwork")
    w.audit.refresh_from_db()
    return w.audit


def problems(audit: Audit | None = None) -> list[str]:
    report = records_verify(only=chain_name(audit.pk) if audit else None)
    return [f"{p.chain}: {p.message}" for p in report.problems]


def refused_certificate(w: AuditWorld, match: str) -> None:
    before = Certificate.objects.count()
    with pytest.raises(InvalidInput, match="does not verify") as error:
        certificate_issue(by=w["decision_maker"], audit=w.audit)
    assert match in str(error.value.errors["audit"])
    assert Certificate.objects.count() == before


# --- the happy path --------------------------------------------------------------------------


def test_a_clean_cycle_is_chained_verifies_and_is_certified(
    aw: AuditWorld, committed: Committed
) -> None:
    with committed():
        decision = cycle(aw)
        assert decision.certifiable
        certificate = certificate_issue(by=aw["decision_maker"], audit=aw.audit)
        certificate_withdraw(by=aw["body_admin"], certificate=certificate, reason="logo misused")
    kinds = list(
        ChainRecord.objects.filter(chain=chain_name(aw.audit.pk))
        .order_by("seq")
        .values_list("kind", flat=True)
    )
    assert kinds == [
        "audit_created",
        "status_changed",
        "auditor_assigned",
        "status_changed",
        "self_assessment_recorded",
        "sample_drawn",
        "status_changed",
        "site_scores_recorded",
        "site_evidence_uploaded",
        "fieldwork_closed",
        "decision_recorded",
        "status_changed",
        "certificate_issued",
        "certificate_withdrawn",
    ]
    report = records_verify()
    assert report.ok, report.problems
    assert report.anchored_chains >= 1
    assert sample_verify(aw["body_admin"], aw.audit.pk).same
    check = decision_verify(aw["body_admin"], aw.audit.pk)
    assert check.agrees and check.problems == () and "chain verifies" in check.message


def test_the_sample_record_holds_every_pick(aw: AuditWorld) -> None:
    audit = to_fieldwork(aw)
    record = ChainRecord.objects.get(chain=chain_name(audit.pk), kind="sample_drawn")
    picks = record.payload["picks"]
    assert record.payload["sample"]["seed"] == audit.sample.seed
    assert record.payload["sample"]["inputs"] == audit.sample.inputs
    assert [
        (p["id"], p["office"], p["state"], p["how"], p["reason"], p["position"]) for p in picks
    ] == list(
        audit.sample.picks.order_by("position").values_list(
            "pk", "office_id", "state", "how", "reason", "position"
        )
    )


def test_a_refused_act_records_nothing(aw: AuditWorld) -> None:
    audit = to_fieldwork(aw)
    before = ChainRecord.objects.count()
    with pytest.raises(InvalidInput):
        svc.site_score_record(
            by=aw["auditor"],
            audit=audit,
            entries=[svc.SiteScoreInput(sampled_offices(audit)[0], "S1.1", 99)],
        )
    assert ChainRecord.objects.count() == before
    assert problems(audit) == []


# --- tampering -------------------------------------------------------------------------------


def _score_row(w: AuditWorld) -> SiteScore:
    perth = w.offices["Perth"].pk
    return SiteScore.objects.get(audit=w.audit, office_id=perth, attribute="S1.1")


def rewrite_score(w: AuditWorld) -> str:
    row = _score_row(w)
    SiteScore.objects.filter(pk=row.pk).update(score=5)
    return (
        f"site score {row.pk} (office {row.office_id}, attribute S1.1): score is 5 "
        "but the chain recorded 7"
    )


def rewrite_decision(w: AuditWorld) -> str:
    AuditDecision.objects.filter(audit=w.audit).update(certifiable=False, reasons=[])
    return "certifiable is False but the chain recorded True"


def delete_pick(w: AuditWorld) -> str:
    pick = SamplePick.objects.filter(sample__audit=w.audit).order_by("-position").first()
    assert pick is not None
    pk = pick.pk
    pick.delete()
    where = f"office {pick.office_id}, position {pick.position}"
    return f"sample pick {pk} ({where}) is in the chain but its row is gone"


def add_score(w: AuditWorld) -> str:
    row = _score_row(w)
    row.pk = None
    row.score = 1
    row.save()
    return f"site score {row.pk} (office {row.office_id}, attribute S1.1) was never recorded"


def change_self_assessment(w: AuditWorld) -> str:
    row = SelfAssessment.objects.get(audit=w.audit, attribute="S1.1")
    SelfAssessment.objects.filter(pk=row.pk).update(score=3)
    return f"self-assessment {row.pk} (attribute S1.1): score is 3 but the chain recorded 8"


def change_status(w: AuditWorld) -> str:
    Audit.objects.filter(pk=w.audit.pk).update(status=AuditStatus.FIELDWORK)
    return "status is 'fieldwork' but the chain recorded 'decided'"


def delete_newest_record(w: AuditWorld) -> str:
    ChainRecord.objects.filter(chain=chain_name(w.audit.pk)).order_by("-seq").first().delete()  # type: ignore[union-attr]
    return "status change"  # the decided status is no longer recorded; the anchor is ahead


def delete_chain(w: AuditWorld) -> str:
    ChainRecord.objects.filter(chain=chain_name(w.audit.pk)).delete()
    return f"audit {w.audit.pk} has no record chain"


def edit_record(w: AuditWorld) -> str:
    row = ChainRecord.objects.get(chain=chain_name(w.audit.pk), kind="decision_recorded")
    row.payload = {**row.payload, "decision": {**row.payload["decision"], "certifiable": False}}
    row.save()
    return f"record {row.seq}: its hash does not match its content"


TAMPERS: list[Callable[[AuditWorld], str]] = [
    rewrite_score,
    rewrite_decision,
    delete_pick,
    add_score,
    change_self_assessment,
    change_status,
    delete_newest_record,
    delete_chain,
    edit_record,
]


@pytest.mark.parametrize("tamper", TAMPERS, ids=lambda t: t.__name__)
def test_records_verify_names_each_tamper(
    aw: AuditWorld, committed: Committed, tamper: Callable[[AuditWorld], str]
) -> None:
    with committed():
        cycle(aw)
    assert problems() == []
    expected = tamper(aw)
    found = problems(aw.audit)
    assert found, "the tamper went unnoticed"
    assert all(f.startswith(f"audit:{aw.audit.pk}") or "anchors" in f for f in found), found
    assert any(expected in f for f in found), found
    assert problems() == found or set(found) <= set(problems())
    check = decision_verify(aw["body_admin"], aw.audit.pk)
    assert not check.agrees and check.problems
    if (
        Audit.objects.get(pk=aw.audit.pk).status == AuditStatus.DECIDED
        and AuditDecision.objects.get(audit=aw.audit).certifiable
    ):
        refused_certificate(aw, f"audit:{aw.audit.pk}")


def test_deleting_the_newest_record_is_caught_by_the_anchor(
    aw: AuditWorld, committed: Committed
) -> None:
    with committed():
        cycle(aw)
    ChainRecord.objects.filter(chain=chain_name(aw.audit.pk)).order_by("-seq").first().delete()  # type: ignore[union-attr]
    found = problems(aw.audit)
    assert any("missing (anchored with" in f for f in found), found


def test_a_refused_audit_rewritten_consistently_gets_no_certificate(
    aw: AuditWorld, committed: Committed
) -> None:
    """The attack: scores and decision of a refused audit rewritten so that they agree with each
    other and with the engine. The old re-check agreed; the chain does not."""
    with committed():
        decision = cycle(aw, overrides=REFUSED)
    assert not decision.certifiable
    SiteScore.objects.filter(audit=aw.audit, score=2).update(score=7)
    scores = latest_scores(aw.audit)
    sites = sampled_sites(aw.audit)
    again = decide(standard_of(aw.audit.standard), scores, sites)
    assert again.certifiable
    AuditDecision.objects.filter(pk=decision.pk).update(
        certifiable=True,
        reasons=[asdict(r) for r in again.reasons],
        scores={site: dict(by) for site, by in scores.items()},
    )
    check = decision_verify(aw["body_admin"], aw.audit.pk)
    assert check.stored_certifiable and check.recomputed_certifiable
    assert not check.agrees
    assert any("certifiable is True but the chain recorded False" in p for p in check.problems)
    assert any("score is 7 but the chain recorded 2" in p for p in check.problems)
    assert any("scores['Perth']['S1.1'] is 7 but the chain recorded 2" in p for p in check.problems)
    refused_certificate(aw, "the chain recorded")

    result = CliRunner().invoke(main, ["audits", "decide", str(aw.audit.pk), "--verify"])
    assert result.exit_code == 1
    assert "DISAGREES" in result.stdout and "the chain recorded" in result.stdout


def test_sample_verify_reports_a_rewritten_draw(aw: AuditWorld) -> None:
    audit = to_fieldwork(aw)
    audit.sample.picks.filter(position=0).update(reason="chosen by hand")
    check = sample_verify(aw["body_admin"], audit.pk)
    assert not check.same and any("reason is 'chosen by hand'" in p for p in check.problems)
    result = CliRunner().invoke(main, ["audits", "sample", str(audit.pk), "--verify"])
    assert result.exit_code == 1 and "MISMATCH" in result.stdout


def test_an_audit_without_a_chain_is_reported_not_a_crash(aw: AuditWorld) -> None:
    old = Audit.objects.create(
        body=aw.body,
        organisation=aw.acme,
        standard=aw.standard,
        created_by=aw["body_admin"],
        created_on=aw.audit.created_on,
    )
    assert problems(old) == [
        f"audit:{old.pk}: audit {old.pk} has no record chain; its rows are unchecked"
    ]
    assert any(f"audit {old.pk} has no record chain" in p for p in problems())
    assert problems(aw.audit) == []


def test_a_chain_whose_audit_is_gone_is_reported(aw: AuditWorld) -> None:
    from assay.records.services import record_append

    with transaction.atomic():
        record_append(
            "audit:999999", kind="audit_created", payload={"audit": {"id": 999999}}, by=None
        )
    gone = "audit:999999: the chain records audit 999999, which is gone"
    assert gone in problems()


# --- every column the app reads is reconciled ------------------------------------------------

CHAINED = (
    Audit,
    AuditStatusChange,
    AuditorAssignment,
    SampleDraw,
    SamplePick,
    SelfAssessment,
    SiteScore,
    SiteEvidenceFile,
    AuditDecision,
    Certificate,
)


def _other(field: Any, value: Any) -> Any:
    """A different value of the column's type (an existing row for a foreign key)."""
    if field.is_relation:
        other = field.related_model.objects.exclude(pk=value).order_by("pk").first()
        return other.pk if other is not None else (value or 0) + 100_000
    if isinstance(field, models.BooleanField):
        return not value
    if isinstance(field, models.DateTimeField):
        return (value or dt.datetime(2013, 1, 1, tzinfo=dt.UTC)) + dt.timedelta(seconds=1)
    if isinstance(field, models.DateField):
        return (value or dt.date(2013, 1, 1)) + dt.timedelta(days=1)
    if isinstance(field, models.IntegerField):
        return value + 1
    if isinstance(field, models.JSONField):
        return [value, "tampered"]
    if isinstance(field, models.CharField | models.TextField):
        if field.name == "status":
            return AuditStatus.FIELDWORK if value == AuditStatus.PLANNED else AuditStatus.PLANNED
        text = f"{value}x"
        limit = getattr(field, "max_length", None)
        return text if limit is None or len(text) <= limit else f"{value[: limit - 1]}x"
    raise AssertionError(f"no tamper for {field!r}")  # pragma: no cover


def test_changing_any_column_of_any_chained_row_is_named(aw: AuditWorld) -> None:
    """Every column of every chained table, changed on its own behind the services' back, is
    a problem (so a column added later without being recorded fails here)."""
    cycle(aw)
    certificate = certificate_issue(by=aw["decision_maker"], audit=aw.audit)
    certificate_withdraw(by=aw["body_admin"], certificate=certificate, reason="misused")
    assert problems() == []
    tried = 0
    for model in CHAINED:
        row = model.objects.filter(pk__in=_rows_of(model, aw.audit)).order_by("pk").first()
        assert row is not None, model
        for field in model._meta.concrete_fields:
            if field.primary_key:
                continue
            value = getattr(row, field.attname)
            with transaction.atomic():
                model.objects.filter(pk=row.pk).update(**{field.attname: _other(field, value)})
                found = problems()
                transaction.set_rollback(True)
            assert found, f"{model.__name__}.{field.name} changed unnoticed"
            tried += 1
    assert problems() == [] and tried > 60


def _rows_of(model: type[models.Model], audit: Audit) -> Any:
    if model is Audit:
        return [audit.pk]
    if model is SamplePick:
        return SamplePick.objects.filter(sample__audit=audit).values("pk")
    return model.objects.filter(audit=audit).values("pk")
