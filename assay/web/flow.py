"""One path from a posted form through a service and back, for every page view.

A view binds its form, says what to do with valid input (``act``: call one service and
answer, usually a message and a redirect) and how to show the page again with the errors
(``again``, status 400 or what the view chooses). A service's ``InvalidInput`` lands on the
form's fields, so the page answers the same way for a bad field and a refused act. Nothing else
is caught: ``NotFound`` and ``NotAllowed`` reach ``member_view`` (404 and 403).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from assay.errors import InvalidInput
from assay.web.forms import apply_errors

F = TypeVar("F", bound=forms.Form)


def submit(
    form: F,
    act: Callable[[dict[str, Any]], HttpResponse],
    again: Callable[[F], HttpResponse],
    *,
    fields: Mapping[str, str] | None = None,
) -> HttpResponse:
    """``act(form.cleaned_data)`` when the form is valid and the service accepts it; otherwise
    ``again(form)`` with the form's own errors or the service's ``InvalidInput`` on it
    (``fields``: the form's name for a service field it calls otherwise)."""
    if form.is_valid():
        try:
            return act(form.cleaned_data)
        except InvalidInput as exc:
            renamed = fields or {}
            apply_errors(form, {renamed.get(k, k): v for k, v in exc.errors.items()})
    return again(form)


def done(request: HttpRequest, message: str, to: str, **kwargs: Any) -> HttpResponse:
    """The answer to an act that succeeded: a success message, then the page ``to``."""
    messages.success(request, message)
    return redirect(to, **kwargs)
