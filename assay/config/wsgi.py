"""WSGI entry point (``assay serve`` runs it under gunicorn; docs/deploy.md).

Loading it also loads the URLconf and with it every view, the API and its schemas, so the first
request does not pay for those imports (with gunicorn's preload, once, before workers fork).
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assay.config.settings")
application = get_wsgi_application()


def _warm() -> None:
    from django.urls import get_resolver, reverse

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view module
    reverse("home")  # fills the reverse lookup tables too


_warm()
