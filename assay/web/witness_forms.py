"""The form that names a witness: parsing only (``witness_request`` decides)."""

from __future__ import annotations

from django import forms


class WitnessForm(forms.Form):
    name = forms.CharField(label="Witness's name", max_length=200)
    role = forms.CharField(label="Their job role", max_length=200)
    relationship = forms.CharField(
        label="Relationship to the candidate", max_length=200, help_text="e.g. line manager"
    )
    contact = forms.CharField(
        label="Contact",
        max_length=200,
        help_text="An email address gets the link by email; otherwise pass the link on yourself.",
    )
    statement = forms.CharField(
        label="Statement for the witness to confirm", widget=forms.Textarea(attrs={"rows": 5})
    )
