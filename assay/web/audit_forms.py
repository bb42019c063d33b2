"""Forms of the audit pages. Parsing only: every rule (roles, scale, sample, status) is the
services'; their ``InvalidInput`` errors land back on these forms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from assay.audits.pages.home import NewAuditChoices, organisation_matching
from assay.audits.services import SelfScoreInput, SiteScoreInput
from assay.engines.audit.model import Standard
from assay.errors import InvalidInput

KINDS = [("initial", "Initial certification"), ("recertification", "Re-certification")]


def _search_attrs(field: str, url: str, include: str = "") -> dict[str, str]:
    """A text input that asks ``url`` (htmx, as the user types) for at most 20 suggestions into
    its datalist; without JavaScript it is a plain text input the form resolves."""
    attrs = {
        "list": f"{field}-options",
        "autocomplete": "off",
        "hx-get": url,
        "hx-trigger": "focus, input changed delay:300ms",
        "hx-target": f"#{field}-options",
        "hx-vals": f'{{"field": "{field}"}}',
        "hx-sync": "this:replace",
    }
    if include:
        attrs["hx-include"] = include
    return attrs


class NewAuditForm(forms.Form):
    """An initial audit (organisation, optional division, standard version) or the
    re-certification of a decided audit (which fixes organisation, scope and standard).

    The organisation, division and audit to re-certify are typed (with suggestions) rather than
    chosen from lists of every client: the form resolves what was typed among what the user may
    plan (``organisation_matching``) and says so when nothing matches."""

    kind = forms.ChoiceField(label="Kind of audit", choices=KINDS, initial="initial")
    organisation = forms.CharField(
        label="Organisation",
        required=False,
        max_length=300,
        help_text="Type part of its name or its reference and choose a suggestion, or type its "
        "reference or number.",
    )
    division = forms.CharField(
        label="Scope: division",
        required=False,
        max_length=200,
        help_text="Leave empty for the whole organisation, or name one autonomous division "
        "certified on its own.",
    )
    standard = forms.TypedChoiceField(label="Standard", coerce=int, required=False)
    previous = forms.CharField(
        label="Audit to re-certify",
        required=False,
        max_length=200,
        help_text="Re-certification only: the decided audit's number (type an organisation's "
        "name for suggestions). Same organisation, scope and attribute list.",
    )

    def __init__(
        self, choices: NewAuditChoices, *args: Any, suggest_url: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.choices = choices
        if suggest_url:
            self.fields["organisation"].widget.attrs.update(
                _search_attrs("organisation", suggest_url)
            )
            self.fields["division"].widget.attrs.update(
                _search_attrs("division", suggest_url, include="[name=organisation]")
            )
            self.fields["previous"].widget.attrs.update(_search_attrs("previous", suggest_url))
        self.fields["standard"].choices = [  # type: ignore[attr-defined]
            (s.pk, f"{s.title} (v{s.version})") for s in choices.standards
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == "recertification":
            data["previous"] = self._previous(data.get("previous") or "")
        else:
            data["organisation"], data["division"] = self._scope(data)
            if not data.get("standard"):
                self.add_error("standard", "Choose the standard.")
        return data

    def _previous(self, typed: str) -> int | None:
        text = typed.strip().removeprefix("Audit").strip()
        if not text:
            self.add_error("previous", "Choose the decided audit to re-certify.")
            return None
        if not text.isdigit():
            self.add_error("previous", "Give the audit's number, for example 12.")
            return None
        if not self.choices.previous.filter(pk=int(text)).exists():
            self.add_error(
                "previous",
                f"Audit {text} is not a decided audit of yours waiting for re-certification.",
            )
            return None
        return int(text)

    def _scope(self, data: dict[str, Any]) -> tuple[int | None, int | None]:
        """(organisation id, division id or None) from what was typed; errors on the fields."""
        typed = (data.get("organisation") or "").strip()
        if not typed:
            self.add_error("organisation", "Choose the organisation.")
            return None, None
        try:
            organisation = organisation_matching(self.choices, typed)
        except InvalidInput as exc:
            message = exc.errors["organisation"]
            self.add_error("organisation", f"{message[:1].upper()}{message[1:]}.")
            return None, None
        division = (data.get("division") or "").strip()
        if not division or division.isdigit():
            # A number is checked against the organisation by the view (as the API does).
            return organisation.pk, int(division) if division else None
        found = organisation.divisions.filter(name__iexact=division).first()
        if found is None:
            self.add_error("division", f"{organisation.name} has no division called {division!r}.")
            return organisation.pk, None
        return organisation.pk, found.pk


class AssignForm(forms.Form):
    auditor = forms.TypedChoiceField(label="Auditor", coerce=int)

    def __init__(self, auditors: list[Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["auditor"].choices = [  # type: ignore[attr-defined]
            (u.pk, u.get_full_name() or u.get_username()) for u in auditors
        ]


class AdvanceForm(forms.Form):
    to = forms.ChoiceField(choices=[("self_assessment", ""), ("fieldwork", "")])
    note = forms.CharField(required=False, max_length=1000)


class EvidenceForm(forms.Form):
    attribute = forms.CharField(max_length=64, widget=forms.HiddenInput())
    file = forms.FileField(label="Evidence file")


class RegisterForm(forms.Form):
    number = forms.CharField(
        label="Certificate number", max_length=40, help_text="For example ICSS-2013-418207-K"
    )


class RegisterSearchForm(forms.Form):
    q = forms.CharField(
        label="Organisation name or number",
        max_length=200,
        required=False,
        help_text="Part of the name (capitals and accents do not matter) or of the number",
    )


def _score(raw: str, code: str, errors: dict[str, str]) -> int | None:
    raw = raw.strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        errors[code] = f"{code}: give a whole number"
        return None


Latest = Mapping[str, Any]  # attribute -> its latest row (``score`` and ``note``/``notes``)


def _changed(latest: Latest, code: str, score: int, note: str, field: str) -> bool:
    row = latest.get(code)
    return row is None or row.score != score or getattr(row, field) != note


def parse_self_scores(
    post: Mapping[str, str], standard: Standard, latest: Latest
) -> tuple[list[SelfScoreInput], dict[str, str]]:
    """``score-<attribute>`` and ``note-<attribute>`` fields → entries. Blank scores are
    skipped (not every attribute has to be filled at once), and so are rows equal to the
    latest entry: resubmitting the whole form adds no history rows that record no change."""
    entries: list[Any] = []
    errors: dict[str, str] = {}
    for a in standard.attributes:
        score = _score(post.get(f"score-{a.code}", ""), a.code, errors)
        note = post.get(f"note-{a.code}", "").strip()
        if score is not None and _changed(latest, a.code, score, note, "note"):
            entries.append(SelfScoreInput(a.code, score, note))
    return entries, errors


def parse_site_scores(
    post: Mapping[str, str], standard: Standard, office_id: int, latest: Latest
) -> tuple[list[SiteScoreInput], dict[str, str]]:
    """As ``parse_self_scores`` for one office; ``notes-<attribute>`` is the evidence note."""
    entries: list[Any] = []
    errors: dict[str, str] = {}
    for a in standard.attributes:
        score = _score(post.get(f"score-{a.code}", ""), a.code, errors)
        notes = post.get(f"notes-{a.code}", "").strip()
        if score is not None and _changed(latest, a.code, score, notes, "notes"):
            entries.append(SiteScoreInput(office_id, a.code, score, notes))
    return entries, errors


class RenewalsForm(forms.Form):
    """How far ahead the renewals page looks (the CLI's ``--within``)."""

    within = forms.IntegerField(
        label="Expiring within (days)", min_value=0, max_value=3660, required=False
    )
