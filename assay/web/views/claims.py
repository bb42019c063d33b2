"""Claims and certificates pages (issue 14).

* the centre administrator: ``/centres/<pk>/claims/`` — ready to claim (a keyset page of the
  centre's registrations with the engine's verdicts), create a claim, the claims and batches,
  submit drafts in a batch; answer a query on the claim page;
* the awarding body: ``/claims/queue/`` — open claims, oldest first; the claim page with query,
  EV sample request, approve and reject; revoke or replace a certificate;
* the centre's external verifier: ``/claims/samples/`` and the sample form on the claim page;
* ``/certificates/<pk>.pdf`` — the candidate, their centre's staff and the awarding body.

Endings (reject, revoke, replace, approve) need a reason or a confirmation; bad input shows
the page again with every reason (400). Missing or not yours: 404; yours but not your act: 403.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from assay.claims import access, selectors, services
from assay.claims.models import ClaimKind, ClaimStatus, RevokedKind
from assay.claims.pdf import certificate_pdf
from assay.errors import NotAllowed
from assay.registrations.models import Registration
from assay.web.flow import done, submit
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view


class ClaimForm(forms.Form):
    registration = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(choices=ClaimKind.choices)
    units = forms.CharField(required=False, help_text="Unit numbers, separated by commas")


class BatchForm(forms.Form):
    claims = forms.CharField(help_text="The draft claims to send (ids, separated by commas)")


class TextForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)


class SampleForm(TextForm):
    outcome = forms.ChoiceField(choices=[(o, o) for o in services.SAMPLE_OUTCOMES])


class DecideForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), max_length=20000, required=False
    )
    confirm = forms.BooleanField(required=False, label="I have checked: this cannot be undone")


class RevokeForm(DecideForm):
    kind = forms.ChoiceField(
        choices=[
            (RevokedKind.MALPRACTICE, "Malpractice"),
            (RevokedKind.ISSUED_IN_ERROR, "Issued in error"),
        ]
    )


def _numbers(text: str) -> list[str]:
    return [p.strip() for p in text.replace(";", ",").split(",") if p.strip()]


def _centre_page(
    request: AuthedRequest, pk: int, form: forms.Form | None = None, status: int = 200
) -> HttpResponse:
    centre = selectors.centre_for_claims(request.user, pk)
    ready = selectors.ready_page(centre, request.GET.get("cursor"), request.GET.get("size"))
    claims = selectors.claims_page(request.user, centre, request.GET.get("claims"), 50)
    batches = selectors.batches_of(centre, request.GET.get("batches"), 20)
    drafts = [c for c in claims if c.status == ClaimStatus.DRAFT]
    context: dict[str, Any] = {
        "centre": centre,
        "candidates": selectors.claimable_registrations(centre),
        "ready": ready,
        "claims": claims,
        "batches": batches,
        "drafts": drafts,
        "form": form,
    }
    return render(request, "web/claims/centre.html", context, status=status)


@require_GET
@member_view
def centre_claims(request: AuthedRequest, pk: int) -> HttpResponse:
    return _centre_page(request, pk)


@require_POST
@member_view
def claim_add(request: AuthedRequest, pk: int) -> HttpResponse:
    centre = selectors.centre_for_claims(request.user, pk)
    form = ClaimForm(request.POST)

    def act(data: dict[str, Any]) -> HttpResponse:
        registration = Registration.objects.filter(pk=data["registration"], centre=centre).first()
        if registration is None:
            from assay.errors import InvalidInput

            raise InvalidInput({"registration": "no such registration at this centre"})
        claim = services.claim_create(
            by=request.user,
            registration=registration,
            kind=data["kind"],
            units=_numbers(data["units"] or ""),
        )
        return done(request, f"Claim {claim.pk} created (draft).", "centre-claims", pk=pk)

    return submit(form, act, lambda f: _centre_page(request, pk, f, status=400))


@require_POST
@member_view
def claim_check(request: AuthedRequest, pk: int) -> HttpResponse:
    """htmx: the claim rules' verdict, as the administrator fills the claim form in (nothing
    saved)."""
    centre = selectors.centre_for_claims(request.user, pk)
    form = ClaimForm(request.POST)
    context: dict[str, Any] = {"decision": None, "problem": ""}
    if not form.is_valid():
        context["problem"] = "Choose a candidate and what to claim."
    else:
        data = form.cleaned_data
        registration = Registration.objects.filter(pk=data["registration"], centre=centre).first()
        if registration is None:
            context["problem"] = "No such registration at this centre."
        else:
            context["decision"] = services.claim_check(
                registration=registration,
                kind=data["kind"],
                units=_numbers(data["units"] or "") if data["kind"] == "unit" else [],
            )
    return render(request, "web/claims/_check.html", context)


@require_POST
@member_view
def batch_add(request: AuthedRequest, pk: int) -> HttpResponse:
    centre = selectors.centre_for_claims(request.user, pk)
    form = BatchForm(request.POST)

    def act(data: dict[str, Any]) -> HttpResponse:
        ids = [int(n) for n in _numbers(data["claims"]) if n.isdigit()]
        claims = list(access.claims_visible_to(request.user).filter(centre=centre, pk__in=ids))
        batch = services.batch_submit(by=request.user, centre=centre, claims=claims)
        return done(request, f"Batch {batch.pk} sent to the awarding body.", "centre-claims", pk=pk)

    return submit(form, act, lambda f: _centre_page(request, pk, f, status=400))


def _claim_page(
    request: AuthedRequest, pk: int, forms_: dict[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    claim = selectors.claim_get(request.user, pk)
    user = request.user
    ab = access.is_awarding_body(user)
    context: dict[str, Any] = {
        "claim": claim,
        "certificate": getattr(claim, "certificate", None)
        if claim.status == ClaimStatus.APPROVED
        else None,
        "is_ab": ab,
        "is_admin": access.is_centre_admin(user, claim.centre),
        "is_ev": access.is_centre_ev(user, claim.centre),
        **{
            name: form
            for name, form in {
                "query_form": TextForm(prefix="query"),
                "answer_form": TextForm(prefix="answer"),
                "sample_request_form": TextForm(prefix="samplereq"),
                "sample_form": SampleForm(prefix="sample"),
                "approve_form": DecideForm(prefix="approve"),
                "reject_form": DecideForm(prefix="reject"),
                "revoke_form": RevokeForm(prefix="revoke"),
                "replace_form": DecideForm(prefix="replace"),
                **(forms_ or {}),
            }.items()
        },
    }
    return render(request, "web/claims/claim.html", context, status=status)


@require_GET
@member_view
def claim_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _claim_page(request, pk)


ACTS = {
    "query": ("query_form", TextForm),
    "answer": ("answer_form", TextForm),
    "samplereq": ("sample_request_form", TextForm),
    "sample": ("sample_form", SampleForm),
    "approve": ("approve_form", DecideForm),
    "reject": ("reject_form", DecideForm),
    "revoke": ("revoke_form", RevokeForm),
    "replace": ("replace_form", DecideForm),
}


@require_POST
@member_view
def claim_act(request: AuthedRequest, pk: int, act_name: str) -> HttpResponse:
    """One act on a claim (query, answer, sample request, sample, approve, reject, revoke,
    replace)."""
    claim = selectors.claim_get(request.user, pk)
    if act_name not in ACTS:
        from django.http import Http404

        raise Http404(act_name)
    name, form_class = ACTS[act_name]
    form = form_class(request.POST, prefix=act_name)
    by = request.user

    def act(data: dict[str, Any]) -> HttpResponse:
        message = ""
        if act_name == "query":
            services.claim_query(by=by, claim=claim, text=data["text"])
            message = "Query sent to the centre."
        elif act_name == "answer":
            services.claim_answer(by=by, claim=claim, text=data["text"])
            message = "Answer sent to the awarding body."
        elif act_name == "samplereq":
            services.sample_request(by=by, claim=claim, text=data["text"])
            message = "EV sample requested."
        elif act_name == "sample":
            services.sample_record(by=by, claim=claim, outcome=data["outcome"], text=data["text"])
            message = "EV sample recorded."
        elif act_name == "approve":
            cert = services.claim_approve(
                by=by, claim=claim, confirmed=data["confirm"], reason=data["reason"] or ""
            )
            message = f"Claim approved: certificate {cert.number} issued."
        elif act_name == "reject":
            services.claim_reject(
                by=by, claim=claim, reason=data["reason"] or "", confirmed=data["confirm"]
            )
            message = "Claim rejected."
        elif act_name == "revoke":
            held = getattr(claim, "certificate", None)
            if held is None:
                raise NotAllowed("this claim has no certificate")
            services.certificate_revoke(
                by=by,
                certificate=held,
                kind=data["kind"],
                reason=data["reason"] or "",
                confirmed=data["confirm"],
            )
            message = f"Certificate {held.number} revoked."
        elif act_name == "replace":
            old = getattr(claim, "certificate", None)
            if old is None:
                raise NotAllowed("this claim has no certificate")
            new = services.certificate_replace(
                by=by, certificate=old, reason=data["reason"] or "", confirmed=data["confirm"]
            )
            return done(
                request,
                f"Certificate {new.number} issued, replacing {old.number}.",
                "claim-detail",
                pk=new.claim_id,
            )
        return done(request, message, "claim-detail", pk=pk)

    return submit(form, act, lambda f: _claim_page(request, pk, {name: f}, status=400))


@require_GET
@member_view
def queue(request: AuthedRequest) -> HttpResponse:
    if not access.is_awarding_body(request.user):
        raise NotAllowed(access.AB_ONLY)
    page = selectors.queue_page(request.user, request.GET.get("cursor"), request.GET.get("size"))
    return render(request, "web/claims/queue.html", {"rows": page})


@require_GET
@member_view
def samples(request: AuthedRequest) -> HttpResponse:
    rows = list(selectors.sample_requests(request.user))
    return render(request, "web/claims/samples.html", {"rows": rows})


@require_GET
@member_view
def certificate_download(request: AuthedRequest, pk: int) -> HttpResponse:
    cert = selectors.certificate_get(request.user, pk)
    response = HttpResponse(certificate_pdf(cert), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{cert.number}.pdf"'
    return response
