"""Forms of the IQA pages: verifying a pick and drawing a sample."""

from __future__ import annotations

from django import forms

OUTCOMES = [("agree", "Agree"), ("action_required", "Action required")]


class VerifyForm(forms.Form):
    outcome = forms.ChoiceField(choices=OUTCOMES, widget=forms.RadioSelect, label="Outcome")
    feedback = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        label="Feedback to the assessor",
        max_length=5000,
    )
    due_on = forms.DateField(
        required=False,
        label="Due date",
        help_text="When action is required: by when the assessor must act",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    expected_seq = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)


class DrawForm(forms.Form):
    qualification = forms.ChoiceField(label="Qualification")
    period_start = forms.DateField(
        label="Period from", widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(label="Period to", widget=forms.DateInput(attrs={"type": "date"}))
    seed = forms.IntegerField(
        required=False,
        min_value=0,
        label="Seed",
        help_text="Leave empty for a fresh random seed; the same seed redraws the same sample",
    )
    confirmed = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: object, codes: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["qualification"].choices = [(c, c) for c in codes]  # type: ignore[attr-defined]


KINDS = [
    ("meeting", "Standardisation meeting"),
    ("evidence_comparison", "Evidence compared across assessors"),
    ("other", "Other activity"),
]


class ActivityForm(forms.Form):
    """A standardisation activity with one optional action (the API takes several)."""

    held_on = forms.DateField(label="Held on", widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(choices=KINDS, label="Kind")
    qualification = forms.ChoiceField(label="Qualification", required=False)
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Summary",
        help_text="What was compared or discussed",
        max_length=20000,
    )
    decisions = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Decisions taken",
        required=False,
        max_length=20000,
    )
    attendees = forms.MultipleChoiceField(
        label="Attendees", widget=forms.CheckboxSelectMultiple, help_text="Assessors and IVs"
    )
    action_text = forms.CharField(label="Action", required=False, max_length=20000)
    action_owner = forms.ChoiceField(label="Action owner", required=False)
    action_due_on = forms.DateField(
        label="Action due", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(
        self, *args: object, codes: list[str], staff: list[str], owners: list[str], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        choices = self.fields
        choices["qualification"].choices = [("", "Every qualification")] + [  # type: ignore[attr-defined]
            (c, c) for c in codes
        ]
        choices["attendees"].choices = [(u, u) for u in staff]  # type: ignore[attr-defined]
        choices["action_owner"].choices = [("", "—")] + [(u, u) for u in owners]  # type: ignore[attr-defined]

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        given = [data.get("action_text"), data.get("action_owner"), data.get("action_due_on")]
        if any(given) and not all(given):
            self.add_error(None, "An action needs its text, its owner and a due date")
        return data


RISKS = [
    ("trainee", "Trainee assessor"),
    ("new", "New assessor"),
    ("new_to_qualification", "New to the qualification"),
    ("action_points", "Open action points"),
]


class StrategyForm(forms.Form):
    """The rates of a sampling strategy: the engine's ``parse_strategy`` reads them."""

    qualification = forms.ChoiceField(label="Qualification")
    base_rate = forms.CharField(label="Base rate", max_length=20, help_text="e.g. 10%, 1/10 or 0.1")
    trainee = forms.CharField(label="Trainee assessor", max_length=20, required=False)
    new = forms.CharField(label="New assessor", max_length=20, required=False)
    new_to_qualification = forms.CharField(
        label="New to the qualification", max_length=20, required=False
    )
    action_points = forms.CharField(label="Open action points", max_length=20, required=False)
    standardisation_months = forms.IntegerField(
        label="Standardisation due every (months)", min_value=1, max_value=120, required=False
    )

    def __init__(self, *args: object, codes: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["qualification"].choices = [(c, c) for c in codes]  # type: ignore[attr-defined]

    def strategy_data(self) -> dict[str, object]:
        """The strategy as plain data (risks left empty keep their default)."""
        data = self.cleaned_data
        out: dict[str, object] = {"base_rate": data["base_rate"].strip()}
        rules = {r: data[r].strip() for r, _ in RISKS if data.get(r, "").strip()}
        if rules:
            out["rules"] = rules
        if data.get("standardisation_months"):
            out["standardisation_months"] = data["standardisation_months"]
        return out


class ReportPeriodForm(forms.Form):
    """``?from=YYYY-MM-DD&to=YYYY-MM-DD`` of the IQA report (each optional)."""

    start = forms.DateField(required=False, label="From")
    end = forms.DateField(required=False, label="To")

    def __init__(self, data: object = None) -> None:
        given = {}
        if data is not None:
            given = {"start": data.get("from", ""), "end": data.get("to", "")}  # type: ignore[attr-defined]
        super().__init__(given)
