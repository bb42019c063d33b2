"""Certificate facts for the credentials engine, from the catalogue: each unit's title, level
and credit, and the CASE items a credential's achievement aligns to — taken from the CASE
export itself (``assay.catalogue.case.export_case`` of the qualification's spec), so a
credential names exactly the identifiers and URIs that export publishes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from assay.catalogue.case import export_case
from assay.catalogue.models import Qualification, Unit
from assay.credentials.keys import site_url
from assay.credentials.services import CertificateInput
from assay.engines.credentials import CaseRef, CertificateFacts, CredentialKind, UnitFacts
from assay.errors import InvalidInput

__all__ = ["CaseIndex", "PrintedUnit", "case_index", "certificate_input", "facts_for"]

#: CASE item types whose items a unit credential's achievement aligns to, under its unit.
CRITERION_TYPES = frozenset({"Assessment Criterion", "Element"})


@dataclass(frozen=True)
class CaseIndex:
    qualification: CaseRef | None
    units: Mapping[str, tuple[CaseRef, tuple[CaseRef, ...]]]  # by unit code as printed


def _ref(item: Mapping[str, Any]) -> CaseRef:
    return CaseRef(
        identifier=str(item["identifier"]),
        uri=str(item["uri"]),
        code=str(item.get("humanCodingScheme", "")),
        statement=str(item.get("fullStatement", "")),
    )


def case_index(qualification: Qualification) -> CaseIndex:
    """The qualification's CASE items by unit (units by their printed code)."""
    package = export_case(qualification.spec.content)
    items = {str(i["identifier"]): i for i in package["CFItems"]}
    parent = {
        str(a["originNodeURI"]["identifier"]): str(a["destinationNodeURI"]["identifier"])
        for a in package["CFAssociations"]
        if a["associationType"] == "isChildOf"
    }

    def unit_of(identifier: str) -> str | None:
        seen = parent.get(identifier)
        while seen is not None and seen in items:
            if items[seen]["CFItemType"] == "Unit":
                return seen
            seen = parent.get(seen)
        return None

    criteria: dict[str, list[CaseRef]] = {}
    for identifier, item in items.items():
        if item["CFItemType"] in CRITERION_TYPES:
            unit = unit_of(identifier)
            if unit is not None:
                criteria.setdefault(unit, []).append(_ref(item))
    qualification_ref = next(
        (_ref(i) for i in items.values() if i["CFItemType"] == "Qualification"), None
    )
    units = {
        str(item["humanCodingScheme"]): (_ref(item), tuple(criteria.get(identifier, ())))
        for identifier, item in items.items()
        if item["CFItemType"] == "Unit"
    }
    return CaseIndex(qualification_ref, units)


@dataclass(frozen=True)
class PrintedUnit:
    """A unit as the certificate prints it (code, title, level, credit)."""

    code: str
    title: str
    level: str
    credit: int


def facts_for(
    *,
    number: str,
    kind: str,
    qualification: Qualification,
    units: Sequence[PrintedUnit],
    candidate_name: str,
    candidate_id: str,
    centre_name: str,
    centre_number: str,
    issued_on: date,
    valid_until: date | None = None,
    replaces: str = "",
) -> CertificateFacts:
    """The engine's facts for a certificate, each unit aligned to its CASE items (looked up by
    its code as printed, or its number)."""
    index = case_index(qualification)
    by_number = {
        u.number: (u.code or u.number) for u in Unit.objects.filter(qualification=qualification)
    }
    unit_facts = []
    for unit in units:
        key = unit.code if unit.code in index.units else by_number.get(unit.code, unit.code)
        case, criteria = index.units.get(key, (None, ()))
        unit_facts.append(
            UnitFacts(
                code=unit.code,
                title=unit.title,
                level=unit.level,
                credit=unit.credit,
                case=case,
                criteria=criteria,
            )
        )
    if not unit_facts:
        raise InvalidInput({"units": "a certificate names at least one unit"})
    return CertificateFacts(
        number=number,
        kind=CredentialKind(kind),
        candidate_name=candidate_name,
        candidate_id=candidate_id,
        qualification_code=qualification.code,
        qualification_title=qualification.title,
        accreditation_number=qualification.accreditation_number,
        centre_name=centre_name,
        centre_number=centre_number,
        issued_on=issued_on,
        units=tuple(unit_facts),
        base_url=site_url(),
        valid_until=valid_until,
        qualification_case=index.qualification,
        replaces=replaces,
    )


def certificate_input(certificate: Any) -> CertificateInput:
    """A claims ``Certificate`` (number, kind, registration, centre, units, issued_on,
    replaces) as this app's input: the facts, the certificate's id (its chain) and the
    candidate's account (who may download). Read through its fields only, so this app does not
    import the claims models."""
    registration = certificate.registration
    candidate = registration.candidate
    units = [
        PrintedUnit(u.unit_code, u.unit_title, str(u.level), int(u.credit))
        for u in certificate.units.order_by("position")
    ]
    replaced = certificate.replaces
    facts = facts_for(
        number=certificate.number,
        kind=certificate.kind,
        qualification=registration.qualification,
        units=units,
        candidate_name=f"{candidate.first_name} {candidate.last_name}".strip(),
        candidate_id=f"{certificate.centre.number}/{registration.pk}",
        centre_name=certificate.centre.name,
        centre_number=certificate.centre.number,
        issued_on=certificate.issued_on,
        replaces=replaced.number if replaced is not None else "",
    )
    return CertificateInput(id=certificate.pk, facts=facts, holder_id=candidate.user_id)
