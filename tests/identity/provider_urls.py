"""The test provider's URLs: django-oauth-toolkit under ``/o/`` and a bare sign-in form (the
provider's own password page, so the tests sign in at the provider as a person would)."""

from __future__ import annotations

import html
from typing import Any

from django.contrib.auth import authenticate, login
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    """Email claims for every user; ``email_verified`` is false for users whose last name is
    "unverified"; ``amr`` says "mfa" for users whose first name is "mfa". Every claim goes
    into the ID token and the user information (no filter by scope)."""

    oidc_claim_scope = None

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user: User = request.user
        return {
            "email": user.email,
            "email_verified": user.last_name != "unverified",
            "amr": ["pwd", "mfa"] if user.first_name == "mfa" else ["pwd"],
        }


@csrf_exempt
def sign_in(request: HttpRequest) -> HttpResponse:
    target = request.GET.get("next") or request.POST.get("next") or "/"
    if request.method == "POST":
        user = authenticate(
            request, username=request.POST.get("username"), password=request.POST.get("password")
        )
        if user is not None:
            login(request, user)
            return HttpResponseRedirect(target)
    page = (
        '<form method="post"><input name="username"><input name="password" type="password">'
        f'<input type="hidden" name="next" value="{html.escape(target)}">'
        "<button>Sign in</button></form>"
    )
    return HttpResponse(page)


urlpatterns = [
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
    path("login/", sign_in),
]
