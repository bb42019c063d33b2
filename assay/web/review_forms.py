"""Forms that parse the assessment plans and reviews page. Parsing only: the services decide
every rule, and their ``InvalidInput`` errors land back on these forms.

Activity rows are repeated fields (``description``, ``method``, ``targets``, ``target_date``
once per row, read with ``getlist``), so htmx can append a row without renumbering anything.
"""

from __future__ import annotations

from django import forms
from django.http import QueryDict

from assay.portfolios.models import Method
from assay.reviews.models import Capacity, Kind
from assay.reviews.services import ActivityInput, PlanInput
from assay.web.forms import date_field

ROW_FIELDS = ("description", "method", "targets", "target_date")


class PlanForm(forms.Form):
    kind = forms.ChoiceField(label="Record", choices=Kind.choices)
    met_on = date_field("Met on")
    summary = forms.CharField(
        label="What was agreed", widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    notes = forms.CharField(
        label="Notes", required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    next_review_on = date_field("Next review", required=False)


class ActivityForm(forms.Form):
    description = forms.CharField(label="Activity", max_length=2000)
    method = forms.ChoiceField(label="Method", choices=Method.choices)
    targets = forms.CharField(
        label="Criteria to cover",
        max_length=1000,
        help_text="unit:target, comma separated — for example 401:1.2, 411:5f",
    )
    target_date = date_field("Target date")


def activity_rows(data: QueryDict) -> list[dict[str, str]]:
    """The posted rows, blank ones dropped."""
    columns = [data.getlist(name) for name in ROW_FIELDS]
    rows = [dict(zip(ROW_FIELDS, values, strict=False)) for values in zip(*columns, strict=False)]
    return [r for r in rows if any(r.get(k, "").strip() for k in ("description", "targets"))]


def parse_plan(data: QueryDict) -> tuple[PlanForm, list[ActivityForm], PlanInput | None]:
    """The plan form, one form per activity row, and the input when all of them parse."""
    form = PlanForm(data)
    rows = [ActivityForm(row) for row in activity_rows(data)]
    ok = form.is_valid()
    ok = all([row.is_valid() for row in rows]) and ok
    if not ok:
        return form, rows, None
    c = form.cleaned_data
    activities = tuple(
        ActivityInput(
            description=r.cleaned_data["description"],
            method=r.cleaned_data["method"],
            targets=tuple(t.strip() for t in r.cleaned_data["targets"].split(",") if t.strip()),
            target_date=r.cleaned_data["target_date"],
        )
        for r in rows
    )
    return (
        form,
        rows,
        PlanInput(
            kind=c["kind"],
            met_on=c["met_on"],
            summary=c["summary"],
            notes=c["notes"],
            next_review_on=c["next_review_on"],
            activities=activities,
        ),
    )


class SignForm(forms.Form):
    capacity = forms.ChoiceField(label="Sign as", choices=Capacity.choices)
    text_sha256 = forms.CharField(widget=forms.HiddenInput(), max_length=64)

    def offer(self, choices: list[tuple[str, str]]) -> None:
        """Only the capacities the signer holds and has not signed in yet."""
        self.fields["capacity"].choices = choices  # type: ignore[attr-defined]


class CompleteForm(forms.Form):
    completed_on = date_field("Done on", required=False)
