"""Reads for the scoring sheets (self-assessment, one sampled site, its evidence files) and
the results page with its trend, change and comparison."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.files import File
from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

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
from assay.audits.selectors import (
    EVIDENCE_ORDER,
    AuditResults,
    _results_of,
    audit_get,
    audits_visible_to,
    evidence_of,
)
from assay.audits.standards import standard_of
from assay.engines.audit.gaps import change, trend
from assay.engines.audit.model import Standard
from assay.errors import NotAllowed, NotFound
from assay.files.storage import open_evidence
from assay.keyset import Page, paginate
from assay.users import AnyUser

# --- self-assessment and site scores -----------------------------------------------------------

SHEET_FILES = 3  # the newest files a site sheet shows per attribute; the rest are a link away


@dataclass(frozen=True, slots=True)
class EvidenceShown:
    """An attribute's evidence on a site sheet: its newest files and how many it has."""

    files: list[SiteEvidenceFile]
    total: int

    @property
    def more(self) -> int:
        """How many files the sheet does not show (the paged list shows them all)."""
        return self.total - len(self.files)


@dataclass(frozen=True)
class ScoreSheet:
    """A scoring form's content: the standard's tree, the latest row per attribute, the newest
    evidence files and their count per attribute (site sheets only), and whether this user
    may write now."""

    audit: Audit
    standard: Standard
    latest: dict[str, Any]
    evidence: dict[str, EvidenceShown] = field(default_factory=dict)
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
    return ScoreSheet(
        audit,
        standard_of(audit.standard),
        latest,
        evidence=newest_evidence(audit, office_id),
        office=office,
        sites=[p.office for p in picks],
        editable=audit.status == AuditStatus.FIELDWORK,
    )


def newest_evidence(audit: Audit, office_id: int) -> dict[str, EvidenceShown]:
    """Per attribute, the ``SHEET_FILES`` newest evidence files of one office and the count of
    all of them, in one query whatever their number: each row carries its rank within its
    attribute and the attribute's total (window functions, on SQLite and PostgreSQL alike)."""
    by_attribute = [F("attribute")]
    rows = (
        SiteEvidenceFile.objects.filter(audit=audit, office_id=office_id)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=by_attribute,
                order_by=[F("uploaded_at").desc(), F("pk").desc()],
            ),
            total=Window(Count("pk"), partition_by=by_attribute),
        )
        .filter(rank__lte=SHEET_FILES)
        .order_by("attribute", *EVIDENCE_ORDER)
    )
    shown: dict[str, EvidenceShown] = {}
    for row in rows:
        entry = shown.setdefault(row.attribute, EvidenceShown([], row.total))
        entry.files.append(row)
    return shown


@dataclass(frozen=True)
class EvidenceList:
    """The paged list of an audit's evidence files (of one office, one attribute)."""

    audit: Audit
    office: Office | None
    attribute: str
    files: Page[SiteEvidenceFile]


def evidence_list(
    user: AnyUser,
    pk: int,
    *,
    office_id: int | None = None,
    attribute: str = "",
    cursor: str | None = None,
    size: int | str | None = None,
) -> EvidenceList:
    """A page of the evidence files of an audit the user may see (whoever sees the audit reads
    its files), newest first; an office not of the audited organisation is NotFound."""
    audit = audit_get(user, pk)
    office = None
    if office_id is not None:
        office = Office.objects.filter(organisation_id=audit.organisation_id, pk=office_id).first()
        if office is None:
            raise NotFound(f"office {office_id} is not one of audit {pk}'s organisation")
    rows = evidence_of(audit, office_id=office_id, attribute=attribute or None)
    return EvidenceList(audit, office, attribute, paginate(rows, EVIDENCE_ORDER, cursor, size))


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
