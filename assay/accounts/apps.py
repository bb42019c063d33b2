"""API tokens: a person's bearer credentials for the JSON API (only their hash is stored)."""

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "assay.accounts"
    label = "accounts"
    verbose_name = "Accounts"
