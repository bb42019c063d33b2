"""Background jobs: their pages, and the buttons that start reports and exports."""

from django.urls import path

from assay.web.views import jobs

urlpatterns = [
    path("jobs/", jobs.job_index, name="jobs"),
    path("jobs/<int:pk>/", jobs.job_page, name="job"),
    path("jobs/<int:pk>/status", jobs.job_status, name="job-status"),
    path("jobs/<int:pk>/download", jobs.job_download, name="job-download"),
    path("audits/<int:pk>/report-job", jobs.audit_report_start, name="audit-report-job"),
    path("centres/<int:pk>/iqa/report-job", jobs.iqa_report_start, name="centre-iqa-report-job"),
    path(
        "registrations/<int:pk>/portfolio/export-job",
        jobs.portfolio_export_start,
        name="portfolio-export-job",
    ),
]
