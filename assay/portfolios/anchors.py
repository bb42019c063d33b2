"""A centre's record anchors as a download: the current head of every chain of the centre's
registrations (decisions and enrolment), for the centre or its external verifier to keep and
later hand to ``assay records verify --anchors`` (docs/records.md)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from typing import Any

from assay.centres.models import Centre, Role
from assay.centres.permissions import can_administer, roles_at
from assay.errors import NotAllowed
from assay.keyset import Page, paginate
from assay.portfolios.records import chain_name as decisions_chain
from assay.records.services import anchor_lines
from assay.registrations import enrolment
from assay.registrations.dashboard import centre_get
from assay.registrations.models import Registration
from assay.users import AnyUser

KEEPERS = frozenset({Role.LEAD_IQA, Role.EXTERNAL_VERIFIER})


def _keeper_centre(user: AnyUser, pk: int) -> Centre:
    """The centre, if the user may keep its anchors. Strangers get the centre's 404; staff
    other than administrators, lead IQAs and external verifiers are refused: the file is the
    centre's evidence."""
    centre = centre_get(user, pk)
    if not (can_administer(user, centre) or roles_at(user, centre) & KEEPERS):
        raise NotAllowed(
            "only a centre administrator, lead IQA or external verifier can download the "
            "record anchors"
        )
    return centre


def _chains(ids: Sequence[int]) -> list[str]:
    return [decisions_chain(i) for i in ids] + [enrolment.chain_name(i) for i in ids]


CHUNK = 1000


def centre_anchors(user: AnyUser, pk: int) -> tuple[Centre, Iterator[str]]:
    """(centre, JSON lines) of every chain of the centre (see ``_keeper_centre``): the
    permission is checked at once; the lines are read ``CHUNK`` registrations at a time (by id)
    as they are consumed, so a download streams in constant memory whatever the centre's size."""
    centre = _keeper_centre(user, pk)
    return centre, _lines(centre)


def _lines(centre: Centre) -> Iterator[str]:
    last = 0
    while True:
        ids = list(
            Registration.objects.filter(centre=centre, pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:CHUNK]
        )
        if not ids:
            return
        yield from anchor_lines(_chains(ids))
        last = ids[-1]


def centre_anchor_page(
    user: AnyUser, pk: int, cursor: str | None = None, size: int | str | None = None
) -> Page[dict[str, Any]]:
    """The heads of the chains of one keyset page of the centre's registrations (by id), up
    to two a registration (decisions, enrolment): a few queries whatever the centre's size."""
    centre = _keeper_centre(user, pk)
    page = paginate(Registration.objects.filter(centre=centre).only("pk"), ("pk",), cursor, size)
    heads = [json.loads(line) for line in anchor_lines(_chains([r.pk for r in page]))]
    return Page(heads, page.next, page.previous, page.size)
