"""Claims' writes: create, submit in a batch, query and answer, EV sample requested and
recorded, approve (issuing the certificate) or reject, and revoke or replace a certificate.

Every write checks the actor first (``access.py``), then the input, and changes nothing when
anything is wrong (InvalidInput names every problem; a claim the rules refuse raises
``ClaimRefused`` with every reason of ``engines/claims``). Each write locks the claim's
registration, writes the claim's row and a history entry, appends a record to the claim's
chain (``records.py``) and tells the people concerned, all in one transaction; the
certificate signals go on commit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import IntegrityError, transaction

from assay import clock
from assay.catalogue.models import Unit
from assay.centres.models import Centre
from assay.engines.claims import ClaimDecision, Reason, certificate_number, claim_decision
from assay.engines.plausible import reason_problem
from assay.errors import InvalidInput, NotAllowed
from assay.records.services import record_append
from assay.registrations.enrolment import enrolment_lock
from assay.registrations.models import Registration
from assay.users import User

from . import notices, signals
from .access import is_awarding_body, require_ab, require_admin, require_ev
from .facts import centre_claim_checks, claim_facts
from .models import (
    OPEN,
    Certificate,
    CertificateKind,
    CertificateUnit,
    Claim,
    ClaimBatch,
    ClaimEvent,
    ClaimKind,
    ClaimStatus,
    RevokedKind,
)
from .records import certificate_entry, claim_chain, payload_of

TEXT_MAX = 20000
CONFIRM = "confirm: tick the box (or answer yes) once you have checked"
SAMPLE_OUTCOMES = ("satisfactory", "unsatisfactory")


class ClaimRefused(InvalidInput):
    """The claim rules refused; nothing was saved. ``reasons`` holds every one."""

    def __init__(self, reasons: Sequence[Reason], prefix: str = "") -> None:
        self.reasons = list(reasons)
        super().__init__({"claim": prefix + " ".join(r.text for r in self.reasons)})


def claim_check(
    *, registration: Registration, kind: str, units: Sequence[str], on: dt.date | None = None
) -> ClaimDecision:
    """The rules' verdict on a claim, without saving anything (the page's live check)."""
    return claim_decision(
        claim_facts(registration, kind=kind, claimed=units, on=on or clock.today())
    )


def _text(errors: dict[str, str], name: str, text: str, what: str) -> None:
    if problem := reason_problem(text, what):
        errors[name] = problem
    elif len(text) > TEXT_MAX:
        errors[name] = f"at most {TEXT_MAX} characters"


def _event(claim: Claim, action: str, before: str, by: User, text: str = "") -> ClaimEvent:
    return ClaimEvent.objects.create(
        claim=claim,
        action=action,
        from_status=before,
        to_status=claim.status,
        text=text.strip(),
        by=by,
    )


def _chain(
    claim: Claim, event: ClaimEvent, by: User, certificates: Sequence[Certificate] = ()
) -> None:
    entries = [certificate_entry(c, list(c.units.order_by("position"))) for c in certificates]
    record_append(
        claim_chain(claim.pk),
        kind=event.action,
        payload=payload_of(claim, event, entries),
        by=by,
    )


def _locked(claim: Claim, statuses: Sequence[str], what: str) -> Claim:
    """The claim locked (through its registration), refused unless in ``statuses``."""
    enrolment_lock(claim.registration)
    row = (
        Claim.objects.select_for_update()
        .select_related("registration__qualification", "registration__candidate", "centre")
        .get(pk=claim.pk)
    )
    if row.status not in statuses:
        raise InvalidInput(
            {"status": f"a claim {row.get_status_display().lower()} cannot be {what}"}
        )
    return row


def claim_create(
    *, by: User, registration: Registration, kind: str, units: Sequence[str] = ()
) -> Claim:
    """A draft claim for a unit certificate (``units``) or the full qualification, refused
    with every reason unless the rules allow it today."""
    require_admin(by, registration.centre)
    if kind not in ClaimKind.values:
        raise InvalidInput({"kind": f"choose one of {', '.join(ClaimKind.values)}"})
    numbers = [u.strip() for u in units if u.strip()]
    if kind == ClaimKind.QUALIFICATION:
        numbers = []
    elif not numbers:
        raise InvalidInput({"units": "choose the units to claim"})
    with transaction.atomic():
        locked = enrolment_lock(registration)
        today = clock.today()
        decision = claim_decision(claim_facts(locked, kind=kind, claimed=numbers, on=today))
        if not decision.allowed:
            raise ClaimRefused(decision.reasons)
        claimed = list(decision.counted_units)
        pending = _pending_units(locked, exclude=None)
        if clash := sorted(set(claimed) & pending):
            raise InvalidInput(
                {"units": f"already in an open claim for this registration: {', '.join(clash)}"}
            )
        claim = Claim.objects.create(
            registration=locked,
            centre=locked.centre,
            kind=kind,
            units=claimed,
            status=ClaimStatus.DRAFT,
            claim_on=today,
            created_by=by,
        )
        event = _event(claim, "claim_created", "", by, decision.summary)
        _chain(claim, event, by)
    return claim


def _pending_units(registration: Registration, exclude: int | None) -> set[str]:
    rows = Claim.objects.filter(registration=registration, status__in=OPEN)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return {u for units in rows.values_list("units", flat=True) for u in units}


def batch_submit(*, by: User, centre: Centre, claims: Sequence[Claim]) -> ClaimBatch:
    """Send draft claims to the awarding body together; each is decided again on the day
    (every refusal named, nothing sent when any is refused)."""
    require_admin(by, centre)
    if not claims:
        raise InvalidInput({"claims": "choose the draft claims to send"})
    with transaction.atomic():
        today = clock.today()
        rows: list[Claim] = []
        refusals: list[Reason] = []
        for claim in sorted(claims, key=lambda c: c.pk):
            if claim.centre_id != centre.pk:
                raise InvalidInput({"claims": f"claim {claim.pk} is not this centre's"})
            row = _locked(claim, (ClaimStatus.DRAFT,), "submitted")
            decision = claim_decision(
                claim_facts(row.registration, kind=row.kind, claimed=row.units, on=today)
            )
            refusals.extend(Reason(r.code, f"Claim {row.pk}: {r.text}") for r in decision.reasons)
            rows.append(row)
        if refusals:
            raise ClaimRefused(refusals)
        batch = ClaimBatch.objects.create(centre=centre, submitted_by=by, submitted_on=today)
        for row in rows:
            row.status, row.batch, row.claim_on = ClaimStatus.SUBMITTED, batch, today
            row.save(update_fields=["status", "batch", "claim_on"])
            event = _event(row, "claim_submitted", ClaimStatus.DRAFT, by, f"batch {batch.pk}")
            _chain(row, event, by)
        notices.batch_submitted(batch, rows, by)
    return batch


def claim_query(*, by: User, claim: Claim, text: str) -> Claim:
    """The awarding body asks the centre a question; the claim waits for the answer."""
    require_ab(by)
    errors: dict[str, str] = {}
    _text(errors, "text", text, "the question")
    if errors:
        raise InvalidInput(errors)
    return _move(by, claim, (ClaimStatus.SUBMITTED,), ClaimStatus.QUERIED, "claim_queried", text)


def claim_answer(*, by: User, claim: Claim, text: str) -> Claim:
    """The centre's administrator answers a query; the claim goes back to the awarding body."""
    require_admin(by, claim.centre)
    errors: dict[str, str] = {}
    _text(errors, "text", text, "the answer")
    if errors:
        raise InvalidInput(errors)
    return _move(by, claim, (ClaimStatus.QUERIED,), ClaimStatus.SUBMITTED, "claim_answered", text)


def sample_request(*, by: User, claim: Claim, text: str) -> Claim:
    """The awarding body asks the centre's EV to sample the claim before approving it — only
    for a centre without direct claims status."""
    require_ab(by)
    errors: dict[str, str] = {}
    _text(errors, "text", text, "what the EV should sample")
    if errors:
        raise InvalidInput(errors)
    direct, _ = centre_claim_checks(
        claim.centre, claim.registration.qualification.code, clock.today()
    )
    if direct:
        raise InvalidInput(
            {"status": "the centre holds direct claims status: no EV sample is needed"}
        )
    return _move(
        by,
        claim,
        (ClaimStatus.SUBMITTED,),
        ClaimStatus.EV_SAMPLE_REQUESTED,
        "ev_sample_requested",
        text,
    )


def sample_record(*, by: User, claim: Claim, outcome: str, text: str) -> Claim:
    """The centre's allocated EV records the sample's outcome; the claim goes back to the
    awarding body (an unsatisfactory sample stops its approval)."""
    require_ev(by, claim.centre)
    errors: dict[str, str] = {}
    if outcome not in SAMPLE_OUTCOMES:
        errors["outcome"] = f"choose one of {', '.join(SAMPLE_OUTCOMES)}"
    _text(errors, "text", text, "the sample's findings")
    if errors:
        raise InvalidInput(errors)
    return _move(
        by,
        claim,
        (ClaimStatus.EV_SAMPLE_REQUESTED,),
        ClaimStatus.SUBMITTED,
        "ev_sample_recorded",
        f"{outcome}: {text.strip()}",
        sample_outcome=outcome,
    )


def _move(
    by: User,
    claim: Claim,
    statuses: Sequence[str],
    to: str,
    action: str,
    text: str,
    *,
    sample_outcome: str | None = None,
) -> Claim:
    with transaction.atomic():
        row = _locked(claim, statuses, action.split("_", 1)[1].replace("_", " "))
        before = row.status
        row.status = to
        fields = ["status"]
        if sample_outcome is not None:
            row.sample_outcome = sample_outcome
            fields.append("sample_outcome")
        row.save(update_fields=fields)
        event = _event(row, action, before, by, text)
        _chain(row, event, by)
        notices.status_changed(row, event, by)
    return row


def claim_reject(*, by: User, claim: Claim, reason: str, confirmed: bool) -> Claim:
    """The awarding body refuses the claim, with its reasons (final)."""
    require_ab(by)
    errors: dict[str, str] = {}
    _text(errors, "reason", reason, "the reasons for rejecting the claim")
    if not confirmed:
        errors["confirm"] = CONFIRM + ": a rejection is final"
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        row = _locked(claim, OPEN[1:], "rejected")
        before = row.status
        row.status = ClaimStatus.REJECTED
        row.decided_by, row.decided_at = by, clock.now()
        row.decision_reason = reason.strip()
        row.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        event = _event(row, "claim_rejected", before, by, reason)
        _chain(row, event, by)
        notices.status_changed(row, event, by)
    return row


def claim_approve(*, by: User, claim: Claim, confirmed: bool, reason: str = "") -> Certificate:
    """The awarding body approves the claim: decided again (the claim date's facts, today's
    sanctions), then the certificate is issued."""
    require_ab(by)
    if not confirmed:
        raise InvalidInput({"confirm": CONFIRM + ": the certificate is issued at once"})
    with transaction.atomic():
        row = _locked(claim, (ClaimStatus.SUBMITTED,), "approved")
        if row.sample_outcome == "unsatisfactory":
            raise InvalidInput(
                {"status": "the EV's sample of this claim was unsatisfactory: reject it"}
            )
        registration = row.registration
        code = registration.qualification.code
        today = clock.today()
        direct, suspended = centre_claim_checks(row.centre, code, row.claim_on)
        _, now_suspended = centre_claim_checks(row.centre, code, today)
        sanctions = tuple(dict.fromkeys((*suspended, *now_suspended)))
        units_claimed = row.units if row.kind == ClaimKind.UNIT else []
        facts = claim_facts(
            registration,
            kind=row.kind,
            claimed=units_claimed,
            on=row.claim_on,
            centre_checks=(direct, sanctions),
        )
        decision = claim_decision(facts)
        if not decision.allowed:
            raise ClaimRefused(decision.reasons)
        before = row.status
        row.status = ClaimStatus.APPROVED
        row.decided_by, row.decided_at = by, clock.now()
        row.decision_reason = reason.strip()
        row.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        cert = _issue(row, list(decision.counted_units), today)
        event = _event(row, "claim_approved", before, by, f"certificate {cert.number}")
        _chain(row, event, by, [cert])
        notices.status_changed(row, event, by)
        notices.certificate_issued(cert, by)
        transaction.on_commit(
            lambda: signals.certificate_issued.send(sender=Certificate, certificate=cert)
        )
    return cert


def _next_number(year: int) -> str:
    prefix = f"AS-{year:04d}-"
    last = (
        Certificate.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    serial = int(last.split("-")[2]) + 1 if last else 1
    return certificate_number(year, serial)


def _issue(
    claim: Claim, units: Sequence[str], today: dt.date, replaces: Certificate | None = None
) -> Certificate:
    registration = claim.registration
    qualification = registration.qualification
    catalogue = {
        u.number: u for u in Unit.objects.filter(qualification=qualification, number__in=units)
    }
    for attempt in range(5):
        try:
            with transaction.atomic():
                cert = Certificate.objects.create(
                    number=_next_number(today.year),
                    claim=claim,
                    registration=registration,
                    centre=claim.centre,
                    kind=CertificateKind(claim.kind),
                    qualification_code=qualification.code,
                    qualification_title=qualification.title,
                    accreditation_number=qualification.accreditation_number,
                    issued_on=today,
                    replaces=replaces,
                )
                break
        except IntegrityError:
            if attempt == 4:
                raise
    ordered = sorted(units, key=lambda n: catalogue[n].position if n in catalogue else 999)
    CertificateUnit.objects.bulk_create(
        [
            CertificateUnit(
                certificate=cert,
                position=i,
                unit_code=n,
                unit_title=catalogue[n].title if n in catalogue else n,
                level=catalogue[n].level if n in catalogue else 0,
                credit=(catalogue[n].credit or 0) if n in catalogue else 0,
            )
            for i, n in enumerate(ordered, start=1)
        ]
    )
    return cert


def certificate_revoke(
    *, by: User, certificate: Certificate, kind: str, reason: str, confirmed: bool
) -> Certificate:
    """The awarding body revokes a certificate (malpractice, or issued in error), with a
    reason; set once."""
    require_ab(by)
    errors: dict[str, str] = {}
    if kind not in (RevokedKind.MALPRACTICE, RevokedKind.ISSUED_IN_ERROR):
        errors["kind"] = "choose malpractice or issued_in_error"
    _text(errors, "reason", reason, "the reason for revoking the certificate")
    if not confirmed:
        errors["confirm"] = CONFIRM + ": anyone checking this certificate will see it revoked"
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        cert = _revoke(by, certificate, kind, reason.strip(), "certificate_revoked")
    return cert


def _revoke(by: User, certificate: Certificate, kind: str, reason: str, action: str) -> Certificate:
    claim = _locked(certificate.claim, (ClaimStatus.APPROVED,), "changed")
    cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if cert.revoked_on is not None:
        raise InvalidInput({"certificate": f"certificate {cert.number} is already revoked"})
    cert.revoked_on, cert.revoked_kind, cert.revoked_reason = clock.today(), kind, reason
    cert.save(update_fields=["revoked_on", "revoked_kind", "revoked_reason"])
    event = _event(claim, action, claim.status, by, f"{cert.number}: {kind}: {reason}")
    _chain(claim, event, by, [cert])
    notices.certificate_revoked(cert, by)
    transaction.on_commit(
        lambda: signals.certificate_revoked.send(
            sender=Certificate, certificate=cert, reason=reason
        )
    )
    return cert


def certificate_replace(
    *, by: User, certificate: Certificate, reason: str, confirmed: bool
) -> Certificate:
    """A replacement certificate (a new number, today's catalogue titles) linked to the one
    it replaces; the old one is revoked as issued in error unless already revoked."""
    require_ab(by)
    errors: dict[str, str] = {}
    _text(errors, "reason", reason, "the reason for the replacement")
    if not confirmed:
        errors["confirm"] = CONFIRM + ": the old certificate stops being valid"
    if errors:
        raise InvalidInput(errors)
    if certificate.replaced_by.exists():
        raise InvalidInput({"certificate": f"certificate {certificate.number} is already replaced"})
    with transaction.atomic():
        old = certificate
        if old.revoked_on is None:
            old = _revoke(
                by, old, RevokedKind.ISSUED_IN_ERROR, reason.strip(), "certificate_replaced"
            )
        source = old.claim
        units = list(old.units.order_by("position").values_list("unit_code", flat=True))
        claim = Claim.objects.create(
            registration=source.registration,
            centre=source.centre,
            kind=source.kind,
            units=units,
            status=ClaimStatus.APPROVED,
            claim_on=source.claim_on,
            batch=source.batch,
            created_by=by,
            decided_by=by,
            decided_at=clock.now(),
            decision_reason=f"Replaces {old.number}: {reason.strip()}",
        )
        cert = _issue(claim, units, clock.today(), replaces=old)
        event = _event(claim, "replacement_issued", "", by, claim.decision_reason)
        _chain(claim, event, by, [cert])
        notices.certificate_issued(cert, by)
        transaction.on_commit(
            lambda: signals.certificate_issued.send(sender=Certificate, certificate=cert)
        )
    return cert


def awarding_body_grant(*, by: User, user: User) -> None:
    """Give ``user`` the awarding body's role (a superuser, or awarding body staff)."""
    if not (getattr(by, "is_superuser", False) or is_awarding_body(by)):
        raise NotAllowed("only the awarding body can grant its role")
    from .models import AwardingBodyStaff

    AwardingBodyStaff.objects.update_or_create(
        user=user, defaults={"active": True, "granted_by": by}
    )
