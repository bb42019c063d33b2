"""Certification audit endpoints: standards (public), organisations, audits (create, sample,
self-assessment, site scores, results, decision), certificates and the public certificate check.

Auth as the other endpoints (token or signed-in session), except standards and the public
register. An audit, organisation or certificate the caller may not see answers 404 exactly like
a missing one; seeing it without the role to act answers 403; bad input 422 and nothing changes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from ninja import File, Query, Router, Schema, Status, UploadedFile
from pydantic import Field

from assay.api import schemas as s
from assay.api.auth import AUTH, who
from assay.audits import answers as out
from assay.audits import findings as fnd
from assay.audits import reference_answers as ref
from assay.audits import selectors as sel
from assay.audits import services as svc
from assay.audits.certificates import certificate_issue, certificate_withdraw
from assay.audits.pdf import certificate_pdf
from assay.audits.permissions import may_import_standards
from assay.audits.reports.report_json import ReportOut
from assay.audits.standards import StandardImportError, standard_import_text
from assay.catalogue.specfile import MAX_BYTES, SpecError, too_big
from assay.errors import InvalidInput, NotAllowed, NotFound
from assay.keyset import Page

router = Router(tags=["audits"], auth=AUTH)
public = Router(tags=["audits"])
ERRORS: dict[int, type[s.Error]] = {401: s.Error, 403: s.Error, 404: s.Error, 422: s.Error}
LIST_ERRORS: dict[int, type[s.Error]] = {400: s.Error, 401: s.Error, 422: s.Error}


class AuditIn(Schema):
    organisation: int
    standard: str = Field(description="Standard code, e.g. icss-illustrative")
    version: int | None = Field(None, description="Default: the newest version")
    division: int | None = Field(None, description="Audit one autonomous division only")


class AdvanceIn(Schema):
    to: str = Field(description="self_assessment or fieldwork")
    note: str = ""


class AuditorIn(Schema):
    username: str


class SampleIn(Schema):
    seed: int | None = Field(None, description="Default: a fresh random seed, stored")


class SelfScoreIn(Schema):
    attribute: str
    score: int
    note: str = ""


class SiteScoreIn(Schema):
    office: int
    attribute: str
    score: int
    notes: str = ""


class EntriesIn(Schema):
    entries: list[SelfScoreIn]


class ScoresIn(Schema):
    entries: list[SiteScoreIn]


class WithdrawIn(Schema):
    reason: str


class FindingIn(Schema):
    office: int
    attribute: str
    grade: str = Field(description="major, minor, observation or opportunity")
    summary: str
    evidence: str
    note: str = ""
    due_on: dt.date | None = Field(None, description="Required for a nonconformity")


class ResponseIn(Schema):
    owner: str = Field(description="Who at the organisation owns the action")
    response: str = Field(description="The cause and the plan")


class ReviewIn(Schema):
    accept: bool
    note: str = Field("", description="Required when the plan is rejected")


class VerificationIn(Schema):
    note: str = Field(description="What the auditor saw")


class FieldworkReportIn(Schema):
    summary: str = Field(description="The lead auditor's summary of the fieldwork")


class DecisionIn(Schema):
    rationale: str = Field(description="Why, beside the engine's reasons (required)")
    conditions: str = Field("", description="Any conditions of the decision")


class SamplingRuleIn(Schema):
    rule: str = Field(description="per-state-sqrt or whole-organisation-sqrt")
    random_percent: int = Field(25, description="Share of the sample drawn at random, 25-100")
    note: str = Field(description="Why the body chose this rule (required)")


# --- standards (public) ------------------------------------------------------------------------


@public.get(
    "standards",
    response={200: s.PageOut[ref.StandardSummaryOut], 400: s.Error, 422: s.Error},
)
def standards(request: HttpRequest, page: Query[s.PageQuery]) -> Page[Any]:
    """Every imported version of every audit standard (illustrative ones say so), by code and
    version, one page at a time."""
    found = sel.standards_page(page.cursor, page.size)
    return found.map(ref.standard_summary_answer)


class SpecErrorOut(Schema):
    file: str
    path: str = Field(description="JSON path, e.g. $.scale.bands[1].high")
    line: int | None = Field(description="Line in the file, when known")
    message: str


class StandardImportOut(Schema):
    code: str | None = Field(description="None only on a dry run of an invalid file")
    version: int | None
    status: str = Field(
        description="created (201); unchanged (200: the same content was imported before, the "
        "existing version, nothing changed); on a dry run (200, nothing written) new, unchanged "
        "or invalid"
    )
    sha256: str | None = Field(description="SHA-256 of the canonical JSON content")
    dry_run: bool
    errors: list[SpecErrorOut] = Field(
        description="A dry run's every error, with its line; empty otherwise"
    )


@public.post(
    "standards",
    auth=AUTH,
    response={
        200: StandardImportOut,
        201: StandardImportOut,
        401: s.Error,
        403: s.Error,
        422: s.Error,
    },
)
def standard_upload(
    request: HttpRequest, file: File[UploadedFile], dry_run: bool = False
) -> Status[Any]:
    """Import one standard file (multipart field ``file``: YAML or JSON, UTF-8, at most 5 MiB),
    exactly as ``assay audits import`` does: every error answers 422 with each one in
    ``details`` (file, JSON path, line, message) and nothing is written; the same content again
    answers 200 with the existing version; a new version is kept beside the old ones; the same
    version with other content is refused. ``dry_run=true`` checks everything and writes nothing:
    it answers 200 with ``status`` new, unchanged or invalid and every error in ``errors``.
    The operator or a certifying body's administrator only."""
    user = who(request)
    if not may_import_standards(user):  # before the body is read (the service checks again)
        raise NotAllowed("only the operator or a certifying body's administrator imports standards")
    name = "".join(ch for ch in Path(file.name or "upload").name if ch.isprintable())[:200]
    name = name or "upload"
    big = too_big(file.size or 0, name)
    errors: list[SpecError] = [big] if big is not None else []
    try:
        text = "" if errors else file.read(MAX_BYTES + 1).decode("utf-8-sig")
    except UnicodeDecodeError:
        errors = [SpecError(name, "$", None, "the file is not UTF-8 text")]
    if not errors:
        try:
            result = standard_import_text(by=user, text=text, file=name, dry_run=dry_run)
        except StandardImportError as exc:
            errors = list(exc.errors)
    found = [SpecErrorOut(file=e.file, path=e.path, line=e.line, message=e.message) for e in errors]
    if found and dry_run:
        answer = StandardImportOut(
            code=None, version=None, status="invalid", sha256=None, dry_run=True, errors=found
        )
        return Status(200, answer)
    if found:
        message = f"{len(found)} error(s); nothing was imported: {errors[0]}"
        details = [e.model_dump() for e in found]
        body = {"status": 422, "code": "invalid", "message": message, "details": details}
        return Status(422, {"error": body})
    answer = StandardImportOut(
        code=result.code,
        version=result.version,
        status=result.status,
        sha256=result.sha256,
        dry_run=dry_run,
        errors=[],
    )
    return Status(201 if result.status == "created" else 200, answer)


@public.get("standards/{code}", response={200: ref.StandardOut, 404: s.Error})
def standard(request: HttpRequest, code: str, version: int | None = None) -> ref.StandardOut:
    """One standard: scale, nodes (any depth) and attributes."""
    return sel.standard_answer(sel.standard_get(code, version))


@public.get("public/certificates/{number}", response={200: ref.PublicCertificateOut, 404: s.Error})
def certificate_check(request: HttpRequest, number: str) -> ref.PublicCertificateOut:
    """The public register: anyone may check a certificate number. Shows only the
    organisation, scope, states, standard, dates, status and whether the mark may be shown."""
    return sel.certificate_public(number)


class RegisterQuery(s.PageQuery):
    q: str = Field(
        default="",
        max_length=200,
        description="Part of an organisation's name (capitals and accents ignored) or number",
    )


@public.get(
    "public/certificates",
    response={200: s.PageOut[ref.PublicCertificateOut], 400: s.Error, 422: s.Error},
)
def register_search(request: HttpRequest, query: Query[RegisterQuery]) -> Page[Any]:
    """The public register's list: certificates (current, expired, withdrawn, each with its
    status) whose organisation's name or number contains ``q``, by organisation name then
    number, one page at a time."""
    return sel.register_search(query.q, query.cursor, query.size)


# --- certifying bodies ---------------------------------------------------------------------------


@router.get("bodies/{body_id}/sampling-rule", response={200: out.SamplingPolicyOut, **ERRORS})
def sampling_rule(request: HttpRequest, body_id: int) -> out.SamplingPolicyOut:
    """The body's current sampling rule (name, source, random share, version) and every version
    of its choice; anyone holding a role at the body."""
    return sel.sampling_rule_answer(who(request), body_id)


@router.post("bodies/{body_id}/sampling-rule", response={201: out.SamplingPolicyOut, **ERRORS})
def sampling_rule_set(
    request: HttpRequest, body_id: int, body: SamplingRuleIn
) -> Status[out.SamplingPolicyOut]:
    """Choose the body's sampling rule (administrators): a new version, used for samples drawn
    from now on; samples already drawn keep theirs."""
    user = who(request)
    svc.sampling_policy_set(
        by=user,
        body=sel.body_get(user, body_id),
        rule=body.rule,
        random_percent=body.random_percent,
        note=body.note,
    )
    return Status(201, sel.sampling_rule_answer(user, body_id))


# --- organisations -------------------------------------------------------------------------------


@router.get("organisations", response={200: s.PageOut[ref.OrganisationSummaryOut], **LIST_ERRORS})
def organisations(request: HttpRequest, page: Query[s.PageQuery]) -> Page[Any]:
    """The organisations the caller may see, by name, one page at a time."""
    found = sel.organisations_page(who(request), page.cursor, page.size)
    return found.map(ref.organisation_summary_answer)


@router.get("organisations/{org_id}", response={200: ref.OrganisationOut, **ERRORS})
def organisation(request: HttpRequest, org_id: int) -> ref.OrganisationOut:
    return ref.organisation_answer(sel.organisation_get(who(request), org_id))


# --- audits --------------------------------------------------------------------------------------


@router.get("audits", response={200: s.PageOut[out.AuditOut], **LIST_ERRORS})
def audits(request: HttpRequest, page: Query[s.PageQuery]) -> Page[Any]:
    """The audits the caller may see, newest first, one page at a time."""
    found = sel.audits_page(who(request), page.cursor, page.size)
    return found.map(out.audit_answer)


@router.post("audits", response={201: out.AuditOut, **ERRORS})
def audit_create(request: HttpRequest, body: AuditIn) -> Status[out.AuditOut]:
    """Plan an initial audit (certifying-body administrators)."""
    user = who(request)
    organisation = sel.organisation_get(user, body.organisation)
    standard = sel.standard_get(body.standard, body.version)
    division = None
    if body.division is not None:
        division = organisation.divisions.filter(pk=body.division).first()
        if division is None:
            raise InvalidInput({"division": f"{organisation.name} has no division {body.division}"})
    audit = svc.audit_create(
        by=user, organisation=organisation, standard=standard, division=division
    )
    return Status(201, out.audit_answer(audit))


@router.get("audits/{audit_id}", response={200: out.AuditOut, **ERRORS})
def audit(request: HttpRequest, audit_id: int) -> out.AuditOut:
    return out.audit_answer(sel.audit_get(who(request), audit_id))


@router.post("audits/{audit_id}/recertify", response={201: out.AuditOut, **ERRORS})
def recertify(request: HttpRequest, audit_id: int) -> Status[out.AuditOut]:
    """Next year's audit from this decided one (same scope and attribute list)."""
    user = who(request)
    return Status(
        201, out.audit_answer(svc.audit_recertify(by=user, previous=sel.audit_get(user, audit_id)))
    )


@router.post("audits/{audit_id}/advance", response={200: out.AuditOut, **ERRORS})
def advance(request: HttpRequest, audit_id: int, body: AdvanceIn) -> out.AuditOut:
    user = who(request)
    audit = svc.audit_advance(
        by=user, audit=sel.audit_get(user, audit_id), to=body.to, note=body.note
    )
    return out.audit_answer(audit)


@router.post("audits/{audit_id}/auditors", response={200: out.AuditorsOut, **ERRORS})
def assign(request: HttpRequest, audit_id: int, body: AuditorIn) -> out.AuditorsOut:
    user = who(request)
    audit = sel.audit_get(user, audit_id)
    auditor = get_user_model().objects.filter(username=body.username, is_active=True).first()
    if auditor is None:
        raise InvalidInput({"username": f"unknown user {body.username!r}"})
    svc.auditor_assign(by=user, audit=audit, auditor=auditor)
    return out.AuditorsOut(
        audit=audit.pk,
        auditors=list(audit.assignments.values_list("auditor__username", flat=True)),
    )


@router.post("audits/{audit_id}/sample", response={201: out.SampleOut, **ERRORS})
def sample_draw(request: HttpRequest, audit_id: int, body: SampleIn) -> Status[out.SampleOut]:
    """Draw the sites to visit (once; the seed, inputs and reasons are stored)."""
    user = who(request)
    draw = svc.sample_draw(by=user, audit=sel.audit_get(user, audit_id), seed=body.seed)
    return Status(201, out.sample_answer(draw))


@router.get(
    "audits/{audit_id}/sample", response={200: out.SampleOut | out.CheckedSampleOut, **ERRORS}
)
def sample(
    request: HttpRequest, audit_id: int, verify: bool = False
) -> out.SampleOut | out.CheckedSampleOut:
    """The stored sample; ``verify=true`` re-draws it from the stored seed and inputs and
    checks the audit's record chain (``problems``)."""
    user = who(request)
    draw = sel.audit_sample(user, audit_id)
    if draw is None:
        raise NotFound(f"audit {audit_id} has no sample yet")
    if verify:
        return sel.sample_checked(user, audit_id)
    return out.sample_answer(draw)


@router.post("audits/{audit_id}/self-assessment", response={201: out.RecordedOut, **ERRORS})
def self_assess(request: HttpRequest, audit_id: int, body: EntriesIn) -> Status[out.RecordedOut]:
    """Management's expected score and note per attribute (organisation contacts)."""
    user = who(request)
    rows = svc.self_assessment_record(
        by=user,
        audit=sel.audit_get(user, audit_id),
        entries=[svc.SelfScoreInput(e.attribute, e.score, e.note) for e in body.entries],
    )
    return Status(201, out.RecordedOut(recorded=len(rows)))


@router.get(
    "audits/{audit_id}/self-assessment",
    response={200: s.PageOut[out.SelfAssessmentOut], 400: s.Error, **ERRORS},
)
def self_assessment(request: HttpRequest, audit_id: int, page: Query[s.PageQuery]) -> Page[Any]:
    """Every self-assessment entry (append-only history: the latest per attribute counts), by
    attribute, one page at a time."""
    found = sel.self_assessment_page(who(request), audit_id, page.cursor, page.size)
    return found.map(out.self_assessment_answer)


@router.post("audits/{audit_id}/scores", response={201: out.RecordedOut, **ERRORS})
def scores_record(request: HttpRequest, audit_id: int, body: ScoresIn) -> Status[out.RecordedOut]:
    """Site scores 0-10 with evidence notes (auditors assigned to the audit, during fieldwork)."""
    user = who(request)
    rows = svc.site_score_record(
        by=user,
        audit=sel.audit_get(user, audit_id),
        entries=[svc.SiteScoreInput(e.office, e.attribute, e.score, e.notes) for e in body.entries],
    )
    return Status(201, out.RecordedOut(recorded=len(rows)))


@router.get(
    "audits/{audit_id}/scores", response={200: s.PageOut[out.SiteScoreOut], 400: s.Error, **ERRORS}
)
def scores(request: HttpRequest, audit_id: int, page: Query[s.PageQuery]) -> Page[Any]:
    """Every score row, oldest first, one page at a time (append-only history: the latest per
    site and attribute counts)."""
    found = sel.score_page(who(request), audit_id, page.cursor, page.size)
    return found.map(out.site_score_answer)


@router.post("audits/{audit_id}/evidence", response={201: out.SiteEvidenceOut, **ERRORS})
def evidence(
    request: HttpRequest,
    audit_id: int,
    office: int,
    attribute: str,
    file: UploadedFile = File(...),  # noqa: B008
) -> Status[out.SiteEvidenceOut]:
    """A file seen at a sampled site (stored by content address, never overwritten)."""
    user = who(request)
    row = svc.site_evidence_attach(
        by=user,
        audit=sel.audit_get(user, audit_id),
        office_id=office,
        attribute=attribute,
        upload=file,
        original_name=file.name or "upload",
        expected_size=file.size,
    )
    return Status(201, out.site_evidence_answer(row))


# After the POST: the path then resolves to the POST's URL name, which the upload limits know
# (``upload_limits.EVIDENCE_UPLOADS``).
@router.get(
    "audits/{audit_id}/evidence",
    response={200: s.PageOut[out.SiteEvidenceOut], 400: s.Error, **ERRORS},
)
def evidence_list(
    request: HttpRequest,
    audit_id: int,
    page: Query[s.PageQuery],
    office: int | None = None,
    attribute: str | None = None,
) -> Page[Any]:
    """The audit's evidence files (of one office, one attribute), newest first, one page at a
    time (whoever sees the audit)."""
    found = sel.evidence_page(
        who(request), audit_id, page.cursor, page.size, office_id=office, attribute=attribute
    )
    return found.map(out.site_evidence_answer)


@router.get("audits/{audit_id}/results", response={200: out.ResultsOut, **ERRORS})
def results(request: HttpRequest, audit_id: int) -> out.ResultsOut:
    """Per attribute, element, perspective and overall, per site and across sites, with bands;
    gaps between management's expectation and delivery; the latest decision."""
    return sel.results_answer(who(request), audit_id)


@router.get("audits/{audit_id}/report", response={200: ReportOut, **ERRORS})
def report(request: HttpRequest, audit_id: int) -> ReportOut:
    """The whole audit report as JSON (what the PDF shows): the decision with its reasons, the
    sample with its reasons, results, gaps, the perspectives' profile and year-on-year change."""
    from assay.audits.reports.build import report_for
    from assay.audits.reports.report_json import report_answer

    return report_answer(report_for(who(request), audit_id))


@router.post("audits/{audit_id}/fieldwork-report", response={201: out.FieldworkReportOut, **ERRORS})
def fieldwork_close(
    request: HttpRequest, audit_id: int, body: FieldworkReportIn
) -> Status[out.FieldworkReportOut]:
    """The lead auditor closes fieldwork by submitting the report's summary."""
    user = who(request)
    report = svc.fieldwork_close(by=user, audit=sel.audit_get(user, audit_id), summary=body.summary)
    return Status(201, out.fieldwork_report_answer(report))


@router.post("audits/{audit_id}/decision", response={201: out.AuditDecisionOut, **ERRORS})
def decide(request: HttpRequest, audit_id: int, body: DecisionIn) -> Status[out.AuditDecisionOut]:
    """Record the engine's decision with the decision maker's rationale and any conditions (a
    decision maker who did not score this audit, once fieldwork is closed)."""
    user = who(request)
    decision = svc.decision_record(
        by=user,
        audit=sel.audit_get(user, audit_id),
        rationale=body.rationale,
        conditions=body.conditions,
    )
    return Status(201, out.decision_answer(decision))


@router.get(
    "audits/{audit_id}/decision",
    response={200: out.AuditDecisionOut | out.CheckedDecisionOut, **ERRORS},
)
def decision(
    request: HttpRequest, audit_id: int, verify: bool = False
) -> out.AuditDecisionOut | out.CheckedDecisionOut:
    """The recorded decision; ``verify=true`` recomputes it from the stored scores and checks
    the audit's record chain (``problems``)."""
    user = who(request)
    row = sel.latest_decision(sel.audit_get(user, audit_id))
    if row is None:
        raise NotFound(f"audit {audit_id} has no decision yet")
    if verify:
        return sel.decision_checked(user, audit_id)
    return out.decision_answer(row)


@router.get("audits/{audit_id}/findings", response={200: list[out.FindingOut], **ERRORS})
def findings(request: HttpRequest, audit_id: int) -> list[out.FindingOut]:
    """The audit's findings with their corrective actions and history (whoever sees the audit,
    the organisation's contacts included)."""
    return [out.finding_answer(f) for f in sel.findings_of(who(request), audit_id)]


@router.post("audits/{audit_id}/findings", response={201: out.FindingOut, **ERRORS})
def finding_raise(request: HttpRequest, audit_id: int, body: FindingIn) -> Status[out.FindingOut]:
    """Raise a finding at a sampled office (an assigned auditor, during fieldwork)."""
    user = who(request)
    found = fnd.finding_raise(
        by=user,
        audit=sel.audit_get(user, audit_id),
        data=fnd.FindingInput(
            body.office,
            body.attribute,
            body.grade,
            body.summary,
            body.evidence,
            body.note,
            body.due_on,
        ),
    )
    return Status(201, _finding(user, audit_id, found.number))


def _finding(user: Any, audit_id: int, number: int) -> out.FindingOut:
    return next(
        out.finding_answer(f) for f in sel.findings_of(user, audit_id) if f.number == number
    )


@router.post(
    "audits/{audit_id}/findings/{number}/response", response={200: out.FindingOut, **ERRORS}
)
def finding_response(
    request: HttpRequest, audit_id: int, number: int, body: ResponseIn
) -> out.FindingOut:
    """The organisation's contact answers a nonconformity: owner, cause and plan."""
    user = who(request)
    fnd.corrective_action_respond(
        by=user,
        action=sel.action_get(user, audit_id, number),
        owner=body.owner,
        response=body.response,
    )
    return _finding(user, audit_id, number)


@router.post("audits/{audit_id}/findings/{number}/review", response={200: out.FindingOut, **ERRORS})
def finding_review(
    request: HttpRequest, audit_id: int, number: int, body: ReviewIn
) -> out.FindingOut:
    """An assigned auditor accepts or rejects (with a reason) the organisation's plan."""
    user = who(request)
    fnd.corrective_action_review(
        by=user, action=sel.action_get(user, audit_id, number), accept=body.accept, note=body.note
    )
    return _finding(user, audit_id, number)


@router.post(
    "audits/{audit_id}/findings/{number}/verification", response={200: out.FindingOut, **ERRORS}
)
def finding_verification(
    request: HttpRequest, audit_id: int, number: int, body: VerificationIn
) -> out.FindingOut:
    """An assigned auditor verifies an accepted corrective action, saying what they saw."""
    user = who(request)
    fnd.corrective_action_verify(
        by=user, action=sel.action_get(user, audit_id, number), note=body.note
    )
    return _finding(user, audit_id, number)


@router.post("audits/{audit_id}/certificate", response={201: ref.CertificateOut, **ERRORS})
def issue(request: HttpRequest, audit_id: int) -> Status[ref.CertificateOut]:
    user = who(request)
    certificate = certificate_issue(by=user, audit=sel.audit_get(user, audit_id))
    return Status(201, ref.certificate_answer(certificate))


# --- certificates -------------------------------------------------------------------------------


@router.get("certificates", response={200: s.PageOut[ref.CertificateOut], **LIST_ERRORS})
def certificates(request: HttpRequest, page: Query[s.PageQuery]) -> Page[Any]:
    """The certificates of the audits the caller may see, newest first, one page at a time."""
    found = sel.certificates_page(who(request), page.cursor, page.size)
    return found.map(ref.certificate_answer)


@router.get("certificates/{number}", response={200: ref.CertificateOut, **ERRORS})
def certificate(request: HttpRequest, number: str) -> ref.CertificateOut:
    return ref.certificate_answer(sel.certificate_get(who(request), number))


@router.get("certificates/{number}/certificate.pdf", response={200: None, **ERRORS})
def certificate_document(request: HttpRequest, number: str) -> HttpResponse:
    """The printable certificate (PDF with a QR code to its public register entry), for those
    who may see the certificate; not public (docs/audits.md)."""
    certificate = sel.certificate_get(who(request), number)
    response = HttpResponse(certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.number}.pdf"'
    return response


@router.post("certificates/{number}/withdraw", response={200: ref.CertificateOut, **ERRORS})
def withdraw(request: HttpRequest, number: str, body: WithdrawIn) -> ref.CertificateOut:
    user = who(request)
    certificate = certificate_withdraw(
        by=user, certificate=sel.certificate_get(user, number), reason=body.reason
    )
    return ref.certificate_answer(certificate)
