"""Serving middleware: probes, request ids with one log line per request, and the headers a
private page needs (docs/deploy.md)."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

from assay.config.health import readiness
from assay.config.logs import request_id
from assay.errors import STORAGE_DOWN, StorageUnavailable

Handler = Callable[[HttpRequest], HttpResponseBase]

REQUEST_ID_HEADER = "X-Request-ID"
# An id from the proxy is kept when it is a plain token; anything else is replaced (it goes
# into logs and a response header).
_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

access_log = logging.getLogger("assay.request")
probe_log = logging.getLogger("assay.readyz")
storage_log = logging.getLogger("assay.files")

# Features no Assay page uses; a page (or anything injected into it) may not ask for them.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
        "browsing-topics",
    )
)


class ProbeMiddleware:
    """Answers ``/healthz`` and ``/readyz`` first: before the host check (a load balancer
    probes by address), the HTTPS redirect, sessions and the URLconf."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path_info == "/healthz":
            return _no_store(JsonResponse({"status": "ok"}))
        if request.path_info == "/readyz":
            checks = readiness()
            ready = all(check.ok for check in checks)
            # Reasons go to the log only: they may name hosts and paths.
            for check in checks:
                if not check.ok:
                    probe_log.warning("not ready: %s: %s", check.name, check.reason)
            body = {
                "status": "ok" if ready else "unavailable",
                "checks": {c.name: "ok" if c.ok else "failed" for c in checks},
            }
            # No close_old_connections() here: the handler's request_finished signal does it
            # for every answer, and inside a transaction it would drop the connection.
            return _no_store(JsonResponse(body, status=200 if ready else 503))
        return self.get_response(request)


class RequestIdMiddleware:
    """Gives every request an id (the proxy's ``X-Request-ID`` when it sent a plain one), puts
    it on every log line written while serving it and on the response, and logs the request
    once when it is answered."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        rid = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = rid
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "remote": request.META.get("REMOTE_ADDR", ""),
                },
            )
            return response
        finally:
            request_id.reset(token)


class PrivateHeadersMiddleware:
    """``Cache-Control: no-store`` on whatever a signed-in person is shown (pages, evidence
    downloads) and on every API answer — no shared or browser cache keeps them — and a
    ``Permissions-Policy`` on every answer. Static files (whitenoise answers before sign-in is
    known) keep their long cache."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        private = request.path_info.startswith("/api/") or (
            user is not None and user.is_authenticated
        )
        if private and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)  # a view's own no-store is kept as it is
        return response


class StorageErrorMiddleware:
    """A view that met an unreachable evidence store (``StorageUnavailable``: a download, an
    export) answers 503 with a plain message, in the API's error shape under /api/, instead of
    a server error. The reason (it may name hosts) goes to the log."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, StorageUnavailable):
            return None
        storage_log.warning("evidence store unavailable: %s", exc)
        if request.path_info.startswith("/api/"):
            error = {"status": 503, "code": "unavailable", "message": STORAGE_DOWN, "details": []}
            body = {"error": error}
            return _no_store(JsonResponse(body, status=503))
        page = render_to_string("503.html", {"message": STORAGE_DOWN}, request=request)
        return _no_store(HttpResponse(page, status=503))


def _no_store(response: HttpResponse) -> HttpResponse:
    add_never_cache_headers(response)
    return response
