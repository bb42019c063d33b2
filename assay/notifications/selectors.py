"""Reads of notifications: a person only ever sees their own."""

from __future__ import annotations

from django.db.models import QuerySet

from assay.notifications.models import Notification
from assay.users import User


def notifications_of(user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    return Notification.objects.filter(recipient_id=user.pk).order_by("-created_at", "-pk")


def unread_count(user: User) -> int:
    """How many of the user's notifications are unread (one query)."""
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()
