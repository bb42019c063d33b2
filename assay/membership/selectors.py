"""Membership and progression of one registration's candidate, narrowed to what the viewer
may see: the candidate (their own), the centre's staff, the employer contact as the portfolio
allows (``registration_filter``). A registration the viewer may not see is NotFound."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from assay.catalogue.models import SpecFile
from assay.catalogue.selectors import newest_qualifications
from assay.claims.models import Certificate, CertificateKind
from assay.engines.membership.grade import Eligibility, eligibility
from assay.engines.membership.model import (
    AchievedQualification,
    AchievedUnit,
    Route,
    Scheme,
    routes_from,
    scheme_from,
)
from assay.engines.membership.progression import progression
from assay.errors import NotFound
from assay.membership.achievements import (
    CUSTOMER_SERVICE_NOS,
    achievements_for,
    catalogue_entry,
    person_registrations,
    spec_content_of,
)
from assay.membership.shapes import MembershipOut, ProgressionOut
from assay.registrations.models import Registration
from assay.registrations.selectors import registrations_visible_to
from assay.users import AnyUser

SCHEME_ID = "ics-membership"
ROUTES_FILE = Path(__file__).with_name("progression.yaml")

__all__ = [
    "SCHEME_ID",
    "certificate_membership",
    "membership_and_progression",
    "membership_get",
    "membership_of",
    "progression_get",
    "progression_of",
    "routes",
    "scheme",
]


@lru_cache(maxsize=1)
def _routes_data() -> dict[str, Any]:
    return dict(yaml.safe_load(ROUTES_FILE.read_text(encoding="utf-8")))


def routes() -> tuple[Route, ...]:
    return routes_from(_routes_data())


def prior_learning() -> dict[str, str]:
    return {str(k): str(v) for k, v in (_routes_data().get("prior_learning") or {}).items()}


def scheme() -> tuple[Scheme, str]:
    """The newest imported ICS membership scheme and its body's name (NotFound when the
    catalogue has not imported it: ``assay catalogue import``)."""
    spec = SpecFile.objects.filter(spec_id=SCHEME_ID).defer("content").order_by("-pk").first()
    if spec is None:
        raise NotFound("the ICS membership scheme is not in the catalogue: import the library")
    content = spec_content_of(spec)
    return scheme_from(content), str(content.get("body") or "")


def _visible(user: AnyUser, registration_id: int) -> Registration:
    found = registrations_visible_to(user).filter(pk=registration_id).first()
    if found is None:
        raise NotFound(f"no registration {registration_id}")
    return found


def membership_of(user: AnyUser, registration: Registration) -> MembershipOut:
    """The ICS grade the registration's candidate is eligible for from what the viewer may
    see of their achievements (the registration itself is one the viewer may see)."""
    regs = person_registrations(user, registration)
    if all(r.pk != registration.pk for r in regs):
        raise NotFound(f"no registration {registration.pk}")
    done = achievements_for(regs)
    found_scheme, body = scheme()
    found = eligibility(found_scheme, done.qualifications, done.units)
    return MembershipOut.of(registration.pk, body, found, done.counted_from)


def membership_get(user: AnyUser, registration_id: int) -> MembershipOut:
    return membership_of(user, _visible(user, registration_id))


def progression_of(user: AnyUser, registration: Registration) -> ProgressionOut:
    """What comes next after the registration's qualification, with the candidate's achieved
    units that would count again and the ICS grade each step would give."""
    regs = person_registrations(user, registration)
    if all(r.pk != registration.pk for r in regs):
        raise NotFound(f"no registration {registration.pk}")
    done = achievements_for(regs)
    rpl = prior_learning()
    catalogue = [catalogue_entry(q.spec, rpl) for q in newest_qualifications()]
    found_scheme, _ = scheme()
    found = progression(
        catalogue_entry(registration.qualification.spec, rpl),
        routes=routes(),
        catalogue=catalogue,
        achieved_units=done.units,
        achieved=done.qualifications,
        scheme=found_scheme,
        prior_learning=rpl,
    )
    return ProgressionOut.of(registration.pk, found)


def progression_get(user: AnyUser, registration_id: int) -> ProgressionOut:
    return progression_of(user, _visible(user, registration_id))


def membership_and_progression(
    user: AnyUser, registration_id: int
) -> tuple[MembershipOut, ProgressionOut]:
    """Both read models of one registration (the portfolio box), the registration read once."""
    found = _visible(user, registration_id)
    return membership_of(user, found), progression_of(user, found)


def certificate_membership(number: str) -> Eligibility | None:
    """The ICS grade a qualification certificate in force supports *by itself*: what the
    certificate's public page tells the Institute or an employer. Nothing else the person
    achieved is read (the page is public). None for unknown, revoked or unit certificates: a
    unit certificate alone rests no grade, and a revoked one supports nothing."""
    cert = (
        Certificate.objects.filter(
            number=number, kind=CertificateKind.QUALIFICATION, revoked_on__isnull=True
        )
        .select_related("registration__qualification__spec")
        .prefetch_related("units")
        .first()
    )
    if cert is None:
        return None
    qualification = cert.registration.qualification
    content = spec_content_of(qualification.spec)
    cs = content.get("nos_framework") == CUSTOMER_SERVICE_NOS
    by_number = {str(u["number"]): u for u in content.get("units") or ()}
    how = f"certificate {cert.number}"
    qual = AchievedQualification(
        title=cert.qualification_title,
        level=qualification.level,
        keys=(str(content["id"]), cert.qualification_code),
        type="NVQ" if "nvq" in cert.qualification_title.casefold() else "",
        how=how,
        achieved_on=cert.issued_on,
    )
    units = [
        AchievedUnit(
            qualification=cert.qualification_code,
            number=u.unit_code,
            title=u.unit_title,
            code=str((by_number.get(u.unit_code) or {}).get("code") or ""),
            customer_service=cs,
            how=how,
        )
        for u in cert.units.all()
    ]
    found_scheme, _ = scheme()
    return eligibility(found_scheme, [qual], units)
