"""Forms for people and accounts: A/V unit records, CPD entries, sites, a candidate's sign-in
and employer contact. Parsing only: the services decide, and their ``InvalidInput`` errors land
back on these forms' fields (``forms.apply_errors``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from assay.web.forms import date_field


def user_called(name: str) -> Any:
    """The account called ``name``, or the form error saying there is none."""
    person = get_user_model().objects.filter(username=name.strip()).first()
    if person is None:
        raise forms.ValidationError(f"There is no user called {name.strip()!r}.")
    return person


class CompetenceForm(forms.Form):
    # The service knows who may record which role; the list only helps choose one.
    role = forms.CharField(label="As", max_length=32, widget=forms.Select)
    av_unit = forms.CharField(label="A/V unit", max_length=64, help_text="For example A1 or V1.")
    started_on = date_field("Started working with the standards")
    achieved_on = date_field("Achieved", required=False, help_text="Leave empty if not yet.")

    def offer(self, roles: Iterable[tuple[str, str]]) -> CompetenceForm:
        self.fields["role"].widget.choices = list(roles)
        return self


class AchievedForm(forms.Form):
    achieved_on = date_field("Achieved on")


class CpdForm(forms.Form):
    on = date_field("Date")
    hours = forms.DecimalField(label="Hours")
    activity = forms.CharField(label="Activity", widget=forms.Textarea({"rows": 2}))


class SiteForm(forms.Form):
    name = forms.CharField(label="Site name", max_length=200)
    address = forms.CharField(
        label="Address", required=False, max_length=2000, widget=forms.Textarea({"rows": 2})
    )


class AccountLinkForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=150,
        help_text="The candidate's own account: they will see only their own record.",
    )

    def clean_username(self) -> Any:
        return user_called(self.cleaned_data["username"])


class EmployerContactForm(forms.Form):
    # The service checks the person is an employer contact here; the list only helps choose.
    employer_contact = forms.IntegerField(
        label="Employer contact", required=False, widget=forms.Select
    )

    def offer(self, contacts: Iterable[Any]) -> EmployerContactForm:
        choices = [("", "No employer contact")]
        choices += [(c.pk, c.get_full_name() or c.get_username()) for c in contacts]
        self.fields["employer_contact"].widget.choices = choices
        return self

    def clean_employer_contact(self) -> Any:
        pk = self.cleaned_data["employer_contact"]
        if pk is None:
            return None
        person = get_user_model().objects.filter(pk=pk).first()
        if person is None:
            raise forms.ValidationError("Choose an employer contact from the list.")
        return person
