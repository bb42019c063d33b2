"""Who sees and who acts on a centre's external verification records.

Acting (record a visit, its findings, risk and action points; apply or lift a sanction) is
for an external verifier allocated to the centre: their active membership there is the
allocation. The centre's administrator and lead IQA read everything and mark action points
done; the awarding body (superuser) reads. Anyone else, including the centre's other staff,
gets NotFound exactly as for a missing centre (ADR 0006).
"""

from __future__ import annotations

from dataclasses import dataclass

from assay.centres.models import Centre, Membership, Role
from assay.centres.permissions import roles_at
from assay.errors import NotAllowed, NotFound
from assay.users import AnyUser

READERS = frozenset({Role.CENTRE_ADMIN, Role.LEAD_IQA, Role.EXTERNAL_VERIFIER})
EV_ONLY = "only an external verifier allocated to this centre can do this"
CENTRE_ONLY = "only the centre's administrator or lead IQA can mark action points done"


@dataclass(frozen=True, slots=True)
class EqaAccess:
    """The centre and what the user may do with its EQA records."""

    centre: Centre
    can_act: bool  # the allocated external verifier
    can_mark_done: bool  # the centre's administrator or lead IQA


def _superuser(user: AnyUser) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_superuser", False))


def access_of(user: AnyUser, centre: Centre) -> EqaAccess | None:
    """None when the user may not see the centre's EQA records at all."""
    roles = roles_at(user, centre) if user.is_authenticated else set()
    if not (roles & READERS or _superuser(user)):
        return None
    return EqaAccess(
        centre,
        can_act=Role.EXTERNAL_VERIFIER in roles,
        can_mark_done=bool(roles & {Role.CENTRE_ADMIN, Role.LEAD_IQA}),
    )


def eqa_access(user: AnyUser, centre_id: int) -> EqaAccess:
    """The centre's EQA access for ``user``, or NotFound (missing or not theirs)."""
    centre = Centre.objects.filter(pk=centre_id).first()
    found = None if centre is None else access_of(user, centre)
    if found is None:
        raise NotFound(f"no centre {centre_id}")
    return found


def require_ev(user: AnyUser, centre: Centre) -> None:
    """NotAllowed unless ``user`` is an external verifier allocated to ``centre``."""
    found = access_of(user, centre)
    if found is None or not found.can_act:
        raise NotAllowed(EV_ONLY)


def ev_scope(user: AnyUser, centre: Centre) -> frozenset[str] | None:
    """The qualification codes an EV's allocation at ``centre`` covers; None: every one (an
    allocation without a code)."""
    if user.pk is None:
        return frozenset()
    codes = set(
        Membership.objects.filter(
            user_id=user.pk, centre=centre, role=Role.EXTERNAL_VERIFIER, active=True
        ).values_list("qualification_code", flat=True)
    )
    return None if "" in codes else frozenset(codes)


def require_ev_for(user: AnyUser, centre: Centre, code: str) -> None:
    """``require_ev``, and an EV allocated for some qualifications only acts on a sanction
    naming one of them (never on the whole centre)."""
    require_ev(user, centre)
    scope = ev_scope(user, centre)
    if scope is not None and code not in scope:
        named = ", ".join(sorted(scope))
        raise NotAllowed(
            f"you are allocated to this centre for {named} only; a sanction you apply or lift "
            "must name one of them"
        )


def require_centre(user: AnyUser, centre: Centre) -> None:
    found = access_of(user, centre)
    if found is None or not found.can_mark_done:
        raise NotAllowed(CENTRE_ONLY)
