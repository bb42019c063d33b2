"""Forms of the centre's EQA page: record a visit (with up to three action points), apply a
sanction, lift one. Parsing only: the rules are the services' (``assay.eqa.services``), whose
``InvalidInput`` lands back on these fields."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from assay.eqa.models import Mode, RiskLevel, SanctionLevel, VisitStatus
from assay.eqa.services import ActionPointInput, VisitInput
from assay.web.forms import date_field

POINTS = 3  # blank action point rows on the visit form


def _text(label: str, rows: int = 3, required: bool = False) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, strip=False, widget=forms.Textarea({"rows": rows})
    )


class _WithPoints(forms.Form):
    """Up to POINTS action points, each a text, an owner from the centre's staff and a due
    date; a row left blank is no action point."""

    def __init__(self, *args: Any, owners: Sequence[tuple[str, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [("", "Choose a person"), *owners]
        for n in range(1, POINTS + 1):
            self.fields[f"point{n}_text"] = _text(f"Action point {n}", rows=2)
            self.fields[f"point{n}_owner"] = forms.ChoiceField(
                label=f"Owner of action point {n}", choices=choices, required=False
            )
            self.fields[f"point{n}_due_on"] = date_field(f"Action point {n} due on", required=False)

    def point_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"point{n}_text"], self[f"point{n}_owner"], self[f"point{n}_due_on"])
            for n in range(1, POINTS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, POINTS + 1):
            text, owner, due = (data.get(f"point{n}_{k}") for k in ("text", "owner", "due_on"))
            if (text or "").strip() or owner or due:
                if not owner:
                    self.add_error(f"point{n}_owner", "Choose who owns this action point.")
                if not due:
                    self.add_error(f"point{n}_due_on", "Give the date it is due.")
        return data

    def points(self) -> tuple[ActionPointInput, ...]:
        d = self.cleaned_data
        return tuple(
            ActionPointInput(d[f"point{n}_text"], d[f"point{n}_owner"], d[f"point{n}_due_on"])
            for n in range(1, POINTS + 1)
            if d.get(f"point{n}_owner") and d.get(f"point{n}_due_on")
        )


def _risk() -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Risk rating", choices=[("", "Not rated"), *RiskLevel.choices], required=False
    )


class VisitForm(_WithPoints):
    on = date_field("Date of the visit")
    mode = forms.ChoiceField(label="Visit", choices=Mode.choices, widget=forms.RadioSelect)
    status = forms.ChoiceField(
        label="Status", choices=VisitStatus.choices, widget=forms.RadioSelect
    )
    sample_request = _text("Sample request (the centre sees it)")
    findings = _text("Findings", rows=4)
    risk = _risk()
    risk_reasons = _text("Reasons for the risk rating", rows=2)

    def visit_input(self) -> VisitInput:
        d = self.cleaned_data
        return VisitInput(
            on=d["on"],
            mode=d["mode"],
            status=d["status"],
            sample_request=d["sample_request"],
            findings=d["findings"],
            risk=d["risk"],
            risk_reasons=d["risk_reasons"],
            action_points=self.points(),
        )


class FindingsForm(_WithPoints):
    """A planned visit's findings, risk rating and action points, once it took place."""

    findings = _text("Findings", rows=4)
    risk = _risk()
    risk_reasons = _text("Reasons for the risk rating", rows=2)


# Service field names for a point's errors ("action_points.2.owner") → this form's.
def point_fields() -> dict[str, str]:
    return {
        f"action_points.{n}.{k}": f"point{n}_{k}"
        for n in range(1, POINTS + 1)
        for k in ("text", "owner", "due_on")
    }


class SanctionForm(forms.Form):
    level = forms.ChoiceField(label="Sanction", choices=SanctionLevel.choices)
    qualification_code = forms.ChoiceField(label="Applies to", required=False)
    applied_on = date_field("Applies from")
    reason = _text("Reason (the centre sees it, and every refusal quotes it)")
    confirm = forms.BooleanField(label="I have checked what this sanction blocks", required=False)

    def __init__(self, *args: Any, codes: Sequence[str] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["qualification_code"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "The whole centre"), *((c, c) for c in codes)]


class LiftForm(forms.Form):
    lifted_on = date_field("Lifted from")
    reason = _text("Reason for lifting")
    confirm = forms.BooleanField(label="I have checked what lifting reopens", required=False)
