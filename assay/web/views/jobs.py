"""Background jobs in the browser: start a report or export (POST → the job's page), watch
its progress (the status fragment, polled by htmx until the job ends) and download the result.
Only the person who asked, or the awarding body's staff, sees a job; anyone else gets 404
exactly as for a missing one."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from assay.audits.tasks import audit_report_job
from assay.errors import InvalidInput
from assay.jobs.selectors import job_get, job_result_open, jobs_page
from assay.portfolios.tasks import portfolio_export_job
from assay.verification.tasks import iqa_report_job
from assay.web.requests import AuthedRequest
from assay.web.views.access import member_view


@require_GET
@member_view
def job_index(request: AuthedRequest) -> HttpResponse:
    """The jobs the user asked for, newest first, each with its state and a link to it."""
    rows = jobs_page(request.user, request.GET.get("cursor"), request.GET.get("size"))
    return render(request, "web/jobs/index.html", {"rows": rows})


@require_GET
@member_view
def job_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """What was asked, how far along it is, and the download link once it is done."""
    return render(request, "web/jobs/job.html", {"job": job_get(request.user, pk)})


@require_GET
@member_view
def job_status(request: AuthedRequest, pk: int) -> HttpResponse:
    """The status fragment the job page polls (it stops polling once the job has ended)."""
    return render(request, "web/jobs/_status.html", {"job": job_get(request.user, pk)})


@require_GET
@member_view
def job_download(request: AuthedRequest, pk: int) -> FileResponse:
    job, content = job_result_open(request.user, pk)
    return FileResponse(
        content, as_attachment=True, filename=job.result_filename, content_type=job.result_type
    )


@require_POST
@member_view
def audit_report_start(request: AuthedRequest, pk: int) -> HttpResponse:
    """Queue the audit report PDF for whoever may see the audit."""
    job = audit_report_job(by=request.user, audit_pk=pk)
    return redirect("job", pk=job.pk)


@require_POST
@member_view
def iqa_report_start(request: AuthedRequest, pk: int) -> HttpResponse:
    """Queue the centre's IQA report (``from``/``to`` as the direct download takes them)."""
    from assay.web.iqa_forms import ReportPeriodForm

    form = ReportPeriodForm(request.POST)
    if not form.is_valid():
        raise InvalidInput({k: " ".join(str(e) for e in v) for k, v in form.errors.items()})
    fmt = request.POST.get("format", "pdf")
    if fmt not in ("pdf", "xlsx"):
        raise InvalidInput({"format": "choose pdf or xlsx"})
    job = iqa_report_job(
        by=request.user,
        centre_pk=pk,
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
        fmt=fmt,
    )
    return redirect("job", pk=job.pk)


@require_POST
@member_view
def portfolio_export_start(request: AuthedRequest, pk: int) -> HttpResponse:
    """Queue the portfolio ZIP of registration ``pk`` for anyone who may see it."""
    job = portfolio_export_job(by=request.user, registration_pk=pk)
    return redirect("job", pk=job.pk)
