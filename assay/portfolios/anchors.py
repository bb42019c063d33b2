"""A centre's record anchors as a download: the current head of every chain of the centre's
registrations (decisions and enrolment), for the centre or its external verifier to keep and
later hand to ``assay records verify --anchors`` (docs/records.md)."""

from __future__ import annotations

from assay.centres.models import Centre, Role
from assay.centres.permissions import can_administer, roles_at
from assay.errors import NotAllowed
from assay.portfolios.records import chain_name as decisions_chain
from assay.records.services import anchor_lines
from assay.registrations import enrolment
from assay.registrations.dashboard import centre_get
from assay.registrations.models import Registration
from assay.users import AnyUser

KEEPERS = frozenset({Role.LEAD_IQA, Role.EXTERNAL_VERIFIER})


def centre_anchors(user: AnyUser, pk: int) -> tuple[Centre, list[str]]:
    """(centre, JSON lines). Strangers get the centre's 404; staff other than administrators,
    lead IQAs and external verifiers are refused: the file is the centre's evidence."""
    centre = centre_get(user, pk)
    if not (can_administer(user, centre) or roles_at(user, centre) & KEEPERS):
        raise NotAllowed(
            "only a centre administrator, lead IQA or external verifier can download the "
            "record anchors"
        )
    ids = list(Registration.objects.filter(centre=centre).values_list("pk", flat=True))
    names = [decisions_chain(i) for i in ids] + [enrolment.chain_name(i) for i in ids]
    return centre, list(anchor_lines(names))
