"""Background jobs: status records and the worker's plumbing."""

from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "assay.jobs"
    label = "jobs"
    verbose_name = "Background jobs"
    default_auto_field = "django.db.models.BigAutoField"
