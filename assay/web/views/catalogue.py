"""Catalogue pages. The standards are public reference data, so none needs signing in."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from assay.catalogue import selectors
from assay.claims.selectors import own_certificates
from assay.errors import InvalidInput, NotFound
from assay.registrations.selectors import own_registrations
from assay.web.requests import HtmxRequest
from assay.web.views.access import bad_request
from assay.web.views.common import qualification_or_404, units_by_group


def home(request: HttpRequest) -> HttpResponse:
    """A short introduction, with the qualifications one click away; a signed-in candidate
    also finds their own portfolios here."""
    context = {
        "qualifications": selectors.qualification_list(),
        "own_registrations": own_registrations(request.user),
        "own_certificates": own_certificates(request.user),
    }
    return render(request, "web/home.html", context)


def qualification_index(request: HttpRequest) -> HttpResponse:
    """Every qualification in the catalogue (newest version of each)."""
    context = {"qualifications": selectors.qualification_list()}
    return render(request, "web/catalogue/index.html", context)


def qualification_detail(request: HttpRequest, key: str) -> HttpResponse:
    """Header facts, the verbatim rules of combination and the units under their groups."""
    qual = qualification_or_404(key)
    context = {"qual": qual, "groups": units_by_group(selectors.units_overview(qual))}
    return render(request, "web/catalogue/qualification.html", context)


def unit_detail(request: HttpRequest, key: str, number: str) -> HttpResponse:
    """One unit: aim, outcomes and criteria, evidence requirements with their ranges."""
    qual = qualification_or_404(key)
    try:
        unit = selectors.unit_get(qual, number)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    context = {
        "qual": qual,
        "unit": unit,
        "without_content": unit.number in selectors.units_without_content(qual),
    }
    return render(request, "web/catalogue/unit.html", context)


def criteria_search(request: HtmxRequest) -> HttpResponse:
    """Criteria containing every word typed, a page at a time (``?cursor=…``); htmx asks for
    just the results as you type. An edited page link answers 400 with a message."""
    query = request.GET.get("q", "").strip()
    try:
        hits = (
            selectors.criteria_page(query, request.GET.get("cursor"), request.GET.get("size"))
            if query
            else None
        )
    except InvalidInput as exc:
        return bad_request(request, exc)
    context = {"query": query, "hits": hits}
    if request.htmx:
        return render(request, "web/catalogue/_search_results.html", context)
    return render(request, "web/catalogue/search.html", context)


def nos_map(request: HttpRequest) -> HttpResponse:
    """The NOS functional map, each key function with the units cross-walked to it."""
    areas, links = selectors.nos_map()
    if not areas:
        raise Http404("no NOS framework has been imported")
    return render(request, "web/nos_map.html", {"areas": areas, "links": links})
