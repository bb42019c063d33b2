"""Server-rendered pages (htmx) and the demo data loader."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "assay.web"
    label = "web"
    verbose_name = "Web"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from assay.web import homes
        from assay.web.audit_nav import on_sign_in

        user_logged_in.connect(on_sign_in, dispatch_uid="assay-audit-nav")
        user_logged_in.connect(homes.on_sign_in, dispatch_uid="assay-nav")
