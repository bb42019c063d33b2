from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "assay.audits"
    label = "audits"
    verbose_name = "Certification audits"
    default_auto_field = "django.db.models.BigAutoField"
