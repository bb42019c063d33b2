"""Scoring (the self-assessment, a sampled site and its evidence) and the results with their
reports."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assay.audits import services as svc
from assay.audits.document_review import documents_by_attribute
from assay.audits.pages import scores as score_pages
from assay.engines.audit.charts import radar_svg
from assay.errors import InvalidInput
from assay.web.audit_forms import EvidenceForm, parse_self_scores, parse_site_scores
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view
from assay.web.views.audits.present import cell, error_text, tree_rows


def _entry_errors(errors: Mapping[str, str], codes: Sequence[str]) -> dict[str, str]:
    """A service's ``entries[i]`` errors keyed by the attribute of entry i."""
    out = {}
    for key, message in errors.items():
        if key.startswith("entries[") and key.endswith("]"):
            i = int(key[8:-1])
            out[codes[i] if i < len(codes) else key] = message
        else:
            out[key] = message
    return out


def sheet_values(
    sheet: score_pages.ScoreSheet, posted: Mapping[str, str] | None, note: str
) -> dict[str, dict[str, str]]:
    """attribute → the score and note a scoring form shows: what was just posted (when it is
    shown again with errors), else the latest recorded row."""
    values = {}
    for a in sheet.standard.attributes:
        if posted:
            values[a.code] = {
                "score": posted.get(f"score-{a.code}", ""),
                "note": posted.get(f"{note}-{a.code}", ""),
            }
        elif a.code in sheet.latest:
            row = sheet.latest[a.code]
            values[a.code] = {"score": str(row.score), "note": getattr(row, note)}
    scale = sheet.standard.scale
    for shown in values.values():
        score = shown["score"].strip()
        if score.isdigit() and scale.low <= int(score) <= scale.high:
            shown["band"] = scale.band_of(int(score)).label
    return values


# --- self-assessment and site scores ---------------------------------------------------------


def _self_assessment(
    request: AuthedRequest, pk: int, errors: Mapping[str, str] | None = None, status: int = 200
) -> HttpResponse:
    sheet = score_pages.self_assessment_sheet(request.user, pk)
    context = {
        "sheet": sheet,
        "audit": sheet.audit,
        "rows": tree_rows(sheet.standard),
        "errors": errors or {},
        "values": sheet_values(sheet, request.POST if errors else None, "note"),
    }
    return render(request, "web/audits/self_assessment.html", context, status=status)


@require_http_methods(["GET", "POST"])
@member_view
def self_assessment(request: AuthedRequest, pk: int) -> HttpResponse:
    """Management's expected score and a note per attribute (the organisation's contacts)."""
    if request.method == "POST":
        sheet = score_pages.self_assessment_sheet(request.user, pk)
        entries, errors = parse_self_scores(request.POST, sheet.standard, sheet.latest)
        if not errors:
            try:
                svc.self_assessment_record(by=request.user, audit=sheet.audit, entries=entries)
            except InvalidInput as exc:
                errors = _entry_errors(exc.errors, [e.attribute for e in entries])
        if errors:
            return _self_assessment(request, pk, errors, 400)
        messages.success(request, f"Self-assessment saved ({len(entries)} scores changed).")
        return redirect("audit-self-assessment", pk=pk)
    return _self_assessment(request, pk)


def _site(
    request: AuthedRequest,
    pk: int,
    office_pk: int,
    errors: Mapping[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    sheet = score_pages.site_sheet(request.user, pk, office_pk)
    bands = [[b.low, b.high, b.label] for b in sheet.standard.scale.bands]
    context = {
        "sheet": sheet,
        "audit": sheet.audit,
        "rows": tree_rows(sheet.standard),
        "bands_json": json.dumps(bands),
        "errors": errors or {},
        "values": sheet_values(sheet, request.POST if errors else None, "notes"),
        "documents": documents_by_attribute(sheet.audit),
    }
    return render(request, "web/audits/site.html", context, status=status)


@require_http_methods(["GET", "POST"])
@member_view
def site_scores(request: AuthedRequest, pk: int, office_pk: int) -> HttpResponse:
    """An assigned auditor's scores 0–10 with evidence notes at one sampled office."""
    if request.method == "POST":
        sheet = score_pages.site_sheet(request.user, pk, office_pk)
        entries, errors = parse_site_scores(request.POST, sheet.standard, office_pk, sheet.latest)
        if not errors and entries:
            try:
                svc.site_score_record(by=request.user, audit=sheet.audit, entries=entries)
            except InvalidInput as exc:
                errors = _entry_errors(exc.errors, [e.attribute for e in entries])
        if errors:
            return _site(request, pk, office_pk, errors, 400)
        name = sheet.office.name if sheet.office else office_pk
        messages.success(request, f"Scores at {name} saved ({len(entries)} changed).")
        return redirect("audit-site", pk=pk, office_pk=office_pk)
    return _site(request, pk, office_pk)


@require_POST
@member_view
def site_evidence(request: AuthedRequest, pk: int, office_pk: int) -> HttpResponse:
    """A file the auditor saw, stored by content address (``site_evidence_attach``)."""
    sheet = score_pages.site_sheet(request.user, pk, office_pk)
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return _site(request, pk, office_pk, {"file": "Choose a file to upload."}, 400)
    upload = form.cleaned_data["file"]
    attribute = form.cleaned_data["attribute"]
    try:
        svc.site_evidence_attach(
            by=request.user,
            audit=sheet.audit,
            office_id=office_pk,
            attribute=attribute,
            upload=upload,
            original_name=upload.name or "",
            expected_size=upload.size,
        )
    except InvalidInput as exc:
        return _site(request, pk, office_pk, {attribute: error_text(exc)}, 400)
    messages.success(request, f"{upload.name} stored as evidence for {attribute}.")
    return redirect("audit-site", pk=pk, office_pk=office_pk)


def _office_param(raw: str | None) -> int | None:
    """The ``office`` filter of the evidence list: a whole number, or none."""
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise InvalidInput({"office": "office must be an office's number"}) from None


@require_GET
@member_view
def evidence_list(request: AuthedRequest, pk: int) -> HttpResponse:
    """Every evidence file of the audit (of one office, one attribute), newest first, a page
    at a time (whoever sees the audit)."""
    page = score_pages.evidence_list(
        request.user,
        pk,
        office_id=_office_param(request.GET.get("office")),
        attribute=request.GET.get("attribute", "").strip(),
        cursor=request.GET.get("cursor"),
        size=request.GET.get("size"),
    )
    return render(request, "web/audits/evidence.html", {"page": page, "audit": page.audit})


@require_GET
@member_view
def site_evidence_file(request: AuthedRequest, pk: int, file_pk: int) -> FileResponse:
    """Download an evidence file (whoever sees the audit), as an attachment."""
    row, content = score_pages.site_evidence_open(request.user, pk, file_pk)
    return FileResponse(
        content, as_attachment=True, filename=row.original_name, content_type=row.media_type
    )


# --- results and reports -----------------------------------------------------------------------


def _radar(page: score_pages.ResultsPage) -> str:
    st = page.results.standard
    profile = page.results.profile
    titles = [st.node(code).title.removesuffix(" perspective") for code, _, _ in profile]
    bounds = [b.low for b in st.scale.bands if b.low > st.scale.low]
    return radar_svg(
        titles,
        [
            ("Management expectation", [e for _, e, _ in profile]),
            ("Actual delivery", [a for _, _, a in profile]),
        ],
        high=st.scale.high,
        size=440,
        rings=bounds,
        title="Expectation against delivery by perspective",
    )


@require_GET
@member_view
def results(request: AuthedRequest, pk: int) -> HttpResponse:
    """Per attribute, element and perspective, per site and across sites, with bands; the
    gap analysis with the radar chart; trend, year-on-year change and comparison."""
    page = score_pages.results_page(request.user, pk)
    r = page.results
    st = r.standard
    context = {
        "page": page,
        "audit": r.audit,
        "standard": st,
        "table": r.table,
        # The engine escapes every text it draws into the SVG.
        "radar": mark_safe(_radar(page)),
        "gaps": [
            (g, st.attribute(g.attribute), cell(st, g.actual), cell(st, g.expected)) for g in r.gaps
        ],
        "change": [
            (
                code,
                st.attribute(code).title if st.has_attribute(code) else code,
                cell(st, before),
                cell(st, after),
                None if before is None or after is None else after - before,
            )
            for code, before, after in page.change
        ],
        "trend": [
            (st.node(code).title if code else "Overall", [cell(st, v) for v in values])
            for code, values in page.trend
        ],
        "comparison": [
            (
                other,
                [res.table.node(n.code).across for n in st.top_nodes()],
                res.table.overall.across,
            )
            for other, res in page.comparison
        ],
        "this_row": [r.table.node(n.code).across for n in st.top_nodes()],
        "perspectives": st.top_nodes(),
    }
    return render(request, "web/audits/results.html", context)


@require_GET
@member_view
def report_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    """The audit report as PDF (fpdf2 loads only here)."""
    from assay.audits.reports.build import report_for
    from assay.audits.reports.pdf import render_pdf

    body = render_pdf(report_for(request.user, pk))
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="audit-{pk}.pdf"'
    return response


@require_GET
@member_view
def report_xlsx(request: AuthedRequest, pk: int) -> HttpResponse:
    """The scores as XLSX (openpyxl loads only here)."""
    from assay.audits.reports.build import report_for
    from assay.audits.reports.xlsx import render_xlsx

    body = render_xlsx(report_for(request.user, pk))
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="audit-{pk}.xlsx"'
    return response
