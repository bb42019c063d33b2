from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "assay.audits"
    label = "audits"
    verbose_name = "Certification audits"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """``records verify`` reconciles every audit's rows with its chain "audit:<pk>"."""
        from assay.audits import competence
        from assay.audits.records import register

        register()
        competence.register()  # chains "competence:<membership id>"
