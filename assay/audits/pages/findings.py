"""The findings page of one audit: every finding with its corrective action and history, as
the API answers them, and what this user may do (raise; answer; review and verify)."""

from __future__ import annotations

from dataclasses import dataclass

from assay.audits import permissions as perm
from assay.audits.answers import FindingOut, finding_answer
from assay.audits.models import Audit, AuditStatus, FindingGrade, SamplePick
from assay.audits.selectors import audit_get, findings_of
from assay.audits.standards import standard_of
from assay.users import AnyUser


@dataclass(frozen=True)
class FindingsPage:
    audit: Audit
    findings: list[FindingOut]
    may_raise: bool  # an assigned auditor during fieldwork
    may_respond: bool  # the organisation's contact during fieldwork
    may_review: bool  # an assigned auditor during fieldwork (review and verify)
    sites: list[tuple[int, str]]  # sampled offices (id, name), for the raise form
    attributes: list[tuple[str, str]]  # (code, title)
    grades: list[tuple[str, str]]


def findings_page(user: AnyUser, pk: int) -> FindingsPage:
    audit = audit_get(user, pk)
    open_ = audit.status == AuditStatus.FIELDWORK
    auditor = open_ and perm.is_assigned_auditor(user, audit)
    sites: list[tuple[int, str]] = []
    attributes: list[tuple[str, str]] = []
    if auditor:
        sites = list(
            SamplePick.objects.filter(sample__audit=audit)
            .order_by("position")
            .values_list("office_id", "office__name")
        )
        attributes = [(a.code, a.title) for a in standard_of(audit.standard).attributes]
    return FindingsPage(
        audit=audit,
        findings=[finding_answer(f) for f in findings_of(user, pk)],
        may_raise=auditor,
        may_respond=open_ and perm.is_contact_of(user, audit.organisation_id),
        may_review=auditor,
        sites=sites,
        attributes=attributes,
        grades=list(FindingGrade.choices),
    )
