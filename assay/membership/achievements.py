"""What a person has achieved, as the membership engine reads it.

Today Assay knows two kinds of achievement: a registration moved to *completed* (the rules of
combination were met by signed-off or credited units) is an achieved qualification, and a
unit signed off by its assessor, or accepted through RPL or credit transfer, is an achieved
unit. A certificate (``assay.claims``) in force is the strongest of these: a qualification
certificate counts the qualification achieved on its issue date whatever the registration's
status; a revoked certificate (malpractice, issued in error) takes back what it certified —
the qualification, and each unit no certificate in force still covers — even where the units
stay signed off, since the awarding body withdrew the award (docs/membership.md).

Only registrations the viewer may see are read (``registration_filter``): an assessor of one
unit never learns of the candidate's other registrations through a grade.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.db.models import Q

from assay.catalogue.models import SpecFile
from assay.centres.permissions import registration_filter
from assay.claims.models import Certificate, CertificateKind
from assay.engines.membership.model import (
    AchievedQualification,
    AchievedUnit,
    CatalogueQualification,
    catalogue_qualification_from,
)
from assay.portfolios.records import signed_off_of
from assay.registrations.models import PriorKind, Registration, RplClaim, Status, StatusChange
from assay.registrations.selectors import SPEC_CONTENT
from assay.users import AnyUser

CUSTOMER_SERVICE_NOS = "nos-customer-service"

__all__ = [
    "CUSTOMER_SERVICE_NOS",
    "SOURCES",
    "Achievements",
    "achievements_for",
    "catalogue_entry",
    "person_registrations",
]


@dataclass(frozen=True, slots=True)
class Achievements:
    qualifications: tuple[AchievedQualification, ...]
    units: tuple[AchievedUnit, ...]
    counted_from: tuple[str, ...]

    def __add__(self, other: Achievements) -> Achievements:
        return Achievements(
            self.qualifications + other.qualifications,
            self.units + other.units,
            self.counted_from + other.counted_from,
        )


@lru_cache(maxsize=64)
def _content(spec_pk: int, sha256: str) -> dict[str, Any]:
    return dict(SpecFile.objects.only("content").get(pk=spec_pk).content)


def spec_content_of(spec: SpecFile) -> dict[str, Any]:
    """A spec's content, read once per version (cached by content hash)."""
    return _content(spec.pk, spec.sha256)


def catalogue_entry(
    spec: SpecFile, prior_learning: dict[str, str] | None = None
) -> CatalogueQualification:
    return catalogue_qualification_from(spec_content_of(spec), prior_learning)


def person_registrations(user: AnyUser, registration: Registration) -> list[Registration]:
    """The person's registrations the viewer may see: the candidate's, and those of any other
    candidate record with the same sign-in (one person at two centres), oldest first."""
    person = Q(candidate_id=registration.candidate_id)
    if registration.candidate.user_id is not None:
        person |= Q(candidate__user_id=registration.candidate.user_id)
    visible = Registration.objects.filter(registration_filter(user)).values("pk")
    return list(
        Registration.objects.filter(person, pk__in=visible)
        .select_related("qualification__spec")
        .defer(SPEC_CONTENT)
        .order_by("registered_on", "pk")
    )


def from_registrations(registrations: Sequence[Registration]) -> Achievements:
    """Completed registrations and their signed-off or credited units, in three queries (plus
    one per spec version never read before)."""
    ids = [r.pk for r in registrations]
    signed = signed_off_of(ids)
    credited: dict[int, dict[str, str]] = {}
    for reg_id, unit, kind in (
        RplClaim.objects.filter(registration_id__in=ids, accepted=True)
        .order_by("registration_id", "pk")
        .values_list("registration_id", "unit_number", "kind")
    ):
        how = "credited" if kind == PriorKind.CREDIT_TRANSFER else "accepted through RPL"
        credited.setdefault(reg_id, {}).setdefault(unit, how)
    completed_on = dict(
        StatusChange.objects.filter(registration_id__in=ids, to_status=Status.COMPLETED)
        .order_by("registration_id", "at")
        .values_list("registration_id", "at")
    )
    certified = _certificates(ids)
    quals: list[AchievedQualification] = []
    units: list[AchievedUnit] = []
    for reg in registrations:
        held = certified.get(reg.pk, _Certified())
        content = spec_content_of(reg.qualification.spec)
        cs = content.get("nos_framework") == CUSTOMER_SERVICE_NOS
        by_number = {str(u["number"]): u for u in content.get("units") or ()}
        if held.qualification is not None:
            quals.append(
                AchievedQualification(
                    title=reg.qualification.title,
                    level=reg.qualification.level,
                    keys=(content["id"], reg.qualification.code),
                    type="NVQ" if "nvq" in reg.qualification.title.casefold() else "",
                    how=f"certificate {held.qualification.number}",
                    achieved_on=held.qualification.issued_on,
                )
            )
        elif reg.status == Status.COMPLETED and not held.qualification_revoked:
            at = completed_on.get(reg.pk)
            quals.append(
                AchievedQualification(
                    title=reg.qualification.title,
                    level=reg.qualification.level,
                    keys=(content["id"], reg.qualification.code),
                    type="NVQ" if "nvq" in reg.qualification.title.casefold() else "",
                    how=f"registration {reg.pk} completed",
                    achieved_on=at.date() if at else None,
                )
            )
        hows = {n: "signed off" for n in signed.get(reg.pk, [])}
        for number, how in credited.get(reg.pk, {}).items():
            hows.setdefault(number, how)
        for number in held.revoked_units:
            hows.pop(number, None)
        for number, how in hows.items():
            spec_unit = by_number.get(number)
            if spec_unit is None:
                continue
            units.append(
                AchievedUnit(
                    qualification=reg.qualification.code,
                    number=number,
                    title=str(spec_unit["title"]),
                    code=str(spec_unit.get("code") or ""),
                    customer_service=cs,
                    how=how,
                )
            )
    return Achievements(
        tuple(quals),
        tuple(units),
        ("certificates in force, completed registrations and signed-off, RPL or credited units",),
    )


@dataclass(slots=True)
class _Certified:
    qualification: Certificate | None = None
    qualification_revoked: bool = False
    revoked_units: frozenset[str] = frozenset()


def _certificates(ids: Sequence[int]) -> dict[int, _Certified]:
    """Per registration: its qualification certificate in force, whether one was revoked, and
    the units only revoked certificates covered (two queries)."""
    out: dict[int, _Certified] = {}
    covered: dict[int, set[str]] = {}
    revoked: dict[int, set[str]] = {}
    rows = (
        Certificate.objects.filter(registration_id__in=ids)
        .prefetch_related("units")
        .order_by("registration_id", "issued_on", "pk")
    )
    for cert in rows:
        held = out.setdefault(cert.registration_id, _Certified())
        numbers = {u.unit_code for u in cert.units.all()}
        if cert.revoked_on is not None:
            revoked.setdefault(cert.registration_id, set()).update(numbers)
            if cert.kind == CertificateKind.QUALIFICATION:
                held.qualification_revoked = True
        else:
            covered.setdefault(cert.registration_id, set()).update(numbers)
            if cert.kind == CertificateKind.QUALIFICATION:
                held.qualification = cert
    for reg_id, held in out.items():
        held.revoked_units = frozenset(revoked.get(reg_id, set()) - covered.get(reg_id, set()))
    return out


Source = Callable[[Sequence[Registration]], Achievements]
SOURCES: tuple[Source, ...] = (from_registrations,)


def achievements_for(registrations: Sequence[Registration]) -> Achievements:
    total = Achievements((), (), ())
    for source in SOURCES:
        total = total + source(registrations)
    return total
