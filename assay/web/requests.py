"""Request types for the page views, so a view's ``request.user`` is typed as what the
decorators already guarantee instead of being silenced at every call.

``member_view`` and ``login_required`` let only signed-in users through; such a view takes an
``AuthedRequest``, whose ``user`` is a ``User``. ``HtmxRequest`` carries the ``htmx`` details
that ``HtmxMiddleware`` attaches to every request.
"""

from __future__ import annotations

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from assay.users import User


class HtmxRequest(HttpRequest):
    """Any request, as HtmxMiddleware leaves it."""

    htmx: HtmxDetails


class AuthedRequest(HttpRequest):
    """A request that passed ``login_required`` (or ``member_view``): its user is signed in."""

    user: User


class AuthedHtmxRequest(AuthedRequest, HtmxRequest):
    """A signed-in request with its htmx details."""
