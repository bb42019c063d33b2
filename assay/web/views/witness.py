"""Witness testimony: the page where the candidate or their assessor names a witness (and
sees the link once), and the public page where the witness confirms through that link.

The public page needs no account. It shows only what the witness is asked to confirm — their
statement, the candidate's name, the evidence date and method — and confirms on POST only
(CSRF protected), so a mail scanner opening the link confirms nothing. A wrong token answers
400 "not valid" whatever it is; a used or expired link answers 410; neither changes anything.
Tokens are 256-bit random and stored only as SHA-256; the pages that carry one are not
cached and send no Referer to other sites.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from assay.errors import InvalidInput, NotAllowed
from assay.portfolios.models import EvidenceItem
from assay.portfolios.selectors import evidence_of
from assay.portfolios.services import is_assessor_of, is_candidate
from assay.portfolios.witness_invitations import witness_invite
from assay.portfolios.witnesses import LinkGone, witness_confirm, witness_for_link
from assay.web.flow import submit
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view
from assay.web.witness_forms import WitnessForm

TOKEN_MAX = 100  # a real token is 43 characters; longer ones are not looked up


def _private(response: HttpResponse) -> HttpResponse:
    """A page carrying a link's secret: not cached, not leaked to other sites as a Referer.

    ``same-origin``, not ``no-referrer``: with no referrer Chromium posts the page's forms with
    ``Origin: null``, which Django's CSRF check refuses (the confirmation, *Sign out*, the next
    witness). Same-origin requests keep their Origin; other sites get no Referer at all.
    """
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def _item(request: AuthedRequest, pk: int, item_pk: int) -> EvidenceItem:
    found = evidence_of(request.user, pk).filter(pk=item_pk).select_related("registration").first()
    if found is None:
        raise Http404(f"no evidence item {item_pk} in registration {pk}")
    return found


@require_http_methods(["GET", "POST"])
@member_view
def witness_add(request: AuthedRequest, pk: int, item_pk: int) -> HttpResponse:
    """Name a witness for a witness-testimony item (``witness_invite``); the link is shown
    once on the answer and emailed when the contact is an email address."""
    item = _item(request, pk, item_pk)
    user = request.user
    if not (is_candidate(user, item.registration) or is_assessor_of(user, item.registration)):
        raise NotAllowed("only the candidate or an assessor of theirs can add a witness")
    witnesses = item.witnesses.all()  # read at render time: includes one added below
    context: dict[str, Any] = {"reg": item.registration, "item": item, "witnesses": witnesses}

    def show(form: WitnessForm, status: int = 400) -> HttpResponse:
        return render(request, "web/witness/add.html", {**context, "form": form}, status=status)

    def act(data: dict[str, Any]) -> HttpResponse:
        invitation = witness_invite(
            by=user,
            item=item,
            link_for=lambda token: request.build_absolute_uri(
                reverse("witness-link", args=[token])
            ),
            **data,
        )
        shown = {**context, "invitation": invitation, "form": WitnessForm()}
        return _private(render(request, "web/witness/add.html", shown))

    if request.method != "POST":
        return show(WitnessForm(), status=200)
    return submit(WitnessForm(request.POST), act, show)


@require_http_methods(["GET", "POST"])
def witness_link(request: HttpRequest, token: str) -> HttpResponse:
    """The witness's page: GET shows the statement, POST confirms it (once)."""
    try:
        if len(token) > TOKEN_MAX:
            raise InvalidInput({"token": "this link is not valid"})
        if request.method == "POST":
            witness = witness_confirm(token=token)
        else:
            witness = witness_for_link(token)
    except LinkGone as exc:
        context: dict[str, Any] = {"problem": exc.errors["token"]}
        return _private(render(request, "web/witness/problem.html", context, status=410))
    except InvalidInput:
        context = {"problem": "this link is not valid"}
        return _private(render(request, "web/witness/problem.html", context, status=400))
    item = witness.item
    context = {
        "witness": witness,
        "candidate": str(item.registration.candidate),
        "method": item.get_method_display(),
        "started_on": item.started_on,
        "ended_on": item.ended_on,
        "token": token,
        "confirmed": request.method == "POST",
    }
    return _private(render(request, "web/witness/confirm.html", context))
