"""Notifications: in-app messages and emails about portfolio, IQA, appeal and EQA events."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "assay.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from assay.notifications import audits, eqa

        eqa.connect()
        audits.connect()
