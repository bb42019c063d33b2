"""The candidate's portfolio page and the assessor's unit page, with their forms.

Thin views: parse the form, call one service or selector, render. A registration the user may
not see answers 404; an act their role does not allow answers 403 with the service's reason;
bad input (a wrong-type file, a stale page) re-renders the page with the errors (400) and
changes nothing. Evidence files download through ``evidence_file_open`` as attachments.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from assay.centres.permissions import can_change_status
from assay.engines.coverage import UnitCoverage, unit_statements
from assay.errors import InvalidInput
from assay.portfolios.assessment import (
    criterion_judge,
    mapping_decide,
    span_record,
    unit_reopen,
    unit_sign_off,
)
from assay.portfolios.coverage import registration_coverage, unit_spec
from assay.portfolios.models import CriterionMapping, DecisionKind, EvidenceItem
from assay.portfolios.records import signed_off_units
from assay.portfolios.selectors import (
    evidence_file_open,
    evidence_of,
    registration_decisions,
    registration_evidence,
)
from assay.portfolios.services import (
    authenticity_declare,
    evidence_add,
    evidence_file_attach,
    is_assessor_of,
    is_candidate,
    mapping_propose,
)
from assay.registrations.models import Registration
from assay.registrations.selectors import credited_units, registration_get
from assay.web.forms import apply_errors
from assay.web.portfolio_forms import (
    DecideForm,
    DeclareForm,
    EvidenceForm,
    FileForm,
    JudgeForm,
    MapForm,
    ReopenForm,
    SignOffForm,
    SpanForm,
)
from assay.web.views.access import member_view

User = Any


def targets_of(registration: Registration, unit: str) -> list[tuple[str, str, str]]:
    """(target, kind, text) for each criterion (or element), then each range item."""
    return [(s.target, s.kind, s.text) for s in unit_statements(unit_spec(registration, unit))]


def _feedback(
    registration: Registration,
) -> tuple[int, dict[tuple[str, str], dict[str, Any]], list[Any]]:
    """The last decision number, the latest judgement per (unit, criterion), and reopenings."""
    last, judged, reopened = 0, {}, []
    for d in registration_decisions(registration):
        last = d.seq
        if d.kind == DecisionKind.CRITERION_JUDGED:
            judged[(d.unit_number, d.payload["criterion"])] = {**d.payload, "decision": d}
        elif d.kind == DecisionKind.UNIT_REOPENED:
            reopened.append(d)
    return last, judged, reopened


@dataclass
class UnitCard:
    number: str
    coverage: UnitCoverage
    signed_off: bool
    percent: int
    targets: list[tuple[str, str, str]] = field(default_factory=list)
    credited: bool = False  # by credit transfer; shown for a unit without content (ADR 0010)


def _portfolio(
    request: HttpRequest, pk: int, bound: Mapping[str, forms.Form] | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    registration = registration_get(user, pk)
    coverage = registration_coverage(registration)  # what portfolio_coverage reads
    signed = set(signed_off_units(registration))
    # Narrowed to what the user may see once, above; the reads below reuse that registration.
    items = list(registration_evidence(registration).prefetch_related("declarations"))
    _, judged, reopened = _feedback(registration)
    # Credit transfers matter only beside a unit without content: no query otherwise.
    blocked = any(not c.assessable for c in coverage.values())
    credited = set(credited_units(registration)) if blocked else set()
    cards = [
        UnitCard(
            n, c, n in signed, round(c.progress * 100), targets_of(registration, n), n in credited
        )
        for n, c in coverage.items()
    ]
    feedback = [
        j for (unit, _), j in sorted(judged.items()) if unit in coverage and j.get("feedback")
    ]
    candidate = is_candidate(user, registration)  # type: ignore[arg-type]
    context = {
        "reg": registration,
        "units": cards,
        "items": items,
        "feedback": feedback,
        "reopened": reopened,
        "is_candidate": candidate,
        "can_add": candidate or is_assessor_of(user, registration),  # type: ignore[arg-type]
        "forms": {"evidence": EvidenceForm(), "declare": DeclareForm(), **(bound or {})},
        "bound": bound or {},
    }
    return render(request, "web/portfolio/portfolio.html", context, status=status)


@require_GET
@member_view
def portfolio(request: HttpRequest, pk: int) -> HttpResponse:
    """Each planned unit's progress, what is missing next, the evidence and its files."""
    return _portfolio(request, pk)


def _item(request: HttpRequest, pk: int, item_pk: int) -> EvidenceItem:
    found = evidence_of(request.user, pk).filter(pk=item_pk).first()
    if found is None:
        raise Http404(f"no evidence item {item_pk} in registration {pk}")
    return found


@require_POST
@member_view
def evidence_new(request: HttpRequest, pk: int) -> HttpResponse:
    """Add an evidence item (``evidence_add``) and its file (``evidence_file_attach``) at once:
    if the file is refused, the item is not kept either."""
    registration = registration_get(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        try:
            with transaction.atomic():
                item = evidence_add(by=request.user, registration=registration, **data)  # type: ignore[arg-type]
                if upload is not None:
                    evidence_file_attach(
                        by=request.user,  # type: ignore[arg-type]
                        item=item,
                        upload=upload,
                        original_name=upload.name or "",
                        expected_size=upload.size,
                    )
        except InvalidInput as exc:
            apply_errors(form, {"file" if k == "upload" else k: v for k, v in exc.errors.items()})
        else:
            messages.success(request, f"Evidence item {item.pk} added.")
            return redirect("portfolio", pk=pk)
    return _portfolio(request, pk, {"evidence": form}, status=400)


@require_POST
@member_view
def evidence_attach(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """Attach another file to an item (``evidence_file_attach``)."""
    item = _item(request, pk, item_pk)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            stored = evidence_file_attach(
                by=request.user,  # type: ignore[arg-type]
                item=item,
                upload=upload,
                original_name=upload.name or "",
                expected_size=upload.size,
            )
        except InvalidInput as exc:
            apply_errors(form, exc.errors)
        else:
            messages.success(request, f"{stored.original_name} attached to evidence {item.pk}.")
            return redirect("portfolio", pk=pk)
    return _portfolio(request, pk, {"attach": form}, status=400)


@require_POST
@member_view
def evidence_declare(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """The candidate signs the authenticity declaration on an item."""
    item = _item(request, pk, item_pk)
    form = DeclareForm(request.POST)
    if form.is_valid():
        try:
            authenticity_declare(by=request.user, item=item, text=form.cleaned_data["text"])  # type: ignore[arg-type]
        except InvalidInput as exc:
            apply_errors(form, exc.errors)
        else:
            messages.success(request, f"Authenticity of evidence {item.pk} declared.")
            return redirect("portfolio", pk=pk)
    return _portfolio(request, pk, {"declare": form}, status=400)


@require_POST
@member_view
def evidence_map(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """The candidate proposes the item for the ticked criteria and range items of one unit
    (``mapping_propose`` for each; all or none are kept)."""
    item = _item(request, pk, item_pk)
    form = MapForm(request.POST)
    unit = request.POST.get("unit", "")
    try:
        form.offer((t, t) for t, _, _ in targets_of(item.registration, unit))
    except InvalidInput:
        raise Http404(f"no unit {unit!r} in this qualification") from None
    if form.is_valid():
        targets = form.cleaned_data["targets"]
        try:
            with transaction.atomic():
                for target in targets:
                    mapping_propose(by=request.user, item=item, unit=unit, target=target)  # type: ignore[arg-type]
        except InvalidInput as exc:
            apply_errors(form, exc.errors)
        else:
            messages.success(
                request, f"Evidence {item.pk} proposed for unit {unit}: {', '.join(targets)}."
            )
            return redirect("portfolio", pk=pk)
    return _portfolio(request, pk, {"map": form}, status=400)


@require_GET
@member_view
def evidence_file(request: HttpRequest, file_pk: int) -> FileResponse:
    """Download one evidence file (only for people who may see the portfolio)."""
    row, content = evidence_file_open(request.user, file_pk)
    return FileResponse(
        content, as_attachment=True, filename=row.original_name, content_type=row.media_type
    )


# The assessor's unit page.


def _unit(
    request: HttpRequest,
    pk: int,
    unit: str,
    bound: Mapping[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    registration = registration_get(user, pk)
    coverage = registration_coverage(registration).get(unit)
    if coverage is None:
        raise Http404(f"unit {unit} is not on this learning plan")
    items = list(registration_evidence(registration))
    last_seq, judged, _ = _feedback(registration)
    cells = {
        (m.item_id, m.target): m for i in items for m in i.mappings.all() if m.unit_number == unit
    }
    states = {c.number: c for c in coverage.criteria}
    rows = [
        {
            "target": target,
            "kind": kind,
            "text": text,
            "state": states.get(target),
            "judged": judged.get((unit, target)),
            "cells": [cells.get((i.pk, target)) for i in items],
        }
        for target, kind, text in targets_of(registration, unit)
    ]
    context = {
        "reg": registration,
        "unit": unit,
        "coverage": coverage,
        "percent": round(coverage.progress * 100),
        "signed_off": unit in signed_off_units(registration),
        "items": items,
        "rows": rows,
        "seq": last_seq,
        "can_assess": coverage.assessable and is_assessor_of(user, registration, unit),  # type: ignore[arg-type]
        "credited": not coverage.assessable and unit in credited_units(registration),
        "can_reopen": can_change_status(user, registration.centre),
        "bound": bound or {},
    }
    return render(request, "web/portfolio/unit.html", context, status=status)


@require_GET
@member_view
def unit_page(request: HttpRequest, pk: int, unit: str) -> HttpResponse:
    """Criterion-by-evidence matrix, judgements, the evidence span and sign-off of one unit."""
    return _unit(request, pk, unit)


def _unit_done(request: HttpRequest, pk: int, unit: str, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("portfolio-unit", pk=pk, unit=unit)


@require_POST
@member_view
def mapping_decision(request: HttpRequest, pk: int, mapping_pk: int) -> HttpResponse:
    """Confirm or reject one proposed mapping (``mapping_decide``)."""
    registration = registration_get(request.user, pk)
    mapping = (
        CriterionMapping.objects.select_related("item__registration")
        .filter(pk=mapping_pk, item__registration=registration)
        .first()
    )
    if mapping is None:
        raise Http404(f"no mapping {mapping_pk} in registration {pk}")
    form = DecideForm(request.POST)
    if form.is_valid():
        confirm = form.cleaned_data["decision"] == "confirm"
        try:
            mapping_decide(
                by=request.user,  # type: ignore[arg-type]
                mapping=mapping,
                confirm=confirm,
                expected_seq=form.cleaned_data["expected_seq"],
            )
        except InvalidInput as exc:
            apply_errors(form, exc.errors)
        else:
            verdict = "confirmed" if confirm else "rejected"
            text = f"Evidence {mapping.item_id} for {mapping.target} {verdict}."
            return _unit_done(request, pk, mapping.unit_number, text)
    return _unit(request, pk, mapping.unit_number, {"decide": form}, status=400)


def _unit_act(
    request: HttpRequest,
    pk: int,
    unit: str,
    form_class: type[forms.Form],
    name: str,
    act: Callable[[Registration, dict[str, Any]], str],
) -> HttpResponse:
    """One assessor act on a unit page: validate the form, call the service through ``act``
    (which returns the success message), or re-render the unit page with the errors (400)."""
    registration = registration_get(request.user, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            message = act(registration, form.cleaned_data)
        except InvalidInput as exc:
            apply_errors(form, exc.errors)
        else:
            return _unit_done(request, pk, unit, message)
    return _unit(request, pk, unit, {name: form}, status=400)


@require_POST
@member_view
def judge(request: HttpRequest, pk: int, unit: str) -> HttpResponse:
    """Judge one criterion met or not yet met, with feedback (``criterion_judge``)."""

    def act(registration: Registration, data: dict[str, Any]) -> str:
        met = data["verdict"] == "met"
        criterion_judge(
            by=request.user,  # type: ignore[arg-type]
            registration=registration,
            unit=unit,
            criterion=data["criterion"],
            met=met,
            feedback=data["feedback"],
            expected_seq=data["expected_seq"],
        )
        return f"Criterion {data['criterion']} {'met' if met else 'not yet met'}."

    return _unit_act(request, pk, unit, JudgeForm, "judge", act)


@require_POST
@member_view
def span(request: HttpRequest, pk: int, unit: str) -> HttpResponse:
    """Record the evidence period found sufficient (``span_record``)."""

    def act(registration: Registration, data: dict[str, Any]) -> str:
        span_record(
            by=request.user,  # type: ignore[arg-type]
            registration=registration,
            unit=unit,
            sufficient_days=data["sufficient_days"],
            expected_seq=data["expected_seq"],
        )
        return f"Sufficient evidence period: {data['sufficient_days']} days."

    return _unit_act(request, pk, unit, SpanForm, "span", act)


@require_POST
@member_view
def sign_off(request: HttpRequest, pk: int, unit: str) -> HttpResponse:
    """Sign the unit off, or list every reason it is not ready (``unit_sign_off``)."""

    def act(registration: Registration, data: dict[str, Any]) -> str:
        unit_sign_off(
            by=request.user,  # type: ignore[arg-type]
            registration=registration,
            unit=unit,
            expected_seq=data["expected_seq"],
        )
        return f"Unit {unit} signed off."

    return _unit_act(request, pk, unit, SignOffForm, "sign_off", act)


@require_POST
@member_view
def reopen(request: HttpRequest, pk: int, unit: str) -> HttpResponse:
    """A lead IQA or centre administrator reopens a signed-off unit (``unit_reopen``)."""

    def act(registration: Registration, data: dict[str, Any]) -> str:
        unit_reopen(
            by=request.user,  # type: ignore[arg-type]
            registration=registration,
            unit=unit,
            reason=data["reason"],
            expected_seq=data["expected_seq"],
        )
        return f"Unit {unit} reopened."

    return _unit_act(request, pk, unit, ReopenForm, "reopen", act)
