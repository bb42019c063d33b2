"""Who is told of a claim's acts: the awarding body's staff of a batch submitted and of an
answer or EV sample; the centre's administrators of every act of the awarding body; the
centre's allocated EVs of a sample requested; the candidate and the centre's administrators
of a certificate issued or revoked. Written in the act's transaction (``notify``)."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse

from assay.centres.models import Centre, Membership, Role
from assay.engines.notifications import Event, Recipient
from assay.notifications.services import notify
from assay.users import User

from .models import AwardingBodyStaff, Certificate, Claim, ClaimBatch, ClaimEvent, ClaimStatus


def _link(claim: Claim) -> str:
    return reverse("claim-detail", args=[claim.pk])


def _staff(centre: Centre, role: str, why: str) -> list[Recipient]:
    found = Membership.objects.filter(centre=centre, role=role, active=True).values_list(
        "user_id", flat=True
    )
    return [Recipient(pk, why) for pk in sorted(set(found))]


def _awarding_body(why: str) -> list[Recipient]:
    found = AwardingBodyStaff.objects.filter(active=True, user__is_active=True).values_list(
        "user_id", flat=True
    )
    return [Recipient(pk, why) for pk in sorted(found)]


def _who(claim: Claim) -> str:
    candidate = claim.registration.candidate
    return f"{candidate.first_name} {candidate.last_name} ({claim.get_kind_display().lower()})"


def batch_submitted(batch: ClaimBatch, claims: Sequence[Claim], by: User) -> None:
    notify(
        kind=Event.CLAIM_STATUS,
        recipients=_awarding_body("you decide the awarding body's claims"),
        text=f"Batch {batch.pk} from {batch.centre.name}: {len(claims)} claim(s) to decide",
        line=", ".join(f"claim {c.pk}: {_who(c)}" for c in claims),
        link=reverse("claims-queue"),
        actor=by,
    )


def status_changed(claim: Claim, event: ClaimEvent, by: User) -> None:
    label = ClaimStatus(claim.status).label
    text = f"Claim {claim.pk} for {_who(claim)}: {label.lower()}"
    line = event.text or label
    if event.action in ("claim_answered", "ev_sample_recorded"):
        recipients = _awarding_body("you decide the awarding body's claims")
    else:
        recipients = _staff(claim.centre, Role.CENTRE_ADMIN, "you claim certificates here")
    if claim.status == ClaimStatus.EV_SAMPLE_REQUESTED:
        recipients += _staff(
            claim.centre, Role.EXTERNAL_VERIFIER, "you are this centre's external verifier"
        )
    notify(
        kind=Event.CLAIM_STATUS,
        recipients=recipients,
        text=text,
        line=line,
        link=_link(claim),
        registration=claim.registration,
        actor=by,
    )


def _certificate_people(cert: Certificate, why_candidate: str) -> list[Recipient]:
    people = _staff(cert.centre, Role.CENTRE_ADMIN, "you claim certificates here")
    user_id = cert.registration.candidate.user_id
    if user_id is not None:
        people.append(Recipient(user_id, why_candidate))
    return people


def certificate_issued(cert: Certificate, by: User) -> None:
    what = "replacement " if cert.replaces_id else ""
    notify(
        kind=Event.CERTIFICATE_ISSUED,
        recipients=_certificate_people(cert, "it is your certificate"),
        text=f"Certificate {cert.number} issued: {cert.qualification_title}"[:300],
        line=f"{what}{cert.get_kind_display().lower()} {cert.number}",
        link=reverse("home"),
        registration=cert.registration,
        actor=by,
    )


def certificate_revoked(cert: Certificate, by: User) -> None:
    notify(
        kind=Event.CERTIFICATE_REVOKED,
        recipients=_certificate_people(cert, "it is your certificate"),
        text=f"Certificate {cert.number} revoked ({cert.get_revoked_kind_display().lower()})",
        line=cert.revoked_reason,
        link=reverse("home"),
        registration=cert.registration,
        actor=by,
    )
