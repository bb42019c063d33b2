"""Learning plans for many registrations at once: a cohort just registered by bulk import
(and ``assay bench import`` / ``bench scale``, which plan thousands of learners).

``plans_set_many`` makes the checks ``plans.plan_set`` makes for each plan (units of the
qualification, units without content, each assessor an assessor at the centre, within their
A/V deadline, never on their own registration) and writes what it writes (the plan units and a
``plan_set`` record on each enrolment chain), but reads each qualification's units and each
assessor's role and competence once, and inserts a chunk of registrations at a time in one
transaction: all the plans or none. Each registration keeps its internal verifier and its
choice about units without content (``plan_set`` changes those one registration at a time).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from assay import clock
from assay.catalogue.models import Qualification
from assay.catalogue.selectors import qualification_engine_spec, units_without_content
from assay.centres.models import Centre, Role
from assay.centres.permissions import can_administer, roles_at
from assay.centres.services import can_take_new_candidates
from assay.engines.accounts import duties
from assay.errors import InvalidInput, NotAllowed
from assay.records.services import record_append_many
from assay.registrations.enrolment import chain_name, plan_unit_fields
from assay.registrations.models import PlanUnit, Registration
from assay.registrations.plans import PlanUnitInput, without_content_refusal
from assay.registrations.selectors import credited_of
from assay.registrations.signals import progress_changed
from assay.users import User

CHUNK = 1000


class _Assessor:
    """One assessor as the checks read them, resolved once per call."""

    def __init__(self, user: Any, centre: Centre, today: Any) -> None:
        self.user = user
        self.name = user.get_username() if user is not None else ""
        self.at_centre = user is not None and Role.ASSESSOR in roles_at(user, centre)
        self.can_take = user is not None and can_take_new_candidates(user, today)


def plans_set_many(
    *,
    by: User,
    centre: Centre,
    plans: Iterable[tuple[int, Sequence[PlanUnitInput]]],
) -> int:
    """Replace the learning plan of each ``(registration id, units)`` at ``centre``, in one
    transaction; InvalidInput lists every problem ("registration 12: unit 999" …) and nothing
    is saved. Returns the number of plans set."""
    if not can_administer(by, centre):
        raise NotAllowed("only a centre administrator can change the learning plan")
    today = clock.today()
    quals: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
    assessors: dict[int, _Assessor] = {}
    errors: dict[str, str] = {}
    seen: set[int] = set()
    count = 0
    with transaction.atomic():
        it = iter(plans)
        while chunk := list(islice(it, CHUNK)):
            count += len(chunk)
            for pk, units in chunk:
                if pk in seen:
                    errors[f"registration {pk}"] = "planned twice"
                seen.add(pk)
                twice = sorted({u.unit for u in units if [v.unit for v in units].count(u.unit) > 1})
                if twice:
                    errors[f"registration {pk}: unit {twice[0]}"] = "planned twice"
            found = _check_chunk(centre, chunk, quals, assessors, today, errors)
            if not errors:
                _write_chunk(by, chunk, found)
        if errors:
            raise InvalidInput(errors)
    return count


def _check_chunk(
    centre: Centre,
    chunk: Sequence[tuple[int, Sequence[PlanUnitInput]]],
    quals: dict[int, tuple[frozenset[str], frozenset[str]]],
    assessors: dict[int, _Assessor],
    today: Any,
    errors: dict[str, str],
) -> dict[int, tuple[int | None, bool]]:
    """Every problem of the chunk's plans into ``errors``; answers each registration's
    (internal verifier, allow units without content), the columns its record restates."""
    ids = [pk for pk, _ in chunk]
    rows = {
        pk: (qual_id, iv, allow, candidate_user)
        for pk, qual_id, iv, allow, candidate_user in Registration.objects.select_for_update(
            of=("self",)
        )
        .filter(pk__in=ids, centre=centre)
        .values_list(
            "pk",
            "qualification_id",
            "internal_verifier_id",
            "allow_units_without_content",
            "candidate__user_id",
        )
    }
    missing = [pk for pk in ids if pk not in rows]
    for qual in Qualification.objects.select_related("spec").filter(
        pk__in={r[0] for r in rows.values()} - set(quals)
    ):
        numbers = frozenset(u.number for u in qualification_engine_spec(qual).units)
        quals[qual.pk] = (numbers, units_without_content(qual))
    wanted = {u.assessor_id for _, units in chunk for u in units if u.assessor_id is not None}
    users = get_user_model().objects.in_bulk(wanted - set(assessors))
    for pk in wanted - set(assessors):
        assessors[pk] = _Assessor(users.get(pk), centre, today)
    credited = credited_of(ids)
    already = _already_assessing(ids, [a for a, x in assessors.items() if not x.can_take])
    for pk in missing:
        errors[f"registration {pk}"] = "not a registration at this centre"
    for pk, units in chunk:
        if pk not in rows:
            continue
        qual_id, _, allow, candidate_user = rows[pk]
        numbers, without = quals[qual_id]
        blocked = set() if allow else set(without) - set(credited.get(pk, ()))
        for item in units:
            where = f"registration {pk}"
            if item.unit not in numbers:
                errors[f"{where}: unit {item.unit}"] = f"unknown unit {item.unit!r}"
            elif item.unit in blocked:
                errors[f"{where}: unit {item.unit}"] = without_content_refusal(item.unit)
            if item.assessor_id is None:
                continue
            assessor = assessors[item.assessor_id]
            own = duties.may_take_duty(
                duty="assessor",
                own_registration=candidate_user is not None and candidate_user == item.assessor_id,
                name=assessor.name,
            ).reason
            if assessor.user is not None and own:
                errors[f"{where}: assessor {item.unit}"] = own
            elif not assessor.at_centre:
                errors[f"{where}: assessor {item.unit}"] = "not an assessor at this centre"
            elif not assessor.can_take and (pk, item.unit, item.assessor_id) not in already:
                errors[f"{where}: assessor {item.unit}"] = (
                    f"{assessor.name} is past their A/V unit deadline and cannot be given "
                    "new candidates"
                )
    return {pk: (row[1], row[2]) for pk, row in rows.items()}


def _already_assessing(ids: list[int], assessor_ids: list[int]) -> set[tuple[int, str, int]]:
    if not assessor_ids:
        return set()
    return set(
        PlanUnit.objects.filter(registration_id__in=ids, assessor_id__in=assessor_ids).values_list(
            "registration_id", "unit_number", "assessor_id"
        )
    )


def _write_chunk(
    by: User,
    chunk: Sequence[tuple[int, Sequence[PlanUnitInput]]],
    columns: dict[int, tuple[int | None, bool]],
) -> None:
    ids = [pk for pk, _ in chunk]
    PlanUnit.objects.filter(registration_id__in=ids).delete()
    written = PlanUnit.objects.bulk_create(
        PlanUnit(
            registration_id=pk,
            unit_number=u.unit,
            assessor_id=u.assessor_id,
            target_date=u.target_date,
        )
        for pk, units in chunk
        for u in units
    )
    progress_changed(ids)  # bulk_create sends no model signal
    by_registration: dict[int, list[PlanUnit]] = {}
    for unit in written:
        by_registration.setdefault(unit.registration_id, []).append(unit)
    record_append_many(
        [
            (
                chain_name(pk),
                "plan_set",
                {
                    "registration": pk,
                    "set": {
                        "internal_verifier": columns[pk][0],
                        "allow_units_without_content": columns[pk][1],
                    },
                    "replace": {
                        "plan_unit": [
                            plan_unit_fields(u)
                            for u in sorted(
                                by_registration.get(pk, []), key=lambda u: u.unit_number
                            )
                        ]
                    },
                },
            )
            for pk in ids
        ],
        by=by,
    )
