"""Notifications: in-app messages and emails about portfolio events."""

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "assay.notifications"
    label = "notifications"
    verbose_name = "Notifications"
