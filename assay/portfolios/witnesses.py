"""Witness testimony: the candidate (or their assessor) records who witnessed what; the
witness, who may have no account, confirms the statement once through a link.

The link carries a random token; only its SHA-256 is stored, so the database alone cannot
confirm anything. A link works once and until it expires (``ASSAY_WITNESS_LINK_DAYS``, 14).
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import transaction

from assay import clock
from assay.errors import InvalidInput, NotAllowed
from assay.files.digest import text_sha256
from assay.notifications import events
from assay.portfolios.models import EvidenceItem, MappingStatus, Method, WitnessStatement
from assay.portfolios.services import is_assessor_of, is_candidate
from assay.users import User

WITNESS_METHODS = (Method.WITNESS_TESTIMONY, Method.EXPERT_WITNESS)


def link_days() -> int:
    return int(getattr(settings, "ASSAY_WITNESS_LINK_DAYS", 14))


def witness_request(
    *,
    by: User,
    item: EvidenceItem,
    name: str,
    role: str,
    relationship: str,
    contact: str,
    statement: str,
) -> tuple[WitnessStatement, str]:
    """Record a witness's statement; returns it and the token for their single-use link
    (shown or sent once, never stored)."""
    registration = item.registration
    if not (is_candidate(by, registration) or is_assessor_of(by, registration)):
        raise NotAllowed("only the candidate or an assessor of theirs can add a witness")
    fields = {
        "name": name,
        "role": role,
        "relationship": relationship,
        "contact": contact,
        "statement": statement,
    }
    errors = {
        key: f"enter the witness's {key}" for key, value in fields.items() if not value.strip()
    }
    if item.method not in WITNESS_METHODS:
        errors["item"] = "only witness or expert witness testimony has a witness"
    if errors:
        raise InvalidInput(errors)
    token = secrets.token_urlsafe(32)
    witness = WitnessStatement.objects.create(
        item=item,
        **{key: value.strip() for key, value in fields.items()},
        token_sha256=text_sha256(token),
        expires_at=clock.now() + dt.timedelta(days=link_days()),
        created_by_id=by.pk,
    )
    return witness, token


class LinkGone(InvalidInput):
    """The link was good once but is used or expired (the witness page answers 410)."""


def _usable(witness: WitnessStatement | None) -> WitnessStatement:
    """The statement behind a link that still works; a wrong token says only "not valid"."""
    if witness is None:
        raise InvalidInput({"token": "this link is not valid"})
    if witness.confirmed_at is not None:
        raise LinkGone({"token": "this link has already been used"})
    if clock.now() >= witness.expires_at:
        raise LinkGone({"token": "this link has expired; ask the candidate to send a new one"})
    return witness


def witness_for_link(token: str) -> WitnessStatement:
    """What a witness's link asks them to confirm (changes nothing, so a mail scanner that
    opens the link confirms nothing)."""
    found = (
        WitnessStatement.objects.select_related("item__registration__candidate")
        .filter(token_sha256=text_sha256(token))
        .first()
    )
    return _usable(found)


def witness_confirm(*, token: str) -> WitnessStatement:
    """The witness confirms their statement; the link then stops working. The candidate and
    the assessors concerned are told."""
    with transaction.atomic():
        witness = _usable(
            WitnessStatement.objects.select_for_update()
            .filter(token_sha256=text_sha256(token))
            .first()
        )
        witness.confirmed_at = clock.now()
        witness.save(update_fields=["confirmed_at"])
        item = witness.item
        units = item.mappings.exclude(status=MappingStatus.REJECTED).values_list(
            "unit_number", flat=True
        )
        events.witness_confirmed(
            registration=item.registration, units=set(units), witness=witness.name, item=item.pk
        )
    return witness
