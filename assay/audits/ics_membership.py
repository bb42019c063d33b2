"""An organisation's Institute of Customer Service organisational membership, noted by its
certifying body (seed 000: "The Institute has over 350 organisational members"). A note, not a
decision: ICSS certification does not depend on it; the organisation and certificate pages
show it (docs/membership.md)."""

from __future__ import annotations

from django.db import transaction

from assay import clock
from assay.audits import permissions as perm
from assay.audits.models import Organisation
from assay.engines.plausible import text_problem
from assay.engines.text import visible
from assay.errors import InvalidInput, NotAllowed
from assay.users import User

MAX_LENGTH = 200


def organisation_ics_membership_note(
    *, by: User, organisation: Organisation, text: str
) -> Organisation:
    """Note (or restate) the organisation's ICS organisational membership as its certifying
    body's administrator read it, e.g. "Organisational member since 2006, no. 1234" or "Not a
    member (lapsed 31/03/2026)"; the day it was noted is kept with it."""
    if not perm.can_administer(by, organisation.body_id):
        raise NotAllowed("only the certifying body's administrators note ICS membership")
    text = text.strip()
    if not visible(text):
        raise InvalidInput({"ics_membership": "say what the organisation's ICS membership is"})
    if problem := text_problem(text):
        raise InvalidInput({"ics_membership": problem})
    if len(text) > MAX_LENGTH:
        raise InvalidInput({"ics_membership": f"keep it to {MAX_LENGTH} characters"})
    with transaction.atomic():
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        locked.ics_membership = text
        locked.ics_membership_noted_on = clock.today()
        locked.save(update_fields=["ics_membership", "ics_membership_noted_on"])
    return locked
