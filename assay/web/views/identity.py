"""Signing in: the password page (with "Sign in with <provider>" when single sign-on is on), the
OpenID Connect start and callback, and the two-factor enrolment and code pages (ADR 0024)."""

from __future__ import annotations

from typing import Any

import jwt
import requests
from django import forms
from django.conf import settings
from django.contrib.auth.views import LoginView
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from assay.accounts import sso, two_factor
from assay.engines.accounts.identity import SsoMatch, Step


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=32,
        widget=forms.TextInput(
            {"autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "none"}
        ),
        help_text="The 6 digits your authenticator app shows now, or one of your recovery codes.",
    )


class SignInView(LoginView):
    """Django's password sign-in, recorded, offering single sign-on when configured."""

    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["sso_name"] = sso.provider_name() if sso.sso_enabled() else ""
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        two_factor.session_forget(self.request)
        answer = super().form_valid(form)
        sso.sign_in_record(user=form.get_user(), method="password")
        return answer


def _sso_failed(request: HttpRequest, message: str, status: int) -> HttpResponse:
    context = {"message": message, "sso_name": sso.provider_name()}
    return render(request, "registration/sso_failed.html", context, status=status)


class SsoStart(OIDCAuthenticationRequestView):
    """Sends the browser to the provider (state, nonce and PKCE kept in the session)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(*args, **kwargs)

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return sso.SsoBackend.get_settings(attr, *args)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso.sso_enabled():
            return _sso_failed(request, "Single sign-on is not set up here.", 404)
        try:
            found = sso.provider()
        except sso.ProviderUnavailable as exc:
            return _sso_failed(request, str(exc), 503)
        self.OIDC_OP_AUTH_ENDPOINT = found.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = found.client_id
        return super().get(request)


REFUSED = (
    "The sign-in could not be checked: it may have been started in another window or taken too "
    "long. Start again."
)


class SsoCallback(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: signs in the matching account, or says why
    not (never a 500: a provider that is down or a tampered answer gets a page that says so)."""

    @staticmethod
    def get_settings(attr: str, *args: Any) -> Any:
        return sso.SsoBackend.get_settings(attr, *args)

    def get(self, request: HttpRequest) -> HttpResponse:
        if not sso.sso_enabled():
            return _sso_failed(request, "Single sign-on is not set up here.", 404)
        if request.GET.get("error"):
            super().get(request)
            return _sso_failed(request, f"{sso.provider_name()} did not sign you in.", 403)
        try:
            answer: HttpResponse = super().get(request)
        except sso.ProviderUnavailable as exc:
            return _sso_failed(request, str(exc), 503)
        except requests.RequestException:
            return _sso_failed(
                request,
                f"{sso.provider_name()} did not complete the sign-in (it is not answering, or it "
                "refused the request). Try again, or sign in with your username and password.",
                503,
            )
        except SuspiciousOperation:
            return _sso_failed(request, REFUSED, 400)
        except (jwt.PyJWTError, KeyError, TypeError, ValueError):
            # Keys or tokens in a shape nobody could use: the provider's fault, said plainly.
            return _sso_failed(
                request, f"{sso.provider_name()} answered in a way Assay could not check.", 502
            )
        refusal: SsoMatch | None = getattr(request, "assay_sso_refusal", None)
        if refusal is not None:
            return _sso_failed(request, refusal.reason, 403)
        if not request.user.is_authenticated:
            return _sso_failed(request, REFUSED, 400)
        return answer

    def login_success(self) -> HttpResponse:
        two_factor.session_forget(self.request)
        answer = super().login_success()
        provider_mfa = bool(getattr(self.request, "assay_sso_mfa", False))
        self.request.session[two_factor.SESSION_BY_PROVIDER] = provider_mfa
        method = f"single sign-on: {sso.provider_name()}"
        sso.sign_in_record(user=self.user, method=method + (" (MFA)" if provider_mfa else ""))
        return answer

    def login_failure(self) -> HttpResponse:
        return HttpResponseRedirect(resolve_url("login"))


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url("me")


def _private(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator: scan the QR code (or type the secret), give a code from it; the
    recovery codes are shown once."""
    if not settings.ASSAY_REQUIRE_2FA:
        raise Http404("two-factor sign-in is not in use here")
    if not request.user.is_authenticated:
        return redirect("login")
    user: Any = request.user
    if two_factor.has_device(user) and not two_factor.session_verified(request):
        # Replacing an authenticator takes the current one: a password alone must not do it.
        return redirect(
            f"{resolve_url('two-factor-verify')}?next={resolve_url('two-factor-setup')}"
        )
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        found = two_factor.enrolment_confirm(request=request, user=user, code=form.data["code"])
        if found.ok:
            shown = {"codes": found.recovery_codes, "next": _next(request)}
            return _private(render(request, "registration/two_factor_codes.html", shown))
        form.add_error("code", found.message)
        status = 400
    elif request.method == "POST":
        status = 400
    device = two_factor.pending_device(user)
    context: dict[str, Any] = {
        "form": form,
        "qr": two_factor.qr_data_uri(device),
        "secret": two_factor.secret_text(device),
        "next": _next(request),
        "required": two_factor.step_for(request).step == Step.ENROL,
        "has_device": two_factor.has_device(user),
    }
    return _private(render(request, "registration/two_factor_setup.html", context, status=status))


@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The code step after signing in (password or single sign-on)."""
    if not settings.ASSAY_REQUIRE_2FA:
        raise Http404("two-factor sign-in is not in use here")
    if not request.user.is_authenticated:
        return redirect("login")
    if not two_factor.has_device(request.user):
        return redirect("two-factor-setup")
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        found = two_factor.code_verify(request=request, code=form.data["code"])
        if found.ok:
            return redirect(_next(request))
        form.add_error("code", found.message)
        status = 400
    elif request.method == "POST":
        status = 400
    context = {"form": form, "next": _next(request)}
    return _private(render(request, "registration/two_factor_verify.html", context, status=status))
