"""Inviting a witness: record their statement and send them its single-use link by email
when their contact is an email address (otherwise whoever added them passes the link on)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import EmailValidator
from django.db import transaction

from assay.portfolios.models import EvidenceItem, WitnessStatement
from assay.portfolios.witnesses import witness_request
from assay.users import User


@dataclass(frozen=True)
class Invitation:
    witness: WitnessStatement
    link: str  # shown once to whoever added the witness; never stored
    emailed: bool


def is_email(contact: str) -> bool:
    try:
        EmailValidator()(contact.strip())
    except ValidationError:
        return False
    return True


def _letter(witness: WitnessStatement, link: str) -> tuple[str, str]:
    item = witness.item
    candidate = item.registration.candidate
    subject = f"Please confirm your witness statement for {candidate}"
    body = "\n".join(
        [
            f"Dear {witness.name},",
            "",
            f"{candidate} has named you ({witness.role}, {witness.relationship}) as a witness "
            f"to their {item.get_method_display().lower()} evidence of "
            f"{item.started_on:%d/%m/%Y}. The statement reads:",
            "",
            witness.statement,
            "",
            "If it is true, confirm it here (no account needed):",
            link,
            "",
            f"The link works once, until {witness.expires_at:%d/%m/%Y}. "
            "If you were not a witness, ignore this email.",
        ]
    )
    return subject, body


def witness_invite(
    *,
    by: User,
    item: EvidenceItem,
    name: str,
    role: str,
    relationship: str,
    contact: str,
    statement: str,
    link_for: Callable[[str], str],
) -> Invitation:
    """``witness_request`` plus the link (``link_for(token)``, an absolute URL), emailed once
    the statement is saved when ``contact`` is an email address."""
    with transaction.atomic():
        witness, token = witness_request(
            by=by,
            item=item,
            name=name,
            role=role,
            relationship=relationship,
            contact=contact,
            statement=statement,
        )
        link = link_for(token)
        emailed = is_email(witness.contact)
        if emailed:
            subject, body = _letter(witness, link)
            transaction.on_commit(
                partial(send_mail, subject, body, None, [witness.contact]), robust=True
            )
    return Invitation(witness, link, emailed)
