"""Reads for the audit web pages: one call per page, narrowed through the selectors (ADR 0006).

Each function fetches the audit with ``selectors.audit_get`` first, so an audit the user may
not see is ``NotFound`` exactly like a missing one; a page whose act the user's role does not
allow on a visible audit raises ``NotAllowed`` with the sentence saying who can. What a user may
do next (``acts``) is worked out here from the same permission helpers the services use, so a
page never offers a button the service would refuse for the role.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.files import File
from django.db.models import Prefetch

from assay.audits import permissions as perm
from assay.audits.answers import (
    AuditDecisionOut,
    SampleOut,
    decision_answer,
    sample_answer,
)
from assay.audits.certificates import REMIND_DAYS, ReminderDue, reminders_due
from assay.audits.inputs import latest_scores, sampled_sites
from assay.audits.models import (
    Audit,
    AuditStatus,
    AuditStatusChange,
    BodyMembership,
    BodyRole,
    Certificate,
    CertifyingBody,
    Office,
    Organisation,
    SampleDraw,
    SamplePick,
    SelfAssessment,
    SiteEvidenceFile,
    SiteScore,
    StandardVersion,
)
from assay.audits.reference_answers import (
    CertificateOut,
    OfficeOut,
    OrganisationOut,
    certificate_answer,
    organisation_answer,
)
from assay.audits.selectors import (
    AuditResults,
    _results_of,
    audit_get,
    audits_visible_to,
    certificate_get,
    certificates_visible_to,
    latest_decision,
    organisation_get,
    organisations_visible_to,
)
from assay.audits.standards import standard_of
from assay.engines.audit.decision import Decision, decide
from assay.engines.audit.gaps import change, trend
from assay.engines.audit.model import Standard
from assay.errors import NotAllowed, NotFound
from assay.files.storage import open_evidence
from assay.users import AnyUser

# --- the audits index -------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditsHome:
    """What the signed-in user has to do with audits: their organisations, audits and
    certificates, and whether they may plan audits (a body administrator)."""

    organisations: list[Organisation]
    audits: list[Audit]
    certificates: list[Certificate]
    can_plan: bool
    roles: frozenset[str]
    can_remind: bool = False
    administered_bodies: list[CertifyingBody] = field(default_factory=list)  # accounts links


def audit_roles(user: AnyUser) -> frozenset[str]:
    """The audit roles a user holds anywhere (the nav link shows for any of them)."""
    if not user.is_authenticated:
        return frozenset()
    roles = set(
        BodyMembership.objects.filter(user_id=user.pk, active=True).values_list("role", flat=True)
    )
    if perm.contact_organisation_ids(user):
        roles.add("contact")
    if perm.is_operator(user):
        roles.add(BodyRole.ADMINISTRATOR)
    return frozenset(roles)


def audits_home(user: AnyUser) -> AuditsHome:
    roles = audit_roles(user)
    return AuditsHome(
        organisations=list(organisations_visible_to(user).order_by("name")),
        audits=list(audits_visible_to(user).order_by("-created_on", "-pk")),
        certificates=list(certificates_visible_to(user).order_by("-issued_on", "-pk")),
        can_plan=BodyRole.ADMINISTRATOR in roles,
        roles=roles,
        can_remind=BodyRole.ADMINISTRATOR in roles,
        administered_bodies=_administered_bodies(user, roles),
    )


def _administered_bodies(user: AnyUser, roles: frozenset[str]) -> list[CertifyingBody]:
    """The bodies whose accounts page the user may open: their administrators' (the
    operator's: every body)."""
    if BodyRole.ADMINISTRATOR not in roles:
        return []
    rows = CertifyingBody.objects.order_by("name")
    if perm.is_operator(user):
        return list(rows)
    return list(rows.filter(pk__in=perm.body_ids_with_role(user, BodyRole.ADMINISTRATOR)))


# --- organisations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationPage:
    """The organisation as the API answers it, its offices grouped by state or territory with
    the name of each one's division (the answer gives its id), and what the page alone lists:
    the body it is a client of, its audits and certificates, whether the user may plan."""

    organisation: OrganisationOut
    body_name: str
    offices_by_state: list[tuple[str, list[tuple[OfficeOut, str]]]]
    audits: list[Audit]
    certificates: list[Certificate]
    can_plan: bool


def organisation_page(user: AnyUser, pk: int) -> OrganisationPage:
    """An organisation with its divisions and its offices grouped by state or territory."""
    row = organisation_get(user, pk)
    organisation = organisation_answer(row)
    division_names = {d.id: d.name for d in organisation.divisions}
    by_state: dict[str, list[tuple[OfficeOut, str]]] = defaultdict(list)
    for office in organisation.offices:
        division = division_names.get(office.division, "") if office.division else ""
        by_state[office.state].append((office, division))
    return OrganisationPage(
        organisation=organisation,
        body_name=row.body.name,
        offices_by_state=sorted(by_state.items()),
        audits=list(audits_visible_to(user).filter(organisation=row)),
        certificates=list(certificates_visible_to(user).filter(organisation=row)),
        can_plan=perm.can_administer(user, row.body_id),
    )


@dataclass(frozen=True)
class NewAuditChoices:
    """What an administrator may choose from when planning an audit."""

    organisations: list[Organisation]
    standards: list[StandardVersion]
    previous: list[Audit]  # decided audits without a re-certification yet


def new_audit_choices(user: AnyUser) -> NewAuditChoices:
    bodies = perm.body_ids_with_role(user, BodyRole.ADMINISTRATOR)
    orgs = organisations_visible_to(user).prefetch_related("divisions")
    audits = audits_visible_to(user).filter(status=AuditStatus.DECIDED, next_audits__isnull=True)
    if not perm.is_operator(user):
        if not bodies:
            raise NotAllowed("only the certifying body's administrators plan audits")
        orgs = orgs.filter(body_id__in=bodies)
        audits = audits.filter(body_id__in=bodies)
    return NewAuditChoices(
        organisations=list(orgs.order_by("name")),
        standards=list(StandardVersion.objects.order_by("code", "-version")),
        previous=list(audits.order_by("organisation__name", "created_on")),
    )


# --- one audit ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditOverview:
    """One audit's page: its sample, decision and certificate as the API answers them; the
    audit itself, its history and the auditors stay rows because the page names people and
    statuses in words (the answers carry usernames and codes)."""

    audit: Audit
    history: list[AuditStatusChange]
    auditors: list[Any]
    body_auditors: list[Any]  # who an administrator may assign
    sample: SampleOut | None
    decision: AuditDecisionOut | None
    certificate: CertificateOut | None
    acts: frozenset[str]


def _acts(user: AnyUser, audit: Audit, sampled: bool, certified: bool) -> frozenset[str]:
    admin = perm.can_administer(user, audit.body_id)
    auditor = perm.is_assigned_auditor(user, audit)
    decider = perm.has_body_role(user, audit.body_id, BodyRole.DECISION_MAKER)
    status = audit.status
    acts = set()
    if admin and status == AuditStatus.PLANNED:
        acts.add("open_self_assessment")
    if (admin or auditor) and status == AuditStatus.SELF_ASSESSMENT and sampled:
        acts.add("open_fieldwork")
    if admin and status != AuditStatus.DECIDED:
        acts.add("assign")
    if (
        (admin or auditor)
        and not sampled
        and status
        in (
            AuditStatus.PLANNED,
            AuditStatus.SELF_ASSESSMENT,
        )
    ):
        acts.add("draw_sample")
    if perm.is_contact_of(user, audit.organisation_id) and status == AuditStatus.SELF_ASSESSMENT:
        acts.add("self_assess")
    if auditor and status == AuditStatus.FIELDWORK:
        acts.add("score")
    if (admin or decider) and status in (AuditStatus.FIELDWORK, AuditStatus.DECIDED):
        acts.add("decision")
    if (admin or decider) and status == AuditStatus.DECIDED and not certified:
        acts.add("certify")
    if admin and status == AuditStatus.DECIDED and not audit.next_audits.exists():
        acts.add("recertify")
    return frozenset(acts)


def audit_overview(user: AnyUser, pk: int) -> AuditOverview:
    """One audit: status history, auditors, sample, decision, certificate, and the acts open to
    this user now."""
    audit = audit_get(user, pk)
    sample = _draw_of(audit)
    certificate = Certificate.objects.filter(audit=audit).select_related("organisation").first()
    decision = latest_decision(audit)
    admin = perm.can_administer(user, audit.body_id)
    body_auditors = (
        [
            m.user
            for m in BodyMembership.objects.filter(
                body_id=audit.body_id, role=BodyRole.AUDITOR, active=True
            ).select_related("user")
        ]
        if admin
        else []
    )
    return AuditOverview(
        audit=audit,
        history=list(audit.status_history.select_related("changed_by")),
        auditors=[a.auditor for a in audit.assignments.select_related("auditor")],
        body_auditors=body_auditors,
        sample=sample_answer(sample) if sample else None,
        decision=decision_answer(decision) if decision else None,
        certificate=certificate_answer(certificate) if certificate else None,
        acts=_acts(user, audit, sample is not None, certificate is not None),
    )


def assignable_auditors(user: AnyUser, pk: int) -> tuple[Audit, list[Any]]:
    """The audit and the body's auditors an administrator may assign to it (others:
    NotAllowed, so a refused role never learns who the body's auditors are)."""
    audit = audit_get(user, pk)
    if not perm.can_administer(user, audit.body_id):
        raise NotAllowed("only the certifying body's administrators assign auditors")
    members = BodyMembership.objects.filter(
        body_id=audit.body_id, role=BodyRole.AUDITOR, active=True
    ).select_related("user")
    return audit, [m.user for m in members]


@dataclass(frozen=True)
class SamplePage:
    """The stored draw as the API answers it; the page alone names who drew it (the answer
    gives the username) and offers the draw when the user may make it."""

    audit: Audit
    sample: SampleOut | None
    drawn_by: Any  # the User, for the page's full name
    may_draw: bool


def _draw_of(audit: Audit) -> SampleDraw | None:
    """The audit's draw with its drawer and every pick with its office (two queries)."""
    picks = Prefetch("picks", queryset=SamplePick.objects.select_related("office"))
    return (
        SampleDraw.objects.filter(audit=audit)
        .select_related("drawn_by")
        .prefetch_related(picks)
        .first()
    )


def sample_page(user: AnyUser, pk: int) -> SamplePage:
    """The stored draw with every pick and its reason (seed, per-state counts)."""
    audit = audit_get(user, pk)
    draw = _draw_of(audit)
    may_draw = draw is None and (
        perm.can_administer(user, audit.body_id) or perm.is_assigned_auditor(user, audit)
    )
    return SamplePage(
        audit,
        sample_answer(draw) if draw else None,
        draw.drawn_by if draw else None,
        may_draw,
    )


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


# --- decision and certificate ------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionPreview:
    """The engine's answer on the latest scores before a decision maker confirms it, the
    recorded decision once there is one (as the API answers it), and why this user may not
    record it (None: may). The page alone names the decider and shows the local time of the
    record (the answer carries the username and the stored moment as text)."""

    audit: Audit
    preview: Decision | None
    recorded: AuditDecisionOut | None
    refusal: str | None
    decided_by: Any = None  # the User who decided, for the page's full name
    decided_at: dt.datetime | None = None


def decision_preview(user: AnyUser, pk: int) -> DecisionPreview:
    """For the body's administrators and decision makers (others: NotAllowed)."""
    audit = audit_get(user, pk)
    decider = perm.has_body_role(user, audit.body_id, BodyRole.DECISION_MAKER)
    if not (decider or perm.can_administer(user, audit.body_id)):
        raise NotAllowed("only the certifying body's decision makers and administrators see this")
    recorded = latest_decision(audit)
    refusal = None
    if not decider:
        refusal = "Only a decision maker of the certifying body records the decision."
    elif perm.has_scored(user, audit):
        refusal = (
            "You scored sites in this audit; the decision must be recorded by a decision maker "
            "who did not assess it."
        )
    elif audit.status != AuditStatus.FIELDWORK:
        refusal = f"The audit is not open for a decision (status: {audit.get_status_display()})."
    preview = None
    if recorded is None and audit.status == AuditStatus.FIELDWORK:
        preview = decide(standard_of(audit.standard), latest_scores(audit), sampled_sites(audit))
    if recorded is None:
        return DecisionPreview(audit, preview, None, refusal)
    return DecisionPreview(
        audit,
        preview,
        decision_answer(recorded),
        refusal,
        decided_by=recorded.decided_by,
        decided_at=recorded.decided_at,
    )


@dataclass(frozen=True)
class CertificatePage:
    """The certificate as the API answers it, and whether this user may withdraw it."""

    certificate: CertificateOut
    may_withdraw: bool


def certificate_page(user: AnyUser, number: str) -> CertificatePage:
    certificate = certificate_get(user, number)
    return CertificatePage(
        certificate=certificate_answer(certificate),
        may_withdraw=(
            certificate.withdrawn_on is None
            and perm.can_administer(user, certificate.audit.body_id)
        ),
    )


# --- renewals ----------------------------------------------------------------------------------


def may_remind(user: AnyUser) -> None:
    """Renewal reminders are the certifying body's administrators' (the service only ever
    lists the certificates of bodies the user administers); anybody else is NotAllowed."""
    if not (perm.is_operator(user) or perm.body_ids_with_role(user, BodyRole.ADMINISTRATOR)):
        raise NotAllowed("only the certifying body's administrators send renewal reminders")


@dataclass(frozen=True)
class RenewalsPage:
    within_days: int
    due: list[ReminderDue]


def renewals_page(user: AnyUser, within_days: int = REMIND_DAYS) -> RenewalsPage:
    """Valid certificates of the user's bodies expiring within ``within_days``, with who
    would be reminded and whether they already were (``reminders_due``, the CLI's read)."""
    may_remind(user)
    return RenewalsPage(within_days, reminders_due(user, within_days=within_days))  # type: ignore[arg-type]
