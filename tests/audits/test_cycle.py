"""The audit cycle through the services: happy path, reproducibility, refusals change nothing."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest

from assay import clock
from assay.audits import services as svc
from assay.audits.certificates import (
    certificate_issue,
    certificate_withdraw,
    check_letter,
    mark_entitled,
    reminders_due,
    reminders_send,
    status_of,
    well_formed,
)
from assay.audits.models import (
    AuditDecision,
    AuditStatusChange,
    Certificate,
    SampleDraw,
    SelfAssessment,
    SiteEvidenceFile,
    SiteScore,
)
from assay.audits.selectors import (
    audit_change,
    audit_results,
    certificate_public,
    decision_verify,
    results_answer,
    sample_verify,
    score_history,
)
from assay.errors import InvalidInput, NotAllowed, NotFound
from tests.audits.world import (
    SEED,
    AuditWorld,
    close_and_decide,
    sampled_offices,
    score_all,
    to_fieldwork,
)

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count()
        for m in (
            SampleDraw,
            SelfAssessment,
            SiteScore,
            SiteEvidenceFile,
            AuditDecision,
            Certificate,
            AuditStatusChange,
        )
    )


def unchanged(call: Any, exc: type[Exception], match: str) -> None:
    """``call`` raises ``exc`` mentioning ``match`` and no row of the cycle changed."""
    before = counts()
    with pytest.raises(exc, match=match):
        call()
    assert counts() == before


def decided(w: AuditWorld, score: int = 7, **kw: Any) -> AuditDecision:
    audit = to_fieldwork(w)
    score_all(w, score, **kw)
    return close_and_decide(w["decision_maker"], audit)


def test_sample_has_every_state_main_office_and_is_reproducible(aw: AuditWorld) -> None:
    audit = to_fieldwork(aw)
    draw = audit.sample
    assert draw.seed == SEED and draw.recertification is False
    picks = list(draw.picks.select_related("office"))
    mains = {p.office.name for p in picks if p.how == "main"}
    assert mains == {"Sydney", "Melbourne", "Perth"}
    # NSW has 3 other offices: ceil(sqrt(3)) = 2 of them; VIC 1 other: 1; WA none.
    assert sorted(map(tuple, draw.per_state)) == [("NSW", 3, 2), ("VIC", 1, 1), ("WA", 0, 0)]
    assert all(p.reason for p in picks)
    check = sample_verify(aw["body_admin"], audit.pk)
    assert check.same, check.message


def test_sample_verify_notices_a_tampered_pick(aw: AuditWorld) -> None:
    audit = to_fieldwork(aw)
    pick = audit.sample.picks.exclude(how="main").first()
    assert pick is not None
    other = (
        aw.acme.offices.filter(state=pick.state, is_main=False)
        .exclude(pk__in=sampled_offices(audit))
        .first()
    )
    if other is None:  # every other office was drawn: change the reason instead
        pick.reason = "tampered"
    else:
        pick.office = other
    pick.save()
    assert not sample_verify(aw["body_admin"], audit.pk).same


def test_sample_is_drawn_once_and_only_before_fieldwork(aw: AuditWorld) -> None:
    audit = to_fieldwork(aw)
    unchanged(
        lambda: svc.sample_draw(by=aw["body_admin"], audit=audit), InvalidInput, "before fieldwork"
    )


def test_division_scope_samples_the_division_offices(aw: AuditWorld) -> None:
    admin = aw["body_admin"]
    audit = svc.audit_create(
        by=admin, organisation=aw.acme, standard=aw.standard, division=aw.extra["retail"]
    )
    svc.sample_draw(by=admin, audit=audit, seed=1)
    names = set(audit.sample.picks.values_list("office__name", flat=True))
    assert names == {"Newcastle", "Wollongong", "Geelong"}
    assert "Retail division" in audit.scope_text


def test_full_cycle_certifiable_with_certificate(aw: AuditWorld) -> None:
    admin, contact = aw["body_admin"], aw["contact"]
    svc.audit_advance(by=admin, audit=aw.audit, to="self_assessment")
    svc.self_assessment_record(
        by=contact,
        audit=aw.audit,
        entries=[
            svc.SelfScoreInput("S1.1", 9, "we think we are good"),
            svc.SelfScoreInput("S1.2", 4),
        ],
    )
    svc.sample_draw(by=aw["auditor"], audit=aw.audit, seed=SEED)
    svc.audit_advance(by=aw["auditor"], audit=aw.audit, to="fieldwork")
    score_all(aw, 7)
    decision = close_and_decide(aw["decision_maker"], aw.audit)
    assert decision.certifiable
    assert decision.decided_on == clock.today()  # the pinned day, not the wall clock
    assert decision.reasons and all({"code", "text"} <= set(r) for r in decision.reasons)
    aw.audit.refresh_from_db()
    assert aw.audit.status == "decided"
    assert list(aw.audit.status_history.values_list("status", flat=True)) == [
        "planned",
        "self_assessment",
        "fieldwork",
        "decided",
    ]
    res = results_answer(contact, aw.audit.pk).model_dump(mode="json")
    assert res["decision"]["certifiable"] is True
    assert res["gaps"][0]["attribute"] == "S1.1" and res["gaps"][0]["gap"] == 2
    assert decision_verify(aw["body_admin"], aw.audit.pk).agrees

    certificate = certificate_issue(by=admin, audit=aw.audit)
    assert well_formed(certificate.number) and certificate.number.startswith("ICSS-2013-")
    assert certificate.issued_on == dt.date(2013, 3, 1)
    assert certificate.expires_on == dt.date(2014, 3, 1)
    assert certificate.states == ["NSW", "VIC", "WA"]
    unchanged(lambda: certificate_issue(by=admin, audit=aw.audit), InvalidInput, "already")


def test_mandatory_at_intention_refuses_with_the_reason(aw: AuditWorld) -> None:
    decision = decided(aw, 7, overrides={("Perth", "S1.1"): 2})
    assert not decision.certifiable
    blocking = [r for r in decision.reasons if r["code"] == "mandatory_at_intention"]
    assert len(blocking) == 1 and blocking[0]["attribute"] == "S1.1"
    assert blocking[0]["site"] == "Perth" and "Perth" in blocking[0]["text"]
    unchanged(
        lambda: certificate_issue(by=aw["body_admin"], audit=aw.audit),
        InvalidInput,
        "not certifiable",
    )


def test_missing_score_refuses(aw: AuditWorld) -> None:
    audit = to_fieldwork(aw)
    first = sampled_offices(audit)[0]
    svc.site_score_record(
        by=aw["auditor"], audit=audit, entries=[svc.SiteScoreInput(first, "S1.1", 8)]
    )
    decision = close_and_decide(aw["decision_maker"], audit)
    assert not decision.certifiable
    assert any(r["code"] == "missing_score" for r in decision.reasons)


def test_scores_are_append_only_latest_wins_history_kept(aw: AuditWorld) -> None:
    audit = to_fieldwork(aw)
    office = sampled_offices(audit)[0]
    for value in (3, 8):
        svc.site_score_record(
            by=aw["auditor"], audit=audit, entries=[svc.SiteScoreInput(office, "S1.1", value)]
        )
    history = list(score_history(aw["body_admin"], audit.pk, office_id=office, attribute="S1.1"))
    assert [h.score for h in history] == [3, 8]
    assert all(h.recorded_by == aw["auditor"] for h in history)
    res = audit_results(aw["body_admin"], audit.pk)
    name = history[0].office.name
    assert dict(res.results.attribute("S1.1").by_site)[name] == 8


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (("S1.1", 11), "off the scale"),
        (("S1.1", -1), "off the scale"),
        (("X9.9", 5), "no attribute"),
    ],
)
def test_bad_scores_are_refused_and_change_nothing(
    aw: AuditWorld, entry: tuple[str, int], message: str
) -> None:
    audit = to_fieldwork(aw)
    office = sampled_offices(audit)[0]
    good = svc.SiteScoreInput(office, "S1.2", 5)
    bad = svc.SiteScoreInput(office, *entry)
    unchanged(
        lambda: svc.site_score_record(by=aw["auditor"], audit=audit, entries=[good, bad]),
        InvalidInput,
        message,
    )


def test_score_at_an_office_outside_the_sample_is_refused(aw: AuditWorld) -> None:
    audit = to_fieldwork(aw)
    outside = aw.offices["Brisbane"].pk
    unchanged(
        lambda: svc.site_score_record(
            by=aw["auditor"], audit=audit, entries=[svc.SiteScoreInput(outside, "S1.1", 5)]
        ),
        InvalidInput,
        "not in this audit's sample",
    )


def test_self_assessment_only_by_the_contact_while_open(aw: AuditWorld) -> None:
    entry = [svc.SelfScoreInput("S1.1", 5)]
    unchanged(
        lambda: svc.self_assessment_record(by=aw["contact"], audit=aw.audit, entries=entry),
        InvalidInput,
        "closed",
    )
    svc.audit_advance(by=aw["body_admin"], audit=aw.audit, to="self_assessment")
    for role in ("contact_other", "auditor", "body_admin"):
        unchanged(
            lambda role=role: svc.self_assessment_record(
                by=aw[role], audit=aw.audit, entries=entry
            ),
            NotAllowed,
            "contacts",
        )
    unchanged(
        lambda: svc.self_assessment_record(
            by=aw["contact"], audit=aw.audit, entries=[svc.SelfScoreInput("S1.1", 12)]
        ),
        InvalidInput,
        "off the scale",
    )


def test_separation_of_duties(aw: AuditWorld) -> None:
    admin = aw["body_admin"]
    audit = to_fieldwork(aw)
    # The decision maker is also an auditor and scored this audit: refused.
    svc.body_role_grant(by=admin, body=aw.body, user=aw["decision_maker"], role="auditor")
    svc.auditor_assign(by=admin, audit=audit, auditor=aw["decision_maker"])
    office = sampled_offices(audit)[0]
    svc.site_score_record(
        by=aw["decision_maker"], audit=audit, entries=[svc.SiteScoreInput(office, "S1.1", 7)]
    )
    unchanged(
        lambda: svc.decision_record(by=aw["decision_maker"], audit=audit, rationale="r"),
        NotAllowed,
        "did not assess",
    )
    # An auditor without the decision maker role: refused.
    unchanged(
        lambda: svc.decision_record(by=aw["auditor"], audit=audit, rationale="r"),
        NotAllowed,
        "decision maker",
    )


def test_decision_only_once_and_only_in_fieldwork(aw: AuditWorld) -> None:
    unchanged(
        lambda: svc.decision_record(by=aw["decision_maker"], audit=aw.audit, rationale="r"),
        InvalidInput,
        "not ready",
    )
    decided(aw)
    unchanged(
        lambda: svc.decision_record(by=aw["decision_maker"], audit=aw.audit, rationale="r"),
        InvalidInput,
        "not ready",
    )


def test_decision_verify_notices_changed_scores(aw: AuditWorld) -> None:
    decided(aw, 7)
    office = sampled_offices(aw.audit)[0]
    SiteScore.objects.create(  # a row added behind the services' back
        audit=aw.audit,
        office_id=office,
        attribute="S1.1",
        score=1,
        recorded_by=aw["auditor"],
        recorded_on=dt.date(2013, 3, 2),
    )
    check = decision_verify(aw["body_admin"], aw.audit.pk)
    assert check.scores_changed and not check.agrees
    assert check.stored_certifiable and not check.recomputed_certifiable


def test_evidence_file_is_content_addressed(aw: AuditWorld) -> None:
    audit = to_fieldwork(aw)
    office = sampled_offices(audit)[0]
    stored = [
        svc.site_evidence_attach(
            by=aw["auditor"],
            audit=audit,
            office_id=office,
            attribute="S1.1",
            upload=io.BytesIO(b"complaints log\n"),
            original_name=name,
        )
        for name in ("log.txt", "again.txt")
    ]
    assert stored[0].sha256 == stored[1].sha256 and stored[0].storage_name.startswith("evidence/")
    unchanged(
        lambda: svc.site_evidence_attach(
            by=aw["auditor_other"],
            audit=audit,
            office_id=office,
            attribute="S1.1",
            upload=io.BytesIO(b"x\n"),
            original_name="x.txt",
        ),
        NotAllowed,
        "assigned",
    )


def test_certificate_status_follows_the_clock(aw: AuditWorld, settings: Any) -> None:
    decided(aw)
    certificate = certificate_issue(by=aw["decision_maker"], audit=aw.audit)
    assert status_of(certificate, dt.date(2013, 3, 1)) == "valid"
    assert status_of(certificate, dt.date(2014, 2, 28)) == "valid"
    assert status_of(certificate, dt.date(2014, 3, 1)) == "expired"
    assert not mark_entitled(certificate, dt.date(2014, 3, 1))
    settings.ASSAY_TODAY = "2014-03-02"
    assert certificate_public(certificate.number).model_dump()["status"] == "expired"
    assert certificate_public(certificate.number).model_dump()["mark"] is None
    settings.ASSAY_TODAY = "2013-06-01"
    assert certificate_public(certificate.number).model_dump()["mark"] == (
        "Certified Customer Service Organization"
    )
    unchanged(
        lambda: certificate_withdraw(by=aw["decision_maker"], certificate=certificate, reason="x"),
        NotAllowed,
        "administrators",
    )
    certificate_withdraw(by=aw["body_admin"], certificate=certificate, reason="misuse of the mark")
    assert certificate_public(certificate.number).model_dump()["status"] == "withdrawn"


def test_public_lookup_shows_only_public_fields(aw: AuditWorld) -> None:
    decided(aw)
    certificate = certificate_issue(by=aw["body_admin"], audit=aw.audit)
    shown = certificate_public(certificate.number.lower()).model_dump(mode="json")
    assert set(shown) == {
        "number",
        "organisation",
        "scope",
        "states",
        "standard",
        "issued_on",
        "valid_through",
        "expires_on",
        "status",
        "mark",
    }
    prefix, year, serial, letter = certificate.number.split("-")
    wrong = next(c for c in "ABCDEFGH" if c != letter)
    with pytest.raises(NotFound, match="check the letters"):
        certificate_public(f"{prefix}-{year}-{serial}-{wrong}")
    typo = f"{int(serial[0]) + 1 if serial[0] != '9' else 0}{serial[1:]}"
    with pytest.raises(NotFound):
        certificate_public(f"{prefix}-{year}-{typo}-{letter}")
    assert check_letter(prefix, int(year), int(serial)) == letter


def test_reminders_before_expiry_are_sent_once(
    aw: AuditWorld, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    decided(aw)
    certificate = certificate_issue(by=aw["body_admin"], audit=aw.audit)
    assert reminders_due(aw["body_admin"], within_days=60) == []
    settings.ASSAY_TODAY = "2014-01-15"
    due = reminders_due(aw["body_admin"], within_days=60)
    assert [(d.certificate, d.days_left, d.recipients) for d in due] == [
        (certificate, 45, ("contact@example.org",))
    ]
    assert reminders_due(aw["contact"], within_days=60) == []  # a contact sends nothing
    with django_capture_on_commit_callbacks(execute=True):  # emails go out on commit
        assert len(reminders_send(by=aw["body_admin"], within_days=60)) == 1
        assert reminders_send(by=aw["body_admin"], within_days=60) == []
    assert len(mail.outbox) == 1 and certificate.number in mail.outbox[0].subject


def test_recertification_uses_previous_history_and_shows_change(
    aw: AuditWorld, settings: Any
) -> None:
    decided(aw, 5)
    settings.ASSAY_TODAY = "2014-02-01"
    admin = aw["body_admin"]
    again = svc.audit_recertify(by=admin, previous=aw.audit)
    assert again.kind == "recertification" and again.standard == aw.audit.standard
    unchanged(lambda: svc.audit_recertify(by=admin, previous=aw.audit), InvalidInput, "already")
    svc.auditor_assign(by=admin, audit=again, auditor=aw["auditor"])
    to_fieldwork(aw, again)
    draw = again.sample
    assert draw.recertification is True
    visited = {o["id"]: o for o in draw.inputs}
    sydney = visited[str(aw.offices["Sydney"].pk)]
    assert sydney["last_score"] == 5.0 and sydney["last_visited"] == "2013-03-01"
    assert sample_verify(admin, again.pk).same
    score_all(aw, 8, audit=again)
    rows = dict((code, (before, after)) for code, before, after in audit_change(admin, again.pk))
    assert rows["S1.1"] == (5.0, 8.0)
