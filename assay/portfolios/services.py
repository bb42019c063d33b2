"""Writes for evidence: items, files, authenticity declarations and mapping proposals.

Every service checks the user's role and relation to the candidate first. The assessor's acts
(confirming mappings, judging, signing off, reopening) are in ``assessment.py``.
"""

from __future__ import annotations

import datetime as dt
from typing import IO

from django.conf import settings
from django.core.files import File
from django.db import transaction

from assay import clock
from assay.centres.models import Role
from assay.centres.permissions import roles_at
from assay.errors import InvalidInput, NotAllowed
from assay.files.digest import text_sha256
from assay.files.storage import store_upload
from assay.notifications import events
from assay.portfolios.coverage import refuse_without_content, unit_spec, unit_targets
from assay.portfolios.models import (
    AuthenticityDeclaration,
    CriterionMapping,
    EvidenceContext,
    EvidenceFile,
    EvidenceItem,
    MappingStatus,
    Method,
)
from assay.portfolios.records import refuse_if_signed_off, registration_lock
from assay.portfolios.waiting import waiting_refresh
from assay.registrations.models import Registration
from assay.users import AnyUser, User


def is_candidate(user: AnyUser, registration: Registration) -> bool:
    return user.is_authenticated and registration.candidate.user_id == user.pk


def is_assessor_of(user: AnyUser, registration: Registration, unit: str | None = None) -> bool:
    """An assessor at the centre with this unit (or any unit) of the plan assigned to them, and
    never the registration's own candidate (separation of duties, even if a plan says so)."""
    if is_candidate(user, registration):
        return False
    if Role.ASSESSOR not in roles_at(user, registration.centre):
        return False
    plan = registration.plan_units.filter(assessor_id=user.pk)
    return plan.filter(unit_number=unit).exists() if unit is not None else plan.exists()


def _check_portfolio_writer(user: User, registration: Registration) -> None:
    if not (is_candidate(user, registration) or is_assessor_of(user, registration)):
        raise NotAllowed("only the candidate or an assessor of theirs can add evidence")


def evidence_add(
    *,
    by: User,
    registration: Registration,
    method: str,
    started_on: dt.date,
    ended_on: dt.date | None = None,
    place: str = "",
    description: str,
    context: str,
    simulation_exception: bool = False,
) -> EvidenceItem:
    """A new evidence item in the candidate's portfolio (no files yet)."""
    _check_portfolio_writer(by, registration)
    ended = ended_on or started_on
    today = clock.today()
    errors: dict[str, str] = {}
    if method not in Method.values:
        errors["method"] = f"choose one of {', '.join(Method.values)}"
    if context not in EvidenceContext.values:
        errors["context"] = f"choose one of {', '.join(EvidenceContext.values)}"
    if started_on > today:
        errors["started_on"] = f"{started_on} is in the future (today is {today})"
    if ended > today:
        errors["ended_on"] = f"{ended} is in the future (today is {today})"
    if ended < started_on:
        errors["ended_on"] = f"the evidence ends {ended} before it starts {started_on}"
    if not description.strip():
        errors["description"] = "describe what the evidence shows"
    if simulation_exception and context != EvidenceContext.SIMULATION:
        errors["simulation_exception"] = "only simulated evidence can be a staged exception"
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        item = EvidenceItem.objects.create(
            registration=registration,
            method=method,
            started_on=started_on,
            ended_on=ended,
            place=place.strip(),
            description=description.strip(),
            context=context,
            simulation_exception=simulation_exception,
            created_by_id=by.pk,
        )
        line = f"Evidence {item.pk} added: {item.get_method_display()}, {item.started_on:%d/%m/%Y}"
        events.evidence_submitted(by=by, registration=registration, units=(), line=line)
    return item


def _refuse_if_item_locked(item: EvidenceItem) -> None:
    """An item relied on (mapped, not rejected) for a signed-off unit cannot change."""
    units = (
        item.mappings.exclude(status=MappingStatus.REJECTED)
        .values_list("unit_number", flat=True)
        .distinct()
    )
    for unit in units:
        refuse_if_signed_off(item.registration, unit)


def evidence_file_attach(
    *,
    by: User,
    item: EvidenceItem,
    upload: IO[bytes] | File,
    original_name: str,
    expected_size: int | None = None,
) -> EvidenceFile:
    """Stream a file to storage (see ``storage.store_upload``) and attach it to ``item``."""
    registration = item.registration
    _check_portfolio_writer(by, registration)
    _refuse_if_item_locked(item)
    stored = store_upload(
        upload,
        original_name=original_name,
        max_bytes=int(settings.ASSAY_EVIDENCE_MAX_BYTES),
        allowed_types=frozenset(settings.ASSAY_EVIDENCE_TYPES),
        expected_size=expected_size,
    )
    with transaction.atomic():
        row = EvidenceFile.objects.create(
            item=item,
            **stored.row_fields(),
            uploaded_by_id=by.pk,
        )
        waiting_refresh([item.pk])  # the first file puts an undecided item in the queue
        units = item.mappings.exclude(status=MappingStatus.REJECTED).values_list(
            "unit_number", flat=True
        )
        line = f"File {row.original_name} attached to evidence {item.pk}"
        events.evidence_submitted(by=by, registration=registration, units=set(units), line=line)
    return row


def authenticity_declare(*, by: User, item: EvidenceItem, text: str) -> AuthenticityDeclaration:
    """The candidate signs that the item is their own work (kept with a hash of the text)."""
    if not is_candidate(by, item.registration):
        raise NotAllowed("only the candidate signs the authenticity declaration")
    if not text.strip():
        raise InvalidInput({"text": "the declaration text is empty"})
    return AuthenticityDeclaration.objects.create(
        item=item,
        signer_id=by.pk,
        text=text,
        text_sha256=text_sha256(text),
    )


def mapping_propose(*, by: User, item: EvidenceItem, unit: str, target: str) -> CriterionMapping:
    """The candidate claims ``item`` for a criterion ("1.1") or range item ("6b") of ``unit``."""
    registration = item.registration
    if not is_candidate(by, registration):
        raise NotAllowed("only the candidate proposes mappings of their evidence")
    if not registration.plan_units.filter(unit_number=unit).exists():
        raise InvalidInput({"unit": f"unit {unit} is not on the learning plan"})
    refuse_without_content(registration, unit)
    if target not in unit_targets(unit_spec(registration, unit)):
        raise InvalidInput(
            {"target": f"unit {unit} has no criterion or evidence requirement item {target!r}"}
        )
    with transaction.atomic():
        registration_lock(registration)
        refuse_if_signed_off(registration, unit)
        if CriterionMapping.objects.filter(item=item, unit_number=unit, target=target).exists():
            raise InvalidInput({"target": f"this evidence is already mapped to {unit} {target}"})
        mapping = CriterionMapping.objects.create(
            item=item, unit_number=unit, target=target, proposed_by_id=by.pk
        )
        line = f"Evidence {item.pk} proposed for unit {unit} {target}"
        events.evidence_submitted(by=by, registration=registration, units=[unit], line=line)
        return mapping
