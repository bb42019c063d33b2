"""The engine's facts read from the database: each unit's assessment (``UnitRecord``), each
assessor's profile, the centre's verifiers and the sampling history.

Read with a fixed number of queries whatever the centre's size (values lists, no payloads):
the decisions of the qualification's registrations at the centre, their plan units and
confirmed mappings' methods, the staff's competence records and memberships, the earlier
picks and the open action points.

A unit's site is the centre's name: Assay records no assessment site per unit yet, so the
"site" dimension has one value per centre (docs/iqa.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Q, Subquery

from assay import clock
from assay.centres.models import Centre, Competence, CompetenceRole, Membership, Role
from assay.engines.verification import (
    AssessorProfile,
    Outcome,
    Period,
    Strategy,
    UnitRecord,
    Verification,
    Verifier,
    parse_strategy,
)
from assay.portfolios.models import CriterionMapping, Decision, DecisionKind, MappingStatus
from assay.registrations.models import PlanUnit, Registration
from assay.users import User
from assay.verification.models import SamplePick, SamplingStrategy
from assay.verification.models import Verification as VerificationRow

# The acts that make someone an assessor of a unit: none of them may verify it.
ASSESSMENT_ACTS = (
    DecisionKind.CRITERION_JUDGED,
    DecisionKind.MAPPING_CONFIRMED,
    DecisionKind.MAPPING_REJECTED,
    DecisionKind.UNIT_SIGNED_OFF,
    DecisionKind.SPAN_RECORDED,
)
LOCKS = (DecisionKind.UNIT_SIGNED_OFF, DecisionKind.UNIT_REOPENED)


def day_of(at: str) -> dt.date:
    """The day of a decision's hashed ISO time, in the offset it was recorded with."""
    return dt.datetime.fromisoformat(at).date()


def name_of(user: object) -> str:
    full = getattr(user, "get_full_name", lambda: "")()
    return str(full).strip() or str(getattr(user, "username", user))


def current_strategy(centre: Centre, code: str) -> tuple[SamplingStrategy | None, Strategy]:
    """The latest strategy row (None: the defaults) and the engine's strategy."""
    row = (
        SamplingStrategy.objects.filter(centre=centre, qualification_code=code)
        .order_by("-created_at", "-pk")
        .first()
    )
    data = dict(row.data) if row is not None else {}
    return row, parse_strategy({**data, "centre": str(centre.pk), "qualification": code})


def registrations_of(centre: Centre, code: str) -> Q:
    return Q(registration__centre=centre, registration__qualification__code=code)


def unit_records(
    centre: Centre, code: str, only: Iterable[tuple[int, str]] | None = None
) -> list[UnitRecord]:
    """Every assessed unit of the qualification's registrations at the centre (or ``only``
    those (registration, unit) pairs): four queries."""
    decisions = Decision.objects.filter(registrations_of(centre, code))
    mappings = CriterionMapping.objects.filter(
        item__registration__centre=centre,
        item__registration__qualification__code=code,
        status=MappingStatus.CONFIRMED,
    )
    plans = PlanUnit.objects.filter(registrations_of(centre, code))
    if only is not None:
        wanted = list(only)
        regs = {r for r, _ in wanted}
        decisions = decisions.filter(registration_id__in=regs)
        mappings = mappings.filter(item__registration_id__in=regs)
        plans = plans.filter(registration_id__in=regs)
    acts: dict[tuple[int, str], dict[str, object]] = {}
    rows = decisions.filter(kind__in=[*ASSESSMENT_ACTS, DecisionKind.UNIT_REOPENED]).order_by(
        "registration_id", "seq"
    )
    for reg, unit, kind, actor, at, candidate in rows.values_list(
        "registration_id", "unit_number", "kind", "actor_id", "at", "registration__candidate_id"
    ):
        state = acts.setdefault(
            (reg, unit),
            {"actors": set(), "updated": None, "signed": None, "signer": None, "cand": candidate},
        )
        day = day_of(at)
        if kind == DecisionKind.UNIT_REOPENED:
            state["signed"] = None
            continue
        state["actors"].add(actor)  # type: ignore[attr-defined]
        state["updated"] = day
        state["last_actor"] = actor
        if kind == DecisionKind.UNIT_SIGNED_OFF:
            state["signed"], state["signer"] = day, actor
    methods: dict[tuple[int, str], set[str]] = {}
    for reg, unit, method in mappings.values_list(
        "item__registration_id", "unit_number", "item__method"
    ):
        methods.setdefault((reg, unit), set()).add(method)
    assessors = dict(
        ((reg, unit), who)
        for reg, unit, who in plans.values_list("registration_id", "unit_number", "assessor_id")
    )
    keep = set(only) if only is not None else None
    out: list[UnitRecord] = []
    for key, state in sorted(acts.items()):
        if keep is not None and key not in keep:
            continue
        assessor = assessors.get(key) or state["signer"] or state.get("last_actor")
        out.append(
            UnitRecord(
                registration_id=str(key[0]),
                candidate_id=str(state["cand"]),
                unit=key[1],
                assessor_id=str(assessor),
                methods=frozenset(methods.get(key, set())),
                site=centre.name,
                updated_on=state["updated"],  # type: ignore[arg-type]
                signed_off_on=state["signed"],  # type: ignore[arg-type]
                actors=frozenset(str(a) for a in state["actors"]),  # type: ignore[attr-defined]
            )
        )
    return out


def open_action_points(user_ids: Iterable[int]) -> dict[int, int]:
    """Per assessor: picks of their units whose latest verification requires action."""
    latest = VerificationRow.objects.filter(pick=OuterRef("pk")).order_by("-at", "-pk")
    rows = (
        SamplePick.objects.filter(assessor_id__in=list(user_ids))
        .annotate(outcome=Subquery(latest.values("outcome")[:1]))
        .filter(outcome=Outcome.ACTION_REQUIRED)
        .values_list("assessor_id", "registration_id", "unit_number")
        .distinct()
    )
    counts: dict[int, int] = {}
    for assessor, _, _ in rows:
        counts[assessor] = counts.get(assessor, 0) + 1
    return counts


def assessor_profiles(
    centre: Centre, code: str, ids: Iterable[int], before: dt.date
) -> list[AssessorProfile]:
    """Profiles of ``ids``: started (the earliest of their assessor competence records' start
    and their assessor membership here), the A unit (earliest achieved), the qualifications
    they signed off a unit of before ``before``, and open action points."""
    ids = sorted(set(ids))
    users = get_user_model().objects.in_bulk(ids)
    started: dict[int, dt.date] = {}
    a_unit: dict[int, dt.date] = {}
    for who, start, achieved in Competence.objects.filter(
        user_id__in=ids, role=CompetenceRole.ASSESSOR
    ).values_list("user_id", "started_on", "achieved_on"):
        started[who] = min(started.get(who, start), start)
        if achieved is not None:
            a_unit[who] = min(a_unit.get(who, achieved), achieved)
    for who, granted in Membership.objects.filter(
        user_id__in=ids, centre=centre, role=Role.ASSESSOR
    ).values_list("user_id", "granted_at"):
        started[who] = min(started.get(who, granted.date()), granted.date())
    before_text = before.isoformat()
    earlier: dict[int, set[str]] = {}
    for who, qual in (
        Decision.objects.filter(
            kind=DecisionKind.UNIT_SIGNED_OFF, actor_id__in=ids, at__lt=before_text
        )
        .values_list("actor_id", "registration__qualification__code")
        .distinct()
    ):
        earlier.setdefault(who, set()).add(qual)
    points = open_action_points(ids)
    return [
        AssessorProfile(
            id=str(pk),
            name=name_of(users[pk]) if pk in users else str(pk),
            started_on=started.get(pk, before),
            a_unit_on=a_unit.get(pk),
            qualifications_before=frozenset(earlier.get(pk, set())),
            open_action_points=points.get(pk, 0),
        )
        for pk in ids
    ]


def verifier_of(user: User, centre: Centre) -> Verifier:
    """``user`` as the engine's verifier at ``centre``."""
    return verifiers([user.pk], centre)[0]


def verifiers(ids: Iterable[int], centre: Centre) -> list[Verifier]:
    """Verifiers with their V-unit status: started at the earliest IV competence record or
    IV/lead IQA membership here; the V unit at the earliest achieved."""
    ids = sorted(set(ids))
    users = get_user_model().objects.in_bulk(ids)
    started: dict[int, dt.date] = {}
    v_unit: dict[int, dt.date] = {}
    for who, start, achieved in Competence.objects.filter(
        user_id__in=ids, role=CompetenceRole.INTERNAL_VERIFIER
    ).values_list("user_id", "started_on", "achieved_on"):
        started[who] = min(started.get(who, start), start)
        if achieved is not None:
            v_unit[who] = min(v_unit.get(who, achieved), achieved)
    for who, granted in Membership.objects.filter(
        user_id__in=ids, centre=centre, role__in=(Role.INTERNAL_VERIFIER, Role.LEAD_IQA)
    ).values_list("user_id", "granted_at"):
        started[who] = min(started.get(who, granted.date()), granted.date())
    return [
        Verifier(
            id=str(pk),
            name=name_of(users[pk]) if pk in users else str(pk),
            started_on=started.get(pk, clock.today()),
            v_unit_on=v_unit.get(pk),
        )
        for pk in ids
        if pk in users
    ]


def team_of(centre: Centre, code: str) -> list[Verifier]:
    """The centre's internal verifiers for the qualification (active, for every
    qualification or this one); the lead IQAs when there is none."""
    scope = Q(qualification_code="") | Q(qualification_code=code)
    members = Membership.objects.filter(scope, centre=centre, active=True)
    ids = list(members.filter(role=Role.INTERNAL_VERIFIER).values_list("user_id", flat=True))
    if not ids:
        ids = list(members.filter(role=Role.LEAD_IQA).values_list("user_id", flat=True))
    return verifiers(ids, centre)


def history(centre: Centre, code: str, before: dt.date) -> list[Verification]:
    """Units picked in the draws of periods that ended before ``before``, dated at the end
    of their period (so re-drawing a period never counts its own earlier draws)."""
    rows = SamplePick.objects.filter(
        draw__centre=centre, draw__qualification_code=code, draw__period_end__lt=before
    ).values_list(
        "registration_id",
        "registration__candidate_id",
        "unit_number",
        "assessor_id",
        "methods",
        "site",
        "draw__period_end",
    )
    return [
        Verification(str(reg), str(cand), unit, str(who), frozenset(methods), site, on)
        for reg, cand, unit, who, methods, site, on in rows
    ]


@dataclass(frozen=True)
class Facts:
    """What a draw, the gaps and the coverage read for one period."""

    strategy_row: SamplingStrategy | None
    strategy: Strategy
    period: Period
    records: list[UnitRecord]
    assessors: list[AssessorProfile]
    history: list[Verification]


def facts_of(centre: Centre, code: str, period: Period) -> Facts:
    row, strategy = current_strategy(centre, code)
    records = unit_records(centre, code)
    ids = {int(r.assessor_id) for r in records if r.assessor_id.isdigit()}
    assessors = assessor_profiles(centre, code, ids, period.start)
    return Facts(row, strategy, period, records, assessors, history(centre, code, period.start))


def qualification_known(centre: Centre, code: str) -> bool:
    return Registration.objects.filter(centre=centre, qualification__code=code).exists()
