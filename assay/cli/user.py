"""``assay user invite|list|resend|cancel|deactivate|reactivate|reset-2fa`` and ``assay centre
revoke``.

ID is the centre's awarding-body number or its id. ``invite`` and ``list`` with ``--body BODY``
(a certifying body's id or reference) act on the certifying body instead, whose
administrators (or the operator) invite its administrators, auditors and decision makers.
Writes act as ``--as USERNAME`` (or ``ASSAY_AS``), a centre (or body) administrator there or
the awarding body; reads without ``--as`` run as the operator. The same services as the web
pages and the API decide.
"""

from __future__ import annotations

from typing import Any

import click

from assay.cli.acting import acting, as_option, domain_errors, user_named

INVITE_ROLES = [
    "assessor",
    "internal_verifier",
    "lead_iqa",
    "tutor",
    "employer_contact",
    "candidate",
    "centre_admin",
    "external_verifier",
]
REVOKE_ROLES = INVITE_ROLES
BODY_ROLES = ["administrator", "auditor", "decision_maker"]
BODY_OPTION = click.option(
    "--body",
    "body_id",
    default=None,
    metavar="BODY",
    help="A certifying body's id or reference, instead of a centre ID.",
)


def _body(by: Any, body_id: str) -> Any:
    from assay.accounts.bodies import administered_body
    from assay.audits.models import CertifyingBody
    from assay.cli.output import fail

    found = CertifyingBody.objects.filter(reference=body_id).first()
    if found is None and body_id.isdigit():
        found = CertifyingBody.objects.filter(pk=int(body_id)).first()
    if found is None:
        fail(f"unknown certifying body {body_id!r}")
    with domain_errors():
        return administered_body(by, found.pk)


def _target(centre_id: str | None, email: str | None, body_id: str | None) -> tuple[str, str]:
    """``ID EMAIL``, or ``EMAIL`` alone with ``--body``."""
    from assay.cli.output import fail

    if body_id is not None:
        if email is not None or centre_id is None:
            fail("with --body give only EMAIL, not a centre ID")
        return "", str(centre_id)
    if centre_id is None or email is None:
        fail("give the centre ID and EMAIL (or --body BODY and EMAIL)")
    return centre_id, email


def _centre(by: Any, centre_id: str) -> Any:
    from assay.accounts.selectors import administered_centre
    from assay.registrations.dashboard import centre_find

    with domain_errors():
        return administered_centre(by, centre_find(by, centre_id).pk)


def _account(username: str) -> Any:
    """Any account called USERNAME, deactivated ones included (to reactivate them)."""
    from django.contrib.auth import get_user_model

    from assay.cli.output import fail

    person = get_user_model().objects.filter(username=username).first()
    if person is None:
        fail(f"unknown user {username!r}")
    return person


def _invitation(by: Any, centre: Any, invitation_id: int) -> Any:
    from assay.accounts.selectors import invitation_get

    with domain_errors():
        return invitation_get(by, centre.pk, invitation_id)


@click.group()
def user() -> None:
    """Accounts: invite people by email, list them, deactivate and reactivate accounts."""


@user.command()
@click.argument("centre_id", metavar="[ID]", required=False)
@click.argument("email", required=False)
@click.option("--role", type=click.Choice(INVITE_ROLES + BODY_ROLES), required=True)
@click.option("--first-name", default="", help="Used in the email's greeting and the account.")
@click.option("--last-name", default="")
@click.option(
    "--registration",
    "registration_id",
    type=int,
    default=None,
    help="A candidate's registration id (required for --role candidate); for an employer "
    "contact, the employee they follow.",
)
@BODY_OPTION
@as_option(required=True)
def invite(
    centre_id: str | None,
    email: str | None,
    role: str,
    first_name: str,
    last_name: str,
    registration_id: int | None,
    body_id: str | None,
    as_user: str,
) -> None:
    """Email EMAIL a single-use link (7 days) to join centre ID as --role and choose a
    password. Prints the link too, so it can be passed on by hand. Centre administrators and
    external verifiers are invited by the awarding body only. With --body BODY (and no ID):
    join the certifying body as administrator, auditor or decision_maker."""
    from assay.accounts.invitations import InviteInput, body_invitation_send

    centre_id, email = _target(centre_id, email, body_id)
    by = user_named(as_user)
    if body_id is not None:
        body = _body(by, body_id)
        with domain_errors():
            sent = body_invitation_send(
                by=by,
                body=body,
                data=InviteInput(
                    email=email, role=role, first_name=first_name, last_name=last_name
                ),
            )
    else:
        sent = _centre_invite(
            by,
            centre_id,
            InviteInput(
                email=email,
                role=role,
                first_name=first_name,
                last_name=last_name,
                registration_id=registration_id,
            ),
        )
    click.echo(sent.link)
    row = sent.invitation
    click.echo(
        f"invitation {row.pk} sent to {row.email} as {row.role}; "
        f"the link works once until {row.expires_at:%d/%m/%Y %H:%M}",
        err=True,
    )


def _centre_invite(by: Any, centre_id: str, data: Any) -> Any:
    from assay.accounts.invitations import invitation_send

    centre = _centre(by, centre_id)
    with domain_errors():
        return invitation_send(by=by, centre=centre, data=data)


@user.command(name="list")
@click.argument("centre_id", metavar="[ID]", required=False)
@click.option("--size", default=50, show_default=True, help="People (and invitations) a page.")
@click.option("--cursor", help="The people's page to show: the cursor a previous list printed.")
@click.option(
    "--invitations-cursor", help="The invitations' page to show (as printed by a previous list)."
)
@BODY_OPTION
@as_option(required=False)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(
    centre_id: str | None,
    size: int,
    cursor: str | None,
    invitations_cursor: str | None,
    body_id: str | None,
    as_user: str | None,
    as_json: bool,
) -> None:
    """People with a role (active or revoked) at centre ID (or at --body BODY), by name, and
    invitations not yet accepted, newest first: one page of each (--size rows). The cursor of
    the next page is printed on stderr (in --json: "next" and "invitations_next"); pass it
    back as --cursor (or --invitations-cursor) to read on."""
    from assay.accounts.bodies import body_accounts
    from assay.accounts.selectors import centre_accounts
    from assay.accounts.shapes import account_dict, invitation_dict
    from assay.cli.output import emit_json, fail

    by = acting(as_user)
    found: Any
    if body_id is not None:
        if centre_id is not None:
            fail("give a centre ID or --body BODY, not both")
        body = _body(by, body_id)
        with domain_errors():
            found = body_accounts(by, body.pk, cursor, size, invitations_cursor=invitations_cursor)
    else:
        if centre_id is None:
            fail("give the centre ID (or --body BODY)")
        centre = _centre(by, centre_id)
        with domain_errors():
            found = centre_accounts(
                by, centre.pk, cursor, size, invitations_cursor=invitations_cursor
            )
    people = [account_dict(u) for u in found.people]
    invitations = [invitation_dict(r.invitation) for r in found.invitations]
    if as_json:
        emit_json(
            {
                "people": people,
                "invitations": invitations,
                "next": found.people.next,
                "invitations_next": found.invitations.next,
            }
        )
        return
    for p in people:
        roles = ", ".join(r["role"] + ("" if r["active"] else " (revoked)") for r in p["roles"])
        state = "active" if p["active"] else "DEACTIVATED"
        click.echo(f"{p['username']:<28} {state:<12} {p['name']:<24} {roles}")
    if found.people.next:
        click.echo(f"more people: --cursor {found.people.next}", err=True)
    if found.invitations.next:
        click.echo(f"more invitations: --invitations-cursor {found.invitations.next}", err=True)
    for i in invitations:
        click.echo(
            f"invitation {i['id']:>4}  {i['state']:<9} {i['email']:<28} {i['role']:<18} "
            f"until {i['expires_at'][:16]}"
        )


@user.command()
@click.argument("centre_id", metavar="ID")
@click.argument("invitation_id", type=int)
@as_option(required=True)
def resend(centre_id: str, invitation_id: int, as_user: str) -> None:
    """Send invitation INVITATION_ID again: a new link for 7 days; the old one stops working."""
    from assay.accounts.invitations import invitation_resend

    by = user_named(as_user)
    row = _invitation(by, _centre(by, centre_id), invitation_id)
    with domain_errors():
        sent = invitation_resend(by=by, invitation=row)
    click.echo(sent.link)
    click.echo(f"invitation {row.pk} sent again to {row.email}", err=True)


@user.command()
@click.argument("centre_id", metavar="ID")
@click.argument("invitation_id", type=int)
@click.option("--reason", default="", help="Why (optional).")
@as_option(required=True)
def cancel(centre_id: str, invitation_id: int, reason: str, as_user: str) -> None:
    """Cancel invitation INVITATION_ID: its link stops working for good."""
    from assay.accounts.invitations import invitation_cancel

    by = user_named(as_user)
    row = _invitation(by, _centre(by, centre_id), invitation_id)
    with domain_errors():
        invitation_cancel(by=by, invitation=row, reason=reason)
    click.echo(f"invitation {row.pk} to {row.email} cancelled")


def _person_at(by: Any, centre_id: str, username: str) -> Any:
    from assay.accounts.selectors import person_get

    centre = _centre(by, centre_id)
    with domain_errors():
        return person_get(by, centre.pk, _account(username).pk)


@user.command()
@click.argument("centre_id", metavar="ID")
@click.argument("username")
@click.option("--reason", required=True, help="Why the account is deactivated (recorded).")
@as_option(required=True)
def deactivate(centre_id: str, username: str, reason: str, as_user: str) -> None:
    """USERNAME (who holds a role at centre ID) can no longer sign in or use API tokens.
    Never yourself, never a centre's last administrator; a person who also works at another
    centre is the awarding body's to deactivate."""
    from assay.accounts.standing import account_deactivate

    by = user_named(as_user)
    person = _person_at(by, centre_id, username)
    with domain_errors():
        account_deactivate(by=by, user=person, reason=reason)
    click.echo(f"{username}: deactivated")


@user.command()
@click.argument("centre_id", metavar="ID")
@click.argument("username")
@click.option("--reason", required=True, help="Why the account is reactivated (recorded).")
@as_option(required=True)
def reactivate(centre_id: str, username: str, reason: str, as_user: str) -> None:
    """USERNAME can sign in again, with the roles they still hold."""
    from assay.accounts.standing import account_reactivate

    by = user_named(as_user)
    person = _person_at(by, centre_id, username)
    with domain_errors():
        account_reactivate(by=by, user=person, reason=reason)
    click.echo(f"{username}: active")


@user.command(name="reset-2fa")
@click.argument("username")
@click.option("--reason", required=True, help="Why (recorded), e.g. how the loss was checked.")
def reset_2fa(username: str, reason: str) -> None:
    """Remove USERNAME's authenticator and recovery codes when they have lost both (the
    operator, on the server). Where two-factor sign-in is required they set up a new one when
    they next sign in."""
    from assay.accounts.two_factor import two_factor_reset
    from assay.cli.output import fail
    from assay.engines.text import visible

    if not visible(reason) or any(ord(ch) < 32 and ch not in "\t\n" for ch in reason):
        fail("give a reason in words (no control characters)")
    removed = two_factor_reset(user=_account(username), reason=reason.strip())
    click.echo(f"{username}: {removed} authenticator device(s) removed")


@click.command()
@click.argument("centre_id", metavar="ID")
@click.argument("username")
@click.option("--role", type=click.Choice(REVOKE_ROLES), required=True)
@click.option("--qualification", default="", help="For a role held for one qualification.")
@click.option("--reason", required=True, help="Why the role is revoked (recorded).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@as_option(required=True)
def revoke(
    centre_id: str,
    username: str,
    role: str,
    qualification: str,
    reason: str,
    yes: bool,
    as_user: str,
) -> None:
    """Revoke USERNAME's --role at centre ID (the record stays, inactive). Never your own
    role, never a centre's last administrator."""
    from assay.accounts.selectors import membership_get
    from assay.centres.models import Membership
    from assay.cli.output import fail

    by = user_named(as_user)
    centre = _centre(by, centre_id)
    row = Membership.objects.filter(
        centre=centre,
        user=_account(username),
        role=role,
        qualification_code=qualification,
        active=True,
    ).first()
    if row is None:
        fail(f"{username} holds no active {role} role at {centre.number}")
    if not yes:
        click.confirm(f"Revoke {username}'s role {role} at {centre.name}?", abort=True)
    from assay.accounts.standing import role_revoke

    with domain_errors():
        role_revoke(by=by, membership=membership_get(by, centre.pk, row.pk), reason=reason)
    click.echo(f"{username}: {role} at {centre.number} revoked")
