"""What an audit report shows, as one plain frozen dataclass.

Built from engine objects (``Standard``, ``Sample``, ``Results``, ``Decision``, gaps) and
plain strings, never from Django models: the PDF, XLSX and JSON renderers are then pure
functions of it and are tested without a database. ``assemble`` runs the engine over the raw
inputs (scores, self-assessment, previous results) so callers cannot mix results of one set of
scores with the decision of another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assay.audits.results_table import ResultsTable, Site, results_table
from assay.engines.audit.decision import Decision, decide
from assay.engines.audit.gaps import Gap, change, gaps, perspective_profile
from assay.engines.audit.model import Attribute, Band, Node, Standard
from assay.engines.audit.sampling import Sample
from assay.engines.audit.scoring import Results, SiteScores, results

ILLUSTRATIVE_NOTICE = (
    "Illustrative attribute set written for the Assay demo: not the licensed ICSS texts."
)


GRADES = (
    "Major nonconformity",
    "Minor nonconformity",
    "Observation",
    "Opportunity for improvement",
)
"""The findings' kinds in the order the executive summary counts them."""

__all__ = [
    "GRADES",
    "ILLUSTRATIVE_NOTICE",
    "AuditReport",
    "DocumentRow",
    "FindingRow",
    "Site",
    "assemble",
]


@dataclass(frozen=True)
class DocumentRow:
    """A document given for review, under one attribute it supports (a document supporting
    three attributes is three rows)."""

    attribute: str
    name: str
    sha256: str
    uploaded_by: str
    uploaded_on: dt.date

    @property
    def short_sha(self) -> str:
        return self.sha256[:12]


@dataclass(frozen=True)
class FindingRow:
    """One line of the findings register: a finding and its corrective action (None for an
    observation or an opportunity for improvement)."""

    ref: str
    grade: str  # e.g. "Major nonconformity"
    attribute: str
    site: str  # the office's name
    summary: str
    evidence: str
    action: str | None = None  # the corrective action's state
    due_on: dt.date | None = None
    owner: str = ""


@dataclass(frozen=True)
class AuditReport:
    """Everything one audit report shows; ``decision_maker`` None = no decision recorded yet
    (the decision shown is then the engine's provisional result)."""

    organisation: str
    scope: str  # "Whole organisation" or "Division: …", with the states covered
    standard: Standard
    illustrative: bool
    notice: str  # shown in every page footer when ``illustrative``
    reference: str  # the audit's number or label
    kind: str  # "certification" | "re-certification"
    dates: tuple[tuple[str, dt.date], ...]  # ("Opened", …), ("Decided", …) in order
    sites: tuple[Site, ...]  # the sampled sites, in the order they are reported
    sample: Sample | None
    results: Results
    table: ResultsTable  # what the results sections show, built from ``results``
    decision: Decision
    gaps: tuple[Gap, ...]
    profile: tuple[tuple[str, float | None, float | None], ...]  # perspective, expected, actual
    change: tuple[tuple[str, float | None, float | None], ...]  # attribute, before, after
    previous: str | None  # label of the audit ``change`` compares with
    auditors: tuple[str, ...]
    decision_maker: str | None
    generated_on: dt.date
    findings: tuple[FindingRow, ...] = ()  # the findings register, in number order
    rationale: str = ""  # the decision maker's, once recorded
    conditions: str = ""
    documents: tuple[DocumentRow, ...] = ()  # document review, by attribute in the standard's order

    # Lookups the renderers share -----------------------------------------------------------

    def site_name(self, site_id: str) -> str:
        for site in self.sites:
            if site.id == site_id:
                return site.name
        return site_id

    def attribute(self, code: str) -> Attribute | None:
        return next((a for a in self.standard.attributes if a.code == code), None)

    def node(self, code: str) -> Node | None:
        return next((n for n in self.standard.nodes if n.code == code), None)

    def title_of(self, code: str) -> str:
        """The title of an attribute or node code ("" = the whole standard)."""
        if not code:
            return self.standard.title
        found = self.attribute(code) or self.node(code)
        return found.title if found else code

    def band_of(self, score: float | None) -> Band | None:
        """The band a score or mean has reached (a mean's whole part: 5.9 stays
        Implementation, ADR 0009)."""
        if score is None:
            return None
        return self.standard.scale.band_of_mean(score)

    def finding_counts(self) -> tuple[tuple[str, int], ...]:
        """(kind, how many) for every kind of finding, the four standard kinds first."""
        kinds = [*GRADES, *sorted({f.grade for f in self.findings} - set(GRADES))]
        return tuple((kind, sum(1 for f in self.findings if f.grade == kind)) for kind in kinds)

    @property
    def decided_on(self) -> dt.date | None:
        return next((day for label, day in self.dates if label == "Decided"), None)

    @property
    def decided(self) -> bool:
        return self.decision_maker is not None

    @property
    def outcome(self) -> str:
        """The decision in words, e.g. "Certifiable" or "Provisional result: not certifiable"."""
        word = "Certifiable" if self.decision.certifiable else "Not certifiable"
        return word if self.decided else f"Provisional result: {word.lower()}"


def assemble(
    *,
    standard: Standard,
    organisation: str,
    scope: str,
    sites: Sequence[Site],
    scores: SiteScores,
    self_assessment: Mapping[str, int],
    sample: Sample | None = None,
    reference: str = "",
    kind: str = "certification",
    dates: Sequence[tuple[str, dt.date]] = (),
    auditors: Sequence[str] = (),
    decision_maker: str | None = None,
    previous: tuple[str, Results] | None = None,
    illustrative: bool = False,
    notice: str = ILLUSTRATIVE_NOTICE,
    generated_on: dt.date,
) -> AuditReport:
    """Run the engine (results, decision, gaps, perspective profile, year-on-year change) over
    one audit's inputs and gather the report. ``previous`` is (label, results) of the audit
    this one re-certifies."""
    site_ids = [s.id for s in sites]
    res = results(standard, scores, site_ids)
    return AuditReport(
        organisation=organisation,
        scope=scope,
        standard=standard,
        illustrative=illustrative,
        notice=notice,
        reference=reference,
        kind=kind,
        dates=tuple(dates),
        sites=tuple(sites),
        sample=sample,
        results=res,
        table=results_table(standard, res, sites, self_assessment),
        decision=decide(standard, scores, site_ids, site_names={s.id: s.name for s in sites}),
        gaps=gaps(standard, self_assessment, res),
        profile=perspective_profile(standard, self_assessment, res),
        change=change(previous[1], res) if previous else (),
        previous=previous[0] if previous else None,
        auditors=tuple(auditors),
        decision_maker=decision_maker,
        generated_on=generated_on,
    )
