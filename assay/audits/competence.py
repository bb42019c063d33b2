"""Auditor competence and conflicts of interest (issue 15), and the check at assignment.

A body's administrators record what an auditor may audit (a standard version), their
training and the audits they were observed on; an administrator or the auditor themself
declares a conflict of interest with a client organisation. Every record is append-only and
chained per auditor membership (``competence:<membership id>``), reconciled by ``records
verify`` like the audit chains. ``assignment_facts`` feeds the engine's ``assignment_check``
(``assay.engines.programme.assignment``): a conflict refuses any assignment, no qualification
for the audit's standard version refuses the lead.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from pydantic import BaseModel, ConfigDict

from assay import clock
from assay.audits import permissions as perm
from assay.audits.models import (
    Audit,
    BodyMembership,
    BodyRole,
    CompetenceKind,
    CompetenceRecord,
    ConflictDeclaration,
    Organisation,
    StandardVersion,
)
from assay.engines.plausible import business_date_problem, reason_problem, text_problem
from assay.engines.programme.assignment import AssignmentCheck, AuditorFacts, Conflict
from assay.engines.programme.assignment import assignment_check as engine_check
from assay.engines.records import chain
from assay.errors import InvalidInput, NotAllowed, NotFound
from assay.records.registry import Problem, day_text, moment_text, subject_id
from assay.users import AnyUser, User

PREFIX = "competence"
RECORDED = "competence_recorded"  # {"record": record_fields}
DECLARED = "conflict_declared"  # {"conflict": conflict_fields}


class AssignmentRefused(InvalidInput):
    """The engine refused the assignment; ``reasons`` are its (code, text); nothing changed."""

    def __init__(self, reasons: Sequence[tuple[str, str]]) -> None:
        self.reasons = list(reasons)
        super().__init__({"auditor": " ".join(text for _, text in self.reasons)})


def chain_name(membership_id: int) -> str:
    return f"{PREFIX}:{membership_id}"


def record_fields(r: CompetenceRecord) -> dict[str, Any]:
    return {
        "id": r.pk,
        "membership": r.membership_id,
        "kind": r.kind,
        "standard": r.standard_id,
        "title": r.title,
        "on": day_text(r.on),
        "note": r.note,
        "recorded_by": r.recorded_by_id,
        "recorded_at": moment_text(r.recorded_at),
    }


def conflict_fields(c: ConflictDeclaration) -> dict[str, Any]:
    return {
        "id": c.pk,
        "membership": c.membership_id,
        "organisation": c.organisation_id,
        "reason": c.reason,
        "declared_on": day_text(c.declared_on),
        "declared_by": c.declared_by_id,
        "declared_at": moment_text(c.declared_at),
    }


def _append(membership: BodyMembership, kind: str, payload: Mapping[str, Any], by: User) -> None:
    from assay.records.services import record_append

    record_append(chain_name(membership.pk), kind=kind, payload=payload, by=by)


def auditor_membership(body_id: int, user_id: int) -> BodyMembership | None:
    return BodyMembership.objects.filter(
        body_id=body_id, user_id=user_id, role=BodyRole.AUDITOR
    ).first()


def membership_get(user: AnyUser, pk: int) -> BodyMembership:
    """An auditor membership ``user`` may read: the body's administrators and decision makers
    read every auditor's; an auditor their own. NotFound otherwise (missing alike)."""
    m = (
        BodyMembership.objects.filter(pk=pk, role=BodyRole.AUDITOR)
        .select_related("user", "body")
        .first()
    )
    if m is None or not (
        perm.is_operator(user)
        or perm.has_body_role(user, m.body_id, BodyRole.ADMINISTRATOR)
        or perm.has_body_role(user, m.body_id, BodyRole.DECISION_MAKER)
        or (user.is_authenticated and m.user_id == user.pk)
    ):
        raise NotFound(f"no auditor {pk}")
    return m


def _day(errors: dict[str, str], field: str, day: dt.date) -> None:
    if problem := business_date_problem(day, clock.today()):
        errors[field] = problem
    elif day > clock.today():
        errors[field] = "a record says what happened: the date cannot be in the future"


def competence_record(
    *,
    by: User,
    membership: BodyMembership,
    kind: str,
    on: dt.date,
    standard: StandardVersion | None = None,
    title: str = "",
    note: str = "",
) -> CompetenceRecord:
    """Add one competence record (qualified for a standard version, training, observed
    audit); the body's administrators do. Never edited."""
    if not perm.can_administer(by, membership.body_id):
        raise NotAllowed("only the certifying body's administrators record competence")
    errors: dict[str, str] = {}
    if kind not in CompetenceKind.values:
        errors["kind"] = f"unknown kind {kind!r}; one of {', '.join(CompetenceKind.values)}"
    if kind == CompetenceKind.STANDARD and standard is None:
        errors["standard"] = "name the standard version the auditor may audit"
    if kind != CompetenceKind.STANDARD and standard is not None:
        errors["standard"] = "only a qualification names a standard"
    if kind == CompetenceKind.TRAINING and (p := reason_problem(title, "the training's title")):
        errors["title"] = p
    elif p := text_problem(title):
        errors["title"] = f"the title {p}"
    if len(title) > 200:
        errors["title"] = "the title is at most 200 characters"
    if kind == CompetenceKind.OBSERVED and (p := reason_problem(note, "a note on the audit")):
        errors["note"] = p
    elif p := text_problem(note, multiline=True):
        errors["note"] = f"the note {p}"
    _day(errors, "on", on)
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        BodyMembership.objects.select_for_update().get(pk=membership.pk)
        row = CompetenceRecord.objects.create(
            membership=membership,
            kind=kind,
            standard=standard,
            title=title.strip(),
            on=on,
            note=note.strip(),
            recorded_by_id=by.pk,
        )
        _append(membership, RECORDED, {"record": record_fields(row)}, by)
    return row


def conflict_declare(
    *, by: User, membership: BodyMembership, organisation: Organisation, reason: str
) -> ConflictDeclaration:
    """Declare the auditor's conflict of interest with a client (the auditor or the body's
    administrators); dated today, never withdrawn here."""
    own = by.is_authenticated and membership.user_id == by.pk
    if not (own or perm.can_administer(by, membership.body_id)):
        raise NotAllowed("an auditor declares their own conflicts, or the body's administrators")
    if organisation.body_id != membership.body_id:
        raise InvalidInput({"organisation": "not a client of this certifying body"})
    if problem := reason_problem(reason):
        raise InvalidInput({"reason": problem})
    with transaction.atomic():
        BodyMembership.objects.select_for_update().get(pk=membership.pk)
        row = ConflictDeclaration.objects.create(
            membership=membership,
            organisation=organisation,
            reason=reason.strip(),
            declared_on=clock.today(),
            declared_by_id=by.pk,
        )
        _append(membership, DECLARED, {"conflict": conflict_fields(row)}, by)
    return row


# --- assignment ------------------------------------------------------------------------------


def assignment_facts(body_id: int, auditor: User) -> AuditorFacts:
    m = auditor_membership(body_id, auditor.pk)
    qualified: frozenset[tuple[str, int]] = frozenset()
    conflicts: tuple[Conflict, ...] = ()
    if m is not None:
        qualified = frozenset(
            (code, version)
            for code, version in CompetenceRecord.objects.filter(
                membership=m, kind=CompetenceKind.STANDARD
            ).values_list("standard__code", "standard__version")
        )
        conflicts = tuple(
            Conflict(org, reason, on)
            for org, reason, on in ConflictDeclaration.objects.filter(membership=m).values_list(
                "organisation_id", "reason", "declared_on"
            )
        )
    return AuditorFacts(auditor.get_full_name() or auditor.get_username(), qualified, conflicts)


def assignment_check(audit: Audit, auditor: User, *, lead: bool) -> AssignmentCheck:
    """The engine's answer for assigning ``auditor`` to ``audit`` (as lead when ``lead``)."""
    return engine_check(
        assignment_facts(audit.body_id, auditor),
        organisation=audit.organisation_id,
        organisation_name=audit.organisation.name,
        standard=(audit.standard.code, audit.standard.version),
        lead=lead,
    )


# --- reads ---------------------------------------------------------------------------------


class Answer(BaseModel):
    model_config = ConfigDict(frozen=True)


class AuditorCompetenceRecordOut(Answer):
    id: int
    kind: str
    standard: str | None  # "icss v1"
    title: str
    on: dt.date
    note: str
    recorded_by: str
    recorded_at: dt.datetime


class AuditorConflictOut(Answer):
    id: int
    organisation: int
    organisation_name: str
    reason: str
    declared_on: dt.date
    declared_by: str


class AuditorCompetenceOut(Answer):
    membership: int
    body: int
    username: str
    name: str
    qualified_for: list[str]
    records: list[AuditorCompetenceRecordOut]
    conflicts: list[AuditorConflictOut]


def competence_answer(m: BodyMembership) -> AuditorCompetenceOut:
    records = list(
        CompetenceRecord.objects.filter(membership=m).select_related("standard", "recorded_by")
    )
    conflicts = ConflictDeclaration.objects.filter(membership=m).select_related(
        "organisation", "declared_by"
    )
    label = {r.pk: f"{r.standard.code} v{r.standard.version}" for r in records if r.standard}
    return AuditorCompetenceOut(
        membership=m.pk,
        body=m.body_id,
        username=m.user.get_username(),
        name=m.user.get_full_name() or m.user.get_username(),
        qualified_for=sorted({label[r.pk] for r in records if r.pk in label}),
        records=[
            AuditorCompetenceRecordOut(
                id=r.pk,
                kind=r.kind,
                standard=label.get(r.pk),
                title=r.title,
                on=r.on,
                note=r.note,
                recorded_by=r.recorded_by.get_username(),
                recorded_at=r.recorded_at,
            )
            for r in records
        ],
        conflicts=[
            AuditorConflictOut(
                id=c.pk,
                organisation=c.organisation_id,
                organisation_name=c.organisation.name,
                reason=c.reason,
                declared_on=c.declared_on,
                declared_by=c.declared_by.get_username(),
            )
            for c in conflicts
        ],
    )


def auditor_competence(user: AnyUser, pk: int) -> AuditorCompetenceOut:
    return competence_answer(membership_get(user, pk))


# --- reconciliation ------------------------------------------------------------------------


def reconcile(chains: Mapping[str, Sequence[chain.Record]], only: str | None) -> list[Problem]:
    """Compare every competence and conflict row with what its auditor's chain recorded."""
    wanted = subject_id(only) if only is not None else None
    stored: dict[int, dict[tuple[str, int], dict[str, Any]]] = defaultdict(dict)
    records = CompetenceRecord.objects.all()
    conflicts = ConflictDeclaration.objects.all()
    if only is not None:
        records, conflicts = (
            records.filter(membership_id=wanted),
            conflicts.filter(membership_id=wanted),
        )
    for r in records:
        stored[r.membership_id][("competence record", r.pk)] = record_fields(r)
    for c in conflicts:
        stored[c.membership_id][("conflict declaration", c.pk)] = conflict_fields(c)
    implied: dict[int, dict[tuple[str, int], dict[str, Any]]] = defaultdict(dict)
    problems: list[Problem] = []
    for name, chain_records in chains.items():
        mid = subject_id(name)
        if mid is None:
            problems.append(Problem(name, "not a competence chain name (competence:<id>)"))
            continue
        for rec in chain_records:
            try:
                if rec.kind == RECORDED:
                    implied[mid][("competence record", int(rec.payload["record"]["id"]))] = dict(
                        rec.payload["record"]
                    )
                elif rec.kind == DECLARED:
                    implied[mid][("conflict declaration", int(rec.payload["conflict"]["id"]))] = (
                        dict(rec.payload["conflict"])
                    )
                else:
                    raise KeyError(rec.kind)
            except (KeyError, TypeError, ValueError) as error:
                problems.append(Problem(name, f"record {rec.seq}: unreadable payload ({error})"))
    for mid in sorted(stored.keys() | implied.keys()):
        name = chain_name(mid)
        rows, said = stored.get(mid, {}), implied.get(mid, {})
        for key in sorted(rows.keys() | said.keys()):
            what = f"{key[0]} {key[1]}"
            if key not in said:
                problems.append(Problem(name, f"{what} was never recorded in the chain"))
            elif key not in rows:
                problems.append(Problem(name, f"{what} is in the chain but its row is gone"))
            elif rows[key] != said[key]:
                changed = sorted(k for k in rows[key] if rows[key].get(k) != said[key].get(k))
                problems.append(
                    Problem(name, f"{what}: {', '.join(changed)} differ from the chain")
                )
    return problems


def register() -> None:
    from assay.records.registry import reconciler_register

    reconciler_register(PREFIX, reconcile)
