"""External verification (EQA): the external verifier's visits, action points and sanctions."""

from django.apps import AppConfig


class EqaConfig(AppConfig):
    name = "assay.eqa"
    label = "eqa"
    verbose_name = "External verification"

    def ready(self) -> None:
        from assay.eqa.records import register

        register()
