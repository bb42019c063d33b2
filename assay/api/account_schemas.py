"""Schemas of the accounts endpoints: invitations, people and their roles at a centre."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema
from pydantic import Field

from assay.api.schemas import PageOut, PageQuery

InviteRole = Literal[
    "assessor",
    "internal_verifier",
    "lead_iqa",
    "tutor",
    "employer_contact",
    "candidate",
    "centre_admin",
    "external_verifier",
]


class InviteIn(Schema):
    email: str = Field(max_length=254)
    role: InviteRole = Field(
        description="centre_admin and external_verifier: the awarding body (superuser) only"
    )
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)
    registration_id: int | None = Field(
        None,
        description="candidate: required, a registration without a sign-in; "
        "employer_contact: optional, the employee they follow",
    )


BodyInviteRole = Literal["administrator", "auditor", "decision_maker"]


class BodyInviteIn(Schema):
    email: str = Field(max_length=254)
    role: BodyInviteRole
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)


class InvitationOut(Schema):
    id: int
    centre_id: int | None = Field(description="The centre invited to (or none: a body)")
    body_id: int | None = Field(None, description="The certifying body invited to, if any")
    email: str
    first_name: str
    last_name: str
    role: str
    registration_id: int | None
    state: Literal["pending", "accepted", "cancelled", "expired"]
    sent_at: dt.datetime
    expires_at: dt.datetime
    invited_by: str
    link: str | None = Field(
        None, description="Only in the answer that sent it: the link, also emailed"
    )


class RoleOut(Schema):
    id: int
    role: str
    qualification_code: str
    active: bool


class AccountOut(Schema):
    id: int
    username: str
    name: str
    email: str
    active: bool
    roles: list[RoleOut]


class AccountsQuery(PageQuery):
    """``cursor`` pages the people, ``invitations_cursor`` the invitations (each from the
    answer's ``people`` or ``invitations``); ``size`` serves both."""

    invitations_cursor: str | None = Field(default=None, max_length=4096)


class CentreAccountsOut(Schema):
    people: PageOut[AccountOut] = Field(description="By name, with their roles at the centre")
    invitations: PageOut[InvitationOut] = Field(
        description="Not accepted: pending, expired, cancelled; newest first"
    )


class BodyAccountsOut(Schema):
    people: PageOut[AccountOut] = Field(description="By name, with their roles at the body")
    invitations: PageOut[InvitationOut] = Field(
        description="Not accepted: pending, expired, cancelled; newest first"
    )


class ReasonIn(Schema):
    reason: str = Field(max_length=2000)


class OptionalReasonIn(Schema):
    reason: str = Field("", max_length=2000)
