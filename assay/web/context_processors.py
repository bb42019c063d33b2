"""Template context every page shares: the unread notification count for the nav badge and
the nav links the person can use."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.http import HttpRequest

from assay.notifications.selectors import unread_count
from assay.users import AnyUser


def notifications(request: HttpRequest) -> dict[str, Callable[[], int]]:
    """``unread_notifications``: counted once, on first use, in one query; anonymous
    visitors (and pages that never show the badge) cost no query."""
    user: AnyUser | None = getattr(request, "user", None)

    @cache
    def count() -> int:
        if user is None or not user.is_authenticated:
            return 0
        return unread_count(user)

    return {"unread_notifications": count}


def navigation(request: HttpRequest) -> dict[str, Callable[[], frozenset[str]]]:
    """``nav``: the link keys the person can use, read from the session (written at sign-in by
    ``assay.web.homes``); worked out once and stored if a session predates it."""
    user: AnyUser | None = getattr(request, "user", None)

    @cache
    def links() -> frozenset[str]:
        if user is None or not user.is_authenticated:
            return frozenset()
        from assay.web.homes import SESSION_KEY, remember_nav

        stored = request.session.get(SESSION_KEY)
        if stored is None:
            stored = remember_nav(request, user)
        return frozenset(stored)

    return {"nav": links}
