"""Writes of the audit cycle: bodies, organisations, audits, sample, scores, decisions.

Every service checks the actor's role *and* relation to the object itself (ADR 0006), so no
front door can forget it; bad input raises ``InvalidInput`` and changes nothing. Sampling and
the decision are the engine's (``assay.engines.audit``): this module feeds it stored rows and
stores what it answers, verbatim, so both can be re-checked later (``sample_verify``,
``decision_verify`` in ``assay.audits.selectors``).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import IO, TypeVar

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Model

from assay import clock
from assay.audits import permissions as perm
from assay.audits import signals
from assay.audits.competence import AssignmentRefused, assignment_check
from assay.audits.inputs import (
    finding_facts,
    latest_scores,
    sample_inputs,
    sampled_sites,
    sampling_rule_of,
)
from assay.audits.models import (
    Audit,
    AuditDecision,
    AuditKind,
    AuditorAssignment,
    AuditStatus,
    AuditStatusChange,
    BodyMembership,
    BodyRole,
    CertifyingBody,
    Division,
    FieldworkReport,
    Office,
    Organisation,
    OrganisationContact,
    SampleDraw,
    SamplePick,
    SamplingPolicy,
    SelfAssessment,
    SiteEvidenceFile,
    SiteScore,
    StandardVersion,
)
from assay.audits.records import (
    ASSIGNED,
    CLOSED,
    CREATED,
    DECISION,
    EVIDENCE,
    SAMPLE,
    SCORES,
    SELF,
    STATUS,
    assignment_fields,
    audit_fields,
    audit_lock,
    audit_record,
    decision_fields,
    evidence_fields,
    pick_fields,
    report_fields,
    sample_fields,
    score_fields,
    self_fields,
    status_fields,
)
from assay.audits.standards import standard_of
from assay.engines.audit.decision import decide
from assay.engines.audit.model import Standard
from assay.engines.audit.sampling import DEFAULT_RULE, SamplingRule, draw_sample
from assay.engines.plausible import reason_problem, text_problem
from assay.errors import InvalidInput, NotAllowed
from assay.files.storage import store_upload
from assay.users import User

M = TypeVar("M", bound=Model)

# Which status may follow which; "decided" is reached only by recording a decision.
NEXT_STATUS = {
    AuditStatus.PLANNED: AuditStatus.SELF_ASSESSMENT,
    AuditStatus.SELF_ASSESSMENT: AuditStatus.FIELDWORK,
}


# --- certifying bodies, organisations, people -------------------------------------------------


def body_create(*, by: User, name: str, reference: str, prefix: str = "ICSS") -> CertifyingBody:
    """A new certifying body (the operator only: bodies are set up with the installation)."""
    if not perm.is_operator(by):
        raise NotAllowed("only the operator creates certifying bodies")
    errors = {}
    name_problem = text_problem(name) or text_problem(reference)
    if name_problem:
        errors["name"] = name_problem
    elif not name.strip():
        errors["name"] = "give the body's name"
    if not reference.strip():
        errors["reference"] = "give the body's reference"
    elif CertifyingBody.objects.filter(reference=reference.strip()).exists():
        errors["reference"] = f"a body with reference {reference.strip()!r} exists"
    if not prefix.isalnum() or not prefix.isupper() or len(prefix) > 8:
        errors["prefix"] = "the certificate prefix is 1-8 capital letters or digits"
    if errors:
        raise InvalidInput(errors)
    return CertifyingBody.objects.create(
        name=name.strip(), reference=reference.strip(), certificate_prefix=prefix
    )


def body_role_grant(*, by: User, body: CertifyingBody, user: User, role: str) -> BodyMembership:
    """Grant a body role (administrator, auditor, decision maker); the body's administrators
    or the operator grant it. Granting a role already held changes nothing."""
    if not perm.can_administer(by, body.pk):
        raise NotAllowed("only the certifying body's administrators grant its roles")
    if role not in BodyRole.values:
        raise InvalidInput({"role": f"unknown role {role!r}; one of {', '.join(BodyRole.values)}"})
    membership, _ = BodyMembership.objects.get_or_create(
        body=body, user_id=user.pk, role=role, defaults={"granted_by_id": by.pk}
    )
    if not membership.active:
        membership.active = True
        membership.save(update_fields=["active"])
    return membership


def _administer(by: User, body_id: int, what: str) -> None:
    if not perm.can_administer(by, body_id):
        raise NotAllowed(f"only the certifying body's administrators {what}")


def organisation_create(
    *, by: User, body: CertifyingBody, name: str, reference: str
) -> Organisation:
    _administer(by, body.pk, "add organisations")
    errors = {}
    if not name.strip():
        errors["name"] = "give the organisation's name"
    if not reference.strip():
        errors["reference"] = "give the organisation's reference"
    elif Organisation.objects.filter(reference=reference.strip()).exists():
        errors["reference"] = f"an organisation with reference {reference.strip()!r} exists"
    if errors:
        raise InvalidInput(errors)
    return Organisation.objects.create(body=body, name=name.strip(), reference=reference.strip())


def division_add(*, by: User, organisation: Organisation, name: str) -> Division:
    _administer(by, organisation.body_id, "add divisions")
    if not name.strip():
        raise InvalidInput({"name": "give the division's name"})
    if organisation.divisions.filter(name=name.strip()).exists():
        raise InvalidInput({"name": f"{organisation.name} already has a division {name.strip()!r}"})
    return Division.objects.create(organisation=organisation, name=name.strip())


@dataclass(frozen=True, slots=True)
class OfficeInput:
    name: str
    state: str
    is_main: bool = False
    is_division_main: bool = False
    division_id: int | None = None
    complaints: int = 0
    address: str = ""
    headcount: int | None = None  # staff at the office; None: unknown (docs/audits.md)


def office_add(*, by: User, organisation: Organisation, data: OfficeInput) -> Office:
    """An office in a state or territory. One main office per state for the organisation, and
    one per state for each division (the sites an audit must always visit)."""
    _administer(by, organisation.body_id, "add offices")
    errors = {}
    name, state = data.name.strip(), data.state.strip().upper()
    if not name:
        errors["name"] = "give the office's name"
    elif organisation.offices.filter(name=name).exists():
        errors["name"] = f"{organisation.name} already has an office {name!r}"
    if not state:
        errors["state"] = "give the state or territory"
    if data.complaints < 0:
        errors["complaints"] = "the number of complaints cannot be negative"
    if data.headcount is not None and not 0 <= data.headcount <= 1_000_000:
        errors["headcount"] = "the headcount is a number of staff from 0 to 1000000"
    division = None
    if data.division_id is not None:
        division = organisation.divisions.filter(pk=data.division_id).first()
        if division is None:
            errors["division"] = f"{organisation.name} has no division {data.division_id}"
    if data.is_division_main and data.division_id is None:
        errors["is_division_main"] = "only an office of a division can be its division's main"
    if data.is_main and organisation.offices.filter(state=state, is_main=True).exists():
        errors["is_main"] = f"{organisation.name} already has a main office in {state}"
    if (
        data.is_division_main
        and division is not None
        and division.offices.filter(state=state, is_division_main=True).exists()
    ):
        errors["is_division_main"] = f"{division.name} already has a main office in {state}"
    if errors:
        raise InvalidInput(errors)
    return Office.objects.create(
        organisation=organisation,
        division=division,
        name=name,
        state=state,
        is_main=data.is_main,
        is_division_main=data.is_division_main,
        complaints=data.complaints,
        address=data.address,
        headcount=data.headcount,
    )


def contact_grant(*, by: User, organisation: Organisation, user: User) -> OrganisationContact:
    """Make ``user`` a contact of the organisation (self-assessment, reads its results)."""
    _administer(by, organisation.body_id, "name organisation contacts")
    if BodyMembership.objects.filter(
        body_id=organisation.body_id, user_id=user.pk, active=True
    ).exists():
        raise InvalidInput(
            {"user": "staff of the certifying body cannot be a contact of a client organisation"}
        )
    contact, _ = OrganisationContact.objects.get_or_create(
        organisation=organisation, user_id=user.pk, defaults={"granted_by_id": by.pk}
    )
    return contact


# --- audits ------------------------------------------------------------------------------------


def audit_create(
    *,
    by: User,
    organisation: Organisation,
    standard: StandardVersion,
    division: Division | None = None,
) -> Audit:
    """Plan an initial audit of the whole organisation or of one autonomous division."""
    _administer(by, organisation.body_id, "plan audits")
    if division is not None and division.organisation_id != organisation.pk:
        raise InvalidInput(
            {"division": f"{division.name} is not a division of {organisation.name}"}
        )
    with transaction.atomic():
        audit = Audit.objects.create(
            body_id=organisation.body_id,
            organisation=organisation,
            division=division,
            standard=standard,
            kind=AuditKind.INITIAL,
            created_by_id=by.pk,
            created_on=clock.today(),
        )
        audit_record(audit.pk, CREATED, {"audit": audit_fields(audit)}, by)
        _status(audit, AuditStatus.PLANNED, by, "audit planned")
    return audit


def audit_recertify(*, by: User, previous: Audit) -> Audit:
    """The next year's audit: same organisation and scope, same standard version (so the same
    attribute list), linked to the previous audit for risk sampling and year-on-year change."""
    _administer(by, previous.body_id, "plan re-certification audits")
    if previous.status != AuditStatus.DECIDED:
        raise InvalidInput({"previous": "re-certification follows a decided audit"})
    if previous.next_audits.exists():
        raise InvalidInput({"previous": f"audit {previous.pk} already has a re-certification"})
    with transaction.atomic():
        audit = Audit.objects.create(
            body_id=previous.body_id,
            organisation_id=previous.organisation_id,
            division_id=previous.division_id,
            standard_id=previous.standard_id,
            kind=AuditKind.RECERTIFICATION,
            previous=previous,
            created_by_id=by.pk,
            created_on=clock.today(),
        )
        audit_record(audit.pk, CREATED, {"audit": audit_fields(audit)}, by)
        _status(audit, AuditStatus.PLANNED, by, f"re-certification following audit {previous.pk}")
    return audit


def _status(audit: Audit, status: str, by: User, note: str) -> None:
    """Change the status and record it (inside the caller's transaction, audit locked)."""
    audit.status = status
    audit.save(update_fields=["status"])
    change = AuditStatusChange.objects.create(
        audit=audit, status=status, note=note, changed_by_id=by.pk
    )
    audit_record(audit.pk, STATUS, {"status_change": status_fields(change)}, by)


def _relocked(audit: Audit) -> None:
    """Lock the audit and refuse when someone changed its status since the caller read it."""
    if audit_lock(audit).status != audit.status:
        raise InvalidInput({"audit": "someone else changed this audit; reload"})


def auditor_assign(*, by: User, audit: Audit, auditor: User) -> AuditorAssignment:
    """Assign an auditor of the body; the first assigned leads. Refused with the engine's
    reasons (``AssignmentRefused``, nothing changed) for an auditor who declared a conflict
    with the client, or who would lead without the qualification for the standard version."""
    _administer(by, audit.body_id, "assign auditors")
    if audit.status == AuditStatus.DECIDED:
        raise InvalidInput({"audit": "the audit is decided"})
    if not BodyMembership.objects.filter(
        body_id=audit.body_id, user_id=auditor.pk, role=BodyRole.AUDITOR, active=True
    ).exists():
        raise InvalidInput({"auditor": f"{auditor} is not an auditor of this certifying body"})
    with transaction.atomic():
        _relocked(audit)
        first = not AuditorAssignment.objects.filter(audit=audit).exists()
        already = AuditorAssignment.objects.filter(audit=audit, auditor_id=auditor.pk).exists()
        if not already:
            # A declared conflict refuses any role; only a qualified auditor leads (issue 15).
            check = assignment_check(audit, auditor, lead=first)
            if not check.allowed:
                raise AssignmentRefused([(r.code, r.text) for r in check.reasons])
        assignment, created = AuditorAssignment.objects.get_or_create(
            audit=audit, auditor_id=auditor.pk, defaults={"assigned_by_id": by.pk, "lead": first}
        )
        if created:
            audit_record(audit.pk, ASSIGNED, {"assignment": assignment_fields(assignment)}, by)
    return assignment


def audit_advance(*, by: User, audit: Audit, to: str, note: str = "") -> Audit:
    """Move an audit on: planned → self-assessment (administrator), self-assessment →
    fieldwork (administrator or an assigned auditor, once the sample is drawn)."""
    allowed = perm.can_administer(by, audit.body_id) or (
        to == AuditStatus.FIELDWORK and perm.is_assigned_auditor(by, audit)
    )
    if not allowed:
        raise NotAllowed("only the body's administrators (or, for fieldwork, its auditors) do this")
    expected = NEXT_STATUS.get(AuditStatus(audit.status))
    if to == AuditStatus.DECIDED:
        raise InvalidInput({"to": "an audit is decided by recording the decision"})
    if expected is None or to != expected:
        raise InvalidInput(
            {
                "to": f"an audit in status {audit.status} cannot move to {to}"
                + (f"; next is {expected}" if expected else "")
            }
        )
    if to == AuditStatus.FIELDWORK and not SampleDraw.objects.filter(audit=audit).exists():
        raise InvalidInput({"to": "draw the sample of sites before fieldwork"})
    with transaction.atomic():
        _relocked(audit)
        _status(audit, to, by, note)
    return audit


def sampling_policy_set(
    *, by: User, body: CertifyingBody, rule: str, random_percent: int, note: str
) -> SamplingPolicy:
    """The body's administrators choose how its audits are sampled (``SamplingRule``): a new
    version, never an edit; samples already drawn keep the rule they were drawn with. The note
    (why) is required, as for any documented choice."""
    if not perm.can_administer(by, body.pk):
        raise NotAllowed("only the certifying body's administrators choose its sampling rule")
    errors: dict[str, str] = {}
    try:
        chosen = SamplingRule(rule, 1, random_percent)
    except ValueError as exc:
        errors["random_percent" if "percentage" in str(exc) else "rule"] = str(exc)
        chosen = DEFAULT_RULE
    problem = reason_problem(note, "why the body chose this rule")
    if problem:
        errors["note"] = problem
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        CertifyingBody.objects.select_for_update().get(pk=body.pk)
        latest = SamplingPolicy.objects.filter(body=body).order_by("-version").first()
        return SamplingPolicy.objects.create(
            body=body,
            version=(latest.version if latest else 0) + 1,
            rule=chosen.key,
            rule_version=chosen.version,
            random_percent=chosen.random_percent,
            note=note.strip(),
            adopted_by_id=by.pk,
        )


def sample_draw(*, by: User, audit: Audit, seed: int | None = None) -> SampleDraw:
    """Draw the sites to visit with the engine, once: a fresh random seed (or ``seed``) is
    stored with the inputs and the picks, so the draw can be reproduced and defended."""
    if not (perm.can_administer(by, audit.body_id) or perm.is_assigned_auditor(by, audit)):
        raise NotAllowed("only the body's administrators or the audit's auditors draw the sample")
    if audit.status not in (AuditStatus.PLANNED, AuditStatus.SELF_ASSESSMENT):
        raise InvalidInput({"audit": "the sample is drawn before fieldwork"})
    if SampleDraw.objects.filter(audit=audit).exists():
        raise InvalidInput({"audit": "the sample is already drawn; it is drawn once"})
    if seed is not None and not 0 <= seed < 2**62:
        raise InvalidInput({"seed": "a seed is a whole number from 0 to 2^62 - 1"})
    seed = secrets.randbits(62) if seed is None else seed
    today = clock.today()
    offices = sample_inputs(audit)
    if not offices:
        raise InvalidInput({"audit": "the scope has no offices to sample"})
    recertification = audit.kind == AuditKind.RECERTIFICATION
    rule, policy_version = sampling_rule_of(audit.body_id)
    try:
        sample = draw_sample(
            offices, seed=seed, recertification=recertification, today=today, rule=rule
        )
    except ValueError as exc:
        raise InvalidInput({"offices": str(exc)}) from exc
    with transaction.atomic():
        _relocked(audit)
        if SampleDraw.objects.filter(audit=audit).exists():
            raise InvalidInput({"audit": "the sample is already drawn; it is drawn once"})
        draw = SampleDraw.objects.create(
            audit=audit,
            seed=seed,
            recertification=recertification,
            drawn_on=today,
            inputs=[_office_json(o) for o in offices],
            per_state=[list(row) for row in sample.per_state],
            rule=rule.key,
            rule_version=rule.version,
            random_percent=rule.random_percent,
            policy_version=policy_version,
            drawn_by_id=by.pk,
        )
        picks = _created(
            SamplePick.objects.bulk_create(
                SamplePick(
                    sample=draw,
                    office_id=int(p.office_id),
                    state=p.state,
                    how=p.how,
                    reason=p.reason,
                    position=i,
                )
                for i, p in enumerate(sample.picks)
            )
        )
        audit_record(
            audit.pk,
            SAMPLE,
            {"sample": sample_fields(draw), "picks": [pick_fields(p) for p in picks]},
            by,
        )
    return draw


def _created(rows: list[M]) -> list[M]:
    """Rows from ``bulk_create``, refusing when the database did not return their ids (the
    chain records each row by id)."""
    if any(row.pk is None for row in rows):  # pragma: no cover - SQLite >= 3.35 and PostgreSQL
        raise RuntimeError("the database did not return the ids of the rows created")
    return rows


def _office_json(office: object) -> dict[str, object]:
    data = asdict(office)  # type: ignore[call-overload]
    if data.get("last_visited") is not None:
        data["last_visited"] = data["last_visited"].isoformat()
    return dict(data)


# --- self-assessment and site scores -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SelfScoreInput:
    attribute: str
    score: int
    note: str = ""


@dataclass(frozen=True, slots=True)
class SiteScoreInput:
    office_id: int
    attribute: str
    score: int
    notes: str = ""


def _check_score(standard: Standard, attribute: str, score: int, at: str) -> dict[str, str]:
    if not standard.has_attribute(attribute):
        return {at: f"{standard.code} v{standard.version} has no attribute {attribute!r}"}
    try:
        standard.scale.band_of(score)
    except ValueError as exc:
        return {at: f"{attribute}: {exc}"}
    return {}


def self_assessment_record(
    *, by: User, audit: Audit, entries: Sequence[SelfScoreInput]
) -> list[SelfAssessment]:
    """Management's expected score and note per attribute, by an organisation contact, during
    self-assessment. All entries or none; each is a new row (the latest wins)."""
    if not perm.is_contact_of(by, audit.organisation_id):
        raise NotAllowed("only the organisation's contacts record its self-assessment")
    if audit.status != AuditStatus.SELF_ASSESSMENT:
        raise InvalidInput({"audit": f"self-assessment is closed (status {audit.status})"})
    if not entries:
        raise InvalidInput({"entries": "give at least one score"})
    standard = standard_of(audit.standard)
    errors: dict[str, str] = {}
    for i, e in enumerate(entries):
        errors.update(_check_score(standard, e.attribute, e.score, f"entries[{i}]"))
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        _relocked(audit)
        rows = _created(
            SelfAssessment.objects.bulk_create(
                SelfAssessment(
                    audit=audit,
                    attribute=e.attribute,
                    score=e.score,
                    note=e.note,
                    recorded_by_id=by.pk,
                )
                for e in entries
            )
        )
        audit_record(audit.pk, SELF, {"entries": [self_fields(r) for r in rows]}, by)
    return rows


def _check_fieldwork(by: User, audit: Audit) -> set[int]:
    """The sampled office ids, once the actor is an assigned auditor and fieldwork is open."""
    if not perm.is_assigned_auditor(by, audit):
        raise NotAllowed("only an auditor assigned to this audit records site assessments")
    if audit.status != AuditStatus.FIELDWORK:
        raise InvalidInput({"audit": f"site assessment is not open (status {audit.status})"})
    if FieldworkReport.objects.filter(audit=audit).exists():
        raise InvalidInput({"audit": "fieldwork is closed: the lead auditor submitted the report"})
    return set(SamplePick.objects.filter(sample__audit=audit).values_list("office_id", flat=True))


def site_score_record(
    *, by: User, audit: Audit, entries: Sequence[SiteScoreInput]
) -> list[SiteScore]:
    """Scores 0-10 (the standard's scale) per attribute at sampled offices, with evidence notes.
    All entries or none; a change is a new row (history kept with who and when)."""
    sampled = _check_fieldwork(by, audit)
    if not entries:
        raise InvalidInput({"entries": "give at least one score"})
    standard = standard_of(audit.standard)
    errors: dict[str, str] = {}
    for i, e in enumerate(entries):
        if e.office_id not in sampled:
            errors[f"entries[{i}]"] = f"office {e.office_id} is not in this audit's sample"
            continue
        errors.update(_check_score(standard, e.attribute, e.score, f"entries[{i}]"))
    if errors:
        raise InvalidInput(errors)
    today = clock.today()
    with transaction.atomic():
        _relocked(audit)
        rows = _created(
            SiteScore.objects.bulk_create(
                SiteScore(
                    audit=audit,
                    office_id=e.office_id,
                    attribute=e.attribute,
                    score=e.score,
                    notes=e.notes,
                    recorded_by_id=by.pk,
                    recorded_on=today,
                )
                for e in entries
            )
        )
        audit_record(audit.pk, SCORES, {"scores": [score_fields(r) for r in rows]}, by)
    return rows


def site_evidence_attach(
    *,
    by: User,
    audit: Audit,
    office_id: int,
    attribute: str,
    upload: IO[bytes] | File,
    original_name: str,
    expected_size: int | None = None,
) -> SiteEvidenceFile:
    """A file seen at a sampled site, stored by content address (same rules as portfolio
    evidence: hashed, type sniffed, never overwritten)."""
    sampled = _check_fieldwork(by, audit)
    if office_id not in sampled:
        raise InvalidInput({"office": f"office {office_id} is not in this audit's sample"})
    if not standard_of(audit.standard).has_attribute(attribute):
        raise InvalidInput({"attribute": f"the standard has no attribute {attribute!r}"})
    stored = store_upload(
        upload,
        original_name=original_name,
        max_bytes=int(settings.ASSAY_EVIDENCE_MAX_BYTES),
        allowed_types=frozenset(settings.ASSAY_EVIDENCE_TYPES),
        expected_size=expected_size,
    )
    with transaction.atomic():
        _relocked(audit)
        row = SiteEvidenceFile.objects.create(
            audit=audit,
            office_id=office_id,
            attribute=attribute,
            **stored.row_fields(),
            uploaded_by_id=by.pk,
        )
        audit_record(audit.pk, EVIDENCE, {"file": evidence_fields(row)}, by)
    return row


# --- decision ----------------------------------------------------------------------------------


def fieldwork_close(*, by: User, audit: Audit, summary: str) -> FieldworkReport:
    """The lead auditor closes fieldwork by submitting the report (a summary, required): no
    more scores, evidence or findings; the decision may now be recorded. Corrective actions
    still move on until the decision."""
    if not perm.is_lead_auditor(by, audit):
        raise NotAllowed("only the audit's lead auditor closes fieldwork")
    if audit.status != AuditStatus.FIELDWORK:
        raise InvalidInput({"audit": f"fieldwork is not open (status {audit.status})"})
    problem = reason_problem(summary, "the report's summary")
    if problem:
        raise InvalidInput({"summary": problem})
    with transaction.atomic():
        _relocked(audit)
        if FieldworkReport.objects.filter(audit=audit).exists():
            raise InvalidInput({"audit": "fieldwork is already closed"})
        report = FieldworkReport.objects.create(
            audit=audit,
            summary=summary.strip(),
            submitted_by_id=by.pk,
            submitted_on=clock.today(),
        )
        audit_record(audit.pk, CLOSED, {"report": report_fields(report)}, by)
        signals.fieldwork_closed.send(sender=FieldworkReport, report=report, by=by)
    return report


def decision_record(
    *, by: User, audit: Audit, rationale: str, conditions: str = ""
) -> AuditDecision:
    """Decide with the engine on the latest stored scores at the sampled sites and the
    findings, and store its answer verbatim with the decision maker's rationale (required) and
    any conditions. Fieldwork must be closed (the lead auditor's report); the decision maker
    must hold that role and must not have scored the audit (separation of duties)."""
    if not perm.has_body_role(by, audit.body_id, BodyRole.DECISION_MAKER):
        raise NotAllowed("only a decision maker of the certifying body records the decision")
    if perm.has_scored(by, audit):
        raise NotAllowed(
            "you scored sites in this audit; the decision must be recorded by a decision maker "
            "who did not assess it"
        )
    if audit.status != AuditStatus.FIELDWORK:
        raise InvalidInput(
            {"audit": f"the audit is not ready for a decision (status {audit.status})"}
        )
    if not FieldworkReport.objects.filter(audit=audit).exists():
        raise InvalidInput(
            {"audit": "fieldwork is not closed: the lead auditor submits the report first"}
        )
    errors = {}
    problem = reason_problem(rationale, "the rationale")
    if problem:
        errors["rationale"] = problem
    problem = text_problem(conditions, multiline=True)
    if problem:
        errors["conditions"] = problem
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        if audit_lock(audit).status != AuditStatus.FIELDWORK:
            raise InvalidInput({"audit": "someone else decided this audit; reload"})
        sites = sampled_sites(audit)
        scores = latest_scores(audit)
        findings = finding_facts(audit)
        decision = decide(standard_of(audit.standard), scores, sites, findings=findings)
        row = AuditDecision.objects.create(
            audit=audit,
            certifiable=decision.certifiable,
            reasons=[asdict(r) for r in decision.reasons],
            desirable=[list(d) for d in decision.desirable],
            sites=list(sites),
            scores={site: dict(by_attr) for site, by_attr in scores.items()},
            findings=[asdict(f) for f in findings],
            rationale=rationale.strip(),
            conditions=conditions.strip(),
            decided_by_id=by.pk,
            decided_on=clock.today(),
        )
        audit_record(audit.pk, DECISION, {"decision": decision_fields(row)}, by)
        verdict = "certifiable" if decision.certifiable else "not certifiable"
        _status(audit, AuditStatus.DECIDED, by, f"decision recorded: {verdict}")
    return row


__all__ = [
    "OfficeInput",
    "SelfScoreInput",
    "SiteScoreInput",
    "audit_advance",
    "audit_create",
    "audit_recertify",
    "auditor_assign",
    "body_create",
    "body_role_grant",
    "contact_grant",
    "decision_record",
    "division_add",
    "fieldwork_close",
    "office_add",
    "organisation_create",
    "sample_draw",
    "self_assessment_record",
    "site_evidence_attach",
    "site_score_record",
]
