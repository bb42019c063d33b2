"""ICS membership and progression: read models over registrations and the catalogue."""

from django.apps import AppConfig


class MembershipConfig(AppConfig):
    name = "assay.membership"
    label = "membership"
    verbose_name = "ICS membership and progression"
