"""Forms that parse the centre and registration pages' input. Parsing only: every rule is
decided by the services, whose ``InvalidInput`` errors land back on these forms' fields."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from assay.catalogue.models import Qualification
from assay.centres.models import Role
from assay.engines.entry.level import JobRole
from assay.registrations.models import JobKind, SignatureDocument, Status
from assay.registrations.plans import PlanUnitInput
from assay.registrations.services import CandidateInput

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


def date_field(label: str, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=DateInput(),
        help_text=help_text,
    )


def apply_errors(form: forms.Form, errors: Mapping[str, str]) -> None:
    """Put a service's ``InvalidInput.errors`` on the form's fields (or the whole form)."""
    for name, message in errors.items():
        form.add_error(name if name in form.fields else None, message[:1].upper() + message[1:])


def _split_codes(text: str) -> list[str]:
    return [code.strip() for code in text.replace(";", ",").split(",") if code.strip()]


class CandidateRegistrationForm(forms.Form):
    """The wizard: candidate details, the qualification and the registration date."""

    first_name = forms.CharField(label="First name", max_length=100)
    last_name = forms.CharField(label="Last name", max_length=100)
    date_of_birth = date_field("Date of birth")
    email = forms.EmailField(label="Email", required=False)
    phone = forms.CharField(label="Phone", max_length=40, required=False)
    employer = forms.CharField(label="Employer", max_length=200, required=False)
    job_role = forms.CharField(label="Job role", max_length=200, required=False)
    job_kind = forms.ChoiceField(
        label="Is the job real?",
        choices=JobKind.choices,
        initial=JobKind.PAID,
        widget=forms.RadioSelect,
    )
    held = forms.MultipleChoiceField(
        label="Qualifications already held",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    held_other = forms.CharField(
        label="Other qualifications held",
        required=False,
        max_length=300,
        help_text="Qualification codes, separated by commas.",
    )
    qualification = forms.ChoiceField(label="Qualification")
    registered_on = date_field("Registration date")

    # What the live check needs before it can ask the entry rules anything.
    CHECK_FIELDS = ("date_of_birth", "job_kind", "qualification", "registered_on")

    def __init__(
        self,
        data: Any = None,
        *,
        qualifications: Iterable[Qualification],
        today: dt.date,
    ) -> None:
        super().__init__(data, initial={"registered_on": today})
        choices = [(q.code, f"{q.code} — {q.title}") for q in qualifications]
        self.fields["qualification"].choices = [("", "Choose a qualification"), *choices]  # type: ignore[attr-defined]
        self.fields["held"].choices = choices  # type: ignore[attr-defined]

    def candidate_input(self) -> CandidateInput:
        data = self.cleaned_data
        held = tuple(dict.fromkeys([*data.get("held", []), *_split_codes(data["held_other"])]))
        return CandidateInput(
            first_name=data.get("first_name", ""),
            last_name=data.get("last_name", ""),
            date_of_birth=data["date_of_birth"],
            email=data.get("email", ""),
            phone=data.get("phone", ""),
            employer=data.get("employer", ""),
            job_role=data.get("job_role", ""),
            job_kind=data["job_kind"],
            held=held,
        )

    def missing_for_check(self) -> list[str]:
        """Labels of the fields the live check still needs (empty or invalid)."""
        self.is_valid()
        return [str(self.fields[f].label) for f in self.CHECK_FIELDS if f in self.errors]


class GrantForm(forms.Form):
    username = forms.CharField(label="Username", max_length=150)
    role = forms.ChoiceField(label="Role", choices=Role.choices)
    qualification_code = forms.ChoiceField(
        label="For qualification", required=False, help_text="Leave empty for every qualification."
    )

    def __init__(self, data: Any = None, *, codes: Iterable[str] = ()) -> None:
        super().__init__(data)
        choices = [("", "Every qualification"), *((c, c) for c in codes)]
        self.fields["qualification_code"].choices = choices  # type: ignore[attr-defined]

    def clean_username(self) -> Any:
        name = self.cleaned_data["username"].strip()
        person = get_user_model().objects.filter(username=name).first()
        if person is None:
            raise forms.ValidationError(f"There is no user called {name!r}.")
        return person


class StatusForm(forms.Form):
    """No status is chosen until the person chooses one; the service refuses a blank or
    invisible reason and an unconfirmed change (one click must never close a registration)."""

    status = forms.ChoiceField(
        label="New status", choices=Status.choices, widget=forms.RadioSelect, required=False
    )
    reason = forms.CharField(
        label="Reason (kept in the status history)",
        required=False,
        strip=False,
        widget=forms.Textarea({"rows": 2}),
    )
    confirm = forms.BooleanField(
        label="I have checked this change; a final status cannot be undone", required=False
    )


class ExtensionForm(forms.Form):
    new_end = date_field("New end date")
    reason = forms.CharField(
        label="Reason for the extension",
        required=False,
        strip=False,
        widget=forms.Textarea({"rows": 2}),
    )


JOB_ROLE_LABELS = {
    "delivers_service_directly": "Delivers customer service directly to customers",
    "monitors_or_develops_quality": "Monitors or develops the quality of customer service",
    "leads_team_or_department": "Is in charge of a team or department",
    "plans_or_implements_strategy": "Plans or implements customer service strategy",
    "advises_on_customer_service": "Gives advice on customer service",
    "first_qualification_or_new_to_work": "New to work, or taking a first qualification",
}
JOB_ROLE_FIELDS = [f.name for f in dataclasses.fields(JobRole)]


class InitialAssessmentForm(forms.Form):
    training_needs = forms.CharField(
        label="Training needs", required=False, widget=forms.Textarea({"rows": 3})
    )
    support_needs = forms.CharField(
        label="Support and guidance needs", required=False, widget=forms.Textarea({"rows": 3})
    )

    def __init__(self, data: Any = None, *, initial: dict[str, Any] | None = None) -> None:
        super().__init__(data, initial=initial)
        for name in JOB_ROLE_FIELDS:
            label = JOB_ROLE_LABELS.get(name, name.replace("_", " ").capitalize())
            self.fields[name] = forms.BooleanField(label=label, required=False)

    def job_role_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in JOB_ROLE_FIELDS]

    def job_role_facts(self) -> dict[str, bool]:
        return {name: bool(self.cleaned_data.get(name)) for name in JOB_ROLE_FIELDS}


class RplClaimForm(forms.Form):
    # The service knows the qualification's units; the list only helps choose one.
    unit = forms.CharField(label="Unit", max_length=16, widget=forms.Select)
    evidence = forms.CharField(
        label="Prior learning and its evidence", widget=forms.Textarea({"rows": 3})
    )

    def offer(self, units: Iterable[tuple[str, str]]) -> RplClaimForm:
        """List the qualification's units to choose from."""
        self.fields["unit"].widget.choices = list(units)
        return self


class CreditTransferForm(forms.Form):
    """A unit achieved elsewhere, on a certificate (ADR 0010)."""

    unit = forms.CharField(label="Unit", max_length=16, widget=forms.Select)
    certificate_reference = forms.CharField(
        label="Certificate reference",
        max_length=120,
        help_text="The number of the certificate the unit was achieved on",
    )
    note = forms.CharField(
        label="Note (optional)", required=False, widget=forms.Textarea({"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Its own ids: the RPL form beside it on the registration page also has a "unit".
        kwargs.setdefault("auto_id", "credit-%s")
        super().__init__(*args, **kwargs)

    def offer(self, units: Iterable[tuple[str, str]]) -> CreditTransferForm:
        """List the qualification's units to choose from."""
        self.fields["unit"].widget.choices = list(units)
        return self


class RplDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("reject", "Reject")])


CAPACITIES = [("candidate", "Candidate"), ("assessor", "Assessor"), ("employer", "Employer")]


class SignForm(forms.Form):
    document = forms.ChoiceField(choices=SignatureDocument.choices)
    capacity = forms.ChoiceField(choices=CAPACITIES)


@dataclasses.dataclass(frozen=True, slots=True)
class PlanChoice:
    """What the plan form asked for, and what it could not read."""

    units: list[PlanUnitInput]
    internal_verifier_id: int | None
    errors: dict[str, str]
    allow_without_content: bool = False

    @property
    def numbers(self) -> list[str]:
        return [u.unit for u in self.units]


def _int_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def plan_choice(data: Mapping[str, Any]) -> PlanChoice:
    """Read the ticked units, each one's assessor and target date, and the verifier.

    Field names: ``unit`` (repeated), ``assessor-<unit>``, ``target-<unit>``,
    ``internal_verifier``, ``allow_without_content`` (a checkbox). Error keys match the
    service's (``assessor 401``)."""
    getlist = getattr(data, "getlist", None)
    numbers: list[str] = list(dict.fromkeys(getlist("unit") if getlist else data.get("unit", [])))
    errors: dict[str, str] = {}
    units = []
    for number in numbers:
        raw_assessor = (data.get(f"assessor-{number}") or "").strip()
        raw_target = (data.get(f"target-{number}") or "").strip()
        assessor = _int_or_none(raw_assessor)
        if raw_assessor and assessor is None:
            errors[f"assessor {number}"] = "choose an assessor from the list"
        target = None
        if raw_target:
            try:
                target = dt.date.fromisoformat(raw_target)
            except ValueError:
                errors[f"target {number}"] = "enter the target date as a date, e.g. 2013-06-30"
        units.append(PlanUnitInput(number, assessor, target))
    raw_iv = (data.get("internal_verifier") or "").strip()
    iv = _int_or_none(raw_iv)
    if raw_iv and iv is None:
        errors["internal_verifier"] = "choose an internal verifier from the list"
    allow = bool(data.get("allow_without_content"))
    return PlanChoice(units, iv, errors, allow)
