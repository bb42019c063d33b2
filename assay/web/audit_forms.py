"""Forms of the audit pages. Parsing only: every rule (roles, scale, sample, status) is the
services'; their ``InvalidInput`` errors land back on these forms."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms

from assay.audits.pages.home import NewAuditChoices
from assay.audits.services import SelfScoreInput, SiteScoreInput
from assay.engines.audit.model import Standard

KINDS = [("initial", "Initial certification"), ("recertification", "Re-certification")]


class NewAuditForm(forms.Form):
    """An initial audit (organisation, optional division, standard version) or the
    re-certification of a decided audit (which fixes organisation, scope and standard)."""

    kind = forms.ChoiceField(label="Kind of audit", choices=KINDS, initial="initial")
    organisation = forms.TypedChoiceField(label="Organisation", coerce=int, required=False)
    division = forms.TypedChoiceField(
        label="Scope",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="The whole organisation, or one autonomous division certified on its own.",
    )
    standard = forms.TypedChoiceField(label="Standard", coerce=int, required=False)
    previous = forms.TypedChoiceField(
        label="Audit to re-certify",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Re-certification only: same organisation, scope and attribute list.",
    )

    def __init__(self, choices: NewAuditChoices, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [  # type: ignore[attr-defined]
            (o.pk, f"{o.name} ({o.reference})") for o in choices.organisations
        ]
        self.fields["division"].choices = [("", "Whole organisation")] + [  # type: ignore[attr-defined]
            (d.pk, f"{o.name}: {d.name} division")
            for o in choices.organisations
            for d in o.divisions.all()
        ]
        self.fields["standard"].choices = [  # type: ignore[attr-defined]
            (s.pk, f"{s.title} (v{s.version})") for s in choices.standards
        ]
        self.fields["previous"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (a.pk, f"Audit {a.pk}: {a.scope_text}, {a.created_on:%d/%m/%Y}")
            for a in choices.previous
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == "recertification":
            if not data.get("previous"):
                self.add_error("previous", "Choose the decided audit to re-certify.")
        else:
            if not data.get("organisation"):
                self.add_error("organisation", "Choose the organisation.")
            if not data.get("standard"):
                self.add_error("standard", "Choose the standard.")
        return data


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
