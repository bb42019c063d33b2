"""Candidates on qualifications: entry rules, plans, initial assessment, RPL, status history."""

from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "assay.registrations"
    label = "registrations"
    verbose_name = "Registrations"
