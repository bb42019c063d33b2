"""What waits for an employer contact's signature: the induction checklist and learning
contract of each employee they follow, and whether they have signed each."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch

from assay.centres.models import Role
from assay.centres.permissions import centre_ids_with_role
from assay.registrations.models import Registration, Signature, SignatureDocument


@dataclass(frozen=True, slots=True)
class Awaiting:
    registration: Registration
    unsigned: list[str]  # document labels the employer has not signed yet
    signed: list[str]


def awaiting_employer(user: Any) -> list[Awaiting]:
    """Registrations of the employees ``user`` follows as employer contact, unsigned first."""
    if not user.is_authenticated:
        return []
    mine = Signature.objects.filter(signer_id=user.pk, capacity="employer")
    rows = (
        Registration.objects.filter(
            candidate__employer_contact_id=user.pk,
            centre_id__in=centre_ids_with_role(user, Role.EMPLOYER_CONTACT),
        )
        .select_related("candidate", "qualification", "centre")
        .prefetch_related(Prefetch("signatures", queryset=mine, to_attr="employer_signatures"))
        .order_by("candidate__last_name", "candidate__first_name", "pk")
    )
    result = []
    for reg in rows:
        done = {s.document for s in reg.employer_signatures}
        result.append(
            Awaiting(
                reg,
                [str(label) for value, label in SignatureDocument.choices if value not in done],
                [str(label) for value, label in SignatureDocument.choices if value in done],
            )
        )
    return sorted(result, key=lambda a: not a.unsigned)
