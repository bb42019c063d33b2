"""Internal quality assurance: strategies, samples, picks and verifications."""

from django.apps import AppConfig


class VerificationConfig(AppConfig):
    name = "assay.verification"
    label = "verification"
    verbose_name = "Internal quality assurance"

    def ready(self) -> None:
        from assay.portfolios.signals import unit_signed_off
        from assay.verification.receivers import sampled_unit_signed_off

        unit_signed_off.connect(sampled_unit_signed_off, dispatch_uid="iqa-sampled-signed-off")
