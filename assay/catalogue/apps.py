"""The standards catalogue: qualifications, units, outcomes, criteria, NOS map."""

from django.apps import AppConfig


class CatalogueConfig(AppConfig):
    name = "assay.catalogue"
    label = "catalogue"
    verbose_name = "Catalogue"
