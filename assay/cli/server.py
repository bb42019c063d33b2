"""``assay demo`` and ``assay serve``: the README's run command is these two in a row."""

from __future__ import annotations

import os
from typing import Any

import click

# The WSGI application, named as a string: the CLI stands below assay.config (import-linter).
WSGI_APP = "assay.config.wsgi"
# Threads per worker (gunicorn's gthread worker). A thread that waits on a long upload or
# download does not stop the worker telling the arbiter it is alive, so big evidence files are
# not cut off by the worker timeout as they would be with the one-request "sync" worker.
DEFAULT_THREADS = 4


@click.command()
def demo() -> None:
    """Create or update the database with demo data. Safe to run again. Stops, changing
    nothing, when the anchor log names chains of an earlier database that is gone."""
    from assay.cli.output import fail
    from assay.demo.load import demo_load
    from assay.errors import InvalidInput

    try:
        for line in demo_load():
            click.echo(line)
    except InvalidInput as refused:
        fail("; ".join(refused.errors.values()))


# Each worker holds the whole application (~100 MB): a 32-CPU laptop running `make run` should
# not start 65 of them. ASSAY_WORKERS sets any number.
MAX_DEFAULT_WORKERS = 8


def default_workers() -> int:
    """``ASSAY_WORKERS``, else gunicorn's rule of thumb, two per CPU plus one, at most 8."""
    configured = os.environ.get("ASSAY_WORKERS", "").strip()
    if configured:
        return int(configured)
    return min(2 * (os.cpu_count() or 1) + 1, MAX_DEFAULT_WORKERS)


def gunicorn_options(addr: str, workers: int, threads: int) -> dict[str, Any]:
    """The production server's settings (docs/deploy.md; docs/adr/0018)."""
    return {
        "bind": [addr],
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        # The application (settings, URLconf, views, API schema) is imported once in the
        # arbiter, before any worker forks: no first request pays for it, and a refused
        # production configuration stops the start instead of every worker in a loop.
        "preload_app": True,
        # One JSON line per request comes from the application with its request id
        # (assay/config/middleware.py); gunicorn's own access log would repeat it.
        "accesslog": None,
        "errorlog": "-",
        "loglevel": os.environ.get("ASSAY_SERVER_LOG_LEVEL", "info"),
        "proc_name": "assay",
        "logconfig_dict": _log_config(),
        "graceful_timeout": 30,
    }


def _log_config() -> dict[str, Any]:
    """gunicorn's own lines (starting, worker booted, worker timeout) as JSON too, unless
    ASSAY_LOG_FORMAT=text."""
    if os.environ.get("ASSAY_LOG_FORMAT", "json") == "text":
        return {}
    stream = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "assay.config.logs.JsonFormatter"}},
        "handlers": {"error_console": stream, "console": stream},
        "root": {"level": "WARNING", "handlers": ["console"]},
        "loggers": {
            "gunicorn.error": {"handlers": ["error_console"], "propagate": False},
            "gunicorn.access": {"handlers": [], "propagate": False},
        },
    }


def run_gunicorn(options: dict[str, Any]) -> None:
    """Runs gunicorn in this process until it is stopped (SIGTERM, SIGINT)."""
    import gc
    import importlib

    from django.db import connections
    from gunicorn.app.base import BaseApplication

    class AssayServer(BaseApplication):
        def load_config(self) -> None:
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            application = importlib.import_module(WSGI_APP).application
            # What the arbiter loaded lives as long as the server: frozen out of the garbage
            # collector's sight, its objects are not written to by a worker's collections, so
            # their pages stay shared with the arbiter instead of being copied into each worker.
            gc.collect()
            gc.freeze()
            return application

    # Nothing the arbiter opened may be shared by the forked workers.
    connections.close_all()
    AssayServer(prog="assay serve").run()


@click.command()
@click.option("--addr", default="127.0.0.1:8000", show_default=True, help="HOST:PORT or unix:PATH")
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default ASSAY_WORKERS, else 2 per CPU + 1, at most 8).",
)
@click.option(
    "--threads",
    type=click.IntRange(min=1),
    default=None,
    help=f"Threads per worker (default ASSAY_THREADS, else {DEFAULT_THREADS}).",
)
@click.option("--dev", is_flag=True, help="Django's development server instead (one process).")
def serve(addr: str, workers: int | None, threads: int | None, dev: bool) -> None:
    """Serve the web application and API with gunicorn (docs/deploy.md); `--dev` runs Django's
    development server instead. First removes upload temporary files a killed server left
    (see `assay files sweep`)."""
    from assay.cli.files import sweep_line

    click.echo(sweep_line())
    if dev:
        from django.core.management import call_command

        call_command("runserver", addr, use_reloader=False)
        return
    threads = threads or int(os.environ.get("ASSAY_THREADS", "") or DEFAULT_THREADS)
    run_gunicorn(gunicorn_options(addr, workers or default_workers(), threads))
