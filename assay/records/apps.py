"""The records app: generic chains, anchors and the one verification every chain goes through."""

from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "assay.records"
    label = "records"
    verbose_name = "Records"
