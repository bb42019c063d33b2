"""Accounts pages: a centre's people and invitations, inviting, the invitation link where a
person chooses their password, and deactivation, reactivation and revocation (each asks for a
reason on a confirmation page first).

A centre the user may not see answers 404; one they see without administering it answers 403
with the reason (ADR 0006). Bad input re-renders the form with its errors (400) and changes
nothing. A link that no longer works answers 410 with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assay.accounts import selectors
from assay.accounts.invitations import (
    InviteInput,
    invitation_accept,
    invitation_cancel,
    invitation_for_token,
    invitation_resend,
    invitation_send,
)
from assay.accounts.standing import account_deactivate, account_reactivate, role_revoke
from assay.centres.models import Role
from assay.errors import InvalidInput
from assay.registrations.models import Registration
from assay.users import User
from assay.web.account_forms import AcceptForm, InviteForm, ReasonForm
from assay.web.flow import done, submit
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view

BACKEND = "django.contrib.auth.backends.ModelBackend"


def _link_for(request: AuthedRequest) -> Any:
    return lambda token: request.build_absolute_uri(reverse("invitation", args=[token]))


def _invite_form(request: AuthedRequest, centre: Any, data: Any = None) -> InviteForm:
    open_registrations = (
        Registration.objects.filter(centre=centre)
        .select_related("candidate", "qualification")
        .order_by("candidate__last_name", "candidate__first_name", "pk")
    )
    return InviteForm(data).offer(
        awarding_body=bool(getattr(request.user, "is_superuser", False)),
        registrations=open_registrations,
    )


def _page(
    request: AuthedRequest, pk: int, form: InviteForm | None = None, status: int = 200
) -> Any:
    page = selectors.centre_accounts(
        request.user,
        pk,
        request.GET.get("cursor"),
        request.GET.get("size"),
        invitations_cursor=request.GET.get("invitations"),
    )
    context = {"page": page, "form": form or _invite_form(request, page.centre)}
    return render(request, "web/accounts/centre.html", context, status=status)


@require_GET
@member_view
def centre_accounts(request: AuthedRequest, pk: int) -> HttpResponse:
    """People who hold or held a role here, with their roles, and the open invitations."""
    return _page(request, pk)


@require_POST
@member_view
def invite(request: AuthedRequest, pk: int) -> HttpResponse:
    """Send an invitation (``invitation_send``)."""
    centre = selectors.administered_centre(request.user, pk)

    def act(data: dict[str, Any]) -> HttpResponse:
        sent = invitation_send(
            by=request.user,
            centre=centre,
            data=InviteInput(
                email=data["email"],
                role=data["role"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                registration_id=data["registration"],
            ),
            link_for=_link_for(request),
        )
        role = Role(sent.invitation.role).label.lower()
        return done(
            request,
            f"Invitation sent to {sent.invitation.email} as {role}.",
            "centre-accounts",
            pk=pk,
        )

    form = _invite_form(request, centre, request.POST)
    return submit(form, act, lambda form: _page(request, pk, form, status=400))


@require_POST
@member_view
def invitation_resend_view(request: AuthedRequest, pk: int, invitation_pk: int) -> HttpResponse:
    invitation = selectors.invitation_get(request.user, pk, invitation_pk)
    try:
        invitation_resend(
            by=request.user,
            invitation=invitation,
            link_for=_link_for(request),
        )
    except InvalidInput as exc:
        messages.error(request, "Not sent: " + "; ".join(exc.errors.values()) + ".")
    else:
        messages.success(request, f"Invitation sent again to {invitation.email}.")
    return redirect("centre-accounts", pk=pk)


def _confirm(
    request: AuthedRequest,
    *,
    title: str,
    what: str,
    button: str,
    form: ReasonForm,
    status: int,
    back_url: str,
) -> HttpResponse:
    context = {"title": title, "what": what, "button": button, "form": form, "back": back_url}
    return render(request, "web/accounts/confirm.html", context, status=status)


def _act(
    request: AuthedRequest,
    pk: int,
    *,
    title: str,
    what: str,
    button: str,
    act: Callable[[str], object],
    done_message: str,
    reason_required: bool = True,
    back: str = "centre-accounts",
) -> HttpResponse:
    """GET: the confirmation page with its reason field; POST: the act, then the list
    (``back``: the list's URL name, the centre's or the certifying body's)."""
    form = ReasonForm(request.POST if request.method == "POST" else None)
    form.fields["reason"].required = reason_required

    def show(form: ReasonForm, status: int = 400) -> HttpResponse:
        return _confirm(
            request,
            title=title,
            what=what,
            button=button,
            form=form,
            status=status,
            back_url=reverse(back, kwargs={"pk": pk}),
        )

    def run(data: dict[str, Any]) -> HttpResponse:
        act(data["reason"])
        return done(request, done_message, back, pk=pk)

    if request.method != "POST":
        return show(form, status=200)
    return submit(form, run, show)


@require_http_methods(["GET", "POST"])
@member_view
def invitation_cancel_view(request: AuthedRequest, pk: int, invitation_pk: int) -> HttpResponse:
    invitation = selectors.invitation_get(request.user, pk, invitation_pk)
    return _act(
        request,
        pk,
        title="Cancel the invitation",
        what=f"The link sent to {invitation.email} will stop working.",
        button="Cancel the invitation",
        act=lambda reason: invitation_cancel(by=request.user, invitation=invitation, reason=reason),
        done_message=f"Invitation to {invitation.email} cancelled.",
        reason_required=False,
    )


def _name(person: User) -> str:
    return str(person.get_full_name() or person.get_username())


@require_http_methods(["GET", "POST"])
@member_view
def deactivate(request: AuthedRequest, pk: int, user_pk: int) -> HttpResponse:
    person = selectors.person_get(request.user, pk, user_pk)
    return _act(
        request,
        pk,
        title=f"Deactivate {_name(person)}",
        what=f"{_name(person)} will no longer be able to sign in anywhere, and their API "
        "tokens stop working. Their roles and records stay; you can reactivate them later.",
        button="Deactivate the account",
        act=lambda reason: account_deactivate(by=request.user, user=person, reason=reason),
        done_message=f"{_name(person)}'s account is deactivated.",
    )


@require_http_methods(["GET", "POST"])
@member_view
def reactivate(request: AuthedRequest, pk: int, user_pk: int) -> HttpResponse:
    person = selectors.person_get(request.user, pk, user_pk)
    return _act(
        request,
        pk,
        title=f"Reactivate {_name(person)}",
        what=f"{_name(person)} will be able to sign in again with the roles they still hold.",
        button="Reactivate the account",
        act=lambda reason: account_reactivate(by=request.user, user=person, reason=reason),
        done_message=f"{_name(person)}'s account is active again.",
    )


@require_http_methods(["GET", "POST"])
@member_view
def revoke(request: AuthedRequest, pk: int, membership_pk: int) -> HttpResponse:
    row = selectors.membership_get(request.user, pk, membership_pk)
    role = row.get_role_display().lower()
    return _act(
        request,
        pk,
        title=f"Revoke the role {role}",
        what=f"{_name(row.user)} will no longer be {role} at {row.centre.name}. "
        "Their records stay; their other roles are not affected.",
        button="Revoke the role",
        act=lambda reason: role_revoke(by=request.user, membership=row, reason=reason),
        done_message=f"{_name(row.user)} is no longer {role}.",
    )


def _private(response: HttpResponse) -> HttpResponse:
    """The token is in the URL: never sent to other sites, never cached. ``same-origin``, not
    ``no-referrer``, so Chromium still sends the Origin that Django's CSRF check needs."""
    response["Referrer-Policy"] = "same-origin"
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: choose a password, then signed in and sent to one's home."""
    return _private(_invitation(request, token))


def _invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        found = invitation_for_token(token)
    except InvalidInput as exc:
        context: dict[str, Any] = {"reason": exc.errors.get("token", "")}
        return render(request, "web/accounts/invitation_gone.html", context, status=410)
    form = AcceptForm(request.POST if request.method == "POST" else None)

    def show(form: AcceptForm, status: int = 400) -> HttpResponse:
        context = {"invitation": found, "role": found.role_label, "form": form}
        return render(request, "web/accounts/invitation.html", context, status=status)

    def act(data: dict[str, Any]) -> HttpResponse:
        try:
            user = invitation_accept(token=token, password=data["password1"])
        except InvalidInput as exc:
            if "token" in exc.errors:
                gone = {"reason": exc.errors["token"]}
                return render(request, "web/accounts/invitation_gone.html", gone, status=410)
            raise InvalidInput({"password1": " ".join(exc.errors.values())}) from exc
        login(request, user, backend=BACKEND)
        return done(request, "Welcome to Assay: your password is set.", "me")

    if request.method != "POST":
        return show(form, status=200)
    return submit(form, act, show)
