"""Appeals and complaints: chained acts, reconciled by ``assay records verify``."""

from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "assay.appeals"
    label = "appeals"
    verbose_name = "Appeals and complaints"

    def ready(self) -> None:
        from assay.appeals.records import register

        register()
