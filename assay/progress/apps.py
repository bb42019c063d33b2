"""The caseload and centre progress read models, with one materialised row per registration
(``RegistrationProgress``, ADR 0014) kept current by the receivers connected here."""

from django.apps import AppConfig


class ProgressConfig(AppConfig):
    name = "assay.progress"
    label = "progress"
    verbose_name = "Progress (caseload, centre progress)"

    def ready(self) -> None:
        from assay.progress import receivers

        receivers.connect()
