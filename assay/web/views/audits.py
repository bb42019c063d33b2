"""Pages of the certification audit cycle (docs/audits.md), one per step, and the public
certificate register.

Thin views: parse the form, call one read of ``assay.audits.pages`` or one service, render.
Every audit page is narrowed through the selectors: an audit, organisation, office or
certificate the user may not see answers 404 like a missing one; an act the role may not do
answers 403 with the service's sentence; bad input re-renders with the errors (400) and changes
nothing. Only ``/register/certificates/`` is open without signing in.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assay.audits import pages
from assay.audits import selectors as sel
from assay.audits import services as svc
from assay.audits.certificates import (
    MARK,
    REMIND_DAYS,
    certificate_issue,
    certificate_withdraw,
    reminders_send,
)
from assay.audits.reference_answers import PublicCertificateOut
from assay.audits.results_table import Mark, mark
from assay.engines.audit.charts import radar_svg
from assay.engines.audit.model import Attribute, Node, Standard
from assay.errors import InvalidInput, NotFound
from assay.web.audit_forms import (
    AdvanceForm,
    AssignForm,
    EvidenceForm,
    NewAuditForm,
    RegisterForm,
    RenewalsForm,
    parse_self_scores,
    parse_site_scores,
)
from assay.web.audit_nav import remember_audit_roles
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view

# --- presentation helpers ---------------------------------------------------------------------


@dataclass(frozen=True)
class TreeRow:
    """One line of a standard laid out as a tree: a node or an attribute at its depth."""

    depth: int
    node: Node | None = None
    attribute: Attribute | None = None


def tree_rows(standard: Standard) -> list[TreeRow]:
    """Nodes depth first, each followed by its own attributes (the tree depth is data)."""
    rows: list[TreeRow] = []

    def walk(node: Node, depth: int) -> None:
        rows.append(TreeRow(depth, node=node))
        for child in standard.children_of(node.code):
            walk(child, depth + 1)
        for a in standard.attributes:
            if a.parent == node.code:
                rows.append(TreeRow(depth + 1, attribute=a))

    for top in standard.top_nodes():
        walk(top, 0)
    return rows


def cell(standard: Standard, value: float | None) -> Mark:
    """A score or mean as shown: rounded down (never a band it has not reached) with its band."""
    return mark(standard.scale, value)


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
    sheet: pages.ScoreSheet, posted: Mapping[str, str] | None, note: str
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


def _error_text(exc: InvalidInput) -> str:
    return " ".join(m[:1].upper() + m[1:] for m in exc.errors.values())


# --- index, standards, organisations ------------------------------------------------------------


@require_GET
@member_view
def audit_index(request: AuthedRequest) -> HttpResponse:
    """The user's organisations, audits and certificates (narrowed to what they may see)."""
    home = pages.audits_home(request.user)
    remember_audit_roles(request, home.roles)
    return render(request, "web/audits/index.html", {"home": home})


@require_GET
@member_view
def standard_index(request: AuthedRequest) -> HttpResponse:
    """Every imported standard version as a tree, with the 3 I scale."""
    standards = [
        (row, sel.standard_of(row), tree_rows(sel.standard_of(row))) for row in sel.standards_list()
    ]
    return render(request, "web/audits/standards.html", {"standards": standards})


@require_GET
@member_view
def organisation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return render(
        request,
        "web/audits/organisation.html",
        {"page": pages.organisation_page(request.user, pk)},
    )


@require_http_methods(["GET", "POST"])
@member_view
def audit_new(request: AuthedRequest) -> HttpResponse:
    """Plan an audit: initial (whole organisation or one division) or a re-certification."""
    choices = pages.new_audit_choices(request.user)
    form = NewAuditForm(choices, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["kind"] == "recertification":
                previous = sel.audit_get(request.user, data["previous"])
                audit = svc.audit_recertify(by=request.user, previous=previous)
            else:
                organisation = sel.organisation_get(request.user, data["organisation"])
                division = (
                    organisation.divisions.filter(pk=data["division"]).first()
                    if data["division"]
                    else None
                )
                if data["division"] and division is None:
                    raise InvalidInput(
                        {"division": f"that division is not one of {organisation.name}'s"}
                    )
                standard = next(s for s in choices.standards if s.pk == data["standard"])
                audit = svc.audit_create(
                    by=request.user,
                    organisation=organisation,
                    standard=standard,
                    division=division,
                )
        except InvalidInput as exc:
            for key, message in exc.errors.items():
                form.add_error(key if key in form.fields else None, message)
        else:
            messages.success(request, f"Audit {audit.pk} planned: {audit.scope_text}.")
            return redirect("audit", pk=audit.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "web/audits/new.html", {"form": form}, status=status)


# --- one audit ---------------------------------------------------------------------------------


def _overview(request: AuthedRequest, pk: int, error: str = "", status: int = 200) -> HttpResponse:
    overview = pages.audit_overview(request.user, pk)
    context = {
        "o": overview,
        "audit": overview.audit,
        "error": error,
        "assign_form": AssignForm(overview.body_auditors),
    }
    return render(request, "web/audits/audit.html", context, status=status)


@require_GET
@member_view
def audit_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Status, history, auditors, and the next step open to this user."""
    return _overview(request, pk)


@require_POST
@member_view
def audit_advance(request: AuthedRequest, pk: int) -> HttpResponse:
    audit = sel.audit_get(request.user, pk)
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        return _overview(request, pk, "Choose the next status.", 400)
    try:
        svc.audit_advance(by=request.user, audit=audit, **form.cleaned_data)
    except InvalidInput as exc:
        return _overview(request, pk, _error_text(exc), 400)
    messages.success(request, f"Audit {pk} is now in {audit.get_status_display().lower()}.")
    return redirect("audit", pk=pk)


@require_POST
@member_view
def audit_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    audit, auditors = pages.assignable_auditors(request.user, pk)
    form = AssignForm(auditors, request.POST)
    if not form.is_valid():
        return _overview(request, pk, "Choose one of the body's auditors.", 400)
    auditor = next(u for u in auditors if u.pk == form.cleaned_data["auditor"])
    try:
        svc.auditor_assign(by=request.user, audit=audit, auditor=auditor)
    except InvalidInput as exc:
        return _overview(request, pk, _error_text(exc), 400)
    messages.success(request, f"{auditor.get_full_name() or auditor} assigned to audit {pk}.")
    return redirect("audit", pk=pk)


@require_POST
@member_view
def audit_recertify(request: AuthedRequest, pk: int) -> HttpResponse:
    previous = sel.audit_get(request.user, pk)
    try:
        audit = svc.audit_recertify(by=request.user, previous=previous)
    except InvalidInput as exc:
        return _overview(request, pk, _error_text(exc), 400)
    messages.success(request, f"Re-certification audit {audit.pk} planned.")
    return redirect("audit", pk=audit.pk)


# --- sample ------------------------------------------------------------------------------------


def _sample(request: AuthedRequest, pk: int, error: str = "", status: int = 200) -> HttpResponse:
    page = pages.sample_page(request.user, pk)
    return render(
        request,
        "web/audits/sample.html",
        {"page": page, "audit": page.audit, "error": error},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@member_view
def sample(request: AuthedRequest, pk: int) -> HttpResponse:
    """The drawn sample (every pick with its reason, the seed); POST draws it, once."""
    if request.method == "POST":
        audit = sel.audit_get(request.user, pk)
        try:
            svc.sample_draw(by=request.user, audit=audit)
        except InvalidInput as exc:
            return _sample(request, pk, _error_text(exc), 400)
        messages.success(request, "Sample drawn; the seed and every reason are stored.")
        return redirect("audit-sample", pk=pk)
    return _sample(request, pk)


@require_GET
@member_view
def sample_verify(request: AuthedRequest, pk: int) -> HttpResponse:
    """Re-draw from the stored seed and inputs; the answer replaces the button (htmx)."""
    check = sel.sample_verify(request.user, pk)
    return render(request, "web/audits/_verify.html", {"check": check})


# --- self-assessment and site scores ---------------------------------------------------------


def _self_assessment(
    request: AuthedRequest, pk: int, errors: Mapping[str, str] | None = None, status: int = 200
) -> HttpResponse:
    sheet = pages.self_assessment_sheet(request.user, pk)
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
        sheet = pages.self_assessment_sheet(request.user, pk)
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
    sheet = pages.site_sheet(request.user, pk, office_pk)
    bands = [[b.low, b.high, b.label] for b in sheet.standard.scale.bands]
    context = {
        "sheet": sheet,
        "audit": sheet.audit,
        "rows": tree_rows(sheet.standard),
        "bands_json": json.dumps(bands),
        "errors": errors or {},
        "values": sheet_values(sheet, request.POST if errors else None, "notes"),
    }
    return render(request, "web/audits/site.html", context, status=status)


@require_http_methods(["GET", "POST"])
@member_view
def site_scores(request: AuthedRequest, pk: int, office_pk: int) -> HttpResponse:
    """An assigned auditor's scores 0–10 with evidence notes at one sampled office."""
    if request.method == "POST":
        sheet = pages.site_sheet(request.user, pk, office_pk)
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
    sheet = pages.site_sheet(request.user, pk, office_pk)
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
        return _site(request, pk, office_pk, {attribute: _error_text(exc)}, 400)
    messages.success(request, f"{upload.name} stored as evidence for {attribute}.")
    return redirect("audit-site", pk=pk, office_pk=office_pk)


@require_GET
@member_view
def site_evidence_file(request: AuthedRequest, pk: int, file_pk: int) -> FileResponse:
    """Download an evidence file (whoever sees the audit), as an attachment."""
    row, content = pages.site_evidence_open(request.user, pk, file_pk)
    return FileResponse(
        content, as_attachment=True, filename=row.original_name, content_type=row.media_type
    )


# --- results and reports -----------------------------------------------------------------------


def _radar(page: pages.ResultsPage) -> str:
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
    page = pages.results_page(request.user, pk)
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


# --- decision and certificate ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@member_view
def decision(request: AuthedRequest, pk: int) -> HttpResponse:
    """The engine's reasons on the latest scores, then the decision maker confirms; a decision
    maker who scored the audit is refused with the reason (403 on POST)."""
    if request.method == "POST":
        audit = sel.audit_get(request.user, pk)
        try:
            row = svc.decision_record(by=request.user, audit=audit)
        except InvalidInput as exc:
            page = pages.decision_preview(request.user, pk)
            return render(
                request,
                "web/audits/decision.html",
                {"page": page, "audit": page.audit, "error": _error_text(exc)},
                status=400,
            )
        verdict = "certifiable" if row.certifiable else "not certifiable"
        messages.success(request, f"Decision recorded: {verdict}.")
        return redirect("audit-decision", pk=pk)
    page = pages.decision_preview(request.user, pk)
    return render(request, "web/audits/decision.html", {"page": page, "audit": page.audit})


@require_POST
@member_view
def certificate_new(request: AuthedRequest, pk: int) -> HttpResponse:
    audit = sel.audit_get(request.user, pk)
    try:
        certificate = certificate_issue(by=request.user, audit=audit)
    except InvalidInput as exc:
        return _overview(request, pk, _error_text(exc), 400)
    messages.success(request, f"Certificate {certificate.number} issued.")
    return redirect("audit-certificate", number=certificate.number)


def _certificate(
    request: AuthedRequest, number: str, error: str = "", status: int = 200
) -> HttpResponse:
    page = pages.certificate_page(request.user, number)
    context = {"page": page, "mark": MARK, "error": error}
    return render(request, "web/audits/certificate.html", context, status=status)


@require_GET
@member_view
def certificate_detail(request: AuthedRequest, number: str) -> HttpResponse:
    """A certificate for those who may see it; the mark only while it is valid."""
    return _certificate(request, number)


@require_POST
@member_view
def certificate_withdraw_view(request: AuthedRequest, number: str) -> HttpResponse:
    """Withdraw from today with a reason (``certificate_withdraw`` decides who may and whether
    the reason will do: 403 / 400 with its sentence, nothing changed)."""
    certificate = sel.certificate_get(request.user, number)
    try:
        certificate_withdraw(
            by=request.user,
            certificate=certificate,
            reason=request.POST.get("reason", ""),
        )
    except InvalidInput as exc:
        return _certificate(request, number, _error_text(exc), 400)
    messages.success(request, f"Certificate {certificate.number} withdrawn.")
    return redirect("audit-certificate", number=certificate.number)


# --- renewals ----------------------------------------------------------------------------------


def _within(form: RenewalsForm) -> int:
    within = form.cleaned_data.get("within")
    return REMIND_DAYS if within is None else within


@require_GET
@member_view
def renewals(request: AuthedRequest) -> HttpResponse:
    """Certificates due for renewal within N days (the body's administrators), with who would
    be reminded and whether they already were."""
    form = RenewalsForm(request.GET or {"within": str(REMIND_DAYS)})
    if not form.is_valid():
        pages.may_remind(request.user)
        context = {"form": form, "page": None}
        return render(request, "web/audits/renewals.html", context, status=400)
    page = pages.renewals_page(request.user, _within(form))
    return render(request, "web/audits/renewals.html", {"form": form, "page": page})


@require_POST
@member_view
def renewals_send(request: AuthedRequest) -> HttpResponse:
    """Email reminders through ``reminders_send``, the service ``assay audits remind --send``
    uses (each certificate once); report what was sent."""
    pages.may_remind(request.user)
    form = RenewalsForm(request.POST)
    if not form.is_valid():
        return render(request, "web/audits/renewals.html", {"form": form, "page": None}, status=400)
    within = _within(form)
    sent = reminders_send(by=request.user, within_days=within)
    for due in sent:
        to = ", ".join(due.recipients) or "no contact e-mail"
        messages.success(request, f"Reminder for {due.certificate.number} sent to {to}.")
    messages.info(
        request,
        f"{len(sent)} reminder(s) sent for certificates expiring within {within} days; "
        "certificates already reminded were not reminded again.",
    )
    return redirect(f"{reverse('audits-renewals')}?within={within}")


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    """The public register: anyone checks a certificate number and sees only public fields."""
    form = RegisterForm(request.GET or None)
    found: PublicCertificateOut | None = None
    problem = ""
    if form.is_valid():
        try:
            found = sel.certificate_public(form.cleaned_data["number"])
        except NotFound as exc:
            problem = str(exc)[:1].upper() + str(exc)[1:] + "."
    status = 404 if problem else 200
    return render(
        request,
        "web/audits/register.html",
        {"form": form, "found": found, "problem": problem},
        status=status,
    )
