"""Each claim's chain (``claim:<pk>``): a record for every act on the claim — created,
submitted in a batch, queried, answered, EV sample requested and recorded, approved (with the
certificate it issued and its units), rejected — and for every act on its certificate
(revoked, replaced).

Each record holds the claim's row as the app reads it after the act, the history entry the
act wrote and, when it touched one, the certificate's row with its units. ``assay records
verify`` folds each chain into the rows it expects and names every difference, every row
with no record, and every record whose row is gone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from assay.engines.records import chain
from assay.records.registry import Problem, moment_text, only_id, reconciler_register

PREFIX = "claim"

CLAIM_FIELDS = (
    "registration",
    "centre",
    "kind",
    "units",
    "status",
    "claim_on",
    "batch",
    "created_by",
    "sample_outcome",
    "decided_by",
    "decided_at",
    "decision_reason",
)
EVENT_FIELDS = ("claim", "action", "from_status", "to_status", "text", "by", "at")
CERTIFICATE_FIELDS = (
    "number",
    "claim",
    "registration",
    "centre",
    "kind",
    "qualification_code",
    "qualification_title",
    "accreditation_number",
    "issued_on",
    "replaces",
    "revoked_on",
    "revoked_reason",
    "revoked_kind",
)
UNIT_FIELDS = ("position", "unit_code", "unit_title", "level", "credit")


def claim_chain(pk: int) -> str:
    return f"{PREFIX}:{pk}"


def _text(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return moment_text(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _value(row: Any, field: str) -> Any:
    return getattr(row, f"{field}_id") if hasattr(row, f"{field}_id") else getattr(row, field)


def row_of(row: Any, fields: Sequence[str]) -> dict[str, Any]:
    return {f: _text(_value(row, f)) for f in fields}


def certificate_entry(cert: Any, units: Sequence[Any]) -> dict[str, Any]:
    return {
        "certificate": cert.pk,
        "row": row_of(cert, CERTIFICATE_FIELDS),
        "units": [row_of(u, UNIT_FIELDS) for u in units],
    }


def payload_of(
    claim: Any, event: Any, certificates: Sequence[dict[str, Any]] = ()
) -> dict[str, Any]:
    return {
        "claim": claim.pk,
        "row": row_of(claim, CLAIM_FIELDS),
        "event": {"pk": event.pk, **row_of(event, EVENT_FIELDS)},
        "certificates": list(certificates),
    }


Folded = tuple[
    dict[int, dict[str, Any]],
    dict[int, dict[str, Any]],
    dict[int, dict[str, Any]],
]


def fold(records: Sequence[chain.Record]) -> Folded:
    """The claim, its history entries and its certificates (by pk) a chain says."""
    claims: dict[int, dict[str, Any]] = {}
    events: dict[int, dict[str, Any]] = {}
    certificates: dict[int, dict[str, Any]] = {}
    for record in records:
        p: Mapping[str, Any] = record.payload
        claims[int(p["claim"])] = dict(p["row"])
        event = dict(p["event"])
        events[int(event.pop("pk"))] = event
        for cert in p.get("certificates", ()):
            certificates[int(cert["certificate"])] = {**cert["row"], "units": cert["units"]}
    return claims, events, certificates


def _compare(
    name: str,
    what: str,
    rows: Mapping[int, dict[str, Any]],
    chained: dict[int, dict[str, Any]],
    problems: list[Problem],
) -> None:
    for pk, row in sorted(rows.items()):
        said = chained.pop(pk, None)
        if said is None:
            problems.append(Problem(name, f"{what} {pk} has no chained record"))
            continue
        for field, value in row.items():
            if said.get(field) != value:
                problems.append(Problem(name, f"{what} {pk}: its {field} is not the one recorded"))
    for pk in sorted(chained):
        problems.append(Problem(name, f"{what} {pk} is recorded but its row is gone"))


def _problems(chains: Mapping[str, Sequence[chain.Record]], only: str | None) -> list[Problem]:
    from assay.claims.models import Certificate, CertificateUnit, Claim, ClaimEvent

    pk = only_id(only)
    claims = Claim.objects.order_by("pk")
    events = ClaimEvent.objects.order_by("pk")
    certs = Certificate.objects.order_by("pk")
    units = CertificateUnit.objects.order_by("certificate_id", "position")
    if pk is not None:
        claims = claims.filter(pk=pk)
        events = events.filter(claim_id=pk)
        certs = certs.filter(claim_id=pk)
        units = units.filter(certificate__claim_id=pk)
    rows: dict[str, dict[str, dict[int, dict[str, Any]]]] = {}

    def add(name: str, what: str, key: int, row: dict[str, Any]) -> None:
        rows.setdefault(name, {}).setdefault(what, {})[key] = row

    for c in claims:
        add(claim_chain(c.pk), "claim", c.pk, row_of(c, CLAIM_FIELDS))
    for e in events:
        add(claim_chain(e.claim_id), "history entry", e.pk, row_of(e, EVENT_FIELDS))
    by_cert: dict[int, list[dict[str, Any]]] = {}
    for u in units:
        by_cert.setdefault(u.certificate_id, []).append(row_of(u, UNIT_FIELDS))
    for cert in certs:
        row = {**row_of(cert, CERTIFICATE_FIELDS), "units": by_cert.get(cert.pk, [])}
        add(claim_chain(cert.claim_id), "certificate", cert.pk, row)
    problems: list[Problem] = []
    for name in sorted(set(rows) | set(chains)):
        chained_claims, chained_events, chained_certs = fold(chains.get(name, ()))
        mine = rows.get(name, {})
        for what, chained in (
            ("claim", chained_claims),
            ("history entry", chained_events),
            ("certificate", chained_certs),
        ):
            _compare(name, what, mine.get(what, {}), chained, problems)
    return problems


def register() -> None:
    reconciler_register(PREFIX, _problems)
