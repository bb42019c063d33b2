"""Server-rendered pages (htmx) and the demo data loader."""

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "assay.web"
    label = "web"
    verbose_name = "Web"
