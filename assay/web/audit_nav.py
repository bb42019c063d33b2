"""The "Audits" nav link: shown to people with an audit role, at no cost per page.

Whether someone holds an audit role (body staff or organisation contact) is worked out when
they sign in and kept in their session, so base.html reads a session key instead of running a
query on every page (other pages' query counts stay as they were). The audits index refreshes
it, so a role granted later shows once that page (or the next sign-in) is reached.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from assay.users import User

SESSION_KEY = "assay_audit_nav"


def remember_audit_roles(request: HttpRequest, roles: frozenset[str]) -> None:
    """Store whether the user holds any audit role (only written when it changes)."""
    flag = bool(roles)
    if request.session.get(SESSION_KEY) != flag:
        request.session[SESSION_KEY] = flag


def on_sign_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    """``user_logged_in`` receiver (connected in ``WebConfig.ready``)."""
    if request is None or not hasattr(request, "session"):
        return
    from assay.audits.pages.home import audit_roles

    remember_audit_roles(request, audit_roles(user))
