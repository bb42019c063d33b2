"""The ICS membership box of the portfolio page: loaded by htmx after the page (or opened as
a page of its own without JavaScript). A registration the viewer may not see is 404."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assay.membership.selectors import membership_and_progression
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view


@require_GET
@member_view
def membership_box(request: AuthedRequest, pk: int) -> HttpResponse:
    """Institute of Customer Service: the grade, what it rests on and why, and next steps."""
    grade, steps = membership_and_progression(request.user, pk)
    partial = request.headers.get("HX-Request") == "true"
    template = "web/membership/_box.html" if partial else "web/membership/page.html"
    return render(request, template, {"pk": pk, "grade": grade, "steps": steps})
