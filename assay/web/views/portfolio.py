"""The candidate's portfolio page and the assessor's unit page, with their forms.

Thin views: parse the form, call one service or selector, render. A registration the user may
not see answers 404; an act their role does not allow answers 403 with the service's reason;
bad input (a wrong-type file, a stale page, a bad page link) re-renders the page with the
errors (400) and changes nothing. Evidence files download through ``evidence_file_open`` as
attachments.

The evidence is listed a page at a time, newest first (``?cursor=``, issue 12), and the
candidate's proposal form (every criterion of every open unit) is loaded for one item when
they open it: an htmx GET of the partial, or without JavaScript a page of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from assay.appeals.services import may_read_appeals
from assay.engines.coverage import UnitCoverage, has_content, unit_statements
from assay.errors import InvalidInput, NotAllowed
from assay.keyset import Page, paginate
from assay.portfolios.coverage import planned_units, registration_coverage, unit_spec
from assay.portfolios.models import DecisionKind, EvidenceItem, MappingStatus
from assay.portfolios.records import signed_off_units
from assay.portfolios.selectors import (
    decisions_of_kinds,
    evidence_file_open,
    evidence_of,
    registration_evidence,
    rejections_of,
    rejections_page,
    standing_rejections,
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
from assay.web.flow import done, submit
from assay.web.portfolio_forms import (
    DeclareForm,
    EvidenceForm,
    FileForm,
    MapForm,
)
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view


def targets_of(registration: Registration, unit: str) -> list[tuple[str, str, str]]:
    """(target, kind, text) for each criterion (or element), then each range item."""
    return [(s.target, s.kind, s.text) for s in unit_statements(unit_spec(registration, unit))]


def _feedback(
    registration: Registration,
) -> tuple[dict[tuple[str, str], dict[str, Any]], list[Any]]:
    """The latest judgement per (unit, criterion) and the reopenings. Confirmations and
    rejections are not read here: the record holds one per decided mapping and grows with the
    portfolio (rejections come a page at a time, ``rejections_page``)."""
    judged, reopened = {}, []
    kinds = [DecisionKind.CRITERION_JUDGED, DecisionKind.UNIT_REOPENED]
    for d in decisions_of_kinds(registration, kinds):
        if d.kind == DecisionKind.CRITERION_JUDGED:
            judged[(d.unit_number, d.payload["criterion"])] = {**d.payload, "decision": d}
        else:
            reopened.append(d)
    return judged, reopened


@dataclass
class UnitCard:
    number: str
    title: str
    coverage: UnitCoverage
    signed_off: bool
    percent: int
    targets: list[tuple[str, str, str]] = field(default_factory=list)
    credited: bool = False  # by credit transfer; shown for a unit without content (ADR 0010)


NEWEST_FIRST = ("-started_on", "-pk")
FEEDBACK_REJECTIONS = 10  # the newest on the portfolio; the rest on their own paged list


def evidence_page(request: AuthedRequest, registration: Registration) -> tuple[Page[Any], str]:
    """The page of evidence the request asks for (newest first), or the first page and the
    reason when its page link is not valid (the caller answers 400)."""
    items = registration_evidence(registration).prefetch_related("declarations")
    try:
        return paginate(items, NEWEST_FIRST, request.GET.get("cursor"), request.GET.get("size")), ""
    except InvalidInput as exc:
        return paginate(items, NEWEST_FIRST), " ".join(exc.errors.values())


def _portfolio(
    request: AuthedRequest,
    pk: int,
    bound: Mapping[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    registration = registration_get(user, pk)
    coverage = registration_coverage(registration)  # what portfolio_coverage reads
    signed = set(signed_off_units(registration))
    # Narrowed to what the user may see once, above; the reads below reuse that registration.
    items, page_error = evidence_page(request, registration)
    if page_error:
        status = 400
    judged, reopened = _feedback(registration)
    shown = [
        m.pk for item in items for m in item.mappings.all() if m.status == MappingStatus.REJECTED
    ]
    rejected = standing_rejections(registration, shown)
    rejections = rejections_page(registration, size=FEEDBACK_REJECTIONS)
    # Credit transfers matter only beside a unit without content: no query otherwise.
    blocked = any(not c.assessable for c in coverage.values())
    credited = set(credited_units(registration)) if blocked else set()
    cards = [
        UnitCard(
            n,
            str(unit_spec(registration, n).get("title", "")),
            c,
            n in signed,
            round(c.progress * 100),
            credited=n in credited,
        )
        for n, c in coverage.items()
    ]
    for item in items:
        for m in item.mappings.all():
            setattr(m, "rejection", rejected.get(m.pk))  # the reason the candidate reads  # noqa: B010
    feedback = [
        j for (unit, _), j in sorted(judged.items()) if unit in coverage and j.get("feedback")
    ]
    candidate = is_candidate(user, registration)
    context = {
        "reg": registration,
        "units": cards,
        "items": items,
        "page_error": page_error,
        "feedback": feedback,
        "reopened": reopened,
        "rejections": rejections,
        "declaration": DeclareForm.base_fields["text"].initial,
        "is_candidate": candidate,
        "sees_appeals": may_read_appeals(user, registration),
        "can_propose": candidate and any(c.coverage.assessable and not c.signed_off for c in cards),
        "can_add": candidate or is_assessor_of(user, registration),
        "forms": {"evidence": EvidenceForm(), "declare": DeclareForm(), **(bound or {})},
        "bound": bound or {},
    }
    return render(request, "web/portfolio/portfolio.html", context, status=status)


@require_GET
@member_view
def portfolio(request: AuthedRequest, pk: int) -> HttpResponse:
    """Each planned unit's progress, what is missing next, the evidence and its files."""
    return _portfolio(request, pk)


@require_GET
@member_view
def rejections(request: AuthedRequest, pk: int) -> HttpResponse:
    """Every piece of evidence that stands rejected, with the reason, newest first, paged."""
    try:
        reg, page = rejections_of(
            request.user, pk, request.GET.get("cursor"), request.GET.get("size")
        )
    except InvalidInput as exc:
        reg, page = rejections_of(request.user, pk)
        context = {"reg": reg, "page": page, "error": " ".join(exc.errors.values())}
        return render(request, "web/portfolio/rejections.html", context, status=400)
    context = {"reg": reg, "page": page, "error": ""}
    return render(request, "web/portfolio/rejections.html", context)


def _item(request: AuthedRequest, pk: int, item_pk: int) -> EvidenceItem:
    found = evidence_of(request.user, pk).filter(pk=item_pk).first()
    if found is None:
        raise Http404(f"no evidence item {item_pk} in registration {pk}")
    return found


def _again(request: AuthedRequest, pk: int, name: str) -> Callable[[forms.Form], HttpResponse]:
    """The portfolio again with the form ``name`` bound and its errors shown (400)."""
    return lambda form: _portfolio(request, pk, {name: form}, status=400)


@require_POST
@member_view
def evidence_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add an evidence item (``evidence_add``) and its file (``evidence_file_attach``) at once:
    if the file is refused, the item is not kept either."""
    registration = registration_get(request.user, pk)

    def act(cleaned: dict[str, Any]) -> HttpResponse:
        data = dict(cleaned)
        upload = data.pop("file")
        with transaction.atomic():
            item = evidence_add(by=request.user, registration=registration, **data)
            if upload is not None:
                evidence_file_attach(
                    by=request.user,
                    item=item,
                    upload=upload,
                    original_name=upload.name or "",
                    expected_size=upload.size,
                )
        return done(request, f"Evidence item {item.pk} added.", "portfolio", pk=pk)

    form = EvidenceForm(request.POST, request.FILES)
    return submit(form, act, _again(request, pk, "evidence"), fields={"upload": "file"})


@require_POST
@member_view
def evidence_attach(request: AuthedRequest, pk: int, item_pk: int) -> HttpResponse:
    """Attach another file to an item (``evidence_file_attach``)."""
    item = _item(request, pk, item_pk)

    def act(data: dict[str, Any]) -> HttpResponse:
        upload = data["file"]
        stored = evidence_file_attach(
            by=request.user,
            item=item,
            upload=upload,
            original_name=upload.name or "",
            expected_size=upload.size,
        )
        return done(
            request, f"{stored.original_name} attached to evidence {item.pk}.", "portfolio", pk=pk
        )

    return submit(FileForm(request.POST, request.FILES), act, _again(request, pk, "attach"))


@require_POST
@member_view
def evidence_declare(request: AuthedRequest, pk: int, item_pk: int) -> HttpResponse:
    """The candidate signs the authenticity declaration on an item."""
    item = _item(request, pk, item_pk)

    def act(data: dict[str, Any]) -> HttpResponse:
        authenticity_declare(by=request.user, item=item, text=data["text"])
        return done(request, f"Authenticity of evidence {item.pk} declared.", "portfolio", pk=pk)

    return submit(DeclareForm(request.POST), act, _again(request, pk, "declare"))


@dataclass
class ProposeUnit:
    """One unit the candidate may still propose evidence for, with its targets."""

    number: str
    title: str
    targets: list[tuple[str, str, str]]


def _propose(
    request: AuthedRequest,
    pk: int,
    item_pk: int,
    bound: forms.Form | None = None,
    bound_unit: str = "",
    status: int = 200,
) -> HttpResponse:
    """The proposal form for one item: the partial for htmx, else a page of its own."""
    item = _item(request, pk, item_pk)
    registration = item.registration
    if not is_candidate(request.user, registration):
        raise NotAllowed("only the candidate proposes mappings of their evidence")
    signed = set(signed_off_units(registration))
    units = []
    for number in planned_units(registration):
        spec = unit_spec(registration, number)
        if number in signed or not has_content(spec):
            continue
        title = str(spec.get("title", ""))
        units.append(ProposeUnit(number, title, targets_of(registration, number)))
    context = {
        "reg": registration,
        "item": item,
        "units": units,
        "bound": {"map": bound} if bound is not None else {},
        "bound_unit": bound_unit,
        "ticked": set(request.POST.getlist("targets")),
    }
    partial = bool(request.headers.get("HX-Request")) and bound is None
    template = "web/portfolio/_propose.html" if partial else "web/portfolio/propose.html"
    return render(request, template, context, status=status)


@require_GET
@member_view
def evidence_propose(request: AuthedRequest, pk: int, item_pk: int) -> HttpResponse:
    """The candidate's proposal form for one item (criteria and range items of each open
    unit), loaded on demand: htmx swaps the partial into the item, a plain link opens it as
    a page."""
    return _propose(request, pk, item_pk)


@require_POST
@member_view
def evidence_map(request: AuthedRequest, pk: int, item_pk: int) -> HttpResponse:
    """The candidate proposes the item for the ticked criteria and range items of one unit
    (``mapping_propose`` for each; all or none are kept). Errors answer the item's proposal
    page with the form's errors (400)."""
    item = _item(request, pk, item_pk)
    form = MapForm(request.POST)
    unit = request.POST.get("unit", "")
    try:
        form.offer((t, t) for t, _, _ in targets_of(item.registration, unit))
    except InvalidInput:
        raise Http404(f"no unit {unit!r} in this qualification") from None

    def act(data: dict[str, Any]) -> HttpResponse:
        targets = data["targets"]
        with transaction.atomic():
            for target in targets:
                mapping_propose(by=request.user, item=item, unit=unit, target=target)
        proposed = f"Evidence {item.pk} proposed for unit {unit}: {', '.join(targets)}."
        return done(request, proposed, "portfolio", pk=pk)

    return submit(form, act, lambda bound: _propose(request, pk, item_pk, bound, unit, status=400))


@require_GET
@member_view
def evidence_file(request: AuthedRequest, file_pk: int) -> FileResponse:
    """Download one evidence file (only for people who may see the portfolio)."""
    row, content = evidence_file_open(request.user, file_pk)
    return FileResponse(
        content, as_attachment=True, filename=row.original_name, content_type=row.media_type
    )
