"""Request body limits, enforced while the body streams in, before any of it is spooled.

Django parses a multipart body the first time something reads ``request.POST`` (for a web
form that is the CSRF check, before the view) and spools every file part above
``FILE_UPLOAD_MAX_MEMORY_SIZE`` to a temporary file. The evidence size limit in
``storage.store_upload`` is only checked after that, so without this module an anonymous
150 MiB POST to the sign-in page is written to disk in full before anything refuses it.

Two guards, both answering 413 with a clear message and changing nothing:

* ``BodyLimitMiddleware`` picks the cap for the request: ``ASSAY_REQUEST_MAX_BYTES`` (a few MiB)
  for every request, and ``ASSAY_EVIDENCE_MAX_BYTES + ASSAY_REQUEST_MAX_BYTES`` for a POST to
  one of the evidence upload endpoints (``EVIDENCE_UPLOADS``) by a signed-in user or a valid
  bearer token. A declared ``Content-Length`` above the cap is refused before a byte of the body
  is read; a body without one is counted as it is read and stopped at the cap.
* ``LimitedUploadHandler`` (first in ``FILE_UPLOAD_HANDLERS``) counts each file part as it
  streams and stops at the per-file limit (the evidence limit on evidence endpoints, the request
  cap elsewhere), closing the partial temporary files (which deletes them) before the view runs.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve

# URL names (with namespace) of the views that accept evidence files: the portfolio's evidence
# form and attach form, the audit site's evidence form, and their API counterparts.
EVIDENCE_UPLOADS = frozenset(
    {
        "portfolio-evidence",
        "portfolio-attach",
        "audit-site-evidence",
        "api-v1:upload_file",
        "api-v1:evidence",
        "api-v1:document_upload",
        "audit-documents",
    }
)
_TOO_LARGE = "assay_body_too_large"  # request attribute: the refusal message, once refused
_FILE_LIMIT = "assay_upload_file_limit"  # request attribute: the per-file limit in bytes


class RequestTooLarge(RequestDataTooBig):
    """A body or file ran past its cap while streaming. A ``RequestDataTooBig`` so Django marks
    the POST data unreadable (nothing re-parses the half-read body) and the view never runs;
    ``BodyLimitMiddleware`` turns the resulting response into a 413."""


def request_max_bytes() -> int:
    return int(settings.ASSAY_REQUEST_MAX_BYTES)


def _mib(size: int) -> str:
    if size < 1024**2:
        return f"{size:,} bytes"
    return f"{size:,} bytes ({size / 1024**2:,.1f} MiB)"


def is_evidence_upload(request: HttpRequest) -> bool:
    """A POST to one of the evidence upload endpoints."""
    if request.method != "POST":
        return False
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in EVIDENCE_UPLOADS


def _signed_in(request: HttpRequest) -> bool:
    """A signed-in session or a live bearer token whose scope allows the method (the API checks
    the token again)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return True
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return False
    from assay.accounts.services import token_authenticate

    # A read-only token may not upload: it gets the anonymous cap (the API then answers 403).
    return token_authenticate(token.strip(), method=request.method) is not None


def _declared_length(request: HttpRequest) -> int | None:
    """The declared ``Content-Length``; None when absent or not a number."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    return length if length >= 0 else None


def limits_for(request: HttpRequest) -> tuple[int, int]:
    """(body cap, per-file cap) for this request."""
    small = request_max_bytes()
    if is_evidence_upload(request) and _signed_in(request):
        evidence = int(settings.ASSAY_EVIDENCE_MAX_BYTES)
        return evidence + small, evidence
    return small, small


class _CappedStream:
    """Wraps the request's body stream and stops reading once more than ``cap`` bytes came
    (for bodies whose length was not declared; a declared one was checked up front)."""

    def __init__(self, stream: Any, cap: int, request: HttpRequest) -> None:
        self._stream = stream
        self._cap = cap
        self._request = request
        self.read_bytes = 0

    def _count(self, data: bytes) -> bytes:
        self.read_bytes += len(data)
        if self.read_bytes > self._cap:
            raise _refuse(self._request, f"The request body is larger than {_mib(self._cap)}.")
        return data

    def read(self, size: int = -1, /) -> bytes:
        if size is None or size < 0:
            size = self._cap + 1 - self.read_bytes
        return self._count(self._stream.read(max(0, min(size, self._cap + 1 - self.read_bytes))))

    def readline(self, size: int = -1, /) -> bytes:
        room = self._cap + 1 - self.read_bytes
        size = room if size is None or size < 0 else min(size, room)
        return self._count(self._stream.readline(max(0, size)))

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()


def _refuse(request: HttpRequest, message: str) -> RequestTooLarge:
    setattr(request, _TOO_LARGE, message)
    return RequestTooLarge(message)


def _discard_partial_files(request: HttpRequest) -> None:
    """Close every handler's file in progress: a temporary upload file is deleted on close."""
    for handler in getattr(request, "_upload_handlers", None) or []:
        partial = getattr(handler, "file", None)
        if partial is not None:
            with contextlib.suppress(OSError):
                partial.close()


class LimitedUploadHandler(FileUploadHandler):
    """Counts each uploaded file's bytes as they stream and stops at the per-file limit, before
    the next handlers (memory, temporary file) see the chunk that goes over."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0
        self.limit = int(getattr(self.request, _FILE_LIMIT, None) or request_max_bytes())

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            _discard_partial_files(self.request)  # type: ignore[arg-type]
            raise _refuse(
                self.request,  # type: ignore[arg-type]
                f"{self.file_name or 'The file'} is larger than the limit of {_mib(self.limit)}; "
                "nothing was stored.",
            )
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler returns the file


def too_large_response(request: HttpRequest, message: str) -> HttpResponseBase:
    """413 in the API's error shape under /api/, else a page."""
    if request.path_info.startswith("/api/"):
        body = {"error": {"status": 413, "code": "too_large", "message": message, "details": []}}
        content = json.dumps(body).encode()
        content_type = "application/json"
    else:
        content = render_to_string("413.html", {"message": message}, request=request).encode()
        content_type = "text/html; charset=utf-8"
    stream = request.environ.get("wsgi.input") if hasattr(request, "environ") else None
    if isinstance(stream, LimitedStream):
        # Django's development server drains the unread body after the response; stop that
        # (the client may still be sending hundreds of MiB) and answer without a length, which
        # makes it close the connection instead of reading the rest as the next request.
        stream.limit = getattr(stream, "_pos", 0)
        return StreamingHttpResponse(iter([content]), status=413, content_type=content_type)
    return HttpResponse(content, status=413, content_type=content_type)


class BodyLimitMiddleware:
    """Refuses a body above the request's cap with 413 before it is read; see the module."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        length = _declared_length(request)
        cap, file_cap = limits_for(request)
        if length is not None and length > cap:
            message = f"The request body is {_mib(length)}; the limit is {_mib(cap)}."
            if cap == request_max_bytes() and is_evidence_upload(request):
                message += " Sign in to upload larger evidence files."
            return too_large_response(request, message)
        setattr(request, _FILE_LIMIT, file_cap)
        if hasattr(request, "_stream"):
            request._stream = _CappedStream(request._stream, cap, request)  # type: ignore[assignment]
        response: HttpResponseBase = self.get_response(request)
        refused: str | None = getattr(request, _TOO_LARGE, None)
        if refused and response.status_code != 413:
            return too_large_response(request, refused)
        return response
