"""A certifying body's sampling rule: its people read the current rule (name, source, random
share) and every version; its administrators choose a new one with a reason
(``sampling_policy_set``)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from assay.audits import selectors as sel
from assay.audits import services as svc
from assay.audits.models import SamplingRuleKey
from assay.audits.permissions import can_administer
from assay.errors import InvalidInput
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view
from assay.web.views.audits.present import error_text


def _page(request: AuthedRequest, pk: int, error: str = "", status: int = 200) -> HttpResponse:
    body = sel.body_get(request.user, pk)
    context = {
        "body": body,
        "policy": sel.sampling_rule_answer(request.user, pk),
        "may_choose": can_administer(request.user, body.pk),
        "rules": SamplingRuleKey.choices,
        "error": error,
    }
    return render(request, "web/audits/sampling.html", context, status=status)


@require_http_methods(["GET", "POST"])
@member_view
def sampling_rule(request: AuthedRequest, pk: int) -> HttpResponse:
    if request.method == "GET":
        return _page(request, pk)
    body = sel.body_get(request.user, pk)
    try:
        percent = int(request.POST.get("random_percent", ""))
    except ValueError:
        return _page(request, pk, "The share drawn at random is a whole percentage.", 400)
    try:
        chosen = svc.sampling_policy_set(
            by=request.user,
            body=body,
            rule=request.POST.get("rule", ""),
            random_percent=percent,
            note=request.POST.get("note", ""),
        )
    except InvalidInput as exc:
        return _page(request, pk, error_text(exc), 400)
    messages.success(request, f"Sampling rule version {chosen.version} adopted.")
    return redirect("audits-body-sampling", pk=pk)
