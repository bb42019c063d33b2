"""Credentials pages: public verification (anyone, no sign-in; what a certificate's QR code
opens), the status lists and issuer profile as JSON, and a candidate's download of their own
credentials."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from assay.credentials import selectors
from assay.credentials.keys import issuer
from assay.errors import InvalidInput, NotFound
from assay.membership.selectors import certificate_membership
from assay.web.views.access import bad_request

VC_JSON = "application/vc+ld+json"


@require_http_methods(["GET", "POST"])
def verify_form(request: HttpRequest) -> HttpResponse:
    """Paste a credential, upload its file, or enter a certificate number."""
    number = request.GET.get("number", "").strip()
    if number:
        return redirect("credentials-verify-number", number=number)
    context: dict[str, object] = {}
    if request.method == "POST":
        upload = request.FILES.get("file")
        text: str | bytes = request.POST.get("credential", "")
        if upload is not None:
            if upload.size is not None and upload.size > selectors.MAX_CREDENTIAL_BYTES:
                return bad_request(request, InvalidInput({"file": "too large to be a credential"}))
            text = upload.read()
        if not text:
            return bad_request(
                request, InvalidInput({"credential": "paste a credential or choose its file"})
            )
        try:
            credential = selectors.parse_credential(text)
        except InvalidInput as exc:
            return bad_request(request, exc)
        result = selectors.credential_verify(credential)
        context = {
            "results": [(credential.get("name") or "Credential", result)],
            "outcome": result.outcome,
        }
    return render(request, "web/credentials/verify.html", context)


@require_GET
def verify_number(request: HttpRequest, number: str) -> HttpResponse:
    """A certificate's credentials verified: what its QR code opens."""
    check = selectors.certificate_verify(number)
    membership = certificate_membership(check.number) if check.outcome == "valid" else None
    context = {
        "membership": membership,
        "number": check.number,
        "found": check.found,
        "outcome": check.outcome,
        "results": [
            (json.loads(row.document).get("name", row.unit_code), result)
            for row, result in check.credentials
        ],
    }
    return render(request, "web/credentials/verify.html", context, status=200)


@require_GET
def status_list(request: HttpRequest, list_id: int) -> HttpResponse:
    """A signed ``BitstringStatusListCredential`` (public, JSON)."""
    try:
        document = selectors.status_list_document(list_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    response = JsonResponse(dict(document), json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = VC_JSON
    return response


@require_GET
def issuer_profile(request: HttpRequest) -> HttpResponse:
    """The issuer's profile with its signing key, so anyone can check a proof's key."""
    profile = issuer()
    return JsonResponse(
        {
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
            "id": profile.id,
            "type": ["Profile"],
            "name": profile.name,
            "url": profile.url,
            "verificationMethod": [
                {
                    "id": profile.verification_method,
                    "type": "Multikey",
                    "controller": profile.id,
                    "publicKeyMultibase": profile.public_key,
                }
            ],
        }
    )


@login_required
@require_GET
def credential_download(request: HttpRequest, credential_id: int) -> HttpResponse:
    """One of the signed-in candidate's own credentials as the JSON file issued; anyone
    else's is 404, whatever the role."""
    try:
        row = selectors.credential_of_holder(request.user, credential_id)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    response = HttpResponse(row.document.encode("utf-8"), content_type=VC_JSON)
    part = row.unit_code or "qualification"
    response["Content-Disposition"] = (
        f'attachment; filename="credential-{row.certificate_number}-{part}.json"'
    )
    return response


@login_required
@require_GET
def my_credentials(request: HttpRequest) -> HttpResponse:
    """The signed-in candidate's credentials, to download (empty for anyone else)."""
    rows = selectors.credentials_of_holder(request.user)
    items = [(row, row.name) for row in rows]  # type: ignore[attr-defined]
    return render(request, "web/credentials/mine.html", {"items": items})
