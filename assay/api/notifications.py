"""Notification endpoints: the caller's own notifications and marking one read.

Auth as the other endpoints (a token or a signed-in session). Another person's notification
answers 404 exactly like a missing one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from assay.api import schemas as s
from assay.api.auth import AUTH, who
from assay.notifications.models import Notification
from assay.notifications.selectors import notifications_of
from assay.notifications.services import notification_read

router = Router(tags=["notifications"], auth=AUTH)
ERRORS: dict[int, type[s.Error]] = {401: s.Error, 404: s.Error, 422: s.Error}


class NotificationOut(Schema):
    id: int
    kind: str
    text: str
    lines: list[str]
    reason: str
    link: str
    registration_id: int | None
    created_at: datetime
    read_at: datetime | None


class NotificationFilter(Schema):
    unread: bool = False
    limit: int = 100


def _out(row: Notification) -> dict[str, Any]:
    return {
        "id": row.pk,
        "kind": row.kind,
        "text": row.text,
        "lines": row.lines,
        "reason": row.reason,
        "link": row.link,
        "registration_id": row.registration_id,
        "created_at": row.created_at,
        "read_at": row.read_at,
    }


@router.get("notifications", response={200: list[NotificationOut], **ERRORS})
def notifications(request: HttpRequest, filters: Query[NotificationFilter]) -> list[dict[str, Any]]:
    """The caller's notifications, newest first (``unread=true``: unread only; at most
    ``limit``, 1–500)."""
    rows = notifications_of(who(request))
    if filters.unread:
        rows = rows.filter(read_at__isnull=True)
    return [_out(row) for row in rows[: max(1, min(filters.limit, 500))]]


@router.post("notifications/{notification_id}/read", response={200: NotificationOut, **ERRORS})
def read(request: HttpRequest, notification_id: int) -> dict[str, Any]:
    """Mark one of the caller's notifications read (again: no change)."""
    return _out(notification_read(by=who(request), pk=notification_id))
