"""The assessor's bulk acts on a unit: each is a loop over the single acts in one transaction.

Every confirmation and every judgement is still its own chained ``Decision`` with its own
checks (the single act's rules and refusals apply unchanged); the loop only saves clicks. The
first act checks ``expected_seq``, the rest run under the lock it took, so either all are
recorded or, on any refusal, none.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from assay.errors import InvalidInput
from assay.portfolios.assessment import criterion_judge, mapping_decide
from assay.portfolios.models import CriterionMapping, Decision, EvidenceItem, MappingStatus
from assay.registrations.models import Registration
from assay.users import User


def proposals_confirm_all(
    *, by: User, item: EvidenceItem, unit: str, expected_seq: int | None = None
) -> list[Decision]:
    """Confirm every proposed mapping of ``item`` to ``unit`` (one decision each)."""
    proposals = list(
        CriterionMapping.objects.filter(
            item=item, unit_number=unit, status=MappingStatus.PROPOSED
        ).order_by("pk")
    )
    if not proposals:
        raise InvalidInput({"item": f"evidence {item.pk} has no proposals for unit {unit}"})
    decisions: list[Decision] = []
    with transaction.atomic():
        for mapping in proposals:
            mapping.item = item
            seq = expected_seq if not decisions else None
            decisions.append(mapping_decide(by=by, mapping=mapping, confirm=True, expected_seq=seq))
    return decisions


def criteria_judge_met(
    *,
    by: User,
    registration: Registration,
    unit: str,
    criteria: Sequence[str],
    feedback: str = "",
    expected_seq: int | None = None,
) -> list[Decision]:
    """Judge each of ``criteria`` met (one decision each); any refusal keeps none of them."""
    chosen = list(dict.fromkeys(c.strip() for c in criteria if c.strip()))
    if not chosen:
        raise InvalidInput({"criteria": "tick the criteria to judge met"})
    decisions: list[Decision] = []
    with transaction.atomic():
        for criterion in chosen:
            seq = expected_seq if not decisions else None
            decisions.append(
                criterion_judge(
                    by=by,
                    registration=registration,
                    unit=unit,
                    criterion=criterion,
                    met=True,
                    feedback=feedback,
                    expected_seq=seq,
                )
            )
    return decisions
