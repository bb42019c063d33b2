"""The database → the claims engine's facts, a fixed number of queries for any number of
registrations (the ready-to-claim list reads a page at a time)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Literal

from assay.catalogue.selectors import qualification_engine_spec
from assay.centres.models import Centre
from assay.engines.claims import ClaimFacts, ClaimKind, UnitFact
from assay.engines.entry.rules import CentreApproval
from assay.engines.verification import Outcome
from assay.eqa.selectors import claims_blocked, direct_claims_of
from assay.portfolios.records import signed_off_of
from assay.registrations.facts import current_approval
from assay.registrations.models import Registration, RplClaim
from assay.verification.models import SamplePick, Verification

from .models import Certificate, CertificateUnit


def units_of(registration_ids: Sequence[int]) -> dict[int, dict[str, UnitFact]]:
    """Every unit each registration has achieved, been sampled on, or been certified for
    (four queries)."""
    ids = list(registration_ids)
    signed = signed_off_of(ids)
    credited: dict[int, set[str]] = {}
    for reg, unit in RplClaim.objects.filter(registration_id__in=ids, accepted=True).values_list(
        "registration_id", "unit_number"
    ):
        credited.setdefault(reg, set()).add(unit)
    sampled: dict[tuple[int, str], bool] = {}
    picks = SamplePick.objects.filter(registration_id__in=ids).values_list(
        "pk", "registration_id", "unit_number"
    )
    pick_unit = {pk: (reg, unit) for pk, reg, unit in picks}
    for key in pick_unit.values():
        sampled.setdefault(key, False)
    # the latest verdict on any pick of the unit decides
    for pick_id, outcome in (
        Verification.objects.filter(pick_id__in=list(pick_unit))
        .order_by("at", "pk")
        .values_list("pick_id", "outcome")
    ):
        sampled[pick_unit[pick_id]] = outcome == Outcome.AGREE
    certified: dict[int, set[str]] = {}
    for reg, code in CertificateUnit.objects.filter(
        certificate__registration_id__in=ids, certificate__revoked_on__isnull=True
    ).values_list("certificate__registration_id", "unit_code"):
        certified.setdefault(reg, set()).add(code)
    out: dict[int, dict[str, UnitFact]] = {}
    for reg in ids:
        numbers = (
            set(signed.get(reg, ()))
            | credited.get(reg, set())
            | {u for r, u in sampled if r == reg}
            | certified.get(reg, set())
        )
        out[reg] = {
            n: UnitFact(
                n,
                signed_off=n in signed.get(reg, ()),
                credited=n in credited.get(reg, set()),
                sampled=(reg, n) in sampled,
                agreed=sampled.get((reg, n), False),
                certified=n in certified.get(reg, set()),
            )
            for n in sorted(numbers)
        }
    return out


def claim_facts(
    registration: Registration,
    *,
    kind: str,
    claimed: Iterable[str],
    on: dt.date,
    units: dict[str, UnitFact] | None = None,
    centre_checks: tuple[bool, tuple[str, ...]] | None = None,
    approval: CentreApproval | Literal["read"] | None = "read",
    qualification_certified: bool | None = None,
) -> ClaimFacts:
    """The facts of one claim on ``on``; ``units``, ``centre_checks`` (direct claims
    status, sanction reasons), ``approval`` and ``qualification_certified`` when the caller
    has read them for many registrations (the ready list: a fixed number of queries)."""
    qualification = registration.qualification
    spec = qualification_engine_spec(qualification)
    if units is None:
        units = units_of([registration.pk])[registration.pk]
    if centre_checks is None:
        centre_checks = centre_claim_checks(registration.centre, qualification.code, on)
    direct, sanctions = centre_checks
    return ClaimFacts(
        kind=ClaimKind(kind),
        qualification_code=qualification.code,
        claim_on=on,
        registered_on=registration.registered_on,
        end_date=registration.end_date,
        last_certification=qualification.last_certification,
        approval=(
            current_approval(registration.centre, qualification.code, on)
            if approval == "read"
            else approval
        ),
        direct_claims=direct,
        sanctions=sanctions,
        qualification_units=tuple(u.number for u in spec.units),
        units=tuple(units.values()),
        claimed=tuple(claimed),
        qualification_certified=(
            Certificate.objects.filter(
                registration=registration, kind="qualification", revoked_on__isnull=True
            ).exists()
            if qualification_certified is None
            else qualification_certified
        ),
        spec=spec,
    )


def centre_claim_checks(centre: Centre, code: str, on: dt.date) -> tuple[bool, tuple[str, ...]]:
    """Direct claims status and the sanction reasons suspending claims, on ``on``."""
    return direct_claims_of(centre, on).granted, tuple(claims_blocked(centre, code, on))
