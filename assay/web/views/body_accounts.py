"""A certifying body's accounts page: its people and their body roles, invitations (invite,
send again, cancel) and revoking a role after a confirmation page with the reason.

The same pattern as the centre's accounts page (``views.accounts``): a body the user holds no
role at answers 404; a role there without administering it answers 403 (ADR 0006). Bad input
re-renders the form with its errors (400) and changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assay.accounts import bodies
from assay.accounts.invitations import (
    InviteInput,
    body_invitation_send,
    invitation_cancel,
    invitation_resend,
)
from assay.errors import InvalidInput
from assay.web.account_forms import BodyInviteForm
from assay.web.flow import done, submit
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view
from assay.web.views.accounts import _act, _link_for, _name

BACK = "body-accounts"


def _page(
    request: AuthedRequest, pk: int, form: BodyInviteForm | None = None, status: int = 200
) -> HttpResponse:
    page = bodies.body_accounts(
        request.user,
        pk,
        request.GET.get("cursor"),
        request.GET.get("size"),
        invitations_cursor=request.GET.get("invitations"),
    )
    context = {"page": page, "form": form or BodyInviteForm()}
    return render(request, "web/accounts/body.html", context, status=status)


@require_GET
@member_view
def body_accounts(request: AuthedRequest, pk: int) -> HttpResponse:
    """People who hold or held a role at the body, and the open invitations."""
    return _page(request, pk)


@require_POST
@member_view
def invite(request: AuthedRequest, pk: int) -> HttpResponse:
    """Send an invitation (``body_invitation_send``)."""
    body = bodies.administered_body(request.user, pk)

    def act(data: dict[str, Any]) -> HttpResponse:
        sent = body_invitation_send(
            by=request.user,
            body=body,
            data=InviteInput(
                email=data["email"],
                role=data["role"],
                first_name=data["first_name"],
                last_name=data["last_name"],
            ),
            link_for=_link_for(request),
        )
        role = sent.invitation.role_label.lower()
        return done(request, f"Invitation sent to {sent.invitation.email} as {role}.", BACK, pk=pk)

    return submit(
        BodyInviteForm(request.POST), act, lambda form: _page(request, pk, form, status=400)
    )


@require_POST
@member_view
def invitation_resend_view(request: AuthedRequest, pk: int, invitation_pk: int) -> HttpResponse:
    invitation = bodies.body_invitation_get(request.user, pk, invitation_pk)
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
    return redirect(BACK, pk=pk)


@require_http_methods(["GET", "POST"])
@member_view
def invitation_cancel_view(request: AuthedRequest, pk: int, invitation_pk: int) -> HttpResponse:
    invitation = bodies.body_invitation_get(request.user, pk, invitation_pk)
    return _act(
        request,
        pk,
        title="Cancel the invitation",
        what=f"The link sent to {invitation.email} will stop working.",
        button="Cancel the invitation",
        act=lambda reason: invitation_cancel(by=request.user, invitation=invitation, reason=reason),
        done_message=f"Invitation to {invitation.email} cancelled.",
        reason_required=False,
        back=BACK,
    )


@require_http_methods(["GET", "POST"])
@member_view
def revoke(request: AuthedRequest, pk: int, membership_pk: int) -> HttpResponse:
    row = bodies.body_membership_get(request.user, pk, membership_pk)
    role = row.get_role_display().lower()
    return _act(
        request,
        pk,
        title=f"Revoke the role {role}",
        what=f"{_name(row.user)} will no longer be {role} at {row.body.name}. "
        "Their records stay; their other roles are not affected.",
        button="Revoke the role",
        act=lambda reason: bodies.body_role_revoke(by=request.user, membership=row, reason=reason),
        done_message=f"{_name(row.user)} is no longer {role}.",
        back=BACK,
    )
