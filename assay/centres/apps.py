"""Centres, their approvals and sites, and the people who work there in which role."""

from django.apps import AppConfig


class CentresConfig(AppConfig):
    name = "assay.centres"
    label = "centres"
    verbose_name = "Centres"
