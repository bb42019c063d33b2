"""Typed answers about standards, organisations and certificates: the audit API's reference
and public-register reads (the audit cycle's own answers are in ``answers.py``, whose
conventions these follow)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from typing import Any

from assay.audits.answers import Answer, AuditNamedOut
from assay.audits.certificates import MARK, mark_entitled, status_of
from assay.audits.models import Certificate, Organisation, StandardVersion
from assay.engines.audit.model import Standard

# --- certificates ------------------------------------------------------------------------------


class PublicCertificateOut(Answer):
    """What the public register shows: no scores, reasons, people or contacts."""

    number: str
    organisation: str
    scope: str
    states: list[str]
    standard: str
    issued_on: dt.date
    valid_through: dt.date
    expires_on: dt.date
    status: str
    mark: str | None


class CertificateOut(PublicCertificateOut):
    """A certificate for those who may see it: the public fields plus its audit and
    withdrawal."""

    audit: int
    withdrawn_on: dt.date | None
    withdrawn_reason: str


def _public_fields(certificate: Certificate, today: dt.date | None) -> dict[str, Any]:
    return {
        "number": certificate.number,
        "organisation": certificate.organisation.name,
        "scope": certificate.scope_text,
        "states": list(certificate.states),
        "standard": certificate.standard_title,
        "issued_on": certificate.issued_on,
        "valid_through": certificate.valid_through,
        "expires_on": certificate.expires_on,
        "status": status_of(certificate, today),
        "mark": MARK if mark_entitled(certificate, today) else None,
    }


def public_certificate_answer(
    certificate: Certificate, today: dt.date | None = None
) -> PublicCertificateOut:
    return PublicCertificateOut(**_public_fields(certificate, today))


def certificate_answer(certificate: Certificate) -> CertificateOut:
    return CertificateOut(
        **_public_fields(certificate, None),
        audit=certificate.audit_id,
        withdrawn_on=certificate.withdrawn_on,
        withdrawn_reason=certificate.withdrawn_reason,
    )


# --- standards and organisations ---------------------------------------------------------------


class StandardSummaryOut(Answer):
    code: str
    version: int
    title: str
    illustrative: bool


class ScaleBandOut(Answer):
    key: str
    label: str
    low: int
    high: int
    description: str


class StandardNodeOut(Answer):
    code: str
    title: str
    parent: str | None
    level: str


class StandardAttributeOut(Answer):
    code: str
    title: str
    parent: str
    mandatory: bool
    guidance: str


class StandardOut(Answer):
    """A standard with its tree flattened, in the file's order."""

    code: str
    version: int
    title: str
    illustrative: bool
    notice: str
    scale: list[ScaleBandOut]
    failing_bands: list[str]
    nodes: list[StandardNodeOut]
    attributes: list[StandardAttributeOut]


def standard_summary_answer(row: StandardVersion) -> StandardSummaryOut:
    return StandardSummaryOut(
        code=row.code, version=row.version, title=row.title, illustrative=row.illustrative
    )


def standard_answer(row: StandardVersion, standard: Standard) -> StandardOut:
    return StandardOut(
        code=row.code,
        version=row.version,
        title=row.title,
        illustrative=row.illustrative,
        notice=row.notice,
        scale=[ScaleBandOut(**asdict(b)) for b in standard.scale.bands],
        failing_bands=sorted(standard.failing_bands),
        nodes=[StandardNodeOut(**asdict(n)) for n in standard.nodes],
        attributes=[StandardAttributeOut(**asdict(a)) for a in standard.attributes],
    )


class OrganisationSummaryOut(Answer):
    id: int
    name: str
    reference: str


class OfficeOut(Answer):
    id: int
    name: str
    state: str
    is_main: bool
    division: int | None
    is_division_main: bool
    complaints: int
    headcount: int | None = None  # staff; None: unknown


class OrganisationOut(Answer):
    id: int
    name: str
    reference: str
    divisions: list[AuditNamedOut]
    offices: list[OfficeOut]
    # Its Institute of Customer Service organisational membership, as its body noted it.
    ics_membership: str = ""
    ics_membership_noted_on: dt.date | None = None


def organisation_summary_answer(o: Organisation) -> OrganisationSummaryOut:
    return OrganisationSummaryOut(id=o.pk, name=o.name, reference=o.reference)


def organisation_answer(o: Organisation) -> OrganisationOut:
    return OrganisationOut(
        id=o.pk,
        name=o.name,
        reference=o.reference,
        ics_membership=o.ics_membership,
        ics_membership_noted_on=o.ics_membership_noted_on,
        divisions=[AuditNamedOut(id=d.pk, name=d.name) for d in o.divisions.all()],
        offices=[
            OfficeOut(
                id=f.pk,
                name=f.name,
                state=f.state,
                is_main=f.is_main,
                division=f.division_id,
                is_division_main=f.is_division_main,
                complaints=f.complaints,
                headcount=f.headcount,
            )
            for f in o.offices.all()
        ],
    )
