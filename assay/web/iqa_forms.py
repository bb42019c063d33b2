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
