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
from assay.keyset import Page
from assay.notifications.models import Notification
from assay.notifications.selectors import notifications_page
from assay.notifications.services import notification_read

router = Router(tags=["notifications"], auth=AUTH)
ERRORS: dict[int, type[s.Error]] = {401: s.Error, 404: s.Error, 422: s.Error}
LIST_ERRORS: dict[int, type[s.Error]] = {400: s.Error, 401: s.Error, 422: s.Error}


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


@router.get("notifications", response={200: s.PageOut[NotificationOut], **LIST_ERRORS})
def notifications(
    request: HttpRequest, filters: Query[NotificationFilter], page: Query[s.PageQuery]
) -> Page[dict[str, Any]]:
    """The caller's notifications, newest first, one page at a time (``unread=true``: unread
    only; ``size`` 1–200, ``cursor`` from the answer's ``next`` or ``previous``)."""
    found = notifications_page(who(request), page.cursor, page.size, unread=filters.unread)
    return found.map(_out)


@router.post("notifications/{notification_id}/read", response={200: NotificationOut, **ERRORS})
def read(request: HttpRequest, notification_id: int) -> dict[str, Any]:
    """Mark one of the caller's notifications read (again: no change)."""
    return _out(notification_read(by=who(request), pk=notification_id))
