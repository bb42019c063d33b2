"""Reads of notifications: a person only ever sees their own."""

from __future__ import annotations

from django.db.models import QuerySet

from assay.keyset import Page, paginate
from assay.notifications.models import Notification
from assay.users import User

ORDER = ("-created_at", "-pk")  # newest first


def notifications_of(user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    return Notification.objects.filter(recipient_id=user.pk).order_by(*ORDER)


def notifications_page(
    user: User,
    cursor: str | None = None,
    size: int | str | None = None,
    *,
    unread: bool = False,
) -> Page[Notification]:
    """One page of the user's own notifications, newest first (``unread``: unread only). The
    recipient is filtered before the cursor applies: no cursor reaches anyone else's."""
    rows = notifications_of(user)
    if unread:
        rows = rows.filter(read_at__isnull=True)
    return paginate(rows, ORDER, cursor, size)


def unread_count(user: User) -> int:
    """How many of the user's notifications are unread (one query)."""
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()
