"""Reads for the scoring sheets (self-assessment, one sampled site, its evidence files) and
the results page with its trend, change and comparison."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.files import File

from assay.audits import permissions as perm
from assay.audits.models import (
    Audit,
    AuditStatus,
    Office,
    SamplePick,
    SelfAssessment,
    SiteEvidenceFile,
    SiteScore,
)
from assay.audits.selectors import AuditResults, _results_of, audit_get, audits_visible_to
from assay.audits.standards import standard_of
from assay.engines.audit.gaps import change, trend
from assay.engines.audit.model import Standard
from assay.errors import NotAllowed, NotFound
from assay.files.storage import open_evidence
from assay.users import AnyUser

# --- self-assessment and site scores -----------------------------------------------------------


@dataclass(frozen=True)
class ScoreSheet:
    """A scoring form's content: the standard's tree, the latest row per attribute, evidence
    files per attribute (site sheets only), and whether this user may write now."""

    audit: Audit
    standard: Standard
    latest: dict[str, Any]
    evidence: dict[str, list[SiteEvidenceFile]] = field(default_factory=dict)
    office: Office | None = None
    sites: list[Office] = field(default_factory=list)
    editable: bool = False


def self_assessment_sheet(user: AnyUser, pk: int) -> ScoreSheet:
    """Management's expectation per attribute: the organisation's contacts write it during
    self-assessment; the body's staff who see the audit read it."""
    audit = audit_get(user, pk)
    latest: dict[str, SelfAssessment] = {}
    rows = SelfAssessment.objects.filter(audit=audit).select_related("recorded_by")
    for row in rows.order_by("pk"):
        latest[row.attribute] = row
    editable = (
        perm.is_contact_of(user, audit.organisation_id)
        and audit.status == AuditStatus.SELF_ASSESSMENT
    )
    return ScoreSheet(audit, standard_of(audit.standard), latest, editable=editable)


def site_sheet(user: AnyUser, pk: int, office_id: int) -> ScoreSheet:
    """One sampled office's scoring sheet, for an auditor assigned to the audit only. An office
    outside the sample is NotFound; anybody else who sees the audit is NotAllowed."""
    audit = audit_get(user, pk)
    if not perm.is_assigned_auditor(user, audit):
        raise NotAllowed("only an auditor assigned to this audit scores its sites")
    picks = list(
        SamplePick.objects.filter(sample__audit=audit).select_related("office").order_by("position")
    )
    office = next((p.office for p in picks if p.office_id == office_id), None)
    if office is None:
        raise NotFound(f"office {office_id} is not in audit {pk}'s sample")
    latest: dict[str, SiteScore] = {}
    rows = SiteScore.objects.filter(audit=audit, office_id=office_id).select_related("recorded_by")
    for row in rows.order_by("pk"):
        latest[row.attribute] = row
    evidence: dict[str, list[SiteEvidenceFile]] = defaultdict(list)
    for file in SiteEvidenceFile.objects.filter(audit=audit, office_id=office_id):
        evidence[file.attribute].append(file)
    return ScoreSheet(
        audit,
        standard_of(audit.standard),
        latest,
        evidence=dict(evidence),
        office=office,
        sites=[p.office for p in picks],
        editable=audit.status == AuditStatus.FIELDWORK,
    )


def site_evidence_open(user: AnyUser, pk: int, file_pk: int) -> tuple[SiteEvidenceFile, File]:
    """An evidence file of an audit the user may see, opened for reading (the caller closes
    it); a file of another audit is NotFound like a missing one."""
    audit = audit_get(user, pk)
    row = SiteEvidenceFile.objects.filter(audit=audit, pk=file_pk).first()
    if row is None:
        raise NotFound(f"no evidence file {file_pk} in audit {pk}")
    return row, open_evidence(row.storage_name)


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResultsPage:
    """Results (their table names the sampled sites) with everything around them: the
    year-on-year change and the trend over the chain of earlier audits (oldest first), and the
    organisation's other scopes (divisions or whole) for comparison."""

    results: AuditResults
    change: tuple[tuple[str, float | None, float | None], ...]
    trend_labels: list[str]
    trend: tuple[tuple[str, tuple[float | None, ...]], ...]
    comparison: list[tuple[Audit, AuditResults]]


def results_page(user: AnyUser, pk: int) -> ResultsPage:
    audit = audit_get(user, pk)
    r = _results_of(audit)
    chain: list[Audit] = []
    earlier = audit.previous
    while earlier is not None:
        chain.append(earlier)
        earlier = earlier.previous
    chain.reverse()
    chain_results = [(a, _results_of(a)) for a in chain]
    series = [(f"{a.created_on.year} (audit {a.pk})", res.results) for a, res in chain_results]
    series.append((f"{audit.created_on.year} (audit {audit.pk})", r.results))
    previous = chain_results[-1][1].results if chain_results else None
    others = (
        audits_visible_to(user)
        .filter(organisation_id=audit.organisation_id, status=AuditStatus.DECIDED)
        .exclude(
            division__isnull=audit.division_id is None,
            division_id=audit.division_id,  # type: ignore[misc]
        )
        .exclude(pk=audit.pk)
        .order_by("division__name", "-created_on")
    )
    latest_per_scope: dict[int | None, Audit] = {}
    for other in others:
        if other.standard_id == audit.standard_id:
            latest_per_scope.setdefault(other.division_id, other)
    return ResultsPage(
        results=r,
        change=change(previous, r.results) if previous is not None else (),
        trend_labels=[label for label, _ in series],
        trend=trend(r.standard, series) if chain else (),
        comparison=[(a, _results_of(a)) for a in latest_per_scope.values()],
    )
