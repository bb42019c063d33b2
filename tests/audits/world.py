"""An audit world built through the services: one certifying body with a person in every role,
Acme (offices in NSW, VIC and WA, a Retail division) and Other Co., and a planned audit of Acme
with ``auditor`` assigned. Helpers move it on: ``to_fieldwork``, ``score_all``, ``decided``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User

from assay import clock
from assay.audits import services as svc
from assay.audits.competence import auditor_membership, competence_record
from assay.audits.models import Audit, CertifyingBody, Office, Organisation, StandardVersion
from assay.audits.selectors import standard_get
from assay.audits.standards import standard_import_library, standard_of
from tests.factories import make_user

TODAY = "2013-03-01"
SEED = 20130301
# Every role the denial matrix tries, each a different person.
ROLES = (
    "body_admin",
    "auditor",  # assigned to the audit
    "auditor_other",  # an auditor of the body, not assigned
    "decision_maker",
    "contact",  # Acme's contact
    "contact_other",  # Other Co.'s contact
    "nobody",  # signed in, no role
)


@dataclass
class AuditWorld:
    body: CertifyingBody
    standard: StandardVersion
    acme: Organisation
    other: Organisation
    audit: Audit
    people: dict[str, User]
    offices: dict[str, Office]
    extra: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, role: str) -> User:
        return self.people[role]


def _office(by: User, org: Organisation, name: str, state: str, **kw: Any) -> Office:
    return svc.office_add(by=by, organisation=org, data=svc.OfficeInput(name, state, **kw))


def build_world() -> AuditWorld:
    operator = make_user("operator", is_superuser=True, is_staff=True)
    people = {role: make_user(role, email=f"{role}@example.org") for role in ROLES}
    people["operator"] = operator
    standard_import_library()
    standard = standard_get("icss-illustrative")
    body = svc.body_create(by=operator, name="Customer Service Institute", reference="CSI")
    svc.body_role_grant(by=operator, body=body, user=people["body_admin"], role="administrator")
    admin = people["body_admin"]
    for role, name in [
        ("auditor", "auditor"),
        ("auditor_other", "auditor"),
        ("decision_maker", "decision_maker"),
    ]:
        svc.body_role_grant(by=admin, body=body, user=people[role], role=name)
    for role in ("auditor", "auditor_other"):  # both may lead an audit of the standard
        membership = auditor_membership(body.pk, people[role].pk)
        assert membership is not None
        competence_record(
            by=admin, membership=membership, kind="standard", standard=standard, on=clock.today()
        )
    acme = svc.organisation_create(by=admin, body=body, name="Acme Services", reference="ACME")
    retail = svc.division_add(by=admin, organisation=acme, name="Retail")
    offices = {
        "Sydney": _office(admin, acme, "Sydney", "NSW", is_main=True, complaints=2),
        "Parramatta": _office(admin, acme, "Parramatta", "NSW", complaints=9),
        "Newcastle": _office(
            admin, acme, "Newcastle", "NSW", division_id=retail.pk, is_division_main=True
        ),
        "Wollongong": _office(admin, acme, "Wollongong", "NSW", division_id=retail.pk),
        "Melbourne": _office(admin, acme, "Melbourne", "VIC", is_main=True),
        "Geelong": _office(
            admin, acme, "Geelong", "VIC", division_id=retail.pk, is_division_main=True
        ),
        "Perth": _office(admin, acme, "Perth", "WA", is_main=True),
    }
    other = svc.organisation_create(by=admin, body=body, name="Other Co", reference="OTHER")
    offices["Brisbane"] = _office(admin, other, "Brisbane", "QLD", is_main=True)
    svc.contact_grant(by=admin, organisation=acme, user=people["contact"])
    svc.contact_grant(by=admin, organisation=other, user=people["contact_other"])
    audit = svc.audit_create(by=admin, organisation=acme, standard=standard)
    svc.auditor_assign(by=admin, audit=audit, auditor=people["auditor"])
    world = AuditWorld(body, standard, acme, other, audit, people, offices)
    world.extra["retail"] = retail
    return world


@pytest.fixture
def aw(db: None, settings: Any, tmp_path: Path) -> AuditWorld:
    settings.ASSAY_TODAY = TODAY
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.FILE_UPLOAD_TEMP_DIR = None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    return build_world()


def to_fieldwork(w: AuditWorld, audit: Audit | None = None) -> Audit:
    """Self-assessment opened, the sample drawn with ``SEED``, fieldwork opened."""
    audit = audit or w.audit
    admin = w["body_admin"]
    svc.audit_advance(by=admin, audit=audit, to="self_assessment")
    svc.sample_draw(by=admin, audit=audit, seed=SEED)
    svc.audit_advance(by=admin, audit=audit, to="fieldwork")
    audit.refresh_from_db()
    return audit


def sampled_offices(audit: Audit) -> list[int]:
    return list(audit.sample.picks.values_list("office_id", flat=True))


def score_all(
    w: AuditWorld,
    score: int = 7,
    audit: Audit | None = None,
    overrides: dict[Any, int] | None = None,
) -> None:
    """The assigned auditor scores every attribute at every sampled office; ``overrides``
    maps (office name, attribute) to another score."""
    audit = audit or w.audit
    standard = standard_of(audit.standard)
    overrides = overrides or {}
    entries = []
    for office_id in sampled_offices(audit):
        name = Office.objects.get(pk=office_id).name
        for a in standard.attributes:
            value = overrides.get((name, a.code), score)
            entries.append(svc.SiteScoreInput(office_id, a.code, value, f"seen at {name}"))
    svc.site_score_record(by=w["auditor"], audit=audit, entries=entries)


def close_fieldwork(audit: Audit) -> None:
    """The lead auditor closes fieldwork (once), so a decision may be recorded."""
    from assay.audits.models import FieldworkReport

    if FieldworkReport.objects.filter(audit=audit).exists():
        return
    lead = audit.assignments.filter(lead=True).select_related("auditor").first()
    assert lead is not None, "the audit has no lead auditor"
    svc.fieldwork_close(by=lead.auditor, audit=audit, summary="Every sampled site visited.")


def close_and_decide(by: User, audit: Audit, **kw: Any) -> Any:
    """Close fieldwork (the lead auditor) and record the decision with a rationale."""
    close_fieldwork(audit)
    kw.setdefault("rationale", "The engine's reasons, reviewed.")
    return svc.decision_record(by=by, audit=audit, **kw)
