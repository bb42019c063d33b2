"""Portfolios of evidence: items, files, mappings, authenticity and the decision record."""

from django.apps import AppConfig


class PortfoliosConfig(AppConfig):
    name = "assay.portfolios"
    label = "portfolios"
    verbose_name = "Portfolios"
