"""Reads of the audit cycle, always narrowed to what the user may see (ADR 0006).

Fetching one object the user may not see raises ``NotFound`` exactly like a missing one.
Results, gaps, the year-on-year change and the two re-checks (``sample_verify``,
``decision_verify``) are computed by the engine from stored rows only.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from assay.audits import answers, reference_answers
from assay.audits import permissions as perm
from assay.audits.answers import (
    AttributeResultOut,
    ChangeOut,
    CheckedDecisionOut,
    CheckedSampleOut,
    DecisionCheckOut,
    GapOut,
    PerspectiveOut,
    ResultsOut,
    ResultsStandardOut,
    SampleCheckOut,
    SamplingPolicyOut,
    SamplingPolicyVersionOut,
)
from assay.audits.certificates import well_formed
from assay.audits.inputs import (
    finding_facts,
    latest_scores,
    latest_self_assessment,
    sampled_site_rows,
    sampled_sites,
    sampling_rule_of,
)
from assay.audits.models import (
    Audit,
    AuditDecision,
    AuditStatusChange,
    BodyRole,
    Certificate,
    CertifyingBody,
    CorrectiveAction,
    Finding,
    Organisation,
    SampleDraw,
    SelfAssessment,
    SiteEvidenceFile,
    SiteScore,
    StandardVersion,
)
from assay.audits.records import audit_problems
from assay.audits.reference_answers import PublicCertificateOut, StandardOut
from assay.audits.results_table import ResultsTable, results_table
from assay.audits.standards import standard_of
from assay.engines.audit.decision import decide
from assay.engines.audit.findings import FindingFacts
from assay.engines.audit.gaps import Gap, change, gaps, perspective_profile
from assay.engines.audit.model import Standard
from assay.engines.audit.sampling import Office as SampleOffice
from assay.engines.audit.sampling import SamplingRule, draw_sample
from assay.engines.audit.scoring import Results, results
from assay.engines.text import fold, visible
from assay.errors import InvalidInput, NotFound
from assay.keyset import Page, paginate
from assay.users import AnyUser

# The orders of the keyset lists (each ends in the primary key; no column may be NULL).
STANDARD_ORDER = ("code", "version", "pk")
ORGANISATION_ORDER = ("name", "pk")
AUDIT_ORDER = ("-created_on", "-pk")  # newest first
CERTIFICATE_ORDER = ("-issued_on", "-pk")  # newest first
SELF_ASSESSMENT_ORDER = ("attribute", "recorded_at", "pk")
SCORE_ORDER = ("pk",)  # the order they were recorded
EVIDENCE_ORDER = ("-uploaded_at", "-pk")  # newest first

# --- standards ---------------------------------------------------------------------------------


def standards_list() -> list[StandardVersion]:
    """Every imported version of every standard (standards are public, like the catalogue)."""
    return list(StandardVersion.objects.defer("content").order_by(*STANDARD_ORDER))


def standards_page(
    cursor: str | None = None, size: int | str | None = None
) -> Page[StandardVersion]:
    """One page of ``standards_list`` (without each version's content: a list shows none)."""
    return paginate(StandardVersion.objects.defer("content"), STANDARD_ORDER, cursor, size)


def standard_get(code: str, version: int | None = None) -> StandardVersion:
    """One version of a standard; the newest when ``version`` is None."""
    rows = StandardVersion.objects.filter(code=code)
    row = (
        rows.filter(version=version) if version is not None else rows.order_by("-version")
    ).first()
    if row is None:
        raise NotFound(f"no standard {code}" + (f" version {version}" if version else ""))
    return row


def standard_answer(row: StandardVersion) -> StandardOut:
    """A standard for the API: its tree flattened, in the file's order."""
    return reference_answers.standard_answer(row, standard_of(row))


# --- organisations and audits ------------------------------------------------------------------


def body_get(user: AnyUser, key: int | str) -> CertifyingBody:
    """A certifying body by id or reference, for someone holding an active role there (or
    the operator); anyone else is told it does not exist (``NotFound``)."""
    query = CertifyingBody.objects.filter(
        **({"pk": key} if isinstance(key, int) else {"reference": key})
    )
    body = query.first()
    if body is None or not (
        perm.is_operator(user) or body.pk in perm.body_ids_with_role(user, *BodyRole.values)
    ):
        raise NotFound(f"no certifying body {key}")
    return body


def sampling_rule_answer(user: AnyUser, key: int | str) -> SamplingPolicyOut:
    """The body's current sampling rule (name, source, version) and every earlier version."""
    body = body_get(user, key)
    rule, version = sampling_rule_of(body.pk)
    history = [
        SamplingPolicyVersionOut(
            version=p.version,
            rule=p.rule,
            rule_version=p.rule_version,
            random_percent=p.random_percent,
            note=p.note,
            adopted_by=p.adopted_by.get_username(),
            adopted_at=p.adopted_at,
        )
        for p in body.sampling_policies.select_related("adopted_by").order_by("version")
    ]
    return SamplingPolicyOut(
        body=body.pk, current=answers.sampling_rule_answer(rule, version), history=history
    )


def organisations_visible_to(user: AnyUser) -> QuerySet[Organisation]:
    visible = Organisation.objects.filter(perm.organisation_filter(user)).values("pk")
    return Organisation.objects.filter(pk__in=visible).select_related("body")


def organisations_page(
    user: AnyUser, cursor: str | None = None, size: int | str | None = None
) -> Page[Organisation]:
    """One page of the organisations ``user`` may see, by name. The narrowing applies before
    the cursor, so no cursor can reach another body's clients."""
    return paginate(organisations_visible_to(user), ORGANISATION_ORDER, cursor, size)


def organisation_get(user: AnyUser, pk: int) -> Organisation:
    organisation = (
        organisations_visible_to(user)
        .prefetch_related("divisions", "offices")
        .filter(pk=pk)
        .first()
    )
    if organisation is None:
        raise NotFound(f"no organisation {pk}")
    return organisation


def organisation_by_reference(user: AnyUser, reference: str) -> Organisation:
    """An organisation by its reference (the CLI names them so), narrowed as ever."""
    organisation = organisations_visible_to(user).filter(reference=reference).first()
    if organisation is None:
        raise NotFound(f"no organisation {reference}")
    return organisation


def audits_visible_to(user: AnyUser) -> QuerySet[Audit]:
    visible = Audit.objects.filter(perm.audit_filter(user)).values("pk")
    return Audit.objects.filter(pk__in=visible).select_related(
        "body", "organisation", "division", "standard", "previous"
    )


def audit_list_rows(user: AnyUser) -> QuerySet[Audit]:
    """``audits_visible_to`` for lists: without the standard's content (a list shows only its
    code and version) and with every audit's status history and its people in one query."""
    history = AuditStatusChange.objects.select_related("changed_by").order_by("changed_at", "pk")
    return (
        audits_visible_to(user)
        .defer("standard__content")
        .prefetch_related(Prefetch("status_history", queryset=history))
    )


def audits_page(
    user: AnyUser,
    cursor: str | None = None,
    size: int | str | None = None,
    *,
    organisation: Organisation | None = None,
) -> Page[Audit]:
    """One page of the audits ``user`` may see (of one organisation), newest first."""
    rows = audit_list_rows(user)
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    return paginate(rows, AUDIT_ORDER, cursor, size)


def audit_get(user: AnyUser, pk: int) -> Audit:
    """One audit the user may see, or NotFound for missing and not-yours alike."""
    audit = audits_visible_to(user).filter(pk=pk).first()
    if audit is None:
        raise NotFound(f"no audit {pk}")
    return audit


def audit_sample(user: AnyUser, pk: int) -> SampleDraw | None:
    """The stored draw with its picks (None before the sample is drawn)."""
    audit = audit_get(user, pk)
    return SampleDraw.objects.filter(audit=audit).prefetch_related("picks__office").first()


def self_assessment_history(user: AnyUser, pk: int) -> QuerySet[SelfAssessment]:
    return SelfAssessment.objects.filter(audit=audit_get(user, pk)).select_related("recorded_by")


def self_assessment_page(
    user: AnyUser, pk: int, cursor: str | None = None, size: int | str | None = None
) -> Page[SelfAssessment]:
    """One page of an audit's self-assessment history (append-only: each re-entry adds a
    row), by attribute, oldest entry first."""
    return paginate(self_assessment_history(user, pk), SELF_ASSESSMENT_ORDER, cursor, size)


def score_history(
    user: AnyUser, pk: int, *, office_id: int | None = None, attribute: str | None = None
) -> QuerySet[SiteScore]:
    """Every score row of an audit (append-only, oldest first), optionally of one site or
    attribute: who scored what, when."""
    rows = SiteScore.objects.filter(audit=audit_get(user, pk)).select_related(
        "office", "recorded_by"
    )
    if office_id is not None:
        rows = rows.filter(office_id=office_id)
    if attribute is not None:
        rows = rows.filter(attribute=attribute)
    return rows.order_by("pk")


def score_page(
    user: AnyUser, pk: int, cursor: str | None = None, size: int | str | None = None
) -> Page[SiteScore]:
    """One page of ``score_history`` (append-only: each re-score adds a row), oldest first."""
    return paginate(score_history(user, pk), SCORE_ORDER, cursor, size)


def evidence_of(
    audit: Audit, *, office_id: int | None = None, attribute: str | None = None
) -> QuerySet[SiteEvidenceFile]:
    """An audit the caller already fetched narrowed (``audit_get``): its evidence files, of
    one office or attribute when given."""
    rows = SiteEvidenceFile.objects.filter(audit=audit).select_related("office")
    if office_id is not None:
        rows = rows.filter(office_id=office_id)
    if attribute:
        rows = rows.filter(attribute=attribute)
    return rows


def evidence_files(
    user: AnyUser, pk: int, *, office_id: int | None = None, attribute: str | None = None
) -> QuerySet[SiteEvidenceFile]:
    """The evidence files of an audit the user may see (whoever sees the audit reads them)."""
    return evidence_of(audit_get(user, pk), office_id=office_id, attribute=attribute)


def evidence_page(
    user: AnyUser,
    pk: int,
    cursor: str | None = None,
    size: int | str | None = None,
    *,
    office_id: int | None = None,
    attribute: str | None = None,
) -> Page[SiteEvidenceFile]:
    """One page of ``evidence_files``, newest first; the narrowing applies before the cursor."""
    rows = evidence_files(user, pk, office_id=office_id, attribute=attribute)
    return paginate(rows, EVIDENCE_ORDER, cursor, size)


def latest_decision(audit: Audit) -> AuditDecision | None:
    return audit.decisions.order_by("-pk").first()


# --- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditResults:
    """Everything a results page, report or API answer needs, computed once: the engine's
    results and, rendered by every front door, their ``table``."""

    audit: Audit
    standard: Standard
    sites: tuple[str, ...]
    scores: dict[str, dict[str, int]]
    self_assessment: dict[str, int]
    results: Results
    table: ResultsTable
    gaps: tuple[Gap, ...]
    profile: tuple[tuple[str, float | None, float | None], ...]


def audit_results(user: AnyUser, pk: int) -> AuditResults:
    """Per attribute, node and overall, per site and across sites, with bands; management's
    expectation against delivery (gaps, largest first; the perspectives' profile)."""
    audit = audit_get(user, pk)
    return _results_of(audit)


def _results_of(audit: Audit) -> AuditResults:
    standard = standard_of(audit.standard)
    site_rows = sampled_site_rows(audit)
    sites = tuple(s.id for s in site_rows)
    scores = latest_scores(audit)
    expected = latest_self_assessment(audit)
    res = results(standard, scores, sites)
    return AuditResults(
        audit=audit,
        standard=standard,
        sites=sites,
        scores=scores,
        self_assessment=expected,
        results=res,
        table=results_table(standard, res, site_rows, expected),
        gaps=gaps(standard, expected, res),
        profile=perspective_profile(standard, expected, res),
    )


def _results_answer(r: AuditResults, change: list[ChangeOut]) -> ResultsOut:
    audit, table = r.audit, r.table
    decision = latest_decision(audit)
    return ResultsOut(
        audit=audit.pk,
        organisation=audit.organisation.name,
        scope=audit.scope_text,
        standard=ResultsStandardOut(
            code=r.standard.code,
            version=r.standard.version,
            title=r.standard.title,
            illustrative=audit.standard.illustrative,
        ),
        status=audit.status,
        sites=[site.id for site in table.sites],
        attributes=[
            AttributeResultOut(
                code=a.code,
                mandatory=a.mandatory,
                by_site={m.site: m.value for m in a.by_site},
                weakest=None if a.weakest.value is None else int(a.weakest.value),
                weakest_site=a.weakest_site,
                mean=a.mean.value,
                decision_band=answers.band_key(a.decision_band),
                expected=None if a.expected.value is None else int(a.expected.value),
            )
            for a in table.attributes
        ],
        nodes=[answers.node_result(row.code, m) for row in table.nodes for m in row.cells],
        overall=[answers.overall_result(m) for m in table.overall.cells],
        gaps=[GapOut(**asdict(g)) for g in r.gaps],
        profile=[
            PerspectiveOut(code=code, expected=expected, actual=actual)
            for code, expected, actual in r.profile
        ],
        decision=answers.decision_answer(decision) if decision else None,
        change=change,
    )


def audit_change(user: AnyUser, pk: int) -> tuple[tuple[str, float | None, float | None], ...]:
    """Year on year: per attribute, the mean across sites in the previous audit and in this
    one (empty for an audit that follows none)."""
    audit = audit_get(user, pk)
    if audit.previous is None:
        return ()
    return change(_results_of(audit.previous).results, _results_of(audit).results)


# --- re-checks from stored data ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SampleCheck:
    same: bool
    message: str
    problems: tuple[str, ...] = ()
    """What ``records verify`` finds about the audit's record chain (empty: it verifies)."""


def _chain_message(message: str, problems: list[str]) -> str:
    """The re-check's message, with the record chain's problems after it when there are any."""
    if not problems:
        return message + "; the audit's record chain verifies"
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return (
        f"{message}; but the audit's record chain has {len(problems)} problem(s): "
        f"{problems[0]}{more}"
    )


def sample_verify(user: AnyUser, pk: int) -> SampleCheck:
    """Re-draw with the engine from the stored seed and inputs and compare with the stored
    picks (office, how, reason, order); and check the audit's record chain and its rows
    (``records verify``), since the seed, inputs and picks could be rewritten together."""
    draw = audit_sample(user, pk)
    if draw is None:
        raise NotFound(f"audit {pk} has no sample yet")
    offices = [
        SampleOffice(**{**o, "last_visited": _date(o.get("last_visited"))}) for o in draw.inputs
    ]
    try:
        rule = SamplingRule(draw.rule, draw.rule_version, draw.random_percent)
    except ValueError as exc:
        return SampleCheck(False, f"the stored sampling rule is not one Assay knows: {exc}", ())
    again = draw_sample(
        offices,
        seed=draw.seed,
        recertification=draw.recertification,
        today=draw.drawn_on,
        rule=rule,
    )
    stored = [(str(p.office_id), p.how, p.reason) for p in draw.picks.all()]
    redrawn = [(p.office_id, p.how, p.reason) for p in again.picks]
    problems = audit_problems(pk)
    if stored == redrawn:
        message = f"the stored sample of {len(stored)} offices is reproduced from seed {draw.seed}"
    else:
        differ = sum(1 for a, b in zip(stored, redrawn, strict=False) if a != b)
        differ += abs(len(stored) - len(redrawn))
        message = (
            f"re-drawing from seed {draw.seed} gives a different sample ({differ} picks differ)"
        )
    return SampleCheck(
        stored == redrawn and not problems, _chain_message(message, problems), tuple(problems)
    )


def findings_of(user: AnyUser, pk: int) -> list[Finding]:
    """The audit's findings (number order) with office, corrective action and its events, for
    whoever sees the audit (its organisation's contacts included)."""
    audit = audit_get(user, pk)
    return list(
        Finding.objects.filter(audit=audit)
        .select_related("office", "raised_by", "corrective_action")
        .prefetch_related("corrective_action__events__by")
        .order_by("number")
    )


def action_get(user: AnyUser, pk: int, number: int) -> CorrectiveAction:
    """The corrective action of finding ``F<number>`` of an audit the user may see (NotFound
    otherwise, or when the finding has none: observations and opportunities)."""
    audit = audit_get(user, pk)
    action = (
        CorrectiveAction.objects.select_related("finding__audit", "finding__office")
        .filter(finding__audit=audit, finding__number=number)
        .first()
    )
    if action is None:
        raise NotFound(f"audit {pk} has no corrective action for finding F{number}")
    return action


def sample_checked(user: AnyUser, pk: int) -> CheckedSampleOut:
    """The stored sample with ``sample_verify``'s answer (``verify=true``, ``--verify``)."""
    draw = audit_sample(user, pk)
    if draw is None:
        raise NotFound(f"audit {pk} has no sample yet")
    check = sample_verify(user, pk)
    return CheckedSampleOut(
        **dict(answers.sample_answer(draw)),
        verify=SampleCheckOut(
            same=check.same, message=check.message, problems=list(check.problems)
        ),
    )


def _date(value: str | None) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(value) if value else None


@dataclass(frozen=True, slots=True)
class DecisionCheck:
    agrees: bool
    stored_certifiable: bool
    recomputed_certifiable: bool
    scores_changed: bool
    message: str
    problems: tuple[str, ...] = ()
    """What ``records verify`` finds about the audit's record chain (empty: it verifies)."""


def decision_verify(user: AnyUser, pk: int) -> DecisionCheck:
    """Recompute the decision with the engine from the scores it was made on and from the
    latest stored scores; say whether the stored decision still agrees, and whether the
    audit's record chain verifies and its rows (scores, decision) reconcile with it."""
    audit = audit_get(user, pk)
    decision = latest_decision(audit)
    if decision is None:
        raise NotFound(f"audit {pk} has no decision yet")
    standard = standard_of(audit.standard)
    on_record = decide(
        standard,
        decision.scores,
        decision.sites,
        findings=[FindingFacts(**f) for f in decision.findings],
    )
    reproduced = (
        on_record.certifiable == decision.certifiable
        and [asdict(r) for r in on_record.reasons] == decision.reasons
    )
    now_scores = latest_scores(audit)
    now_findings = finding_facts(audit)
    now = decide(standard, now_scores, sampled_sites(audit), findings=now_findings)
    changed = now_scores != decision.scores or [asdict(f) for f in now_findings] != list(
        decision.findings
    )
    agrees = reproduced and now.certifiable == decision.certifiable
    if not reproduced:
        message = "the stored reasons are not what the engine gives for the stored scores"
    elif agrees and not changed:
        message = "the decision is reproduced from the stored scores"
    elif agrees:
        message = "scores changed since the decision, but the outcome is the same"
    else:
        message = "scores changed since the decision and the outcome would now be " + (
            "certifiable" if now.certifiable else "not certifiable"
        )
    problems = audit_problems(audit.pk)
    return DecisionCheck(
        agrees and not problems,
        decision.certifiable,
        now.certifiable,
        changed,
        _chain_message(message, problems),
        tuple(problems),
    )


def decision_checked(user: AnyUser, pk: int) -> CheckedDecisionOut:
    """The recorded decision with ``decision_verify``'s answer (``verify=true``)."""
    decision = latest_decision(audit_get(user, pk))
    if decision is None:
        raise NotFound(f"audit {pk} has no decision yet")
    check = decision_verify(user, pk)
    return CheckedDecisionOut(
        **dict(answers.decision_answer(decision)),
        verify=DecisionCheckOut(
            agrees=check.agrees,
            scores_changed=check.scores_changed,
            recomputed_certifiable=check.recomputed_certifiable,
            message=check.message,
            problems=list(check.problems),
        ),
    )


# --- certificates ------------------------------------------------------------------------------


def certificates_visible_to(user: AnyUser) -> QuerySet[Certificate]:
    return Certificate.objects.filter(perm.certificate_filter(user)).select_related(
        "organisation", "division", "audit", "audit__body"
    )


def certificates_page(
    user: AnyUser,
    cursor: str | None = None,
    size: int | str | None = None,
    *,
    organisation: Organisation | None = None,
) -> Page[Certificate]:
    """One page of the certificates ``user`` may see (of one organisation), newest first."""
    rows = certificates_visible_to(user)
    if organisation is not None:
        rows = rows.filter(organisation=organisation)
    return paginate(rows, CERTIFICATE_ORDER, cursor, size)


def certificate_get(user: AnyUser, number: str) -> Certificate:
    certificate = certificates_visible_to(user).filter(number=number.strip().upper()).first()
    if certificate is None:
        raise NotFound(f"no certificate {number}")
    return certificate


def certificate_public(number: str) -> PublicCertificateOut:
    """The public register: anyone may check a number; only what a register shows."""
    if not well_formed(number):
        raise NotFound(f"{number.strip()!r} is not a certificate number (check the letters)")
    certificate = (
        Certificate.objects.select_related("organisation")
        .filter(number=number.strip().upper())
        .first()
    )
    if certificate is None:
        raise NotFound(f"no certificate {number.strip().upper()}")
    return reference_answers.public_certificate_answer(certificate)


REGISTER_ORDER = ("organisation__name_key", "number", "pk")  # by organisation, then number
REGISTER_QUERY_MAX = 200


def register_search(
    query: str = "", cursor: str | None = None, size: int | str | None = None
) -> Page[PublicCertificateOut]:
    """The public register's list: every issued certificate (valid, expired or withdrawn, each
    with its status) whose organisation's name contains ``query`` (case and accents ignored:
    "cafe" finds "Café") or whose number contains it ("2013-418207"); everything when
    ``query`` is blank. A keyset page by organisation name, then number: two queries at most
    whatever the number of certificates (the page, with its organisations joined)."""
    query = query.strip()
    if len(query) > REGISTER_QUERY_MAX or (query and not visible(query)):
        raise InvalidInput({"q": "type part of an organisation's name or a certificate number"})
    rows = Certificate.objects.select_related("organisation")
    if query:
        rows = rows.filter(
            Q(organisation__name_key__contains=fold(query)) | Q(number__contains=query.upper())
        )
    return paginate(rows, REGISTER_ORDER, cursor, size).map(
        reference_answers.public_certificate_answer
    )


def results_answer(user: AnyUser, pk: int) -> ResultsOut:
    """The results with the latest decision and the year-on-year change: what the API and
    ``assay audits report`` answer."""
    return _results_answer(
        audit_results(user, pk),
        [
            ChangeOut(attribute=code, before=before, after=after)
            for code, before, after in audit_change(user, pk)
        ],
    )
