"""WSGI entry point (``assay serve`` runs it under gunicorn; docs/deploy.md).

Loading it also loads the URLconf and with it every view, the API and its schemas, so the first
request does not pay for those imports (with gunicorn's preload, once, before workers fork).
"""

import os
from pathlib import Path

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "assay.config.settings")
application = get_wsgi_application()


def _warm() -> None:
    from django.template import engines
    from django.template.loaders.cached import Loader as CachedLoader
    from django.urls import get_resolver, reverse

    get_resolver().url_patterns  # noqa: B018 - imports the URLconf and every view module
    reverse("home")  # fills the reverse lookup tables too
    # Compile the page templates into the cached loader (not in debug, where it is off).
    engine = engines["django"].engine  # type: ignore[attr-defined]
    for loader in engine.template_loaders:
        if not isinstance(loader, CachedLoader):
            continue
        for folder in engine.dirs + [str(d) for d in _app_template_dirs()]:
            for path in Path(folder).rglob("*.html"):
                try:
                    loader.get_template(str(path.relative_to(folder)))
                except Exception:  # a template for another engine, or a broken one: not ours
                    continue


def _app_template_dirs() -> tuple[Path, ...]:
    from django.template.utils import get_app_template_dirs

    return tuple(Path(d) for d in get_app_template_dirs("templates"))


_warm()
