"""The signed-in person's notifications: the list, newest first, a page at a time, and
marking them read.

Only ever one's own: another person's notification answers 404 exactly like a missing one.
With htmx the marked row (or the whole list) is swapped in place, and the nav's unread count
with it (out of band); without htmx, back to the list.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from assay.notifications.selectors import notifications_page, unread_count
from assay.notifications.services import notification_read, notifications_read_all
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view


def _list(request: AuthedRequest, status: int = 200) -> HttpResponse:
    """One page of the list (``?cursor=…&size=…``; marking all read shows the first)."""
    user = request.user
    rows = notifications_page(user, request.GET.get("cursor"), request.GET.get("size"))
    context = {"rows": rows, "unread": unread_count(user)}
    template = (
        "web/notifications/_marked.html"
        if getattr(request, "htmx", False)
        else "web/notifications/index.html"
    )
    return render(request, template, context, status=status)


@require_GET
@member_view
def notification_index(request: AuthedRequest) -> HttpResponse:
    """The newest notifications first; unread ones stand out and can be marked read."""
    return _list(request)


@require_POST
@member_view
def notification_mark_read(request: AuthedRequest, pk: int) -> HttpResponse:
    """Mark one read (``notification_read``); htmx gets the row back."""
    row = notification_read(by=request.user, pk=pk)
    if getattr(request, "htmx", False):
        context = {"row": row, "unread": unread_count(request.user)}
        return render(request, "web/notifications/_marked.html", context)
    return redirect("notifications")


@require_POST
@member_view
def notification_mark_all_read(request: AuthedRequest) -> HttpResponse:
    """Mark every unread notification read (``notifications_read_all``)."""
    notifications_read_all(by=request.user)
    if getattr(request, "htmx", False):
        return _list(request)
    return redirect("notifications")
