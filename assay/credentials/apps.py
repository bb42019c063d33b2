"""Open Badges 3.0 credentials for certificates (docs/credentials.md)."""

from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    name = "assay.credentials"
    label = "credentials"
    verbose_name = "Credentials"

    def ready(self) -> None:
        from assay.credentials.receivers import connect
        from assay.credentials.records import register

        register()
        connect()
