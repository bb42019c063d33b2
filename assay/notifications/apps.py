"""Notifications: in-app messages and emails about portfolio, IQA, appeal and EQA events."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "assay.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from assay.notifications.eqa import connect

        connect()
