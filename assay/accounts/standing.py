"""Deactivate and reactivate an account, revoke a role: each with a reason, each appended to
the account's history (``AccountEvent``).

An account is one person across centres, so a centre administrator may deactivate it only
when every role the person holds is at a centre they administer; the awarding body (a
superuser) may deactivate any. Nobody acts on their own account or role, and a centre never
loses its last administrator (``rules.may_remove``). A deactivated person cannot sign in and
their API tokens stop working (Django and ``token_authenticate`` check ``is_active``); their
records stay.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from assay.accounts.models import AccountEvent, AccountEventKind
from assay.centres.models import Centre, Membership, Role
from assay.centres.permissions import centre_ids_with_role
from assay.engines.accounts import rules
from assay.errors import InvalidInput, NotAllowed
from assay.users import AnyUser, User


def _superuser(user: AnyUser) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_superuser", False))


def reason_text(reason: str) -> str:
    """The trimmed reason every removal needs (InvalidInput when empty or too long)."""
    text = reason.strip()
    if not text:
        raise InvalidInput({"reason": "give the reason"})
    if len(text) > 2000:
        raise InvalidInput({"reason": "use at most 2000 characters"})
    return text


def _other_admins(centre_id: int, user_id: int) -> int:
    return (
        Membership.objects.filter(
            centre_id=centre_id, role=Role.CENTRE_ADMIN, active=True, user__is_active=True
        )
        .exclude(user_id=user_id)
        .count()
    )


def _may_remove(by: User, user: User, admin_centres: set[int]) -> None:
    """The engine's rule for every centre where ``user`` is an administrator."""
    targets: list[int | None] = [*sorted(admin_centres)] or [None]
    for centre_id in targets:
        decision = rules.may_remove(
            actor_id=by.pk,
            target_id=user.pk,
            removes_admin=centre_id is not None,
            other_admins=_other_admins(centre_id, user.pk) if centre_id is not None else 0,
        )
        if not decision.allowed:
            raise NotAllowed(decision.reason)


def _may_manage_account(by: User, user: User) -> None:
    if _superuser(by):
        return
    theirs = set(
        Membership.objects.filter(user_id=user.pk, active=True).values_list("centre_id", flat=True)
    )
    mine = centre_ids_with_role(by, Role.CENTRE_ADMIN)
    if not theirs or not theirs <= mine:
        raise NotAllowed(
            "only a centre administrator of every centre where they hold a role (or the "
            "awarding body) can change their account"
        )


def account_deactivate(*, by: User, user: User, reason: str) -> Any:
    """The person can no longer sign in; their roles and records stay."""
    _may_manage_account(by, user)
    text = reason_text(reason)
    if not user.is_active:
        raise InvalidInput({"user": f"{user.get_username()} is already deactivated"})
    admin_at = centre_ids_with_role(user, Role.CENTRE_ADMIN)
    _may_remove(by, user, admin_at)
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        AccountEvent.objects.create(
            kind=AccountEventKind.DEACTIVATED, user=user, by_id=by.pk, reason=text
        )
    return user


def account_reactivate(*, by: User, user: User, reason: str) -> Any:
    """The person can sign in again, with the roles they still hold."""
    _may_manage_account(by, user)
    text = reason_text(reason)
    if by.pk == user.pk:
        raise NotAllowed("you cannot reactivate your own account")
    if user.is_active:
        raise InvalidInput({"user": f"{user.get_username()} is active"})
    with transaction.atomic():
        user.is_active = True
        user.save(update_fields=["is_active"])
        AccountEvent.objects.create(
            kind=AccountEventKind.REACTIVATED, user=user, by_id=by.pk, reason=text
        )
    return user


def role_revoke(*, by: User, membership: Membership, reason: str) -> Membership:
    """Take one role at one centre away (the row stays, inactive: who had it, until when)."""
    centre: Centre = membership.centre
    if not (_superuser(by) or centre.pk in centre_ids_with_role(by, Role.CENTRE_ADMIN)):
        raise NotAllowed("only a centre administrator can revoke roles")
    text = reason_text(reason)
    if not membership.active:
        raise InvalidInput({"membership": "that role is already revoked"})
    admin = {centre.pk} if membership.role == Role.CENTRE_ADMIN else set()
    _may_remove(by, membership.user, admin)
    with transaction.atomic():
        membership.active = False
        membership.save(update_fields=["active"])
        AccountEvent.objects.create(
            kind=AccountEventKind.ROLE_REVOKED,
            user_id=membership.user_id,
            centre=centre,
            role=membership.role,
            by_id=by.pk,
            reason=text,
        )
    return membership
