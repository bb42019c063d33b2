"""Who is told about external verification: the centre's administrators and lead IQAs of a
visit planned (its sample request, so they can prepare it) or done (findings and risk), each
action point's owner of their point, and the administrators and lead IQAs of a sanction applied
or lifted (it changes what the centre may do). Receivers of ``eqa.signals``, inside the acts'
transactions."""

from __future__ import annotations

from collections.abc import Sequence

from django.urls import reverse

from assay.centres.models import Centre, Membership, Role
from assay.engines.dates import ddmmyyyy
from assay.engines.notifications import Event, Recipient
from assay.eqa.models import ActionPoint, Sanction, Visit, VisitStatus
from assay.notifications.services import notify
from assay.users import User


def _link(centre_pk: int) -> str:
    return reverse("centre-eqa", args=[centre_pk])


def _centre_leads(centre: Centre, why: str) -> list[Recipient]:
    found = Membership.objects.filter(
        centre=centre, role__in=(Role.CENTRE_ADMIN, Role.LEAD_IQA), active=True
    ).values_list("user_id", flat=True)
    return [Recipient(who, why) for who in sorted(set(found))]


def visit_recorded(
    sender: object, *, visit: Visit, points: Sequence[ActionPoint], by: User, **_: object
) -> None:
    """A visit planned or done: the centre's leads; each new action point: its owner."""
    centre = visit.centre
    day = ddmmyyyy(visit.on)
    if visit.status == VisitStatus.PLANNED:
        text = f"External verification visit planned for {day}"
        line = visit.sample_request or "No sample requested yet"
    else:
        text = f"External verification visit of {day} recorded"
        line = f"Risk {visit.get_risk_display().lower()}: {visit.risk_reasons}"
    why = "you administer or lead quality assurance at this centre"
    notify(
        kind=Event.EQA_VISIT,
        recipients=_centre_leads(centre, why),
        text=text,
        line=line,
        link=_link(centre.pk),
        actor=by,
    )
    for point in points:
        notify(
            kind=Event.EQA_ACTION_POINT,
            recipients=[Recipient(point.owner_id, "you own this action point")],
            text=f"EQA action point for you, due {ddmmyyyy(point.due_on)}",
            line=point.text,
            link=_link(centre.pk),
            actor=by,
        )


def sanction_changed(
    sender: object, *, sanction: Sanction, by: User, lifted: bool, **_: object
) -> None:
    """A sanction applied or lifted: the centre's administrators and lead IQAs."""
    scope = f" for {sanction.qualification_code}" if sanction.qualification_code else ""
    label = sanction.get_level_display()
    if lifted:
        assert sanction.lifted_on is not None
        text = f"Sanction lifted{scope} from {ddmmyyyy(sanction.lifted_on)}: {label}"
        line = sanction.lift_reason
    else:
        text = f"Sanction applied{scope} from {ddmmyyyy(sanction.applied_on)}: {label}"
        line = sanction.reason
    notify(
        kind=Event.EQA_SANCTION,
        recipients=_centre_leads(sanction.centre, "it changes what your centre may do"),
        text=text,
        line=line,
        link=_link(sanction.centre_id),
        actor=by,
    )


def connect() -> None:
    from assay.eqa import signals

    signals.visit_recorded.connect(visit_recorded, dispatch_uid="notifications.eqa.visit")
    signals.sanction_changed.connect(sanction_changed, dispatch_uid="notifications.eqa.sanction")
