"""An ``AuditReport`` from stored data, for whoever may see the audit (ADR 0006).

Reads go through the audit selectors, so an audit the user may not see is ``NotFound`` exactly
like a missing one. A recorded decision is shown as stored (its reasons verbatim, the record
that can be defended); before one is recorded the engine's provisional result is shown and the
report says so.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from assay import clock
from assay.audits.answers import draw_rule
from assay.audits.document_review import document_answer, documents_of
from assay.audits.inputs import finding_facts
from assay.audits.models import Audit, AuditKind
from assay.audits.reports.report_data import (
    ILLUSTRATIVE_NOTICE,
    AuditReport,
    DocumentRow,
    FindingRow,
)
from assay.audits.selectors import (
    audit_change,
    audit_results,
    audit_sample,
    findings_of,
    latest_decision,
)
from assay.engines.audit.decision import Decision, Reason, decide
from assay.engines.audit.sampling import Pick, Sample
from assay.users import AnyUser, User


def _person(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _documents(audit: Audit, order: list[str]) -> tuple[DocumentRow, ...]:
    """Each attribute's review documents (the standard's order, then upload order)."""
    rows = []
    for doc in documents_of(audit).order_by("uploaded_at", "pk"):
        for attribute in document_answer(doc).attributes:
            rows.append(
                DocumentRow(
                    attribute,
                    doc.original_name,
                    doc.sha256,
                    _person(doc.uploaded_by),
                    timezone.localtime(doc.uploaded_at).date(),
                )
            )
    place = {code: i for i, code in enumerate(order)}
    return tuple(sorted(rows, key=lambda d: place.get(d.attribute, len(place))))


def report_for(user: AnyUser, audit_pk: int) -> AuditReport:
    """The report of one audit the user may see (``NotFound`` otherwise)."""
    r = audit_results(user, audit_pk)
    audit = r.audit
    draw = audit_sample(user, audit_pk)
    dates: list[tuple[str, dt.date]] = [("Planned", audit.created_on)]
    sample = None
    if draw is not None:
        picks = sorted(draw.picks.all(), key=lambda p: p.position)
        # The engine names sites by office name (``inputs.sampled_sites``): so does the report.
        sample = Sample(
            seed=draw.seed,
            recertification=draw.recertification,
            picks=tuple(Pick(p.office.name, p.state, p.reason, p.how) for p in picks),
            per_state=tuple((str(s), int(x), int(n)) for s, x, n in draw.per_state),
            rule=draw_rule(draw),
        )
        dates.append(("Sample drawn", draw.drawn_on))
    row = latest_decision(audit)
    if row is not None:
        decision = Decision(
            certifiable=row.certifiable,
            reasons=tuple(Reason(**reason) for reason in row.reasons),
            desirable=tuple((str(code), str(band)) for code, band in row.desirable),
        )
        decision_maker: str | None = _person(row.decided_by)
        dates.append(("Decided", row.decided_on))
    else:
        decision = decide(r.standard, r.scores, r.sites, findings=finding_facts(audit))
        decision_maker = None
    previous = audit.previous
    auditors = audit.assignments.select_related("auditor").order_by("pk")
    findings = tuple(
        FindingRow(
            f.ref,
            f.get_grade_display(),
            f.attribute,
            f.office.name,
            f.summary,
            f.evidence,
            *(
                (None, None, "")
                if getattr(f, "corrective_action", None) is None
                else (
                    f.corrective_action.state,
                    f.corrective_action.due_on,
                    f.corrective_action.owner,
                )
            ),
        )
        for f in findings_of(user, audit_pk)
    )
    return AuditReport(
        organisation=audit.organisation.name,
        scope=audit.scope_text,
        standard=r.standard,
        illustrative=audit.standard.illustrative,
        notice=audit.standard.notice or ILLUSTRATIVE_NOTICE,
        reference=f"Audit {audit.pk}",
        kind="re-certification" if audit.kind == AuditKind.RECERTIFICATION else "certification",
        dates=tuple(dates),
        sites=r.table.sites,
        sample=sample,
        findings=findings,
        documents=_documents(audit, [a.code for a in r.standard.attributes]),
        rationale=row.rationale if row is not None else "",
        conditions=row.conditions if row is not None else "",
        results=r.results,
        table=r.table,
        decision=decision,
        gaps=r.gaps,
        profile=r.profile,
        change=audit_change(user, audit_pk) if previous is not None else (),
        previous=f"Audit {previous.pk} ({previous.created_on.year})" if previous else None,
        auditors=tuple(_person(a.auditor) for a in auditors),
        decision_maker=decision_maker,
        generated_on=clock.today(),
    )
