"""Invitations: a centre administrator (or the awarding body) invites a person by email; the
person opens the single-use link, chooses a password and is signed in with their role. A
certifying body's administrators (or the operator) invite the body's administrators, auditors
and decision makers the same way (``body_invitation_send``); accepting grants the body role
through ``body_role_grant``, as the inviter.

The token is 43 URL-safe characters from ``secrets``; only its SHA-256 is stored (as for API
tokens), so a leaked database gives no usable link. A link works for 7 days from when it was
last sent, once; resending replaces the token. Who may invite whom and when a link lapses are
the engine's rules (``assay.engines.accounts.rules``). Every act appends an ``AccountEvent``.
The new person signs in with their email address as username.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q

from assay import clock
from assay.accounts.models import AccountEvent, AccountEventKind, Invitation
from assay.audits import permissions as body_perm
from assay.audits.models import CertifyingBody
from assay.audits.services import body_role_grant
from assay.centres.duties import refuse_role
from assay.centres.models import Centre, Membership, Role
from assay.centres.permissions import can_administer
from assay.engines.accounts import rules
from assay.errors import InvalidInput, NotAllowed
from assay.files.digest import text_sha256
from assay.registrations.links import candidate_account_link, candidate_employer_contact_set
from assay.registrations.models import Registration
from assay.users import AnyUser, User

LinkFor = Callable[[str], str]
NEEDS_REGISTRATION = {Role.CANDIDATE}
MAY_NAME_REGISTRATION = {Role.CANDIDATE, Role.EMPLOYER_CONTACT}


def site_link(token: str) -> str:
    """The absolute link for a token, on the configured site (CLI and API)."""
    return f"{settings.ASSAY_SITE_URL.rstrip('/')}/invitation/{token}/"


def _superuser(user: AnyUser) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_superuser", False))


def state_of(invitation: Invitation) -> rules.InvitationState:
    return rules.invitation_state(
        expires=invitation.expires_at,
        accepted=invitation.accepted_at,
        cancelled=invitation.cancelled_at,
        now=clock.now(),
    )


@dataclass(frozen=True, slots=True)
class InviteInput:
    email: str
    role: str
    first_name: str = ""
    last_name: str = ""
    qualification_code: str = ""
    registration_id: int | None = None


@dataclass(frozen=True, slots=True)
class Sent:
    invitation: Invitation
    link: str  # shown once to whoever sent it; never stored


def _letter(invitation: Invitation, link: str) -> tuple[str, str]:
    centre = invitation.place
    role = invitation.role_label
    inviter = invitation.invited_by
    by = getattr(inviter, "get_full_name", lambda: "")() or inviter.get_username()
    greeting = invitation.first_name or "there"
    subject = f"You are invited to Assay at {centre.name}"
    body = "\n".join(
        [
            f"Dear {greeting},",
            "",
            f"{by} has invited you to {centre.name} on Assay as {role.lower()}.",
            "Choose your password here and you are signed in:",
            "",
            link,
            "",
            f"You will sign in with your email address, {invitation.email}.",
            f"The link works once, until {invitation.expires_at:%d/%m/%Y %H:%M}. "
            "If you were not expecting it, ignore this email.",
        ]
    )
    return subject, body


def _send(invitation: Invitation, link: str) -> None:
    subject, body = _letter(invitation, link)
    transaction.on_commit(partial(send_mail, subject, body, None, [invitation.email]), robust=True)


def _registration(centre: Centre, data: InviteInput) -> Registration | None:
    if data.registration_id is None:
        if data.role in NEEDS_REGISTRATION:
            raise InvalidInput(
                {"registration": "a candidate's invitation names their registration"}
            )
        return None
    if data.role not in MAY_NAME_REGISTRATION:
        raise InvalidInput(
            {"registration": "only a candidate's or employer contact's invitation names one"}
        )
    registration = (
        Registration.objects.select_related("candidate")
        .filter(pk=data.registration_id, centre=centre)
        .first()
    )
    if registration is None:
        raise InvalidInput(
            {"registration": f"there is no registration {data.registration_id} at {centre.name}"}
        )
    if data.role == Role.CANDIDATE and registration.candidate.user_id is not None:
        raise InvalidInput({"registration": f"{registration.candidate} already has a sign-in"})
    return registration


def invitation_send(
    *, by: User, centre: Centre, data: InviteInput, link_for: LinkFor = site_link
) -> Sent:
    """Invite ``data.email`` to ``centre`` in ``data.role`` and email them the link."""
    decision = rules.may_invite(
        role=data.role, awarding_body=_superuser(by), administers_centre=can_administer(by, centre)
    )
    if not decision.allowed:
        if data.role not in Role.values:
            raise InvalidInput({"role": decision.reason})
        raise NotAllowed(decision.reason)
    email = _new_email(data, Invitation.objects.filter(centre=centre))
    registration = _registration(centre, data)
    now = clock.now()
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        invitation = Invitation.objects.create(
            centre=centre,
            email=email,
            first_name=data.first_name.strip(),
            last_name=data.last_name.strip(),
            role=data.role,
            qualification_code=data.qualification_code.strip(),
            registration=registration,
            token_sha256=text_sha256(token),
            invited_by_id=by.pk,
            sent_at=now,
            expires_at=rules.expires_at(now),
        )
        AccountEvent.objects.create(
            kind=AccountEventKind.INVITED,
            invitation=invitation,
            centre=centre,
            role=data.role,
            by_id=by.pk,
        )
        link = link_for(token)
        _send(invitation, link)
    return Sent(invitation, link)


def body_invitation_send(
    *, by: User, body: CertifyingBody, data: InviteInput, link_for: LinkFor = site_link
) -> Sent:
    """Invite ``data.email`` to certifying body ``body`` as administrator, auditor or decision
    maker, and email them the link."""
    decision = rules.may_invite_to_body(
        role=data.role,
        operator=_superuser(by),
        administers_body=body_perm.can_administer(by, body.pk),
    )
    if not decision.allowed:
        if data.role not in rules.BODY_INVITES and (
            _superuser(by) or body_perm.can_administer(by, body.pk)
        ):
            raise InvalidInput({"role": decision.reason})
        raise NotAllowed(decision.reason)
    if data.registration_id is not None:
        raise InvalidInput({"registration": "a certifying body's invitation names none"})
    email = _new_email(data, Invitation.objects.filter(body=body))
    token = secrets.token_urlsafe(32)
    now = clock.now()
    with transaction.atomic():
        invitation = Invitation.objects.create(
            body=body,
            email=email,
            first_name=data.first_name.strip(),
            last_name=data.last_name.strip(),
            role=data.role,
            token_sha256=text_sha256(token),
            invited_by_id=by.pk,
            sent_at=now,
            expires_at=rules.expires_at(now),
        )
        AccountEvent.objects.create(
            kind=AccountEventKind.INVITED,
            invitation=invitation,
            body=body,
            role=data.role,
            by_id=by.pk,
        )
        link = link_for(token)
        _send(invitation, link)
    return Sent(invitation, link)


def _new_email(data: InviteInput, same_place: Any) -> str:
    """The normalised address, if nobody has an account with it and it is not already
    invited to the same place in the same role."""
    email = data.email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise InvalidInput({"email": "give a valid email address"}) from None
    users = get_user_model().objects
    if users.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        raise InvalidInput(
            {
                "email": f"{email} already has an account: grant them the role on the "
                "people page instead"
            }
        )
    pending = same_place.filter(
        email__iexact=email,
        role=data.role,
        accepted_at__isnull=True,
        cancelled_at__isnull=True,
        expires_at__gt=clock.now(),
    )
    if pending.exists():
        raise InvalidInput({"email": f"{email} is already invited as this role: send it again"})
    if len(data.first_name) > 150 or len(data.last_name) > 150:
        raise InvalidInput({"first_name": "use at most 150 characters for each name"})
    return email


def _may_manage(by: User, invitation: Invitation) -> None:
    if invitation.body_id is not None:
        if not body_perm.can_administer(by, invitation.body_id):
            raise NotAllowed(
                "only the certifying body's administrators can resend or cancel invitations"
            )
    elif invitation.centre is None or not can_administer(by, invitation.centre):
        raise NotAllowed("only a centre administrator can resend or cancel invitations")
    decision = rules.may_resend_or_cancel(state_of(invitation))
    if not decision.allowed:
        raise InvalidInput({"invitation": decision.reason})


def invitation_resend(*, by: User, invitation: Invitation, link_for: LinkFor = site_link) -> Sent:
    """A new link (the old one stops working), good for 7 days from now."""
    _may_manage(by, invitation)
    token = secrets.token_urlsafe(32)
    now = clock.now()
    with transaction.atomic():
        invitation.token_sha256 = text_sha256(token)
        invitation.sent_at = now
        invitation.expires_at = rules.expires_at(now)
        invitation.save(update_fields=["token_sha256", "sent_at", "expires_at"])
        AccountEvent.objects.create(
            kind=AccountEventKind.INVITATION_RESENT,
            invitation=invitation,
            centre=invitation.centre,
            body=invitation.body,
            role=invitation.role,
            by_id=by.pk,
        )
        link = link_for(token)
        _send(invitation, link)
    return Sent(invitation, link)


def invitation_cancel(*, by: User, invitation: Invitation, reason: str = "") -> Invitation:
    """The link stops working for good."""
    _may_manage(by, invitation)
    with transaction.atomic():
        invitation.cancelled_at = clock.now()
        invitation.cancelled_by_id = by.pk
        invitation.save(update_fields=["cancelled_at", "cancelled_by"])
        AccountEvent.objects.create(
            kind=AccountEventKind.INVITATION_CANCELLED,
            invitation=invitation,
            centre=invitation.centre,
            body=invitation.body,
            role=invitation.role,
            by_id=by.pk,
            reason=reason.strip(),
        )
    return invitation


def invitation_for_token(token: str) -> Invitation:
    """The invitation a link belongs to if it still works; InvalidInput saying why not
    (unknown tokens read "not valid", like a witness link)."""
    invitation = None
    if token and len(token) <= 200:
        invitation = (
            Invitation.objects.select_related("centre", "body", "invited_by")
            .filter(token_sha256=text_sha256(token))
            .first()
        )
    if invitation is None:
        raise InvalidInput({"token": "this invitation link is not valid"})
    decision = rules.may_accept(state_of(invitation))
    if not decision.allowed:
        raise InvalidInput({"token": decision.reason})
    return invitation


def _password_errors(password: str, user: User) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise InvalidInput({"password": " ".join(exc.messages)}) from None


def invitation_accept(*, token: str, password: str) -> Any:
    """Create the account, grant the role (and link the registration), mark the link used.
    Returns the new user, ready to be signed in. A second use of the link is refused."""
    invitation = invitation_for_token(token)
    model = get_user_model()
    user = model(
        username=invitation.email,
        email=invitation.email,
        first_name=invitation.first_name,
        last_name=invitation.last_name,
    )
    _password_errors(password, user)
    try:
        with transaction.atomic():
            locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
            decision = rules.may_accept(state_of(locked))
            if not decision.allowed:
                raise InvalidInput({"token": decision.reason})
            user.set_password(password)
            user.save()
            inviter = locked.invited_by
            if locked.body is not None:
                body_role_grant(by=inviter, body=locked.body, user=user, role=locked.role)
            elif locked.centre is not None:
                refuse_role(user, locked.centre, locked.role, field="token")
                Membership.objects.update_or_create(
                    user=user,
                    centre=locked.centre,
                    role=locked.role,
                    qualification_code=locked.qualification_code,
                    defaults={"active": True, "granted_by": inviter},
                )
                _link_registration(inviter, locked, user)
            locked.accepted_at = clock.now()
            locked.accepted_user = user
            locked.save(update_fields=["accepted_at", "accepted_user"])
            AccountEvent.objects.create(
                kind=AccountEventKind.ACCEPTED,
                user=user,
                invitation=locked,
                centre=locked.centre,
                body=locked.body,
                role=locked.role,
                by=user,
            )
    except IntegrityError:
        raise InvalidInput({"token": f"{invitation.email} already has an account"}) from None
    except NotAllowed:
        raise InvalidInput(
            {"token": "this invitation is no longer valid: ask whoever invited you for a new one"}
        ) from None
    return user


def _link_registration(inviter: User, invitation: Invitation, user: User) -> None:
    """A candidate's sign-in or an employer's employee, with the links module's own checks
    (as the inviter: if they may no longer do it, the invitation is void)."""
    registration = invitation.registration
    if registration is None:
        return
    if invitation.role == Role.CANDIDATE:
        if registration.candidate.user_id not in (None, user.pk):
            raise InvalidInput({"token": f"{registration.candidate} already has a sign-in"})
        candidate_account_link(by=inviter, candidate=registration.candidate, user=user)
    elif invitation.role == Role.EMPLOYER_CONTACT:
        candidate_employer_contact_set(by=inviter, candidate=registration.candidate, user=user)
