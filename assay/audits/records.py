"""The audit record chain: every act on an audit appended to the generic chain "audit:<pk>".

Each service that writes an audit's rows locks the audit (``audit_lock``) and appends, in the
same transaction, a record whose payload holds every field the app reads from those rows, ids
included (``*_fields``). ``reconcile`` (registered for the prefix "audit") rebuilds from each
chain the rows it implies and compares them with the stored rows, so an attacker who rewrites
a refused audit's scores and decision consistently is named by ``records verify``, and
``certificate_issue`` refuses (``audit_problems``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.db.models import QuerySet

from assay.audits.models import (
    Audit,
    AuditDecision,
    AuditorAssignment,
    AuditPlan,
    AuditPlanVisit,
    AuditStatusChange,
    Certificate,
    CorrectiveAction,
    CorrectiveActionEvent,
    FieldworkReport,
    Finding,
    ReviewDocument,
    ReviewDocumentLink,
    SampleDraw,
    SamplePick,
    SelfAssessment,
    SiteEvidenceFile,
    SiteScore,
)
from assay.engines.records import chain
from assay.records.registry import Problem, day_text, moment_text, subject_id
from assay.users import User

PREFIX = "audit"

# Kinds of audit records (what happened); the payload keys each carries are below.
CREATED = "audit_created"  # {"audit": audit_fields}
STATUS = "status_changed"  # {"status_change": status_fields}
ASSIGNED = "auditor_assigned"  # {"assignment": assignment_fields}
UNASSIGNED = "auditor_unassigned"  # {"assignment": {"id": ...}}
SAMPLE = "sample_drawn"  # {"sample": sample_fields, "picks": [pick_fields, ...]}
SELF = "self_assessment_recorded"  # {"entries": [self_fields, ...]}
SCORES = "site_scores_recorded"  # {"scores": [score_fields, ...]}
EVIDENCE = "site_evidence_uploaded"  # {"file": evidence_fields}
DECISION = "decision_recorded"  # {"decision": decision_fields}
ISSUED = "certificate_issued"  # {"certificate": certificate_fields}
WITHDRAWN = "certificate_withdrawn"  # {"certificate": certificate_fields}
FINDING = "finding_raised"  # {"finding": finding_fields, "action": action_fields | None,
#                              "event": event_fields | None}
CLOSED = "fieldwork_closed"  # {"report": report_fields}
ACTION = "corrective_action_changed"  # {"action": action_fields, "event": event_fields}
PLANNED = "dates_planned"  # {"plan": plan_fields, "visits": [visit_fields, ...]}
DOCUMENT = "review_document_uploaded"  # {"document": document_fields, "links": [link_fields]}
LINKS = "review_document_linked"  # {"links": [link_fields, ...]} (attached or detached)


LEGACY_SAMPLE_RULE = {
    "rule": "per-state-sqrt",
    "rule_version": 1,
    "random_percent": 25,
    "policy_version": 0,
}
"""What a sample record written before sampling rules were stored implies: the default rule."""


def chain_name(audit_id: int) -> str:
    return f"{PREFIX}:{audit_id}"


def audit_lock(audit: Audit) -> Audit:
    """Lock the audit's row for the rest of the transaction, so acts on one audit (and their
    records) are serialised; returns the row as it now stands."""
    return Audit.objects.select_for_update().get(pk=audit.pk)


def audit_record(audit_id: int, kind: str, payload: Mapping[str, Any], by: User | None) -> None:
    """Append one act to the audit's chain (inside the caller's transaction)."""
    from assay.records.services import record_append

    record_append(chain_name(audit_id), kind=kind, payload=payload, by=by)


# --- the fields of each row, as recorded and as compared ------------------------------------


def audit_fields(a: Audit) -> dict[str, Any]:
    """The audit row, without its status (the status records say what it is)."""
    return {
        "id": a.pk,
        "body": a.body_id,
        "organisation": a.organisation_id,
        "division": a.division_id,
        "standard": a.standard_id,
        "kind": a.kind,
        "previous": a.previous_id,
        "created_by": a.created_by_id,
        "created_at": moment_text(a.created_at),
        "created_on": day_text(a.created_on),
    }


def status_fields(s: AuditStatusChange) -> dict[str, Any]:
    return {
        "id": s.pk,
        "status": s.status,
        "note": s.note,
        "changed_by": s.changed_by_id,
        "changed_at": moment_text(s.changed_at),
    }


def assignment_fields(a: AuditorAssignment) -> dict[str, Any]:
    return {
        "id": a.pk,
        "auditor": a.auditor_id,
        "assigned_by": a.assigned_by_id,
        "assigned_at": moment_text(a.assigned_at),
        "lead": a.lead,
    }


def report_fields(r: FieldworkReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "summary": r.summary,
        "submitted_by": r.submitted_by_id,
        "submitted_at": moment_text(r.submitted_at),
        "submitted_on": day_text(r.submitted_on),
    }


def sample_fields(d: SampleDraw) -> dict[str, Any]:
    return {
        "id": d.pk,
        "seed": d.seed,
        "recertification": d.recertification,
        "drawn_on": day_text(d.drawn_on),
        "inputs": d.inputs,
        "per_state": d.per_state,
        "rule": d.rule,
        "rule_version": d.rule_version,
        "random_percent": d.random_percent,
        "policy_version": d.policy_version,
        "drawn_by": d.drawn_by_id,
        "drawn_at": moment_text(d.drawn_at),
    }


def pick_fields(p: SamplePick) -> dict[str, Any]:
    return {
        "id": p.pk,
        "sample": p.sample_id,
        "office": p.office_id,
        "state": p.state,
        "how": p.how,
        "reason": p.reason,
        "position": p.position,
    }


def self_fields(s: SelfAssessment) -> dict[str, Any]:
    return {
        "id": s.pk,
        "attribute": s.attribute,
        "score": s.score,
        "note": s.note,
        "recorded_by": s.recorded_by_id,
        "recorded_at": moment_text(s.recorded_at),
    }


def score_fields(s: SiteScore) -> dict[str, Any]:
    return {
        "id": s.pk,
        "office": s.office_id,
        "attribute": s.attribute,
        "score": s.score,
        "notes": s.notes,
        "recorded_by": s.recorded_by_id,
        "recorded_at": moment_text(s.recorded_at),
        "recorded_on": day_text(s.recorded_on),
    }


def evidence_fields(f: SiteEvidenceFile) -> dict[str, Any]:
    return {
        "id": f.pk,
        "office": f.office_id,
        "attribute": f.attribute,
        "sha256": f.sha256,
        "size": f.size,
        "media_type": f.media_type,
        "original_name": f.original_name,
        "storage_name": f.storage_name,
        "uploaded_by": f.uploaded_by_id,
        "uploaded_at": moment_text(f.uploaded_at),
    }


def document_fields(d: ReviewDocument) -> dict[str, Any]:
    return {
        "id": d.pk,
        "sha256": d.sha256,
        "size": d.size,
        "media_type": d.media_type,
        "original_name": d.original_name,
        "storage_name": d.storage_name,
        "uploaded_by": d.uploaded_by_id,
        "uploaded_at": moment_text(d.uploaded_at),
    }


def link_fields(link: ReviewDocumentLink) -> dict[str, Any]:
    return {
        "id": link.pk,
        "document": link.document_id,
        "attribute": link.attribute,
        "attached": link.attached,
        "reason": link.reason,
        "by": link.by_id,
        "at": moment_text(link.at),
    }


def decision_fields(d: AuditDecision) -> dict[str, Any]:
    return {
        "id": d.pk,
        "certifiable": d.certifiable,
        "reasons": d.reasons,
        "desirable": d.desirable,
        "sites": d.sites,
        "scores": d.scores,
        "findings": d.findings,
        "rationale": d.rationale,
        "conditions": d.conditions,
        "decided_by": d.decided_by_id,
        "decided_on": day_text(d.decided_on),
        "decided_at": moment_text(d.decided_at),
    }


def finding_fields(f: Finding) -> dict[str, Any]:
    return {
        "id": f.pk,
        "number": f.number,
        "office": f.office_id,
        "attribute": f.attribute,
        "grade": f.grade,
        "summary": f.summary,
        "evidence": f.evidence,
        "note": f.note,
        "raised_by": f.raised_by_id,
        "raised_at": moment_text(f.raised_at),
        "raised_on": day_text(f.raised_on),
    }


def action_fields(a: CorrectiveAction) -> dict[str, Any]:
    return {
        "id": a.pk,
        "finding": a.finding_id,
        "state": a.state,
        "due_on": day_text(a.due_on),
        "owner": a.owner,
        "response": a.response,
        "auditor_note": a.auditor_note,
        "updated_by": a.updated_by_id,
        "updated_at": moment_text(a.updated_at),
    }


def event_fields(e: CorrectiveActionEvent) -> dict[str, Any]:
    return {
        "id": e.pk,
        "action": e.action_id,
        "act": e.act,
        "state": e.state,
        "text": e.text,
        "by": e.by_id,
        "at": moment_text(e.at),
    }


def certificate_fields(c: Certificate) -> dict[str, Any]:
    return {
        "id": c.pk,
        "number": c.number,
        "decision": c.decision_id,
        "organisation": c.organisation_id,
        "division": c.division_id,
        "scope_text": c.scope_text,
        "states": c.states,
        "standard_title": c.standard_title,
        "issued_on": day_text(c.issued_on),
        "expires_on": day_text(c.expires_on),
        "issued_by": c.issued_by_id,
        "issued_at": moment_text(c.issued_at),
        "withdrawn_on": day_text(c.withdrawn_on),
        "withdrawn_reason": c.withdrawn_reason,
        "withdrawn_by": c.withdrawn_by_id,
    }


def plan_fields(p: AuditPlan) -> dict[str, Any]:
    return {
        "id": p.pk,
        "version": p.version,
        "opening_on": day_text(p.opening_on),
        "closing_on": day_text(p.closing_on),
        "note": p.note,
        "set_by": p.set_by_id,
        "set_at": moment_text(p.set_at),
    }


def visit_fields(v: AuditPlanVisit) -> dict[str, Any]:
    return {"id": v.pk, "plan": v.plan_id, "office": v.office_id, "on": day_text(v.on)}


# --- reconciliation ----------------------------------------------------------------------------

Rows = dict[int, dict[str, Any]]
"""row id -> its fields."""


class Implied:
    """What one audit's chain says its rows are (the latest record of a row wins)."""

    def __init__(self) -> None:
        self.audit: dict[str, Any] | None = None
        self.rows: dict[str, Rows] = defaultdict(dict)
        self.status: str | None = None

    def add(self, record: chain.Record) -> None:
        p = record.payload
        if record.kind == CREATED:
            self.audit = dict(p["audit"])
        elif record.kind == STATUS:
            self._put("status change", p["status_change"])
            self.status = p["status_change"]["status"]
        elif record.kind == ASSIGNED:
            # Assignments recorded before lead auditors existed were not leads.
            self._put("auditor assignment", {"lead": False, **p["assignment"]})
        elif record.kind == UNASSIGNED:
            self.rows["auditor assignment"].pop(int(p["assignment"]["id"]), None)
        elif record.kind == SAMPLE:
            # Samples recorded before the rule was stored were drawn with the default rule.
            self._put("sample", {**LEGACY_SAMPLE_RULE, **p["sample"]})
            for pick in p["picks"]:
                self._put("sample pick", pick)
        elif record.kind == SELF:
            for entry in p["entries"]:
                self._put("self-assessment", entry)
        elif record.kind == SCORES:
            for entry in p["scores"]:
                self._put("site score", entry)
        elif record.kind == EVIDENCE:
            self._put("site evidence file", p["file"])
        elif record.kind == DECISION:
            # Decisions recorded before findings existed were made on none.
            legacy = {"findings": [], "rationale": "", "conditions": ""}
            self._put("decision", {**legacy, **p["decision"]})
        elif record.kind == CLOSED:
            self._put("fieldwork report", p["report"])
        elif record.kind == FINDING:
            self._put("finding", p["finding"])
            if p.get("action") is not None:
                self._put("corrective action", p["action"])
            if p.get("event") is not None:
                self._put("corrective action event", p["event"])
        elif record.kind == ACTION:
            self._put("corrective action", p["action"])
            self._put("corrective action event", p["event"])
        elif record.kind == PLANNED:
            self._put("plan", p["plan"])
            for visit in p["visits"]:
                self._put("plan visit", visit)
        elif record.kind == DOCUMENT:
            self._put("review document", p["document"])
            for link in p["links"]:
                self._put("review document link", link)
        elif record.kind == LINKS:
            for link in p["links"]:
                self._put("review document link", link)
        elif record.kind in (ISSUED, WITHDRAWN):
            self._put("certificate", p["certificate"])
        else:
            raise KeyError(record.kind)

    def _put(self, what: str, fields: Mapping[str, Any]) -> None:
        self.rows[what][int(fields["id"])] = dict(fields)


def _label(what: str, fields: Mapping[str, Any]) -> str:
    """How a problem names a row: its kind, id and what it is about."""
    if what == "site score" or what == "site evidence file":
        return f"{what} {fields['id']} (office {fields['office']}, attribute {fields['attribute']})"
    if what == "self-assessment":
        return f"{what} {fields['id']} (attribute {fields['attribute']})"
    if what == "sample pick":
        return f"{what} {fields['id']} (office {fields['office']}, position {fields['position']})"
    if what == "certificate":
        return f"{what} {fields['number']}"
    if what == "finding":
        where = f"office {fields['office']}, attribute {fields['attribute']}"
        return f"{what} F{fields['number']} ({where})"
    if what == "review document link":
        return f"{what} {fields['id']} (document {fields['document']}, {fields['attribute']})"
    if what == "auditor assignment":
        return f"{what} {fields['id']} (auditor {fields['auditor']})"
    return f"{what} {fields['id']}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _compare(what: str, stored: Rows, implied: Rows) -> list[str]:
    found = []
    for pk in sorted(stored.keys() | implied.keys()):
        row, recorded = stored.get(pk), implied.get(pk)
        if recorded is None:
            assert row is not None
            found.append(f"{_label(what, row)} was never recorded in the chain")
        elif row is None:
            found.append(f"{_label(what, recorded)} is in the chain but its row is gone")
        else:
            for key in sorted(row.keys() | recorded.keys()):
                for path, now, then in _differences(key, row.get(key), recorded.get(key)):
                    found.append(
                        f"{_label(what, recorded)}: {path} is {_short(now)} "
                        f"but the chain recorded {_short(then)}"
                    )
    return found


def _differences(path: str, now: Any, then: Any, limit: int = 3) -> list[tuple[str, Any, Any]]:
    """Where two values differ: inside mappings, the first ``limit`` keys that differ
    ("scores['Hobart']['S1.1']"), so a rewritten score in a decision reads as one."""
    if now == then:
        return []
    if not (isinstance(now, Mapping) and isinstance(then, Mapping)):
        return [(path, now, then)]
    found: list[tuple[str, Any, Any]] = []
    for key in sorted(now.keys() | then.keys(), key=str):
        found.extend(_differences(f"{path}[{key!r}]", now.get(key), then.get(key), limit))
        if len(found) >= limit:
            return found[:limit]
    return found


def _stored(audit_ids: Sequence[int] | None) -> dict[int, dict[str, Rows]]:
    """Every chained row of the audits named (all audits: None), as their fields."""
    out: dict[int, dict[str, Rows]] = defaultdict(lambda: defaultdict(dict))

    def narrow(qs: QuerySet[Any], field: str = "audit_id") -> QuerySet[Any]:
        return qs if audit_ids is None else qs.filter(**{f"{field}__in": audit_ids})

    tables: list[tuple[str, QuerySet[Any], Callable[[Any], dict[str, Any]], str]] = [
        ("status change", AuditStatusChange.objects.all(), status_fields, "audit_id"),
        ("auditor assignment", AuditorAssignment.objects.all(), assignment_fields, "audit_id"),
        ("sample", SampleDraw.objects.all(), sample_fields, "audit_id"),
        (
            "sample pick",
            SamplePick.objects.select_related("sample").only(
                "id",
                "sample_id",
                "office_id",
                "state",
                "how",
                "reason",
                "position",
                "sample__audit_id",
            ),
            pick_fields,
            "sample__audit_id",
        ),
        ("self-assessment", SelfAssessment.objects.all(), self_fields, "audit_id"),
        ("site score", SiteScore.objects.all(), score_fields, "audit_id"),
        ("site evidence file", SiteEvidenceFile.objects.all(), evidence_fields, "audit_id"),
        ("decision", AuditDecision.objects.all(), decision_fields, "audit_id"),
        ("certificate", Certificate.objects.all(), certificate_fields, "audit_id"),
        ("finding", Finding.objects.all(), finding_fields, "audit_id"),
        ("fieldwork report", FieldworkReport.objects.all(), report_fields, "audit_id"),
        ("plan", AuditPlan.objects.all(), plan_fields, "audit_id"),
        (
            "plan visit",
            AuditPlanVisit.objects.select_related("plan"),
            visit_fields,
            "plan__audit_id",
        ),
        ("review document", ReviewDocument.objects.all(), document_fields, "audit_id"),
        (
            "review document link",
            ReviewDocumentLink.objects.select_related("document"),
            link_fields,
            "document__audit_id",
        ),
        (
            "corrective action",
            CorrectiveAction.objects.select_related("finding"),
            action_fields,
            "finding__audit_id",
        ),
        (
            "corrective action event",
            CorrectiveActionEvent.objects.select_related("action__finding"),
            event_fields,
            "action__finding__audit_id",
        ),
    ]
    for what, qs, fields, field in tables:
        for row in narrow(qs, field).iterator(chunk_size=2000):
            if isinstance(row, SamplePick):
                audit_id = row.sample.audit_id
            elif isinstance(row, CorrectiveAction):
                audit_id = row.finding.audit_id
            elif isinstance(row, AuditPlanVisit):
                audit_id = row.plan.audit_id
            elif isinstance(row, ReviewDocumentLink):
                audit_id = row.document.audit_id
            elif isinstance(row, CorrectiveActionEvent):
                audit_id = row.action.finding.audit_id
            else:
                audit_id = row.audit_id
            out[audit_id][what][row.pk] = fields(row)
    return out


def reconcile(chains: Mapping[str, Sequence[chain.Record]], only: str | None) -> list[Problem]:
    """Compare every audit's rows with what its (verified) chain implies: a row that differs,
    a row no record created, a recorded row that is gone, an audit with no chain at all."""
    from assay.records.models import ChainRecord

    problems: list[Problem] = []
    if only is not None:
        wanted = subject_id(only)
        if wanted is None:
            return [Problem(only, "not an audit chain name (audit:<id>)")]
        ids: list[int] | None = [wanted]
        audits = {a.pk: a for a in Audit.objects.filter(pk=wanted)}
    else:
        ids = None
        audits = {a.pk: a for a in Audit.objects.all().iterator(chunk_size=2000)}
    existing = set(
        ChainRecord.objects.filter(chain__startswith=f"{PREFIX}:")
        .filter(**({"chain": only} if only is not None else {}))
        .values_list("chain", flat=True)
        .distinct()
    )
    stored = _stored(ids)
    for name in sorted(chains):
        audit_id = subject_id(name)
        if audit_id is None:
            problems.append(Problem(name, "not an audit chain name (audit:<id>)"))
        elif audit_id not in audits:
            problems.append(Problem(name, f"the chain records audit {audit_id}, which is gone"))
    for audit_id, audit in sorted(audits.items()):
        name = chain_name(audit_id)
        records = chains.get(name)
        if records is None:
            if name not in existing:  # a broken chain is reported by the chain check itself
                problems.append(
                    Problem(name, f"audit {audit_id} has no record chain; its rows are unchecked")
                )
            continue
        problems.extend(Problem(name, m) for m in _reconcile_one(audit, records, stored[audit_id]))
    return problems


def _reconcile_one(
    audit: Audit, records: Iterable[chain.Record], stored: Mapping[str, Rows]
) -> list[str]:
    implied = Implied()
    for record in records:
        try:
            implied.add(record)
        except (KeyError, TypeError, ValueError) as error:
            return [f"record {record.seq} ({record.kind}): unreadable payload ({error})"]
    found = []
    if implied.audit is None:
        found.append(f"the chain has no {CREATED} record")
    else:
        found.extend(_compare("audit", {audit.pk: audit_fields(audit)}, {audit.pk: implied.audit}))
    if implied.status != audit.status:
        found.append(f"status is {audit.status!r} but the chain recorded {implied.status!r}")
    for what in sorted(stored.keys() | implied.rows.keys()):
        found.extend(_compare(what, stored.get(what, {}), implied.rows.get(what, {})))
    return found


def audit_problems(audit_id: int) -> list[str]:
    """Everything ``records verify`` finds about one audit: its chain, its rows, the anchors."""
    from assay.records.services import records_verify

    return [f"{p.chain}: {p.message}" for p in records_verify(only=chain_name(audit_id)).problems]


def register() -> None:
    from assay.records.registry import reconciler_register

    reconciler_register(PREFIX, reconcile)


__all__ = [
    "audit_lock",
    "audit_problems",
    "audit_record",
    "chain_name",
    "reconcile",
    "register",
]
