"""JSON API v1. OpenAPI document at /api/v1/openapi.json, browsable docs at /api/v1/docs.

Every error has one shape: ``{"error": {"status", "code", "message", "details"}}``.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema
from ninja.parser import Parser

from assay.api import accounts as account_routes
from assay.api import api_tokens as token_routes
from assay.api import appeals as appeal_routes
from assay.api import (
    audit_clients,  # noqa: F401  (adds the client writes to audits' router)
    audit_documents,  # noqa: F401  (adds document review to audits' router)
    audit_programme,  # noqa: F401  (adds the programme to audits' router)
    audit_setup,  # noqa: F401  (bodies, roles, contacts, report files on audits' router)
)
from assay.api import audits as audit_routes
from assay.api import caseload as caseload_routes
from assay.api import catalogue as catalogue_routes
from assay.api import centres as centre_routes
from assay.api import claims as claim_routes
from assay.api import credentials as credential_routes
from assay.api import eqa as eqa_routes
from assay.api import iqa as iqa_routes
from assay.api import jobs as job_routes
from assay.api import membership as membership_routes
from assay.api import notifications as notification_routes
from assay.api import people as people_routes
from assay.api import portfolios as portfolio_routes
from assay.api import registrations as registration_routes
from assay.api import reviews as review_routes
from assay.api.auth import TokenExpired
from assay.audits.competence import AssignmentRefused
from assay.claims.services import ClaimRefused
from assay.errors import (
    STORAGE_DOWN,
    InvalidInput,
    NotAllowed,
    NotFound,
    RegistrationRefused,
    StorageUnavailable,
)


class NotAnObject(ValueError):
    """A JSON body that parses but is not an object (``42``, ``null``, ``[]``, ``"x"``)."""


class ObjectParser(Parser):
    """Refuse every JSON body that is not an object, in one place for every operation.

    Without this, ninja lets a body of ``null`` or ``42`` through to schemas whose fields all have
    defaults, and an endpoint would overwrite data with the defaults (issue 10)."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise NotAnObject(f"the request body must be a JSON object, not {type(data).__name__}")
        return data


class AssayAPI(NinjaAPI):
    """Documents the 400 every JSON-body operation answers to a body that is not JSON, and the
    422 every operation with parameters or a body answers when they do not validate (the
    ``ValidationError`` handler below answers for all of them, documented or not)."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        error = {"$ref": "#/components/schemas/Error"}
        for item in schema["paths"].values():
            for operation in item.values():
                content = operation.get("requestBody", {}).get("content", {})
                if operation.get("parameters") or content:
                    operation["responses"].setdefault(
                        422,
                        {
                            "description": "A parameter or the body does not validate",
                            "content": {"application/json": {"schema": error}},
                        },
                    )
                if "application/json" in content:
                    operation["responses"].setdefault(
                        400,
                        {
                            "description": "The body is not JSON",
                            "content": {"application/json": {"schema": error}},
                        },
                    )
        return schema


storage_log = logging.getLogger("assay.files")

api = AssayAPI(
    parser=ObjectParser(),
    title="Assay API",
    version="1",
    description=(
        "Catalogue of standards and rules-of-combination planning (public), and centres and "
        "candidate registration (send `Authorization: Bearer <token>`; get a token from "
        "`POST /api/v1/auth/login` or `assay token create USERNAME`; a token has a scope, `read` "
        "(GET only: other methods answer 403) or `write`, and an expiry (401 `token_expired`)). "
        "Every error answers "
        '`{"error": {"status": int, "code": str, "message": str, "details": list}}`: '
        "401 `unauthenticated`, 403 `forbidden` (you see the object but your role may not do "
        "this), 404 `not_found` (missing, or not yours to see), 422 `invalid` (details: "
        "`{field, message}` or `{loc, message}`) and 422 `refused` (entry rules; details: "
        "`{code, message}` for every reason). A request body must be a JSON object: any other "
        'JSON value (`42`, `null`, `[]`, `"x"`) answers 422 `invalid` and changes nothing; a body '
        "that is not JSON answers 400 `bad_request`."
    ),
    urls_namespace="api-v1",
)


def error_response(
    request: HttpRequest, status: int, code: str, message: str, details: list[Any] | None = None
) -> HttpResponse:
    body = {"error": {"status": status, "code": code, "message": message, "details": details or []}}
    return api.create_response(request, body, status=status)


@api.exception_handler(NotFound)
def _not_found(request: HttpRequest, exc: NotFound) -> HttpResponse:
    return error_response(request, 404, "not_found", str(exc))


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    details = [
        {"loc": [str(p) for p in e.get("loc", [])], "message": e.get("msg", "")} for e in exc.errors
    ]
    first = details[0] if details else {"loc": [], "message": "invalid request"}
    message = f"{'.'.join(first['loc'][1:]) or 'request'}: {first['message']}"
    return error_response(request, 422, "invalid", message, details)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    if isinstance(exc, TokenExpired):
        return error_response(request, 401, "token_expired", str(exc))
    return error_response(request, 401, "unauthenticated", "sign in or send a token")


@api.exception_handler(NotAllowed)
def _forbidden(request: HttpRequest, exc: NotAllowed) -> HttpResponse:
    return error_response(request, 403, "forbidden", str(exc))


@api.exception_handler(InvalidInput)
def _invalid_input(request: HttpRequest, exc: InvalidInput) -> HttpResponse:
    details = [{"field": field, "message": message} for field, message in exc.errors.items()]
    if set(exc.errors) == {"cursor"}:  # a page link edited, truncated or from another list
        return error_response(request, 400, "bad_request", str(exc), details)
    return error_response(request, 422, "invalid", str(exc), details)


@api.exception_handler(StorageUnavailable)
def _storage_unavailable(request: HttpRequest, exc: StorageUnavailable) -> HttpResponse:
    storage_log.warning("evidence store unavailable: %s", exc)  # the reason may name hosts
    return error_response(request, 503, "unavailable", STORAGE_DOWN)


@api.exception_handler(RegistrationRefused)
def _refused(request: HttpRequest, exc: RegistrationRefused) -> HttpResponse:
    details = [{"code": code, "message": message} for code, message in exc.reasons]
    return error_response(request, 422, "refused", f"registration refused: {exc}", details)


@api.exception_handler(AssignmentRefused)
def _assignment_refused(request: HttpRequest, exc: AssignmentRefused) -> HttpResponse:
    details = [{"code": code, "message": message} for code, message in exc.reasons]
    return error_response(request, 422, "refused", f"assignment refused: {exc}", details)


@api.exception_handler(ClaimRefused)
def _claim_refused(request: HttpRequest, exc: ClaimRefused) -> HttpResponse:
    details = [{"code": str(r.code), "message": r.text} for r in exc.reasons]
    message = "claim refused: " + " ".join(r.text for r in exc.reasons)
    return error_response(request, 422, "refused", message, details)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    cause = exc.__cause__
    if isinstance(cause, NotAnObject):
        details = [{"loc": ["body"], "message": str(cause)}]
        return error_response(request, 422, "invalid", f"body: {cause}", details)
    if isinstance(cause, ValueError):  # not JSON at all (JSONDecodeError, UnicodeDecodeError)
        return error_response(request, 400, "bad_request", f"{exc}: send a JSON object")
    return error_response(request, exc.status_code, "error", str(exc))


api.add_router("/", catalogue_routes.router)
api.add_router("/", centre_routes.router)
api.add_router("/", people_routes.router)
api.add_router("/", account_routes.router)
api.add_router("/", token_routes.router)
api.add_router("/", registration_routes.router)
api.add_router("/", portfolio_routes.router)
api.add_router("/", caseload_routes.router)
api.add_router("/", review_routes.router)
api.add_router("/", appeal_routes.router)
api.add_router("/", notification_routes.router)
api.add_router("/", audit_routes.router)
api.add_router("/", eqa_routes.router)
api.add_router("/", audit_routes.public)
api.add_router("/", iqa_routes.router)
api.add_router("/", credential_routes.router)
api.add_router("/", membership_routes.router)
api.add_router("/", claim_routes.router)
api.add_router("/", job_routes.router)
