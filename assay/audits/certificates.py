"""Certificates: issue, withdraw, status from the clock, expiry reminders, public check.

A certificate lasts one year ("entitled to use the 'Certified Customer Service Organization'
logo for a period of one year, after which time the organization is required to be
re-certified"), by one rule (``assay.engines.audit.validity``): valid from ``issued_on``
through the day before its first anniversary (``valid_through``, the date printed), expired
from the anniversary (``expires_on``, stored); 29 February's anniversary is 1 March. Withdrawn
from ``withdrawn_on``. The mark may be shown only while valid.

Numbers read like ``ICSS-2013-418207-K``: the body's prefix, the year of issue, six random
digits (unguessable: no sequence to walk) and a check letter that catches a mistyped digit.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from assay import clock
from assay.audits import permissions as perm
from assay.audits.models import (
    Audit,
    AuditStatus,
    BodyRole,
    Certificate,
    CertificateReminder,
    OrganisationContact,
    SamplePick,
)
from assay.audits.records import (
    ISSUED,
    WITHDRAWN,
    audit_lock,
    audit_problems,
    audit_record,
    certificate_fields,
)
from assay.engines.audit.validity import validity
from assay.errors import InvalidInput, NotAllowed
from assay.jobs.email import email_later
from assay.keyset import Page, paginate
from assay.users import User

CHECK_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXY"  # 23 letters: no I or O (read as 1 and 0), no Z
NUMBER = re.compile(r"^([A-Z0-9]{1,8})-(\d{4})-(\d{6})-([A-Z])$")
MARK = "Certified Customer Service Organization"
REMIND_DAYS = 60


def check_letter(prefix: str, year: int, serial: int) -> str:
    """A weighted checksum over the number's characters: any single changed digit, and any
    swap of two neighbouring different digits, changes the letter."""
    body = f"{prefix}{year:04d}{serial:06d}"
    total = sum((i + 1) * (ord(c) - 47) for i, c in enumerate(body))
    return CHECK_LETTERS[total % len(CHECK_LETTERS)]


def well_formed(number: str) -> bool:
    """True when ``number`` has the shape of a certificate number and its check letter fits."""
    match = NUMBER.match(number.strip().upper())
    if match is None:
        return False
    prefix, year, serial, letter = match.groups()
    return check_letter(prefix, int(year), int(serial)) == letter


def _new_number(prefix: str, year: int) -> str:
    for _ in range(100):
        serial = secrets.randbelow(1_000_000)
        number = f"{prefix}-{year:04d}-{serial:06d}-{check_letter(prefix, year, serial)}"
        if not Certificate.objects.filter(number=number).exists():
            return number
    raise RuntimeError(f"no free certificate number left for {prefix}-{year}")  # pragma: no cover


def expiry_of(issued_on: dt.date) -> dt.date:
    """The first day a certificate issued on ``issued_on`` is no longer valid: its first
    anniversary (29 February → 1 March); it is valid through the day before."""
    return validity(issued_on).expires_on


def status_of(certificate: Certificate, today: dt.date | None = None) -> str:
    """valid | expired | withdrawn, on ``today`` (the clock's today by default)."""
    today = clock.today() if today is None else today
    if certificate.withdrawn_on is not None and certificate.withdrawn_on <= today:
        return "withdrawn"
    if today >= certificate.expires_on:
        return "expired"
    if today < certificate.issued_on:
        return "not yet valid"
    return "valid"


def mark_entitled(certificate: Certificate, today: dt.date | None = None) -> bool:
    """May the organisation show the "Certified Customer Service Organization" mark?"""
    return status_of(certificate, today) == "valid"


def certificate_issue(*, by: User, audit: Audit) -> Certificate:
    """Issue the certificate of an audit whose latest decision is certifiable (an administrator
    or a decision maker of the body; once per audit). Refused when the audit's record chain
    does not verify, its rows do not reconcile with it, or the anchors disagree: a refused
    audit whose rows were rewritten to look certifiable gets no certificate."""
    if not (
        perm.can_administer(by, audit.body_id)
        or perm.has_body_role(by, audit.body_id, BodyRole.DECISION_MAKER)
    ):
        raise NotAllowed("only the body's administrators or decision makers issue certificates")
    decision = audit.decisions.order_by("-pk").first()
    if audit.status != AuditStatus.DECIDED or decision is None:
        raise InvalidInput({"audit": "the audit has no decision yet"})
    if not decision.certifiable:
        raise InvalidInput({"audit": "the decision was not certifiable; no certificate"})
    if Certificate.objects.filter(audit=audit).exists():
        raise InvalidInput({"audit": "this audit's certificate is already issued"})
    today = clock.today()
    states = sorted(
        set(SamplePick.objects.filter(sample__audit=audit).values_list("state", flat=True))
    )
    with transaction.atomic():
        audit_lock(audit)
        if Certificate.objects.filter(audit=audit).exists():
            raise InvalidInput({"audit": "this audit's certificate is already issued"})
        problems = audit_problems(audit.pk)
        if problems:
            shown = "; ".join(problems[:3]) + (
                f" (and {len(problems) - 3} more)" if len(problems) > 3 else ""
            )
            raise InvalidInput(
                {
                    "audit": "the audit's record does not verify, so no certificate is issued: "
                    + shown
                }
            )
        certificate = Certificate.objects.create(
            number=_new_number(audit.body.certificate_prefix, today.year),
            audit=audit,
            decision=decision,
            organisation_id=audit.organisation_id,
            division_id=audit.division_id,
            scope_text=audit.scope_text,
            states=states,
            standard_title=audit.standard.title,
            issued_on=today,
            expires_on=expiry_of(today),
            issued_by_id=by.pk,
        )
        audit_record(audit.pk, ISSUED, {"certificate": certificate_fields(certificate)}, by)
    return certificate


def certificate_withdraw(*, by: User, certificate: Certificate, reason: str) -> Certificate:
    """Withdraw a certificate from today, with a reason (the body's administrators)."""
    if not perm.can_administer(by, certificate.audit.body_id):
        raise NotAllowed("only the body's administrators withdraw certificates")
    if not reason.strip():
        raise InvalidInput({"reason": "say why the certificate is withdrawn"})
    if certificate.withdrawn_on is not None:
        raise InvalidInput({"certificate": f"{certificate.number} is already withdrawn"})
    with transaction.atomic():
        audit_lock(certificate.audit)
        certificate.refresh_from_db(fields=["withdrawn_on"])
        if certificate.withdrawn_on is not None:
            raise InvalidInput({"certificate": f"{certificate.number} is already withdrawn"})
        certificate.withdrawn_on = clock.today()
        certificate.withdrawn_reason = reason.strip()
        certificate.withdrawn_by_id = by.pk
        certificate.save(update_fields=["withdrawn_on", "withdrawn_reason", "withdrawn_by"])
        audit_record(
            certificate.audit_id, WITHDRAWN, {"certificate": certificate_fields(certificate)}, by
        )
    return certificate


@dataclass(frozen=True, slots=True)
class ReminderDue:
    certificate: Certificate
    days_left: int
    recipients: tuple[str, ...]
    already_sent: bool


DUE_ORDER = ("expires_on", "pk")  # soonest first


def _due(user: User, within_days: int) -> QuerySet[Certificate]:
    """Valid certificates of bodies ``user`` administers that expire within ``within_days``,
    each annotated with whether it was reminded."""
    if within_days < 0:
        raise InvalidInput({"within": "the number of days cannot be negative"})
    today = clock.today()
    certificates = (
        Certificate.objects.filter(perm.certificate_filter(user))
        .select_related("organisation", "division", "audit", "audit__body")
        .filter(
            withdrawn_on__isnull=True,
            expires_on__gt=today,
            expires_on__lte=today + dt.timedelta(days=within_days),
        )
    )
    if not perm.is_operator(user):
        administered = perm.body_ids_with_role(user, BodyRole.ADMINISTRATOR)
        certificates = certificates.filter(audit__body_id__in=administered)
    reminded = CertificateReminder.objects.filter(certificate_id=OuterRef("pk"))
    return certificates.annotate(reminded=Exists(reminded))


def _with_recipients(rows: list[Certificate]) -> list[ReminderDue]:
    """Each certificate with its organisation's contacts' e-mails (one query)."""
    today = clock.today()
    emails: dict[int, list[str]] = defaultdict(list)
    contacts = OrganisationContact.objects.filter(
        organisation_id__in={c.organisation_id for c in rows}, active=True
    ).values_list("organisation_id", "user__email")
    for organisation_id, email in contacts:
        if email:
            emails[organisation_id].append(email)
    return [
        ReminderDue(
            certificate=certificate,
            days_left=(certificate.expires_on - today).days,
            recipients=tuple(sorted(emails[certificate.organisation_id])),
            already_sent=certificate.reminded,  # type: ignore[attr-defined]
        )
        for certificate in rows
    ]


def reminders_due(user: User, *, within_days: int = REMIND_DAYS) -> list[ReminderDue]:
    """Valid certificates of bodies ``user`` administers that expire within ``within_days``,
    soonest first: every one (what ``reminders_send`` and ``assay audits remind`` go through).

    Three queries whatever the number of certificates (the bodies administered, the
    certificates with whether each was reminded, the contacts' e-mails)."""
    return _with_recipients(list(_due(user, within_days).order_by(*DUE_ORDER)))


def reminders_due_page(
    user: User,
    *,
    within_days: int = REMIND_DAYS,
    cursor: str | None = None,
    size: int | str | None = None,
) -> Page[ReminderDue]:
    """One keyset page of ``reminders_due`` (the renewals page): the same queries whatever the
    number of certificates; narrowed to the user's bodies before the cursor applies."""
    found = paginate(_due(user, within_days), DUE_ORDER, cursor, size)
    return Page(_with_recipients(found.items), found.next, found.previous, found.size)


def reminders_send(*, by: User, within_days: int = REMIND_DAYS) -> list[ReminderDue]:
    """Email each organisation's contacts once about a certificate that expires soon and
    record it; certificates already reminded are skipped. Returns the reminders sent."""
    sent = []
    for due in reminders_due(by, within_days=within_days):
        if due.already_sent:
            continue
        c = due.certificate
        email_later(
            subject=f"Certificate {c.number} is valid through {c.valid_through:%d/%m/%Y}",
            body=(
                f"The certificate {c.number} ({c.scope_text}) is valid through "
                f"{c.valid_through:%d/%m/%Y} and expires on {c.expires_on:%d/%m/%Y}, in "
                f"{due.days_left} days. From that date the "
                f'"{MARK}" mark may no longer be shown; please arrange the re-certification '
                "audit with your certifying body."
            ),
            to=list(due.recipients),
        )
        CertificateReminder.objects.create(
            certificate=c,
            sent_on=clock.today(),
            recipients=list(due.recipients),
            sent_by_id=by.pk if by.pk else None,
        )
        sent.append(due)
    return sent
