"""Portfolios of evidence: items, files, mappings, authenticity and the decision record."""

from django.apps import AppConfig


class PortfoliosConfig(AppConfig):
    name = "assay.portfolios"
    label = "portfolios"
    verbose_name = "Portfolios"

    def ready(self) -> None:
        from assay.portfolios.record_checks import SOURCE
        from assay.records.registry import source_register

        source_register(SOURCE)
