"""Certification claims and certificates (issue 14): claims in batches to the awarding body,
its queries, EV samples, approvals and rejections, and the certificates they issue."""

from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "assay.claims"
    label = "claims"
    verbose_name = "Claims and certificates"

    def ready(self) -> None:
        from assay.claims.records import register

        register()
