"""Forms for a certifying body's clients (issue 15): organisation, division, office, import.
They only shape input; the services in ``assay.audits.clients`` decide, and their
``InvalidInput`` errors land back on these fields (``forms.apply_errors``)."""

from __future__ import annotations

from typing import Any

from django import forms

from assay.audits.models import CertifyingBody, Division


def _choices(field: forms.Field, choices: list[tuple[Any, str]]) -> None:
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


class OrganisationForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200, strip=False)
    reference = forms.CharField(
        label="Reference", max_length=32, strip=False, help_text="Unique across every body"
    )


class NewOrganisationForm(OrganisationForm):
    body = forms.TypedChoiceField(label="Certifying body", coerce=int)

    def __init__(self, bodies: list[CertifyingBody], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["body"], [(b.pk, b.name) for b in bodies])
        if len(bodies) == 1:
            self.fields["body"].initial = bodies[0].pk


class DivisionForm(forms.Form):
    name = forms.CharField(label="Division name", max_length=200, strip=False)


class OfficeForm(forms.Form):
    name = forms.CharField(label="Office name", max_length=200, strip=False)
    state = forms.CharField(label="State or territory", max_length=16, help_text="e.g. NSW, VIC")
    is_main = forms.BooleanField(
        label="The organisation's main office in this state", required=False
    )
    division = forms.TypedChoiceField(
        label="Division", coerce=int, required=False, empty_value=None
    )
    is_division_main = forms.BooleanField(
        label="Its division's main office in this state", required=False
    )
    complaints = forms.IntegerField(label="Complaints since the last audit", initial=0, min_value=0)
    headcount = forms.IntegerField(
        label="Staff (headcount)",
        required=False,
        min_value=0,
        max_value=1_000_000,
        help_text="Sets the office's audit time; leave empty when unknown",
    )
    address = forms.CharField(
        label="Address", required=False, strip=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, divisions: list[Division], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["division"], [("", "— none —")] + [(d.pk, d.name) for d in divisions])


class ClientImportForm(forms.Form):
    file = forms.FileField(label="Client file")
    body = forms.TypedChoiceField(label="Certifying body", coerce=int)

    def __init__(self, bodies: list[CertifyingBody], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self.fields["body"], [(b.pk, b.name) for b in bodies])
        if len(bodies) == 1:
            self.fields["body"].initial = bodies[0].pk
