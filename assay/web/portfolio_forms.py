"""Forms that parse the portfolio and unit pages' input. Parsing only: the services decide every
rule, and their ``InvalidInput`` errors land back on these forms' fields."""

from __future__ import annotations

from collections.abc import Iterable

from django import forms

from assay.portfolios.models import EvidenceContext, Method
from assay.web.forms import date_field

DECLARATION = "This evidence is my own work, from my own job, and I have not copied it."


class SeqForm(forms.Form):
    """The last decision number the page showed, so a stale page is refused."""

    expected_seq = forms.IntegerField(min_value=0, widget=forms.HiddenInput())


class EvidenceForm(forms.Form):
    method = forms.ChoiceField(label="Method", choices=Method.choices)
    started_on = date_field("Date (or first day)")
    ended_on = date_field("Last day", required=False)
    place = forms.CharField(label="Where it happened", max_length=200, required=False)
    description = forms.CharField(label="What it shows", widget=forms.Textarea(attrs={"rows": 3}))
    context = forms.ChoiceField(label="Context", choices=EvidenceContext.choices)
    simulation_exception = forms.BooleanField(
        label="Staged as the unit's stated simulation exception", required=False
    )
    file = forms.FileField(label="File", required=False)


class FileForm(forms.Form):
    file = forms.FileField(label="Another file")


class DeclareForm(forms.Form):
    text = forms.CharField(
        label="Declaration", initial=DECLARATION, widget=forms.Textarea(attrs={"rows": 2})
    )


class MapForm(forms.Form):
    unit = forms.CharField(widget=forms.HiddenInput())
    targets = forms.MultipleChoiceField(
        label="Criteria and range items", widget=forms.CheckboxSelectMultiple()
    )

    def offer(self, targets: Iterable[tuple[str, str]]) -> None:
        field = self.fields["targets"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = list(targets)


class DecideForm(SeqForm):
    decision = forms.ChoiceField(choices=[("confirm", "Confirm"), ("reject", "Reject")])
    reason = forms.CharField(label="Reason for rejecting", required=False, max_length=2000)


class ConfirmAllForm(SeqForm):
    item = forms.IntegerField(widget=forms.HiddenInput())


class JudgeManyForm(SeqForm):
    criteria = forms.MultipleChoiceField(
        label="Criteria to judge met", widget=forms.CheckboxSelectMultiple()
    )
    feedback = forms.CharField(label="Feedback", required=False, max_length=2000)

    def offer(self, criteria: Iterable[str]) -> None:
        field = self.fields["criteria"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(c, c) for c in criteria]


class JudgeForm(SeqForm):
    criterion = forms.CharField(widget=forms.HiddenInput())
    verdict = forms.ChoiceField(choices=[("met", "Met"), ("not_met", "Not yet met")])
    feedback = forms.CharField(label="Feedback", required=False, max_length=2000)


class SpanForm(SeqForm):
    sufficient_days = forms.IntegerField(label="Sufficient period (days)", min_value=0)


class SignOffForm(SeqForm):
    declaration_sha256 = forms.CharField(widget=forms.HiddenInput(), max_length=64)


class ReopenForm(SeqForm):
    reason = forms.CharField(label="Reason for reopening", max_length=2000)
