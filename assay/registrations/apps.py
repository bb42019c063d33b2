"""Candidates on qualifications: entry rules, plans, initial assessment, RPL, status history."""

from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "assay.registrations"
    label = "registrations"
    verbose_name = "Registrations"

    def ready(self) -> None:
        from assay.records.registry import reconciler_register
        from assay.registrations.enrolment import PREFIX, reconcile

        reconciler_register(PREFIX, reconcile)
