"""ICS membership and progression of a registration's candidate (docs/membership.md).

Auth as the other endpoints: a token or a signed-in session. A registration the caller may
not see answers 404 exactly like a missing one. Reads only: nothing here changes anything.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

from assay.api import schemas as s
from assay.api.auth import AUTH, who
from assay.membership.selectors import membership_get, progression_get
from assay.membership.shapes import MembershipOut, ProgressionOut

router = Router(tags=["registrations"], auth=AUTH)
ERRORS: dict[int, type[s.Error]] = {401: s.Error, 404: s.Error}


@router.get("registrations/{registration_id}/membership", response={200: MembershipOut, **ERRORS})
def membership(request: HttpRequest, registration_id: int) -> MembershipOut:
    """The Institute of Customer Service grade the candidate is eligible for, the
    qualification it rests on, the customer-service units counted, and every reason."""
    return membership_get(who(request), registration_id)


@router.get("registrations/{registration_id}/progression", response={200: ProgressionOut, **ERRORS})
def progression(request: HttpRequest, registration_id: int) -> ProgressionOut:
    """What comes next after the qualification (the logbook's and handbook's routes), found
    in Assay's catalogue where it holds them, with achieved units that would count again."""
    return progression_get(who(request), registration_id)
