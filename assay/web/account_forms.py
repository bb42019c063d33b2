"""Forms for accounts: invite someone, choose a password from an invitation link, and the
reason every deactivation, reactivation, revocation or cancellation asks for. Parsing only:
the services in ``assay.accounts`` decide."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

INVITE_ROLES = [
    ("assessor", "Assessor"),
    ("internal_verifier", "Internal verifier (IQA)"),
    ("lead_iqa", "Lead IQA"),
    ("tutor", "Tutor"),
    ("employer_contact", "Employer contact"),
    ("candidate", "Candidate"),
]
AWARDING_BODY_ROLES = [
    ("centre_admin", "Centre administrator"),
    ("external_verifier", "External verifier (EQA)"),
]


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email address", max_length=254)
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    role = forms.ChoiceField(label="Role", choices=INVITE_ROLES)
    registration = forms.TypedChoiceField(
        label="Candidate's registration",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="For a candidate: the registration they will sign in to. For an employer "
        "contact: the employee they will follow (optional).",
    )

    def offer(self, *, awarding_body: bool, registrations: Iterable[Any]) -> InviteForm:
        roles = INVITE_ROLES + (AWARDING_BODY_ROLES if awarding_body else [])
        self.fields["role"].choices = roles  # type: ignore[attr-defined]
        choices: list[tuple[Any, str]] = [("", "None")]
        choices += [(r.pk, f"{r.candidate} · {r.qualification.code}") for r in registrations]
        self.fields["registration"].choices = choices  # type: ignore[attr-defined]
        return self


BODY_ROLES = [
    ("auditor", "Auditor"),
    ("decision_maker", "Decision maker"),
    ("administrator", "Certifying-body administrator"),
]


class BodyInviteForm(forms.Form):
    """The same fields and labels as the centre's form, with the certifying body's roles."""

    email = forms.EmailField(label="Email address", max_length=254)
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    role = forms.ChoiceField(label="Role", choices=BODY_ROLES)


class AcceptForm(forms.Form):
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
        help_text="At least 8 characters, not only digits, not like your name or email.",
    )
    password2 = forms.CharField(
        label="The password again",
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", "The two passwords differ.")
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Reason", max_length=2000, widget=forms.Textarea({"rows": 3}), required=True
    )
