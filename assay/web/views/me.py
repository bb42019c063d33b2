"""/me/: where a person lands after signing in (their one home, or a chooser when they have
several), and the employer contact's home: what waits for their signature."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from assay.errors import InvalidInput
from assay.reviews.employer_home import employer_home
from assay.web.homes import homes_of, remember_nav
from assay.web.requests import AuthedRequest
from assay.web.views.access import bad_request


@require_GET
@login_required
def me(request: AuthedRequest) -> HttpResponse:
    """One home: go there. Several: choose. None: the page says so (and the catalogue is open)."""
    homes = homes_of(request.user)
    remember_nav(request, request.user)
    if len(homes) == 1 and "choose" not in request.GET:
        return redirect(homes[0].url)
    return render(request, "web/accounts/me.html", {"homes": homes})


@require_GET
@login_required
def employer_signatures(request: AuthedRequest) -> HttpResponse:
    """The employees an employer contact follows: documents, plans and reviews awaiting their
    signature first, a page at a time."""
    try:
        home = employer_home(request.user, request.GET.get("cursor"), request.GET.get("size"))
    except InvalidInput as exc:  # an edited page link or size
        return bad_request(request, exc)
    return render(request, "web/accounts/signatures.html", {"home": home})
