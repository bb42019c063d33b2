"""Who may see and do what in certification audits (ADR 0006).

* certifying-body administrator — everything of their body: organisations, audits, auditor
  assignments, status, sample, certificates;
* decision maker — reads every audit of their body and records decisions (never on an audit
  they scored: separation of duties);
* auditor — only the audits assigned to them: draws the sample, scores sites, adds evidence;
* organisation contact — their own organisation's audits and certificates; writes the
  self-assessment;
* nobody sees another body's or another organisation's objects: they answer 404 like missing
  ones; a visible object with an act the role may not do answers 403 (``NotAllowed``).
"""

from __future__ import annotations

from django.db.models import Q

from assay.audits.models import Audit, BodyMembership, BodyRole, OrganisationContact
from assay.users import AnyUser


def is_operator(user: AnyUser) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_superuser", False))


def body_ids_with_role(user: AnyUser, *roles: str) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        BodyMembership.objects.filter(user_id=user.pk, active=True, role__in=roles).values_list(
            "body_id", flat=True
        )
    )


def has_body_role(user: AnyUser, body_id: int, role: str) -> bool:
    return is_operator(user) or body_id in body_ids_with_role(user, role)


def contact_organisation_ids(user: AnyUser) -> set[int]:
    if not user.is_authenticated:
        return set()
    return set(
        OrganisationContact.objects.filter(user_id=user.pk, active=True).values_list(
            "organisation_id", flat=True
        )
    )


def audit_filter(user: AnyUser) -> Q:
    """A filter on Audit for everything ``user`` may read."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if is_operator(user):
        return Q()
    wide = body_ids_with_role(user, BodyRole.ADMINISTRATOR, BodyRole.DECISION_MAKER)
    auditing = body_ids_with_role(user, BodyRole.AUDITOR)
    return (
        Q(body_id__in=wide)
        | Q(body_id__in=auditing, assignments__auditor_id=user.pk)
        | Q(organisation_id__in=contact_organisation_ids(user))
    )


def certificate_filter(user: AnyUser) -> Q:
    """A filter on Certificate: the certificates of the audits ``user`` may read."""
    return Q(audit__in=Audit.objects.filter(audit_filter(user)).values("pk"))


def organisation_filter(user: AnyUser) -> Q:
    """A filter on Organisation: the body's staff see its clients (an auditor those with an
    audit assigned to them); a contact their own organisation."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    if is_operator(user):
        return Q()
    wide = body_ids_with_role(user, BodyRole.ADMINISTRATOR, BodyRole.DECISION_MAKER)
    auditing = body_ids_with_role(user, BodyRole.AUDITOR)
    return (
        Q(body_id__in=wide)
        | Q(audits__body_id__in=auditing, audits__assignments__auditor_id=user.pk)
        | Q(pk__in=contact_organisation_ids(user))
    )


def is_assigned_auditor(user: AnyUser, audit: Audit) -> bool:
    if not user.is_authenticated:
        return False
    return audit.body_id in body_ids_with_role(user, BodyRole.AUDITOR) and (
        audit.assignments.filter(auditor_id=user.pk).exists()
    )


def is_lead_auditor(user: AnyUser, audit: Audit) -> bool:
    """The audit's lead auditor (or, on an audit assigned before leads were named, any of its
    assigned auditors)."""
    if not is_assigned_auditor(user, audit):
        return False
    leads = audit.assignments.filter(lead=True)
    return not leads.exists() or leads.filter(auditor_id=user.pk).exists()


def is_contact_of(user: AnyUser, organisation_id: int) -> bool:
    return organisation_id in contact_organisation_ids(user)


def can_administer(user: AnyUser, body_id: int) -> bool:
    return has_body_role(user, body_id, BodyRole.ADMINISTRATOR)


def may_import_standards(user: AnyUser) -> bool:
    """Standards are shared by every body, and a new version becomes every body's default for
    new audits: only the operator imports them, as the CLI does (an import only adds versions;
    it never changes one already imported)."""
    return is_operator(user)


def has_scored(user: AnyUser, audit: Audit) -> bool:
    """True when ``user`` recorded any site score on ``audit`` (separation of duties)."""
    return bool(user.pk) and audit.site_scores.filter(recorded_by_id=user.pk).exists()
