"""Demo audits: a certifying body, two client organisations and their audits at every outcome.

Made for the demo date 01/03/2013 (``ASSAY_TODAY=2013-03-01``, ADR 0007). Everything goes
through the services with the clock pinned to the day each step happened, so the data obey the
rules they show:

* Southern Cross Utilities: certified in February 2012 (that certificate expired on
  20/02/2013), re-certified on 18/02/2013 with better scores (valid until 18/02/2014), and its
  autonomous Energy Retail division certified on its own on 15/10/2012 (valid);
* Harbourside Ferries: refused on 25/02/2013, because a mandatory attribute (S1.1, the service
  charter) sits at Intention at Hobart, Tasmania's main office.

Each audit has management's self-assessment (so the gap analysis has data), a sample drawn
from a fixed seed, every sampled site scored by an assigned auditor, and a decision recorded by
a decision maker who scored nothing. Idempotent: an organisation already there is skipped.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test.utils import override_settings

from assay import clock
from assay.audits import services as svc
from assay.audits.certificates import certificate_issue
from assay.audits.competence import auditor_membership, competence_record
from assay.audits.models import Audit, CertifyingBody, Organisation, StandardVersion
from assay.audits.planning import plan_set
from assay.audits.standards import standard_import_library, standard_of

PASSWORD = "assay-demo"
BODY_REFERENCE = "CSCA"
STANDARD = "icss-illustrative"
D = dt.date

# username, first name, last name, body role (None: an organisation contact)
PEOPLE = [
    ("cora", "Cora", "Quinn", "administrator"),
    ("arun", "Arun", "Patel", "auditor"),
    ("beth", "Beth", "Murray", "auditor"),
    ("dmitri", "Dmitri", "Volkov", "decision_maker"),
    ("sean", "Sean", "Ryan", None),
    ("hana", "Hana", "Kato", None),
]

# name, state, organisation's main office there, division (its main office there)
SOUTHERN_CROSS = [
    ("Sydney", "NSW", True, None),
    ("Parramatta", "NSW", False, None),
    ("Wollongong", "NSW", False, None),
    ("Newcastle", "NSW", False, "main"),
    ("Melbourne", "VIC", True, None),
    ("Ballarat", "VIC", False, None),
    ("Geelong", "VIC", False, "main"),
    ("Bendigo", "VIC", False, "office"),
    ("Brisbane", "QLD", True, None),
    ("Gold Coast", "QLD", False, None),
    ("Perth", "WA", True, None),
]
HARBOURSIDE = [
    ("Circular Quay", "NSW", True, None),
    ("Manly", "NSW", False, None),
    ("Parramatta Wharf", "NSW", False, None),
    ("Hobart", "TAS", True, None),
    ("Bruny Island", "TAS", False, None),
    ("Darwin", "NT", True, None),
]
COMPLAINTS = {"Parramatta": 7, "Gold Coast": 4, "Manly": 6, "Bruny Island": 2}


@dataclass(frozen=True, slots=True)
class DemoAudit:
    """One audit's story: the days each step happened, the auditor, the level the sites score
    around, and scores that differ from it ((office, attribute) → score)."""

    planned: dt.date
    visited: dt.date
    decided: dt.date
    auditor: str
    level: int
    seed: int
    division: bool = False
    follows: Audit | None = None
    overrides: tuple[tuple[str, str, int], ...] = ()


def _pinned(day: dt.date) -> override_settings:
    """The one clock, pinned to the day a demo step happened."""
    return override_settings(ASSAY_TODAY=day.isoformat())


def _people() -> dict[str, Any]:
    users = get_user_model()
    who = {}
    for username, first, last, _ in PEOPLE:
        user, created = users.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
        )
        if created:
            user.set_password(PASSWORD)
            user.save()
        who[username] = user
    return who


def _body(operator: Any, who: dict[str, Any]) -> CertifyingBody:
    body = CertifyingBody.objects.filter(reference=BODY_REFERENCE).first()
    if body is None:
        body = svc.body_create(
            by=operator, name="Customer Service Certification Australia", reference=BODY_REFERENCE
        )
    for username, _, _, role in PEOPLE:
        if role is not None:
            granter = operator if role == "administrator" else who["cora"]
            svc.body_role_grant(by=granter, body=body, user=who[username], role=role)
    return body


def _score(level: int, site: int, attribute: int, mandatory: bool) -> int:
    """A site's score of an attribute: scattered around the audit's level (±1), desirable
    attributes a little lower; never below Implementation for a mandatory one."""
    score = level + (site + 2 * attribute) % 3 - 1 - (0 if mandatory else 1)
    return max(3 if mandatory else 0, min(10, score))


def _run(
    organisation: Organisation, standard: StandardVersion, who: dict[str, Any], story: DemoAudit
) -> Audit:
    """Plan, self-assess, sample, score, decide and (when certifiable) certify one audit."""
    cora, dmitri = who["cora"], who["dmitri"]
    contact = who["sean" if organisation.reference == "SCU" else "hana"]
    auditor = who[story.auditor]
    with _pinned(story.planned):
        if story.follows is not None:
            audit = svc.audit_recertify(by=cora, previous=story.follows)
        else:
            division = organisation.divisions.first() if story.division else None
            audit = svc.audit_create(
                by=cora, organisation=organisation, standard=standard, division=division
            )
        _qualify(cora, audit, auditor)
        svc.auditor_assign(by=cora, audit=audit, auditor=auditor)
        svc.audit_advance(by=cora, audit=audit, to="self_assessment")
    engine = standard_of(standard)
    with _pinned(story.planned + dt.timedelta(days=7)):
        svc.self_assessment_record(
            by=contact,
            audit=audit,
            entries=[
                svc.SelfScoreInput(
                    a.code,
                    min(10, story.level + 3 - i % 3),
                    "Management's view after the planning day",
                )
                for i, a in enumerate(engine.attributes)
            ],
        )
        draw = svc.sample_draw(by=cora, audit=audit, seed=story.seed)
        # One day on site: the opening meeting, every sampled office, the closing meeting.
        plan_set(
            by=cora,
            audit=audit,
            opening_on=story.visited,
            closing_on=story.visited,
            fieldwork={p.office_id: [story.visited] for p in draw.picks.all()},
        )
        svc.audit_advance(by=auditor, audit=audit, to="fieldwork")
    overrides = {(office, code): score for office, code, score in story.overrides}
    entries = []
    for s, pick in enumerate(draw.picks.select_related("office").order_by("position")):
        for i, a in enumerate(engine.attributes):
            score = overrides.get(
                (pick.office.name, a.code), _score(story.level, s, i, a.mandatory)
            )
            entries.append(
                svc.SiteScoreInput(pick.office_id, a.code, score, f"Seen at {pick.office.name}")
            )
    with _pinned(story.visited):
        svc.site_score_record(by=auditor, audit=audit, entries=entries)
        svc.fieldwork_close(
            by=auditor, audit=audit, summary="Every sampled site visited and scored."
        )
    with _pinned(story.decided):
        decision = svc.decision_record(
            by=dmitri, audit=audit, rationale="The engine's reasons, reviewed with the report."
        )
        if decision.certifiable:
            certificate_issue(by=dmitri, audit=audit)
    return audit


def _qualify(cora: Any, audit: Audit, auditor: Any) -> None:
    """The lead auditor holds the qualification for the standard version (recorded once)."""
    membership = auditor_membership(audit.body_id, auditor.pk)
    assert membership is not None
    if not membership.competence.filter(kind="standard", standard=audit.standard).exists():
        competence_record(
            by=cora,
            membership=membership,
            kind="standard",
            standard=audit.standard,
            on=clock.today(),
            note="Qualified for the demo",
        )


def _organisation(
    body: CertifyingBody,
    who: dict[str, Any],
    name: str,
    reference: str,
    offices: Sequence[tuple[str, str, bool, str | None]],
    division: str | None,
) -> Organisation:
    cora = who["cora"]
    organisation = svc.organisation_create(by=cora, body=body, name=name, reference=reference)
    division_id = None
    if division is not None:
        division_id = svc.division_add(by=cora, organisation=organisation, name=division).pk
    for office, state, is_main, in_division in offices:
        svc.office_add(
            by=cora,
            organisation=organisation,
            data=svc.OfficeInput(
                office,
                state,
                is_main=is_main,
                is_division_main=in_division == "main",
                division_id=division_id if in_division else None,
                complaints=COMPLAINTS.get(office, 0),
                headcount=12 + 9 * len(office),  # a made-up staff number, for audit time
            ),
        )
    contact = who["sean" if reference == "SCU" else "hana"]
    svc.contact_grant(by=cora, organisation=organisation, user=contact)
    return organisation


def demo_audits_load() -> Iterator[str]:
    """Create the certifying body, its people, both organisations and their audits, skipping
    an organisation that is already there."""
    standard_import_library()
    standard = StandardVersion.objects.filter(code=STANDARD).order_by("-version").first()
    if standard is None:  # pragma: no cover - the library ships it
        raise RuntimeError(f"the audit library has no {STANDARD}")
    operator = get_user_model().objects.get(username="admin")
    who = _people()
    yield "audit people: " + ", ".join(username for username, *_ in PEOPLE)
    body = _body(operator, who)
    yield f"certifying body {body.name}: in place"
    if Organisation.objects.filter(reference="SCU").exists():
        yield "Southern Cross Utilities: exists"
    else:
        with transaction.atomic():
            with _pinned(D(2012, 1, 2)):
                scu = _organisation(
                    body, who, "Southern Cross Utilities", "SCU", SOUTHERN_CROSS, "Energy Retail"
                )
            first = _run(
                scu,
                standard,
                who,
                DemoAudit(D(2012, 1, 9), D(2012, 2, 6), D(2012, 2, 20), "arun", 5, 2012_01_09),
            )
            _run(
                scu,
                standard,
                who,
                DemoAudit(
                    D(2012, 9, 3),
                    D(2012, 10, 1),
                    D(2012, 10, 15),
                    "beth",
                    6,
                    2012_09_03,
                    division=True,
                ),
            )
            _run(
                scu,
                standard,
                who,
                DemoAudit(
                    D(2013, 1, 14),
                    D(2013, 2, 4),
                    D(2013, 2, 18),
                    "arun",
                    6,
                    2013_01_14,
                    follows=first,
                ),
            )
        yield "Southern Cross Utilities: certified 2012, division certified, re-certified 2013"
    if Organisation.objects.filter(reference="HBF").exists():
        yield "Harbourside Ferries: exists"
    else:
        with transaction.atomic():
            with _pinned(D(2013, 1, 7)):
                hbf = _organisation(body, who, "Harbourside Ferries", "HBF", HARBOURSIDE, None)
            _run(
                hbf,
                standard,
                who,
                DemoAudit(
                    D(2013, 1, 21),
                    D(2013, 2, 11),
                    D(2013, 2, 25),
                    "beth",
                    5,
                    2013_01_21,
                    overrides=(("Hobart", "S1.1", 2),),
                ),
            )
        yield "Harbourside Ferries: refused (S1.1 at Intention at Hobart, TAS)"
