"""Sign-in and the two denials every centre and registration page shares.

A centre or registration the user may not see answers 404 exactly like a missing one; an
action their role does not allow on an object they may see answers 403 with the service's
sentence saying who can (ADR 0006).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import render

from assay.errors import InvalidInput, NotAllowed, NotFound

View = TypeVar("View", bound=Callable[..., Any])


def sentence(message: str) -> str:
    """A service's message as a sentence: capital first letter, full stop at the end."""
    message = message.strip()
    if message and message[-1] not in ".!?":
        message += "."
    return message[:1].upper() + message[1:]


def member_view(view: View) -> View:
    """Signed in only; NotFound → 404 page, NotAllowed → 403 page with its message, and an
    InvalidInput that reached the view's edge (a list's edited or stale page link, a page size
    out of range) → 400 page with its message, never a 500. Forms catch their own InvalidInput
    before this and show it on their fields."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc)) from exc
        except NotAllowed as exc:
            raise PermissionDenied(sentence(str(exc))) from exc
        except InvalidInput as exc:
            return bad_request(args[0], exc)

    return cast(View, login_required(wrapper))


def bad_request(request: HttpRequest, exc: InvalidInput) -> Any:
    """The 400 page with the input's messages (``400.html``)."""
    problems = [sentence(message) for message in exc.errors.values()]
    return render(request, "400.html", {"problems": problems}, status=400)
